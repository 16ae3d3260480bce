/**
 * Model handles for one episode: each request gets the episode's task as privileged context
 * (the offline `sim` model reads it; real providers never send it) and the trial index (part of
 * the cache key), and each successful call is recorded as a CallRecord under its role.
 */
import { withRole, type CallSink } from '../models/role.js';
import type { CallRole, ChatModel, ChatRequest, ChatResponse } from '../models/types.js';

/** Episode facts attached to every request. */
export interface EpisodeModelContext {
  task: unknown;
  trial: number;
  /** The episode seed, attached as `privileged.seed` (the simulated model draws from it). */
  seed?: number;
  /** Where CallRecords go. */
  sink: CallSink;
  /** Used when a call passes no signal of its own. */
  signal?: AbortSignal;
  /** Epoch-ms clock for `startedAt`. Default `Date.now`. */
  now?: () => number;
}

/**
 * Wraps `model` for one episode and one role. A request's own `privileged` fields win over the
 * task (blueprint sub-tasks add `subtask`), and its own `trial` wins over the episode's.
 */
export function episodeModel(model: ChatModel, role: CallRole, context: EpisodeModelContext): ChatModel {
  const attached: ChatModel = {
    id: model.id,
    ...(model.simulated === undefined ? {} : { simulated: model.simulated }),
    complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
      const signal = options?.signal ?? context.signal;
      return model.complete(
        { ...request, trial: request.trial ?? context.trial, privileged: { task: context.task, ...(context.seed === undefined ? {} : { seed: context.seed }), ...request.privileged } },
        signal === undefined ? undefined : { signal },
      );
    },
  };
  return withRole(attached, role, context.sink, context.now);
}
