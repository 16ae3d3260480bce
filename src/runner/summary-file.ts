/**
 * `summary.json` on disk: computed by streaming `episodes.jsonl` (runs of any size; only each
 * episode's summary projection is kept), stamped with the size, record count and sha256 of the
 * episodes file and the sha256 of `run.json` it was computed from, and checked against them, so a
 * summary that no longer describes its run (a `--resume` killed before writing it, a file edited
 * by hand) is noticed and rebuilt.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EpisodeLike } from '../metrics/aggregate.js';
import { sha256OfFile } from './jsonl-stream.js';
import { EPISODES_FILE, readManifest, RUN_FILE, slimEpisodes, SUMMARY_FILE, writeFileAtomic, type RunManifest } from './results.js';
import { buildSummary, type RunSummary, type SummarySource } from './summary.js';

/**
 * The summary of run directory `dir` from its `episodes.jsonl` (deduplicated by (task, trial)),
 * read line by line, with its {@link SummarySource} stamp. `manifest` defaults to `run.json`'s.
 */
export function summarizeRun(dir: string, manifest: RunManifest = readManifest(dir)): RunSummary {
  const file = join(dir, EPISODES_FILE);
  const runSha256 = sha256OfFile(join(dir, RUN_FILE));
  const { episodes, stream } = slimEpisodes(file, { hash: true });
  const source: SummarySource = {
    episodesBytes: stream.bytes,
    episodesLines: stream.records,
    episodesSha256: stream.sha256 ?? sha256OfFile(file),
    episodesMtimeMs: existsSync(file) ? statSync(file).mtimeMs : 0,
    runSha256,
  };
  return buildSummary(manifest, episodes, source);
}

/**
 * The summary of run directory `dir` from episodes already read (deduplicated summary
 * projections of its `episodes.jsonl`, which holds `lines` records), stamped by hashing the files
 * without parsing them again (`episodesSha256`: the episodes file's hash when the caller has it).
 */
export function summarizeEpisodes(dir: string, manifest: RunManifest, episodes: readonly EpisodeLike[], lines: number, episodesSha256?: string): RunSummary {
  const file = join(dir, EPISODES_FILE);
  const st = existsSync(file) ? statSync(file) : undefined;
  const source: SummarySource = {
    episodesBytes: st?.size ?? 0,
    episodesLines: lines,
    episodesSha256: episodesSha256 ?? sha256OfFile(file),
    episodesMtimeMs: st?.mtimeMs ?? 0,
    runSha256: sha256OfFile(join(dir, RUN_FILE)),
  };
  return buildSummary(manifest, episodes, source);
}

/** Writes `summary.json` of run directory `dir` atomically. */
export function writeSummary(dir: string, summary: RunSummary): void {
  writeFileAtomic(join(dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
}

/**
 * Why `summary` no longer describes run directory `dir`, or null when it does: `run.json` or
 * `episodes.jsonl` differ from what its stamp recorded (size first; the content hash only when the
 * size is the same and the modification time is not).
 */
export function summaryStaleness(dir: string, summary: RunSummary): string | null {
  const src = summary.source;
  if (src === undefined) return 'it does not record which episodes it was computed from (an older format)';
  if (sha256OfFile(join(dir, RUN_FILE)) !== src.runSha256) return `${RUN_FILE} changed after it was written`;
  const file = join(dir, EPISODES_FILE);
  const st = existsSync(file) ? statSync(file) : undefined;
  const bytes = st?.size ?? 0;
  const described = `it describes ${src.episodesLines} episode record(s) in ${src.episodesBytes} bytes`;
  if (bytes !== src.episodesBytes) return `${EPISODES_FILE} has ${bytes} bytes now, ${described}`;
  if (st === undefined || st.mtimeMs === src.episodesMtimeMs) return null;
  return sha256OfFile(file) === src.episodesSha256 ? null : `${EPISODES_FILE} changed after it was written (same size, different content; ${described})`;
}
