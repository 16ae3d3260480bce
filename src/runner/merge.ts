/**
 * `taubp merge`: joins run directories of the same data and configuration into one — the shards of
 * a run, partial runs of it, or runs over different (e.g. disjoint) task selections, whose union
 * becomes the merged run's selection. Identity settings other than the task selection, and the
 * data, task and policy file hashes, must agree; runs of the same selection must have the same task
 * hash. Records are deduplicated by (task, trial), preferring a real result to an infrastructure
 * error. Every `episodes.jsonl` is streamed: only line positions and summary projections are held.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { slimEpisode, type EpisodeLike } from '../metrics/aggregate.js';
import { summarizeEpisodes } from './summary-file.js';
import type { RunSummary } from './summary.js';
import { identityDifferences } from './config.js';
import { writeLinesAtomic, type LineRef } from './jsonl-stream.js';
import { episodeKey } from '../contract/record.js';
import { EpisodeDeduper, EpisodeStream, EPISODES_FILE, readManifest, RUN_FILE, SUMMARY_FILE, writeFileAtomic, type RunManifest } from './results.js';
import { checkRunDir } from './run-dir.js';
import { taskPartsOf, unionTaskCount, unionTaskSpec, type TaskPart } from './run-growth.js';
import { acquireRunLock, describeHolder, liveRunLock, type RunLock } from './run-lock.js';

/** What {@link mergeRuns} produced. */
export interface MergeResult {
  manifest: RunManifest;
  /** Episodes written (one per (task, trial)). */
  episodes: number;
  summary: RunSummary;
  warnings: string[];
}

/** Options of {@link mergeRuns}. */
export interface MergeOptions {
  /** The lock of `outDir` when the caller holds it. Default: taken (and released) here. */
  lock?: RunLock;
  /** Where a stale-lock notice goes. Default stderr. */
  log?: (text: string) => void;
}

function fileHashes(m: RunManifest): string {
  return m.metadata.files
    .map((f) => f.sha256)
    .sort()
    .join(',');
}

const selectionKey = (tasks: string | null): string => tasks ?? '(all)';

/**
 * Merges run directories into `outDir`: a new path, an empty folder, or a run of the same data and
 * configuration that holds no episodes or is itself one of `dirs`.
 * @throws ConfigError when the runs differ in an identity setting (other than the task selection),
 *   their data or the tasks of one selection, or when `outDir` holds anything else; RunLockedError
 *   when another process writes `outDir`.
 */
