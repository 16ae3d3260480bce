/**
 * Model layer public API: one {@link ChatModel} contract, `createModel(spec)` for OpenAI,
 * Anthropic and OpenAI-compatible providers, with retries, a per-provider limiter, a
 * record/replay cache, pricing and per-role usage attribution.
 */

// Contract
export type {
  CallRecord,
  RecordedResponse,
  RecordedToolCall,
  CallRole,
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse,
  FinishReason,
  JsonSchema,
  PrivilegedContext,
  ToolCall,
  ToolCallRequest,
  ToolChoice,
  ToolSpec,
  Usage,
} from './types.js';

// Creating models
export {
  createModel,
  registerProvider,
  registeredProviders,
  withPricing,
  MODEL_DEFAULTS,
  type CreateModelOptions,
  type ProviderFactory,
  type ProviderModel,
  type ProviderRegistration,
  type ResolvedModelOptions,
} from './create-model.js';
export { parseModelSpec, BUILT_IN_PROVIDERS, type ModelSpec } from './spec.js';

// Attribution
export { withRole, callRecord, requestHashOf, recordedResponseOf, type CallSink, type RoleTaggedModel, type WithRoleOptions } from './role.js';
export {
  ReplayBook,
  ReplayModel,
  episodeTagOf,
  EPISODE_TAG_KEY,
  type EpisodeTag,
  type ReplayEpisode,
  type ReplayDivergence,
  type ReplayBookOptions,
} from './replay-model.js';

// Usage and pricing
export { addUsage, makeUsage, normalizeAnthropicUsage, normalizeOpenAIUsage, totalInputTokens } from './usage.js';
export {
  Pricing,
  costOf,
  lookupPrice,
  mergePriceTables,
  readPricingOverride,
  builtInPriceTable,
  BUILT_IN_PRICING_AS_OF,
  type ModelPrice,
  type PriceTable,
  type PricingOptions,
  type WarnSink,
} from './pricing.js';

// Layers (for custom compositions)
export { withCache, ResponseCache, isEmptyResponse, CACHE_MODES, CACHE_FORMAT_VERSION, type CacheMode, type CacheOptions, type CacheEntry } from './cache.js';
export {
  withRetry,
  retrying,
  retryDelayMs,
  isRetryable,
  realSleep,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  type RetryEnv,
  type RetryOutcome,
  type Sleep,
  type Random,
} from './retry.js';
export { LimiterRegistry, defaultLimiters, withLimiter, DEFAULT_PROVIDER_CONCURRENCY } from './limiter.js';
export { requestKey, normalizeRequest, lastMessagePreview, type RequestIdentity, type NormalizedRequest } from './request-hash.js';
export { toolCallFromRaw } from './tool-calls.js';
export { parseRetryAfter } from './provider-error.js';

// Provider adapters (one attempt each; createModel composes them)
export { OpenAIChatModel, toOpenAIBody, fromOpenAICompletion, OPENAI_DEFAULT_BASE_URL, type OpenAIChatModelOptions } from './openai-provider.js';
export { AnthropicChatModel, toAnthropicBody, fromAnthropicMessage, ANTHROPIC_DEFAULT_BASE_URL, type AnthropicChatModelOptions } from './anthropic-provider.js';
