/**
 * `createModel(spec, options)`: builds a provider model and composes the layers around it:
 * pricing → record/replay cache → retries → per-provider limiter → one SDK attempt.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { capResponseSize, createNodeHttpFetch, DEFAULT_MAX_RESPONSE_BYTES } from './node-http-fetch.js';
import { ConfigError, ProviderError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { SecretScrubber } from '../core/secrets.js';
import { AnthropicChatModel, ANTHROPIC_DEFAULT_BASE_URL } from './anthropic-provider.js';
import { withCache, type CacheOptions } from './cache.js';
import { defaultLimiters, LimiterRegistry, withLimiter } from './limiter.js';
import { OpenAIChatModel, OPENAI_DEFAULT_BASE_URL } from './openai-provider.js';
import { Pricing, type WarnSink } from './pricing.js';
import { sanitizeBaseUrl, urlCredentials } from './redact.js';
import { DEFAULT_RETRY_POLICY, withRetry, type Random, type RetryPolicy, type Sleep } from './retry.js';
import { parseModelSpec, type ModelSpec } from './spec.js';
import type { ChatModel, ChatRequest, ChatResponse } from './types.js';

/** Options of {@link createModel}. Every field is optional. */
export interface CreateModelOptions {
  /** API key. Default: `OPENAI_API_KEY` (openai, openai-compatible) or `ANTHROPIC_API_KEY` (anthropic). */
  apiKey?: string;
  /**
   * Base URL. Default: `OPENAI_BASE_URL` or `https://api.openai.com/v1` (openai); `ANTHROPIC_BASE_URL`
   * or `https://api.anthropic.com` (anthropic, without `/v1`); `OPENAI_BASE_URL` (openai-compatible, required).
   */
  baseUrl?: string;
  /** Per-attempt timeout, ms. Default 120000. */
  timeoutMs?: number;
  /**
   * Largest response body accepted, bytes (default 8 MiB). A larger one is cut off while it
   * arrives (never held whole) and fails the call with a ProviderError that says so (not
   * retried). Applies to the default transport and to a given `fetch` alike.
   */
  maxResponseBytes?: number;
  /**
   * The run's secret scrubber: the model's API key and any credentials in its base URL are
   * registered with it, and cache files are written through it. Default: a scrubber of this
   * model's own secrets.
   */
  secrets?: SecretScrubber;
  /** Retries after the first attempt on 408/409/429/5xx, timeouts and connection errors. Default 6. */
  maxRetries?: number;
  /** Backoff tuning. Defaults: base 500 ms, cap 30000 ms, `Retry-After` cap 60000 ms. */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  /** Record/replay cache. Default: off. */
  cache?: CacheOptions;
  /** Concurrent requests per provider endpoint (shared by all models on that endpoint). Default 8. */
  concurrency?: number;
  /** Where the per-provider limiters live. Default: the process-wide {@link defaultLimiters}. */
  limiters?: LimiterRegistry;
  /**
   * `fetch` given to the SDK. Default: a keep-alive fetch over node:http(s)
   * ({@link createNodeHttpFetch}), which costs far less CPU per call than the global `fetch`;
   * pass `globalThis.fetch` to use Node's built-in one.
   */
  fetch?: typeof fetch;
  /** Monotonic clock for latencies, ms. Default `performance.now`. */
  now?: () => number;
  /** Wall clock (epoch ms) for `Retry-After` dates. Default `Date.now`. */
  wallNow?: () => number;
  /** Sleep between retries. Default: real timers. */
  sleep?: Sleep;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: Random;
  /** Warnings (unpriced model, cache write failure). Default `console.warn`. */
  warn?: WarnSink;
  /** Price table to use. Default: built-in prices, merged with `pricingFile` if given. */
  pricing?: Pricing;
  /** Path of a pricing override file (ignored when `pricing` is given). */
  pricingFile?: string;
  /** Environment variables to read keys and URLs from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Output-token field name. Default: `max_completion_tokens` for openai, `max_tokens` for openai-compatible. */
  maxTokensParam?: 'max_completion_tokens' | 'max_tokens';
  /**
   * Output-token limit when a request sets none. Default 4096. null: OpenAI-style providers send
   * no limit (as τ-bench); Anthropic, which requires one, uses the default.
   */
  defaultMaxTokens?: number | null;
  /** OpenAI-style providers: send `name` on tool-result messages (τ-bench's wire format). Default false. */
  toolMessageName?: boolean;
}

/** Defaults of {@link CreateModelOptions}. */
export const MODEL_DEFAULTS = { timeoutMs: 120_000, maxRetries: 6, concurrency: 8, defaultMaxTokens: 4096, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES } as const;

/** Environment variables holding each built-in provider's key (registered as secrets when set). */
const KEY_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  openai: ['OPENAI_API_KEY'],
  'openai-compatible': ['OPENAI_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
};

