import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../models/types.js';
import type { RunConfig } from '../runner/config.js';
import type { RunMetadata } from '../runner/metadata.js';
import type { EpisodeRecord } from '../contract/record.js';
import type { RunManifest } from '../runner/results.js';
import { paperTables, reduction, strategyLabel } from './paper-tables.js';
import { buildSummary, type RunSummary } from '../runner/summary.js';
import { render, toCsv } from './table.js';

interface Effort {
  turns: number;
  toolCalls: number;
  /** Agent-side LLM calls per episode, each of `tokens / calls` tokens and `cost / calls` dollars. */
  calls: number;
  tokens: number;
  cost: number;
}

/** A run summary from per-task success lists (one entry per trial), built by the real aggregation. */
function run(name: string, domain: string, agent: string, successes: Record<string, number[]>, effort: Effort, tasksSha256 = `${domain}-official`): RunSummary {
  const records: EpisodeRecord[] = [];
  for (const [taskId, trials] of Object.entries(successes)) {
    trials.forEach((s, trial) => {
      const calls: CallRecord[] = Array.from({ length: effort.calls }, () => ({
        role: agent === 'blueprint' ? 'subtask' : 'agent',
        model: 'openai:gpt-4o',
        usage: { input: effort.tokens / effort.calls },
        latencyMs: 100,
        costUsd: effort.cost / effort.calls,
        retries: 0,
        retryWaitMs: 0,
        cached: false,
        startedAt: 0,
      }));
      calls.push({ role: 'user', model: 'openai:gpt-4o', usage: { input: 5000 }, latencyMs: 100, costUsd: 1, retries: 0, retryWaitMs: 0, cached: false, startedAt: 0 });
      records.push({
        v: 1, taskId, taskIndex: 0, trial, seed: 0, domain, semantics: 'v1', agent, user: 'llm', reward: s, success: s === 1, termination: { reason: 'user_stop' },
        steps: effort.turns + effort.toolCalls, turns: effort.turns, toolCalls: effort.toolCalls, dbHash: '', startedAt: 0, endedAt: 0, durationMs: 0, calls, trajectory: [],
      });
    });
  }
  const config = { domain, split: 'test', agent, agentSettings: {}, model: 'openai:gpt-4o', user: 'llm', userModel: 'openai:gpt-4o', trials: 2 } as unknown as RunConfig;
  const metadata = { tasksSha256, taskCount: Object.keys(successes).length, plannedEpisodes: records.length, simulated: false, files: [] } as unknown as RunMetadata;
  const manifest: RunManifest = { format: 'taubp-run', version: 1, name, config, metadata };
  return buildSummary(manifest, records);
}

const TC: Effort = { turns: 6, toolCalls: 8, calls: 10, tokens: 1000, cost: 0.01 };
const BP: Effort = { turns: 4, toolCalls: 6, calls: 2, tokens: 200, cost: 0.002 };

// retail (4 tasks × 2 trials): TC pass^1 (1 + 1/2 + 0 + 0)/4 = 0.375; act 0.125; blueprint (1+1+1+0)/4 = 0.75.
// airline (2 tasks × 2 trials): TC (1 + 0)/2 = 0.5; blueprint (1 + 1/2)/2 = 0.75.
const runs = [
  run('retail-tc', 'retail', 'tool-calling', { r0: [1, 1], r1: [1, 0], r2: [0, 0], r3: [0, 0] }, TC),
  run('retail-act', 'retail', 'act', { r0: [1, 0], r1: [0, 0], r2: [0, 0], r3: [0, 0] }, TC),
  run('retail-bp', 'retail', 'blueprint', { r0: [1, 1], r1: [1, 1], r2: [1, 1], r3: [0, 0] }, BP),
  run('airline-tc', 'airline', 'tool-calling', { a0: [1, 1], a1: [0, 0] }, TC),
  run('airline-bp', 'airline', 'blueprint', { a0: [1, 1], a1: [1, 0] }, BP),
  // The built-in suite: other tasks, so nothing to pair it with.
  run('retail-bp-builtin', 'retail', 'blueprint', { b0: [1, 1] }, BP, 'retail-builtin'),
];

