/**
 * Exact replay of a recorded run (`taubp replay`): which recorded episodes can be replayed, the
 * {@link ReplayBook} of their recorded responses, and the byte-for-byte comparison of a replayed
 * episode with its record, reported as the first differing step.
 *
 * Compared: everything in the record except timing and the fields that depend on faults, the
 * cache or prices, which may differ between two runs of the same episode: `startedAt`,
 * `endedAt`, `durationMs`, trajectory `at`, and per call `latencyMs`, `startedAt`, `costUsd`,
 * `retries`, `retryWaitMs`, `cached`, `requestId`. Usage (tokens) is compared.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { DataError, type ProviderErrorCode } from '../core/errors.js';
import { ReplayBook, type ReplayDivergence, type ReplayEpisode } from '../models/replay-model.js';
import type { CallRecord } from '../models/types.js';
import type { LineRef } from './jsonl-stream.js';
import { episodeKey, type EpisodeRecord, type TrajectoryEvent } from '../contract/record.js';
import { EpisodeDeduper, EpisodeStream } from './results.js';

/** Top-level record fields that may differ between a run and its replay. */
export const VOLATILE_EPISODE_FIELDS: readonly string[] = ['startedAt', 'endedAt', 'durationMs'];

/** Call-record fields that may differ between a run and its replay (timing, retries after faults, cache hits, prices). */
export const VOLATILE_CALL_FIELDS: readonly string[] = ['latencyMs', 'startedAt', 'costUsd', 'retries', 'retryWaitMs', 'cached', 'requestId'];

const PROVIDER_CODES: ReadonlySet<string> = new Set<ProviderErrorCode>(['provider_error', 'provider_auth', 'provider_rejected', 'cache_miss']);

function without(value: object, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!fields.includes(k)) out[k] = v;
  return out;
}

function comparableEvent(event: TrajectoryEvent): Record<string, unknown> {
  return without(event, ['at']);
}

function comparableCall(call: CallRecord): Record<string, unknown> {
  return without(call, VOLATILE_CALL_FIELDS);
}

/** A record without the fields that may differ between a run and its replay (see the module comment). */
export function comparableEpisode(record: EpisodeRecord): Record<string, unknown> {
  const out = without(record, VOLATILE_EPISODE_FIELDS);
  if (Array.isArray(record.trajectory)) out['trajectory'] = record.trajectory.map(comparableEvent);
  if (Array.isArray(record.calls)) out['calls'] = record.calls.map(comparableCall);
  return out;
}

/** Why an episode cannot be replayed, or undefined when it can (every call has its response). */
export function unreplayableReason(record: EpisodeRecord): string | undefined {
  const missing = record.calls.filter((c) => c.response === undefined).length;
  if (missing === 0) return undefined;
  return `${missing} of its ${record.calls.length} model call(s) were recorded without their response (recorded by a harness version before exact replay)`;
}

/**
 * The model failure a recorded episode ended on, if any: an infrastructure error, or a
 * provider error that ended it as an agent- or user-side failure (`provider_rejected`). The
 * replay fails the first call beyond the recorded ones the same way.
 */
export function recordedFailure(record: EpisodeRecord): { message: string; code?: string } | undefined {
  const t = record.termination;
  const fromProvider = t.reason === 'infrastructure_error' || (t.code !== undefined && PROVIDER_CODES.has(t.code));
  if (!fromProvider) return undefined;
  return { message: t.message ?? '', ...(t.code === undefined ? {} : { code: t.code }) };
}

/** What replay needs of a record: its calls and the model failure it ended on. */
export function replayEpisodeOf(r: EpisodeRecord): ReplayEpisode {
  const failure = recordedFailure(r);
  return { taskId: r.taskId, trial: r.trial, calls: r.calls, ...(failure === undefined ? {} : { failure }) };
}

/** The replay book of recorded episodes held in memory (see {@link ReplayBook}). */
export function replayBookOf(records: Iterable<EpisodeRecord>): ReplayBook {
  return new ReplayBook([...records].map(replayEpisodeOf));
}

