/**
 * Exact replay of recorded model calls. Every request an episode makes carries an
 * {@link EpisodeTag} in `privileged` (attached by the runner's episode model handles), so one
 * {@link ReplayModel} can answer the calls of many episodes at once: each episode has its own
 * queue of recorded responses per role, served in call order. Identical requests of different
 * episodes therefore get each their own episode's answer (no lookup by request), and calls that
 * were retried after faults replay as the one successful response that was recorded.
 *
 * A request whose hash differs from the recorded one, or a call beyond the recorded ones, is a
 * divergence: it is noted in the book and the call fails with a {@link ReplayDivergenceError}.
 * No provider is ever called.
 */
import { ProviderError, ReplayDivergenceError, type ProviderErrorCode } from '../core/errors.js';
import { lastMessagePreview } from './request-hash.js';
import { requestHashOf } from './role.js';
import { toolCallFromRaw } from './tool-calls.js';
import type { CallRecord, CallRole, ChatModel, ChatRequest, ChatResponse, ToolCall } from './types.js';

/** Key of the episode tag in {@link ChatRequest.privileged}. */
export const EPISODE_TAG_KEY = 'episode';

/** Which episode and role a request belongs to. Runners attach it as `privileged.episode`. */
export interface EpisodeTag {
  taskId: string;
  trial: number;
  role: CallRole;
}

/** The episode tag of a request, if it has a well-formed one. */
export function episodeTagOf(request: ChatRequest): EpisodeTag | undefined {
  const tag = request.privileged?.[EPISODE_TAG_KEY] as Partial<EpisodeTag> | undefined;
  if (tag === undefined || tag === null || typeof tag !== 'object') return undefined;
  if (typeof tag.taskId !== 'string' || typeof tag.trial !== 'number' || typeof tag.role !== 'string') return undefined;
  return { taskId: tag.taskId, trial: tag.trial, role: tag.role };
}

/** What the book needs of one recorded episode. */
export interface ReplayEpisode {
  taskId: string;
  trial: number;
  /** The episode's call records, with responses. */
  calls: readonly CallRecord[];
  /**
   * How the recorded episode ended when a model call failed (after retries) and ended it: the
   * first call beyond the recorded ones fails the same way (a `ProviderError` with this message
   * and code) instead of counting as a divergence.
   */
  failure?: { message: string; code?: string };
}

/** One divergence between a replay and its record. */
export interface ReplayDivergence {
  taskId: string;
  trial: number;
  role: CallRole;
  /** 0-based position of the call among the role's calls in the episode. */
  call: number;
  kind: 'request_changed' | 'extra_call' | 'no_episode' | 'untagged';
  message: string;
}

interface EpisodeQueues {
  /** Recorded calls per role in start order; an entry is dropped (undefined) once served. */
  byRole: Map<CallRole, Array<CallRecord | undefined>>;
  next: Map<CallRole, number>;
  failure: { message: string; code?: string } | undefined;
  failed: boolean;
}

const keyOf = (taskId: string, trial: number): string => `${taskId}#${trial}`;

/** Options of {@link ReplayBook}. */
export interface ReplayBookOptions {
  /**
   * Loads an episode not given up front when its first call comes (so a large run's responses
   * need not all be in memory at once); undefined when there is no such episode.
   */
  load?: (taskId: string, trial: number) => ReplayEpisode | undefined;
}

function queuesOf(e: ReplayEpisode): EpisodeQueues {
  const byRole = new Map<CallRole, CallRecord[]>();
  for (const call of e.calls) {
    let list = byRole.get(call.role);
    if (list === undefined) byRole.set(call.role, (list = []));
    list.push(call);
  }
  // Records are appended as calls finish; replay serves them in the order they started.
  for (const list of byRole.values()) list.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return { byRole, next: new Map(), failure: e.failure, failed: false };
}

/**
 * The recorded responses of a run's episodes, by episode and role, and the divergences found.
 * A response is dropped from the book once served.
 */
export class ReplayBook {
  readonly #episodes = new Map<string, EpisodeQueues | null>();
  readonly #divergences: ReplayDivergence[] = [];
  readonly #load: ReplayBookOptions['load'];

  constructor(episodes: Iterable<ReplayEpisode>, options: ReplayBookOptions = {}) {
    for (const e of episodes) this.#episodes.set(keyOf(e.taskId, e.trial), queuesOf(e));
    this.#load = options.load;
  }

