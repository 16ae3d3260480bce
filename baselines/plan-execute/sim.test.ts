/**
 * The plan-and-execute agent with the simulated model and the scripted customer on both domains'
 * built-in suites, through the library's `runBenchmark` (what `taubp run` runs): at p = 0 every
 * task passes; the recorded runs (p = 0 and with errors injected) replay identically with
 * `taubp replay`; and the simulated model's plans pass the agent's own validation.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchmark, ToolRegistry } from '../../src/index.js';
import { runReplay } from '../../src/cli/commands/replay.js';
import { AGENTS, DOMAINS, loadBuiltinSuite, USERS } from '../../src/cli/registry.js';
import { createSimModel } from '../../src/models/sim/sim-model.js';
import type { EpisodeRecord } from '../../src/contract/record.js';
import { NOTE_KIND } from './execute.js';
import { PLAN_SUBTASK } from './plan.js';
import { validatePlan } from './validate.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `plan-execute-${name}-`));
  dirs.push(d);
  return join(d, 'run');
}

function episodes(dir: string): EpisodeRecord[] {
  return readFileSync(join(dir, 'episodes.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as EpisodeRecord);
}

function planEvents(records: readonly EpisodeRecord[]): Array<Record<string, unknown>> {
  return records.flatMap((r) => r.trajectory.flatMap((e) => (e.type === 'note' && e.kind === NOTE_KIND ? [e.data as Record<string, unknown>] : [])));
}

async function replayStatus(dir: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runReplay([dir], { domains: DOMAINS, agents: AGENTS, users: USERS, stdout: (t) => void (out += t), stderr: (t) => void (out += t) });
  return { code, out };
}

describe('plan-execute with sim and the scripted customer on the built-in suites', () => {
  for (const [domain, tasks] of [
    ['retail', '0-11'],
    ['airline', '0-11'],
  ] as const) {
    it(`${domain}: every task of ${tasks} passes at p = 0, with plans, validations and steps recorded, and the run replays identically`, async () => {
      const out = tmp(domain);
      const summary = await runBenchmark({ domain, data: 'builtin', agent: 'plan-execute', model: 'sim', user: 'scripted', tasks, trials: 1, out, concurrency: 4 });
      expect(summary.results.passHatK['1']).toBe(1);
      const records = episodes(out);
      expect(records).toHaveLength(12);
      expect(records.every((r) => r.agent === 'plan-execute' && r.success)).toBe(true);
      const events = planEvents(records);
      expect(events.filter((e) => e.event === 'validation').every((e) => e.ok === true)).toBe(true);
      expect(events.filter((e) => e.event === 'step' && e.kind === 'confirm').every((e) => e.status === 'confirmed')).toBe(true);
      // Every write ran after a confirmation, within its plan.
      const registry = DOMAINS[domain]!.registry(loadBuiltinSuite(domain, 'builtin').data.variant);
      const writes = records.flatMap((r) => r.trajectory.filter((e) => e.type === 'tool' && registry.get(e.name)?.kind === 'write'));
      expect(writes.length).toBeGreaterThan(0);
      expect(events.filter((e) => e.event === 'step' && e.kind === 'confirm')).toHaveLength(writes.length);
      const replay = await replayStatus(out);
      expect(replay.code, replay.out).toBe(0);
      expect(replay.out).toMatch(/12\/12 episode\(s\) identical/);
    }, 120_000);
  }

  it('with errors injected (sim:0.3), rejected plans get one redraft, failures end plans with a reply, and the run still replays identically', async () => {
    const out = tmp('errors');
    await runBenchmark({ domain: 'retail', data: 'builtin', agent: 'plan-execute', model: 'sim:0.3', user: 'scripted', tasks: '0-39', trials: 1, out, concurrency: 4 });
    const records = episodes(out);
    const events = planEvents(records);
    expect(events.some((e) => e.event === 'validation' && e.ok === false)).toBe(true);
    expect(events.some((e) => e.event === 'plan_end' && e.outcome === 'failed')).toBe(true);
    // Never more than two drafts in one customer turn.
    for (const r of records) {
      const perTurn = new Map<unknown, number>();
      for (const e of planEvents([r])) if (e.event === 'plan') perTurn.set(e.turn, (perTurn.get(e.turn) ?? 0) + 1);
      expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(2);
    }
    expect(records.some((r) => !r.success)).toBe(true);
    const replay = await replayStatus(out);
    expect(replay.code, replay.out).toBe(0);
  }, 120_000);
});

describe("the simulated model's plans", () => {
  it('pass the agent validation for every built-in airline task once the customer is identified', async () => {
    const suite = loadBuiltinSuite('airline', 'builtin');
    const registry: ToolRegistry = DOMAINS.airline!.registry(suite.data.variant);
    const sim = createSimModel();
    const writeTools = registry.names().filter((n) => registry.get(n)?.kind === 'write');
    for (const task of suite.tasks) {
      const input = { conversation: [{ from: 'customer', text: 'hi' }, { from: 'agent', text: 'Before I can help, I need to verify your identity. Could you please give me your user id?' }], executed: [], writeTools, maxSteps: 20 };
      const res = await sim.complete({ messages: [{ role: 'user', content: '{}' }], privileged: { task, subtask: { name: PLAN_SUBTASK, input } } });
      const v = validatePlan(res.text, { registry, approved: new Set(registry.names()), maxSteps: 20 });
      expect(v.ok ? [] : v.issues, `task ${task.id}`).toEqual([]);
    }
  });
});
