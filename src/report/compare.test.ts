import { describe, expect, it } from 'vitest';
import { comparisonTables, ratioTable, agentSide } from './compare.js';
import type { RunSummary } from '../runner/summary.js';
import { render } from './table.js';

const dist = (mean: number) => ({ count: 4, mean, p50: mean, p95: mean, min: mean, max: mean, sum: mean * 4 });
const roleUsage = (calls: number, input: number, output: number, cost: number | null) => ({
  calls,
  usage: { input, output },
  totalTokens: input + output,
  costUsd: cost,
  unpricedCalls: cost === null ? 1 : 0,
  models: ['m'],
  latencyMs: dist(100),
  retries: 0,
  retryWaitMs: 0,
  cachedCalls: 0,
});

function summary(agent: string, p1: number, agentCalls: number, agentTokens: number, subtaskCalls = 0): RunSummary {
  const byRole: RunSummary['usage']['byRole'] = {
    agent: roleUsage(agentCalls, agentTokens - 100, 100, 0.5),
    user: roleUsage(999, 99999, 9999, 1),
  };
  if (subtaskCalls > 0) byRole.subtask = roleUsage(subtaskCalls, 900, 100, 0.1);
  return {
    format: 'taubp-summary', version: 1, run: agent, simulated: true, complete: true, plannedEpisodes: 4,
    config: { domain: 'retail', split: 'test', data: null, agent, model: 'sim', user: 'scripted', userModel: null, trials: 2 } as unknown as RunSummary['config'],
    metadata: { tasksSha256: 'same', taskCount: 2 } as RunSummary['metadata'],
    results: { episodes: 4, counted: 4, infrastructureErrors: 0, unscored: 0, terminations: {}, passHatK: { '1': p1, '2': p1 / 2 }, maxK: 2, unequalTrials: false, tasksWithoutTrials: [], averageReward: p1, successRate: p1 },
    // pass^1 = p1 over two tasks of two trials: task 0 has 2·(2·p1 − 1) successes, task 1 two
    perTask: { '0': { n: 2, successes: Math.round(2 * (2 * p1 - 1)), excluded: 0, rewards: {} }, '1': { n: 2, successes: 2, excluded: 0, rewards: {} } },
    usage: { byRole, total: byRole.agent! },
    perEpisode: { turns: dist(10), toolCalls: dist(agent === 'blueprint' ? 4 : 8), steps: dist(12), durationMs: dist(5), llmCalls: dist(3) },
    warnings: [],
  };
}

describe('comparison tables', () => {
  const base = summary('tool-calling', 0.5, 40, 40_000);
  const bp = summary('blueprint', 0.75, 0, 0, 8);

  it('counts the agent side without the user simulator', () => {
    expect(agentSide(bp)).toMatchObject({ calls: 8, tokens: 1000, cost: 0.6 });
    expect(agentSide(base).calls).toBe(40);
  });

  it('computes blueprint / baseline ratios per episode and the pass^1 gain in points', () => {
    const t = ratioTable([base, bp]);
    expect(t.rows).toHaveLength(1);
    // per-task Δ [1/2, 0]: Δ = 25 points; bootstrap means lie in {0, 25, 50} points, so the
    // interval is [0, 50] and covers 0; both sign flips of 2 tasks reach |25|: p = 1.
    expect(t.rows[0]).toMatchObject({ domain: 'retail', calls: 0.2, tokens: 1000 / 40_000, toolCalls: 0.5, delta: 25, deltaLow: 0, deltaHigh: 50, p: 1, interval: 'covers 0: no clear difference' });
  });

  it('renders pass^k for every run with the simulated-model note', () => {
    const tables = comparisonTables([bp, base]);
    expect(tables.map((t) => t.title)).toEqual([
      'pass^k by domain and agent',
      'Agent-side effort per episode (user simulator and judge excluded)',
      'Each run relative to its tool-calling baseline run (per episode, agent side)',
      'Successes per task (successes / counted trials)',
      'Cost per run (USD)',
    ]);
    const md = render(tables, 'md');
    expect(md).toMatch(/\| blueprint \| retail \| test · 2 tasks · [^|]*\| built-in \| harness \(unrecorded\) \| blueprint \| sim \| scripted \| 2 \| 4 \| 0 \| 0 \| 0\.750 \| [\d.]+ \| 1\.000 \| tool-calling \| 25\.0 \| 0\.0 \| 50\.0 \| 1\.000 \| covers 0: no clear difference \| 0\.375 \| 0\.750 \|/);
    expect(md).toContain('simulated model');
    expect(md).not.toContain('different prompt packs');
  });

  it('shows each run\'s prompt pack and warns when runs used different packs; ratios pair only runs of one pack', () => {
    const pack = (kind: 'reference' | 'harness', tools: string): RunSummary['metadata'] =>
      ({ prompts: { kind, source: kind, sha256: { tools, behaviour: 'b' } } }) as unknown as RunSummary['metadata'];
    const ref = { ...base, metadata: pack('reference', 't1') };
    const refOther = { ...bp, metadata: pack('reference', 't2') };
    const labels = comparisonTables([ref, refOther])[0]?.rows.map((r) => r['prompts']);
    expect(labels).toHaveLength(2);
    expect(String(labels?.[0])).toMatch(/^reference [0-9a-f]{8}$/);
    expect(labels?.[0]).not.toBe(labels?.[1]);
    const md = render(comparisonTables([ref, refOther]), 'md');
    expect(md).toMatch(/WARNING: these runs used different prompt packs \(retail: reference [0-9a-f]{8}, reference [0-9a-f]{8}; see the Prompts column\)/);
    expect(ratioTable([ref, refOther]).rows).toHaveLength(0);
    expect(ratioTable([ref, { ...bp, metadata: pack('reference', 't1') }]).rows).toHaveLength(1);
    expect(render(comparisonTables([ref, { ...bp, metadata: pack('reference', 't1') }]), 'md')).not.toContain('different prompt packs');
    // Another domain has its own tools (another pack hash) but the same kind: no warning.
    const airline = { ...bp, config: { ...bp.config, domain: 'airline' }, metadata: pack('reference', 't3') };
    expect(render(comparisonTables([ref, airline]), 'md')).not.toContain('different prompt packs');
    // A harness run next to a reference run: warned even across domains.
    const harnessAirline = { ...airline, metadata: pack('harness', 't3') };
    expect(render(comparisonTables([ref, harnessAirline]), 'md')).toContain('WARNING: these runs used different prompt packs (harness, reference;');
    // An imported published run (no pack recorded, kind reference) sits beside reference runs without a warning.
    const published = { ...bp, config: { ...bp.config, prompts: 'reference' }, metadata: {} } as unknown as RunSummary;
    expect(render(comparisonTables([ref, published]), 'md')).not.toContain('different prompt packs');
    expect(ratioTable([ref, published]).rows).toHaveLength(1);
  });
});
