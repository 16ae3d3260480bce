/**
 * Deterministic per-episode seeds (no `Math.random`, no JS hashing); the generator they seed is
 * `seededRandom` in src/core/rng.ts.
 */
import { createHash } from 'node:crypto';

/**
 * Seed of one episode: the first 32 bits of sha256(`<runSeed>|<taskId>|<trial>`), so it is the
 * same in every process and on every machine (tau2 learned this the hard way with Python `hash()`).
 */
export function episodeSeed(runSeed: number, taskId: string, trial: number): number {
  return createHash('sha256').update(`${runSeed}|${taskId}|${trial}`).digest().readUInt32BE(0);
}
