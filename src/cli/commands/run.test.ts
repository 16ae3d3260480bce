import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readTable } from '../../env/data-files.js';
import { BaseDb } from '../../env/db-state.js';
import type { Domain } from '../../env/domain.js';
import { loadTasks } from '../../env/tasks/source.js';
import { createModel } from '../../models/create-model.js';
import type { ChatModel } from '../../models/types.js';
import { readEpisodes, readManifest } from '../../runner/results.js';
import { scriptedUser, toyGoldAgentModel, toyRegistry } from '../../runner/testing/fixtures.js';
import { AGENTS, USERS } from '../registry.js';
import { runMerge } from './merge.js';
import { runRun, type RunIo } from './run.js';

// A hand-made "bank" domain in v1 layout: accounts.json, tasks_test.json, wiki.md.
const registry = toyRegistry();
const bank: Domain = {
  name: 'bank',
  tables: ['accounts'],
  loadDb: (dir) => {
    const file = join(dir, 'accounts.json');
    return { base: new BaseDb([['accounts', readTable(file, z.object({ balance: z.number() }))]]), format: 'tau-v1', variant: 'v1', files: [file] };
  },
  registry: () => registry,
  loadTasks: (dir, split) => loadTasks('bank', dir, split),
};
const data = mkdtempSync(join(tmpdir(), 'taubp-run-data-'));
writeFileSync(join(data, 'accounts.json'), '{"A1": {"id": "A1", "balance": 10}, "A2": {"id": "A2", "balance": 5}}');
writeFileSync(join(data, 'wiki.md'), '# Bank policy\nBe nice.');
const tasks = Array.from({ length: 4 }, (_, i) => ({
  user_id: `u${i}`,
  instruction: `Deposit ${i + 1} into A1.`,
  actions: [{ name: 'deposit', kwargs: { account_id: 'A1', amount: i + 1 } }],
  outputs: [],
}));
writeFileSync(join(data, 'tasks_test.json'), JSON.stringify(tasks));

interface Captured {
  io: RunIo;
  out: () => string;
  err: () => string;
  interrupt: () => void;
}

function io(createModel: RunIo['createModel'] = () => toyGoldAgentModel()): Captured {
  let out = '';
  let err = '';
  let handler: (() => void) | undefined;
  return {
    io: {
      domains: { bank },
      agents: AGENTS,
      users: { ...USERS, scripted: scriptedUser('Hi, please make my deposit.', ['###STOP###']) },
      createModel,
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      tty: false,
      onInterrupt: (h) => {
        handler = h;
        return () => (handler = undefined);
      },
    },
    out: () => out,
    err: () => err,
    interrupt: () => handler?.(),
  };
}

const base = ['--domain', 'bank', '--data', data, '--model', 'test:gold', '--user', 'scripted', '--trials', '2'];
const tmp = (): string => mkdtempSync(join(tmpdir(), 'taubp-run-out-'));

describe('taubp run', () => {
  it('runs, writes run.json / episodes.jsonl / summary.json and prints the table', async () => {
    const out = join(tmp(), 'r1');
    const c = io();
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
    const c = io((spec, o) => createModel(spec, { ...o, env: {} }));
    await expect(runRun(['--domain', 'bank', '--data', data, '--model', 'openai:gpt-4o', '--out', out], c.io)).rejects.toThrow(/no API key; set OPENAI_API_KEY/);
    expect(existsSync(join(out, 'episodes.jsonl'))).toBe(false);
  });

  it('stops on Ctrl-C after the running episodes, exits 130, and --resume completes the run', async () => {
    const out = join(tmp(), 'int');
    let c: Captured | undefined;
    let calls = 0;
    const gold = toyGoldAgentModel();
    const model: ChatModel = {
      id: 'test:gold',
      complete: (req, o) => {
        if (++calls === 1) c?.interrupt();
        return gold.complete(req, o);
      },
    };
    c = io(() => model);
    expect(await runRun([...base, '--out', out, '--concurrency', '1'], c.io)).toBe(130);
    expect(c.err()).toMatch(/stopping: no new episodes/);
    expect(c.err()).toMatch(/continue with: taubp run --resume --out/);
    expect(readEpisodes(join(out, 'episodes.jsonl')).records).toHaveLength(1);
    const again = io();
    expect(await runRun(['--resume', '--out', out, '--concurrency', '3'], again.io)).toBe(0);
    const keys = readEpisodes(join(out, 'episodes.jsonl')).records.map((r) => `${r.taskId}#${r.trial}`).sort();
    expect(keys).toEqual(['0#0', '0#1', '1#0', '1#1', '2#0', '2#1', '3#0', '3#1']);
    expect(readManifest(out).metadata.resumed).toHaveLength(1);
  });

  it('refuses to resume with different identity settings', async () => {
    const out = join(tmp(), 'id');
    await runRun([...base, '--out', out, '--tasks', '0'], io().io);
    await expect(runRun(['--resume', '--out', out, '--temperature', '0.5'], io().io)).rejects.toThrow(/temperature: 0 ≠ 0.5/);
    await expect(runRun([...base, '--out', out, '--tasks', '0'], io().io)).rejects.toThrow(/already holds episodes/);
  });

  it('runs shards that taubp merge joins into the whole run', async () => {
    const root = tmp();
    const dirs = [join(root, 's1'), join(root, 's2')];
    await runRun([...base, '--shard', '1/2', '--out', dirs[0] as string], io().io);
    await runRun([...base, '--shard', '2/2', '--out', dirs[1] as string], io().io);
    expect(readEpisodes(join(dirs[0] as string, 'episodes.jsonl')).records).toHaveLength(4);
    let out = '';
    const merged = join(root, 'all');
    expect(await runMerge([...dirs, '--out', merged], { stdout: (t) => void (out += t), stderr: () => undefined })).toBe(0);
    expect(readEpisodes(join(merged, 'episodes.jsonl')).records).toHaveLength(8);
    expect(out).toMatch(/Merged 2 directories \(8 episodes\)/);
    await expect(runRun([...base, '--shard', '3/2'], io().io)).rejects.toThrow(/--shard must be i\/n/);
  });

  it('checks flags and names what is wrong', async () => {
    await expect(runRun(['--domain', 'bank', '--data', data], io().io)).rejects.toThrow(/--model is required/);
    await expect(runRun([...base, '--agent', 'nope'], io().io)).rejects.toThrow(/unknown agent "nope" \(known: act, .*react, tool-calling/);
    await expect(runRun([...base, '--trials', '0'], io().io)).rejects.toThrow(/--trials must be an integer ≥ 1/);
    await expect(runRun([...base, '--cache', 'sometimes'], io().io)).rejects.toThrow(/--cache must be one of/);
    await expect(runRun([...base, '--tasks', '9'], io().io)).rejects.toThrow(/no task with index 9/);
    await expect(runRun([...base, '--agent', 'few-shot'], io().io)).rejects.toThrow(/needs an examples file/);
  });
});
