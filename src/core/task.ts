/**
 * The internal task model, covering τ-bench v1 tasks, τ²/τ³ tasks and this project's generated
 * tasks. Loaders in `domains/` and `src/env/` convert every source format into {@link Task}.
 */
import type { PyObject } from './py/py-value.js';

/** Where a task came from; selects loop semantics (v1 or τ²) and reward rules. */
export type TaskFormat = 'tau-v1' | 'tau2' | 'builtin';

/** A gold action in τ-bench format. */
export interface GoldAction {
  name: string;
  kwargs: PyObject;
  /** τ² `action_id`, when known. */
  id?: string;
  /** τ² `compare_args` (argument keys compared by the ACTION check); null/absent = all call keys. */
  compareArgs?: string[] | null;
  /** τ² requestor; v1 gold actions are all the assistant's. */
  requestor?: 'assistant' | 'user';
}

/** τ² reward components. */
export type RewardComponent = 'DB' | 'ACTION' | 'COMMUNICATE' | 'ENV_ASSERTION' | 'NL_ASSERTION';

/**
 * Structured user scenario (τ² `user_scenario.instructions`, and this project's generated tasks).
 * Free text fields, as a user simulator prompt would show them.
 */
export interface UserScenario {
  domain?: string;
  persona?: string | null;
  reasonForCall: string;
  knownInfo: string | null;
  unknownInfo: string | null;
  taskInstructions: string | null;
}

/**
 * Machine-readable facts a scripted user answers from (generated tasks carry a complete one;
 * official tasks get one derived from what the task reveals). All fields optional.
 */
export interface ScriptedFacts {
  /** Identity facts, e.g. `{ first_name, last_name, zip, email, user_id }`. */
  identity?: Record<string, string>;
  /** Other facts the customer knows, keyed by what the agent may ask for (order_id, reservation_id, payment_method_id, reason…). */
  facts?: Record<string, string | string[]>;
  /** The customer's requests, in the order they would raise them. */
  requests?: ScriptedRequest[];
  /** How the customer answers a confirmation question: always yes unless listed here. */
  declines?: string[];
}

/** One request of a scripted customer. Fields beyond `kind` are request-specific arguments. */
export interface ScriptedRequest {
  /** e.g. `cancel_order`, `exchange_items`, `book_flight`, `ask_info`. */
  kind: string;
  /** Natural-language line the scripted user says to raise it. */
  utterance: string;
  /** Structured arguments (ids, choices, alternatives) for the sim model and blueprints' oracle. */
  args?: Record<string, unknown>;
}

/** Evaluation criteria beyond v1's (database + required outputs). */
export interface TaskEvaluation {
  rewardBasis: RewardComponent[];
  /** Strings the agent must communicate (τ² `communicate_info`). */
  communicateInfo: string[];
  nlAssertions: string[];
  envAssertions: Array<{ envType: string; funcName: string; arguments: PyObject; assertValue: boolean; message?: string | null }>;
  /**
   * False when the τ² task lists neither gold actions nor env assertions (`null` in the file):
   * τ² then skips the database comparison and scores DB as 1. Absent means true.
   */
  envCheck?: boolean;
}

/** One task, whatever its source. */
export interface Task {
  /** Stable id: the v1 index as a string, the τ² id, or a generated id. */
  id: string;
  /** Position in its source file (v1 task index). */
  index: number;
  format: TaskFormat;
  domain: string;
  /** Split name (`test`, `train`, `dev`, `base`…), when known. */
  split?: string;
  /** v1 `user_id` (τ² tasks: parsed from the scenario when present). */
  userId?: string;
  /** Text that drives an LLM user simulator (v1 instruction, or τ² scenario rendered as text). */
  instruction: string;
  scenario?: UserScenario;
  /** Gold actions (never shown to agents or blueprints). */
  actions: GoldAction[];
  /** v1 required outputs. τ² uses `evaluation.communicateInfo` instead. */
  outputs: string[];
  evaluation?: TaskEvaluation;
  /** τ² initial state (initialization actions run before the episode), when present. */
  initialActions?: GoldAction[];
  /** Facts for the scripted user. */
  scripted?: ScriptedFacts;
  /** Free-form metadata (τ² description, generator category, annotator…). */
  meta?: Record<string, unknown>;
}
