/**
 * OpenAI Chat Completions adapter (also used for OpenAI-compatible servers: vLLM, Ollama,
 * llama.cpp, OpenRouter, LiteLLM). One attempt per call: the SDK's own retries are off.
 */
import type OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { bodyMessage, causeMessage, endpointErrorContext, tooLargeCause, toProviderError, type ProviderErrorContext, type SdkFailure } from './provider-error.js';
import { splitBaseUrl } from './redact.js';
import type { ModelSpec } from './spec.js';
import { toolCallFromRaw } from './tool-calls.js';
import type { ChatModel, ChatRequest, ChatResponse, FinishReason, ToolCall, ToolChoice } from './types.js';
import { normalizeOpenAIUsage } from './usage.js';

/** Default base URL of the OpenAI API. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Options of {@link OpenAIChatModel}. */
export interface OpenAIChatModelOptions {
  spec: ModelSpec;
  apiKey: string;
  baseUrl: string;
  /** Per-attempt timeout, ms. */
  timeoutMs: number;
  /** Name of the output-token limit field: `max_completion_tokens` (OpenAI) or `max_tokens` (most compatible servers). */
  maxTokensParam: 'max_completion_tokens' | 'max_tokens';
  /** Used when a request sets no `maxTokens`; null: no limit field is sent (τ-bench sends none). */
  defaultMaxTokens: number | null;
  /** Send `name` (the tool's name) on tool-result messages, as τ-bench does. Default false. */
  toolMessageName?: boolean;
  fetch?: typeof fetch;
  /** Monotonic clock for latency, ms. */
  now: () => number;
  /** Wall clock for `Retry-After` dates, epoch ms. */
  wallNow: () => number;
}

function toolChoiceParam(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/** Maps a {@link ChatRequest} to a Chat Completions request body. */
export function toOpenAIBody(
  model: string,
  request: ChatRequest,
  settings: Pick<OpenAIChatModelOptions, 'maxTokensParam' | 'defaultMaxTokens' | 'toolMessageName'>,
): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system !== undefined) messages.push({ role: 'system', content: request.system });
  for (const m of request.messages) {
    switch (m.role) {
      case 'user':
        messages.push({ role: 'user', content: m.content });
        break;
      case 'assistant':
        messages.push({
          role: 'assistant',
          content: m.content,
          ...(m.toolCalls === undefined || m.toolCalls.length === 0
            ? {}
            : { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) }),
        });
        break;
      case 'tool':
        // `name` on tool messages is accepted by the API though the SDK's type leaves it out.
        messages.push({ role: 'tool', tool_call_id: m.toolCallId, ...(settings.toolMessageName === true ? { name: m.name } : {}), content: m.content } as ChatCompletionMessageParam);
        break;
    }
  }
  const body: ChatCompletionCreateParamsNonStreaming = { model, messages };
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    body.tools = tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
    if (request.toolChoice !== undefined) body.tool_choice = toolChoiceParam(request.toolChoice);
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.seed !== undefined) body.seed = request.seed;
  const maxTokens = request.maxTokens ?? settings.defaultMaxTokens;
  if (maxTokens !== null) body[settings.maxTokensParam] = maxTokens;
  if (request.responseFormat !== undefined) {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: request.responseFormat.name, schema: request.responseFormat.schema, strict: false },
    };
  }
  return body;
}

function finishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}

/** Maps a Chat Completions response to a {@link ChatResponse} (cost and retries filled in by outer layers). */
export function fromOpenAICompletion(completion: ChatCompletion, modelId: string, latencyMs: number): ChatResponse {
  const choice = completion.choices[0];
  const message = choice?.message;
  const toolCalls: ToolCall[] = [];
  (message?.tool_calls ?? []).forEach((call, index) => {
    if (call.type !== 'function') return;
    toolCalls.push(toolCallFromRaw(call.id || `call_${index}`, call.function.name, call.function.arguments ?? ''));
  });
  let text = message?.content ?? null;
  let reason = finishReason(choice?.finish_reason);
  if (text === null && typeof message?.refusal === 'string' && message.refusal !== '') {
    text = message.refusal;
    reason = 'content_filter';
  }
  const requestId = (completion as { _request_id?: string | null })._request_id;
  return {
    text,
    toolCalls,
    finishReason: reason,
    usage: normalizeOpenAIUsage(completion.usage),
    latencyMs,
    costUsd: null,
    ...(typeof requestId === 'string' && requestId !== '' ? { requestId } : {}),
    retries: 0,
    retryWaitMs: 0,
    model: modelId,
  };
}

