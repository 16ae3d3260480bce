/**
 * Deterministic per-decision randomness for the simulated model: a draw is a pure function of
 * the run seed, the trial, the task and the position in the conversation, so identical requests
 * get identical answers (exact replay) while trials differ.
 */
import { createHash } from 'node:crypto';

/** A uniform draw in [0, 1) from a key. */
export function draw(...key: Array<string | number>): number {
  const h = createHash('sha256').update(key.join('\u0000')).digest();
  return h.readUInt32LE(0) / 2 ** 32;
}

/** Picks an element deterministically from a key. Undefined for an empty list. */
export function pick<T>(items: readonly T[], ...key: Array<string | number>): T | undefined {
  if (items.length === 0) return undefined;
  return items[Math.floor(draw(...key) * items.length)];
}