/** A recorded episode as found by {@link scanRecordedEpisodes}: where it is, and what replay checks first. */
export interface RecordedEpisodeRef {
  taskId: string;
  trial: number;
  /** 1-based line in `episodes.jsonl`. */
  line: number;
  ref: LineRef;
  /** Why it cannot be replayed ({@link unreplayableReason}), if it cannot. */
  unreplayable?: string;
  /** Its calls' cost; null when a call was unpriced. */
  costUsd: number | null;
}

/**
 * Reads a run's `episodes.jsonl` line by line (one record in memory at a time) and returns the
 * kept episode of each (task, trial) (as `--resume` and the summary keep them) with its position.
 */
export function scanRecordedEpisodes(file: string): { episodes: RecordedEpisodeRef[]; truncated: boolean } {
  const stream = new EpisodeStream(file);
  const kept = new EpisodeDeduper<RecordedEpisodeRef>();
  for (const { record, line, ref } of stream) {
    const why = unreplayableReason(record);
    kept.add(record, { taskId: record.taskId, trial: record.trial, line, ref, costUsd: recordedCost([record]), ...(why === undefined ? {} : { unreplayable: why }) });
  }
  return { episodes: kept.values(), truncated: stream.truncated };
}

/** Reads the record on one line of `episodes.jsonl`. */
export function readEpisodeAt(ref: LineRef): EpisodeRecord {
  const buffer = Buffer.allocUnsafe(ref.bytes);
  const fd = openSync(ref.file, 'r');
  try {
    let read = 0;
    while (read < ref.bytes) {
      const n = readSync(fd, buffer, read, ref.bytes - read, ref.offset + read);
      if (n === 0) throw new DataError(`${ref.file}: ended before byte ${ref.offset + ref.bytes} (changed during the replay?)`, { path: ref.file });
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  return JSON.parse(buffer.toString('utf8')) as EpisodeRecord;
}

/** A book that loads each recorded episode from its line when its first call comes. */
export function lazyReplayBook(episodes: readonly RecordedEpisodeRef[]): ReplayBook {
  const byKey = new Map(episodes.map((e) => [`${e.taskId}#${e.trial}`, e]));
  return new ReplayBook([], {
    load: (taskId, trial) => {
      const e = byKey.get(`${taskId}#${trial}`);
      return e === undefined ? undefined : replayEpisodeOf(readEpisodeAt(e.ref));
    },
  });
}

/** How a replayed episode differs from its record. */
export interface EpisodeDifference {
  taskId: string;
  trial: number;
  /** One line: `task 12 trial 0: step 7 (tool call): recorded … ≠ replayed …`. */
  summary: string;
  /** Further lines: divergent model calls, other differing fields. */
  details: string[];
}

/** The first place two JSON values differ: a path like `data.codeHash` or `[3].usage.output`. */
export function firstJsonDifference(a: unknown, b: unknown, path = ''): { path: string; recorded: unknown; replayed: unknown } | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstJsonDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
  } else if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstJsonDifference(a[k], b[k], path === '' ? k : `${path}.${k}`);
      if (d !== undefined) return d;
    }
    // Same keys and values in another order.
    return { path: path === '' ? '(key order)' : `${path} (key order)`, recorded: Object.keys(a), replayed: Object.keys(b) };
  }
  return { path: path === '' ? '(value)' : path, recorded: a, replayed: b };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MAX_SHOWN = 160;

/** A value shortened for one line of a report. */
function shown(value: unknown): string {
  const text = value === undefined ? '(absent)' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  const flat = (text ?? String(value)).replace(/\s+/g, ' ');
  return flat.length > MAX_SHOWN ? `${flat.slice(0, MAX_SHOWN)}…` : flat;
}

function flatText(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SHOWN ? `${flat.slice(0, MAX_SHOWN)}…` : flat;
}

/** What kind of step a trajectory event is: `tool call`, `agent message`, `user message`, `note <kind>`. */
export function stepLabel(event: TrajectoryEvent): string {
  if (event.type === 'tool') return 'tool call';
  if (event.type === 'message') return `${event.from} message`;
  return `note ${event.kind}`;
}

