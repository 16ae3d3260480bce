/** Usage attribution: a wrapper that records a {@link CallRecord} for every successful call. */
import { createHash } from 'node:crypto';
import { stableJson } from '../core/stable-json.js';
import { normalizeRequest } from './request-hash.js';
import type { CallRecord, CallRole, ChatModel, ChatRequest, ChatResponse, RecordedResponse } from './types.js';

/** Where call records go: an array (pushed to) or a callback. */
export type CallSink = CallRecord[] | ((record: CallRecord) => void);

/** A model whose calls are attributed to a role. */
export interface RoleTaggedModel extends ChatModel {
  readonly role: CallRole;
  /** The wrapped model. */
  readonly inner: ChatModel;
}

/** Hex digits kept of a request hash in call records (64 bits: plenty to tell requests apart). */
export const REQUEST_HASH_LENGTH = 16;

/**
 * Short hash of a request's content as a provider would see it: the normalised request
 * (`normalizeRequest`: system, messages, tools, tool choice, sampling parameters, response
 * format, trial) without endpoint identity and without `privileged`. Equal requests hash equally
 * whichever model or endpoint they go to; `taubp replay` compares it with the recorded one. The
 * tools' part is digested once per tools array (tool lists are not changed after they are sent).
 */
export function requestHashOf(request: ChatRequest): string {
  const { provider: _p, model: _m, baseUrl: _b, tools, ...content } = normalizeRequest({ provider: '', model: '' }, request);
  return createHash('sha256')
    .update(stableJson(content))
    .update('\n')
    .update(toolsDigest(request.tools, tools))
    .digest('hex')
    .slice(0, REQUEST_HASH_LENGTH);
}

/** Digests of tool lists by array (agents send the same `session.tools` array with every call; its schemas are most of a request's size). */
const toolDigests = new WeakMap<readonly object[], string>();

function toolsDigest(original: ChatRequest['tools'], normalized: unknown[]): string {
  if (original === undefined) return createHash('sha256').update(stableJson(normalized)).digest('hex');
  let digest = toolDigests.get(original);
  if (digest === undefined) toolDigests.set(original, (digest = createHash('sha256').update(stableJson(normalized)).digest('hex')));
  return digest;
}

/** The replayable part of a response: text, tool calls (raw arguments, parse error) and finish reason. */
export function recordedResponseOf(response: ChatResponse): RecordedResponse {
  return {
    text: response.text,
    ...(response.toolCalls.length === 0
      ? {}
      : {
          toolCalls: response.toolCalls.map((c) => ({
            id: c.id,
            name: c.name,
            arguments: c.rawArguments,
            ...(c.parseError === undefined ? {} : { parseError: c.parseError }),
          })),
        }),
    finishReason: response.finishReason,
  };
}

/** Replay data of one call: its per-role position, the request hash and the response. */
export interface CallReplayData {
  seq: number;
  requestHash: string;
  response: RecordedResponse;
}

/** Builds the record of one call; with `replay`, the record also carries what replaying it needs. */
export function callRecord(role: CallRole, response: ChatResponse, startedAt: number, replay?: CallReplayData): CallRecord {
  return {
    role,
    model: response.model,
    usage: response.usage,
    latencyMs: response.latencyMs,
    costUsd: response.costUsd,
    retries: response.retries,
    retryWaitMs: response.retryWaitMs,
    cached: response.cached === true,
    startedAt,
    ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
    ...(replay === undefined ? {} : { seq: replay.seq, requestHash: replay.requestHash, response: replay.response }),
  };
}

/** Options of {@link withRole}. */
export interface WithRoleOptions {
  /**
   * Record each call's response, request hash and per-role position (`seq`, in start order), so
   * that the episode can be replayed exactly (`taubp replay`). Default false.
   */
  replayable?: boolean;
}

/**
 * Wraps `model` so every successful call appends a {@link CallRecord} for `role` to `sink`.
 * Failed calls are not recorded (they have no usage); the error propagates unchanged.
 *
 * @param now Epoch-ms clock for `startedAt`. Default `Date.now`.
 * @example const agent = withRole(createModel('openai:gpt-4o'), 'agent', records);
 */
export function withRole(model: ChatModel, role: CallRole, sink: CallSink, now: () => number = Date.now, options: WithRoleOptions = {}): RoleTaggedModel {
  const emit = Array.isArray(sink) ? (record: CallRecord) => void sink.push(record) : sink;
  const replayable = options.replayable === true;
  let started = 0;
  return {
    id: model.id,
    ...(model.simulated === undefined ? {} : { simulated: model.simulated }),
    role,
    inner: model,
    async complete(request: ChatRequest, callOptions?: { signal?: AbortSignal }): Promise<ChatResponse> {
      const startedAt = now();
      const seq = started++;
      const requestHash = replayable ? requestHashOf(request) : '';
      const response = await model.complete(request, callOptions);
      emit(callRecord(role, response, startedAt, replayable ? { seq, requestHash, response: recordedResponseOf(response) } : undefined));
      return response;
    },
  };
}
