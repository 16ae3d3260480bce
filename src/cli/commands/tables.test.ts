import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EpisodeRecord } from '../../contract/record.js';
import { runTables } from './tables.js';

/** A run directory (run.json + episodes.jsonl; the summary is built when read) from per-task successes. */
function writeRun(root: string, name: string, agent: string, successes: Record<string, number[]>): void {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const config = { domain: 'retail', data: null, db: null, split: 'test', tasks: null, agent, agentSettings: {}, model: 'openai:gpt-4o', temperature: 0, user: 'llm', userModel: 'openai:gpt-4o', userTemperature: null, trials: 2, seed: 10, maxSteps: null, policy: null, baseUrl: null, userBaseUrl: null, cache: 'off', cacheDir: '.cache/llm', concurrency: 1, providerConcurrency: null, shard: null };
  const ids = Object.keys(successes);
  const metadata = { harness: { name: 't', version: '0' }, git: null, node: 'v20', createdAt: '2026-01-01T00:00:00Z', files: [], tasksSha256: 'same-tasks', taskCount: ids.length, taskIds: ids, plannedEpisodes: ids.length * 2, semantics: 'v1', simulated: false };
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'taubp-run', version: 1, name, config, metadata }));
  const lines = Object.entries(successes).flatMap(([taskId, trials], index) =>
    trials.map((s, trial): EpisodeRecord => ({
      v: 1, taskId, taskIndex: index, trial, seed: 0, domain: 'retail', semantics: 'v1', agent, user: 'llm', reward: s, success: s === 1, termination: { reason: 'user_stop' },
      steps: 2, turns: 1, toolCalls: 1, dbHash: '', startedAt: 0, endedAt: 0, durationMs: 0, calls: [], trajectory: [],
    })),
  );
  writeFileSync(join(dir, 'episodes.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

describe('taubp tables', () => {
  const root = mkdtempSync(join(tmpdir(), 'taubp-tables-'));
  // tool-calling 0.5 (tasks t0, t1 succeed), act 0.25, blueprint 1.0 on the same 4 tasks.
  writeRun(root, 'tc', 'tool-calling', { t0: [1, 1], t1: [1, 1], t2: [0, 0], t3: [0, 0] });
  writeRun(root, 'act', 'act', { t0: [1, 1], t1: [0, 0], t2: [0, 0], t3: [0, 0] });
  writeRun(root, 'bp', 'blueprint', { t0: [1, 1], t1: [1, 1], t2: [1, 1], t3: [1, 1] });
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
  };

  it('prints the Markdown tables; --baseline picks what the others are compared with', async () => {
    const a = io();
    expect(await runTables([root, '--resamples', '200'], a.io)).toBe(0);
    // Strongest default baseline: tool-calling (0.5). Blueprint Δ = 1.0 − 0.5 = 50 points; per-task
    // Δ = [0, 0, 1, 1] → exact sign flips: 2 of 4 reach |0.5| → p = 0.5.
    expect(a.out.stdout).toMatch(/\| retail \| blueprint \| gpt-4o \| 4 \| 2 \| 1\.000 \| 1\.000 \| 1\.000 \| tool-calling \| 50\.0 \| [\d.]+ \| [\d.]+ \| 0\.500 \| /);
    const b = io();
    expect(await runTables([root, '--baseline', 'act', '--resamples', '200'], b.io)).toBe(0);
    // Against act (0.25): Δ = 75 points; tool-calling is now compared too: Δ = 25 points.
    expect(b.out.stdout).toMatch(/\| retail \| blueprint \| gpt-4o \| 4 \| 2 \| 1\.000 \| 1\.000 \| 1\.000 \| act \| 75\.0 \|/);
    expect(b.out.stdout).toMatch(/\| retail \| tool-calling \| gpt-4o \| 4 \| 2 \| 0\.500 \| [\d.]+ \| [\d.]+ \| act \| 25\.0 \|/);
  });

  it('writes tables.md, tables.tex and one CSV per table with --out', async () => {
    const out = join(root, 'paper');
    const a = io();
    expect(await runTables([root, '--out', out, '--resamples', '200'], a.io)).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['leaderboard-retail-test.csv', 'pass-k-intervals.csv', 'source-code-agent.csv', 'tables.md', 'tables.tex']);
    expect(readFileSync(join(out, 'leaderboard-retail-test.csv'), 'utf8').split('\n')[1]).toBe('Blueprint (gpt-4o),1,1,4,2,run bp');
    expect(a.out.stderr).toMatch(/3 run\(s\) →/);
  });

  it('fails clearly without runs or arguments', async () => {
    await expect(runTables([], io().io)).rejects.toThrow(/give at least one run/);
    const empty = mkdtempSync(join(tmpdir(), 'taubp-tables-empty-'));
    await expect(runTables([empty], io().io)).rejects.toThrow(/no run|not a run|no runs/i);
    await expect(runTables([root, '--resamples', 'x'], io().io)).rejects.toThrow(/--resamples must be an integer/);
  });
});
