import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../runner/config.js';
import type { RunMetadata } from '../../runner/metadata.js';
import type { EpisodeRecord } from '../../contract/record.js';
import { buildSummary, type RunSummary } from '../../runner/summary.js';
import { chooseBaseline, pairingObstacles, pairRuns, runIdentity } from './comparability.js';

/** A run summary (real aggregation) from per-task rewards (null: infrastructure error). */
function run(name: string, agent: string, rewards: Record<string, Array<number | null>>, config: Partial<RunConfig> = {}, metadata: Partial<RunMetadata> = {}): RunSummary {
  const records = Object.entries(rewards).flatMap(([taskId, trials]) =>
    trials.map(
      (reward, trial) =>
        ({
          v: 1, taskId, taskIndex: 0, trial, seed: 0, domain: 'retail', semantics: 'v1', agent, user: 'llm', reward, success: reward === 1,
          termination: { reason: reward === null ? 'infrastructure_error' : 'user_stop' }, steps: 1, turns: 1, toolCalls: 0, dbHash: '', startedAt: 0, endedAt: 0, durationMs: 0, calls: [], trajectory: [],
        }) as unknown as EpisodeRecord,
    ),
  );
  const c = { domain: 'retail', data: '/data/tau-bench', db: null, split: 'test', agent, agentSettings: {}, model: 'openai:gpt-4o', user: 'llm', userModel: 'openai:gpt-4o', userTemperature: null, trials: 2, ...config } as RunConfig;
  const m = { tasksSha256: 'abc123abc123', taskCount: Object.keys(rewards).length, plannedEpisodes: records.length, simulated: false, files: [], ...metadata } as unknown as RunMetadata;
  return buildSummary({ format: 'taubp-run', version: 1, name, config: c, metadata: m }, records);
}

const tasks = { t0: [1, 1], t1: [0, 1] };

describe('comparability guard', () => {
  const tc = run('tc', 'tool-calling', tasks);

  it('states what a run measured', () => {
    expect(runIdentity(tc)).toMatchObject({ domain: 'retail', split: 'test', taskCount: 2, data: 'data/tau-bench', model: 'openai:gpt-4o', user: 'llm', userModel: 'openai:gpt-4o', trials: 2 });
    expect(runIdentity(run('b', 'blueprint', tasks, { data: 'builtin:7' })).data).toBe('built-in (builtin:7)');
  });

  it('pairs runs that share tasks, data and user setup, and names every difference otherwise', () => {
    expect(pairingObstacles(run('bp', 'blueprint', tasks), tc)).toEqual([]);
    expect(pairingObstacles(run('bp', 'blueprint', tasks, { userModel: 'anthropic:claude-sonnet-4-5' }), tc)).toEqual(['different user simulators (llm (anthropic:claude-sonnet-4-5) vs llm (openai:gpt-4o))']);
    expect(pairingObstacles(run('bp', 'blueprint', tasks, { userTemperature: 1 }), tc)).toEqual(['different user temperatures (1 vs null)']);
    expect(pairingObstacles(run('bp', 'blueprint', tasks, { model: 'openai:gpt-4o-mini' }), tc)).toEqual(['different agent models (openai:gpt-4o-mini vs openai:gpt-4o)']);
    expect(pairingObstacles(run('bp', 'blueprint', tasks, { split: 'dev' }), tc)).toEqual(['different splits (dev vs test)']);
    expect(pairingObstacles(run('bp', 'blueprint', tasks, { prompts: 'reference' }), tc)[0]).toMatch(/^different prompt packs \(reference \(unrecorded\) vs harness \(unrecorded\)\)$/);
    // same task set, but a task has no counted trial in one run (infrastructure errors)
    expect(pairingObstacles(run('bp', 'blueprint', { t0: [1, 1], t1: [null, null] }), tc)).toEqual(['the runs do not share their counted tasks (task(s) only in the second run: t1)']);
    // another task selection of the same data
    const other = run('bp', 'blueprint', { t2: [1, 1] }, {}, { tasksSha256: 'def456def456', taskIds: ['t2'] });
    expect(pairingObstacles(other, { ...tc, metadata: { ...tc.metadata, taskIds: ['t0', 't1'] } })).toEqual(['different task sets (bp: 1 tasks, hash def456de; tc: 2 tasks, hash abc123ab; no task id in common)']);
  });

  it('chooses the baseline agent and lists each declined pair', () => {
    const bp = run('bp', 'blueprint', tasks);
    const bpMini = run('bp-mini', 'blueprint', tasks, { model: 'openai:gpt-4o-mini' });
    const airline = run('bp-airline', 'blueprint', tasks, { domain: 'airline' });
    expect(chooseBaseline([bp, tc])).toBe('tool-calling');
    expect(chooseBaseline([bp, bpMini])).toBe('blueprint');
    expect(() => chooseBaseline([bp], 'act')).toThrow(/--baseline act: no run has that agent \(agents: blueprint\)/);
    const p = pairRuns([bp, bpMini, airline, tc], 'tool-calling');
    expect(p.pairs.map((x) => [x.candidate.run, x.baseline.run])).toEqual([['bp', 'tc']]);
    expect(p.declined).toEqual([
      { candidate: 'bp-mini', baseline: 'tc', reasons: ['different agent models (openai:gpt-4o-mini vs openai:gpt-4o)'] },
      { candidate: 'bp-airline', baseline: null, reasons: ['no tool-calling run on airline'] },
    ]);
    // a second baseline run on the same setup: the first by name is used, the other declined
    const tc2 = run('tc2', 'tool-calling', tasks);
    expect(pairRuns([bp, tc2, tc], 'tool-calling').declined).toEqual([{ candidate: 'bp', baseline: 'tc2', reasons: ['compared with tc, another tool-calling run on the same setup'] }]);
  });
});
