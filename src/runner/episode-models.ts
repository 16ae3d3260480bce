/**
 * Model handles for one episode: each request gets the episode's task as privileged context
 * (the offline `sim` model reads it; real providers never send it), the trial index (part of
 * the cache key) and the episode tag (task id, trial, role: replay answers by it), and each
 * successful call is recorded as a CallRecord under its role, with its response and request
 * hash, so the episode can be replayed exactly (`taubp replay`).
 */
import { EPISODE_TAG_KEY, type EpisodeTag } from '../models/replay-model.js';
import { withRole, type CallSink } from '../models/role.js';
import type { CallRecord, CallRole, ChatModel, ChatRequest, ChatResponse } from '../models/types.js';

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

/** The id of a task given as `unknown` (the episode context's `task`), or `''`. */
function taskIdOf(task: unknown): string {
  const id = (task as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : '';
}

/**
 * Wraps `model` so each request carries `privileged.episode` (an {@link EpisodeTag}) and
 * nothing else changes: not sent to providers, not part of cache keys.
 */
export function tagEpisode(model: ChatModel, tag: EpisodeTag): ChatModel {
  return {
    id: model.id,
    ...(model.simulated === undefined ? {} : { simulated: model.simulated }),
    complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
      return model.complete({ ...request, privileged: { ...request.privileged, [EPISODE_TAG_KEY]: tag } }, options);
    },
  };
}

/**
 * Wraps `model` for one episode and one role. A request's own `privileged` fields win over the
 * task (blueprint sub-tasks add `subtask`), and its own `trial` wins over the episode's.
 */
export function episodeModel(model: ChatModel, role: CallRole, context: EpisodeModelContext): ChatModel {
  const tag: EpisodeTag = { taskId: taskIdOf(context.task), trial: context.trial, role };
  // Recorded below the attachment: the request hash covers the trial, as the base model sees it.
  const recorded = withRole(model, role, context.sink, context.now, { replayable: true });
  return {
    id: model.id,
    ...(model.simulated === undefined ? {} : { simulated: model.simulated }),
    complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
      const signal = options?.signal ?? context.signal;
      return recorded.complete(
        {
          ...request,
          trial: request.trial ?? context.trial,
          privileged: { task: context.task, ...(context.seed === undefined ? {} : { seed: context.seed }), ...request.privileged, [EPISODE_TAG_KEY]: tag },
        },
        signal === undefined ? undefined : { signal },
      );
    },
  };
}

/**
 * The judge's model for one episode's scoring: requests tagged with the episode (role `judge`),
 * calls recorded with their responses through `record`. Unlike {@link episodeModel} it attaches
 * neither the task nor the trial (judge requests and their cache keys stay as they were).
 */
export function episodeJudgeModel(model: ChatModel, episode: { taskId: string; trial: number }, record: (call: CallRecord) => void): ChatModel {
  return tagEpisode(withRole(model, 'judge', record, undefined, { replayable: true }), { taskId: episode.taskId, trial: episode.trial, role: 'judge' });
}
