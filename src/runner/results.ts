/**
 * The run directory: `run.json` (config and metadata), `episodes.jsonl` (one finished episode per
 * line, appended as each finishes), `summary.json` (rewritten at the end). Appends are one
 * `appendFileSync` call per line (then an fsync), so a crash loses at most the line being written;
 * reading tolerates a truncated last line.
 */
import { appendFileSync, closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataError } from '../core/errors.js';
import type { RunConfig } from './config.js';
import type { RunMetadata } from './metadata.js';
import { EPISODE_RECORD_VERSION, episodeKey, type EpisodeRecord } from './record.js';

export const RUN_FILE = 'run.json';
export const EPISODES_FILE = 'episodes.jsonl';
export const SUMMARY_FILE = 'summary.json';

/** Contents of `run.json`. */
export interface RunManifest {
  format: 'taubp-run';
  version: 1;
  /** Directory name of the run. */
  name: string;
  config: RunConfig;
  metadata: RunMetadata;
}

/** Writes a file atomically (temporary file, fsync, rename). */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Reads `run.json` of a run directory. */
export function readManifest(dir: string): RunManifest {
  const file = join(dir, RUN_FILE);
  if (!existsSync(file)) throw new DataError(`${dir} is not a run directory (no ${RUN_FILE})`, { code: 'data_not_found', path: file });
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(`${file}: not valid JSON (${(e as Error).message})`, { path: file });
  }
  const m = value as Partial<RunManifest>;
  if (m.format !== 'taubp-run' || m.config === undefined || m.metadata === undefined) {
    throw new DataError(`${file}: not a taubp run manifest`, { path: file });
  }
  return m as RunManifest;
}

/** What {@link readEpisodes} found. */
export interface EpisodesFile {
  records: EpisodeRecord[];
  /** The file ended in a partial line (a write cut short), which was ignored. */
  truncated: boolean;
  /** The file needs rewriting before appending (partial last line, missing final newline). */
  dirty: boolean;
}

function checkRecord(value: unknown, where: string): EpisodeRecord {
  const r = value as Partial<EpisodeRecord>;
  if (typeof value !== 'object' || value === null || r.v !== EPISODE_RECORD_VERSION || typeof r.taskId !== 'string' || typeof r.trial !== 'number') {
    throw new DataError(`${where}: not an episode record (version ${EPISODE_RECORD_VERSION})`, { path: where });
  }
  return r as EpisodeRecord;
}

/**
 * Reads `episodes.jsonl`. A last line that is not valid JSON (cut short by a crash) is ignored;
 * an invalid line anywhere else is an error naming it. A missing file reads as empty.
 */
export function readEpisodes(file: string): EpisodesFile {
  if (!existsSync(file)) return { records: [], truncated: false, dirty: false };
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const endsClean = text === '' || text.endsWith('\n');
  if (endsClean) lines.pop();
  const records: EpisodeRecord[] = [];
  let truncated = false;
  lines.forEach((line, i) => {
    const last = i === lines.length - 1;
    if (line.trim() === '' && !last) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      if (last && !endsClean) {
        truncated = true;
        return;
      }
      throw new DataError(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`, { path: `${file}:${i + 1}` });
    }
    records.push(checkRecord(value, `${file}:${i + 1}`));
  });
  return { records, truncated, dirty: !endsClean };
}

/**
 * Keeps one record per (task, trial): the last one that is not an infrastructure error, or
 * else the last one. Returns them in first-seen order.
 */
export function dedupeEpisodes(records: readonly EpisodeRecord[]): EpisodeRecord[] {
  const byKey = new Map<string, EpisodeRecord>();
  for (const r of records) {
    const key = episodeKey(r);
    const prev = byKey.get(key);
    if (prev === undefined || r.termination.reason !== 'infrastructure_error' || prev.termination.reason === 'infrastructure_error') {
      if (prev !== undefined) byKey.delete(key);
      byKey.set(key, r);
    }
  }
  return [...byKey.values()];
}

/** Serialises one record as its JSONL line (with the newline). */
export function episodeLine(record: EpisodeRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/**
 * Appends finished episodes to `episodes.jsonl`. Each record is one line written by a single
 * `appendFileSync` call, so once `append` returns the line is in the file (a killed process
 * cannot lose or tear it); an fsync then follows in the background (for power loss), without
 * blocking the event loop that runs the other episodes. `close()` waits for pending fsyncs.
 */
export class EpisodeWriter {
  readonly file: string;
  #fd: number | undefined;
  #pending = 0;
  #syncError: Error | undefined;
  #drained: Array<() => void> = [];

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.file = file;
    this.#fd = openSync(file, 'a');
  }

  /** Appends one record in a single write; schedules an fsync. */
  append(record: EpisodeRecord): void {
    const fd = this.#fd;
    if (fd === undefined) throw new Error(`episode writer for ${this.file} is closed`);
    appendFileSync(fd, episodeLine(record));
    this.#pending++;
    fsync(fd, (err) => {
      if (err !== null) this.#syncError ??= err;
      if (--this.#pending === 0) for (const resolve of this.#drained.splice(0)) resolve();
    });
  }

  /** Waits for pending fsyncs, then closes the file. Throws if an fsync failed. */
  async close(): Promise<void> {
    if (this.#pending > 0) await new Promise<void>((resolve) => this.#drained.push(resolve));
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    if (this.#syncError !== undefined) throw new Error(`fsync of ${this.file} failed: ${this.#syncError.message}`);
  }
}

/**
 * Prepares `episodes.jsonl` for resuming: drops a partial last line, duplicate (task, trial)
 * records and infrastructure errors (they are run again), rewriting the file atomically when
 * anything changed. Returns the records kept.
 */
export function prepareForResume(file: string): { kept: EpisodeRecord[]; droppedInfra: number; truncated: boolean } {
  const { records, truncated, dirty } = readEpisodes(file);
  const unique = dedupeEpisodes(records);
  const kept = unique.filter((r) => r.termination.reason !== 'infrastructure_error');
  if (dirty || kept.length !== records.length) writeFileAtomic(file, kept.map(episodeLine).join(''));
  return { kept, droppedInfra: unique.length - kept.length, truncated };
}
