import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../models/types.js';
import type { RunConfig } from './config.js';
import type { EpisodeRecord } from '../contract/record.js';
import type { RunManifest } from './results.js';
import { buildSummary, formatSummary } from './summary.js';

const config = {
  domain: 'retail',
  split: 'test',
  agent: 'tool-calling',
  model: 'openai:gpt-4o',
  user: 'llm',
  userModel: 'openai:gpt-4o',
  trials: 3,
} as unknown as RunConfig;

function manifest(planned: number, simulated = false): RunManifest {
  return {
    format: 'taubp-run',
    version: 1,
    name: 'r',
    config,
    metadata: { harness: { name: 'x', version: '1' }, git: null, node: 'v20', createdAt: '', files: [], tasksSha256: '', taskCount: 2, plannedEpisodes: planned, semantics: 'v1', simulated },
  };
}

const call = (role: string, costUsd: number | null, latencyMs: number): CallRecord => ({
  role,
  model: 'openai:gpt-4o',
  usage: { input: 1000, cacheRead: 200, output: 50 },
  latencyMs,
  costUsd,
  retries: 0,
  retryWaitMs: 0,
  cached: false,
  startedAt: 0,
});

function ep(taskId: string, trial: number, reward: number | null, reason = 'user_stop', calls: CallRecord[] = [call('agent', 0.01, 100)]): EpisodeRecord {
  return {
    v: 1,
    taskId,
    taskIndex: Number(taskId),
    trial,
    seed: 0,
    domain: 'retail',
    semantics: 'v1',
    agent: 'tool-calling',
    user: 'llm',
    reward,
    success: reward === 1,
    termination: { reason: reason as EpisodeRecord['termination']['reason'] },
    steps: 6,
    turns: 2,
    toolCalls: 4,
    dbHash: '',
    startedAt: 0,
    endedAt: 2000,
    durationMs: 2000,
    calls,
    trajectory: [],
  };
}

describe('summary', () => {
  it('reports pass^k, rewards, per-task successes, usage by role and warnings', () => {
    const records = [
      ep('0', 0, 1),
      ep('0', 1, 1),
      ep('0', 2, 0, 'max_steps'),
      ep('1', 0, 1, 'user_stop', [call('agent', 0.02, 200), call('user', null, 300)]),
      ep('1', 1, null, 'infrastructure_error'),
    ];
    const s = buildSummary(manifest(6), records);
    expect(s.complete).toBe(false);
    // Task 0: n=3, c=2; task 1: n=1, c=1 → k capped at 1: (2/3 + 1)/2.
    expect(s.results.maxK).toBe(1);
    expect(s.results.passHatK['1']).toBeCloseTo(5 / 6, 12);
    expect(s.results.averageReward).toBeCloseTo(3 / 4, 12);
    expect(s.perTask['0']).toEqual({ n: 3, successes: 2, excluded: 0, rewards: { '0': 1, '1': 1, '2': 0 } });
    expect(s.usage.byRole['agent']?.calls).toBe(5);
    expect(s.usage.byRole['agent']?.costUsd).toBeCloseTo(0.06, 12);
    expect(s.usage.byRole['user']?.costUsd).toBeNull();
    expect(s.usage.total.costUsd).toBeNull();
    expect(s.usage.byRole['agent']?.usage).toEqual({ input: 5000, cacheRead: 1000, output: 250 });
    expect(s.warnings).toEqual([
      '1 of 6 planned episodes have no record (interrupted?); `taubp run --resume --out <dir>` completes the run',
      expect.stringMatching(/^1 episode\(s\) ended in infrastructure errors .* left out of pass\^k/),
      'tasks have unequal counted trials (1 to 3): pass^k is reported up to k = 1',
      expect.stringMatching(/^cost unknown for role\(s\) user: .* \(cost is null, not 0\)/),
    ]);
    const text = formatSummary(s);
    expect(text).toMatch(/Episodes 5\/6 · counted 4 · infrastructure errors 1 · unscored 0/);
    expect(text).toMatch(/pass\^1 +avg reward\nvalue +0\.833 +0\.750/);
    expect(text).toMatch(/agent +5 +5000 +1000 +– +250 +\$0\.0600 +120\/100\/180/);
    expect(text).toMatch(/user +1 .* n\/a/);
    expect(text).toMatch(/Terminations: user_stop 3, max_steps 1, infrastructure_error 1/);
    expect(text).toMatch(/warning: cost unknown/);
  });

  it('says when a simulated model produced the results', () => {
    const s = buildSummary(manifest(1, true), [ep('0', 0, 1)]);
    expect(s.simulated).toBe(true);
    expect(s.warnings[0]).toMatch(/^simulated model/);
    expect(formatSummary(s).split('\n')[0]).toBe('Run r  [simulated model]');
  });
});
