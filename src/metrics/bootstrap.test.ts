import { describe, expect, it } from 'vitest';
import { bootstrapMean, DEFAULT_STATS_SEED, passHatKIntervals, stratifiedMean, trialSpread } from './bootstrap.js';
import { comparePassHatK, pairedDifferences, pairingProblem, signFlipTest } from './paired.js';
import type { TaskCounts } from './pass-k.js';

/** Tasks with one trial each: 1 = success, 0 = failure. */
const single = (prefix: string, successes: number[]): TaskCounts[] => successes.map((c, i) => ({ taskId: `${prefix}${i}`, n: 1, c, excluded: 0 }));

describe('pass^k with bootstrap intervals', () => {
  it('gives the hand-computed point estimates and the n tasks / trials', () => {
    // A 4/4, B 2/4, C 0/4. pass^1 = (1 + 2/4 + 0)/3 = 0.5; pass^2 = (1 + C(2,2)/C(4,2) + 0)/3 = (1 + 1/6)/3 = 7/18;
    // pass^3 = pass^4 = (1 + 0 + 0)/3.
    const r = passHatKIntervals([
      { taskId: 'A', n: 4, c: 4, excluded: 0 },
      { taskId: 'B', n: 4, c: 2, excluded: 0 },
      { taskId: 'C', n: 4, c: 0, excluded: 0 },
    ]);
    expect(r.map((p) => p.k)).toEqual([1, 2, 3, 4]);
    expect(r[0]?.estimate).toBeCloseTo(0.5, 12);
    expect(r[1]?.estimate).toBeCloseTo(7 / 18, 12);
    expect(r[3]?.estimate).toBeCloseTo(1 / 3, 12);
    expect(r[0]).toMatchObject({ tasks: 3, trials: { min: 4, max: 4 }, confidence: 0.95, resamples: 10_000, seed: DEFAULT_STATS_SEED });
    // Every resample lies between the smallest and largest per-task value.
    for (const p of r) expect(p.low >= 0 && p.low <= p.estimate && p.high >= p.estimate && p.high <= 1).toBe(true);
  });

  it('matches the binomial hand computation for 9 successes out of 10 tasks', () => {
    // Resampling 10 tasks with replacement, the failing task is drawn K ~ Binomial(10, 0.1) times and
    // the resampled pass^1 is 1 − K/10. P(K = 0) = 0.9^10 = 0.349 > 0.025, so the 97.5% quantile is 1.
    // P(K ≥ 4) = 1 − (0.3487 + 0.3874 + 0.1937 + 0.0574) = 0.0128 < 0.025 < P(K ≥ 3) = 0.0702, so the
    // 2.5% quantile is 1 − 3/10 = 0.7. Interval [0.7, 1.0] around 0.9.
    const r = passHatKIntervals(single('t', [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]));
    expect(r).toHaveLength(1);
    expect(r[0]?.estimate).toBeCloseTo(0.9, 12);
    expect(r[0]?.low).toBeCloseTo(0.7, 12);
    expect(r[0]?.high).toBeCloseTo(1, 12);
  });

  it('collapses to the point when every task has the same value, and is deterministic per seed', () => {
    const same = bootstrapMean([[0.5, 0.5, 0.5]]);
    expect([same.estimate, same.low, same.high]).toEqual([0.5, 0.5, 0.5]);
    const values = [[0, 1, 1, 0, 1, 0.5, 0.25]];
    expect(bootstrapMean(values, { seed: 7 })).toEqual(bootstrapMean(values, { seed: 7 }));
    expect(bootstrapMean(values, { seed: 7, resamples: 50 }).resamples).toBe(50);
    expect(() => bootstrapMean(values, { confidence: 1 })).toThrow(/confidence/);
    expect(() => bootstrapMean([[]])).toThrow(/every stratum/);
  });

  it('averages strata (domains) with equal weight', () => {
    // (mean of [1, 0]) and (mean of [1, 1, 1, 0]) → (0.5 + 0.75) / 2.
    expect(stratifiedMean([[1, 0], [1, 1, 1, 0]])).toBeCloseTo(0.625, 12);
    expect(bootstrapMean([[1, 0], [1, 1, 1, 0]]).estimate).toBeCloseTo(0.625, 12);
  });
});

describe('spread across trials', () => {
  it('computes per-trial pass^1 and the sample standard deviation by hand', () => {
    // Trial 0: 2 of 4 tasks succeed (t5's trial 0 is not counted); trial 1: 3 of 4; trial 2: 4 of 4.
    // pass^1 per trial 0.5, 0.75, 1 → mean 0.75, sample std sqrt((0.25² + 0 + 0.25²) / 2) = 0.25.
    const s = trialSpread({
      t1: { '0': 1, '1': 1, '2': 1 },
      t2: { '0': 1, '1': 1, '2': 1 },
      t3: { '0': 0, '1': 1, '2': 1 },
      t4: { '0': 0, '1': 0, '2': 1 },
      t5: { '0': null },
    });
    expect(s.perTrial).toEqual([
      { trial: '0', tasks: 4, passAt1: 0.5 },
      { trial: '1', tasks: 4, passAt1: 0.75 },
      { trial: '2', tasks: 4, passAt1: 1 },
    ]);
    expect(s.mean).toBeCloseTo(0.75, 12);
    expect(s.std).toBeCloseTo(0.25, 12);
    expect([s.min, s.max]).toEqual([0.5, 1]);
    expect(trialSpread({ a: { '0': 1 } }).std).toBeNull();
  });
});

