/** Dispatch of an episode to the v1 or τ² reward, and the scorer function runners use. */
import { GoldCache, rulesFor } from './gold.js';
import { scoreTau2, type Tau2ScoreContext } from './tau2.js';
import type { Episode, EpisodeState, EpisodeTermination, Judge, RewardInfo, TranscriptMessage } from './types.js';
import { scoreV1 } from './v1.js';

/** Context for {@link computeReward}: base database, tools, and optional judge / gold cache. */
export type RewardContext = Tau2ScoreContext;

/** Scores an episode by the rules of its task's format (τ² tasks by τ²'s, others by v1's). */
export async function computeReward(episode: Episode, ctx: RewardContext): Promise<RewardInfo> {
  return rulesFor(episode.task) === 'tau2' ? scoreTau2(episode, ctx) : scoreV1(episode, ctx);
}

/** Input of {@link makeScorer}'s function: the shape the runner hands its scorer. */
export interface ScorerInput {
  task: Episode['task'];
  /** The episode's environment (an `Environment`) or any database + action log. */
  env: EpisodeState;
  termination: EpisodeTermination;
  transcript?: readonly TranscriptMessage[];
  signal?: AbortSignal;
  /** A judge for this episode only (e.g. one that records its calls with the episode's). */
  judge?: Judge;
}

/**
 * A scorer function over {@link computeReward} for one domain's base database and tools. Share
 * one per run: its gold cache makes trials of a task replay the gold actions once.
 */
export function makeScorer(ctx: RewardContext): (input: ScorerInput) => Promise<{ reward: number | null; info: RewardInfo }> {
  const shared: RewardContext = ctx.gold === undefined ? { ...ctx, gold: new GoldCache() } : ctx;
  return async (input) => {
    const episode: Episode = { task: input.task, state: input.env, termination: input.termination };
    if (input.transcript !== undefined) episode.transcript = input.transcript;
    if (input.signal !== undefined) episode.signal = input.signal;
    const info = await computeReward(episode, input.judge === undefined ? shared : { ...shared, judge: input.judge });
    return { reward: info.reward, info };
  };
}

