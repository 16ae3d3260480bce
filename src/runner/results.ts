/**
 * The run directory: `run.json` (config and metadata), `episodes.jsonl` (one finished episode per
 * line, appended as each finishes), `summary.json` (rewritten at the end). Appends are one
 * `appendFileSync` call per line (then an fsync), so a crash loses at most the line being written;
 * reading streams the file line by line (any size) and tolerates a truncated last line.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataError } from '../core/errors.js';
import { slimEpisode, type EpisodeLike } from '../metrics/aggregate.js';
import { readLines, writeLinesAtomic, type LineRef } from './jsonl-stream.js';
import type { RunConfig } from './config.js';
import type { RunMetadata } from './metadata.js';
import { EPISODE_RECORD_VERSION, episodeKey, type EpisodeRecord } from '../contract/record.js';

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

/** One record of `episodes.jsonl` with where it is. */
export interface EpisodeLine {
  record: EpisodeRecord;
  /** 1-based line number. */
  line: number;
  /** The line's byte range in the file (with its newline), to copy it with `writeLinesAtomic`. */
  ref: LineRef;
}

/** Options of {@link EpisodeStream}. */
export interface EpisodeStreamOptions {
  /** Compute the sha256 of the file's bytes while reading ({@link EpisodeStream.sha256}). Default false. */
  hash?: boolean;
  /** Bytes read at a time. Default 1 MiB. */
  chunkBytes?: number;
}

/**
 * `episodes.jsonl` read line by line: iterate it for the records in file order (one line in
 * memory at a time, so files of any size can be read), then look at what the reading found. A last
 * line that is not valid JSON (cut short by a crash) is skipped and sets `truncated`; an invalid
 * line anywhere else is a DataError naming it. A missing file reads as empty. Each iteration
 * reads the file again.
 */
export class EpisodeStream implements Iterable<EpisodeLine> {
  readonly file: string;
  readonly #options: EpisodeStreamOptions;
  /** The file ended in a partial line, which was skipped. */
  truncated = false;
  /** The file needs rewriting before appending (partial last line, missing final newline). */
  dirty = false;
  /** Records read. */
  records = 0;
  /** Bytes read (the file's size). */
  bytes = 0;
  /** sha256 (hex) of the bytes read, with `hash: true`; else null. */
  sha256: string | null = null;

  constructor(file: string, options: EpisodeStreamOptions = {}) {
    this.file = file;
    this.#options = options;
  }

  *[Symbol.iterator](): Iterator<EpisodeLine> {
    this.truncated = false;
    this.dirty = false;
    this.records = 0;
    this.bytes = 0;
    this.sha256 = null;
    if (!existsSync(this.file)) return;
    const hash = this.#options.hash === true ? createHash('sha256') : undefined;
    const lines = readLines(this.file, {
      ...(this.#options.chunkBytes === undefined ? {} : { chunkBytes: this.#options.chunkBytes }),
      onChunk: (chunk) => {
        this.bytes += chunk.length;
        hash?.update(chunk);
      },
    });
    for (const line of lines) {
      const where = `${this.file}:${line.number}`;
      if (line.text.trim() === '' && line.complete) continue;
      let value: unknown;
      try {
        value = JSON.parse(line.text);
      } catch (e) {
        if (!line.complete) {
          this.truncated = true;
          this.dirty = true;
          continue;
        }
        throw new DataError(`${where}: not valid JSON (${(e as Error).message})`, { path: where });
      }
      if (!line.complete) this.dirty = true;
      const record = checkRecord(value, where);
      this.records++;
      yield { record, line: line.number, ref: { file: this.file, offset: line.offset, bytes: line.bytes } };
    }
    if (hash !== undefined) this.sha256 = hash.digest('hex');
  }
}

/**
 * Reads every record of `episodes.jsonl` into memory (for tests and small tools; the harness itself
 * streams with {@link EpisodeStream}). A partial last line is ignored, as there.
 */
export function readEpisodes(file: string): EpisodesFile {
  const stream = new EpisodeStream(file);
  const records: EpisodeRecord[] = [];
  for (const { record } of stream) records.push(record);
  return { records, truncated: stream.truncated, dirty: stream.dirty };
}

/**
 * One value per (task, trial) from a stream of episodes: the last one that is not an
 * infrastructure error, or else the last one; values in the file position of the one kept.
 * Holds only the values given (e.g. line positions or slim projections), never the records.
 */
export class EpisodeDeduper<T> {
  readonly #byKey = new Map<string, { value: T; infra: boolean }>();

