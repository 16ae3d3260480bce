/**
 * pass^k with the unbiased estimator used by τ-bench and τ²-bench: for each task with `n`
 * counted trials of which `c` succeeded, C(c, k) / C(n, k); pass^k is the mean over tasks.
 * Pure functions, no I/O.
 */

/** Rewards within this distance of 1 count as a success (τ-bench's tolerance). */
export const SUCCESS_TOLERANCE = 1e-6;

/** True when `reward` counts as a success: within {@link SUCCESS_TOLERANCE} of 1. */
export function isSuccess(reward: number | null | undefined): boolean {
  return typeof reward === 'number' && Math.abs(reward - 1) <= SUCCESS_TOLERANCE;
}

/**
 * C(c, k) / C(n, k): the probability that k trials drawn without replacement from n, of which
 * c succeeded, all succeed. Computed as a product of ratios (no overflow for large n).
 *
 * @throws RangeError when k > n, c > n, or any argument is negative or not an integer.
 */
export function passHatK(n: number, c: number, k: number): number {
  for (const [name, v] of [['n', n], ['c', c], ['k', k]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`pass^k: ${name} must be a non-negative integer, got ${v}`);
  }
  if (c > n) throw new RangeError(`pass^k: successes (${c}) exceed trials (${n})`);
  if (k > n) throw new RangeError(`pass^k: k (${k}) exceeds trials (${n})`);
  if (k > c) return 0;
  let p = 1;
  for (let i = 0; i < k; i++) p *= (c - i) / (n - i);
  return p;
}

/** One scored trial as pass^k sees it. */
export interface TrialOutcome {
  taskId: string;
  trial: number;
  /** Reward, or null when the trial is not scored (unscored tasks). */
  reward: number | null;
  /** Left out of pass^k (infrastructure errors, unscored trials). */
  excluded?: boolean;
}

/** Per-task counts behind pass^k. */
export interface TaskCounts {
  taskId: string;
  /** Counted trials (excluded ones left out). */
  n: number;
  /** Successful trials among them. */
  c: number;
  /** Trials left out (infrastructure errors, unscored). */
  excluded: number;
}

/** pass^k for k = 1..maxK, with the counts it was computed from. */
export interface PassHatKResult {
  /** `passHatK[k-1]` is pass^k. Empty when no task has a counted trial. */
  passHatK: number[];
  /** Smallest counted-trial count over the tasks that have at least one (k is capped there). */
  maxK: number;
  tasks: TaskCounts[];
  /** Tasks left out of pass^k because every one of their trials was excluded. */
  tasksWithoutTrials: string[];
  /** True when counted trial counts differ between tasks (worth a warning). */
  unequalTrials: boolean;
}

/** Counts trials and successes per task, in first-seen task order. */
export function countByTask(outcomes: Iterable<TrialOutcome>): TaskCounts[] {
  const byTask = new Map<string, TaskCounts>();
  for (const o of outcomes) {
    let t = byTask.get(o.taskId);
    if (t === undefined) byTask.set(o.taskId, (t = { taskId: o.taskId, n: 0, c: 0, excluded: 0 }));
    if (o.excluded === true || o.reward === null) {
      t.excluded++;
      continue;
    }
    t.n++;
    if (isSuccess(o.reward)) t.c++;
  }
  return [...byTask.values()];
}

/**
 * pass^k for k = 1..K, K = the minimum per-task counted-trial count (as τ²). Excluded trials are
 * dropped first; a task with no counted trial is left out and listed in `tasksWithoutTrials`.
 */
export function passHatKCurve(outcomes: Iterable<TrialOutcome>): PassHatKResult {
  const tasks = countByTask(outcomes);
  const counted = tasks.filter((t) => t.n > 0);
  const tasksWithoutTrials = tasks.filter((t) => t.n === 0).map((t) => t.taskId);
  if (counted.length === 0) return { passHatK: [], maxK: 0, tasks, tasksWithoutTrials, unequalTrials: false };
  const maxK = Math.min(...counted.map((t) => t.n));
  const unequalTrials = counted.some((t) => t.n !== maxK);
  const curve: number[] = [];
  for (let k = 1; k <= maxK; k++) {
    let sum = 0;
    for (const t of counted) sum += passHatK(t.n, t.c, k);
    curve.push(sum / counted.length);
  }
  return { passHatK: curve, maxK, tasks, tasksWithoutTrials, unequalTrials };
}
