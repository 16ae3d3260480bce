/**
 * Python number semantics for values that came from (or go to) the τ-bench Python reference.
 * A plain JS `number` stands for a Python `int`; a {@link PyFloat} stands for a Python `float`,
 * so that `247.0` prints as `247.0` and `0` stays `0`. Arithmetic helpers follow Python's
 * promotion rules (int op int → int, anything with a float → float, `/` → float).
 */

/** A Python float. Immutable; share instances freely. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return formatPyFloat(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** A Python int (plain number) or float ({@link PyFloat}). */
export type PyNum = number | PyFloat;

/** True for both Python ints and floats. */
export function isPyNum(v: unknown): v is PyNum {
  return typeof v === 'number' || v instanceof PyFloat;
}

/** The numeric value of a Python number. */
export function num(v: PyNum): number {
  return typeof v === 'number' ? v : v.value;
}

/** Wraps a JS number as a Python float. */
export function pyFloat(v: number): PyFloat {
  return new PyFloat(v);
}

function isFloat(v: PyNum): v is PyFloat {
  return v instanceof PyFloat;
}

function promote(a: PyNum, b: PyNum, r: number): PyNum {
  return isFloat(a) || isFloat(b) ? new PyFloat(r) : r;
}

/** Python `a + b`. */
export function add(a: PyNum, b: PyNum): PyNum {
  return promote(a, b, num(a) + num(b));
}
/** Python `a - b`. */
export function sub(a: PyNum, b: PyNum): PyNum {
  return promote(a, b, num(a) - num(b));
}
/** Python `a * b`. */
export function mul(a: PyNum, b: PyNum): PyNum {
  return promote(a, b, num(a) * num(b));
}
/** Python `-a`. */
export function neg(a: PyNum): PyNum {
  return isFloat(a) ? new PyFloat(-a.value) : -a;
}
/** Python `abs(a)`. */
export function pyAbs(a: PyNum): PyNum {
  return isFloat(a) ? new PyFloat(Math.abs(a.value)) : Math.abs(a);
}
/** Python `sum(values)` (starts from int 0, adds left to right). */
export function pySum(values: Iterable<PyNum>): PyNum {
  let total: PyNum = 0;
  for (const v of values) total = add(total, v);
  return total;
}

/**
 * Python `round(x, ndigits)` for ndigits ≥ 0: correctly rounded on the exact binary value,
 * half-to-even on exact ties (`round(0.125, 2) == 0.12`). Always returns a float, as Python
 * does for a float or int argument with ndigits given.
 */
export function pyRound(x: PyNum, ndigits: number): PyFloat {
  return new PyFloat(roundHalfEven(num(x), ndigits));
}

/** The numeric core of {@link pyRound}. */
export function roundHalfEven(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (Math.abs(x) >= 1e21) return x;
  const tie = exactTieFloor(x, ndigits);
  if (tie === undefined) {
    const r = Number(x.toFixed(ndigits));
    return r === 0 && x < 0 ? -0 : r;
  }
  // x lies exactly halfway between tie/10^nd and (tie+1)/10^nd: choose the even neighbour.
  const n = tie % 2n === 0n ? tie : tie + 1n;
  // Parse the decimal text: Number(n) / 10 ** nd would round twice once n exceeds 2^53.
  const r = Number(`${n}e-${ndigits}`);
  return r === 0 && x < 0 ? -0 : r;
}

/**
 * If x·10^nd is exactly k + 1/2 for an integer k, returns k (floor), else undefined.
 * Exact arithmetic on the binary value with BigInt.
 */
function exactTieFloor(x: number, nd: number): bigint | undefined {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  // x = sign * mant * 2^exp ; want 2 * x * 10^nd = odd integer.
  let numer = 2n * mant * 10n ** BigInt(nd);
  if (exp >= 0) return undefined; // x·10^nd is an integer (even after doubling) → no tie
  const shift = BigInt(-exp);
  const denom = 1n << shift;
  if (numer % denom !== 0n) return undefined;
  numer /= denom;
  if (numer % 2n === 0n) return undefined;
  const twice = sign * numer; // = 2k+1 (signed), so k = (twice-1)/2 exactly
  return (twice - 1n) / 2n;
}

/** Python `repr(float)` / `str(float)`: shortest round-trip digits, `.0` for integral values,
 * exponent form below 1e-4 and from 1e16 on (`1e-05`, `1e+16`), `inf`, `nan`. */
export function formatPyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    // JS exponential gives shortest digits too: "1e+16", "1.5e-7" → Python pads exponent to 2 digits.
    const [mantissa, expPart] = x.toExponential().split('e') as [string, string];
    const sign = expPart.startsWith('-') ? '-' : '+';
    const digits = expPart.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  const s = String(x);
  if (s.includes('e')) {
    // 1e-7 < abs < 1e21 handled above/below; JS uses exponent only outside [1e-7, 1e21).
    return s;
  }
  return s.includes('.') ? s : `${s}.0`;
}

/** Python `str()` of an int or float. */
export function formatPyNum(v: PyNum): string {
  return typeof v === 'number' ? String(v) : formatPyFloat(v.value);
}

/** Python comparison helpers on mixed ints and floats. */
export const cmp = {
  lt: (a: PyNum, b: PyNum): boolean => num(a) < num(b),
  le: (a: PyNum, b: PyNum): boolean => num(a) <= num(b),
  gt: (a: PyNum, b: PyNum): boolean => num(a) > num(b),
  ge: (a: PyNum, b: PyNum): boolean => num(a) >= num(b),
  eq: (a: PyNum, b: PyNum): boolean => num(a) === num(b),
};
