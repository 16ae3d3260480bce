/**
 * Shared types of the reward functions: how an episode ended, what the scorer sees of it, the
 * breakdown kept with every result, and the judge interface for τ² natural-language assertions.
 */
import type { Task } from '../../core/task.js';
import type { Action } from '../environment.js';
import type { DbState } from '../db-state.js';

/**
 * Why an episode ended. The proper endings ({@link PROPER_ENDINGS}) get scored; every other
 * reason scores 0. Runners may use other strings; they count as improper.
 */
export type TerminationReason =
  | 'user_stop'
  | 'agent_stop'
  | 'transfer'
  | 'out_of_scope'
  | 'max_steps'
  | 'too_many_errors'
  | 'timeout'
  | 'agent_error'
  | 'user_error'
  | 'infrastructure_error'
  | 'interrupted'
  | 'error';

/**
 * Endings that are scored: the user stopped (v1 `###STOP###`; τ² `###STOP###`, `###TRANSFER###`,
 * `###OUT-OF-SCOPE###`), the agent stopped (τ² solo), or the agent called v1's terminating
 * `transfer_to_human_agents`.
 */
export const PROPER_ENDINGS: ReadonlySet<string> = new Set<TerminationReason>(['user_stop', 'agent_stop', 'transfer', 'out_of_scope']);

/** How an episode ended. */
export interface EpisodeTermination {
  reason: TerminationReason | (string & {});
  /** Detail: the error message, the step cap. */
  message?: string;
}

/** One line of a conversation as an NL judge sees it. */
export interface TranscriptMessage {
  role: 'assistant' | 'user' | 'tool';
  content: string;
  /** For a tool call by the assistant: the tool and its arguments. */
  toolCall?: Action;
}

/** The state of a finished episode: its database and its action log (an {@link Environment} fits). */
export interface EpisodeState {
  db: DbState;
  /** Every action in order: tool calls and `respond` replies (`kwargs.content`). */
  actions: readonly Action[];
}

/** What the reward functions score. */
export interface Episode {
  task: Task;
  state: EpisodeState;
  termination: EpisodeTermination;
  /** The conversation, for an NL judge. Default: built from the action log (agent side only). */
  transcript?: readonly TranscriptMessage[];
  signal?: AbortSignal;
}

/** One assertion's verdict from a judge. */
export interface JudgeResult {
  assertion: string;
  met: boolean;
  reasoning?: string;
}

/** Judges τ² natural-language assertions (an LLM judge; tests use fakes). */
export interface Judge {
  /** Verdicts for `task.evaluation.nlAssertions` over the transcript; `met` = all met. */
  judge(task: Task, transcript: readonly TranscriptMessage[], signal?: AbortSignal): Promise<{ met: boolean; results: JudgeResult[] }>;
}

/** Runs a τ² env assertion (`env_assertions[i]`) on the agent's final database. */
export type EnvAssertionRunner = (db: DbState, assertion: { envType: string; funcName: string; arguments: unknown }) => boolean;

/** A gold action that failed when replayed (its observation was an error). */
export interface GoldError {
  /** Position in the task's gold actions. */
  index: number;
  name: string;
  observation: string;
  /** The tool changes the database (a failed write leaves the gold state short of the author's intent). */
  write: boolean;
}

/**
 * The breakdown kept with every scored episode. JSON-safe (no PyFloats).
 * `reward` is null when the episode could not be scored (a component needs a judge or an
 * env-assertion runner that is not configured): such a task is never counted as passed.
 */
export interface RewardInfo {
  reward: number | null;
  /** Reward rules applied: v1 (database + outputs) or τ² (product over the reward basis). */
  rules: 'tau-v1' | 'tau2';
  termination: EpisodeTermination;
  /** Components that gate the reward: v1 `DB`, `OUTPUTS`; τ² the task's `reward_basis`. */
  basis: string[];
  /** Every computed component, gating or diagnostic: 1, 0, or null (not evaluated). */
  components: Record<string, number | null>;
  /** Why the reward is not 1 (absent on a pass). */
  note?: string;
  /** Database check: match, first differing `table/id` (agent vs gold), failed gold actions. */
  db?: { match: boolean; firstDifference?: string; goldErrors: GoldError[] };
  /** v1 required outputs: output → found in some reply. */
  outputs?: Record<string, boolean>;
  /** τ² `communicate_info` checks. */
  communicate?: Array<{ info: string; met: boolean }>;
  /** τ² ACTION checks: each gold action and whether some tool call matched it. */
  actions?: Array<{ id?: string; name: string; met: boolean }>;
  /** τ² env assertions. */
  envAssertions?: Array<{ funcName: string; met: boolean | null }>;
  /** τ² NL assertions: null when no judge was configured. */
  nlAssertions?: { met: boolean; results: JudgeResult[] } | null;
}
