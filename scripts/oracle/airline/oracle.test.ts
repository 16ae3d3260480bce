/**
 * Oracle mode (simulated model at error probability 0 answering sub-tasks from the task, scripted
 * customer) through the real runner: every built-in task, the official τ-bench v1 test split with
 * its misses explained in ORACLE-MISSES.md, and the LLM calls and tokens against the
 * tool-calling baseline on the same tasks, model and user.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltin } from '../../../domains/airline/builtin.js';
import { airlineDomain } from '../../../domains/airline/index.js';
import { airlineRegistry } from '../../../domains/airline/registry.js';
import { loadTasks } from '../../../src/env/tasks/source.js';
import type { EpisodeRecord } from '../../../src/contract/record.js';
import { sharedDir } from '../../../test/shared-data.js';
import { officialOracleReport, renderMisses, type OracleReport } from './oracle-misses.js';
import { runOracle, type OracleRunResult } from './oracle-run.js';

const EXPECTED: Record<string, string> = { performed: 'done', refused: 'refused', transfer: 'transfer', answered: 'answered', unavailable: 'declined' };

function usage(records: readonly EpisodeRecord[]): { calls: number; tokens: number } {
  const calls = records.flatMap((r) => r.calls);
  return { calls: calls.length, tokens: calls.reduce((s, c) => s + (c.usage.input ?? 0) + (c.usage.output ?? 0), 0) };
}

describe('airline blueprint in oracle mode: built-in suite', () => {
  const suite = loadBuiltin();
  let run: OracleRunResult;
  beforeAll(async () => {
    run = await runOracle({ tasks: suite.tasks, base: suite.data.base, registry: airlineRegistry('v1'), policy: suite.policy });
  });

  it('every built-in task reaches reward 1', () => {
    expect(run.records).toHaveLength(suite.tasks.length);
    expect(run.records.filter((r) => !r.success).map((r) => `${r.taskId}: ${r.termination.reason}`)).toEqual([]);
  });

  it('each request ends as the policy oracle of the generator expected (done, refused, transfer, answered)', () => {
    for (const task of suite.tasks) {
      const log = run.logs.get(`${task.id}#0`);
      const expected = (task.scripted?.requests ?? []).map((r) => EXPECTED[String(r.args?.expected)] ?? String(r.args?.expected));
      expect(log?.ctx?.outcomes.map((o) => o.result), task.id).toEqual(expected);
    }
  });

  it('only sub-task calls reach the model, a few per episode', () => {
    const roles = new Set(run.records.flatMap((r) => r.calls.map((c) => c.role)));
    expect([...roles]).toEqual(['subtask']);
    expect(Math.max(...run.records.map((r) => r.calls.length))).toBeLessThanOrEqual(4);
  });
});

describe('airline blueprint in oracle mode: official τ-bench data', () => {
  let report: OracleReport;
  beforeAll(async () => {
    report = await officialOracleReport(sharedDir());
  });

  it('measures the v1 test split; every miss is a gold action the τ-bench policy forbids or a value it computes differently', () => {
    const rate = report.v1.passed / report.v1.total;
    expect(report.v1.total).toBe(50);
    // 90% is out of reach for a policy-faithful agent: ORACLE-MISSES.md lists each gold write the
    // policy forbids (τ²/τ³ corrected all but one of them, and the blueprint passes those τ² tasks).
    expect(rate).toBeGreaterThanOrEqual(0.76);
    for (const m of report.v1.misses) {
      for (const r of m.reasons) expect(r, `task ${m.taskId}`).toMatch(/\[(not_cancellable|segment_used|delay_without_change)\]|^made .* with nonfree_baggages|no listed option/);
    }
    expect(report.tau2.passed).toBeGreaterThanOrEqual(49);
  });

  it('ORACLE-MISSES.md is the current generated report', () => {
    const file = fileURLToPath(new URL('../../../blueprints/airline/ORACLE-MISSES.md', import.meta.url));
    expect(readFileSync(file, 'utf8')).toBe(renderMisses(report));
  });
});

describe('airline blueprint efficiency against the tool-calling baseline (sim + scripted user)', () => {
  it('uses at most 40% of the LLM calls and tokens on the built-in and the official tasks', async () => {
    const suite = loadBuiltin();
    const dir = join(sharedDir(), 'taubench', 'airline');
    const official = { tasks: loadTasks('airline', dir, 'test'), base: airlineDomain.loadDb(dir, {}).base, policy: '' };
    const ratios: Record<string, { calls: number; tokens: number }> = {};
    for (const [name, s] of [['builtin', { tasks: suite.tasks, base: suite.data.base, policy: suite.policy }], ['official', official]] as const) {
      const opts = { ...s, registry: airlineRegistry('v1') };
      const bp = usage((await runOracle({ ...opts, agent: 'blueprint' })).records);
      const tc = usage((await runOracle({ ...opts, agent: 'tool-calling' })).records);
      ratios[name] = { calls: bp.calls / tc.calls, tokens: bp.tokens / tc.tokens };
    }
    for (const [name, r] of Object.entries(ratios)) {
      expect(r.calls, `${name} calls ratio`).toBeLessThanOrEqual(0.4);
      expect(r.tokens, `${name} tokens ratio`).toBeLessThanOrEqual(0.4);
    }
  });
});