function describeEvent(event: TrajectoryEvent): string {
  if (event.type === 'tool') return `${event.name} ${flatText(event.arguments)}`;
  if (event.type === 'message') return `"${flatText(event.text)}"`;
  return `${event.kind} ${shown(event.data)}`;
}

function endOf(record: EpisodeRecord): string {
  const t = record.termination;
  return `(nothing: the episode ended, ${t.reason}${t.message === undefined ? '' : `: ${flatText(t.message)}`})`;
}

/**
 * The first differing trajectory step as text, or undefined when the trajectories are equal.
 * With `conversationOnly`, notes are left out on both sides (messages and tool calls compared in
 * order); the step number is still the event's position in the recorded trajectory.
 */
function stepDifference(recorded: EpisodeRecord, replayed: EpisodeRecord, conversationOnly: boolean): string | undefined {
  const pick = (events: readonly TrajectoryEvent[]): Array<{ event: TrajectoryEvent; at: number }> =>
    events.map((event, at) => ({ event, at })).filter((e) => !conversationOnly || e.event.type !== 'note');
  const a = pick(recorded.trajectory);
  const b = pick(replayed.trajectory);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]?.event;
    const y = b[i]?.event;
    if (x !== undefined && y !== undefined && JSON.stringify(comparableEvent(x)) === JSON.stringify(comparableEvent(y))) continue;
    const step = (a[i]?.at ?? b[i]?.at ?? i) + 1;
    const label = stepLabel((x ?? y) as TrajectoryEvent);
    if (x === undefined) return `step ${step} (${label}): recorded ${endOf(recorded)} ≠ replayed ${describeEvent(y as TrajectoryEvent)}`;
    if (y === undefined) return `step ${step} (${label}): recorded ${describeEvent(x)} ≠ replayed ${endOf(replayed)}`;
    if (stepLabel(x) !== stepLabel(y)) return `step ${step}: recorded ${stepLabel(x)} ${describeEvent(x)} ≠ replayed ${stepLabel(y)} ${describeEvent(y)}`;
    if (x.type === 'tool' && y.type === 'tool' && x.name === y.name && x.arguments === y.arguments) {
      const d = firstJsonDifference(comparableEvent(x), comparableEvent(y));
      return `step ${step} (${label}) ${x.name} ${flatText(x.arguments)}: ${d?.path ?? 'observation'} recorded ${shown(d?.recorded)} ≠ replayed ${shown(d?.replayed)}`;
    }
    if (x.type === 'note' && y.type === 'note') {
      const d = firstJsonDifference(x.data, y.data, 'data');
      return `step ${step} (${label}): ${d?.path ?? 'data'} recorded ${shown(d?.recorded)} ≠ replayed ${shown(d?.replayed)}`;
    }
    return `step ${step} (${label}): recorded ${describeEvent(x)} ≠ replayed ${describeEvent(y)}`;
  }
  return undefined;
}

function describeDivergence(d: ReplayDivergence): string {
  return d.message.replace(/^replay: /, 'model call diverged: ');
}

/**
 * Compares a replayed episode with its record (see the module comment for what is compared).
 * Undefined when they are identical; otherwise the first differing step (or field) and details.
 */