export function mergeRuns(dirs: readonly string[], outDir: string, options: MergeOptions = {}): MergeResult {
  if (dirs.length === 0) throw new ConfigError('merge: give at least one run directory');
  const manifests = dirs.map((d) => readManifest(d));
  const first = manifests[0] as RunManifest;
  const problems: string[] = [];
  const parts = new Map<string, TaskPart & { from: string }>();
  manifests.forEach((m, i) => {
    const dir = dirs[i] as string;
    if (i > 0) {
      for (const d of identityDifferences(first.config, m.config, ['tasks'])) problems.push(`${dir}: ${d}`);
      if (fileHashes(m) !== fileHashes(first)) problems.push(`${dir}: different data, task or policy files (sha256)`);
    }
    for (const part of taskPartsOf(m)) {
      const key = selectionKey(part.tasks);
      const seen = parts.get(key);
      if (seen === undefined) parts.set(key, { ...part, from: dir });
      else if (seen.tasksSha256 !== part.tasksSha256) problems.push(`${dir}: different tasks for selection ${key} than ${seen.from} (tasksSha256)`);
    }
  });
  if (problems.length > 0) {
    throw new ConfigError(`merge: the runs are not of the same data and configuration (compared with ${dirs[0]}):\n  ${problems.join('\n  ')}`);
  }

  const warnings: string[] = [];
  // Shards are complete or not per task selection.
  const groups = new Map<string, RunManifest[]>();
  for (const m of manifests) {
    const key = selectionKey(m.config.tasks);
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  for (const [key, group] of groups) {
    const shards = group.map((m) => m.config.shard);
    const counts = new Set(shards.map((s) => s?.count ?? 0));
    const of = groups.size > 1 ? ` (tasks ${key})` : '';
    if (counts.size === 1 && !counts.has(0)) {
      const count = [...counts][0] as number;
      const have = new Set(shards.map((s) => s?.index));
      const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !have.has(i));
      if (missing.length > 0) warnings.push(`shard(s) ${missing.join(', ')} of ${count}${of} are missing`);
    } else if (counts.size > 1) warnings.push(`the runs${of} were sharded differently; episodes are merged by (task, trial)`);
  }
  for (const d of dirs) {
    const holder = liveRunLock(d);
    if (holder !== null && resolve(d) !== resolve(outDir)) warnings.push(`${d} is being written by ${describeHolder(holder)}: merged the episodes it had recorded so far`);
  }

  const allParts = [...parts.values()].map(({ from: _from, ...p }) => p);
  const tasks = unionTaskSpec(allParts.map((p) => p.tasks));
  const sameSelection = parts.size === 1;
  const taskCount = sameSelection ? first.metadata.taskCount : unionTaskCount(allParts);
  const taskIds = allParts.every((p) => p.taskIds !== undefined) ? [...new Set(allParts.flatMap((p) => p.taskIds as string[]))] : undefined;
  const { taskParts: _parts, taskIds: _ids, ...metadata } = first.metadata;
  const manifest: RunManifest = {
    ...first,
    name: basename(resolve(outDir)),
    config: { ...first.config, tasks, shard: null },
    metadata: {
      ...metadata,
      taskCount,
      plannedEpisodes: taskCount * first.config.trials,
      ...(sameSelection ? {} : { tasksSha256: '', taskParts: allParts }),
      ...(taskIds === undefined ? {} : { taskIds }),
      mergedFrom: dirs.map((d) => resolve(d)),
    },
  };

  const lock = options.lock ?? acquireRunLock(outDir, { command: 'taubp merge', ...(options.log === undefined ? {} : { warn: options.log }) });
  try {
    const stored = checkRunDir(outDir, manifest, 'same-data', 'merge');
    const out = join(outDir, EPISODES_FILE);
    const isInput = dirs.some((d) => resolve(d) === resolve(outDir));
    if (stored !== undefined && !isInput && existsSync(out) && statSync(out).size > 0) {
      throw new ConfigError(`merge: ${outDir} already holds episodes; add it to the runs to merge, or choose a new or empty --out`, { path: outDir });
    }

    const kept = new EpisodeDeduper<{ ref: LineRef; slim: EpisodeLike }>();
    const real = new Map<string, number>();
    dirs.forEach((d) => {
      const stream = new EpisodeStream(join(d, EPISODES_FILE));
      for (const { record, ref } of stream) {
        kept.add(record, { ref, slim: slimEpisode(record) });
        if (record.termination.reason !== 'infrastructure_error') real.set(episodeKey(record), (real.get(episodeKey(record)) ?? 0) + 1);
      }
      if (stream.truncated) warnings.push(`${d}: ignored a partial last line of ${EPISODES_FILE}`);
    });
    const duplicated = [...real.values()].filter((n) => n > 1).length;
    if (duplicated > 0) warnings.push(`${duplicated} (task, trial) pair(s) had results in more than one directory; the last one read was kept`);

    const values = kept.values();
    const written = writeLinesAtomic(out, values.map((v) => v.ref));
    writeFileAtomic(join(outDir, RUN_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const summary = summarizeEpisodes(outDir, manifest, values.map((v) => v.slim), written.lines, written.sha256);
    writeFileAtomic(join(outDir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
    return { manifest, episodes: values.length, summary, warnings };
  } finally {
    if (options.lock === undefined) lock.release();
  }
}
