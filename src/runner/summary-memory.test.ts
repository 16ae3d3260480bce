/**
 * Runs of any size: a 600 MB `episodes.jsonl` (realistic records with long trajectories, generated
 * here and deleted afterwards) is summarised and reported by the real CLI (`taubp report`) in a
 * child process whose heap is capped at 256 MB — an implementation that read the file whole (a
 * string over 512 MiB cannot even exist) or kept the records would fail. The first report builds
 * and saves the summary; after more lines are appended (a `--resume` killed before writing its
 * summary), the second notices the stale summary and rebuilds it. `taubp merge` and resume's
 * preparation (dropping the torn last line) run under the same cap.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../models/types.js';
import type { EpisodeRecord } from '../contract/record.js';
import { REPO_ROOT } from '../../test/shared-data.js';
import { inProcessManifest, inProcessRunConfig } from './in-process.js';
import { toyTasks } from './testing/fixtures.js';
import { buildSummary, type RunSummary } from './summary.js';

const TASKS = 30;
const TRIALS = 10;
const HEAP_MB = 256;
const dir = mkdtempSync(join(tmpdir(), 'taubp-big-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A long trajectory: 240 events, each message or observation about 9 KB of text (≈ 2 MB as JSON). */
function trajectory(): EpisodeRecord['trajectory'] {
  const words = Array.from({ length: 1500 }, (_, i) => `w${(i * 7919) % 10007}`).join(' ');
  const out: EpisodeRecord['trajectory'] = [];
  for (let i = 0; i < 240; i++) {
    if (i % 2 === 0) out.push({ type: 'message', from: i % 4 === 0 ? 'user' : 'agent', text: `turn ${i}: ${words}`, at: 1_700_000_000_000 + i });
    else out.push({ type: 'tool', id: `call_${i}`, name: 'get_order_details', arguments: `{"order_id": "#W${i}"}`, observation: `{"items": "${words}"}`, error: false, at: 1_700_000_000_000 + i });
  }
  return out;
}

const call = (role: string, i: number): CallRecord => ({
  role,
  model: 'openai:gpt-4o',
  usage: { input: 1000 + i, cacheRead: 200, output: 50 + (i % 7) },
  latencyMs: 100 + (i % 13),
  costUsd: 0.001 * (1 + (i % 3)),
  retries: i % 5 === 0 ? 1 : 0,
  retryWaitMs: i % 5 === 0 ? 500 : 0,
  cached: false,
  startedAt: 1_700_000_000_000 + i,
});

function record(task: number, trial: number, reason: 'user_stop' | 'infrastructure_error', traj: string): string {
  const reward = reason === 'infrastructure_error' ? null : (task + trial) % 3 === 0 ? 0 : 1;
  const head: Omit<EpisodeRecord, 'trajectory'> = {
    v: 1,
    taskId: `t${task}`,
    taskIndex: task,
    trial,
    seed: task * 100 + trial,
    domain: 'toy',
    semantics: 'v1',
    agent: 'tool-calling',
    user: 'scripted',
    reward,
    success: reward === 1,
    rewardInfo: { r_actions: reward },
    termination: { reason, ...(reason === 'infrastructure_error' ? { message: 'HTTP 503 (after 6 retries)' } : {}) },
    steps: 20 + (task % 5),
    turns: 8 + (trial % 3),
    toolCalls: 12 + (task % 4),
    dbHash: 'f'.repeat(64),
    startedAt: 0,
    endedAt: 1000 * (task + 1),
    durationMs: 1000 * (task + 1),
    calls: Array.from({ length: 40 }, (_, i) => call(i % 4 === 3 ? 'user' : 'agent', task * 1000 + trial * 40 + i)),
  };
  return `${JSON.stringify(head).slice(0, -1)},"trajectory":${traj}}\n`;
}

/** The records as parsed, without trajectories (for the expected summary). */
function slim(line: string): EpisodeRecord {
  const end = line.indexOf(',"trajectory":');
  return { ...(JSON.parse(`${line.slice(0, end)}}`) as EpisodeRecord), trajectory: [] };
}

/** Node with the heap capped, running the TypeScript sources through tsx. */
function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr + (r.error === undefined ? '' : String(r.error)) };
}

const taubp = (...args: string[]): ReturnType<typeof node> => node([join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args]);
const report = (): ReturnType<typeof node> => taubp('report', dir);