let sdk: typeof OpenAI | undefined;

/** The openai SDK, imported on first use (a run that makes no OpenAI call never loads it). */
export async function loadOpenAISdk(): Promise<typeof OpenAI> {
  sdk ??= (await import('openai')).default;
  return sdk;
}

/** Classifies an error thrown by the openai SDK (loaded by {@link loadOpenAISdk}). */
export function classifyOpenAIError(err: unknown, timeoutMs: number): SdkFailure {
  const OpenAI = sdk;
  if (OpenAI !== undefined && err instanceof OpenAI.APIUserAbortError) return { kind: 'aborted' };
  const tooLarge = tooLargeCause(err);
  if (tooLarge !== undefined) return { kind: 'too_large', limitBytes: tooLarge.limitBytes };
  if (OpenAI === undefined) return { kind: 'invalid_response', providerMessage: err instanceof Error ? err.message : String(err) };
  if (err instanceof OpenAI.APIConnectionTimeoutError) return { kind: 'timeout', timeoutMs };
  if (err instanceof OpenAI.APIConnectionError) {
    const cause = causeMessage(err.cause);
    return { kind: 'connection', ...(cause === undefined ? {} : { causeMessage: cause }) };
  }
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    const { message, type } = bodyMessage(err.error);
    return {
      kind: 'http',
      status: err.status,
      ...(err.headers === undefined ? {} : { headers: err.headers }),
      ...(message === undefined ? {} : { providerMessage: message }),
      ...(type === undefined ? {} : { providerType: type }),
      ...(typeof err.requestID === 'string' ? { requestId: err.requestID } : {}),
    };
  }
  // Body that is not a chat completion (e.g. HTML from a proxy), JSON parse failures and the like.
  return { kind: 'invalid_response', providerMessage: err instanceof Error ? err.message : String(err) };
}

/** One-attempt Chat Completions model. Use `createModel` for retries, limiter, cache and pricing. */
export class OpenAIChatModel implements ChatModel {
  readonly id: string;
  readonly baseUrl: string;
  #client: OpenAI | undefined;
  readonly #options: OpenAIChatModelOptions;
  readonly #errorContext: ProviderErrorContext;

  constructor(options: OpenAIChatModelOptions) {
    this.id = options.spec.id;
    this.baseUrl = options.baseUrl;
    this.#options = options;
    this.#errorContext = endpointErrorContext(this.id, options.baseUrl, options.apiKey, options.wallNow);
  }

  /** The SDK client, made on the first call (the SDK is imported then). */
  async #sdkClient(): Promise<OpenAI> {
    if (this.#client !== undefined) return this.#client;
    const OpenAI = await loadOpenAISdk();
    const options = this.#options;
    // Query parameters of the base URL (`?api-key=…`, `?api-version=…`) go with every request.
    const { baseUrl, query } = splitBaseUrl(options.baseUrl);
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: baseUrl,
      ...(Object.keys(query).length === 0 ? {} : { defaultQuery: query }),
      timeout: options.timeoutMs,
      maxRetries: 0,
      logLevel: 'off',
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    return this.#client;
  }

  async complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
    const o = this.#options;
    const body = toOpenAIBody(o.spec.model, request, o);
    const client = await this.#sdkClient();
    const started = o.now();
    let completion: ChatCompletion;
    try {
      completion = await client.chat.completions.create(body, {
        maxRetries: 0,
        timeout: o.timeoutMs,
        ...(options?.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (err) {
      throw toProviderError(classifyOpenAIError(err, o.timeoutMs), this.#errorContext);
    }
    const latencyMs = o.now() - started;
    if (!Array.isArray(completion.choices) || completion.choices.length === 0) {
      const requestId = (completion as { _request_id?: string | null })._request_id;
      throw toProviderError(
        { kind: 'invalid_response', providerMessage: 'no choices in the completion', ...(typeof requestId === 'string' ? { requestId } : {}) },
        this.#errorContext,
      );
    }
    return fromOpenAICompletion(completion, this.id, latencyMs);
  }
}
