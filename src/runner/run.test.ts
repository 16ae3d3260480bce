import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolCallingAgent } from '../../baselines/tool-calling.js';
import { ProviderError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import type { RunConfig } from './config.js';
import { mergeRuns } from './merge.js';
import { episodeKey } from '../contract/record.js';
import { EPISODES_FILE, readEpisodes, readManifest, SUMMARY_FILE } from './results.js';
import { executeRun, type RunPlan } from './run.js';
import { inProcessManifest, inProcessRunConfig } from './in-process.js';
import { ScriptedModel, scriptedUser, toyBase, toyGoldAgentModel, toyRegistry, toyScorer, toyTasks } from './testing/fixtures.js';
import type { ChatModel } from '../models/types.js';

const base = toyBase();
const registry = toyRegistry();

function config(overrides: Partial<RunConfig> = {}): RunConfig {
  return inProcessRunConfig({ domain: 'toy', agent: 'tool-calling', model: 'test:scripted', trials: 2, cacheDir: '.cache', concurrency: 3, ...overrides });
}

function plan(tasks: Task[], cfg: RunConfig, agentModel: ChatModel = toyGoldAgentModel({ latencyMs: 5 })): RunPlan {
  const manifest = inProcessManifest({
    name: 'test-run',
    config: cfg,
    tasks,
    simulated: false,
    semantics: 'v1',
    plannedEpisodes: cfg.shard === null ? tasks.length * cfg.trials : Math.ceil((tasks.length * cfg.trials) / cfg.shard.count),
  });
  return {
    manifest,
    tasks,
    base,
    registry,
    policy: 'policy',
    agent: new ToolCallingAgent(),
    user: { name: 'scripted', create: scriptedUser('Please deposit.', ['###STOP###']).create },
    models: { agent: agentModel },
    scorer: toyScorer,
  };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'taubp-run-'));
const keys = (dir: string): string[] => readEpisodes(join(dir, EPISODES_FILE)).records.map(episodeKey).sort();

