import { describe as group, expect, it } from 'vitest';
import type { CallRecord } from '../models/types.js';
import { aggregate, usageByRole, type EpisodeLike } from './aggregate.js';
import { isSuccess, passHatK, passHatKCurve, type TrialOutcome } from './pass-k.js';
import { describe, quantile } from './stats.js';

const outcomes = (taskId: string, rewards: Array<number | null>, excluded: boolean[] = []): TrialOutcome[] =>
  rewards.map((reward, trial) => ({ taskId, trial, reward, excluded: excluded[trial] ?? false }));

group('passHatK', () => {
  it('matches hand-computed C(c,k)/C(n,k)', () => {
    // 8 trials, 7 successes (the τ-bench docs example): 7/8, 21/28, 35/56 ... 0.
    expect(passHatK(8, 7, 1)).toBeCloseTo(0.875, 12);
    expect(passHatK(8, 7, 2)).toBeCloseTo(0.75, 12);
    expect(passHatK(8, 7, 3)).toBeCloseTo(35 / 56, 12);
    expect(passHatK(8, 7, 8)).toBe(0);
    expect(passHatK(4, 4, 4)).toBe(1);
    expect(passHatK(5, 2, 3)).toBe(0);
    expect(passHatK(3, 0, 1)).toBe(0);
  });

  it('rejects k above n and bad counts', () => {
    expect(() => passHatK(3, 1, 4)).toThrow(/exceeds trials/);
    expect(() => passHatK(3, 4, 1)).toThrow(/exceed trials/);
    expect(() => passHatK(3, 1.5, 1)).toThrow(/non-negative integer/);
  });

  it('counts rewards within 1e-6 of 1 as successes', () => {
    expect(isSuccess(1)).toBe(true);
    expect(isSuccess(0.9999995)).toBe(true);
    expect(isSuccess(1.0000009)).toBe(true);
    expect(isSuccess(0.999998)).toBe(false);
    expect(isSuccess(0)).toBe(false);
    expect(isSuccess(null)).toBe(false);
  });
});

group('passHatKCurve', () => {
  it('averages over tasks with equal trial counts', () => {
    // A: 4/4, B: 2/4, C: 0/4.
    const r = passHatKCurve([...outcomes('A', [1, 1, 1, 1]), ...outcomes('B', [1, 0, 1, 0]), ...outcomes('C', [0, 0, 0, 0])]);
    expect(r.maxK).toBe(4);
    expect(r.unequalTrials).toBe(false);
    // k=1: (1 + 0.5 + 0)/3; k=2: (1 + 1/6 + 0)/3; k=3,4: 1/3.
    expect(r.passHatK[0]).toBeCloseTo(0.5, 12);
    expect(r.passHatK[1]).toBeCloseTo(7 / 18, 12);
    expect(r.passHatK[2]).toBeCloseTo(1 / 3, 12);
    expect(r.passHatK[3]).toBeCloseTo(1 / 3, 12);
  });

  it('uses per-task counts, drops excluded trials, and caps k at the smallest count', () => {
    // A: 4 trials, 3 successes. B: 4 trials, one an infrastructure error → n=3, c=1.
    const r = passHatKCurve([...outcomes('A', [1, 0, 1, 1]), ...outcomes('B', [0, 1, 1, 0], [false, false, true, false])]);
    expect(r.tasks).toEqual([
      { taskId: 'A', n: 4, c: 3, excluded: 0 },
      { taskId: 'B', n: 3, c: 1, excluded: 1 },
    ]);
    expect(r.maxK).toBe(3);
    expect(r.unequalTrials).toBe(true);
    expect(r.passHatK).toHaveLength(3);
    expect(r.passHatK[0]).toBeCloseTo((3 / 4 + 1 / 3) / 2, 12);
    expect(r.passHatK[1]).toBeCloseTo((3 / 6 + 0) / 2, 12);
    expect(r.passHatK[2]).toBeCloseTo((1 / 4 + 0) / 2, 12);
  });

  it('leaves out tasks whose every trial was excluded, and treats null rewards as excluded', () => {
    const r = passHatKCurve([...outcomes('A', [1, 1]), ...outcomes('B', [0, 0], [true, true]), ...outcomes('C', [null, 1])]);
    expect(r.tasksWithoutTrials).toEqual(['B']);
    expect(r.maxK).toBe(1);
    expect(r.passHatK).toEqual([1]);
  });

  it('is empty when nothing is counted', () => {
    expect(passHatKCurve([]).passHatK).toEqual([]);
    expect(passHatKCurve(outcomes('A', [1], [true])).maxK).toBe(0);
  });
});

