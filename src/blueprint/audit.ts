/**
 * The audit log of a blueprint run: an append-only list of JSON-serialisable events with
 * sequential `seq` numbers, and the hashing that makes it checkable (request hashes of sub-task
 * calls, a hash of the blueprint's code). No timestamps: two runs with the same answers produce
 * byte-identical logs.
 */
import { stableJson } from '../core/stable-json.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChatRequest } from '../models/types.js';
import type { AnyBlueprint } from './types.js';

/** A JSON value as stored in the log. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Engine settings that shape requests and messages; recorded in `run_started` so replay reuses them. */
export interface RecordedOptions {
  replies: 'template' | 'llm';
  subtaskTemperature: number | null;
  subtaskMaxTokens: number | null;
  replyTemperature: number | null;
  replyMaxTokens: number | null;
  maxNodeVisits: number;
}

/** Event bodies (an event is a body plus `seq`). */
export type AuditEventBody =
  | {
      type: 'run_started';
      blueprint: string;
      version: string;
      /** sha256 of the blueprint's graph and function sources ({@link blueprintHash}). */
      codeHash: string;
      domain: string;
      semantics: string;
      trial: number;
      seed: number;
      maxSteps: number;
      firstUserMessage: string | null;
      options: RecordedOptions;
      /** The initial context. */
      context: JsonValue;
    }
  | { type: 'node_entered'; node: string; kind: string }
  /** A node handed over: `changes` holds the top-level context keys it changed (new values), `removed` those it deleted. */
  | { type: 'node_exited'; node: string; next: string | null; changes: { [key: string]: JsonValue }; removed: string[]; iteration: number | null }
  | { type: 'precondition_failed'; node: string; condition: string; next: string | null }
  | { type: 'postcondition_failed'; node: string; condition: string; attempt: number }
  /** A node's body threw (and was retried or failed the run). */
  | { type: 'node_failed'; node: string; attempt: number; error: string }
  | { type: 'random'; node: string; value: number }
  /** `hash`: sha256 of the normalised request without privileged fields ({@link requestHash}). */
  | { type: 'llm_request'; node: string; role: string; task: string; attempt: number; hash: string; input: JsonValue }
  /** The model's raw reply and, when it is JSON, the parsed value. */
  | { type: 'llm_response'; node: string; attempt: number; text: string | null; answer: JsonValue | null }
  /** A model call failed: timed out (a failed attempt) or threw (`code`: the HarnessError code, if any; ends the run). */
  | { type: 'llm_error'; node: string; attempt: number; error: string; timeout: boolean; code: string | null }
  | { type: 'validation_failed'; node: string; attempt: number; stage: 'parse' | 'schema' | 'check' | 'post'; error: string }
  | { type: 'fallback'; node: string; next: string; error: string }
  /** `args`: the arguments as Python `json.dumps` text (keeps int/float and key order). */
  | { type: 'tool_call'; node: string; tool: string; args: string; observation: string; error: boolean; done: boolean }
  | { type: 'say'; node: string; text: string; worded: boolean }
  | { type: 'user_reply'; node: string; text: string; done: boolean; reason: string | null }
  | { type: 'end'; node: string | null; reason: string }
  | { type: 'error'; node: string | null; error: string; code: string | null };

/** One audit event. */
export type AuditEvent = AuditEventBody & { seq: number };

/** Kind of the session notes carrying audit events (`session.note('blueprint', event)`). */
export const BLUEPRINT_NOTE = 'blueprint';

/**
 * The audit log of a run from a trajectory's notes (entries with `kind: 'blueprint'`, the event
 * in `data`). Throws when their `seq` numbers are not 0, 1, 2, … (a log from several runs or
 * with gaps).
 */
export function auditLogFromNotes(entries: Iterable<{ kind?: unknown; data?: unknown }>): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const entry of entries) {
    if (entry.kind !== BLUEPRINT_NOTE) continue;
    const event = entry.data as AuditEvent;
    if (typeof event !== 'object' || event === null || event.seq !== out.length) {
      throw new TypeError(`blueprint note ${out.length} has seq ${String((event as { seq?: unknown } | null)?.seq)}; expected ${out.length}`);
    }
    out.push(event);
  }
  return out;
}

/** Event types. */
export type AuditEventType = AuditEventBody['type'];

/**
 * A value as JSON: what `JSON.stringify` keeps (PyFloats become numbers, `undefined` becomes
 * null, functions vanish). Values that cannot be serialised (cycles, BigInt) become a marker string.
 */
export function toJsonValue(value: unknown): JsonValue {
  if (value === undefined) return null;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? null : (JSON.parse(text) as JsonValue);
  } catch (e) {
    return `[unserialisable: ${(e as Error).message}]`;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * sha256 hex of a chat request as the engine sent it, without `privileged` (never sent to
 * providers): system, messages, tools, tool choice, sampling parameters, response format, trial.
 */
export function requestHash(request: ChatRequest): string {
  const { privileged: _privileged, ...rest } = request;
  return sha256(stableJson(rest));
}

const codeHashes = new WeakMap<AnyBlueprint, string>();

function describeForHash(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return { fn: value.toString() };
  if (value instanceof z.ZodType) {
    try {
      return { zod: z.toJSONSchema(value, { unrepresentable: 'any' }) };
    } catch {
      return { zod: 'unrepresentable' };
    }
  }
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => describeForHash(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = describeForHash(v, depth + 1);
  return out;
}

/**
 * sha256 hex of a blueprint's definition: ids, approved tools, every node with the source text
 * of its functions and the JSON Schema of its zod schemas. Changes whenever the code does
 * (including formatting of the functions' source). Memoised.
 */
export function blueprintHash(bp: AnyBlueprint): string {
  let h = codeHashes.get(bp);
  if (h === undefined) {
    h = sha256(
      stableJson({
        id: bp.id,
        version: bp.version,
        domain: bp.domain ?? null,
        approvedTools: bp.approvedTools,
        start: bp.start,
        context: describeForHash(bp.context),
        nodes: describeForHash(bp.nodes),
      }),
    );
    codeHashes.set(bp, h);
  }
  return h;
}
