/** Usage attribution: a wrapper that records a {@link CallRecord} for every successful call. */
import type { CallRecord, CallRole, ChatModel, ChatRequest, ChatResponse } from './types.js';

/** Where call records go: an array (pushed to) or a callback. */
export type CallSink = CallRecord[] | ((record: CallRecord) => void);

/** A model whose calls are attributed to a role. */
export interface RoleTaggedModel extends ChatModel {
  readonly role: CallRole;
  /** The wrapped model. */
  readonly inner: ChatModel;
}

/** Builds the record of one call. */
export function callRecord(role: CallRole, response: ChatResponse, startedAt: number): CallRecord {
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
  };
}

/**
 * Wraps `model` so every successful call appends a {@link CallRecord} for `role` to `sink`.
 * Failed calls are not recorded (they have no usage); the error propagates unchanged.
 *
 * @param now Epoch-ms clock for `startedAt`. Default `Date.now`.
 * @example const agent = withRole(createModel('openai:gpt-4o'), 'agent', records);
 */
export function withRole(model: ChatModel, role: CallRole, sink: CallSink, now: () => number = Date.now): RoleTaggedModel {
  const emit = Array.isArray(sink) ? (record: CallRecord) => void sink.push(record) : sink;
  return {
    id: model.id,
    ...(model.simulated === undefined ? {} : { simulated: model.simulated }),
    role,
    inner: model,
    async complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
      const startedAt = now();
      const response = await model.complete(request, options);
      emit(callRecord(role, response, startedAt));
      return response;
    },
  };
}
