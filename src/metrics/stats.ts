/** Small descriptive statistics used by summaries. Pure functions. */

/** Mean, median, 95th percentile, min and max of a sample; all null when it is empty. */
export interface Distribution {
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  min: number | null;
  max: number | null;
  sum: number;
}

/**
 * The `q`-quantile (0..1) of `values` with linear interpolation between closest ranks (NumPy's
 * default `linear` method). Returns null for an empty sample. `values` need not be sorted.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within [0, 1], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Describes a sample: count, sum, mean, p50, p95, min, max. */
export function describe(values: readonly number[]): Distribution {
  const count = values.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    count,
    sum,
    mean: count === 0 ? null : sum / count,
    p50: quantile(values, 0.5),
    p95: quantile(values, 0.95),
    min: count === 0 ? null : min,
    max: count === 0 ? null : max,
  };
}
