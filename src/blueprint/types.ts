/**
 * The shape of a blueprint: a fixed graph of typed nodes over one mutable context object `Ctx`.
 * Edges are explicit (`next`, a route's declared `targets`, `fallback`, `onPreFail`, …), so the
 * graph is static: it can be validated before a run and exported (Mermaid, JSON).
 *
 * Only `tool` nodes call tools, only `llm` (and LLM-worded `say`) nodes call models, and every
 * choice of the next node is made by code.
 */
import type { z } from 'zod';
import type { PyObject, PyValue } from '../core/py/py-value.js';
import type { LoopSemantics } from '../contract/agent.js';

/** What the context factory learns about the episode. */
export interface RunInfo {
  domain: string;
  semantics: LoopSemantics;
  trial: number;
  seed: number;
  /** The user's opening message (v1), or null when the agent speaks first (τ²). */
  firstUserMessage: string | null;
  /** The session's policy text (e.g. to pick a data source's rule numbers). */
  policy: string;
}

/** A named condition over the context; `true` means it holds. Must not change `ctx`. */
export type Check<Ctx> = (ctx: Readonly<Ctx>) => boolean;

/** Named conditions, checked in declaration order; the name is what the audit log records. */
export type Checks<Ctx> = Readonly<Record<string, Check<Ctx>>>;

/** Fields every node may carry. */
export interface NodeCommon<Ctx> {
  /** Unique node id (any non-empty string). */
  id: string;
  /** One line for people; shown in graph exports. */
  description?: string;
  /**
   * Preconditions checked before the node runs. A failure goes to `onPreFail` when declared,
   * otherwise the run fails with a {@link BlueprintRuntimeError}. For a `tool` node calling a
   * write tool, `pre` is mandatory: it is where the policy check lives.
   */
  pre?: Checks<Ctx>;
  /** Where a failed precondition goes (an edge of the graph). */
  onPreFail?: string;
  /**
   * Postconditions checked after the node's body. A failure re-runs the body while `retry`
   * allows (an `llm` node instead feeds the failure back to the model, within `maxAttempts`),
   * then goes to `onPostFail` (for `llm`: `fallback`) or fails the run.
   */
  post?: Checks<Ctx>;
  /** Where a postcondition that still fails after the retries goes (an edge of the graph). */
  onPostFail?: string;
  /** Extra attempts of the body after it throws or its postcondition fails. Default 0, at most 10. */
  retry?: number;
  /**
   * Time limit of each model call the node makes (`llm` attempts, LLM-worded `say`), ms. A call
   * that runs over is aborted and counts as a failed attempt. Tools and user replies are not
   * timed by the engine (the runner bounds those). Default: none.
   */
  timeoutMs?: number;
}

/** What code nodes get besides the context. */
export interface CodeRuntime {
  /** The episode's deterministic RNG in [0, 1); each draw is logged and replayed. */
  random(): number;
  readonly info: RunInfo;
}

/** Pure deterministic code over the context. */
export interface CodeNode<Ctx> extends NodeCommon<Ctx> {
  kind: 'code';
  run: (ctx: Ctx, rt: CodeRuntime) => void;
  next: string;
}

/** One argument of a tool node: a constant, or computed from the context (`undefined` omits it). */
export type ToolArg<Ctx> = PyValue | ((ctx: Readonly<Ctx>) => PyValue | undefined);

/** A tool's result as a node sees it. */
export interface ToolOutcome {
  observation: string;
  /** The observation is an error (`Error: ...`, unknown tool, invalid arguments). */
  error: boolean;
  /** The episode ended with this call (terminating tool, step cap). */
  done: boolean;
  /** The observation parsed as Python-compatible JSON, or `undefined` when it is not JSON. */
  json(): PyValue | undefined;
}

/**
 * Calls one approved tool with arguments computed by code. The argument names are the keys of
 * `args` (static, so validation checks them against the tool's schema); their order is the
 * order the tool receives them in.
 */
export interface ToolNode<Ctx> extends NodeCommon<Ctx> {
  kind: 'tool';
  tool: string;
  args: Readonly<Record<string, ToolArg<Ctx>>>;
  /** Stores what the node needs from the result into the context. */
  onResult?: (ctx: Ctx, result: ToolOutcome) => void;
  next: string;
  /** Where an error observation goes. Default: `next`. */
  onError?: string;
}

/**
 * A bounded LLM sub-task: a question built from the context, answered as JSON that must match
 * `schema` (a zod object) and `check`. Invalid answers are fed back to the model up to
 * `maxAttempts`; then the run goes to `fallback`. Calls go through `session.model('subtask')`
 * with `privileged.subtask = { name: task, input }`.
 */
