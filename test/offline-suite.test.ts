/**
 * Issue 5 acceptance on the built-in suite through the real `taubp run` code path, with the
 * simulated model and the scripted customer: same seed → byte-identical episodes (timestamps and
 * measured durations excluded), pass^k = 1 at error probability 0, falling pass^k above 0.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMAINS } from '../src/cli/registry.js';
import { runRun } from '../src/cli/commands/run.js';
import { runVerify } from '../src/cli/commands/verify.js';
import { quietRunIo } from './quiet-run-io.js';
import type { RunSummary } from '../src/runner/summary.js';

const quietIo = quietRunIo();

async function run(args: string[]): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'taubp-offline-')), 'run');
  const code = await runRun([...args, '--user', 'scripted', '--out', out], quietIo);
  expect(code).toBe(0);
  return out;
}

/** Fields that hold wall-clock time or measured durations: the only ones allowed to differ. */
const TIME_FIELDS = new Set(['startedAt', 'endedAt', 'durationMs', 'at', 'createdAt']);

function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !TIME_FIELDS.has(k)).map(([k, v]) => [k, withoutTimes(v)]));
  }
  return value;
}

function episodes(dir: string): unknown[] {
  return readFileSync(join(dir, 'episodes.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { taskId: string; trial: number })
    .sort((a, b) => a.taskId.localeCompare(b.taskId) || a.trial - b.trial)
    .map(withoutTimes);
}

function summary(dir: string): RunSummary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
}

describe('built-in offline suite (sim model, scripted user)', () => {
  it('same seed gives byte-identical episodes; pass^k falls as k grows at error probability > 0', async () => {
    const args = ['--domain', 'retail', '--data', 'builtin', '--tasks', '0-29', '--agent', 'tool-calling', '--model', 'sim:0.1', '--trials', '4', '--seed', '3', '--concurrency', '8'];
    const a = await run(args);
    const b = await run([...args.slice(0, -2), '--concurrency', '3']);
    const ea = episodes(a);
    expect(ea).toHaveLength(120);
    expect(JSON.stringify(episodes(b))).toBe(JSON.stringify(ea));
    const s = summary(a);
    expect(s.simulated).toBe(true);
    const p = [1, 2, 3, 4].map((k) => s.results.passHatK[String(k)] as number);
    expect(p[0]).toBeLessThan(1);
    expect(p[3]).toBeLessThan(p[0] as number);
    for (let k = 1; k < 4; k++) expect(p[k]).toBeLessThanOrEqual(p[k - 1] as number);
    // Another seed gives other episodes.
    const c = await run([...args.slice(0, -4), '--seed', '4', '--concurrency', '8']);
    expect(JSON.stringify(episodes(c))).not.toBe(JSON.stringify(ea));
  });

  it.each(['retail', 'airline'])('error probability 0: pass^k = 1 on every built-in %s task', async (domain) => {
    const dir = await run(['--domain', domain, '--data', 'builtin', '--agent', 'tool-calling', '--model', 'sim', '--trials', '2', '--concurrency', '8']);
    const s = summary(dir);
    expect(s.results.counted).toBe(domain === 'retail' ? 200 : 100);
    expect(s.results.passHatK).toEqual({ '1': 1, '2': 1 });
  });
});

describe('taubp verify on the built-in suite', () => {
  it.each([
    ['retail', 'builtin', 100],
    ['airline', 'builtin', 50],
    ['retail', 'builtin:11', 100],
  ])('every generated %s task (%s) scores 1 on its gold trajectory', async (domain, data, count) => {
    const lines: string[] = [];
    const code = await runVerify(['--domain', domain, '--data', data, '--jsonl'], { domains: DOMAINS, write: (t) => void lines.push(...t.trim().split('\n')) });
    expect(code).toBe(0);
    const rows = lines.map((l) => JSON.parse(l) as { reward: number });
    expect(rows).toHaveLength(count);
    expect(rows.every((r) => r.reward === 1)).toBe(true);
  });
});
