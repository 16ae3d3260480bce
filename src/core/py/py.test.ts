import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PyFloat, add, formatPyFloat, pyRound, pySum, roundHalfEven } from './py-float.js';
import { parsePyJson, pyDumps, JsonSyntaxError } from './py-json.js';
import { jcsStringify, jcsSha256 } from './jcs.js';
import { clonePy, pyObject, setKey, type PyObject } from './py-value.js';

describe('python float formatting', () => {
  it.each([
    [4, '4.0'], [255, '255.0'], [-0, '-0.0'], [1e16, '1e+16'], [1e-5, '1e-05'], [0.0001, '0.0001'],
    [123456789012345.6, '123456789012345.6'], [0.1 + 0.2, '0.30000000000000004'], [1.5e-7, '1.5e-07'], [2.5e22, '2.5e+22'],
  ])('repr(%s) = %s', (x, s) => {
    expect(formatPyFloat(x)).toBe(s);
  });
});

describe('python round(x, 2)', () => {
  it('rounds exact binary ties to even', () => {
    expect(roundHalfEven(0.125, 2)).toBe(0.12);
    expect(roundHalfEven(0.375, 2)).toBe(0.38);
    expect(roundHalfEven(-0.125, 2)).toBe(-0.12);
    expect(roundHalfEven(2.675, 2)).toBe(2.67); // binary value is below the tie
    expect(roundHalfEven(1.005, 2)).toBe(1); // 1.00499999...
    expect(roundHalfEven(0.5, 0)).toBe(0);
    expect(roundHalfEven(1.5, 0)).toBe(2);
  });
  it('matches toFixed away from ties', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 1, max: 999 }), (a, b) => {
        const x = a / 1000 + b / 1e7;
        const r = roundHalfEven(x, 2);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
    );
  });
  it('always returns a float', () => {
    expect(pyRound(9, 2)).toBeInstanceOf(PyFloat);
    expect(pyDumps(pyRound(9, 2))).toBe('9.0');
  });
});

describe('arithmetic promotion', () => {
  it('int stays int, float is contagious', () => {
    expect(pySum([])).toBe(0);
    expect(pyDumps(pySum([1, 2]))).toBe('3');
    expect(pyDumps(add(1, new PyFloat(2)))).toBe('3.0');
  });
});

describe('parsePyJson / pyDumps', () => {
  it('round-trips python json.dumps text byte for byte', () => {
    const text = '{"b": 1, "a": [247.0, 0, -1.5e-07, "x\\"y"], "9523456873": {"2": true, "1": null}, "c": "caf\\u00e9"}';
    expect(pyDumps(parsePyJson(text))).toBe(text);
  });
  it('keeps integer-like key order through clone and setKey', () => {
    const v = parsePyJson('{"z": 1, "10": 2, "3": 3}') as PyObject;
    const c = clonePy(v);
    setKey(c, "1", 4);
    expect(pyDumps(c)).toBe('{"z": 1, "10": 2, "3": 3, "1": 4}');
    expect(pyDumps(pyObject([["5", 1], ["4", 2]]))).toBe('{"5": 1, "4": 2}');
  });
  it('names the source, line and column of a syntax error', () => {
    expect(() => parsePyJson('{\n "a": tru }', 'users.json')).toThrow(JsonSyntaxError);
    expect(() => parsePyJson('{\n "a": tru }', 'users.json')).toThrow(/users\.json:2:7/);
  });
});

describe('JCS', () => {
  it('sorts keys and writes numbers the ES way', () => {
    expect(jcsStringify(parsePyJson('{"b": 247.0, "a": [1e2, "é"]}'))).toBe('{"a":[100,"é"],"b":247}');
    expect(jcsStringify(parsePyJson('{"b": 247.0}'), { typedFloats: true })).not.toBe(jcsStringify(parsePyJson('{"b": 247}'), { typedFloats: true }));
    expect(jcsSha256({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});
