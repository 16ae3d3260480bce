/**
 * The run directory through `taubp run` and `taubp merge`: one writer at a time, no overwriting of
 * files the harness did not write, runs that grow (`--resume` with more trials or tasks), and
 * merging runs over different task selections.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../../models/types.js';
import { EPISODES_FILE, readEpisodes, readManifest } from '../../runner/results.js';
import { LOCK_FILE } from '../../runner/run-lock.js';
import { toyGoldAgentModel } from '../../runner/testing/fixtures.js';
import { runMerge } from './merge.js';
import { runRun } from './run.js';
import { bankData, bankRunIo } from './testing/bank.js';

// The bank domain (./testing/bank.ts) with one account (A1) and 6 tasks, task i deposits i + 1 into A1.
const data = bankData({ tasks: 6, files: { 'accounts.json': '{"A1": {"id": "A1", "balance": 10}}' } });

const base = ['--domain', 'bank', '--data', data, '--model', 'test:gold', '--user', 'scripted'];
const tmp = (): string => mkdtempSync(join(tmpdir(), 'taubp-rundir-'));
const keys = (dir: string): string[] => readEpisodes(join(dir, EPISODES_FILE)).records.map((r) => `${r.taskId}#${r.trial}`).sort();
/** Every file of a folder with its bytes. */
const snapshot = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n), 'latin1')]));

describe('one writer per run directory', () => {
  it('refuses a second writer while the first runs, naming it, and lets it finish', async () => {
    const out = join(tmp(), 'r');
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let started: () => void = () => {};
    const running = new Promise<void>((r) => (started = r));
    const gold = toyGoldAgentModel();
    const slow: ChatModel = {
      id: 'test:gold',
      async complete(req, o) {
        started();
        await gate;
        return gold.complete(req, o);
      },
    };
    const first = runRun([...base, '--tasks', '0-1', '--out', out], bankRunIo(() => slow).io);
    await running;
    const lock = JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, command: 'taubp run' });
    const second = bankRunIo();
    await expect(runRun(['--resume', '--out', out], second.io)).rejects.toThrow(new RegExp(`in use by pid ${process.pid} on host .* since ${lock.startedAt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(taubp run\\)`));
    await expect(runRun([...base, '--tasks', '0-1', '--out', out], bankRunIo().io)).rejects.toThrow(/in use by pid/);
    await expect(runMerge([out, '--out', out], { stdout: () => {}, stderr: () => {} })).rejects.toThrow(/in use by pid/);
    release();
    expect(await first).toBe(0);
    expect(keys(out)).toEqual(['0#0', '1#0']);
    expect(readdirSync(out)).not.toContain(LOCK_FILE);
    // Released: now a resume may write.
    expect(await runRun(['--resume', '--out', out], bankRunIo().io)).toBe(0);
  });
});

