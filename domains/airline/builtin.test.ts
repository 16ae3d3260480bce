import { describe, expect, it } from 'vitest';
import { replayGold } from '../../src/env/reward/index.js';
import { createSimModel } from '../../src/models/sim/sim-model.js';
import { playTasks } from '../../src/runner/in-process.js';
import { createToolCallingAgent } from '../../baselines/tool-calling.js';
import { POLICY_PATH, loadBuiltin } from './builtin.js';
import { airlineRegistry } from './registry.js';

describe('built-in airline suite', () => {
  const suite = loadBuiltin();

  it('loads the fixed suite: v1 tools over generated data, 50 tasks, the policy', () => {
    expect(suite.data.format).toBe('builtin');
    expect(suite.data.variant).toBe('v1');
    expect(suite.data.files).toEqual([POLICY_PATH]);
    expect(suite.tasks).toHaveLength(50);
    expect(suite.policy).toContain('2024-05-15 15:00:00 EST');
    expect(loadBuiltin()).toBe(suite);
    expect(loadBuiltin({ seed: 3, count: 5 }).tasks.map((t) => t.id)).toEqual(['airline-3-000', 'airline-3-001', 'airline-3-002', 'airline-3-003', 'airline-3-004']);
  });

  it('every task passes when the simulated agent (p = 0) talks to the scripted customer', async () => {
    const registry = airlineRegistry('v1');
    const model = createSimModel({ errorRate: 0, isWriteTool: (n) => registry.get(n)?.kind === 'write' });
    const agent = createToolCallingAgent({ temperature: 0, seed: 0, settings: {} });
    const run = await playTasks({ name: 'airline-builtin', domain: 'airline', tasks: suite.tasks, base: suite.data.base, registry, policy: suite.policy, agent, model });
    expect(run.records).toHaveLength(suite.tasks.length);
    expect(run.records.filter((r) => r.reward !== 1).map((r) => r.taskId)).toEqual([]);
  });

  it('falls back to categories that always fit on a tiny database, and every gold action still succeeds', () => {
    const tiny = loadBuiltin({ seed: 'tiny', scale: 0.1, count: 50 });
    expect(tiny.tasks).toHaveLength(50);
    for (const t of tiny.tasks) expect(replayGold(t, tiny.data.base, airlineRegistry('v1')).errors, t.id).toEqual([]);
  });
});
