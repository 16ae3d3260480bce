/**
 * The call site of the reward functions. The runner scores an episode through a {@link Scorer};
 * the CLI's registry supplies the domain's reward function (src/env/reward).
 */
import type { Task } from '../core/task.js';
import type { Environment } from '../env/environment.js';
import type { TerminationReason } from './agent.js';
import type { Termination, TrajectoryEvent } from './record.js';

/** A reward and its breakdown. */
export interface RewardResult {
  /** In [0, 1]; null when the episode cannot be scored (e.g. it needs a judge and none is set). */
  reward: number | null;
  /** Breakdown kept with the episode record. */
  info?: unknown;
}

/** What a scorer sees of a finished episode. */
export interface ScoreInput {
  task: Task;
  /** The episode's environment: final database (`env.db`) and action log (`env.actions`). */
  env: Environment;
  termination: Termination;
  trajectory: readonly TrajectoryEvent[];
  signal?: AbortSignal;
}

/** Scores an episode. May be async (an LLM judge). */
export type Scorer = (input: ScoreInput) => RewardResult | Promise<RewardResult>;

/**
 * Endings that get scored: the user stopped, transferred or went out of scope, or the agent
 * transferred. Every other ending (step cap, errors) scores 0 without calling the scorer.
 */
export const SCORED_ENDINGS: ReadonlySet<TerminationReason> = new Set<TerminationReason>(['user_stop', 'transfer', 'out_of_scope']);

/**
 * Scores an episode: the scorer for a proper ending, otherwise reward 0 with the reason.
 * Infrastructure errors and interruptions are not scored at all (reward null).
 */
export async function scoreEpisode(scorer: Scorer, input: ScoreInput): Promise<RewardResult> {
  const reason = input.termination.reason;
  if (reason === 'infrastructure_error' || reason === 'interrupted') return { reward: null, info: { reason } };
  if (!SCORED_ENDINGS.has(reason)) return { reward: 0, info: { reason, ...(input.termination.message === undefined ? {} : { message: input.termination.message }) } };
  return scorer(input);
}