describe('paper tables', () => {
  const t = paperTables(runs, { resamples: 2000 });
  const table = (slug: string) => {
    const found = t.tables.find((x) => x.slug === slug);
    if (found === undefined) throw new Error(`no table ${slug}`);
    return found.table;
  };

  it('lays out τ-bench’s leaderboard per domain, best first', () => {
    const retail = table('leaderboard-retail-test');
    expect(retail.columns.map((c) => c.header)).toEqual(['Strategy', 'Pass^1', 'Pass^2', 'Tasks', 'Trials', 'Source']);
    // pass^2 by hand: TC (1 + 0 + 0 + 0)/4, act 0, blueprint (1 + 1 + 1 + 0)/4; the built-in-suite run 1.
    expect(retail.rows.map((r) => [r.strategy, r.p1, r.p2, r.source])).toEqual([
      ['Blueprint (gpt-4o)', 1, 1, 'run retail-bp-builtin'],
      ['Blueprint (gpt-4o)', 0.75, 0.75, 'run retail-bp'],
      ['TC (gpt-4o)', 0.375, 0.25, 'run retail-tc'],
      ['Act (gpt-4o)', 0.125, 0, 'run retail-act'],
    ]);
    expect(strategyLabel(runs[0] as RunSummary)).toBe('TC (gpt-4o)');
  });

  it('compares each architecture with the strongest baseline on the same tasks (hand-computed Δ, p and reductions)', () => {
    const sca = table('source-code-agent');
    const row = (domain: string, arch: string, tasks?: number) => sca.rows.find((r) => r.domain === domain && r.architecture === arch && (tasks === undefined || r.tasks === tasks));
    // Retail: the strongest baseline is tool-calling (0.375 > act's 0.125).
    const bp = row('retail', 'blueprint', 4);
    expect(bp).toMatchObject({ baseline: 'tool-calling', p1: 0.75, trials: 2 });
    // Per-task Δ = [0, 1/2, 1, 0] → 0.375 = 37.5 points. Sign flips: |±0.5 ± 1|/4 ≥ 0.375 for 2 of 4 → p = 0.5.
    expect(bp?.delta).toBeCloseTo(37.5, 10);
    expect(bp?.p).toBe(0.5);
    // Effort per episode (agent side, the user simulator left out) and the share fewer than tool-calling:
    // turns (6 − 4)/6, tool calls (8 − 6)/8, LLM calls (10 − 2)/10, tokens (1000 − 200)/1000, cost the same.
    expect(bp).toMatchObject({ turns: 4, toolCalls: 6, llmCalls: 2, tokens: 200 });
    expect(bp?.cost).toBeCloseTo(0.002, 12);
    expect(bp?.turnsRed).toBeCloseTo(1 / 3, 12);
    expect(bp?.toolCallsRed).toBeCloseTo(0.25, 12);
    expect(bp?.llmCallsRed).toBeCloseTo(0.8, 12);
    expect(bp?.tokensRed).toBeCloseTo(0.8, 12);
    expect(bp?.costRed).toBeCloseTo(0.8, 12);
    // Act: Δ = 0.125 − 0.375 = −25 points; per-task Δ = [−1/2, −1/2, 0, 0] → p = 2/4.
    expect(row('retail', 'act')?.delta).toBeCloseTo(-25, 10);
    expect(row('retail', 'act')?.p).toBe(0.5);
    expect(row('retail', 'tool-calling')).toMatchObject({ baseline: '(baseline)', delta: null });
    // Every Δ interval here is marked (these tiny samples cannot exclude 0 for act).
    expect(row('retail', 'act')?.interval).toBe('covers 0');

    // Averaged over domains: blueprint (0.75 + 0.75)/2 vs tool-calling (0.375 + 0.5)/2 → Δ = 31.25 points.
    // Stratified sign flips: terms ±0.0625 ±0.125 (retail, weight 1/8) ±0.125 (airline, weight 1/4)
    // reach |0.3125| for 2 of 8 sign vectors → p = 0.25.
    const avg = row('average (airline, retail)', 'blueprint');
    expect(avg?.p1).toBeCloseTo(0.75, 12);
    expect(avg?.delta).toBeCloseTo(31.25, 10);
    expect(avg?.p).toBe(0.25);
    expect(avg?.turnsRed).toBeCloseTo(1 / 3, 12);
    expect(row('average (airline, retail)', 'tool-calling')?.p1).toBeCloseTo(0.4375, 12);
    expect(reduction(null, 3)).toBeNull();
  });

  it('lists the comparisons it declined and why', () => {
    expect(t.declined).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^retail-bp-builtin: no baseline run .* on the same setup \(retail test, 1 tasks \(retail-b\)/),
        expect.stringMatching(/average over domains: act \(gpt-4o\) has no run on airline/),
      ]),
    );
    expect(table('declined-comparisons').rows).toHaveLength(t.declined.length);
    // Two runs of one architecture on the same tasks of a domain cannot both enter the average.
    const twice = paperTables([...runs, run('retail-bp-again', 'retail', 'blueprint', { r0: [1, 1], r1: [1, 1], r2: [0, 0], r3: [0, 0] }, BP)], { resamples: 100 });
    expect(twice.declined).toEqual(expect.arrayContaining([expect.stringMatching(/average over domains: blueprint \(gpt-4o\) has several runs on retail/)]));
    expect(table('source-code-agent').rows.find((r) => r.tasks === 1)).toMatchObject({ baseline: '', delta: null });
  });

  it('gives pass^k with intervals, Δ pass^k and the trial spread for every run', () => {
    const pk = table('pass-k-intervals');
    const bp2 = pk.rows.find((r) => r.domain === 'retail' && r.architecture === 'blueprint' && r.k === 2 && r.tasks === 4);
    // pass^2 per task: blueprint [1, 1, 1, 0], tool-calling [1, 0, 0, 0] → Δ = 0.5 = 50 points.
    expect(bp2).toMatchObject({ estimate: 0.75, baseline: 'tool-calling' });
    expect(bp2?.delta).toBeCloseTo(50, 10);
    // Trial pass^1 of tool-calling on retail: trial 0 2/4, trial 1 1/4 → SD = |0.5 − 0.25| / √2.
    expect(pk.rows.find((r) => r.domain === 'retail' && r.architecture === 'tool-calling' && r.k === 1)?.sd).toBeCloseTo(0.25 / Math.SQRT2, 12);
    for (const r of pk.rows) expect((r.low as number) <= (r.estimate as number) && (r.estimate as number) <= (r.high as number)).toBe(true);
  });

  it('renders LaTeX without raw Unicode and one rounded CSV table per file', () => {
    const tex = render(t.tables.map((n) => n.table), 'tex');
    expect(/[^\x00-\x7f]/.test(tex)).toBe(false);
    expect(tex).toContain('$\\Delta$ Pass\\textasciicircum{}1 (points)');
    const csv = toCsv(table('source-code-agent'), { round: true }).trim().split('\n');
    expect(csv[0]?.startsWith('Domain,Architecture,Model,Tasks,Trials,Pass^1,Pass^1 95% low')).toBe(true);
    expect(csv.filter((l) => l.startsWith('Domain,'))).toHaveLength(1);
    expect(csv.every((l) => !/\d\.\d{5,}/.test(l))).toBe(true);
  });

  it('is deterministic for a seed', () => {
    const again = paperTables(runs, { resamples: 2000 });
    expect(again.tables.map((x) => x.table.rows)).toEqual(t.tables.map((x) => x.table.rows));
  });
});