export interface LlmNode<Ctx, Out = unknown> extends NodeCommon<Ctx> {
  kind: 'llm';
  /** Stable sub-task name (e.g. `classify_intent`); the simulated model keys on it. */
  task: string;
  /** What the model is asked to do, in words (part of the system prompt). */
  instructions: string;
  /** The structured input of the question (JSON-like); sent to the model and logged. */
  input: (ctx: Readonly<Ctx>) => unknown;
  /** Output schema; must describe a JSON object. */
  schema: z.ZodType<Out>;
  /** Semantic check of a schema-valid answer: an error message, or undefined when fine. */
  check?: (out: Out, ctx: Readonly<Ctx>) => string | undefined;
  /** Stores the answer into the context. */
  onResult: (ctx: Ctx, out: Out) => void;
  next: string;
  /** Attempts before falling back. Default 3, at most 10. */
  maxAttempts?: number;
  /** Where the run goes when no attempt gave a valid answer (ask again, transfer, …). */
  fallback: string;
  /** Runs before going to `fallback`, with the last error. */
  onFallback?: (ctx: Ctx, error: string) => void;
  /** Sampling temperature. Default: the engine's `subtask.temperature` (0). */
  temperature?: number;
  /** Output token cap. Default: the engine's `subtask.maxTokens` (provider default when unset). */
  maxTokens?: number;
}

/** How a `say` node's message may be worded by the agent model (when the engine runs with `replies: 'llm'`). */
export interface SayWording<Ctx> {
  /** Name of the wording task (the simulated model sees `say:<task>`). */
  task: string;
  /** The facts the reply must convey; the template text is always sent along as a draft. */
  facts: (ctx: Readonly<Ctx>) => unknown;
  /** Extra instructions for the wording. */
  instructions?: string;
}

/** Sends a message to the user and stores the reply. */
export interface SayNode<Ctx> extends NodeCommon<Ctx> {
  kind: 'say';
  /** The message, built by code (always used with `replies: 'template'`, the default). */
  text: (ctx: Readonly<Ctx>) => string;
  /** Optional LLM wording of the same message. */
  word?: SayWording<Ctx>;
  /** Stores the user's reply. */
  onReply?: (ctx: Ctx, reply: string) => void;
  next: string;
}

/** Picks the next node among declared targets by code. */
export interface RouteNode<Ctx> extends NodeCommon<Ctx> {
  kind: 'route';
  targets: readonly string[];
  /** Must return one of `targets` (anything else fails the run). */
  choose: (ctx: Readonly<Ctx>) => string;
}

/** Two-way route. */
export interface BranchNode<Ctx> extends NodeCommon<Ctx> {
  kind: 'branch';
  test: (ctx: Readonly<Ctx>) => boolean;
  then: string;
  else: string;
}

/**
 * A bounded while-loop. Each time the loop node is entered while `while(ctx)` holds, the body
 * runs once more; at most `maxIterations` times per activation. An activation starts when the
 * loop is entered from outside its body (nodes that lie between `body` and the loop node).
 */
export interface LoopNode<Ctx> extends NodeCommon<Ctx> {
  kind: 'loop';
  maxIterations: number;
  while: (ctx: Readonly<Ctx>) => boolean;
  body: string;
  exit: string;
  /** Where to go when `while` still holds after `maxIterations`. Default: the run fails. */
  onExhausted?: string;
}

/**
 * A bounded loop over items computed when the loop is activated. Each entry binds the next item
 * (via `bind`) and runs the body; when items run out it goes to `exit`.
 */
export interface ForeachNode<Ctx, T = unknown> extends NodeCommon<Ctx> {
  kind: 'foreach';
  maxIterations: number;
  items: (ctx: Readonly<Ctx>) => readonly T[];
  bind: (ctx: Ctx, item: T, index: number) => void;
  body: string;
  exit: string;
  /** Where to go when there are more than `maxIterations` items. Default: the run fails. */
  onExhausted?: string;
}

/** Ends the run with a reason (e.g. `resolved`, `refused`, `transferred`). */
export interface EndNode<Ctx> extends NodeCommon<Ctx> {
  kind: 'end';
  reason: string;
}

/** Any node. */
export type BlueprintNode<Ctx> =
  | CodeNode<Ctx>
  | ToolNode<Ctx>
  | LlmNode<Ctx, any>
  | SayNode<Ctx>
  | RouteNode<Ctx>
  | BranchNode<Ctx>
  | LoopNode<Ctx>
  | ForeachNode<Ctx, any>
  | EndNode<Ctx>;

/** Node kinds. */
export type NodeKind = BlueprintNode<unknown>['kind'];

/** A defined blueprint (see {@link defineBlueprint}). Immutable. */
export interface Blueprint<Ctx> {
  readonly id: string;
  readonly version: string;
  /** The domain it is written for (informational; validation uses the registry). */
  readonly domain: string | undefined;
  readonly description: string | undefined;
  /** The only tools the blueprint may call; checked before a run and at every call. */
  readonly approvedTools: readonly string[];
  readonly start: string;
  /** A fresh context for each run. */
  readonly context: (info: RunInfo) => Ctx;
  readonly nodes: readonly BlueprintNode<Ctx>[];
}

/** A blueprint of any context type. */
export type AnyBlueprint = Blueprint<any>;

/** Tool arguments as sent: a Python-ordered object. */
export type ToolArgs = PyObject;