describe('paired comparison', () => {
  it('marks an interval that covers 0 (one task of four differs)', () => {
    // d = A − B per task = [1, 0, 0, 0]; Δ pass^1 = 0.25. Resampled Δ = K/4 with K ~ Binomial(4, 1/4):
    // P(K = 0) = (3/4)^4 = 0.316 > 0.025 → low = 0; P(K = 4) = 1/256 = 0.004 < 0.025 <
    // P(K ≥ 3) = 13/256 = 0.051 → high = 3/4. Interval [0, 0.75] covers 0.
    // Sign flips: every one of the 2^4 sign vectors gives |Δ| = 0.25 → exact p = 16/16 = 1.
    const c = comparePassHatK([{ a: single('t', [1, 0, 0, 0]), b: single('t', [0, 0, 0, 0]) }]);
    expect(c.estimate).toBeCloseTo(0.25, 12);
    expect(c.low).toBeCloseTo(0, 12);
    expect(c.high).toBeCloseTo(0.75, 12);
    expect(c.coversZero).toBe(true);
    expect(c.pValue).toBe(1);
    expect(c).toMatchObject({ k: 1, tasks: 4, strata: 1, permutation: 'exact', permutations: 16 });
  });

  it('finds a clear difference (9 of 10 tasks won)', () => {
    // d = nine 1s and one 0; Δ = 0.9; the interval is the binomial one above: [0.7, 1.0].
    // Exact sign flips: |Δ| ≥ 0.9 only when the nine non-zero signs agree (2 ways) × the zero's sign
    // (2 ways) = 4 of 2^10 = 1024 → p = 4/1024 = 0.00390625.
    const c = comparePassHatK([{ a: single('t', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), b: single('t', [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]) }]);
    expect(c.estimate).toBeCloseTo(0.9, 12);
    expect(c.low).toBeCloseTo(0.7, 12);
    expect(c.high).toBeCloseTo(1, 12);
    expect(c.coversZero).toBe(false);
    expect(c.pValue).toBe(4 / 1024);
  });

  it('compares pass^2 with per-task C(c,2)/C(n,2)', () => {
    // A: t1 2/2 → 1, t2 1/2 → 0; B: t1 1/2 → 0, t2 0/2 → 0. d = [1, 0], Δ pass^2 = 0.5.
    // Resampled Δ ∈ {0, 0.5, 1} with probabilities 1/4, 1/2, 1/4 → interval [0, 1]; exact p = 4/4 = 1.
    const a: TaskCounts[] = [{ taskId: 't1', n: 2, c: 2, excluded: 0 }, { taskId: 't2', n: 2, c: 1, excluded: 0 }];
    const b: TaskCounts[] = [{ taskId: 't1', n: 2, c: 1, excluded: 0 }, { taskId: 't2', n: 2, c: 0, excluded: 0 }];
    expect(pairedDifferences(a, b, 2)).toEqual([1, 0]);
    const c = comparePassHatK([{ a, b }], 2);
    expect([c.estimate, c.low, c.high, c.pValue]).toEqual([0.5, 0, 1, 1]);
    expect(comparePassHatK([{ a, b }], 1).estimate).toBeCloseTo((1 + 0.5) / 2 - (0.5 + 0) / 2, 12);
  });

  it('weights strata (domains) equally in Δ and in the permutation test', () => {
    // Domain X: d = [1, 0] (mean 0.5); domain Y: d = [0, 0, 0, 1] (mean 0.25); Δ = (0.5 + 0.25)/2 = 0.375.
    // Weights per task: X 1/(2·2) = 0.25, Y 1/(2·4) = 0.125. The non-zero terms ±0.25 ± 0.125 reach
    // |0.375| for 2 of their 4 sign pairs (zeros do not matter) → exact p = 0.5.
    const c = comparePassHatK([
      { a: single('x', [1, 0]), b: single('x', [0, 0]) },
      { a: single('y', [0, 0, 0, 1]), b: single('y', [0, 0, 0, 0]) },
    ]);
    expect(c.estimate).toBeCloseTo(0.375, 12);
    expect(c.pValue).toBe(0.5);
    expect(c).toMatchObject({ tasks: 6, strata: 2 });
  });

  it('switches to a seeded Monte Carlo test above 16 tasks', () => {
    // 20 tasks all won: a random sign vector reaches |Δ| = 1 with probability 2/2^20, so none of the
    // 10,000 draws does and p = (1 + 0) / (1 + 10,000).
    const t = signFlipTest([Array.from({ length: 20 }, () => 1)]);
    expect(t).toEqual({ pValue: 1 / 10_001, method: 'monte-carlo', permutations: 10_000 });
    // Half won, half lost: Δ = 0 and every sign vector is a hit → p = 1.
    expect(signFlipTest([Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : -1))]).pValue).toBe(1);
  });

  it('refuses runs on different tasks and says which', () => {
    const problem = pairingProblem(single('t', [1, 0]), single('u', [1, 0]));
    expect(problem).toMatch(/do not share.*only in the first run: t0, t1.*only in the second run: u0, u1/);
    expect(() => comparePassHatK([{ a: single('t', [1]), b: single('u', [1]) }])).toThrow(/cannot pair the runs for pass\^1/);
    expect(pairingProblem(single('t', [1]), single('t', [0]), 2)).toMatch(/fewer than 2 counted trials: t0/);
    expect(pairingProblem(single('t', [1, 1]), single('t', [0, 0]))).toBeNull();
  });
});
