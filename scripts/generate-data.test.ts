import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { parsePyJson, pyDumps } from '../src/core/py/py-json.js';
import { main } from './generate-data.js';
import { runVerify } from '../src/cli/commands/verify.js';
import { DOMAINS } from '../src/cli/registry.js';

const root = mkdtempSync(join(tmpdir(), 'generate-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scripts/generate-data', () => {
  it('writes byte-identical v1 table files for the same seed and scale', async () => {
    const a = await main(['--domain', 'retail', '--seed', '11', '--scale', '0.5', '--out', join(root, 'a')]);
    const b = await main(['--domain', 'retail', '--seed', '11', '--scale', '0.5', '--out', join(root, 'b')]);
    expect(a.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(['orders.json', 'products.json', 'users.json']);
    for (const f of ['orders.json', 'products.json', 'users.json']) {
      const text = readFileSync(join(root, 'a', f), 'utf8');
      expect(readFileSync(join(root, 'b', f), 'utf8')).toBe(text);
      expect(pyDumps(parsePyJson(text))).toBe(text);
    }
    expect(b).toHaveLength(3);
  });

  it('writes airline tables, tasks and the policy with --tasks', async () => {
    await main(['--domain', 'airline', '--out', join(root, 'air'), '--tasks']);
    expect(readdirSync(join(root, 'air')).sort()).toEqual(['flights.json', 'policy.md', 'reservations.json', 'tasks_builtin.json', 'users.json']);
    // τ-bench v1 task format: the directory is a v1 data source that `taubp verify` accepts.
    const tasks = JSON.parse(readFileSync(join(root, 'air', 'tasks_builtin.json'), 'utf8')) as Array<Record<string, unknown>>;
    expect(tasks).toHaveLength(50);
    expect(Object.keys(tasks[0] ?? {})).toEqual(['user_id', 'instruction', 'actions', 'outputs']);
    const lines: string[] = [];
    const code = await runVerify(['--domain', 'airline', '--data', join(root, 'air'), '--split', 'builtin', '--jsonl'], { domains: DOMAINS, write: (t) => void lines.push(...t.trim().split('\n')) });
    expect(code).toBe(0);
    expect(lines.map((l) => (JSON.parse(l) as { reward: number }).reward)).toEqual(Array(50).fill(1));
  });

  it('rejects a bad domain, a missing --out and a bad scale', async () => {
    await expect(main(['--domain', 'bank', '--out', root])).rejects.toThrow(UsageError);
    await expect(main(['--domain', 'retail'])).rejects.toThrow(/--out/);
    await expect(main(['--domain', 'retail', '--out', root, '--scale', '0'])).rejects.toThrow(/scale/);
  });
});
