/**
 * Paired comparison of two runs on the same tasks: Δ pass^k (A − B) as the mean over tasks of the
 * per-task difference C(c_A,k)/C(n_A,k) − C(c_B,k)/C(n_B,k), with a paired bootstrap interval
 * (tasks resampled together, so each task's pair stays a pair) and a two-sided sign-flip
 * permutation test (under "no difference" the sign of each task's difference is exchangeable):
 * exact over all 2^N sign vectors up to {@link EXACT_PERMUTATION_MAX_TASKS} tasks, Monte Carlo
 * beyond, p = (1 + hits) / (1 + permutations). Strata (domains) are supported as in
 * `bootstrap.ts`: Δ is then the mean over strata of each stratum's mean difference.
 */
import { Rng } from '../core/rng.js';
import { bootstrapMean, DEFAULT_RESAMPLES, DEFAULT_STATS_SEED, type Interval, type ResampleOptions } from './bootstrap.js';
import { passHatK, type TaskCounts } from './pass-k.js';

/** Up to this many tasks (all strata together) the permutation test enumerates every sign vector. */
export const EXACT_PERMUTATION_MAX_TASKS = 16;

/** Why two task lists cannot be paired for pass^k, or null when they can. */
export function pairingProblem(a: readonly TaskCounts[], b: readonly TaskCounts[], k = 1): string | null {
  const ca = new Map(a.filter((t) => t.n > 0).map((t) => [t.taskId, t]));
  const cb = new Map(b.filter((t) => t.n > 0).map((t) => [t.taskId, t]));
  const onlyA = [...ca.keys()].filter((id) => !cb.has(id));
  const onlyB = [...cb.keys()].filter((id) => !ca.has(id));
  const list = (ids: string[]): string => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` … (${ids.length})` : ''}`;
  if (onlyA.length > 0 || onlyB.length > 0) {
    const parts = [];
    if (onlyA.length > 0) parts.push(`task(s) only in the first run: ${list(onlyA)}`);
    if (onlyB.length > 0) parts.push(`task(s) only in the second run: ${list(onlyB)}`);
    return `the runs do not share their counted tasks (${parts.join('; ')})`;
  }
  if (ca.size === 0) return 'no task has a counted trial';
  const short = [...ca.keys()].filter((id) => (ca.get(id)?.n ?? 0) < k || (cb.get(id)?.n ?? 0) < k);
  if (short.length > 0) return `task(s) with fewer than ${k} counted trials: ${list(short)}`;
  return null;
}

/**
 * Per-task differences of pass^k (A − B), in A's task order.
 * @throws RangeError when the runs cannot be paired (see {@link pairingProblem}).
 */
export function pairedDifferences(a: readonly TaskCounts[], b: readonly TaskCounts[], k = 1): number[] {
  const problem = pairingProblem(a, b, k);
  if (problem !== null) throw new RangeError(`cannot pair the runs for pass^${k}: ${problem}`);
  const byId = new Map(b.map((t) => [t.taskId, t]));
  return a.filter((t) => t.n > 0).map((t) => {
    const o = byId.get(t.taskId) as TaskCounts;
    return passHatK(t.n, t.c, k) - passHatK(o.n, o.c, k);
  });
}

/** Result of a sign-flip permutation test. */
export interface PermutationTest {
  /** Two-sided p-value. */
  pValue: number;
  method: 'exact' | 'monte-carlo';
  /** Sign vectors evaluated (2^N when exact). */
  permutations: number;
}

/**
 * Two-sided paired sign-flip permutation test of "mean difference = 0" on stratified differences:
 * the statistic is the mean over strata of the stratum means; a sign vector counts as a hit when
 * its |statistic| ≥ the observed one (within 1e-12).
 */
export function signFlipTest(strata: ReadonlyArray<readonly number[]>, options: Pick<ResampleOptions, 'seed' | 'resamples'> = {}): PermutationTest {
  const weighted: number[] = [];
  for (const s of strata) for (const d of s) weighted.push(d / (s.length * strata.length));
  const observed = Math.abs(weighted.reduce((a, b) => a + b, 0));
  const tol = 1e-12 * Math.max(1, observed);
  const n = weighted.length;
  if (n <= EXACT_PERMUTATION_MAX_TASKS) {
    const total = 2 ** n;
    let hits = 0;
    for (let mask = 0; mask < total; mask++) {
      let t = 0;
      for (let i = 0; i < n; i++) t += (mask >> i) & 1 ? -(weighted[i] as number) : (weighted[i] as number);
      if (Math.abs(t) >= observed - tol) hits++;
    }
    return { pValue: hits / total, method: 'exact', permutations: total };
  }
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const rng = new Rng(options.seed ?? DEFAULT_STATS_SEED).fork('sign-flip');
  let hits = 0;
  for (let b = 0; b < resamples; b++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += rng.uint32() & 1 ? -(weighted[i] as number) : (weighted[i] as number);
    if (Math.abs(t) >= observed - tol) hits++;
  }
  return { pValue: (1 + hits) / (1 + resamples), method: 'monte-carlo', permutations: resamples };
}

/** Δ pass^k of A over B with its paired interval and permutation p-value. */
export interface PairedComparison extends Interval {
  k: number;
  /** Paired tasks (all strata together). */
  tasks: number;
  strata: number;
  /** The interval contains 0: the data do not show which run is better. */
  coversZero: boolean;
  pValue: number;
  permutation: PermutationTest['method'];
  permutations: number;
}

/**
 * Compares A with B on pass^k, one `{a, b}` pair of task lists per stratum (one for a single
 * domain). Δ is in pass^k units (multiply by 100 for points).
 * @throws RangeError when a stratum's runs cannot be paired.
 */
export function comparePassHatK(strata: ReadonlyArray<{ a: readonly TaskCounts[]; b: readonly TaskCounts[] }>, k = 1, options: ResampleOptions = {}): PairedComparison {
  if (strata.length === 0) throw new RangeError('a paired comparison needs at least one pair of runs');
  const diffs = strata.map(({ a, b }) => pairedDifferences(a, b, k));
  const interval = bootstrapMean(diffs, options);
  const test = signFlipTest(diffs, options);
  return {
    ...interval,
    k,
    tasks: diffs.reduce((n, d) => n + d.length, 0),
    strata: strata.length,
    coversZero: interval.low <= 0 && interval.high >= 0,
    pValue: test.pValue,
    permutation: test.method,
    permutations: test.permutations,
  };
}
