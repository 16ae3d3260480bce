/**
 * Anthropic Messages adapter: system prompt and tools marked for prompt caching, tool_use /
 * tool_result blocks, structured output through a forced tool. One attempt per call.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
  Tool,
  ToolChoice as AnthropicToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
import { bodyMessage, causeMessage, endpointErrorContext, tooLargeCause, toProviderError, type ProviderErrorContext, type SdkFailure } from './provider-error.js';
import { splitBaseUrl } from './redact.js';
import type { ModelSpec } from './spec.js';
import type { ChatModel, ChatRequest, ChatResponse, FinishReason, JsonSchema, ToolCall, ToolChoice } from './types.js';
import { normalizeAnthropicUsage } from './usage.js';
import { parsePyJson, pyDumps } from '../core/py/py-json.js';
import { isPyObject, type PyValue } from '../core/py/py-value.js';

/** Default base URL of the Anthropic API (without `/v1`; the SDK adds it). */
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** Options of {@link AnthropicChatModel}. */
export interface AnthropicChatModelOptions {
  spec: ModelSpec;
  apiKey: string;
  baseUrl: string;
  /** Per-attempt timeout, ms. */
  timeoutMs: number;
  /** `max_tokens` when a request sets none (Anthropic requires it). */
  defaultMaxTokens: number;
  fetch?: typeof fetch;
  now: () => number;
  wallNow: () => number;
}

/** Property under which a non-object structured-output schema is wrapped (Anthropic tool inputs must be objects). */
const WRAPPED_VALUE = 'value';

function isObjectSchema(schema: JsonSchema): boolean {
  return schema['type'] === 'object';
}

function toolChoiceParam(choice: ToolChoice): AnthropicToolChoice {
  if (typeof choice !== 'string') return { type: 'tool', name: choice.name };
  if (choice === 'required') return { type: 'any' };
  return { type: choice };
}

function parseForInput(raw: string): unknown {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/**
 * Maps a {@link ChatRequest} to a Messages request body. Consecutive tool results (and a user
 * message right after them) are merged into one user turn; the system prompt and the last tool
 * carry `cache_control: ephemeral`. With `responseFormat`, a tool of that name whose input
 * schema is the format's schema is added and forced.
 */
export function toAnthropicBody(model: string, request: ChatRequest, defaultMaxTokens: number): MessageCreateParamsNonStreaming {
  const turns: { role: 'user' | 'assistant'; blocks: ContentBlockParam[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]): void => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last !== undefined && last.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  };
  for (const m of request.messages) {
    switch (m.role) {
      case 'user':
        push('user', [{ type: 'text', text: m.content }]);
        break;
      case 'assistant': {
        const blocks: ContentBlockParam[] = [];
        if (m.content !== null && m.content !== '') blocks.push({ type: 'text', text: m.content });
        for (const call of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: parseForInput(call.arguments) });
        push('assistant', blocks);
        break;
      }
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content, ...(m.isError === true ? { is_error: true } : {}) }]);
        break;
    }
  }
  const messages: MessageParam[] = turns.map((t) =>
    // A single text block goes as a plain string: the same request, smaller and easier to read.
    t.blocks.length === 1 && t.blocks[0]?.type === 'text' ? { role: t.role, content: t.blocks[0].text } : { role: t.role, content: t.blocks },
  );

  const body: MessageCreateParamsNonStreaming = { model, max_tokens: request.maxTokens ?? defaultMaxTokens, messages };
  if (request.system !== undefined && request.system !== '') {
    body.system = [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }];
  }
  const tools: Tool[] = (request.tools ?? []).map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters as Tool.InputSchema }));
  let toolChoice: AnthropicToolChoice | undefined = tools.length > 0 && request.toolChoice !== undefined ? toolChoiceParam(request.toolChoice) : undefined;
  if (request.responseFormat !== undefined) {
    const { name, schema } = request.responseFormat;
    const inputSchema = isObjectSchema(schema) ? schema : { type: 'object', properties: { [WRAPPED_VALUE]: schema }, required: [WRAPPED_VALUE] };
    tools.push({ name, description: `Return the answer as the input of this tool.`, input_schema: inputSchema as Tool.InputSchema });
    toolChoice = { type: 'tool', name };
  }
  const lastTool = tools.at(-1);
  if (lastTool !== undefined) {
    tools[tools.length - 1] = { ...lastTool, cache_control: { type: 'ephemeral' } };
    body.tools = tools;
  }
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  // The 1.x SDK types no longer list `temperature`; older models still accept it, newer ones only 1.0.
  if (request.temperature !== undefined) (body as unknown as Record<string, unknown>)['temperature'] = request.temperature;
  return body;
}

function finishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}

/**
 * Tool inputs of a raw Messages body as JSON text that keeps float literals (`250.0`), by
 * tool_use id. Undefined when the body cannot be read that way (the SDK's parse is used then).
 */
export function rawToolInputs(bodyText: string): Map<string, string> | undefined {
  let body: PyValue;
  try {
    body = parsePyJson(bodyText, 'anthropic response');
  } catch {
    return undefined;
  }
  const out = new Map<string, string>();
  const content = isPyObject(body) ? body.content : undefined;
  if (!Array.isArray(content)) return out;
  for (const block of content) {
    if (isPyObject(block) && block.type === 'tool_use' && typeof block.id === 'string' && block.input !== undefined) out.set(block.id, pyDumps(block.input));
  }
  return out;
}

