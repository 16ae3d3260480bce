import { describe, expect, it } from 'vitest';
import { PyFloat } from './py/py-float.js';
import { stableJson } from './stable-json.js';

describe('stableJson', () => {
  it('sorts keys at every depth and drops undefined properties; equal values give equal text', () => {
    expect(stableJson({ b: 1, a: { d: undefined, c: [2, { z: 1, y: 2 }] } })).toBe('{"a":{"c":[2,{"y":2,"z":1}]},"b":1}');
    expect(stableJson({ x: 1, y: [1, 2] })).toBe(stableJson({ y: [1, 2], x: 1 }));
    expect(stableJson({ x: 1 })).not.toBe(stableJson({ x: '1' }));
  });

  it('writes undefined array entries and a bare undefined as null, drops functions, honours toJSON', () => {
    expect(stableJson([undefined, 1])).toBe('[null,1]');
    expect(stableJson(undefined)).toBe('null');
    expect(stableJson({ f: () => 1, k: 'v' })).toBe('{"k":"v"}');
    expect(stableJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
    expect(stableJson({ price: new PyFloat(2) })).toBe(JSON.stringify({ price: new PyFloat(2) }));
  });
});