export function compareEpisode(recorded: EpisodeRecord, replayed: EpisodeRecord | undefined, divergences: readonly ReplayDivergence[] = []): EpisodeDifference | undefined {
  const who = `task ${recorded.taskId} trial ${recorded.trial}`;
  if (replayed === undefined) return { taskId: recorded.taskId, trial: recorded.trial, summary: `${who}: not replayed (no episode was written for it)`, details: divergences.map(describeDivergence) };
  const a = comparableEpisode(recorded);
  const b = comparableEpisode(replayed);
  if (JSON.stringify(a) === JSON.stringify(b) && divergences.length === 0) return undefined;

  const details: string[] = divergences.map(describeDivergence);
  const step = stepDifference(recorded, replayed, false);
  let notesOnly = false;
  if (step !== undefined && /^step \d+ \(note /.test(step)) {
    // A note (e.g. a blueprint's code hash) differs first: also show where the conversation does.
    const conversation = stepDifference(recorded, replayed, true);
    if (conversation !== undefined) details.push(`first differing conversation step: ${conversation}`);
    else notesOnly = true;
  }
  const fields: string[] = [];
  const t1 = JSON.stringify(a['termination']);
  const t2 = JSON.stringify(b['termination']);
  if (t1 !== t2) fields.push(`termination: recorded ${t1} ≠ replayed ${t2}`);
  if (JSON.stringify(a['reward']) !== JSON.stringify(b['reward'])) fields.push(`reward: recorded ${shown(a['reward'])} ≠ replayed ${shown(b['reward'])}`);
  const calls = firstJsonDifference(a['calls'], b['calls'], 'calls');
  if (calls !== undefined) fields.push(`${calls.path}: recorded ${shown(calls.recorded)} ≠ replayed ${shown(calls.replayed)}`);
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    if (['trajectory', 'calls', 'termination', 'reward'].includes(key)) continue;
    const d = firstJsonDifference(a[key], b[key], key);
    if (d !== undefined) fields.push(`${d.path}: recorded ${shown(d.recorded)} ≠ replayed ${shown(d.replayed)}`);
  }
  if (fields.length === 0 && step === undefined && JSON.stringify(a) !== JSON.stringify(b)) {
    const d = firstJsonDifference(a, b);
    fields.push(`${d?.path ?? '(record)'}: recorded ${shown(d?.recorded)} ≠ replayed ${shown(d?.replayed)}`);
  }
  if (notesOnly && fields.length === 0 && divergences.length === 0) details.push('only notes differ: the conversation, reward, termination and usage are the same');
  const first = step ?? fields.shift() ?? (divergences[0] === undefined ? 'differs' : describeDivergence(divergences[0]));
  if (step === undefined && divergences.length > 0 && first === describeDivergence(divergences[0] as ReplayDivergence)) details.shift();
  return { taskId: recorded.taskId, trial: recorded.trial, summary: `${who}: ${first}`, details: [...details, ...fields] };
}

/** Sum of the recorded calls' cost; null when any call was unpriced. */
export function recordedCost(records: Iterable<EpisodeRecord>): number | null {
  let total = 0;
  for (const r of records) {
    for (const c of r.calls) {
      if (c.costUsd === null) return null;
      total += c.costUsd;
    }
  }
  return total;
}

/** The result of comparing a replay with its record. */
export interface ReplayComparison {
  /** Episodes compared (the recorded ones). */
  episodes: number;
  identical: number;
  differences: EpisodeDifference[];
}

/**
 * Compares every recorded episode with its replay, streaming the replayed run's
 * `episodes.jsonl` and reading each record from its line (one pair in memory at a time).
 * Differences come in recorded order.
 */
export function compareReplayFiles(recorded: readonly RecordedEpisodeRef[], replayedFile: string, book: ReplayBook): ReplayComparison {
  const byKey = new Map(recorded.map((e) => [`${e.taskId}#${e.trial}`, e]));
  const seen = new Set<string>();
  const found: Array<{ line: number; difference: EpisodeDifference }> = [];
  for (const { record } of new EpisodeStream(replayedFile)) {
    const key = episodeKey(record);
    const original = byKey.get(key);
    if (original === undefined || seen.has(key)) continue;
    seen.add(key);
    const d = compareEpisode(readEpisodeAt(original.ref), record, book.divergencesOf(record.taskId, record.trial));
    if (d !== undefined) found.push({ line: original.line, difference: d });
  }
  for (const e of recorded) {
    if (seen.has(`${e.taskId}#${e.trial}`)) continue;
    const d = compareEpisode(readEpisodeAt(e.ref), undefined, book.divergencesOf(e.taskId, e.trial));
    if (d !== undefined) found.push({ line: e.line, difference: d });
  }
  found.sort((a, b) => a.line - b.line);
  const differences = found.map((f) => f.difference);
  return { episodes: recorded.length, identical: recorded.length - differences.length, differences };
}
