import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Usage } from './types.js';
import { addUsage, normalizeAnthropicUsage, normalizeOpenAIUsage, totalInputTokens } from './usage.js';

describe('normalizeOpenAIUsage', () => {
  it('subtracts cached and cache-write tokens from prompt_tokens', () => {
    expect(
      normalizeOpenAIUsage({
        prompt_tokens: 2000,
        completion_tokens: 50,
        prompt_tokens_details: { cached_tokens: 1500, cache_write_tokens: 300 },
        completion_tokens_details: { reasoning_tokens: 20 },
      }),
    ).toStrictEqual({ input: 200, cacheRead: 1500, cacheWrite: 300, output: 50, reasoning: 20 });
  });

  it('keeps missing details undefined and missing usage empty', () => {
    expect(normalizeOpenAIUsage({ prompt_tokens: 12, completion_tokens: 3 })).toStrictEqual({ input: 12, output: 3 });
    expect(normalizeOpenAIUsage(undefined)).toStrictEqual({});
    expect(normalizeOpenAIUsage(null)).toStrictEqual({});
  });
});

describe('normalizeAnthropicUsage', () => {
  it('takes input_tokens as is and maps cache buckets; null is not reported', () => {
    expect(
      normalizeAnthropicUsage({ input_tokens: 3, output_tokens: 7, cache_read_input_tokens: 0, cache_creation_input_tokens: null, output_tokens_details: null }),
    ).toStrictEqual({ input: 3, cacheRead: 0, output: 7 });
  });
});

describe('addUsage', () => {
  it('keeps a bucket undefined only when no operand reported it', () => {
    expect(addUsage({ input: 1 }, { output: 2 }, {})).toStrictEqual({ input: 1, output: 2 });
    expect(addUsage({ cacheRead: 0 }, {})).toStrictEqual({ cacheRead: 0 });
    expect(addUsage()).toStrictEqual({});
  });

  const bucket = fc.option(fc.nat({ max: 1_000_000 }), { nil: undefined });
  const usage = fc
    .record({ input: bucket, cacheRead: bucket, cacheWrite: bucket, output: bucket, reasoning: bucket })
    .map((u) => Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined)) as Usage);

  it('is commutative and sums each bucket (property)', () => {
    fc.assert(
      fc.property(usage, usage, (a, b) => {
        const sum = addUsage(a, b);
        expect(sum).toStrictEqual(addUsage(b, a));
        for (const key of ['input', 'cacheRead', 'cacheWrite', 'output', 'reasoning'] as const) {
          if (a[key] === undefined && b[key] === undefined) expect(key in sum).toBe(false);
          else expect(sum[key]).toBe((a[key] ?? 0) + (b[key] ?? 0));
        }
      }),
    );
  });

  it('totalInputTokens adds input and cache buckets', () => {
    expect(totalInputTokens({ input: 1, cacheRead: 2, cacheWrite: 3, output: 9 })).toBe(6);
    expect(totalInputTokens({ output: 9 })).toBeUndefined();
  });
});
