import { describe, expect, it } from 'vitest';
import { PyFloat } from './py-float.js';
import { pyDumps } from './py-json.js';
import { parsePyLiteral, parsePyModule, PyLiteralError, type PyCall } from './py-literal.js';
import type { PyValue } from './py-value.js';

const lit = (s: string): PyValue => parsePyLiteral(s);

describe('python string literals', () => {
  it('reads single, double and triple quotes', () => {
    expect(lit(`'it"s'`)).toBe('it"s');
    expect(lit(`"it's"`)).toBe("it's");
    expect(lit(`'''a\n'b' "c"\n'''`)).toBe(`a\n'b' "c"\n`);
    expect(lit(`"""x""y"""`)).toBe('x""y');
  });
  it('concatenates adjacent literals, across lines inside brackets', () => {
    expect(lit(`"You are " 'Ana' "."`)).toBe('You are Ana.');
    expect(lit(`["a"\n  # comment\n  "b", "c"]`)).toEqual(['ab', 'c']);
    expect(lit(`("first "\n "second")`)).toBe('first second');
  });
  it('processes escapes like Python', () => {
    expect(lit(String.raw`"a\tb\nc\\d\'e\"f"`)).toBe('a\tb\nc\\d\'e"f');
    expect(lit(String.raw`"\x41\u00e9\U0001F600\101\0"`)).toBe('Aé😀A\0');
    expect(lit(String.raw`"keep \d and \q"`)).toBe('keep \\d and \\q');
    expect(lit('"line \\\ncontinued"')).toBe('line continued');
  });
  it('keeps backslashes in raw strings, which still cannot end on an escaped quote', () => {
    expect(lit(String.raw`r"a\nb\"c"`)).toBe(String.raw`a\nb\"c`);
    expect(lit(String.raw`R'\d+'`)).toBe(String.raw`\d+`);
    expect(lit(String.raw`u"\u00e9"`)).toBe('é');
  });
  it('rejects unterminated strings with line and column', () => {
    expect(() => parsePyLiteral('[\n  "abc\n]', { source: 't.py' })).toThrow(/t\.py:2:3: unterminated string/);
    expect(() => lit(`'''never closed`)).toThrow(PyLiteralError);
  });
});

describe('python numbers and constants', () => {
  it('keeps int/float distinction', () => {
    expect(lit('42')).toBe(42);
    expect(lit('-7')).toBe(-7);
    expect(lit('1_000')).toBe(1000);
    expect(lit('0x1F')).toBe(31);
    for (const [src, dumped] of [['247.0', '247.0'], ['1.', '1.0'], ['.5', '0.5'], ['-0.0', '-0.0'], ['1e3', '1000.0'], ['2.5E-7', '2.5e-07']] as const) {
      const v = lit(src);
      expect(v).toBeInstanceOf(PyFloat);
      expect(pyDumps(v)).toBe(dumped);
    }
  });
  it('reads True, False, None', () => {
    expect(lit('[True, False, None]')).toEqual([true, false, null]);
  });
  it('rejects non-literals', () => {
    expect(() => lit('foo')).toThrow(/not a literal/);
    expect(() => lit('012')).toThrow(/leading zeros/);
    expect(() => lit('1 + 2')).toThrow(/unexpected text/);
  });
});

describe('python containers', () => {
  it('reads lists, tuples and dicts with trailing commas', () => {
    expect(lit('[1, [2, 3,],]')).toEqual([1, [2, 3]]);
    expect(lit('()')).toEqual([]);
    expect(lit('(1,)')).toEqual([1]);
    expect(lit('(1)')).toBe(1);
    expect(lit('(1, "a")')).toEqual([1, 'a']);
    expect(pyDumps(lit('{"b": 1, "a": (2.0,), 3: None,}'))).toBe('{"b": 1, "a": [2.0], "3": null}');
  });
  it('keeps key order for integer-like keys', () => {
    expect(pyDumps(lit('{"9": 1, "10": 2, "x": 3, "2": 4}'))).toBe('{"9": 1, "10": 2, "x": 3, "2": 4}');
  });
  it('names the position of a missing comma', () => {
    expect(() => parsePyLiteral('{\n  "a": 1\n  "b": 2\n}', { source: 'd.py' })).toThrow(/d\.py:3:3: expected ',' or '}'/);
  });
});

describe('python calls and modules', () => {
  const call = (c: PyCall): PyValue => ({ __call: c.name, ...c.kwargs, ...(c.args.length ? { args: c.args } : {}) });
  it('passes calls with keyword arguments to the handler', () => {
    const v = parsePyLiteral('Task(user_id="u", actions=[Action(name="x", kwargs={"n": 1.0})], outputs=[])', { call });
    expect(pyDumps(v)).toBe('{"__call": "Task", "user_id": "u", "actions": [{"__call": "Action", "name": "x", "kwargs": {"n": 1.0}}], "outputs": []}');
  });
  it('rejects calls without a handler, repeated keywords, and positional after keyword', () => {
    expect(() => lit('Task(a=1)')).toThrow(/calls are not supported/);
    expect(() => parsePyLiteral('Task(a=1, a=2)', { call })).toThrow(/repeated/);
    expect(() => parsePyLiteral('Task(a=1, 2)', { call })).toThrow(/positional argument follows keyword/);
  });
  it('reports a handler error at the call', () => {
    const strict = (c: PyCall): PyValue => {
      throw new Error(`no ${c.name}`);
    };
    expect(() => parsePyLiteral('[\n  1,\n  Foo(x=1)]', { call: strict, source: 'm.py' })).toThrow(/m\.py:3:3: no Foo/);
  });
  it('parses a module of imports, a docstring and assignments', () => {
    const text = [
      '"""Tasks."""',
      'from tau_bench.types import (',
      '    Action,',
      '    Task,',
      ')',
      'import json  # unused',
      '',
      'A = [1,',
      '     2]',
      'B: list = {"k": \\',
      '  "v"}',
      'C = 3; ',
    ].join('\n');
    const names = parsePyModule(text);
    expect([...names.keys()]).toEqual(['A', 'B', 'C']);
    expect(names.get('A')).toEqual([1, 2]);
    expect(names.get('B')).toEqual({ k: 'v' });
  });
  it('rejects statements that are not literal assignments, naming the line', () => {
    expect(() => parsePyModule('A = 1\nprint(A)\n', { source: 'x.py' })).toThrow(/x\.py:2:1: expected "print = <literal>"/);
    expect(() => parsePyModule('A = [1, 2\n', { source: 'x.py' })).toThrow(/x\.py:2:1/);
    expect(() => parsePyModule('A = 1 2\n')).toThrow(/expected end of statement/);
  });
  it('records the source line of containers', () => {
    const lines = new WeakMap<object, number>();
    const v = parsePyModule('X = [\n  {"a": 1},\n\n  [2],\n]\n', { lines }).get('X') as PyValue[];
    expect(lines.get(v)).toBe(1);
    expect(lines.get(v[0] as object)).toBe(2);
    expect(lines.get(v[1] as object)).toBe(4);
  });
});
