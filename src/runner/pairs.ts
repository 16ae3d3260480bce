/** The (task, trial) work list of a run, its deterministic shard slices, and what is left to do. */
import type { Task } from '../core/task.js';
import type { Shard } from './config.js';
import { episodeKey } from '../contract/record.js';

/** One episode to run. */
export interface EpisodePair {
  task: Task;
  trial: number;
}

/** Every (task, trial), trial-major (all tasks of trial 0, then trial 1…), as τ-bench orders them. */
export function allPairs(tasks: readonly Task[], trials: number): EpisodePair[] {
  const out: EpisodePair[] = [];
  for (let trial = 0; trial < trials; trial++) for (const task of tasks) out.push({ task, trial });
  return out;
}

/**
 * Shard `index`/`count` of a pair list: every count-th pair starting at position index-1, so
 * shards are balanced across tasks and trials and their union is the whole list.
 */
export function shardPairs<T>(pairs: readonly T[], shard: Shard | null): T[] {
  if (shard === null) return [...pairs];
  return pairs.filter((_, i) => i % shard.count === shard.index - 1);
}

/** Pairs not yet in `done` (keys from {@link episodeKey}). */
export function missingPairs(pairs: readonly EpisodePair[], done: ReadonlySet<string>): EpisodePair[] {
  return pairs.filter((p) => !done.has(episodeKey({ taskId: p.task.id, trial: p.trial })));
}