/** Maps a Messages response to a {@link ChatResponse}; `responseFormat` names the forced structured-output tool, if any. */
export function fromAnthropicMessage(
  message: Message,
  modelId: string,
  latencyMs: number,
  responseFormat?: ChatRequest['responseFormat'],
  rawInputs?: ReadonlyMap<string, string>,
): ChatResponse {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  let structured: string | undefined;
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') {
      if (responseFormat !== undefined && block.name === responseFormat.name && structured === undefined) {
        const input = block.input as Record<string, unknown> | null;
        const value = isObjectSchema(responseFormat.schema) ? input : input?.[WRAPPED_VALUE];
        structured = JSON.stringify(value ?? null);
        continue;
      }
      toolCalls.push({ id: block.id, name: block.name, rawArguments: rawInputs?.get(block.id) ?? JSON.stringify(block.input ?? {}), arguments: block.input ?? {} });
    }
  }
  let reason = finishReason(message.stop_reason);
  if (structured !== undefined && toolCalls.length === 0 && reason === 'tool_calls') reason = 'stop';
  const text = structured ?? (texts.length === 0 ? null : texts.join(''));
  const requestId = (message as { _request_id?: string | null })._request_id;
  return {
    text,
    toolCalls,
    finishReason: reason,
    usage: normalizeAnthropicUsage(message.usage),
    latencyMs,
    costUsd: null,
    ...(typeof requestId === 'string' && requestId !== '' ? { requestId } : {}),
    retries: 0,
    retryWaitMs: 0,
    model: modelId,
  };
}

let sdk: typeof Anthropic | undefined;

/** The Anthropic SDK, imported on first use (a run that makes no Anthropic call never loads it). */
export async function loadAnthropicSdk(): Promise<typeof Anthropic> {
  sdk ??= (await import('@anthropic-ai/sdk')).default;
  return sdk;
}

/** Classifies an error thrown by the Anthropic SDK (loaded by {@link loadAnthropicSdk}). */
export function classifyAnthropicError(err: unknown, timeoutMs: number): SdkFailure {
  const Anthropic = sdk;
  if (Anthropic !== undefined && err instanceof Anthropic.APIUserAbortError) return { kind: 'aborted' };
  const tooLarge = tooLargeCause(err);
  if (tooLarge !== undefined) return { kind: 'too_large', limitBytes: tooLarge.limitBytes };
  if (Anthropic === undefined) return { kind: 'invalid_response', providerMessage: err instanceof Error ? err.message : String(err) };
  if (err instanceof Anthropic.APIConnectionTimeoutError) return { kind: 'timeout', timeoutMs };
  if (err instanceof Anthropic.APIConnectionError) {
    const cause = causeMessage(err.cause);
    return { kind: 'connection', ...(cause === undefined ? {} : { causeMessage: cause }) };
  }
  if (err instanceof Anthropic.APIError && typeof err.status === 'number') {
    const fromBody = bodyMessage(err.error);
    const message = err.apiMessage ?? fromBody.message;
    const type = err.type ?? fromBody.type;
    return {
      kind: 'http',
      status: err.status,
      ...(err.headers === undefined ? {} : { headers: err.headers }),
      ...(message === undefined || message === null ? {} : { providerMessage: message }),
      ...(type === undefined || type === null ? {} : { providerType: type }),
      ...(typeof err.requestID === 'string' ? { requestId: err.requestID } : {}),
    };
  }
  return { kind: 'invalid_response', providerMessage: err instanceof Error ? err.message : String(err) };
}

/** One-attempt Anthropic Messages model. Use `createModel` for retries, limiter, cache and pricing. */
export class AnthropicChatModel implements ChatModel {
  readonly id: string;
  readonly baseUrl: string;
  #client: Anthropic | undefined;
  readonly #options: AnthropicChatModelOptions;
  readonly #errorContext: ProviderErrorContext;

  constructor(options: AnthropicChatModelOptions) {
    this.id = options.spec.id;
    this.baseUrl = options.baseUrl;
    this.#options = options;
    this.#errorContext = endpointErrorContext(this.id, options.baseUrl, options.apiKey, options.wallNow);
  }

  /** The SDK client, made on the first call (the SDK is imported then). */
  async #sdkClient(): Promise<Anthropic> {
    if (this.#client !== undefined) return this.#client;
    const Anthropic = await loadAnthropicSdk();
    const options = this.#options;
    // Query parameters of the base URL go with every request (the SDK appends paths as text).
    const { baseUrl, query } = splitBaseUrl(options.baseUrl);
    this.#client = new Anthropic({
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
    const body = toAnthropicBody(o.spec.model, request, o.defaultMaxTokens);
    const client = await this.#sdkClient();
    const started = o.now();
    let message: Message;
    let bodyText: string;
    try {
      // The raw body is read here (instead of letting the SDK parse it) so that tool inputs keep
      // Python's int/float distinction (`250.0` stays a float, as in the reference's Python SDK).
      const response = await client.messages
        .create(body, {
          maxRetries: 0,
          timeout: o.timeoutMs,
          ...(options?.signal === undefined ? {} : { signal: options.signal }),
        })
        .asResponse();
      bodyText = await response.text();
      const requestId = response.headers.get('request-id');
      message = { ...(JSON.parse(bodyText) as Message), ...(requestId === null ? {} : { _request_id: requestId }) };
    } catch (err) {
      if (err instanceof SyntaxError) {
        throw toProviderError({ kind: 'invalid_response', providerMessage: 'the response body is not valid JSON' }, this.#errorContext);
      }
      throw toProviderError(classifyAnthropicError(err, o.timeoutMs), this.#errorContext);
    }
    const latencyMs = o.now() - started;
    if (!Array.isArray(message.content)) {
      throw toProviderError({ kind: 'invalid_response', providerMessage: 'no content in the message' }, this.#errorContext);
    }
    return fromAnthropicMessage(message, this.id, latencyMs, request.responseFormat, rawToolInputs(bodyText));
  }
}