group('stats', () => {
  it('interpolates quantiles linearly', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 12);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('describes a sample', () => {
    expect(describe([100, 200, 300])).toEqual({ count: 3, sum: 600, mean: 200, p50: 200, p95: 290, min: 100, max: 300 });
    expect(describe([]).mean).toBeNull();
  });
});

function call(role: string, input: number, output: number, costUsd: number | null, latencyMs: number, extra: Partial<CallRecord> = {}): CallRecord {
  return { role, model: 'openai:gpt-4o', usage: { input, output }, latencyMs, costUsd, retries: 0, retryWaitMs: 0, cached: false, startedAt: 0, ...extra };
}

group('usage aggregation', () => {
  it('sums tokens by bucket and cost per role; cost is null when any call is unpriced', () => {
    const roles = usageByRole([
      call('agent', 100, 10, 0.5, 100, { usage: { input: 100, cacheRead: 50, output: 10 } }),
      call('user', 20, 5, null, 300, { model: 'openai-compatible:llama' }),
      call('agent', 200, 20, 0.25, 200, { retries: 2, retryWaitMs: 1500, cached: true }),
      call('user', 30, 5, 0.01, 100),
    ]);
    expect(roles.map((r) => r.role)).toEqual(['agent', 'user']);
    const [agent, user] = roles as [(typeof roles)[0], (typeof roles)[0]];
    expect(agent.usage).toEqual({ input: 300, cacheRead: 50, output: 30 });
    expect(agent.totalTokens).toBe(380);
    expect(agent.costUsd).toBe(0.75);
    expect(agent.retries).toBe(2);
    expect(agent.retryWaitMs).toBe(1500);
    expect(agent.cachedCalls).toBe(1);
    expect(agent.latencyMs.mean).toBe(150);
    expect(user.costUsd).toBeNull();
    expect(user.unpricedCalls).toBe(1);
    expect(user.models).toEqual(['openai-compatible:llama', 'openai:gpt-4o']);
  });
});

group('aggregate', () => {
  const ep = (taskId: string, trial: number, reward: number | null, reason = 'user_stop', calls: CallRecord[] = []): EpisodeLike => ({
    taskId,
    trial,
    reward,
    termination: { reason },
    calls,
    steps: 4,
    turns: 2,
    toolCalls: 2,
    durationMs: 1000,
  });

  it('excludes infrastructure errors from pass^k and rewards but counts their usage', () => {
    const a = aggregate([
      ep('0', 0, 1, 'user_stop', [call('agent', 10, 1, 0.1, 50)]),
      ep('0', 1, 0, 'max_steps'),
      ep('1', 0, 1),
      ep('1', 1, 0, 'infrastructure_error', [call('agent', 5, 0, 0.2, 50)]),
    ]);
    expect(a.episodes).toBe(4);
    expect(a.counted).toBe(3);
    expect(a.infrastructureErrors).toBe(1);
    expect(a.terminations).toEqual({ user_stop: 2, max_steps: 1, infrastructure_error: 1 });
    expect(a.passHatK.maxK).toBe(1);
    expect(a.passHatK.passHatK[0]).toBeCloseTo((1 / 2 + 1) / 2, 12);
    expect(a.averageReward).toBeCloseTo(2 / 3, 12);
    expect(a.successRate).toBeCloseTo(2 / 3, 12);
    expect(a.perTask['1']).toEqual({ n: 1, successes: 1, excluded: 1, rewards: { '0': 1, '1': null } });
    expect(a.total.calls).toBe(2);
    expect(a.total.costUsd).toBeCloseTo(0.3, 12);
    expect(a.perEpisode.turns.count).toBe(3);
  });
});
