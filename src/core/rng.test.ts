import { describe, expect, it } from 'vitest';
import { Rng, seededRandom } from './rng.js';

describe('Rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Rng(42);
    const b = new Rng('42');
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(sa);
  });

  it('pins the first outputs so that generated data cannot change silently', () => {
    const r = new Rng('tau-blueprint');
    expect([r.uint32(), r.uint32(), r.uint32()]).toEqual([3932067526, 4089002903, 742956890]);
  });

  it('forks independently of draws taken from the parent', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    b.next();
    b.next();
    expect(a.fork('users').next()).toBe(b.fork('users').next());
    expect(a.fork('users').next()).not.toBe(a.fork('orders').next());
  });

  it('keeps values in range and covers it', () => {
    const r = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = r.int(3, 8);
      expect(x).toBeGreaterThanOrEqual(3);
      expect(x).toBeLessThanOrEqual(8);
      seen.add(x);
      const f = r.next();
      expect(f >= 0 && f < 1).toBe(true);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7, 8]);
    expect(() => r.int(5, 4)).toThrow(RangeError);
    expect(() => r.pick([])).toThrow(RangeError);
  });

  it('is roughly uniform', () => {
    const r = new Rng('uniform');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20000; i++) buckets[Math.floor(r.next() * 10)]! += 1;
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(200);
  });

  it('shuffles into a permutation, samples distinct elements, follows weights', () => {
    const r = new Rng('s');
    const xs = [1, 2, 3, 4, 5, 6, 7];
    expect([...r.shuffle(xs)].sort()).toEqual(xs);
    const s = r.sample(xs, 3);
    expect(new Set(s).size).toBe(3);
    let heavy = 0;
    for (let i = 0; i < 1000; i++) if (r.weighted([['a', 9], ['b', 1]] as const) === 'a') heavy++;
    expect(heavy).toBeGreaterThan(850);
    expect(r.digits(10)).toMatch(/^[1-9]\d{9}$/);
    expect(r.chars(6, 'AB')).toMatch(/^[AB]{6}$/);
  });
});

describe('seededRandom (mulberry32)', () => {
  it('keeps the exact sequence recorded episodes were played with (a change breaks replay)', () => {
    const r = seededRandom(42);
    expect([r(), r(), r()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(seededRandom(0xffffffff)()).toBe(0.8964226141106337);
  });

  it('is deterministic per seed, in [0, 1), and differs across seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(8)()).not.toBe(xs[0]);
  });
});
