/**
 * Token usage normalisation. Every bucket is `undefined` when the provider did not report it,
 * which is kept distinct from a reported 0 (see {@link Usage}).
 */
import type { Usage } from './types.js';

const BUCKETS = ['input', 'cacheRead', 'cacheWrite', 'output', 'reasoning'] as const;

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** Builds a {@link Usage} leaving out the buckets that are `undefined` (exactOptionalPropertyTypes). */
export function makeUsage(buckets: { [K in keyof Usage]-?: number | undefined }): Usage {
  const usage: Usage = {};
  for (const key of BUCKETS) {
    const value = buckets[key];
    if (value !== undefined) usage[key] = value;
  }
  return usage;
}

/**
 * Normalises an OpenAI chat-completions `usage` object. `prompt_tokens` includes cached tokens
 * (and cache writes, where a server reports them), so `input` is `prompt_tokens` minus both.
 * Missing `prompt_tokens_details` leaves `cacheRead`/`cacheWrite` undefined.
 */
export function normalizeOpenAIUsage(raw: unknown): Usage {
  const u = record(raw);
  if (u === undefined) return {};
  const prompt = num(u['prompt_tokens']);
  const promptDetails = record(u['prompt_tokens_details']);
  const completionDetails = record(u['completion_tokens_details']);
  const cacheRead = num(promptDetails?.['cached_tokens']);
  const cacheWrite = num(promptDetails?.['cache_write_tokens']);
  return makeUsage({
    input: prompt === undefined ? undefined : Math.max(0, prompt - (cacheRead ?? 0) - (cacheWrite ?? 0)),
    cacheRead,
    cacheWrite,
    output: num(u['completion_tokens']),
    reasoning: num(completionDetails?.['reasoning_tokens']),
  });
}

/**
 * Normalises an Anthropic messages `usage` object. `input_tokens` already excludes cache reads
 * and writes; `null` buckets mean "not reported".
 */
export function normalizeAnthropicUsage(raw: unknown): Usage {
  const u = record(raw);
  if (u === undefined) return {};
  const outputDetails = record(u['output_tokens_details']);
  return makeUsage({
    input: num(u['input_tokens']),
    cacheRead: num(u['cache_read_input_tokens']),
    cacheWrite: num(u['cache_creation_input_tokens']),
    output: num(u['output_tokens']),
    reasoning: num(outputDetails?.['thinking_tokens']),
  });
}

/**
 * Adds usages bucket by bucket. A bucket stays `undefined` only when it is `undefined` in every
 * operand; otherwise unreported operands count as 0 for that bucket.
 */
export function addUsage(...usages: Usage[]): Usage {
  const sum: { [K in keyof Usage]-?: number | undefined } = {
    input: undefined,
    cacheRead: undefined,
    cacheWrite: undefined,
    output: undefined,
    reasoning: undefined,
  };
  for (const usage of usages) {
    for (const key of BUCKETS) {
      const value = usage[key];
      if (value !== undefined) sum[key] = (sum[key] ?? 0) + value;
    }
  }
  return makeUsage(sum);
}

/** Total prompt size (`input + cacheRead + cacheWrite`), or `undefined` when none was reported. */
export function totalInputTokens(usage: Usage): number | undefined {
  if (usage.input === undefined && usage.cacheRead === undefined && usage.cacheWrite === undefined) return undefined;
  return (usage.input ?? 0) + (usage.cacheRead ?? 0) + (usage.cacheWrite ?? 0);
}
