/**
 * Uncertainty of pass^k: percentile bootstrap over tasks (tasks are the sampling unit; the trials
 * of a task stay together), and the spread of pass^1 across trials. Seeded and deterministic: one
 * {@link Rng} (src/core/rng.ts) per interval, seeded with {@link DEFAULT_STATS_SEED} unless told.
 *
 * Values may be grouped in strata (e.g. one per domain): a resample then draws tasks with
 * replacement within each stratum, and the statistic is the mean over strata of the stratum means
 * (the "average over domains" of a paper table). One stratum is the plain bootstrap over tasks.
 */
import { Rng, type Seed } from '../core/rng.js';
import { isSuccess, passHatK, type TaskCounts } from './pass-k.js';
import { quantile } from './stats.js';

/** Seed of every bootstrap and permutation test unless another is given. */
export const DEFAULT_STATS_SEED = 0;
/** Bootstrap resamples (and Monte Carlo permutations) unless told. */
export const DEFAULT_RESAMPLES = 10_000;
/** Confidence level of intervals unless told. */
export const DEFAULT_CONFIDENCE = 0.95;

/** Options of every resampling statistic. */
export interface ResampleOptions {
  /** Default {@link DEFAULT_STATS_SEED}. */
  seed?: Seed;
  /** Default {@link DEFAULT_RESAMPLES}. */
  resamples?: number;
  /** Default {@link DEFAULT_CONFIDENCE}. */
  confidence?: number;
}

/** A point estimate with a percentile-bootstrap interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  resamples: number;
  /** The seed the resamples were drawn with. */
  seed: Seed;
}

function settings(o: ResampleOptions): { seed: Seed; resamples: number; confidence: number } {
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  const confidence = o.confidence ?? DEFAULT_CONFIDENCE;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be within (0, 1), got ${confidence}`);
  return { seed: o.seed ?? DEFAULT_STATS_SEED, resamples, confidence };
}

/** Mean over strata of each stratum's mean. */
export function stratifiedMean(strata: ReadonlyArray<readonly number[]>): number {
  if (strata.length === 0 || strata.some((s) => s.length === 0)) throw new RangeError('stratified mean needs at least one value in every stratum');
  let total = 0;
  for (const s of strata) total += s.reduce((a, b) => a + b, 0) / s.length;
  return total / strata.length;
}

/**
 * Percentile bootstrap of the (stratified) mean: `resamples` times, draw each stratum's values with
 * replacement (as many as it has), take the mean over strata of the stratum means; the interval is
 * the (1−confidence)/2 and (1+confidence)/2 quantiles of those means (linear interpolation, as
 * NumPy's default). Deterministic for a given seed.
 */
export function bootstrapMean(strata: ReadonlyArray<readonly number[]>, options: ResampleOptions = {}): Interval {
  const { seed, resamples, confidence } = settings(options);
  const estimate = stratifiedMean(strata);
  const rng = new Rng(seed);
  const means = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    let total = 0;
    for (const s of strata) {
      let sum = 0;
      for (let i = 0; i < s.length; i++) sum += s[rng.int(0, s.length - 1)] as number;
      total += sum / s.length;
    }
    means[b] = total / strata.length;
  }
  const alpha = (1 - confidence) / 2;
  return { estimate, low: quantile(means, alpha) as number, high: quantile(means, 1 - alpha) as number, confidence, resamples, seed };
}

/** Per-task pass^k values C(c,k)/C(n,k) of tasks with at least k counted trials. */
export function perTaskPassHatK(tasks: readonly TaskCounts[], k: number): number[] {
  return tasks.filter((t) => t.n >= k && t.n > 0).map((t) => passHatK(t.n, t.c, k));
}

/** pass^k of one k with its interval and what it was computed from. */
export interface PassHatKInterval extends Interval {
  k: number;
  /** Tasks in the estimate (those with at least k counted trials). */
  tasks: number;
  /** Fewest and most counted trials per task. */
  trials: { min: number; max: number };
}

/**
 * pass^k for k = 1..maxK (the smallest per-task counted-trial count) with bootstrap intervals over
 * tasks. Every k uses the same seed, so the same task resamples: the bands of a curve agree.
 * Tasks without counted trials are left out (as in {@link passHatKCurve}).
 */
export function passHatKIntervals(tasks: readonly TaskCounts[], options: ResampleOptions = {}): PassHatKInterval[] {
  const counted = tasks.filter((t) => t.n > 0);
  if (counted.length === 0) return [];
  const min = Math.min(...counted.map((t) => t.n));
  const max = Math.max(...counted.map((t) => t.n));
  const out: PassHatKInterval[] = [];
  for (let k = 1; k <= min; k++) {
    out.push({ k, ...bootstrapMean([perTaskPassHatK(counted, k)], options), tasks: counted.length, trials: { min, max } });
  }
  return out;
}

/** pass^1 of each trial (successes over the tasks that have that trial counted) and their spread. */
export interface TrialSpread {
  perTrial: Array<{ trial: string; tasks: number; passAt1: number }>;
  mean: number | null;
  /** Sample standard deviation (n − 1); null with fewer than two trials. */
  std: number | null;
  min: number | null;
  max: number | null;
}

/**
 * The spread of pass^1 across trials, from rewards by task and trial (null: not counted, as in a
 * summary's `perTask[id].rewards`). A reward counts as a success within 1e-6 of 1.
 */
export function trialSpread(rewardsByTask: Readonly<Record<string, Readonly<Record<string, number | null>>>>): TrialSpread {
  const byTrial = new Map<string, { tasks: number; successes: number }>();
  for (const rewards of Object.values(rewardsByTask)) {
    for (const [trial, reward] of Object.entries(rewards)) {
      if (reward === null) continue;
      let t = byTrial.get(trial);
      if (t === undefined) byTrial.set(trial, (t = { tasks: 0, successes: 0 }));
      t.tasks++;
      if (isSuccess(reward)) t.successes++;
    }
  }
  const perTrial = [...byTrial]
    .sort(([a], [b]) => Number(a) - Number(b) || a.localeCompare(b))
    .map(([trial, t]) => ({ trial, tasks: t.tasks, passAt1: t.successes / t.tasks }));
  const values = perTrial.map((t) => t.passAt1);
  if (values.length === 0) return { perTrial, mean: null, std: null, min: null, max: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return { perTrial, mean, std, min: Math.min(...values), max: Math.max(...values) };
}
