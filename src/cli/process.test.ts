/**
 * `taubp run` as a real process (the built CLI, `bin/taubp.js`): the PID started is the run, so
 * `kill -9` stops it (nothing written after, no process left behind), and SIGTERM / SIGINT stop it
 * cleanly (summary written, exit 143 / 130), with in-flight episodes abandoned after the grace
 * period or at a second signal. The tests build `dist/` first (scripts/lib/built-cli.ts). Linux: the
 * process checks read /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faults, FakeOpenAIServer } from '../models/fake/index.js';
import { buildCli, REPO_ROOT, TAUBP_BIN } from '../../scripts/lib/built-cli.js';

const root = mkdtempSync(join(tmpdir(), 'taubp-process-'));

beforeAll(() => buildCli(), 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  out: string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let runs = 0;

/** Starts `taubp run` on the built-in retail suite with a fresh `--out`. */
function start(args: string[], env: Record<string, string> = {}): Started {
  const out = join(root, `run-${runs++}`);
  const child = spawn(process.execPath, [TAUBP_BIN, 'run', '--domain', 'retail', '--data', 'builtin', '--user', 'scripted', '--out', out, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => void (err += d.toString()));
  child.stdout?.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, out, stderr: () => err, exit };
}

/** Waits until `check` holds (polling), failing with `what` if the process exits first. */
async function until(s: Started, what: string, check: () => boolean): Promise<void> {
  let exited = false;
  void s.exit.then(() => (exited = true));
  while (!check()) {
    if (exited) throw new Error(`taubp exited before ${what}:\n${s.stderr()}`);
    await sleep(20);
  }
}

function lines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').length : 0;
}

/** PIDs of live processes whose command line mentions `needle` (Linux /proc). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1];
      if (cmdline.includes(needle) && state !== 'Z') pids.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

const SIM = ['--model', 'sim', '--trials', '40'];

describe('taubp run as a process', () => {
  it('runs in the process started: kill -9 stops it, nothing is written after, nothing is left running', async () => {
    const s = start(SIM);
    const episodes = join(s.out, 'episodes.jsonl');
    await until(s, 'writing 3 episodes', () => lines(episodes) >= 3);
    expect(processesMentioning(s.out)).toEqual([s.child.pid]);

    s.child.kill('SIGKILL');
    expect(await s.exit).toEqual({ code: null, signal: 'SIGKILL' });
    const after = statSync(episodes);
    await sleep(1500);
    const later = statSync(episodes);
    expect({ size: later.size, mtime: later.mtimeMs }).toEqual({ size: after.size, mtime: after.mtimeMs });
    expect(processesMentioning(s.out)).toEqual([]);
  }, 120_000);

  it('SIGTERM: stops starting episodes, writes the summary of what was written, exits 143', async () => {
    const s = start(SIM);
    const episodes = join(s.out, 'episodes.jsonl');
    await until(s, 'writing 3 episodes', () => lines(episodes) >= 3);
    s.child.kill('SIGTERM');
    const { code } = await s.exit;
    expect(code).toBe(143);
    const summary = JSON.parse(readFileSync(join(s.out, 'summary.json'), 'utf8')) as { results: { episodes: number }; plannedEpisodes: number };
    expect(summary.results.episodes).toBe(lines(episodes));
    expect(summary.results.episodes).toBeLessThan(summary.plannedEpisodes);
    expect(s.stderr()).toContain('SIGTERM: stopping');
    expect(s.stderr()).toContain('--resume');
    // The build finds the files beside the sources (package.json here; the built-in policy above).
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    const manifest = JSON.parse(readFileSync(join(s.out, 'run.json'), 'utf8')) as { metadata: { harness: unknown } };
    expect(manifest.metadata.harness).toEqual({ name: pkg.name, version: pkg.version });
  }, 120_000);

  describe('with episodes in flight (a provider that never answers)', () => {
    let server: FakeOpenAIServer;
    beforeAll(async () => {
      server = await FakeOpenAIServer.start(() => faults.hang());
    });
    afterAll(async () => server.close());

    const llm = (): string[] => ['--model', 'openai:gpt-4o-mini', '--base-url', server.url, '--agent', 'tool-calling', '--tasks', '0-3', '--trials', '1', '--concurrency', '2'];
    const env = { OPENAI_API_KEY: 'sk-test-process' };

    it('abandons them when the grace period ends; the summary is written; exit 143', async () => {
      const before = server.requestCount;
      const s = start([...llm(), '--grace-period', '0.5'], env);
      await until(s, 'calling the model', () => server.requestCount >= before + 2);
      s.child.kill('SIGTERM');
      const { code } = await s.exit;
      expect(code).toBe(143);
      expect(s.stderr()).toContain('grace period of 0.5 s over: abandoning the running episodes');
      const summary = JSON.parse(readFileSync(join(s.out, 'summary.json'), 'utf8')) as { results: { episodes: number } };
      expect(summary.results.episodes).toBe(0);
      expect(lines(join(s.out, 'episodes.jsonl'))).toBe(0);
    }, 120_000);

    it('a second signal abandons them at once (long grace period); exit 130 after SIGINT', async () => {
      const before = server.requestCount;
      const s = start([...llm(), '--grace-period', '600'], env);
      await until(s, 'calling the model', () => server.requestCount >= before + 2);
      s.child.kill('SIGINT');
      await until(s, 'acknowledging the first signal', () => s.stderr().includes('SIGINT: stopping'));
      s.child.kill('SIGINT');
      const { code } = await s.exit;
      expect(code).toBe(130);
      expect(s.stderr()).toContain('SIGINT again: abandoning the running episodes');
      expect(existsSync(join(s.out, 'summary.json'))).toBe(true);
    }, 120_000);
  });
});
