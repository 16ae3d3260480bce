/**
 * The runner's side of {@link AgentSession}: counts steps, routes tool calls to the episode's
 * environment and messages to the user simulator, detects the end of the episode and records
 * the trajectory. Nothing here throws for an agent's bad input: errors are observations.
 */
import { HarnessError, ProviderError } from '../core/errors.js';
import { pyDumps } from '../core/py/py-json.js';
import type { PyObject } from '../core/py/py-value.js';
import type { Task } from '../core/task.js';
import { RESPOND, type Environment, type StepResult } from '../env/environment.js';
import type { ToolRegistry } from '../env/registry.js';
import type { CallRecord, CallRole, ChatModel, ToolSpec } from '../models/types.js';
import { OUT_OF_SCOPE_TOKEN, STOP_TOKEN, TRANSFER_TOKEN, type UserSimulator } from '../contract/user.js';
import type { AgentSession, LoopSemantics, TerminationReason, ToolResult, UserReply } from '../contract/agent.js';
import { episodeModel } from './episode-models.js';
import type { Termination, TrajectoryEvent } from '../contract/record.js';
import { seededRandom } from '../core/rng.js';

/** Models of an episode by role; roles without an entry use `agent`. */
export interface ModelsByRole {
  agent?: ChatModel;
  [role: string]: ChatModel | undefined;
}

/** Options of {@link EpisodeSession}. */
export interface EpisodeSessionOptions {
  task: Task;
  env: Environment;
  user: UserSimulator;
  policy: string;
  domain: string;
  semantics: LoopSemantics;
  firstUserMessage: string | null;
  trial: number;
  seed: number;
  maxSteps: number;
  /** Base models; the session wraps them per role (privileged task, trial, call records). */
  models: ModelsByRole;
  /** Receives the CallRecord of every successful call. */
  calls: CallRecord[];
  /** Trajectory events are appended here. */
  trajectory: TrajectoryEvent[];
  signal: AbortSignal;
  /**
   * Whether a terminating tool (v1 `transfer_to_human_agents`) ends the episode. Default: true
   * for v1 semantics; false for τ², where the user ends a transfer with `###TRANSFER###`.
   */
  endOnTerminateTool?: boolean;
  /** Epoch-ms clock. Default `Date.now`. */
  now?: () => number;
}

/** Stop tokens per semantics, with the reason each one gives. */
const STOP_TOKENS: Record<LoopSemantics, ReadonlyArray<readonly [string, TerminationReason]>> = {
  v1: [[STOP_TOKEN, 'user_stop']],
  tau2: [
    [STOP_TOKEN, 'user_stop'],
    [TRANSFER_TOKEN, 'transfer'],
    [OUT_OF_SCOPE_TOKEN, 'out_of_scope'],
  ],
};

/** The termination a user's message asks for, if it contains a stop token of the semantics. */
export function stopTokenIn(text: string, semantics: LoopSemantics): TerminationReason | undefined {
  for (const [token, reason] of STOP_TOKENS[semantics]) if (text.includes(token)) return reason;
  return undefined;
}

/**
 * Whether the failing side (the agent for `agent_error`, the user for `user_error`) already had
 * a successful model call in this episode, i.e. whether its next request carried a conversation.
 */
function sideHadCall(calls: readonly { role: string }[], fallback: TerminationReason): boolean {
  if (fallback === 'user_error') return calls.some((c) => c.role === 'user');
  return calls.some((c) => c.role !== 'user' && c.role !== 'judge');
}

/**
 * How an error ends an episode: `interrupted` when the run was aborted; `infrastructure_error`
 * for a model failure that survived retries (left out of pass^k, run again by `--resume`);
 * otherwise `fallback`.
 *
 * A request the provider refused as given (`provider_rejected`: 400 such as context length
 * exceeded, 413, 422) is the agent's (or user's) own failure, `fallback`, scored 0 and counted,
 * since asking again gets the same answer; but only once that side has had a successful call in
 * the episode (`calls`). A refusal of a side's FIRST request is not about the conversation: that
 * request is built from the run's configuration (model parameters, tool schemas, policy, the
 * task's opening), so every episode would fail alike (an unsupported parameter, a policy longer
 * than the context); it stays an infrastructure error, and the run stops after a few in a row.
 * Without `calls`, every refusal is `fallback`.
 */
export function terminationForError(err: unknown, signal: AbortSignal, fallback: TerminationReason, calls?: readonly { role: string }[]): Termination {
  const message = err instanceof Error ? err.message : String(err);
  if (signal.aborted) return { reason: 'interrupted', message };
  if (err instanceof ProviderError && err.code === 'provider_rejected') {
    const scoring = fallback !== 'agent_error' && fallback !== 'user_error';
    if (calls === undefined || scoring || sideHadCall(calls, fallback)) return { reason: fallback, message, code: err.code };
    return { reason: 'infrastructure_error', message: `${message} [on the first request of the episode: a configuration problem, not the conversation]`, code: err.code };
  }
  if (err instanceof ProviderError) return { reason: 'infrastructure_error', message, code: err.code };
  return { reason: fallback, message, ...(err instanceof HarnessError ? { code: err.code } : {}) };
}

