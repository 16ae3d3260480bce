/**
 * Errors raised while a blueprint runs. Validation problems found before a run are
 * {@link BlueprintValidationError}s and replay mismatches {@link ReplayDivergenceError}s (both in
 * `core/errors.ts`); this module adds the failures of a running blueprint.
 */
import { HarnessError } from '../core/errors.js';

/**
 * A running blueprint cannot go on: a precondition failed with no `onPreFail` target, a route
 * chose an undeclared target, a loop ran out of iterations with no `onExhausted` target, a node's
 * own code threw, or the node-visit cap was reached. `path` is the node id.
 */
export class BlueprintRuntimeError extends HarnessError {
  constructor(message: string, node: string | null, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super('episode_error', message, { ...(node === null ? {} : { path: node }), ...options });
  }
}

/** A model call of a node took longer than the node's `timeoutMs` (counts as a failed attempt). */
export class NodeTimeoutError extends Error {
  constructor(readonly node: string, readonly timeoutMs: number, message = `model call of node "${node}" timed out after ${timeoutMs} ms`) {
    super(message);
    this.name = 'NodeTimeoutError';
  }
}
