import { describe, expect, it } from 'vitest';
import { PyRandom } from './py-random.js';

// Expected values were produced by CPython 3.11's `random` module with the same calls.
describe('PyRandom (CPython random parity)', () => {
  it('seeds like random.seed(int) and draws the same 32-bit words and floats', () => {
    const r = new PyRandom(10);
    expect([r.uint32(), r.uint32(), r.uint32()]).toEqual([2454155475, 139951793, 1842064464]);
    expect(r.random()).toBe(0.48256167455085586);
    expect(new PyRandom(0).getrandbits(32)).toBe(3626764237);
  });

  it('randint, sample (set and pool paths) follow the same sequence', () => {
    const r = new PyRandom(10);
    expect(r.randint(0, 115)).toBe(73);
    const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
    expect(r.sample(range(69), 5)).toEqual([4, 54, 61, 1, 26]);
    expect(r.sample(range(19), 5)).toEqual([14, 15, 8, 5, 0]);
  });

  it('handles seeds wider than 32 bits, negative seeds, and getrandbits above 32', () => {
    expect(new PyRandom(2n ** 40n + 7n).getrandbits(40)).toBe(822974591194);
    const x = Array.from({ length: 10 }, (_, i) => i);
    new PyRandom(-3).shuffle(x);
    expect(x).toEqual([1, 5, 6, 0, 9, 4, 7, 2, 8, 3]);
  });

  it('rejects a sample larger than the population', () => {
    expect(() => new PyRandom(1).sample([1, 2], 3)).toThrow(/larger than population/);
  });
});
