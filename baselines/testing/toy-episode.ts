/**
 * One episode of the runner's toy task for the baselines' tests: the toy domain (src/runner/testing),
 * a customer who asks to deposit 5 into A1, answers "yes", then stops, and the toy scorer.
 */
import { runEpisode, type EpisodeOptions } from '../../src/runner/episode.js';
import { scriptedUser, toyBase, toyRegistry, toyScorer, toyTask } from '../../src/runner/testing/fixtures.js';

/** The toy domain's tools (one registry for every episode of a test file). */
export const toyEpisodeRegistry = toyRegistry();
const base = toyBase();

/** Runs the toy task (trial 0, seed 7, domain `toy`, policy `POLICY TEXT`) with `agent` and `models`; `overrides` replace any other option. */
export function toyEpisode(overrides: Partial<EpisodeOptions> & Pick<EpisodeOptions, 'agent' | 'models'>): ReturnType<typeof runEpisode> {
  return runEpisode({
    task: toyTask(),
    trial: 0,
    seed: 7,
    domain: 'toy',
    registry: toyEpisodeRegistry,
    base,
    policy: 'POLICY TEXT',
    user: { name: 's', create: scriptedUser('Deposit 5 into A1 please.', ['yes', '###STOP###']).create },
    scorer: toyScorer,
    ...overrides,
  });
}
