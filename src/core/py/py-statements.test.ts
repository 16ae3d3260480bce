import { describe, expect, it } from 'vitest';
import { parsePySource, pyClasses, pyFunctions, pyStrings } from './py-statements.js';

describe('parsePySource', () => {
  it('reads strings, f-strings, continuation lines and blocks', () => {
    const text = [
      'class A(Base):',
      '    def f(self, x):',
      '        s = (f"a{{b}}{x}" \\',
      '             r"\\n" """t',
      'q""")',
      '        if x:  # comment',
      '            return f\'{d["k"]}:{ y }\'',
      '',
      'def g(): pass',
    ].join('\n');
    const mod = parsePySource(text, 'm.py');
    const cls = pyClasses(mod).get('A');
    expect(cls?.bases).toEqual(['Base']);
    const f = pyFunctions(cls?.stmt.body ?? []).get('f');
    const strings = pyStrings(f as NonNullable<typeof f>);
    expect(strings.map((s) => [s.prefix, s.parts ?? s.value, s.fields ?? null])).toEqual([
      ['f', ['a{b}', ''], ['x']],
      ['r', '\\n', null],
      ['', 't\nq', null],
      ['f', ['', ':', ''], ['d["k"]', 'y']],
    ]);
    expect(f?.body.map((s) => s.line)).toEqual([3, 6]);
    expect(f?.body[1]?.body).toHaveLength(1);
    expect([...pyFunctions(mod).keys()]).toEqual(['g']);
  });

  it('reports malformed source with file, line and column', () => {
    expect(() => parsePySource('x = (1,\n', 'bad.py')).toThrow(/bad\.py:\d+:\d+: unexpected end of file inside brackets/);
    expect(() => parsePySource("s = f'a}'", 'bad.py')).toThrow(/bad\.py:1:8: single '}'/);
    expect(() => parsePySource('if x:\n        a\n    b\n', 'bad.py')).toThrow(/bad\.py:3: inconsistent indentation/);
  });
});
