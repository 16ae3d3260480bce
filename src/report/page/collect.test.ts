import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Task } from '../../core/task.js';
import type { RunConfig } from '../../runner/config.js';
import type { EpisodeRecord } from '../../contract/record.js';
import { collectPage } from './collect.js';
import { viewerEpisode } from './trajectory.js';

const work = mkdtempSync(join(tmpdir(), 'taubp-collect-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function record(taskId: string, trial: number, success: boolean, termination = 'user_stop'): EpisodeRecord {
  return {
    v: 1, taskId, taskIndex: Number(taskId.slice(1)), trial, seed: 1, domain: 'retail', semantics: 'v1', agent: 'a', user: 'scripted',
    reward: termination === 'infrastructure_error' ? null : success ? 1 : 0, success, termination: { reason: termination } as EpisodeRecord['termination'],
    steps: 1, turns: 1, toolCalls: 0, dbHash: '', startedAt: 0, endedAt: 0, durationMs: 0, calls: [],
    trajectory: [{ type: 'message', from: 'user', text: `${taskId}#${trial} ${'x'.repeat(1000)}`, at: 0 }],
  };
}

/** A hand-made run directory: run.json and episodes.jsonl with the records in the given (file) order. */
function runDir(name: string, records: EpisodeRecord[]): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const config = { domain: 'retail', data: 'builtin', db: null, split: 'test', tasks: null, agent: 'a', agentSettings: {}, model: 'm', user: 'scripted', userModel: null, trials: 2 } as unknown as RunConfig;
  const metadata = { harness: { name: 'x', version: '0' }, git: null, node: 'v20', createdAt: '2026-01-01T00:00:00.000Z', files: [], tasksSha256: 'ab'.repeat(32), taskCount: 3, taskIds: ['t0', 't1', 't2'], plannedEpisodes: 6, semantics: 'v1', simulated: false };
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'taubp-run', version: 1, name, config, metadata }));
  writeFileSync(join(dir, 'episodes.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return dir;
}

const order = [record('t0', 0, true), record('t0', 1, true), record('t1', 0, true), record('t1', 1, false), record('t2', 0, true), record('t2', 1, false)];
const size = (r: EpisodeRecord): number => JSON.stringify(viewerEpisode(r, 0, undefined)).length;
const tasks: Task[] = ['t0', 't1', 't2'].map((id, i) => ({ id, index: i, format: 'builtin', domain: 'retail', instruction: '', actions: [{ name: 'get', kwargs: { id } }], outputs: [] }));

describe('collectPage', () => {
  it('embeds every episode under the cap, in task then trial order, with the gold diff from the loaded tasks', () => {
    const dir = runDir('all', [...order].reverse());
    const c = collectPage([dir], { note: () => {}, resamples: 50, loadTasks: () => tasks });
    expect(c.data.episodes.map((e) => `${e.taskId}#${e.trial}`)).toEqual(['t0#0', 't0#1', 't1#0', 't1#1', 't2#0', 't2#1']);
    expect(c.data.omitted).toEqual([]);
    expect(c.data.goldNotes).toEqual([]);
    expect(c.data.episodes[0]?.gold?.actions).toEqual([{ name: 'get', kwargs: '{"id":"t0"}', status: 'missing', call: null }]);
    expect(c.taskIds).toEqual(['t0', 't1', 't2']);
    expect(c.cells.map((x) => [x.taskId, x.successes, x.n]).sort()).toEqual([['t0', 2, 2], ['t1', 1, 2], ['t2', 1, 2]]);
    expect(c.data.runs[0]).toMatchObject({ label: 'a · m', dataSource: 'builtin', tasksHash: 'abababababab', commit: null, episodes: 6 });
    expect(c.intervals[0]?.map((p) => p.k)).toEqual([1, 2]);
    expect(c.intervals[0]?.[0]?.estimate).toBeCloseTo(4 / 6);
  });

  it('over the cap, failures replace successes (their own task first) and every task keeps an episode', () => {
    const dir = runDir('capped', order);
    const budget = 3 * Math.max(...order.map(size)) + 5;
    expect(budget).toBeLessThan(4 * Math.min(...order.map(size)));
    const c = collectPage([dir], { note: () => {}, resamples: 50, maxEmbedChars: budget });
    expect(c.data.episodes.map((e) => `${e.taskId}#${e.trial}`)).toEqual(['t0#0', 't1#1', 't2#1']);
    expect(c.data.omitted).toEqual([{ run: 0, episodes: 3 }]);
    expect(c.data.goldNotes).toEqual([{ run: 0, note: 'gold actions were not loaded for this page' }]);
  });

  it('keeps a result over an infrastructure error of the same (task, trial), as the summary does', () => {
    const dir = runDir('infra', [record('t0', 0, false), record('t0', 0, false, 'infrastructure_error'), record('t0', 1, true, 'infrastructure_error'), record('t0', 1, true)]);
    const c = collectPage([dir], { note: () => {}, resamples: 50 });
    expect(c.data.episodes.map((e) => [e.trial, e.termination])).toEqual([
      [0, 'user_stop'],
      [1, 'user_stop'],
    ]);
  });
});
