/**
 * Correctly rounded float helpers for the calculator: exact ratios of big integers and `pow`.
 * CPython's float `**` calls the C library's `pow`, which glibc rounds correctly (to within
 * 0.52 ulp); V8's `Math.pow` is often one ulp off, which shows in Python's 17-digit output of
 * large results. Here `x ** y` is computed exactly (integer exponents) or with 256-bit fixed-point
 * logarithm/exponential, then rounded once.
 */

/** Number of bits of |x| (0 for 0). */
export function bitLength(x: bigint): number {
  if (x < 0n) x = -x;
  return x === 0n ? 0 : x.toString(2).length;
}

/** x · 2^k without intermediate overflow/underflow (for x and a result that are representable). */
export function scale2(x: number, k: number): number {
  while (k > 1000) {
    x *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    x *= 2 ** -1000;
    k += 1000;
  }
  return x * 2 ** k;
}

/**
 * The double nearest to a/b · 2^k (a, b > 0), ties to even; `Infinity` when it overflows,
 * 0 or a subnormal when it underflows.
 */
export function ratioToDouble(a: bigint, b: bigint, k: number): number {
  const s = 55 - (bitLength(a) - bitLength(b));
  const num = s >= 0 ? a << BigInt(s) : a;
  const den = s >= 0 ? b : b << BigInt(-s);
  const q = num / den;
  const sticky = num % den !== 0n;
  const bits = bitLength(q);
  const exp = bits - 1 - s + k; // the value lies in [2^exp, 2^(exp+1))
  if (exp >= 1024) return Infinity;
  const precision = exp >= -1022 ? 53 : 53 - (-1022 - exp);
  const extra = bits - precision; // ≥ 1 since bits ≥ 55
  let m = q >> BigInt(extra);
  const rem = q & ((1n << BigInt(extra)) - 1n);
  const half = 1n << BigInt(extra - 1);
  if (rem > half || (rem === half && (sticky || (m & 1n) === 1n))) m += 1n;
  return scale2(Number(m), extra - s + k);
}

/** x = m · 2^e exactly, m a non-negative integer (x finite). */
function decompose(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  if (expBits === 0) return { m: frac, e: -1074 };
  return { m: frac | (1n << 52n), e: expBits - 1075 };
}

const P = 256n;
const ONE = 1n << P;

/** 2·atanh(z) in fixed point (z = num/den, |z| small). */
function twoAtanh(z: bigint): bigint {
  const z2 = (z * z) >> P;
  let term = z;
  let sum = z;
  for (let i = 3n; term !== 0n; i += 2n) {
    term = (term * z2) / ONE; // truncates towards zero, so a negative z terminates too
    sum += term / i;
  }
  return 2n * sum;
}

const LN2 = twoAtanh(ONE / 3n);
/** ⌊√n⌋ by Newton's method. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
const SQRT2_P = isqrt(2n << (2n * P));

/** ln(x) in fixed point, x > 0 finite. */
function lnFixed(x: number): bigint {
  const { m, e } = decompose(x);
  const L = bitLength(m);
  // x = f · 2^k with f = m / 2^(L-1) ∈ [1, 2)
  let k = e + L - 1;
  let f = (m << P) >> BigInt(L - 1);
  if (f > SQRT2_P) {
    f >>= 1n;
    k += 1;
  }
  const z = ((f - ONE) << P) / (f + ONE);
  return BigInt(k) * LN2 + twoAtanh(z);
}

/** exp(t) for fixed-point t, as the double nearest to it (Infinity/0 outside the range). */
function expToDouble(t: bigint): number {
  if (t > 1100n * ONE) return Infinity;
  if (t < -1100n * ONE) return 0;
  // t = q·ln2 + r with |r| ≤ ln2/2
  let q = t / LN2;
  let r = t - q * LN2;
  if (2n * r > LN2) {
    q += 1n;
    r -= LN2;
  } else if (2n * r < -LN2) {
    q -= 1n;
    r += LN2;
  }
  let term = ONE;
  let sum = ONE;
  for (let i = 1n; term !== 0n; i++) {
    term = (term * r) / (i << P);
    sum += term;
  }
  return ratioToDouble(sum, ONE, Number(q));
}

/**
 * |x| ** y correctly rounded, for x ≠ 0, x ≠ ±1 finite and y finite nonzero (the general case of
 * C `pow`). `Infinity` on overflow.
 */
export function powAbs(x: number, y: number): number {
  const ax = Math.abs(x);
  if (Number.isInteger(y) && Math.abs(y) <= 1100) {
    const { m, e } = decompose(ax);
    const n = BigInt(Math.abs(y));
    const num = m ** n;
    const shift = e * Math.abs(y);
    return y > 0 ? ratioToDouble(num, 1n, shift) : ratioToDouble(1n, num, -shift);
  }
  const lx = lnFixed(ax);
  const { m: my, e: ey } = decompose(y);
  let t = lx * my;
  t = ey >= 0 ? t << BigInt(ey) : t >> BigInt(-ey);
  if (y < 0) t = -t;
  return expToDouble(t);
}
