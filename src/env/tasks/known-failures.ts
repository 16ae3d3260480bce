/**
 * Official tasks whose gold trajectory does not score 1 under the reference's own reward, with the
 * reason. `taubp verify` and the gold-trajectory tests accept exactly these; any other gold
 * trajectory below 1 is a bug here (or a data problem) and fails.
 */
import type { Task } from '../../core/task.js';

/** A task whose gold trajectory scores below 1 under the reference's rules. */
export interface KnownFailure {
  /** Task format the entry applies to. */
  format: 'tau-v1' | 'tau2';
  domain: string;
  /** Split, for v1 (indices restart per split); τ² ids are unique across splits. */
  split?: string;
  /** Task id (v1: the index as a string). */
  id: string;
  /** Why the reference itself cannot score the gold trajectory 1. */
  reason: string;
}

/**
 * Found by running `taubp verify` over every official task (v1 retail test/train/dev, airline
 * test; τ² retail and airline). Empty: every gold trajectory scores 1 (or is unscored for want of
 * an NL judge, which is not a failure).
 */
export const KNOWN_REFERENCE_FAILURES: readonly KnownFailure[] = [];

/** The known-failure entry for a task, if any. */
export function knownFailure(task: Task, table: readonly KnownFailure[] = KNOWN_REFERENCE_FAILURES): KnownFailure | undefined {
  const format = task.format === 'tau2' ? 'tau2' : 'tau-v1';
  return table.find((k) => k.format === format && k.domain === task.domain && k.id === task.id && (k.split === undefined || k.split === task.split));
}
