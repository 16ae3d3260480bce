/**
 * A small seeded pseudo-random number generator for data and task generators, simulated users
 * and simulated models. The core is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * 128-bit state, passes PractRand), seeded from the sha256 of a text key, so any string or number
 * is a seed and the sequence is identical on every platform and Node version.
 *
 * Use {@link Rng.fork} to give each part of a generator its own stream: adding a draw in one part
 * then leaves every other part's output unchanged.
 *
 * This is the project's one random-number module. It holds two generators and one keyed draw because
 * each sequence is pinned: {@link Rng} (sfc32) by the built-in suites' hashes, {@link seededRandom}
 * (mulberry32) by every recorded episode, {@link keyedDraw} by recorded `sim` runs. Only `src/core/py-random.ts` stands apart: a bit-exact port of
 * CPython's Mersenne Twister `random`, needed to draw what τ-bench's Python draws (reference
 * parity), not a general-purpose generator.
 */
import { createHash } from 'node:crypto';

/** Anything usable as a seed: numbers and strings are turned into a text key. */
export type Seed = number | string;

/** A seeded generator. Not cryptographically secure. */
export class Rng {
  /** The text key this generator was seeded from (forks append `/label`). */
  readonly key: string;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** @param seed any number or string; equal seeds give equal sequences. */
  constructor(seed: Seed) {
    this.key = String(seed);
    const h = createHash('sha256').update(this.key, 'utf8').digest();
    this.#a = h.readUInt32LE(0);
    this.#b = h.readUInt32LE(4);
    this.#c = h.readUInt32LE(8);
    this.#d = h.readUInt32LE(12);
    // Warm up so that nearby seeds diverge fully.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** An independent generator for a named part, determined by this generator's key and `label` only
   * (not by how many numbers were drawn from this one). */
  fork(label: string | number): Rng {
    return new Rng(`${this.key}/${label}`);
  }

  /** A uniform 32-bit unsigned integer (sfc32 step). */
  uint32(): number {
    const a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.#c = (r + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [min, max] (both inclusive). Throws if the range is empty. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new RangeError(`bad integer range [${min}, ${max}]`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniform element. Throws on an empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An element chosen with probability proportional to its (non-negative) weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    if (!(total > 0)) throw new RangeError('weighted pick needs a positive total weight');
    let x = this.next() * total;
    for (const [v, w] of entries) {
      if (x < w) return v;
      x -= w;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  /** `k` distinct elements in random order (all of them if `k` ≥ length). */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, k));
  }

  /** A string of `n` random decimal digits; with `leadingNonZero` (default true) the first is 1–9. */
  digits(n: number, leadingNonZero = true): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(i === 0 && leadingNonZero ? this.int(1, 9) : this.int(0, 9));
    return s;
  }

  /** A string of `n` characters drawn from `alphabet`. */
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)] as string;
    return s;
  }
}

/**
 * A seeded generator of numbers in [0, 1) from a 32-bit integer seed: mulberry32 (Tommy Ettinger's
 * 32-bit state generator). Each episode's `AgentSession.random` and user-simulator `random` draw
 * from it (src/runner/session.ts, episode.ts, with seeds from src/runner/seeds.ts), so recorded
 * episodes replay only while this sequence stays bit-exact: never change it. New generators that
 * need forks or string seeds use {@link Rng}.
 */
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

/**
 * A uniform draw in [0, 1) that is a pure function of `key` (the first 32 bits of the sha256 of
 * the parts joined by NUL), for decisions that must not depend on how many numbers were drawn
 * before: the simulated model's choices are functions of run seed, trial, task and position, so
 * identical requests get identical answers (exact replay) while trials differ. Pinned by recorded
 * `sim` runs: never change it.
 */
export function keyedDraw(...key: Array<string | number>): number {
  const h = createHash('sha256').update(key.join('\u0000')).digest();
  return h.readUInt32LE(0) / 2 ** 32;
}

/** An element picked by {@link keyedDraw} of `key`; undefined for an empty list. */
export function keyedPick<T>(items: readonly T[], ...key: Array<string | number>): T | undefined {
  if (items.length === 0) return undefined;
  return items[Math.floor(keyedDraw(...key) * items.length)];
}
