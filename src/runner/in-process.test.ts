import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ToolCallingAgent } from '../../baselines/tool-calling.js';
import { RUN_DEFAULTS } from './config.js';
import { plannedPairs } from './run.js';
import { scriptedUser, toyBase, toyGoldAgentModel, toyRegistry, toyTasks } from './testing/fixtures.js';
import { inProcessManifest, inProcessRunConfig, runInProcess } from './in-process.js';

describe('in-process runs', () => {
  it('fills every run setting, keeping the chosen ones and the order taubp run writes', () => {
    const c = inProcessRunConfig({ domain: 'toy', agent: 'a', model: 'm', trials: 3, shard: { index: 2, count: 2 } });
    expect(Object.keys(c)[0]).toBe('domain');
    expect(c).toMatchObject({ domain: 'toy', agent: 'a', model: 'm', trials: 3, shard: { index: 2, count: 2 }, user: 'scripted', split: 'test', seed: RUN_DEFAULTS.seed, cacheDir: RUN_DEFAULTS.cacheDir, concurrency: 4, cache: 'off' });
    const m = inProcessManifest({ name: 'n', config: c, tasks: toyTasks(3), simulated: true });
    expect(m.metadata.plannedEpisodes).toBe(plannedPairs(toyTasks(3), c).length);
    expect(m.metadata.plannedEpisodes).toBe(4);
    expect(m.metadata.semantics).toBe('v1');
    expect(m.metadata.createdAt).toBe(new Date(0).toISOString());
  });

  it('runs the plan with the v1 scorer and removes its temporary directory', async () => {
    const prefix = `in-process-run-test-${process.pid}-`;
    const tasks = toyTasks(2);
    const config = inProcessRunConfig({ domain: 'toy', agent: 'tool-calling', model: 'test:gold' });
    const result = await runInProcess({
      manifest: inProcessManifest({ name: 't', config, tasks, simulated: false }),
      tasks,
      base: toyBase(),
      registry: toyRegistry(),
      policy: 'policy',
      agent: new ToolCallingAgent(),
      user: scriptedUser('Please deposit.', ['###STOP###']).create,
      models: { agent: toyGoldAgentModel() },
      tmpPrefix: prefix,
    });
    expect(result.records.map((r) => [r.taskId, r.success]).sort()).toEqual([
      ['t0', true],
      ['t1', true],
    ]);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(prefix))).toEqual([]);
  });
});
