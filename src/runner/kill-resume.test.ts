/**
 * Crash safety: `taubp run` (the real CLI, in one process through tsx's loader) is killed with
 * SIGKILL in the middle of a run against a fake OpenAI server with latency; `--resume` then takes
 * over the dead run's lock (with a notice) and completes the run. The final set of (task, trial)
 * records must equal an uninterrupted run's, with no duplicates. Needs ../shared.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTasks } from '../env/tasks/source.js';
import { FakeOpenAIServer } from '../models/fake/index.js';
import { REPO_ROOT, sharedPath } from '../../test/shared-data.js';
import { episodeKey } from '../contract/record.js';
import { readEpisodes } from './results.js';
import { goldPlayer } from '../../scripts/lib/gold-player.js';

const DATA = sharedPath('taubench', 'airline');
const POLICY = join(REPO_ROOT, 'domains', 'airline', 'policy.md');
const MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await FakeOpenAIServer.start(goldPlayer({ tasks: loadTasks('airline', DATA, 'test'), delayMs: 60 }));
});
afterAll(async () => {
  await server.close();
});

function taubp(args: string[]): ChildProcess {
  // One process (node with tsx's loader), so SIGKILL stops the run itself: the tsx CLI would run
  // it in a child that outlives the kill (and the run lock would then refuse the --resume).
  return spawn(process.execPath, ['--import', 'tsx', MAIN, 'run', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, OPENAI_API_KEY: 'sk-test-kill', OPENAI_BASE_URL: server.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.resume();
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

const lineCount = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);

const args = (out: string): string[] => [
  '--domain', 'airline', '--data', DATA, '--policy', POLICY, '--tasks', '0-9', '--trials', '2',
  '--agent', 'tool-calling', '--model', 'openai:gpt-4o', '--user', 'llm', '--concurrency', '4', '--out', out,
];

describe('kill -9 and --resume', () => {
  it('loses at most the running episodes and completes the set without duplicates', async () => {
    const root = mkdtempSync(join(tmpdir(), 'taubp-kill-'));
    const killed = join(root, 'killed');
    const file = join(killed, 'episodes.jsonl');

    const child = taubp(args(killed));
    const done = exited(child);
    const deadline = Date.now() + 60_000;
    while (lineCount(file) < 3 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    const first = await done;
    expect(first.signal).toBe('SIGKILL');
    const before = readEpisodes(file).records.length;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(20);

    const resumed = await exited(taubp(['--resume', '--out', killed]));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`was locked by pid ${child.pid} on host .*\\(taubp run\\), which no longer runs; taking the lock over`));

    const full = join(root, 'full');
    const straight = await exited(taubp(args(full)));
    expect(straight.code, straight.stderr).toBe(0);

    const after = readEpisodes(file);
    expect(after.truncated).toBe(false);
    const keys = after.records.map(episodeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(lineCount(file)).toBe(keys.length);
    const expected = readEpisodes(join(full, 'episodes.jsonl')).records.map(episodeKey).sort();
    expect(expected).toHaveLength(20);
    expect([...keys].sort()).toEqual(expected);
    expect(after.records.every((r) => r.reward === 1)).toBe(true);
  }, 120_000);
});
