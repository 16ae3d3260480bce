/**
 * The configuration of a benchmark run, as saved in `run.json`. It never holds API keys: keys
 * come from the environment or the `--api-key` flags, which are not saved, and base URLs are
 * stored without credentials (`sanitizeBaseUrl`).
 */
import { stableJson } from '../core/stable-json.js';
import { ConfigError } from '../core/errors.js';
import type { CacheMode } from '../models/cache.js';

/** A deterministic slice of a run: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Every setting of a run. JSON-safe. */
export interface RunConfig {
  domain: string;
  /** Data directory (database and tasks); null for a domain's built-in data. */
  data: string | null;
  /** Database directory when it is not beside the tasks (τ² airline tasks on the v1 tables); null: from `data`. */
  db: string | null;
  split: string;
  /** Task selection by index, e.g. `0-9,12`; null for every task of the split. */
  tasks: string | null;
  agent: string;
  /** Agent-specific settings (e.g. `allToolCalls`, `fewShotFile`). */
  agentSettings: Record<string, unknown>;
  /** Agent model spec, e.g. `openai:gpt-4o`. */
  model: string;
  /** Agent temperature. Default 0 (τ-bench). */
  temperature: number;
  user: string;
  /** User model spec; null when the user simulator needs none. */
  userModel: string | null;
  /** User temperature; null leaves the provider default (τ-bench v1). */
  userTemperature: number | null;
  trials: number;
  seed: number;
  /** Agent step cap; null: 30 under v1 semantics, 100 under τ² (whose cap counts every hop, 200 by default). */
  maxSteps: number | null;
  /**
   * Output-token limit of every model call; null/absent: none with a reference pack (τ-bench
   * sends none; Anthropic, which requires one, gets 4096), 4096 with the harness pack.
   */
  maxTokens?: number | null;
  /** Policy file; null: the one found with the data. */
  policy: string | null;
  /** Base URLs of the agent and user model endpoints; null: the provider's default / environment. */
  baseUrl: string | null;
  userBaseUrl: string | null;
  /** Model of the LLM judge for τ² NL assertions; null/absent: none (such tasks are unscored). */
  judgeModel?: string | null;
  /** Judge model endpoint; null/absent: `baseUrl` when the judge uses the agent's provider, else the provider's default. */
  judgeBaseUrl?: string | null;
  /** Record/replay cache mode and directory. */
  cache: CacheMode;
  cacheDir: string;
  /** Episodes run at once. */
  concurrency: number;
  /** Concurrent requests per provider endpoint; null: the episode concurrency. */
  providerConcurrency: number | null;
  shard: Shard | null;
  /**
   * Prompt pack (`--prompts`): `reference` (read from the τ-bench checkout given as data) or
   * `harness` (this project's text). null/absent: `reference` for a checkout, else `harness`;
   * the run records the kind it resolved to, and `metadata.prompts` the pack's identity.
   */
  prompts?: 'reference' | 'harness' | null;
  /** Per-attempt model request timeout, seconds (`--request-timeout`); null/absent: 120. */
  requestTimeout?: number | null;
  /** Retries of a failed model request (`--max-retries`); null/absent: 6. */
  maxRetries?: number | null;
  /** Largest model response body accepted, bytes (`--max-response-bytes`); null/absent: 8 MiB. */
  maxResponseBytes?: number | null;
  /** Stop after more than this many infrastructure errors and exit non-zero (`--max-errors`); null/absent: no limit. */
  maxErrors?: number | null;
  /** Stop after this many infrastructure errors in a row (`--max-consecutive-errors`); null/absent: 5; 0: never. */
  maxConsecutiveErrors?: number | null;
  /** Pricing override file (`--pricing`); null/absent: built-in prices only. */
  pricing?: string | null;
}

/** Defaults of the optional settings. */
export const RUN_DEFAULTS = {
  split: 'test',
  agent: 'tool-calling',
  user: 'llm',
  temperature: 0,
  trials: 1,
  seed: 10,
  concurrency: 4,
  cache: 'off' as CacheMode,
  cacheDir: '.cache/llm',
} as const;

/** Default agent step cap per loop semantics. */
export const DEFAULT_STEP_CAPS = { v1: 30, tau2: 100 } as const;

/**
 * Settings that define WHAT a run measures. Two directories can be resumed or merged only when
 * these agree (data paths may differ; the data and task hashes in the metadata must not).
 */
export const IDENTITY_KEYS = [
  'domain',
  'split',
  'tasks',
  'agent',
  'agentSettings',
  'model',
  'temperature',
  'user',
  'userModel',
  'userTemperature',
  'trials',
  'seed',
  'maxSteps',
  'maxTokens',
  'prompts',
] as const satisfies ReadonlyArray<keyof RunConfig>;


/** Identity settings that differ between two configs: `model: "a" ≠ "b"` (keys in `except` not compared). */
export function identityDifferences(a: RunConfig, b: RunConfig, except: ReadonlyArray<(typeof IDENTITY_KEYS)[number]> = []): string[] {
  const out: string[] = [];
  for (const key of IDENTITY_KEYS) {
    if (except.includes(key)) continue;
    const x = stableJson(a[key]);
    const y = stableJson(b[key]);
    if (x !== y) out.push(`${key}: ${x} ≠ ${y}`);
  }
  return out;
}

/**
 * Parses `i/n` (1-based shard i of n).
 * @throws ConfigError for anything but 1 ≤ i ≤ n.
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count) {
    throw new ConfigError(`--shard must be i/n with 1 ≤ i ≤ n (e.g. 2/8), got "${text}"`);
  }
  return { index, count };
}

/** Default run directory name: `<domain>-<agent>-<model>-<user>-<YYYYMMDD-HHMMSS>` (path-safe). */
export function defaultRunName(config: Pick<RunConfig, 'domain' | 'agent' | 'model' | 'user' | 'shard'>, date: Date): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const model = config.model.replace(/^[^:]*:/, '') || config.model;
  const shard = config.shard === null ? '' : `-shard${config.shard.index}of${config.shard.count}`;
  return `${config.domain}-${config.agent}-${model}-${config.user}-${stamp}${shard}`.replace(/[^A-Za-z0-9._-]+/g, '_');
}