describe('executeRun', () => {
  it('runs every (task, trial), appends one line each and writes the summary', async () => {
    const dir = tmp();
    const tasks = toyTasks(4);
    const r = await executeRun(plan(tasks, config()), { outDir: dir });
    expect(r.written).toBe(8);
    expect(keys(dir)).toEqual(['t0#0', 't0#1', 't1#0', 't1#1', 't2#0', 't2#1', 't3#0', 't3#1']);
    const lines = readFileSync(join(dir, EPISODES_FILE), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(r.summary.results.passHatK).toEqual({ '1': 1, '2': 1 });
    expect(r.summary.complete).toBe(true);
    expect(r.summary.usage.byRole['agent']?.calls).toBe(16);
    const onDisk = JSON.parse(readFileSync(join(dir, SUMMARY_FILE), 'utf8'));
    expect(onDisk.results.passHatK).toEqual({ '1': 1, '2': 1 });
    expect(readManifest(dir).config.trials).toBe(2);
    // Seeds are per (task, trial) and stable.
    const recs = readEpisodes(join(dir, EPISODES_FILE)).records;
    expect(new Set(recs.map((x) => x.seed)).size).toBe(8);
  });

  it('keeps at most `concurrency` episodes running', async () => {
    let running = 0;
    let peak = 0;
    const inner = toyGoldAgentModel();
    const model: ChatModel = {
      id: 'test:peak',
      async complete(req, o) {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return inner.complete(req, o);
      },
    };
    await executeRun(plan(toyTasks(6), config({ concurrency: 3 }), model), { outDir: tmp() });
    expect(peak).toBe(3);
  });

  it('refuses a directory that already holds episodes unless resuming', async () => {
    const dir = tmp();
    await executeRun(plan(toyTasks(1), config({ trials: 1 })), { outDir: dir });
    await expect(executeRun(plan(toyTasks(1), config({ trials: 1 })), { outDir: dir })).rejects.toThrow(/already holds episodes; pass --resume/);
  });

  it('resumes: drops a partial last line, reruns infrastructure errors and missing pairs, no duplicates', async () => {
    const dir = tmp();
    const tasks = toyTasks(3);
    // First pass: task t1 fails with an infrastructure error on every call.
    const flaky = new ScriptedModel((req) => {
      const task = req.privileged?.task as Task;
      if (task.id === 't1') return { throw: new ProviderError('test: HTTP 503 (after 6 retries)') };
      return { text: 'x' };
    });
    const first = await executeRun(plan(tasks, config(), flaky), { outDir: dir });
    expect(first.summary.results.infrastructureErrors).toBe(2);
    expect(first.summary.warnings.join('\n')).toMatch(/infrastructure errors .* --resume/);
    // Simulate a crash: remove one record and leave half a line.
    const file = join(dir, EPISODES_FILE);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    writeFileSync(file, `${lines.slice(0, -1).join('\n')}\n`);
    appendFileSync(file, (lines.at(-1) as string).slice(0, 40));
    const logs: string[] = [];
    const second = await executeRun(plan(tasks, config()), { outDir: dir, resume: true, log: (t) => void logs.push(t) });
    expect(logs.join('')).toMatch(/dropped a partial last line/);
    expect(logs.join('')).toMatch(/running 2 infrastructure-error episode\(s\) again/);
    expect(second.written).toBe(3);
    const recs = readEpisodes(file);
    expect(recs.truncated).toBe(false);
    expect(recs.records.map(episodeKey).sort()).toEqual(['t0#0', 't0#1', 't1#0', 't1#1', 't2#0', 't2#1']);
    expect(recs.records.filter((r) => r.termination.reason === 'infrastructure_error')).toHaveLength(0);
    // t1 was rerun with the gold model and passes now; t0/t2 kept their earlier (failed) results.
    expect(second.summary.perTask['t1']).toMatchObject({ n: 2, successes: 2 });
    expect(second.summary.results.infrastructureErrors).toBe(0);
    // Nothing left: a further resume runs nothing.
    expect((await executeRun(plan(tasks, config()), { outDir: dir, resume: true })).written).toBe(0);
  });

  it('on stop, lets running episodes finish and be written, then starts nothing new', async () => {
    const dir = tmp();
    const stop = new AbortController();
    let calls = 0;
    const inner = toyGoldAgentModel();
    const model: ChatModel = {
      id: 'test:stop',
      async complete(req, o) {
        if (++calls === 1) stop.abort();
        await new Promise((r) => setTimeout(r, 5));
        return inner.complete(req, o);
      },
    };
    const r = await executeRun(plan(toyTasks(5), config({ concurrency: 2 }), model), { outDir: dir, stop: stop.signal });
    expect(r.stopped).toBe(true);
    expect(r.written).toBe(2);
    expect(r.notStarted).toBe(8);
    expect(r.summary.complete).toBe(false);
    expect(r.summary.warnings.join('\n')).toMatch(/8 of 10 planned episodes have no record/);
    const resumed = await executeRun(plan(toyTasks(5), config({ concurrency: 2 })), { outDir: dir, resume: true });
    expect(resumed.written).toBe(8);
    expect(keys(dir)).toHaveLength(10);
  });

  it('on abort, ends running episodes as interrupted and does not write them', async () => {
    const dir = tmp();
    const stop = new AbortController();
    const abort = new AbortController();
    let started = 0;
    // Calls hang like slow HTTP requests until aborted; the Ctrl-Cs come once two are running.
    const model: ChatModel = {
      id: 'test:hang',
      complete(_req, o) {
        if (++started === 2) setTimeout(() => (stop.abort(), abort.abort()), 5);
        return new Promise((_, reject) => o?.signal?.addEventListener('abort', () => reject(new ProviderError('test: request aborted'))));
      },
    };
    const r = await executeRun(plan(toyTasks(3), config({ concurrency: 2 }), model), { outDir: dir, stop: stop.signal, abort: abort.signal });
    expect(r.interrupted).toBe(2);
    expect(r.written).toBe(0);
    expect(r.notStarted).toBe(4);
    expect(existsSync(join(dir, EPISODES_FILE))).toBe(true);
    expect(keys(dir)).toEqual([]);
  });

  it('stops starting episodes after an authentication failure', async () => {
    const model = new ScriptedModel(() => ({ throw: new ProviderError('test: HTTP 401: bad key', { code: 'provider_auth' }) }));
    const logs: string[] = [];
    const r = await executeRun(plan(toyTasks(5), config({ concurrency: 1, trials: 1 }), model), { outDir: tmp(), log: (t) => void logs.push(t) });
    expect(r.written).toBe(1);
    expect(r.notStarted).toBe(4);
    expect(logs.join('')).toMatch(/HTTP 401: bad key; not starting new episodes/);
  });

  it('shards deterministically; merging the shards gives the whole run', async () => {
    const tasks = toyTasks(5);
    const dirs = [tmp(), tmp(), tmp()];
    for (const [i, d] of dirs.entries()) await executeRun(plan(tasks, config({ shard: { index: i + 1, count: 3 } })), { outDir: d });
    const sizes = dirs.map((d) => keys(d).length);
    expect(sizes).toEqual([4, 3, 3]);
    const all = dirs.flatMap(keys).sort();
    expect(new Set(all).size).toBe(10);
    const out = tmp();
    const merged = mergeRuns(dirs, out);
    expect(merged.warnings).toEqual([]);
    expect(keys(out)).toEqual(all);
    expect(merged.summary.complete).toBe(true);
    expect(merged.summary.results.passHatK).toEqual({ '1': 1, '2': 1 });
    expect(readManifest(out).config.shard).toBeNull();
    expect(() => mergeRuns(dirs, out)).toThrow(/already holds episodes/);
  });

  it('merge refuses runs of different configurations and reports missing shards', async () => {
    const tasks = toyTasks(2);
    const a = tmp();
    const b = tmp();
    await executeRun(plan(tasks, config({ shard: { index: 1, count: 3 } })), { outDir: a });
    await executeRun(plan(tasks, config({ shard: { index: 2, count: 3 }, model: 'test:other' })), { outDir: b });
    expect(() => mergeRuns([a, b], tmp())).toThrow(/model: "test:scripted" ≠ "test:other"/);
    const c = tmp();
    await executeRun(plan(tasks, config({ shard: { index: 2, count: 3 } })), { outDir: c });
    const merged = mergeRuns([a, c], tmp());
    expect(merged.warnings).toEqual(['shard(s) 3 of 3 are missing']);
    expect(merged.summary.complete).toBe(false);
  });
});