describe('--out never overwrites files the harness did not write', () => {
  it('refuses a folder of foreign files for run and merge, leaving every file unchanged', async () => {
    const foreign = tmp();
    writeFileSync(join(foreign, 'run.json'), '{"mine": true}\n');
    writeFileSync(join(foreign, 'summary.json'), '{"hand": "made"}\n');
    writeFileSync(join(foreign, 'notes.txt'), 'do not touch');
    const before = snapshot(foreign);
    await expect(runRun([...base, '--tasks', '0', '--out', foreign], bankRunIo().io)).rejects.toThrow(/run\.json that taubp did not write.*nothing was changed/s);
    expect(snapshot(foreign)).toEqual(before);

    const other = tmp();
    writeFileSync(join(other, 'summary.json'), '{"results": 1}\n');
    writeFileSync(join(other, 'data.csv'), 'a,b\n');
    const otherBefore = snapshot(other);
    await expect(runRun([...base, '--tasks', '0', '--out', other], bankRunIo().io)).rejects.toThrow(/not a taubp run \(no run\.json; it holds data\.csv, summary\.json\)/);
    expect(snapshot(other)).toEqual(otherBefore);

    const run = join(tmp(), 'ok');
    expect(await runRun([...base, '--tasks', '0', '--out', run], bankRunIo().io)).toBe(0);
    await expect(runMerge([run, '--out', other], { stdout: () => {}, stderr: () => {} })).rejects.toThrow(/merge: --out .* is not empty and not a taubp run/);
    expect(snapshot(other)).toEqual(otherBefore);
    await expect(runMerge([run, '--out', foreign], { stdout: () => {}, stderr: () => {} })).rejects.toThrow(/run\.json that taubp did not write/);
    expect(snapshot(foreign)).toEqual(before);
  });

  it('refuses a folder holding another run; accepts a new path, an empty folder, and its own run', async () => {
    const root = tmp();
    const a = join(root, 'a');
    expect(await runRun([...base, '--tasks', '0', '--out', a], bankRunIo().io)).toBe(0);
    const before = snapshot(a);
    await expect(runRun([...base, '--tasks', '0', '--temperature', '0.3', '--out', a], bankRunIo().io)).rejects.toThrow(/holds a different run \(temperature: 0 ≠ 0.3\)/);
    expect(snapshot(a)).toEqual(before);
    await expect(runRun([...base, '--tasks', '0', '--out', a], bankRunIo().io)).rejects.toThrow(/already holds episodes; pass --resume/);
    // A command that fails before any episode leaves no folder behind for a new path.
    const fresh = join(root, 'fresh');
    await expect(runRun([...base, '--agent', 'nope', '--out', fresh], bankRunIo().io)).rejects.toThrow(/unknown agent/);
    expect(existsSync(fresh)).toBe(false);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(await runRun([...base, '--tasks', '0', '--out', empty], bankRunIo().io)).toBe(0);
    expect(keys(empty)).toEqual(['0#0']);
  });

  it('takes over the stale lock of a dead process on this host, with a notice', async () => {
    const out = join(tmp(), 'stale');
    mkdirSync(out);
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'taubp run', token: 'x' }));
    const c = bankRunIo();
    expect(await runRun([...base, '--tasks', '0', '--out', out], c.io)).toBe(0);
    expect(c.err()).toMatch(/notice: .* was locked by pid 4206649 on host .* since 2026-01-01T00:00:00.000Z \(taubp run\), which no longer runs; taking the lock over/);
    expect(readdirSync(out)).not.toContain(LOCK_FILE);
  });
});

