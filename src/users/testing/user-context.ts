/** A user simulator's context for tests: τ-bench v1 semantics over the toy domain, notes kept. */
import type { UserSimulatorContext } from '../../contract/user.js';
import { toyBase, toyRegistry, type ScriptedModel } from '../../runner/testing/fixtures.js';

/**
 * The context a user simulator gets: `model` (none when undefined), trial 0, seed 1, `random()`
 * always 0.5, a signal never aborted, a fresh fork of the toy database with the toy tools and no
 * actions; every note is kept in `notes`. `overrides` replace any part.
 */
export function userContext(model: ScriptedModel | undefined, overrides: Partial<UserSimulatorContext> = {}): UserSimulatorContext & { notes: Array<[string, unknown]> } {
  const notes: Array<[string, unknown]> = [];
  return {
    semantics: 'v1',
    ...(model === undefined ? {} : { model }),
    trial: 0,
    seed: 1,
    random: () => 0.5,
    signal: new AbortController().signal,
    note: (kind, data) => void notes.push([kind, data]),
    environment: { actions: () => [], db: toyBase().fork(), registry: toyRegistry() },
    notes,
    ...overrides,
  };
}
