import { describe, expect, it } from 'vitest';
import type { CallLike } from '../metrics/aggregate.js';
import type { RunConfig } from './config.js';
import type { RunMetadata } from './metadata.js';
import type { EpisodeRecord } from '../contract/record.js';
import { buildSummary, formatSummary } from './summary.js';
import { costFromUsage, formatCost, runCostOf } from './run-cost.js';

const call = (role: string, costUsd: number | null, cached = false): CallLike => ({ role, model: 'openai:gpt-4o', usage: { input: 10 }, latencyMs: 1, costUsd, retries: 0, retryWaitMs: 0, cached });

describe('run cost', () => {
  const episodes = [
    { calls: [call('agent', 0.5), call('user', 0.25), call('agent', 0.5, true)] },
    { calls: [call('agent', 0.5), call('judge', 0.125), call('user', 0.25, true)] },
  ];

  it('counts every role (user simulator and judge too) and leaves cached calls out of the spend', () => {
    const c = runCostOf(episodes, {});
    expect(c.spendUsd).toBe(0.5 + 0.25 + 0.5 + 0.125);
    expect(c.cachedCalls).toBe(2);
    expect(c.cachedUsd).toBe(0.75);
    expect(c.byRole).toEqual([
      { role: 'agent', calls: 3, cachedCalls: 1, spendUsd: 1, cachedUsd: 0.5 },
      { role: 'user', calls: 2, cachedCalls: 1, spendUsd: 0.25, cachedUsd: 0.25 },
      { role: 'judge', calls: 1, cachedCalls: 0, spendUsd: 0.125, cachedUsd: 0 },
    ]);
    expect(formatCost(c)).toBe('Cost: spend $1.3750 (agent $1.0000, user $0.2500, judge $0.1250) · 2 cached call(s) not counted (worth $0.7500)');
  });

  it('an unpriced paid call makes the spend unknown; an unpriced cached call does not', () => {
    expect(runCostOf([{ calls: [call('agent', null), call('user', 1)] }], {}).spendUsd).toBeNull();
    const c = runCostOf([{ calls: [call('agent', null, true), call('user', 1)] }], {});
    expect(c.spendUsd).toBe(1);
    expect(c.cachedUsd).toBeNull();
  });

  it('a replayed run spent nothing and shows the original cost', () => {
    const c = runCostOf(episodes, { replayOf: { dir: '/r/orig', name: 'orig', createdAt: '2026-01-01', costUsd: 2.5 } });
    expect(c.spendUsd).toBe(0);
    expect(c.replayOf).toEqual({ run: 'orig', originalUsd: 2.5 });
    expect(formatCost(c)).toContain('replay of orig, which cost $2.5000');
  });

  it('summaries written before the cost split: spend unknown for roles with cached calls', () => {
    const c = costFromUsage({ agent: { calls: 2, costUsd: 1, cachedCalls: 0 }, user: { calls: 2, costUsd: 0.5, cachedCalls: 1 } }, {});
    expect(c.byRole.map((r) => r.spendUsd)).toEqual([1, null]);
    expect(c.spendUsd).toBeNull();
  });

  it('is kept in summary.json and printed with the summary', () => {
    const record = (trial: number, calls: CallLike[]): EpisodeRecord =>
      ({ v: 1, taskId: '0', taskIndex: 0, trial, seed: 0, domain: 'retail', semantics: 'v1', agent: 'tool-calling', user: 'llm', reward: 1, success: true, termination: { reason: 'user_stop' }, steps: 1, turns: 1, toolCalls: 0, dbHash: '', startedAt: 0, endedAt: 0, durationMs: 0, calls, trajectory: [] }) as unknown as EpisodeRecord;
    const config = { domain: 'retail', split: 'test', agent: 'tool-calling', model: 'openai:gpt-4o', user: 'llm', userModel: 'openai:gpt-4o', trials: 2 } as unknown as RunConfig;
    const metadata = { plannedEpisodes: 2, simulated: false } as unknown as RunMetadata;
    const s = buildSummary({ format: 'taubp-run', version: 1, name: 'r', config, metadata }, [record(0, [call('agent', 1), call('user', 0.5)]), record(1, [call('agent', 1, true)])]);
    expect(s.cost?.spendUsd).toBe(1.5);
    expect(formatSummary(s)).toContain('Cost: spend $1.5000 (agent $1.0000, user $0.5000) · 1 cached call(s) not counted (worth $1.0000)');
  });
});
