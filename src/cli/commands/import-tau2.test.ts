/**
 * `taubp import` of a τ² results JSON (format of τ²'s `src/tau2/data_model/simulation.py`
 * `Results`): a small file written here from the τ² retail tasks' gold actions (read from
 * ../shared at test time), re-graded by this harness. Needs ../shared (fails without it).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import type { ImportedEpisodeRecord, ImportedRunMetadata } from '../../runner/import-run.js';
import type { RunManifest } from '../../runner/results.js';
import type { RunSummary } from '../../runner/summary.js';
import { DOMAINS } from '../registry.js';
import { runImport } from './import.js';

interface GoldAction {
  action_id: string;
  name: string;
  arguments: Record<string, unknown>;
}

const usage = { prompt_tokens: 100, completion_tokens: 10 };

/** One τ² SimulationRun replaying `actions` (each in its own assistant message, answered by a tool message). */
function simulation(taskId: string, trial: number, actions: GoldAction[], end: { reason: string; lastUser: string; reward: number }): Record<string, unknown> {
  const messages: Array<Record<string, unknown>> = [{ role: 'assistant', content: 'Hi! How can I help you today?', usage, cost: 0.001, turn_idx: 0 }];
  messages.push({ role: 'user', content: 'I need help with my order.', usage, cost: 0.0005 });
  actions.forEach((a, i) => {
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id: `call_${i}`, name: a.name, arguments: a.arguments, requestor: 'assistant' }], usage, cost: 0.001 });
    messages.push({ role: 'tool', id: `call_${i}`, content: `result ${i}`, requestor: 'assistant', error: false });
  });
  messages.push({ role: 'assistant', content: 'All done.', usage, cost: 0.001 });
  messages.push({ role: 'user', content: end.lastUser, usage, cost: 0.0005 });
  return {
    id: `sim-${taskId}-${trial}`,
    task_id: taskId,
    timestamp: '2025-06-01T10:00:00',
    start_time: '2025-06-01T10:00:00',
    end_time: '2025-06-01T10:00:30',
    duration: 30.5,
    termination_reason: end.reason,
    agent_cost: 0.01,
    user_cost: 0.001,
    reward_info: { reward: end.reward, db_check: null, reward_basis: ['DB'], info: null },
    messages,
    trial,
    seed: 300,
  };
}

