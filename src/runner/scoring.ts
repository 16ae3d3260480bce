/**
 * The call site of the reward functions. The runner scores an episode through a {@link Scorer};
 * the CLI's registry supplies the domain's reward function (src/env/reward).
 */
import type { Task } from '../core/task.js';
import type { Environment } from '../env/environment.js';
import { parsePyJson } from '../core/py/py-json.js';
import { isPyObject, type PyObject } from '../core/py/py-value.js';
import { PROPER_ENDINGS, type TranscriptMessage } from '../env/reward/types.js';
import type { Termination, TrajectoryEvent } from '../contract/record.js';
import type { CallRecord } from '../models/types.js';

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
  /** Records a model call the scorer makes (an LLM judge) with the episode's calls. */
  record?: (call: CallRecord) => void;
  /** The episode's trial index (tags the judge's calls for replay). Default 0. */
  trial?: number;
}

/** Scores an episode. May be async (an LLM judge). */
export type Scorer = (input: ScoreInput) => RewardResult | Promise<RewardResult>;

/**
 * Endings that get scored (the reward module's proper endings): the user stopped, transferred or
 * went out of scope, or the agent transferred. Every other ending (step cap, errors) scores 0
 * without calling the scorer.
 */
export const SCORED_ENDINGS: ReadonlySet<string> = PROPER_ENDINGS;

/** The conversation as a judge reads it: messages and tool calls of the trajectory, in order. */
export function transcriptOf(trajectory: readonly TrajectoryEvent[]): TranscriptMessage[] {
  const out: TranscriptMessage[] = [];
  for (const e of trajectory) {
    if (e.type === 'message') out.push({ role: e.from === 'agent' ? 'assistant' : 'user', content: e.text });
    else if (e.type === 'tool') {
      let kwargs: PyObject = {};
      try {
        const v = parsePyJson(e.arguments, e.name);
        if (isPyObject(v)) kwargs = v;
      } catch {
        // unparsable arguments: shown as an empty call, the observation says what went wrong
      }
      out.push({ role: 'assistant', content: '', toolCall: { name: e.name, kwargs } });
      out.push({ role: 'tool', content: e.observation });
    }
  }
  return out;
}

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
