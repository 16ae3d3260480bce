/**
 * Per-provider request limiters (p-limit), separate from episode concurrency. Models that talk
 * to the same provider endpoint share one limiter through a {@link LimiterRegistry}.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { ChatModel, ChatRequest, ChatResponse } from './types.js';

/** Default number of concurrent requests per provider endpoint. */
export const DEFAULT_PROVIDER_CONCURRENCY = 8;

/** Hands out one limiter per key (e.g. `openai https://api.openai.com/v1`). */
export class LimiterRegistry {
  readonly #limits = new Map<string, LimitFunction>();

  /**
   * The limiter for `key`, created on first use with `concurrency` (default
   * {@link DEFAULT_PROVIDER_CONCURRENCY}). A later call that passes a different `concurrency`
   * changes the shared limiter's concurrency; one that passes none leaves it as it is.
   */
  get(key: string, concurrency?: number): LimitFunction {
    const existing = this.#limits.get(key);
    if (existing !== undefined) {
      if (concurrency !== undefined && existing.concurrency !== concurrency) existing.concurrency = concurrency;
      return existing;
    }
    const limit = pLimit(concurrency ?? DEFAULT_PROVIDER_CONCURRENCY);
    this.#limits.set(key, limit);
    return limit;
  }
}

/** The process-wide registry used by `createModel` unless another is passed. */
export const defaultLimiters = new LimiterRegistry();

/** Wraps a model so that each call (each attempt, when placed under the retry layer) runs under `limit`. */
export function withLimiter(model: ChatModel, limit: LimitFunction): ChatModel {
  return {
    id: model.id,
    ...(model.simulated === undefined ? {} : { simulated: model.simulated }),
    complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
      return limit(() => model.complete(request, options));
    },
  };
}
