import { describe, expect, it } from 'vitest';
import { readPyString, type PyStringFail } from './py-string.js';

const fail: PyStringFail = (message, at) => {
  throw new Error(`@${at}: ${message}`);
};

describe('readPyString', () => {
  it('decodes escapes, keeps unknown ones and returns the offset past the closing quote', () => {
    const text = `x = 'a\\tb\\x41\\u00e9\\101\\q' + 1`;
    expect(readPyString(text, 4, '', fail)).toEqual({ value: 'a\tbAéA\\q', end: 26 });
  });

  it('keeps backslashes in raw strings and reads triple quotes across lines', () => {
    expect(readPyString(`"\\n\\""`, 0, 'R', fail).value).toBe('\\n\\"');
    expect(readPyString(`"""a\n"b"\\\nc"""`, 0, '', fail)).toEqual({ value: 'a\n"b"c', end: 14 });
  });

  it('splits f-strings into literal parts and trimmed fields', () => {
    const r = readPyString(`'{{x}} {a["}"]!r} - { b }'`, 0, 'f', fail);
    expect(r.parts).toEqual(['{x} ', ' - ', '']);
    expect(r.fields).toEqual(['a["}"]!r', 'b']);
    expect(r.value).toBe('{x} {a["}"]!r} - {b}');
    // Braces are plain text outside f-strings.
    expect(readPyString(`'{a}'`, 0, 'b', fail)).toEqual({ value: '{a}', end: 5 });
  });

  it('reports malformed literals at their offset', () => {
    expect(() => readPyString(`'abc`, 0, '', fail)).toThrow('@0: unterminated string literal');
    expect(() => readPyString(`'a\nb'`, 0, '', fail)).toThrow('@0: unterminated string literal (end of line)');
    expect(() => readPyString(`'\\x4'`, 0, '', fail)).toThrow('@1: truncated \\x escape');
    expect(() => readPyString(`'\\N{DASH}'`, 0, '', fail)).toThrow('@1: \\N{...} escapes are not supported');
    expect(() => readPyString(`'a}'`, 0, 'f', fail)).toThrow("@2: single '}' is not allowed in an f-string");
    expect(() => readPyString(`'{ }'`, 0, 'f', fail)).toThrow('@1: empty expression in an f-string');
    expect(() => readPyString(`'{a'`, 0, 'f', fail)).toThrow('@0: unterminated f-string field');
  });
});
