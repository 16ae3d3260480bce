/**
 * The statistics columns shared by the report's and the paper's tables: pass^1 with its 95%
 * interval (keys `p1`, `p1Low`, `p1High`) and Δ against a baseline run with its paired interval
 * and p-value (keys `baseline`, `delta`, `deltaLow`, `deltaHigh`, `p`, `interval`; Δ in points).
 */
import type { PairedComparison } from '../metrics/paired.js';
import type { Cell, Column } from './table.js';

/** pass^1 and its 95% interval, 3 digits; `metric` names it in the headers (e.g. `pass^1`, `Pass^1`). */
export function pass1Columns(metric: string): Column[] {
  return [
    { key: 'p1', header: metric, digits: 3 },
    { key: 'p1Low', header: `${metric} 95% low`, digits: 3 },
    { key: 'p1High', header: `${metric} 95% high`, digits: 3 },
  ];
}

/** The cells of {@link pass1Columns}: an interval's estimate and bounds (all null without one). */
export function pass1Cells(interval: { estimate: number; low: number; high: number } | undefined): Record<string, Cell> {
  return { p1: interval?.estimate ?? null, p1Low: interval?.low ?? null, p1High: interval?.high ?? null };
}

/** The baseline, Δ `metric` in points (1 digit) with its 95% interval, p (3 digits) and whether the interval covers 0. */
export function deltaColumns(metric: string): Column[] {
  return [
    { key: 'baseline', header: 'Baseline', align: 'left' },
    { key: 'delta', header: `Δ ${metric} (points)`, digits: 1 },
    { key: 'deltaLow', header: 'Δ 95% low', digits: 1 },
    { key: 'deltaHigh', header: 'Δ 95% high', digits: 1 },
    { key: 'p', header: 'p', digits: 3 },
    { key: 'interval', header: 'Δ interval', align: 'left' },
  ];
}

/**
 * The cells of {@link deltaColumns}: `baseline` as given, Δ and its bounds ×100, the p-value, and
 * `coversZero` (default `covers 0`) or `excludes 0`; without a comparison only `baseline` is set.
 */
export function deltaCells(comparison: PairedComparison | undefined, baseline: Cell, coversZero = 'covers 0'): Record<string, Cell> {
  const c = comparison;
  if (c === undefined) return { baseline, delta: null, deltaLow: null, deltaHigh: null, p: null, interval: null };
  return { baseline, delta: c.estimate * 100, deltaLow: c.low * 100, deltaHigh: c.high * 100, p: c.pValue, interval: c.coversZero ? coversZero : 'excludes 0' };
}
