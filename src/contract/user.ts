/**
 * The user-simulator contract. A simulator plays the customer of one episode: it opens the
 * conversation (or waits for the agent's greeting) and answers each agent message. The runner
 * detects the stop tokens in its text; a simulator may also end the conversation itself.
 */
import type { Task } from '../core/task.js';
import type { DbState } from '../env/db-state.js';
import type { LoggedAction } from '../env/environment.js';
import type { ToolRegistry } from '../env/registry.js';
import type { ChatModel } from '../models/types.js';
import type { PromptPack } from '../prompts/pack.js';
import type { LoopSemantics, UserReply } from './agent.js';

/** Tokens a user's message may contain to end the conversation. */
export const STOP_TOKEN = '###STOP###';
export const TRANSFER_TOKEN = '###TRANSFER###';
export const OUT_OF_SCOPE_TOKEN = '###OUT-OF-SCOPE###';

export { AGENT_GREETING } from './agent.js';

/** One episode's customer. */
export interface UserSimulator {
  /**
   * Begins the conversation for `task`: returns the customer's opening message (v1: the user
   * speaks first), or null to wait for the agent's greeting (τ²).
   */
  start(task: Task): Promise<string | null>;
  /** Answers one agent message. `done` ends the conversation (stop tokens are also detected by the runner). */
  reply(agentText: string): Promise<UserReply>;
}

/** What a simulator factory gets for one episode. */
export interface UserSimulatorContext {
  /** Loop semantics of the episode (τ² users wait for the agent's greeting). */
  semantics: LoopSemantics;
  /**
   * The user model, recorded under the role `user`, with the task attached as privileged context.
   * Undefined when the run has no user model (scripted or human users).
   */
  model?: ChatModel;
  /** Temperature for user model calls; undefined leaves the provider default (as τ-bench v1). */
  temperature?: number;
  /**
   * The run's prompt pack. When its `users` slot holds τ-bench v1's user-simulator text (the
   * `reference` pack of a τ-bench checkout, src/prompts/v1-users.ts), the llm, react, verify and
   * reflection simulators reproduce τ-bench's exactly (src/users/v1-reference-user.ts). Absent,
   * or without that text: the harness's own prompts and behaviour.
   */
  pack?: PromptPack;
  /** Trial index (part of model cache keys) and per-episode seed. */
  trial: number;
  seed: number;
  /** Deterministic RNG of the episode. */
  random: () => number;
  /** Aborted when the run is interrupted. */
  signal: AbortSignal;
  /** Records a note in the trajectory (rejected candidates, reflections…). */
  note: (kind: string, data: unknown) => void;
  /**
   * Privileged, read-only view of the episode's environment, for deterministic simulators (the
   * scripted user checks which gold writes are done). LLM simulators must not use it.
   */
  environment: {
    /** The environment's action log so far (tool calls and replies). */
    actions: () => readonly LoggedAction[];
    /** The episode's database (read with `table(name).get(id)`; never write). */
    db: DbState;
    registry: ToolRegistry;
  };
}

/** Creates a simulator for one episode. */
export type UserSimulatorFactory = (context: UserSimulatorContext) => UserSimulator;

/** A registered user simulator. */
export interface UserSimulatorEntry {
  create: UserSimulatorFactory;
  /** Whether it calls an LLM (needs `--user-model`). */
  needsModel: boolean;
  /** One line for `taubp run --help`. */
  summary: string;
}