/** Options after defaults, as handed to provider factories. */
export interface ResolvedModelOptions extends Omit<CreateModelOptions, 'timeoutMs' | 'maxRetries' | 'now' | 'wallNow' | 'env' | 'defaultMaxTokens' | 'warn'> {
  timeoutMs: number;
  maxRetries: number;
  now: () => number;
  wallNow: () => number;
  env: Record<string, string | undefined>;
  defaultMaxTokens: number | null;
  warn: WarnSink;
}

/** A provider's one-attempt model; `baseUrl` (when known) goes into cache keys. */
export type ProviderModel = ChatModel & { readonly baseUrl?: string };

/**
 * Builds the bare model of a provider. Must throw (ProviderError `provider_auth`, ConfigError)
 * when it cannot work, e.g. a missing key, so that failures surface before any episode starts.
 */
export type ProviderFactory = (spec: ModelSpec, options: ResolvedModelOptions) => ProviderModel;

/** How createModel treats a provider's models. */
export interface ProviderRegistration {
  /**
   * Offline providers (the simulated model) get no limiter, retries or cache: they answer
   * locally and deterministically. Default: true for the provider named `sim`, else false.
   */
  offline?: boolean;
}

const factories = new Map<string, { factory: ProviderFactory; registration: ProviderRegistration }>();

/**
 * Registers (or replaces) the factory for a provider name, e.g. `registerProvider('sim', …, { offline: true })`.
 * @example registerProvider('sim', (spec) => new SimModel(spec), { offline: true })
 */
export function registerProvider(name: string, factory: ProviderFactory, registration: ProviderRegistration = {}): void {
  factories.set(name, { factory, registration: { offline: name === 'sim', ...definedOnly(registration) } });
}

/** Names of the providers that have a factory. */
export function registeredProviders(): string[] {
  return [...factories.keys()].sort();
}