describe('a run can grow', () => {
  it('--resume with more trials and a larger task selection extends the run and records it', async () => {
    const out = join(tmp(), 'grow');
    expect(await runRun([...base, '--tasks', '0-1', '--trials', '1', '--out', out], bankRunIo().io)).toBe(0);
    const c = bankRunIo();
    expect(await runRun(['--resume', '--out', out, '--trials', '2'], c.io)).toBe(0);
    expect(c.err()).toMatch(/growing .*: 2 → 2 task\(s\), 1 → 2 trial\(s\)/);
    expect(keys(out)).toEqual(['0#0', '0#1', '1#0', '1#1']);
    expect(await runRun(['--resume', '--out', out, '--tasks', '0-3'], bankRunIo().io)).toBe(0);
    expect(keys(out)).toEqual(['0#0', '0#1', '1#0', '1#1', '2#0', '2#1', '3#0', '3#1']);
    const m = readManifest(out);
    expect(m.config).toMatchObject({ tasks: '0-3', trials: 2 });
    expect(m.metadata).toMatchObject({ taskCount: 4, plannedEpisodes: 8, taskIds: ['0', '1', '2', '3'] });
    expect(m.metadata.extended?.map((e) => [e.trials, e.tasks, e.taskCount])).toEqual([
      [{ from: 1, to: 2 }, { from: '0-1', to: '0-1' }, { from: 2, to: 2 }],
      [{ from: 2, to: 2 }, { from: '0-1', to: '0-3' }, { from: 2, to: 4 }],
    ]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.complete).toBe(true);
    expect(summary.results.passHatK).toEqual({ '1': 1, '2': 1 });
  });

  it('refuses fewer trials, a selection that leaves tasks out, other changes, and task growth of a shard', async () => {
    const out = join(tmp(), 'shrink');
    expect(await runRun([...base, '--tasks', '0-1', '--trials', '2', '--out', out], bankRunIo().io)).toBe(0);
    const before = snapshot(out);
    await expect(runRun(['--resume', '--out', out, '--trials', '1'], bankRunIo().io)).rejects.toThrow(/--trials 1 is fewer than the run's 2: a run can grow, not shrink/);
    await expect(runRun(['--resume', '--out', out, '--tasks', '1-3'], bankRunIo().io)).rejects.toThrow(/--tasks 1-3 leaves out task\(s\) 0 of the run \(--tasks 0-1\)/);
    await expect(runRun(['--resume', '--out', out, '--tasks', '0-3', '--seed', '4'], bankRunIo().io)).rejects.toThrow(/seed: 10 ≠ 4/);
    expect(snapshot(out)).toEqual(before);

    const shard = join(tmp(), 'shard');
    expect(await runRun([...base, '--tasks', '0-1', '--shard', '1/2', '--out', shard], bankRunIo().io)).toBe(0);
    await expect(runRun(['--resume', '--out', shard, '--tasks', '0-3'], bankRunIo().io)).rejects.toThrow(/a sharded run can grow in trials but not in tasks/);
    expect(await runRun(['--resume', '--out', shard, '--trials', '2'], bankRunIo().io)).toBe(0);
    expect(keys(shard)).toEqual(['0#0', '0#1']);
  });
});

describe('merge over task selections', () => {
  it('joins runs of disjoint selections into one run of their union, which --resume continues', async () => {
    const root = tmp();
    const a = join(root, 'a');
    const b = join(root, 'b');
    expect(await runRun([...base, '--tasks', '0-1', '--trials', '2', '--out', a], bankRunIo().io)).toBe(0);
    expect(await runRun([...base, '--tasks', '4,2', '--trials', '2', '--out', b], bankRunIo().io)).toBe(0);
    const merged = join(root, 'ab');
    let out = '';
    expect(await runMerge([a, b, '--out', merged], { stdout: (t) => void (out += t), stderr: () => {} })).toBe(0);
    expect(out).toMatch(/Merged 2 directories \(8 episodes\)/);
    expect(keys(merged)).toEqual(['0#0', '0#1', '1#0', '1#1', '2#0', '2#1', '4#0', '4#1']);
    const m = readManifest(merged);
    expect(m.config.tasks).toBe('0-2,4');
    expect(m.metadata).toMatchObject({ taskCount: 4, plannedEpisodes: 8 });
    expect(m.metadata.taskParts?.map((p) => p.tasks)).toEqual(['0-1', '4,2']);
    const summary = JSON.parse(readFileSync(join(merged, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ complete: true, plannedEpisodes: 8, results: { episodes: 8, passHatK: { '1': 1, '2': 1 } } });
    // The merged run is a run: --resume checks each part's tasks and grows it.
    expect(await runRun(['--resume', '--out', merged, '--tasks', '0-4'], bankRunIo().io)).toBe(0);
    expect(keys(merged)).toHaveLength(10);
    expect(readManifest(merged).metadata.taskParts).toBeUndefined();
  });

  it('deduplicates overlapping selections and refuses other differences', async () => {
    const root = tmp();
    const a = join(root, 'a');
    const b = join(root, 'b');
    const c = join(root, 'c');
    expect(await runRun([...base, '--tasks', '0-1', '--out', a], bankRunIo().io)).toBe(0);
    expect(await runRun([...base, '--tasks', '1-2', '--out', b], bankRunIo().io)).toBe(0);
    expect(await runRun([...base, '--tasks', '3', '--trials', '2', '--out', c], bankRunIo().io)).toBe(0);
    let err = '';
    expect(await runMerge([a, b, '--out', join(root, 'ab')], { stdout: () => {}, stderr: (t) => void (err += t) })).toBe(0);
    expect(keys(join(root, 'ab'))).toEqual(['0#0', '1#0', '2#0']);
    expect(err).toMatch(/1 \(task, trial\) pair\(s\) had results in more than one directory/);
    expect(readManifest(join(root, 'ab')).metadata).toMatchObject({ taskCount: 3, plannedEpisodes: 3 });
    await expect(runMerge([a, c, '--out', join(root, 'ac')], { stdout: () => {}, stderr: () => {} })).rejects.toThrow(/trials: 1 ≠ 2/);
    // An existing merge output may be merged into again only when it is one of the inputs.
    await expect(runMerge([a, '--out', join(root, 'ab')], { stdout: () => {}, stderr: () => {} })).rejects.toThrow(/already holds episodes; add it to the runs to merge/);
    expect(await runMerge([join(root, 'ab'), a, '--out', join(root, 'ab')], { stdout: () => {}, stderr: () => {} })).toBe(0);
    expect(keys(join(root, 'ab'))).toEqual(['0#0', '1#0', '2#0']);
  });
});
