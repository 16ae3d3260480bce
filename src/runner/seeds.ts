/** Deterministic per-episode seeds and a small seeded RNG (no `Math.random`, no JS hashing). */
import { createHash } from 'node:crypto';

/**
 * Seed of one episode: the first 32 bits of sha256(`<runSeed>|<taskId>|<trial>`), so it is the
 * same in every process and on every machine (tau2 learned this the hard way with Python `hash()`).
 */
export function episodeSeed(runSeed: number, taskId: string, trial: number): number {
  return createHash('sha256').update(`${runSeed}|${taskId}|${trial}`).digest().readUInt32BE(0);
}

/** mulberry32: a fast 32-bit seeded generator returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