  #episode(taskId: string, trial: number): EpisodeQueues | undefined {
    const key = keyOf(taskId, trial);
    let e = this.#episodes.get(key);
    if (e === undefined && this.#load !== undefined) {
      const loaded = this.#load(taskId, trial);
      e = loaded === undefined ? null : queuesOf(loaded);
      this.#episodes.set(key, e);
    }
    return e ?? undefined;
  }

  /** Divergences so far, in the order they happened. */
  get divergences(): readonly ReplayDivergence[] {
    return this.#divergences;
  }

  /** Divergences of one episode. */
  divergencesOf(taskId: string, trial: number): ReplayDivergence[] {
    return this.#divergences.filter((d) => d.taskId === taskId && d.trial === trial);
  }

  /** Recorded calls of a role in an episode that the replay did not ask for. */
  unusedCalls(taskId: string, trial: number): Array<{ role: CallRole; recorded: number; replayed: number }> {
    const e = this.#episodes.get(keyOf(taskId, trial));
    if (e === undefined || e === null) return [];
    const out: Array<{ role: CallRole; recorded: number; replayed: number }> = [];
    for (const [role, list] of e.byRole) {
      const used = e.next.get(role) ?? 0;
      if (used < list.length) out.push({ role, recorded: list.length, replayed: used });
    }
    return out;
  }

  #diverge(d: ReplayDivergence): never {
    this.#divergences.push(d);
    throw new ReplayDivergenceError(d.message, d.call, undefined, undefined, `${d.taskId}#${d.trial}`);
  }

  /**
   * The recorded answer to the next call of the request's episode and role.
   * @throws ReplayDivergenceError on a divergence; ProviderError where the recorded call failed.
   */
  answer(request: ChatRequest): CallRecord {
    const tag = episodeTagOf(request);
    if (tag === undefined) {
      return this.#diverge({ taskId: '?', trial: -1, role: '?', call: -1, kind: 'untagged', message: `replay: a model call without episode context (last message ${lastMessagePreview(request)})` });
    }
    const { taskId, trial, role } = tag;
    const episode = this.#episode(taskId, trial);
    if (episode === undefined) {
      return this.#diverge({ taskId, trial, role, call: 0, kind: 'no_episode', message: `replay: task ${taskId} trial ${trial} has no recorded episode` });
    }
    const index = episode.next.get(role) ?? 0;
    episode.next.set(role, index + 1);
    const list = episode.byRole.get(role) ?? [];
    if (index >= list.length) {
      if (episode.failure !== undefined && !episode.failed) {
        // The recorded episode ended on this failing call (after retries): fail it the same way.
        episode.failed = true;
        const { message, code } = episode.failure;
        throw new ProviderError(message, code === undefined ? {} : { code: code as ProviderErrorCode });
      }
      return this.#diverge({
        taskId,
        trial,
        role,
        call: index,
        kind: 'extra_call',
        message: `replay: ${role} call ${index + 1} of task ${taskId} trial ${trial} was not made in the recorded run (it made ${list.length}); last message ${lastMessagePreview(request)}`,
      });
    }
    const recorded = list[index] as CallRecord;
    list[index] = undefined;
    const hash = requestHashOf(request);
    if (recorded.requestHash !== undefined && recorded.requestHash !== hash) {
      return this.#diverge({
        taskId,
        trial,
        role,
        call: index,
        kind: 'request_changed',
        message: `replay: ${role} call ${index + 1} of task ${taskId} trial ${trial} sent a different request (hash ${hash}, recorded ${recorded.requestHash}); last message ${lastMessagePreview(request)}`,
      });
    }
    return recorded;
  }
}

/** Options of {@link ReplayModel}. */
export interface ReplayModelOptions {
  /** True when the recorded model was the offline simulated one (outputs then say so). */
  simulated?: boolean;
}

/** A recorded call as the response the caller originally got: cost 0, no retries, latency 0. */
export function responseOfRecord(record: CallRecord): ChatResponse {
  const recorded = record.response;
  if (recorded === undefined) throw new ProviderError(`replay: the recorded ${record.role} call has no response (recorded before responses were kept)`, { code: 'cache_miss' });
  const toolCalls: ToolCall[] = (recorded.toolCalls ?? []).map((c) =>
    c.parseError === undefined ? toolCallFromRaw(c.id, c.name, c.arguments) : { id: c.id, name: c.name, rawArguments: c.arguments, arguments: undefined, parseError: c.parseError },
  );
  return {
    text: recorded.text,
    toolCalls,
    finishReason: recorded.finishReason,
    usage: { ...record.usage },
    latencyMs: 0,
    costUsd: 0,
    retries: 0,
    retryWaitMs: 0,
    model: record.model,
  };
}

/** A chat model answering from a {@link ReplayBook}; `id` is the recorded model spec. */
export class ReplayModel implements ChatModel {
  readonly id: string;
  readonly simulated?: boolean;
  readonly #book: ReplayBook;

  constructor(id: string, book: ReplayBook, options: ReplayModelOptions = {}) {
    this.id = id;
    this.#book = book;
    if (options.simulated === true) this.simulated = true;
  }

  async complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
    if (options?.signal?.aborted === true) throw new ProviderError(`${this.id}: replay aborted`);
    return responseOfRecord(this.#book.answer(request));
  }
}
