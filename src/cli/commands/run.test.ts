import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModel } from '../../models/create-model.js';
import type { ChatModel } from '../../models/types.js';
import { readEpisodes, readManifest } from '../../runner/results.js';
import { toyGoldAgentModel } from '../../runner/testing/fixtures.js';
import type { CapturedRunIo } from '../../../test/quiet-run-io.js';
import { runMerge } from './merge.js';
import { runRun } from './run.js';
import { bankData, bankRunIo } from './testing/bank.js';

// The bank domain (./testing/bank.ts): 4 tasks, task i deposits i + 1 into A1.
const data = bankData();

const base = ['--domain', 'bank', '--data', data, '--model', 'test:gold', '--user', 'scripted', '--trials', '2'];
const tmp = (): string => mkdtempSync(join(tmpdir(), 'taubp-run-out-'));

describe('taubp run', () => {
  it('runs, writes run.json / episodes.jsonl / summary.json and prints the table', async () => {
    const out = join(tmp(), 'r1');
    const c = bankRunIo();
    expect(await runRun([...base, '--out', out, '--seed', '3', '--concurrency', '2'], c.io)).toBe(0);
    const manifest = readManifest(out);
    expect(manifest.config).toMatchObject({ domain: 'bank', split: 'test', agent: 'tool-calling', model: 'test:gold', user: 'scripted', userModel: null, trials: 2, seed: 3, concurrency: 2 });
    expect(manifest.metadata.files.map((f) => f.path.split('/').at(-1)).sort()).toEqual(['accounts.json', 'tasks_test.json', 'wiki.md']);
    expect(manifest.metadata.plannedEpisodes).toBe(8);
    expect(manifest.metadata.harness.name).toBe('tau-blueprint');
    expect(readEpisodes(join(out, 'episodes.jsonl')).records).toHaveLength(8);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.results.passHatK).toEqual({ '1': 1, '2': 1 });
    expect(c.out()).toMatch(/pass\^1 +pass\^2/);
    expect(c.out()).toContain(`Results: ${out}`);
    expect(c.err()).toMatch(/4 task\(s\) × 2 trial\(s\) = 8 episode\(s\)/);
  });

  it('fails before any episode when the API key is missing, naming the variable', async () => {
    const out = join(tmp(), 'nokey');
    const c = bankRunIo((spec, o) => createModel(spec, { ...o, env: {} }));
    await expect(runRun(['--domain', 'bank', '--data', data, '--model', 'openai:gpt-4o', '--out', out], c.io)).rejects.toThrow(/no API key; set OPENAI_API_KEY/);
    expect(existsSync(join(out, 'episodes.jsonl'))).toBe(false);
  });

  it('stops on Ctrl-C after the running episodes, exits 130, and --resume completes the run', async () => {
    const out = join(tmp(), 'int');
    let c: CapturedRunIo | undefined;
    let calls = 0;
    const gold = toyGoldAgentModel();
    const model: ChatModel = {
      id: 'test:gold',
      complete: (req, o) => {
        if (++calls === 1) c?.interrupt();
        return gold.complete(req, o);
      },
    };
    c = bankRunIo(() => model);
    expect(await runRun([...base, '--out', out, '--concurrency', '1'], c.io)).toBe(130);
    expect(c.err()).toMatch(/stopping: no new episodes/);
    expect(c.err()).toMatch(/continue with: taubp run --resume --out/);
    expect(readEpisodes(join(out, 'episodes.jsonl')).records).toHaveLength(1);
    const again = bankRunIo();
    expect(await runRun(['--resume', '--out', out, '--concurrency', '3'], again.io)).toBe(0);
    const keys = readEpisodes(join(out, 'episodes.jsonl')).records.map((r) => `${r.taskId}#${r.trial}`).sort();
    expect(keys).toEqual(['0#0', '0#1', '1#0', '1#1', '2#0', '2#1', '3#0', '3#1']);
    expect(readManifest(out).metadata.resumed).toHaveLength(1);
  });

  it('refuses to resume with different identity settings', async () => {
    const out = join(tmp(), 'id');
    await runRun([...base, '--out', out, '--tasks', '0'], bankRunIo().io);
    await expect(runRun(['--resume', '--out', out, '--temperature', '0.5'], bankRunIo().io)).rejects.toThrow(/temperature: 0 ≠ 0.5/);
    await expect(runRun([...base, '--out', out, '--tasks', '0'], bankRunIo().io)).rejects.toThrow(/already holds episodes/);
  });

  it('runs shards that taubp merge joins into the whole run', async () => {
    const root = tmp();
    const dirs = [join(root, 's1'), join(root, 's2')];
    await runRun([...base, '--shard', '1/2', '--out', dirs[0] as string], bankRunIo().io);
    await runRun([...base, '--shard', '2/2', '--out', dirs[1] as string], bankRunIo().io);
    expect(readEpisodes(join(dirs[0] as string, 'episodes.jsonl')).records).toHaveLength(4);
    let out = '';
    const merged = join(root, 'all');
    expect(await runMerge([...dirs, '--out', merged], { stdout: (t) => void (out += t), stderr: () => undefined })).toBe(0);
    expect(readEpisodes(join(merged, 'episodes.jsonl')).records).toHaveLength(8);
    expect(out).toMatch(/Merged 2 directories \(8 episodes\)/);
    await expect(runRun([...base, '--shard', '3/2'], bankRunIo().io)).rejects.toThrow(/--shard must be i\/n/);
  });

  it('checks flags and names what is wrong', async () => {
    await expect(runRun(['--domain', 'bank', '--data', data], bankRunIo().io)).rejects.toThrow(/--model is required/);
    await expect(runRun([...base, '--agent', 'nope'], bankRunIo().io)).rejects.toThrow(/unknown agent "nope" \(known: act, .*react, tool-calling/);
    await expect(runRun([...base, '--trials', '0'], bankRunIo().io)).rejects.toThrow(/--trials must be an integer ≥ 1/);
    await expect(runRun([...base, '--cache', 'sometimes'], bankRunIo().io)).rejects.toThrow(/--cache must be one of/);
    await expect(runRun([...base, '--tasks', '9'], bankRunIo().io)).rejects.toThrow(/no task with index 9/);
    await expect(runRun([...base, '--agent', 'few-shot'], bankRunIo().io)).rejects.toThrow(/needs an examples file/);
  });
});