/** One episode's session. */
export class EpisodeSession implements AgentSession {
  readonly policy: string;
  readonly tools: ToolSpec[];
  readonly registry: ToolRegistry;
  readonly domain: string;
  readonly semantics: LoopSemantics;
  readonly firstUserMessage: string | null;
  readonly trial: number;
  readonly seed: number;
  readonly maxSteps: number;
  readonly signal: AbortSignal;
  readonly random: () => number;
  readonly trajectory: TrajectoryEvent[];

  #steps = 0;
  #turns = 0;
  #toolCalls = 0;
  #termination: Termination | undefined;
  readonly #o: EpisodeSessionOptions;
  readonly #now: () => number;
  readonly #endOnTerminate: boolean;
  readonly #handles = new Map<CallRole, ChatModel>();

  constructor(options: EpisodeSessionOptions) {
    this.#o = options;
    this.policy = options.policy;
    this.registry = options.env.registry;
    this.tools = this.registry.specs();
    this.domain = options.domain;
    this.semantics = options.semantics;
    this.firstUserMessage = options.firstUserMessage;
    this.trial = options.trial;
    this.seed = options.seed;
    this.maxSteps = options.maxSteps;
    this.signal = options.signal;
    this.trajectory = options.trajectory;
    this.random = seededRandom(options.seed);
    this.#now = options.now ?? Date.now;
    this.#endOnTerminate = options.endOnTerminateTool ?? options.semantics === 'v1';
  }

  get steps(): number {
    return this.#steps;
  }

  /** Messages the agent sent to the user. */
  get turns(): number {
    return this.#turns;
  }

  get toolCalls(): number {
    return this.#toolCalls;
  }

  get ended(): boolean {
    return this.#termination !== undefined;
  }

  /** How the episode ended, once it has. */
  get termination(): Termination | undefined {
    return this.#termination;
  }

  /** Ends the episode (first ending wins). */
  end(termination: Termination): void {
    this.#termination ??= termination;
  }

  async callTool(name: string, args: string | PyObject, meta: { toolCallId?: string } = {}): Promise<ToolResult> {
    this.#checkAborted();
    if (this.ended) return { observation: '', error: false, done: true };
    this.#steps++;
    this.#toolCalls++;
    const raw = typeof args === 'string' ? args : pyDumps(args);
    let result: StepResult;
    if (name === RESPOND) {
      // A reply goes through say(); as a tool it is unknown, as in a tool-calling API.
      result = { observation: `Unknown action ${name}`, done: false, error: true, source: name };
    } else {
      result = typeof args === 'string' ? this.#o.env.stepRaw(name, args) : this.#o.env.step({ name, kwargs: args });
    }
    this.trajectory.push({
      type: 'tool',
      ...(meta.toolCallId === undefined ? {} : { id: meta.toolCallId }),
      name,
      arguments: raw,
      observation: result.observation,
      error: result.error,
      at: this.#now(),
    });
    if (result.done && this.#endOnTerminate) this.end({ reason: 'transfer', message: `agent called ${name}` });
    else this.#checkStepCap();
    return { observation: result.observation, error: result.error, done: this.ended };
  }

  async say(text: string): Promise<UserReply> {
    this.#checkAborted();
    if (this.ended) return { text: '', done: true, ...this.#reasonOnly() };
    this.#steps++;
    this.#turns++;
    this.#o.env.respond(text);
    this.trajectory.push({ type: 'message', from: 'agent', text, at: this.#now() });
    let reply: UserReply;
    try {
      reply = await this.#o.user.reply(text);
    } catch (err) {
      this.end(terminationForError(err, this.signal, 'user_error', this.#o.calls));
      return { text: '', done: true, ...this.#reasonOnly() };
    }
    this.trajectory.push({ type: 'message', from: 'user', text: reply.text, at: this.#now() });
    const token = stopTokenIn(reply.text, this.semantics);
    if (token !== undefined) this.end({ reason: token });
    else if (reply.done) this.end({ reason: reply.reason ?? 'user_stop', message: 'the user simulator ended the conversation' });
    else this.#checkStepCap();
    return this.ended ? { text: reply.text, done: true, ...this.#reasonOnly() } : { text: reply.text, done: false };
  }

  model(role: CallRole = 'agent'): ChatModel {
    let handle = this.#handles.get(role);
    if (handle === undefined) {
      const base = this.#o.models[role] ?? this.#o.models.agent;
      if (base === undefined) throw new Error(`no model for role "${role}" (and no agent model) in this run`);
      handle = episodeModel(base, role, {
        task: this.#o.task,
        trial: this.trial,
        seed: this.seed,
        sink: this.#o.calls,
        signal: this.signal,
        now: this.#now,
      });
      this.#handles.set(role, handle);
    }
    return handle;
  }

  note(kind: string, data: unknown): void {
    this.trajectory.push({ type: 'note', kind, data, at: this.#now() });
  }

  /** An aborted run ends the episode at the agent's next action, whatever the agent does. */
  #checkAborted(): void {
    if (this.signal.aborted) this.end({ reason: 'interrupted' });
  }

  #checkStepCap(): void {
    if (this.#steps >= this.maxSteps) this.end({ reason: 'max_steps', message: `reached the step cap of ${this.maxSteps}` });
  }

  #reasonOnly(): { reason: TerminationReason } | Record<string, never> {
    return this.#termination === undefined ? {} : { reason: this.#termination.reason };
  }
}
