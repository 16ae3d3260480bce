import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitLength, powAbs, ratioToDouble } from './exact-float.js';

/** Distance in units in the last place between two positive finite doubles. */
function ulps(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Math.abs(Number(view.getBigInt64(0) - view.getBigInt64(8)));
}

describe('ratioToDouble', () => {
  it('rounds big ratios once, to nearest even', () => {
    expect(ratioToDouble(1n, 3n, 0)).toBe(1 / 3);
    expect(ratioToDouble(2n ** 60n + 1n, 3n, 0)).toBe(384307168202282300);
    expect(ratioToDouble(2n ** 53n + 1n, 1n, 0)).toBe(2 ** 53); // tie → even
    expect(ratioToDouble(2n ** 53n + 3n, 1n, 0)).toBe(2 ** 53 + 4); // tie → even
    expect(ratioToDouble(10n ** 400n, 10n ** 399n, 0)).toBe(10);
  });

  it('handles subnormals, underflow and overflow', () => {
    expect(ratioToDouble(1n, 1n, -1074)).toBe(5e-324);
    expect(ratioToDouble(1n, 1n, -1076)).toBe(0);
    expect(ratioToDouble(3n, 1n, -1076)).toBe(5e-324);
    expect(ratioToDouble(1n, 1n, 1024)).toBe(Infinity);
    expect(ratioToDouble(2n ** 53n - 1n, 1n, 971)).toBe(Number.MAX_VALUE);
  });

  it('agrees with IEEE division on doubles', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 53n }), fc.bigInt({ min: 1n, max: 2n ** 53n }), (a, b) => {
        expect(ratioToDouble(a, b, 0)).toBe(Number(a) / Number(b));
      }),
    );
  });

  it('counts bits', () => {
    expect([bitLength(0n), bitLength(1n), bitLength(-8n), bitLength(2n ** 64n)]).toEqual([0, 1, 4, 65]);
  });
});

describe('powAbs', () => {
  it('is exact for integer exponents', () => {
    expect(powAbs(3, 34)).toBe(16677181699666568); // 3^34 = …569, a tie, rounded to even
    expect(powAbs(885.374, 7)).toBe(4.264688843062981e20);
    expect(powAbs(2, -1074)).toBe(5e-324);
    expect(powAbs(10, 308)).toBe(1e308);
    expect(powAbs(10, 309)).toBe(Infinity);
  });

  it('is correctly rounded for fractional exponents', () => {
    expect(powAbs(2, 0.5)).toBe(Math.SQRT2);
    expect(powAbs(4, 0.5)).toBe(2);
    expect(powAbs(6, 258.355)).toBe(1.0946273444164234e201);
    expect(powAbs(3, -670.5)).toBeGreaterThan(0);
    expect(powAbs(1.0000001, 1e10)).toBe(Infinity);
  });

  it('stays within one ulp of Math.pow', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (x, y) => {
        fc.pre(x !== 1 && y !== 0);
        const a = powAbs(x, y);
        const b = Math.pow(x, y);
        if (b === 0 || !Number.isFinite(b)) expect(a).toBe(b);
        else expect(ulps(a, b)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });
});