describe('paper tables and prompt packs', () => {
  it('does not pair runs that used different prompt packs, and says so', () => {
    const withPack = (s: RunSummary, kind: 'reference' | 'harness'): RunSummary => ({
      ...s,
      metadata: { ...s.metadata, prompts: { kind, source: kind, sha256: { tools: kind } } },
    });
    const tc = withPack(run('retail-tc-ref', 'retail', 'tool-calling', { r0: [1, 1], r1: [1, 0] }, TC), 'reference');
    const bp = withPack(run('retail-bp-harness', 'retail', 'blueprint', { r0: [1, 1], r1: [1, 1] }, BP), 'harness');
    const { declined } = paperTables([tc, bp]);
    expect(declined).toEqual(expect.arrayContaining([expect.stringMatching(/^retail-bp-harness: no baseline run .* on the same setup \(.*prompts harness [0-9a-f]{8}\)/)]));
    const same = paperTables([tc, withPack(bp, 'reference')]).declined;
    expect(same.some((d) => d.startsWith('retail-bp-harness: no baseline run'))).toBe(false);
    // A run that recorded no pack text (an imported published run) pairs by kind.
    const published = { ...tc, config: { ...tc.config, prompts: 'reference' as const }, metadata: { ...tc.metadata, prompts: undefined } } as unknown as RunSummary;
    expect(paperTables([published, withPack(bp, 'reference')]).declined.some((d) => d.startsWith('retail-bp-harness: no baseline run'))).toBe(false);
  });
});
