/**
 * Bounded retries with exponential backoff and jitter, honouring a server's `Retry-After`.
 * Only errors that say so (`ProviderError.retryable`) are retried. Sleep and RNG are injectable.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ProviderError } from '../core/errors.js';
import type { ChatModel, ChatRequest, ChatResponse } from './types.js';

/** Waits `ms` milliseconds; rejects when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Returns a number in [0, 1). */
export type Random = () => number;

/** The real sleep (node timers). */
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal });

/** Retry policy. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 6. */
  maxRetries: number;
  /** Backoff before retry n (0-based) is `baseDelayMs * 2^n`, capped, with equal jitter. Default 500. */
  baseDelayMs: number;
  /** Cap of the exponential backoff. Default 30000. */
  maxDelayMs: number;
  /** Cap applied to a server's `Retry-After`. Default 60000. */
  maxRetryAfterMs: number;
}

/** Default {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { maxRetries: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

/** Injected effects of the retry loop. */
export interface RetryEnv {
  /** Default {@link realSleep}. */
  sleep?: Sleep;
  /** Jitter source. Default `Math.random`. */
  random?: Random;
}

/**
 * Delay before retry number `retry` (0-based) after `error`. A `Retry-After` from the server
 * (`details.retryAfterMs`) wins, capped at `maxRetryAfterMs`, plus up to `baseDelayMs` of jitter;
 * otherwise exponential backoff with equal jitter: `exp/2 + random·exp/2`.
 */
export function retryDelayMs(error: unknown, retry: number, policy: RetryPolicy, random: Random): number {
  const retryAfter = error instanceof ProviderError ? error.details?.['retryAfterMs'] : undefined;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter)) {
    return Math.min(Math.max(0, retryAfter), policy.maxRetryAfterMs) + random() * policy.baseDelayMs;
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return exp / 2 + (random() * exp) / 2;
}

/** Whether `error` is worth another attempt. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable;
}

/** Result of {@link retrying}. */
export interface RetryOutcome<T> {
  value: T;
  retries: number;
  waitMs: number;
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, `maxRetries` is used up, or
 * `signal` aborts. A final ProviderError that followed retries is re-thrown with
 * `(after N retries)` appended and `details.retries` / `details.retryWaitMs` set.
 */
export async function retrying<T>(
  attempt: (retry: number) => Promise<T>,
  policy: RetryPolicy,
  env: RetryEnv = {},
  signal?: AbortSignal,
): Promise<RetryOutcome<T>> {
  const sleep = env.sleep ?? realSleep;
  const random = env.random ?? Math.random;
  let waitMs = 0;
  for (let retry = 0; ; retry++) {
    try {
      return { value: await attempt(retry), retries: retry, waitMs };
    } catch (error) {
      if (retry >= policy.maxRetries || !isRetryable(error) || signal?.aborted === true) throw withRetryInfo(error, retry, waitMs);
      const ms = retryDelayMs(error, retry, policy, random);
      waitMs += ms;
      await sleep(ms, signal);
    }
  }
}

function withRetryInfo(error: unknown, retries: number, waitMs: number): unknown {
  if (retries === 0 || !(error instanceof ProviderError)) return error;
  const code = error.code === 'provider_auth' || error.code === 'cache_miss' || error.code === 'provider_rejected' ? error.code : 'provider_error';
  return new ProviderError(`${error.message} (after ${retries} ${retries === 1 ? 'retry' : 'retries'})`, {
    code,
    retryable: error.retryable,
    details: { ...error.details, retries, retryWaitMs: waitMs },
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.path === undefined ? {} : { path: error.path }),
  });
}

/**
 * Wraps a model so each call is retried per `policy`; the response's `retries` and
 * `retryWaitMs` report what it took.
 */
export function withRetry(model: ChatModel, policy: RetryPolicy, env: RetryEnv = {}): ChatModel {
  return {
    id: model.id,
    ...(model.simulated === undefined ? {} : { simulated: model.simulated }),
    async complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
      const outcome = await retrying(() => model.complete(request, options), policy, env, options?.signal);
      return { ...outcome.value, retries: outcome.retries, retryWaitMs: outcome.waitMs };
    },
  };
}
