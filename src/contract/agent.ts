/**
 * The one agent interface shared by ReAct-style baselines and Source Code Agent blueprints.
 * An agent drives an {@link AgentSession}: it reads the policy and tool definitions, calls tools,
 * talks to the user, and obtains model handles whose usage is attributed to a role.
 */
import type { PyObject } from '../core/py/py-value.js';
import type { ToolRegistry } from '../env/registry.js';
import type { CallRole, ChatModel, ToolSpec } from '../models/types.js';
import type { PromptPack } from '../prompts/pack.js';

/**
 * What the agent says first under τ² semantics, where the user waits to be greeted
 * ({@link AgentSession.firstUserMessage} is null). v1 user simulators are primed with it too.
 */
export const AGENT_GREETING = 'Hi! How can I help you today?';

/** Loop semantics: τ-bench v1 (user opens, first tool call only, transfer ends) or τ². */
export type LoopSemantics = 'v1' | 'tau2';

/** Why an episode ended. */
export type TerminationReason =
  | 'user_stop' // user said ###STOP###
  | 'transfer' // agent called the terminating transfer tool (v1) or user said ###TRANSFER### (τ²)
  | 'out_of_scope' // user said ###OUT-OF-SCOPE### (τ²)
  | 'max_steps' // step cap reached
  | 'agent_error' // the agent failed (unparsable output it could not recover from, exception)
  | 'user_error' // the user simulator failed
  | 'infrastructure_error' // a model call failed after retries: excluded from pass^k
  | 'interrupted'; // run stopped (Ctrl-C) before the episode finished

/** Result of a tool call through the session. */
export interface ToolResult {
  observation: string;
  error: boolean;
  /** The episode is over (terminating tool, or step cap). */
  done: boolean;
}

/** The user's answer to a message, or the end of the conversation. */
export interface UserReply {
  text: string;
  /** The conversation is over; `reason` says why. */
  done: boolean;
  reason?: TerminationReason;
}

/** What an agent gets for one episode. */
export interface AgentSession {
  /** Policy text (wiki.md / policy.md / built-in policy). */
  readonly policy: string;
  /** Tool definitions as the model sees them. */
  readonly tools: ToolSpec[];
  /** The domain's registry (blueprints validate their approved tools against it). */
  readonly registry: ToolRegistry;
  readonly domain: string;
  readonly semantics: LoopSemantics;
  /** The user's opening message (v1: the user speaks first), or null when the agent greets first (τ²). */
  readonly firstUserMessage: string | null;
  /** Trial index and per-episode seed (derived from the run seed, task and trial). */
  readonly trial: number;
  readonly seed: number;
  /** Deterministic RNG for the episode, in [0, 1). */
  random(): number;
  /** Agent steps taken so far (each tool call and each message to the user is one step). */
  readonly steps: number;
  readonly maxSteps: number;
  /** True once the episode has ended; further calls are no-ops returning `done`. */
  readonly ended: boolean;
  /**
   * Calls a tool. `args` is the model's raw JSON text (kept verbatim in the trajectory) or an
   * already-built object. Never throws for bad input: errors are observations.
   */
  callTool(name: string, args: string | PyObject, meta?: { toolCallId?: string }): Promise<ToolResult>;
  /** Sends a message to the user and waits for the reply. */
  say(text: string): Promise<UserReply>;
  /** A model handle whose calls are recorded under `role` (default role `agent`). */
  model(role?: CallRole): ChatModel;
  /** Records a free-form event in the trajectory (blueprint node path, parse errors…). */
  note(kind: string, data: unknown): void;
  /** Aborted when the run is interrupted. */
  readonly signal: AbortSignal;
}

/** An agent architecture: a baseline or a blueprint. Instances must be reusable across episodes. */
export interface Agent {
  /** e.g. `tool-calling`, `react`, `blueprint`. */
  readonly name: string;
  /** Plays one episode; resolves when the conversation has ended or the agent stops. */
  run(session: AgentSession): Promise<void>;
}

/** What an agent factory receives from the run configuration. */
export interface AgentOptions {
  /** Sampling temperature of the agent's model calls (τ-bench's default is 0). Undefined: provider default. */
  temperature?: number;
  /** The run seed, for choices made once per run (e.g. which few-shot examples). */
  seed: number;
  /**
   * Agent-specific settings from flags or the config file (e.g. `allToolCalls`, `fewShotFile`,
   * a blueprint's options). Each agent validates its own and rejects unknown keys.
   */
  settings: Record<string, unknown>;
  /**
   * The run's prompt pack (src/prompts/pack.ts): tool schemas the model sees, instruction texts
   * and behaviour. Undefined: the harness pack over the session's tools.
   */
  pack?: PromptPack;
  /** Number of tasks in the run's split (τ-bench seeds some draws from it, see few-shot). */
  splitTaskCount?: number;
}

/** A registered agent architecture (see `AGENTS` in `src/cli/registry.ts`). */
export interface AgentEntry {
  /** Builds the agent once per run; throws a ConfigError for bad settings before any episode. */
  create(options: AgentOptions): Agent;
  /** One line for `taubp run --help`. */
  summary: string;
  /** Domains it can play; a run on another domain is refused before any episode. Default: any. */
  domains?: readonly string[];
  /**
   * Checks the agent against the run's domain and tools once, before any episode (a blueprint
   * validates its graph and tools); throws (e.g. a BlueprintValidationError) to refuse the run.
   */
  check?(context: { domain: string; registry: ToolRegistry }): void;
}
