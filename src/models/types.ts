/**
 * The one chat-model contract every LLM call of the harness goes through: agents, user
 * simulators, blueprint sub-tasks and judges. Providers (OpenAI, Anthropic, OpenAI-compatible,
 * the offline simulated model) implement {@link ChatModel}; wrappers add caching, retries and
 * usage attribution without changing the shape.
 */

/** A JSON Schema object as sent to providers (no `$schema` key). */
export type JsonSchema = Record<string, unknown>;

/** A tool the model may call; `parameters` is derived from the tool's zod schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

/** A tool call as the model produced it. `arguments` is the raw JSON text, kept verbatim. */
export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: string;
}

/** Conversation messages (the system prompt is separate, see {@link ChatRequest.system}). */
export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCallRequest[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError?: boolean };

/** How the model may use tools: `auto` (default), `none`, `required`, or one named tool. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/**
 * Side information for the offline simulated model (`sim`). Real providers never see it and it
 * is not part of the cache key. Runners attach the episode's task; blueprint sub-tasks attach
 * the bounded question they ask.
 */
export interface PrivilegedContext {
  /** The episode's task (internal task model); lets `sim` play along the gold actions. */
  task?: unknown;
  /** For blueprint sub-tasks: which bounded question this call asks, with its structured input. */
  subtask?: { name: string; input: unknown };
  /** Free-form extras for the simulator. */
  [key: string]: unknown;
}

/** One chat completion request. */
export interface ChatRequest {
  /** System prompt (policy text, instructions). */
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  /** Default `auto` when tools are given. */
  toolChoice?: ToolChoice;
  /** Sampling temperature; omitted means the provider's default. */
  temperature?: number;
  /** Maximum output tokens. Default: the provider adapter's default (4096). */
  maxTokens?: number;
  /** Best-effort seed (OpenAI only honours it loosely; Anthropic ignores it). */
  seed?: number;
  /** Structured output: the reply text must be JSON matching this schema. */
  responseFormat?: { name: string; schema: JsonSchema };
  /**
   * Trial index of the episode this call belongs to. Part of the cache key, so that trials
   * of the same task do not collapse into one recorded answer. Default 0.
   */
  trial?: number;
  /** Not sent to real providers, not hashed: see {@link PrivilegedContext}. */
  privileged?: PrivilegedContext;
}

/** A tool call in a response: raw text next to the parsed value (or the parse error). */
export interface ToolCall {
  id: string;
  name: string;
  /** Exactly what the model sent (Anthropic's parsed `input` is re-serialised with JSON.stringify). */
  rawArguments: string;
  /** Parsed arguments when `rawArguments` is valid JSON, else `undefined`. */
  arguments: unknown;
  /** Set when `rawArguments` is not valid JSON; the agent loop reports it back to the model. */
  parseError?: string;
}

/**
 * Token usage by bucket. `undefined` means the provider did not report that bucket (distinct
 * from 0). `input` counts input tokens billed at the base rate, i.e. it EXCLUDES cache reads and
 * cache writes (OpenAI's `prompt_tokens` include cached tokens, so they are subtracted there).
 * Total prompt size = input + cacheRead + cacheWrite.
 */
export interface Usage {
  input?: number;
  cacheRead?: number;
  cacheWrite?: number;
  output?: number;
  /** Reasoning tokens, a subset of `output` where providers report them. */
  reasoning?: number;
}

/** Why generation stopped, normalised across providers. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

/** One chat completion response. */
export interface ChatResponse {
  /** Reply text, or null when the model only called tools. */
  text: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  /** Wall time of the successful HTTP attempt (or the simulated latency), ms. */
  latencyMs: number;
  /** USD, or null when the model has no price entry. */
  costUsd: number | null;
  /** Provider request id (`x-request-id` / `request-id`), when known. */
  requestId?: string;
  /** Retries this call needed (0 when the first attempt succeeded). */
  retries: number;
  /** Time spent waiting between retries, ms. */
  retryWaitMs: number;
  /** Model spec that answered, e.g. `openai:gpt-4o`. */
  model: string;
  /** True when served from the record/replay cache. */
  cached?: boolean;
}

/** A chat model. Implementations must be safe to call concurrently. */
export interface ChatModel {
  /** Spec string, e.g. `openai:gpt-4o`, `anthropic:claude-sonnet-4-5`, `sim:0.1`. */
  readonly id: string;
  /** True for the offline simulated model; outputs of such runs say "simulated model". */
  readonly simulated?: boolean;
  complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse>;
}

/** Who made an LLM call, for usage reports. Open set; these are the built-in roles. */
export type CallRole = 'agent' | 'user' | 'subtask' | 'judge' | (string & {});

/** One LLM call as recorded in a trajectory and aggregated in reports. */
export interface CallRecord {
  role: CallRole;
  model: string;
  usage: Usage;
  latencyMs: number;
  costUsd: number | null;
  retries: number;
  retryWaitMs: number;
  cached: boolean;
  /** Epoch ms when the call started (timestamps are the only fields allowed to vary between identical runs). */
  startedAt: number;
  requestId?: string;
  /**
   * Position of the call among its role's calls in the episode, in the order the calls started
   * (0-based). Records of episodes are kept for exact replay (`taubp replay`); absent in records
   * written before responses were recorded.
   */
  seq?: number;
  /** Short hash of the request as sent (`requestHashOf` in `role.ts`), to find where a replay diverges. */
  requestHash?: string;
  /** What the caller got back (for exact replay); absent in records written before responses were recorded. */
  response?: RecordedResponse;
}

/** A tool call as recorded with its response: the raw argument text, and the parse error if it had one. */
export interface RecordedToolCall {
  id: string;
  name: string;
  /** The raw argument text ({@link ToolCall.rawArguments}). */
  arguments: string;
  parseError?: string;
}

/**
 * A response as recorded in an episode's {@link CallRecord}: what the caller saw, without the
 * fields that depend on timing, retries or pricing (usage and model are on the record itself).
 */
export interface RecordedResponse {
  text: string | null;
  /** Omitted when the model called no tools. */
  toolCalls?: RecordedToolCall[];
  finishReason: FinishReason;
}
