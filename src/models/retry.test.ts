import { describe, expect, it } from 'vitest';
import { ProviderError } from '../core/errors.js';
import { parseRetryAfter } from './provider-error.js';
import { DEFAULT_RETRY_POLICY, retrying, retryDelayMs, withRetry } from './retry.js';
import type { ChatModel, ChatResponse } from './types.js';

const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000, maxRetries: 3 };
const retryable = (details: Record<string, unknown> = {}) => new ProviderError('boom', { retryable: true, details });

describe('retryDelayMs', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    expect(retryDelayMs(retryable(), 0, policy, () => 0)).toBe(50);
    expect(retryDelayMs(retryable(), 0, policy, () => 0.999)).toBeCloseTo(99.95);
    expect(retryDelayMs(retryable(), 3, policy, () => 0)).toBe(400);
    expect(retryDelayMs(retryable(), 10, policy, () => 1)).toBe(1000);
  });

  it('honours a server retry-after, capped at maxRetryAfterMs, plus up to base of jitter', () => {
    expect(retryDelayMs(retryable({ retryAfterMs: 5000 }), 0, policy, () => 0)).toBe(5000);
    expect(retryDelayMs(retryable({ retryAfterMs: 5000 }), 0, policy, () => 0.5)).toBe(5050);
    expect(retryDelayMs(retryable({ retryAfterMs: 10 ** 9 }), 0, policy, () => 0)).toBe(policy.maxRetryAfterMs);
  });
});

describe('parseRetryAfter', () => {
  it('reads retry-after-ms, then retry-after seconds or HTTP date', () => {
    const now = () => Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '12.5', 'retry-after': '3' }), now)).toBe(12.5);
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Tue, 01 Jan 2030 00:00:07 GMT' }), now)).toBe(7000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });
});

describe('retrying', () => {
  it('retries only retryable errors and reports retries and total wait', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const outcome = await retrying(
      async () => {
        calls++;
        if (calls < 3) throw retryable();
        return 'ok';
      },
      policy,
      { sleep: async (ms) => void sleeps.push(ms), random: () => 0 },
    );
    expect(outcome).toEqual({ value: 'ok', retries: 2, waitMs: 150 });
    expect(sleeps).toEqual([50, 100]);
  });

  it('does not retry non-retryable errors and rethrows them unchanged', async () => {
    const error = new ProviderError('bad request', { status: 400 });
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls++;
          throw error;
        },
        policy,
        { sleep: async () => {} },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('stops after maxRetries with the retry count in the error', async () => {
    let calls = 0;
    const err = (await retrying(
      async () => {
        calls++;
        throw new ProviderError('x: HTTP 500', { status: 500, retryable: true, requestId: 'r1' });
      },
      policy,
      { sleep: async () => {}, random: () => 0 },
    ).catch((e: unknown) => e)) as ProviderError;
    expect(calls).toBe(4);
    expect(err.message).toBe('x: HTTP 500 (after 3 retries)');
    expect(err.status).toBe(500);
    expect(err.requestId).toBe('r1');
    expect(err.details).toMatchObject({ retries: 3, retryWaitMs: 50 + 100 + 200 });
  });

  it('does not retry once the signal is aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls++;
          controller.abort();
          throw retryable();
        },
        policy,
        { sleep: async () => {} },
        controller.signal,
      ),
    ).rejects.toBeInstanceOf(ProviderError);
    expect(calls).toBe(1);
  });
});

describe('withRetry', () => {
  it('sets retries and retryWaitMs on the response', async () => {
    let calls = 0;
    const response: ChatResponse = { text: 'hi', toolCalls: [], finishReason: 'stop', usage: {}, latencyMs: 1, costUsd: null, retries: 0, retryWaitMs: 0, model: 'm' };
    const inner: ChatModel = {
      id: 'm',
      complete: async () => {
        if (calls++ === 0) throw retryable({ retryAfterMs: 7 });
        return response;
      },
    };
    const res = await withRetry(inner, policy, { sleep: async () => {}, random: () => 0 }).complete({ messages: [] });
    expect(res.retries).toBe(1);
    expect(res.retryWaitMs).toBe(7);
  });
});