function requireKey(value: string | undefined, variable: string, spec: ModelSpec): string {
  if (value === undefined || value.trim() === '') {
    throw new ProviderError(`${spec.id}: no API key; set ${variable} or pass --api-key (apiKey)`, { code: 'provider_auth', path: spec.id, details: { variable } });
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

registerProvider('openai', (spec, o) => {
  const apiKey = requireKey(o.apiKey ?? nonEmpty(o.env['OPENAI_API_KEY']), 'OPENAI_API_KEY', spec);
  return new OpenAIChatModel({
    spec,
    apiKey,
    baseUrl: o.baseUrl ?? nonEmpty(o.env['OPENAI_BASE_URL']) ?? OPENAI_DEFAULT_BASE_URL,
    timeoutMs: o.timeoutMs,
    maxTokensParam: o.maxTokensParam ?? 'max_completion_tokens',
    defaultMaxTokens: o.defaultMaxTokens,
    ...(o.toolMessageName === undefined ? {} : { toolMessageName: o.toolMessageName }),
    now: o.now,
    wallNow: o.wallNow,
    ...(o.fetch === undefined ? {} : { fetch: o.fetch }),
  });
});

registerProvider('openai-compatible', (spec, o) => {
  const baseUrl = o.baseUrl ?? nonEmpty(o.env['OPENAI_BASE_URL']);
  if (baseUrl === undefined) {
    throw new ConfigError(`${spec.id}: openai-compatible models need a base URL; set OPENAI_BASE_URL or pass baseUrl (e.g. http://localhost:11434/v1)`, {
      path: spec.id,
    });
  }
  // Local servers (vLLM, Ollama, llama.cpp) ignore the key, but the SDK wants one.
  const apiKey = o.apiKey ?? nonEmpty(o.env['OPENAI_API_KEY']) ?? 'not-needed';
  return new OpenAIChatModel({
    spec,
    apiKey,
    baseUrl,
    timeoutMs: o.timeoutMs,
    maxTokensParam: o.maxTokensParam ?? 'max_tokens',
    defaultMaxTokens: o.defaultMaxTokens,
    ...(o.toolMessageName === undefined ? {} : { toolMessageName: o.toolMessageName }),
    now: o.now,
    wallNow: o.wallNow,
    ...(o.fetch === undefined ? {} : { fetch: o.fetch }),
  });
});

registerProvider('anthropic', (spec, o) => {
  const apiKey = requireKey(o.apiKey ?? nonEmpty(o.env['ANTHROPIC_API_KEY']), 'ANTHROPIC_API_KEY', spec);
  return new AnthropicChatModel({
    spec,
    apiKey,
    baseUrl: o.baseUrl ?? nonEmpty(o.env['ANTHROPIC_BASE_URL']) ?? ANTHROPIC_DEFAULT_BASE_URL,
    timeoutMs: o.timeoutMs,
    defaultMaxTokens: o.defaultMaxTokens ?? MODEL_DEFAULTS.defaultMaxTokens,
    now: o.now,
    wallNow: o.wallNow,
    ...(o.fetch === undefined ? {} : { fetch: o.fetch }),
  });
});

let sharedAgents: { http: HttpAgent; https: HttpsAgent } | undefined;
const sharedFetches = new Map<number, typeof fetch>();

/** The shared default transport: one set of keep-alive agents per process, one fetch per size cap. */
function defaultFetch(maxResponseBytes: number): typeof fetch {
  let f = sharedFetches.get(maxResponseBytes);
  if (f === undefined) {
    sharedAgents ??= { http: new HttpAgent({ keepAlive: true, maxSockets: 256 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }) };
    f = createNodeHttpFetch({ maxResponseBytes, agents: sharedAgents });
    sharedFetches.set(maxResponseBytes, f);
  }
  return f;
}

/** The default warning sink. */
const consoleWarn: WarnSink = (message) => console.warn(message);

const sharedPricings = new WeakMap<WarnSink, Map<string, Pricing>>();

/** One shared Pricing per (warn sink, override file), so each unknown model warns once per sink. */
function sharedPricing(file: string | undefined, warn: WarnSink): Pricing {
  let byFile = sharedPricings.get(warn);
  if (byFile === undefined) sharedPricings.set(warn, (byFile = new Map()));
  let pricing = byFile.get(file ?? '');
  if (pricing === undefined) byFile.set(file ?? '', (pricing = new Pricing({ warn, ...(file === undefined ? {} : { overridePath: file }) })));
  return pricing;
}

/** Wraps a model so every response carries `costUsd` from `pricing` (0 for `sim`, null when unpriced). */
export function withPricing(model: ChatModel, spec: ModelSpec, pricing: Pricing): ChatModel {
  return {
    id: model.id,
    ...(model.simulated === undefined ? {} : { simulated: model.simulated }),
    async complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
      const response = await model.complete(request, options);
      return { ...response, costUsd: pricing.cost(spec, response.usage) };
    },
  };
}

/**
 * Creates a chat model from a spec string such as `openai:gpt-4o`, `anthropic:claude-sonnet-4-5`,
 * `openai-compatible:llama3.1:8b` (with a base URL) or `sim` (once a `sim` factory is registered).
 *
 * @throws ProviderError `provider_auth` when the provider needs an API key and none is set.
 * @throws ConfigError for a malformed spec, an unknown provider or a missing base URL.
 * @example const model = createModel('openai:gpt-4o-mini', { cache: { dir: '.cache/llm', mode: 'read-write' } });
 */
export function createModel(specText: string, options: CreateModelOptions = {}): ChatModel {
  const spec = parseModelSpec(specText);
  const entry = factories.get(spec.provider);
  if (entry === undefined) {
    const hint = spec.provider === 'sim' ? ' (the simulated model is not registered in this build)' : '';
    throw new ConfigError(`model spec "${specText}": unknown provider "${spec.provider}"${hint}${didYouMean(spec.provider, registeredProviders())}; known: ${registeredProviders().join(', ')}`, {
      path: specText,
    });
  }
  const maxResponseBytes = options.maxResponseBytes ?? MODEL_DEFAULTS.maxResponseBytes;
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 1) throw new ConfigError(`maxResponseBytes must be a positive integer, got ${maxResponseBytes}`);
  const resolved: ResolvedModelOptions = {
    ...options,
    fetch: options.fetch === undefined ? defaultFetch(maxResponseBytes) : capResponseSize(options.fetch, maxResponseBytes),
    timeoutMs: options.timeoutMs ?? MODEL_DEFAULTS.timeoutMs,
    maxRetries: options.maxRetries ?? MODEL_DEFAULTS.maxRetries,
    now: options.now ?? (() => performance.now()),
    wallNow: options.wallNow ?? Date.now,
    env: options.env ?? process.env,
    defaultMaxTokens: options.defaultMaxTokens === undefined ? MODEL_DEFAULTS.defaultMaxTokens : options.defaultMaxTokens,
    warn: options.warn ?? consoleWarn,
  };
  const base = entry.factory(spec, resolved);
  const secrets = options.secrets ?? new SecretScrubber();
  secrets.add(options.apiKey);
  for (const variable of KEY_VARIABLES[spec.provider] ?? []) secrets.add(resolved.env[variable]);
  for (const credential of urlCredentials(base.baseUrl ?? '')) secrets.add(credential);
  const pricing = options.pricing ?? sharedPricing(options.pricingFile, resolved.warn);
  if (entry.registration.offline === true) return withPricing(base, spec, pricing);

  const baseUrl = base.baseUrl === undefined ? '' : sanitizeBaseUrl(base.baseUrl);
  const limit = (options.limiters ?? defaultLimiters).get(`${spec.provider} ${baseUrl}`, options.concurrency);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...definedOnly(options.retry ?? {}), maxRetries: resolved.maxRetries };
  let model: ChatModel = withLimiter(base, limit);
  model = withRetry(model, policy, {
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  if (options.cache !== undefined && options.cache.mode !== 'off') {
    model = withCache(model, {
      ...options.cache,
      identity: { provider: spec.provider, model: spec.model, ...(base.baseUrl === undefined ? {} : { baseUrl: base.baseUrl }) },
      warn: resolved.warn,
      secrets,
    });
  }
  return withPricing(model, spec, pricing);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