describe('taubp import of τ² results', () => {
  it('re-grades a τ² results JSON, keeps the published reward and lists disagreements', async () => {
    const tasks = JSON.parse(readFileSync(sharedPath('tau2', 'retail', 'tasks.json'), 'utf8')) as Array<{ id: string; evaluation_criteria: { actions: GoldAction[] } }>;
    const gold0 = tasks.find((t) => t.id === '0')?.evaluation_criteria.actions ?? [];
    const gold1 = tasks.find((t) => t.id === '1')?.evaluation_criteria.actions ?? [];
    expect(gold0.length).toBeGreaterThan(1);
    const results = {
      timestamp: '2025-06-01T10:00:00',
      info: {
        git_commit: 'abc',
        num_trials: 2,
        max_steps: 200,
        max_errors: 10,
        seed: 300,
        user_info: { implementation: 'user_simulator', llm: 'gpt-4.1', llm_args: { temperature: 0 } },
        agent_info: { implementation: 'llm_agent', llm: 'gpt-4.1', llm_args: { temperature: 0 } },
        environment_info: { domain_name: 'retail', policy: '(policy)' },
      },
      tasks: [],
      simulations: [
        // The gold actions: reward 1 here and in the file.
        simulation('0', 0, gold0, { reason: 'user_stop', lastUser: '###STOP###', reward: 1.0 }),
        // The final write left out: 0 here, but the file says 1 → a disagreement.
        simulation('0', 1, gold0.slice(0, -1), { reason: 'user_stop', lastUser: '###STOP###', reward: 1.0 }),
        // Never ended (step cap): 0 here and in the file, whatever was done.
        simulation('1', 0, gold1, { reason: 'max_steps', lastUser: 'and then?', reward: 0.0 }),
        // Ended by the user's transfer token: τ²'s user_stop becomes this harness's transfer.
        simulation('1', 1, gold1, { reason: 'user_stop', lastUser: '###TRANSFER###', reward: 1.0 }),
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), 'taubp-import-tau2-'));
    const file = join(dir, 'tau2-results.json');
    writeFileSync(file, JSON.stringify(results, null, 2));
    const out = join(dir, 'run');
    let printed = '';
    const code = await runImport([file, '--domain', 'retail', '--data', sharedPath('tau2', 'retail'), '--out', out], { domains: DOMAINS, write: (t) => void (printed += t), now: () => new Date() });
    expect(code).toBe(0);

    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunManifest & { metadata: ImportedRunMetadata };
    expect(manifest.config).toMatchObject({ domain: 'retail', split: 'base', agent: 'tool-calling', model: 'openai:gpt-4.1', userModel: 'openai:gpt-4.1', seed: 300, maxSteps: 100, trials: 2, tasks: '0-1' });
    expect(manifest.metadata.imported).toMatchObject({ imported: true, format: 'tau2', entries: 4, agreements: 3 });
    expect(manifest.metadata.semantics).toBe('tau2');
    expect(manifest.metadata.imported.disagreements).toEqual([
      expect.objectContaining({ taskId: '0', trial: 1, published: 1, ours: 0, origin: `${file}#simulations[1]` }),
    ]);
    expect(manifest.metadata.imported.disagreements[0]?.note).toMatch(/database differs/);
    expect(printed).toMatch(/task 0 trial 1: published 1, ours 0 \(database differs/);

    const records = readFileSync(join(out, 'episodes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ImportedEpisodeRecord);
    expect(records.map((r) => [r.taskId, r.trial, r.reward, r.termination.reason, r.imported.reward])).toEqual([
      ['0', 0, 1, 'user_stop', 1],
      ['0', 1, 0, 'user_stop', 1],
      ['1', 0, 0, 'max_steps', 0],
      ['1', 1, 1, 'transfer', 1],
    ]);
    // Turns, tool calls, observations and per-message usage/cost as LLM calls, from the file.
    const first = records[0] as ImportedEpisodeRecord;
    expect(first.turns).toBe(2);
    expect(first.toolCalls).toBe(gold0.length);
    expect(first.trajectory.filter((e) => e.type === 'tool').map((e) => (e.type === 'tool' ? e.observation : ''))).toEqual(gold0.map((_, i) => `result ${i}`));
    expect(first.calls.filter((c) => c.role === 'agent')).toHaveLength(gold0.length + 2);
    expect(first.calls.filter((c) => c.role === 'user')).toHaveLength(2);
    expect(first.calls[0]).toMatchObject({ model: 'openai:gpt-4.1', usage: { input: 100, output: 10 }, costUsd: 0.001 });
    expect(first.durationMs).toBe(30_500);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
    // pass^1 = (task 0: 1/2 + task 1: 1/2) / 2; pass^2 = 0 (no task succeeded twice).
    expect(summary.results.passHatK).toEqual({ '1': 0.5, '2': 0 });
    expect(summary.usage.byRole.agent?.costUsd).toBeCloseTo(records.reduce((a, r) => a + r.calls.filter((c) => c.role === 'agent').length * 0.001, 0), 9);
  });

  it('rejects a τ² file of another domain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taubp-import-tau2-'));
    const file = join(dir, 'airline.json');
    writeFileSync(file, JSON.stringify({ info: { environment_info: { domain_name: 'airline' } }, tasks: [], simulations: [] }));
    await expect(runImport([file, '--domain', 'retail', '--data', sharedPath('tau2', 'retail'), '--out', join(dir, 'r')], { domains: DOMAINS, write: () => {}, now: () => new Date() })).rejects.toThrow(
      /is a airline run, not retail/,
    );
  });
});