  /** Offers the value of episode `e`. */
  add(e: { taskId: string; trial: number; termination: { reason: string } }, value: T): void {
    const key = episodeKey(e);
    const infra = e.termination.reason === 'infrastructure_error';
    const prev = this.#byKey.get(key);
    if (prev === undefined || !infra || prev.infra) {
      if (prev !== undefined) this.#byKey.delete(key);
      this.#byKey.set(key, { value, infra });
    }
  }

  /** (task, trial) pairs seen. */
  get size(): number {
    return this.#byKey.size;
  }

  /** The values kept, in order. */
  values(): T[] {
    return [...this.#byKey.values()].map((v) => v.value);
  }

  /** The values kept that are not infrastructure errors, in order. */
  results(): T[] {
    return [...this.#byKey.values()].filter((v) => !v.infra).map((v) => v.value);
  }
}

/**
 * Keeps one record per (task, trial): the last one that is not an infrastructure error, or
 * else the last one. Returns them in first-seen order.
 */
export function dedupeEpisodes<T extends { taskId: string; trial: number; termination: { reason: string } }>(records: Iterable<T>): T[] {
  const d = new EpisodeDeduper<T>();
  for (const r of records) d.add(r, r);
  return d.values();
}

/**
 * The summary-relevant projections of a run's episodes, deduplicated, read by streaming
 * `episodes.jsonl` (the records themselves are dropped line by line).
 */
export function slimEpisodes(file: string, options: EpisodeStreamOptions = {}): { episodes: EpisodeLike[]; stream: EpisodeStream } {
  const stream = new EpisodeStream(file, options);
  const d = new EpisodeDeduper<EpisodeLike>();
  for (const { record } of stream) d.add(record, slimEpisode(record));
  return { episodes: d.values(), stream };
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

/** What {@link prepareForResume} did. */
export interface ResumeState {
  /** The episodes kept (summary projections), in file order. */
  kept: EpisodeLike[];
  /** Infrastructure-error episodes dropped (they are run again). */
  droppedInfra: number;
  /** Duplicate (task, trial) lines dropped. */
  droppedDuplicates: number;
  /** A partial last line was dropped. */
  truncated: boolean;
  /** The file was rewritten. */
  rewritten: boolean;
}

/**
 * Prepares `episodes.jsonl` for resuming: drops a partial last line, duplicate (task, trial)
 * records and infrastructure errors (they are run again), rewriting the file atomically (streamed,
 * line by line) when anything changed. The caller holds the run lock, so no other writer appends
 * meanwhile. Returns what was kept.
 */
export function prepareForResume(file: string): ResumeState {
  const stream = new EpisodeStream(file);
  const d = new EpisodeDeduper<{ ref: LineRef; slim: EpisodeLike }>();
  for (const { record, ref } of stream) d.add(record, { ref, slim: slimEpisode(record) });
  const kept = d.results();
  const droppedInfra = d.size - kept.length;
  const rewritten = stream.dirty || kept.length !== stream.records;
  if (rewritten) writeLinesAtomic(file, kept.map((k) => k.ref));
  return { kept: kept.map((k) => k.slim), droppedInfra, droppedDuplicates: stream.records - d.size, truncated: stream.truncated, rewritten };
}