describe('a 600 MB episodes.jsonl', () => {
  it('is summarised, reported, merged and prepared for resume within a 256 MB heap; a stale summary is rebuilt', () => {
    const config = inProcessRunConfig({ domain: 'toy', agent: 'tool-calling', model: 'openai:gpt-4o', trials: TRIALS });
    const manifest = inProcessManifest({ name: 'big', config, tasks: toyTasks(TASKS), simulated: false });
    writeFileSync(join(dir, 'run.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const traj = JSON.stringify(trajectory());
    const file = join(dir, 'episodes.jsonl');
    const fd = openSync(file, 'w');
    const expected: EpisodeRecord[] = [];
    const write = (line: string): void => {
      writeSync(fd, line);
      expected.push(slim(line));
    };
    // An infrastructure error first (replaced by the real result later), then every (task, trial)
    // but the last trial of the last 3 tasks.
    write(record(0, 0, 'infrastructure_error', traj));
    for (let trial = 0; trial < TRIALS; trial++) for (let task = 0; task < TASKS; task++) if (!(trial === TRIALS - 1 && task >= TASKS - 3)) write(record(task, trial, 'user_stop', traj));
    closeSync(fd);
    const bytes = statSync(file).size;
    expect(bytes).toBeGreaterThan(600 * 1024 * 1024);

    const first = report();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/no summary\.json; rebuilt the summary from episodes\.jsonl \(297 episodes\) and saved it/);
    const dedupe = (records: EpisodeRecord[]): EpisodeRecord[] => records.filter((r, i) => !(i === 0 && r.termination.reason === 'infrastructure_error'));
    const want = buildSummary(manifest, dedupe(expected));
    const saved = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
    expect(saved.results).toEqual(want.results);
    expect(saved.usage).toEqual(want.usage);
    expect(saved.perTask).toEqual(want.perTask);
    expect(saved.source).toMatchObject({ episodesBytes: bytes, episodesLines: 298 });
    expect(first.stdout).toMatch(/pass\^1/);
    expect(first.stdout).toContain(want.results.passHatK['1']?.toFixed(3));

    // A resume killed before its summary: three more episodes and half a line.
    const more = openSync(file, 'a');
    const extra: string[] = [];
    for (let task = TASKS - 3; task < TASKS; task++) extra.push(record(task, TRIALS - 1, 'user_stop', traj));
    for (const line of extra) {
      writeSync(more, line);
      expected.push(slim(line));
    }
    writeSync(more, record(0, 1, 'user_stop', traj).slice(0, 5000));
    closeSync(more);

    const second = report();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/summary\.json is stale: episodes\.jsonl has \d+ bytes now, it describes 298 episode record\(s\) in \d+ bytes; rebuilt the summary from episodes\.jsonl \(300 episodes\) and saved it/);
    const rebuilt = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
    const wantAll = buildSummary(manifest, dedupe(expected));
    expect(rebuilt.complete).toBe(true);
    expect(rebuilt.results).toEqual(wantAll.results);
    expect(rebuilt.usage).toEqual(wantAll.usage);
    expect(second.stdout).toContain(wantAll.results.passHatK['1']?.toFixed(3));

    // Fresh now: a third report reads the stored summary without rebuilding.
    const third = report();
    expect(third.status, third.stderr).toBe(0);
    expect(third.stderr).not.toMatch(/rebuilt/);

    // merge streams too (into a second 600 MB file, deleted at once).
    const merged = join(dir, 'merged');
    const m = taubp('merge', dir, '--out', merged);
    expect(m.status, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/Merged 1 directory \(300 episodes\)/);
    expect(m.stderr).toMatch(/ignored a partial last line of episodes\.jsonl/);
    expect(JSON.parse(readFileSync(join(merged, 'summary.json'), 'utf8')).results).toEqual(wantAll.results);
    rmSync(merged, { recursive: true, force: true });

    // Resume's preparation: the torn last line and the replaced infrastructure error are dropped, by streaming.
    const script = `const { prepareForResume } = await import(${JSON.stringify(join(REPO_ROOT, 'src', 'runner', 'results.ts'))});
const s = prepareForResume(${JSON.stringify(file)});
process.stdout.write(JSON.stringify({ ...s, kept: s.kept.length }));`;
    const r = node(['--input-type=module', '-e', script]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ kept: 300, droppedInfra: 0, droppedDuplicates: 1, truncated: true, rewritten: true });
    const infraBytes = Buffer.byteLength(record(0, 0, 'infrastructure_error', traj));
    const extraBytes = extra.reduce((n, l) => n + Buffer.byteLength(l), 0);
    expect(statSync(file).size).toBe(bytes - infraBytes + extraBytes);
  }, 180_000);
});
