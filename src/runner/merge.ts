/**
 * `taubp merge`: joins the run directories of shards (or of partial runs of the same config) into
 * one directory. Configs must agree on every identity setting and the data and task hashes must
 * match; records are deduplicated by (task, trial), preferring a real result to an
 * infrastructure error.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { buildSummary, type RunSummary } from '../report/summary.js';
import { identityDifferences } from './config.js';
import { episodeKey, type EpisodeRecord } from './record.js';
import { dedupeEpisodes, episodeLine, EPISODES_FILE, readEpisodes, readManifest, RUN_FILE, SUMMARY_FILE, writeFileAtomic, type RunManifest } from './results.js';

/** What {@link mergeRuns} produced. */
export interface MergeResult {
  manifest: RunManifest;
  records: EpisodeRecord[];
  summary: RunSummary;
  warnings: string[];
}

function fileHashes(m: RunManifest): string {
  return m.metadata.files
    .map((f) => f.sha256)
    .sort()
    .join(',');
}

/**
 * Merges run directories into `outDir` (created; must not already hold episodes).
 * @throws ConfigError when the runs differ in an identity setting, their data or their tasks.
 */
export function mergeRuns(dirs: readonly string[], outDir: string): MergeResult {
  if (dirs.length === 0) throw new ConfigError('merge: give at least one run directory');
  const out = join(outDir, EPISODES_FILE);
  if (existsSync(out) && statSync(out).size > 0) throw new ConfigError(`merge: ${outDir} already holds episodes; choose an empty --out`, { path: outDir });
  const manifests = dirs.map((d) => readManifest(d));
  const first = manifests[0] as RunManifest;
  const problems: string[] = [];
  manifests.slice(1).forEach((m, i) => {
    const dir = dirs[i + 1] as string;
    for (const d of identityDifferences(first.config, m.config)) problems.push(`${dir}: ${d}`);
    if (m.metadata.tasksSha256 !== first.metadata.tasksSha256) problems.push(`${dir}: different tasks (tasksSha256)`);
    if (fileHashes(m) !== fileHashes(first)) problems.push(`${dir}: different data, task or policy files (sha256)`);
  });
  if (problems.length > 0) {
    throw new ConfigError(`merge: the runs are not of the same configuration (compared with ${dirs[0]}):\n  ${problems.join('\n  ')}`);
  }

  const warnings: string[] = [];
  const shards = manifests.map((m) => m.config.shard);
  const counts = new Set(shards.map((s) => s?.count ?? 0));
  if (counts.size === 1 && !counts.has(0)) {
    const count = [...counts][0] as number;
    const have = new Set(shards.map((s) => s?.index));
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !have.has(i));
    if (missing.length > 0) warnings.push(`shard(s) ${missing.join(', ')} of ${count} are missing`);
  } else if (counts.size > 1) warnings.push('the runs were sharded differently; episodes are merged by (task, trial)');

  const all: EpisodeRecord[] = [];
  dirs.forEach((d) => all.push(...readEpisodes(join(d, EPISODES_FILE)).records));
  const records = dedupeEpisodes(all);
  const real = new Map<string, number>();
  for (const r of all) if (r.termination.reason !== 'infrastructure_error') real.set(episodeKey(r), (real.get(episodeKey(r)) ?? 0) + 1);
  const duplicated = [...real.values()].filter((n) => n > 1).length;
  if (duplicated > 0) warnings.push(`${duplicated} (task, trial) pair(s) had results in more than one directory; the last one read was kept`);

  const manifest: RunManifest = {
    ...first,
    name: basename(resolve(outDir)),
    config: { ...first.config, shard: null },
    metadata: { ...first.metadata, plannedEpisodes: first.metadata.taskCount * first.config.trials, mergedFrom: dirs.map((d) => resolve(d)) },
  };
  writeFileAtomic(join(outDir, RUN_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileAtomic(out, records.map(episodeLine).join(''));
  const summary = buildSummary(manifest, records);
  writeFileAtomic(join(outDir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  return { manifest, records, summary, warnings };
}
