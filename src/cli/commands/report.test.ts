import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, sharedPath } from '../../../test/shared-data.js';
import { FakeOpenAIServer } from '../../models/fake/index.js';
import type { FailureAnalysis } from '../../report/analysis/failure-analysis.js';
import type { EpisodeRecord } from '../../contract/record.js';
import { runCli } from '../cli.js';
import { runReport } from './report.js';

const quiet = { stdout: () => {}, stderr: () => {} };
const io = () => {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
};

describe('taubp report: comparability guard, failure analysis, cost', () => {
  const root = mkdtempSync(join(tmpdir(), 'taubp-report-'));
  const runs = join(root, 'runs');
  const official = sharedPath('taubench', 'retail');
  const policy = join(REPO_ROOT, 'domains', 'retail', 'policy.md');
  const sim = ['--model', 'sim', '--user', 'scripted', '--domain', 'retail'];

  beforeAll(async () => {
    // The three mismatched runs (small): a blueprint run on the built-in suite, a blueprint
    // run on official tasks 0-1, a tool-calling run on official tasks 2-3; and a tool-calling run on
    // official tasks 0-1, which the official blueprint run can be paired with.
    const made = [
      ['run', ...sim, '--agent', 'blueprint', '--data', 'builtin', '--tasks', '0-1', '--out', join(runs, 'bp-builtin')],
      ['run', ...sim, '--agent', 'blueprint', '--data', official, '--policy', policy, '--tasks', '0-1', '--out', join(runs, 'bp-official-0-1')],
      ['run', ...sim, '--agent', 'tool-calling', '--data', official, '--policy', policy, '--tasks', '2-3', '--out', join(runs, 'tc-official-2-3')],
      ['run', ...sim, '--agent', 'tool-calling', '--data', official, '--policy', policy, '--tasks', '0-1', '--out', join(runs, 'tc-official-0-1')],
    ];
    for (const argv of made) expect(await runCli(argv, quiet)).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('does not pair runs on other tasks or data, says why, and pairs the runs that share tasks, data and user setup', async () => {
    const a = io();
    expect(await runReport([runs, '--resamples', '200'], a.io)).toBe(0);
    const md = a.out.stdout;
    // every row states data identity: split · number of tasks · task-set hash, and the source
    // (the blueprint that ran, from the episode records, in brackets)
    expect(md).toMatch(/\| bp-builtin \| retail \| test · 2 tasks · [0-9a-f]{8} \| built-in \| harness [0-9a-f]{8} \| blueprint \[retail\] \| sim \| scripted \| 1 \| 2 \| 0 \| 0 \|/);
    expect(md).toMatch(/\| bp-official-0-1 \| retail \| test · 2 tasks · [0-9a-f]{8} \| taubench\/retail \| .* \| tc-official-0-1 \| 0\.0 \|/);
    expect(md).toMatch(/\| tc-official-0-1 \| .* \| \(baseline\) \|/);
    expect(md).toMatch(/\| bp-builtin \| .* \| not paired \(see declined pairs\) \|/);
    // the declined pairs, each with its reasons
    expect(md).toContain('### Pairs not compared with the tool-calling baseline');
    expect(md).toMatch(/\| bp-builtin \| tc-official-0-1 \| different data sources \(built-in vs taubench\/retail\); different task sets \(bp-builtin: 2 tasks, hash [0-9a-f]{8}; tc-official-0-1: 2 tasks, hash [0-9a-f]{8}; no task id in common\) \|/);
    expect(md).toMatch(/\| bp-builtin \| tc-official-2-3 \| different data sources/);
    expect(md).toMatch(/\| bp-official-0-1 \| tc-official-2-3 \| different task sets \(bp-official-0-1: 2 tasks, hash [0-9a-f]{8}; tc-official-2-3: 2 tasks, hash [0-9a-f]{8}; no task id in common\) \|/);
    expect(md).not.toMatch(/\| bp-official-0-1 \| tc-official-0-1 \| different/);
    expect(a.out.stderr).toContain('report: not compared: bp-builtin vs tc-official-0-1: different data sources');
    // the ratio table holds only the pair that was made
    const start = md.indexOf('### Each run relative to its tool-calling baseline run');
    const ratios = md.slice(start, md.indexOf('### ', start + 4));
    expect(ratios.split('\n').filter((l) => /^\| bp-/.test(l)).map((l) => l.split(' | ')[0])).toEqual(['| bp-official-0-1']);
    // effort has a model column; tasks × runs; cost
    expect(md).toContain('| Run | Domain | Agent | Model | Prompts | LLM calls/ep |');
    expect(md).toContain('### Successes per task (successes / counted trials)');
    expect(md).toContain('### Cost per run (USD)');
    expect(md).toContain('### Failure categories per run (episodes)');
    // the report page lists the declined pairs too
    const page = io();
    expect(await runReport([runs, '--format', 'html', '--resamples', '200'], page.io)).toBe(0);
    expect(page.out.stdout).toContain('Pairs not compared');
    expect(page.out.stdout).toContain('different data sources (built-in vs taubench/retail)');
  }, 60_000);

  it('--baseline picks any agent; an agent no run has is an error naming the agents', async () => {
    const a = io();
    expect(await runReport([runs, '--baseline', 'blueprint', '--resamples', '200'], a.io)).toBe(0);
    expect(a.out.stdout).toContain('### Pairs not compared with the blueprint baseline');
    expect(a.out.stdout).toMatch(/\| tc-official-0-1 \| .* \| bp-official-0-1 \| 0\.0 \|/);
    expect(a.out.stdout).toMatch(/\| tc-official-2-3 \| bp-builtin \| different data sources/);
    await expect(runReport([runs, '--baseline', 'react'], io().io)).rejects.toThrow(/--baseline react: no run has that agent \(agents: blueprint, tool-calling\)/);
  }, 60_000);

  it('classifies failed episodes against the gold data, writes failures.json, and limits the classification without the data', async () => {
    // A copy of the official blueprint run whose episodes failed: no tool call was made.
    const failed = join(root, 'failed', 'bp-failed');
    cpSync(join(runs, 'bp-official-0-1'), failed, { recursive: true });
    rmSync(join(failed, 'summary.json'));
    const manifest = JSON.parse(readFileSync(join(failed, 'run.json'), 'utf8')) as { name: string; config: { data: string } };
    manifest.name = 'bp-failed';
    writeFileSync(join(failed, 'run.json'), JSON.stringify(manifest));
    const lines = readFileSync(join(failed, 'episodes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EpisodeRecord);
    const broken = lines.map((r) => ({ ...r, reward: 0, success: false, termination: { reason: 'user_stop' }, trajectory: r.trajectory.filter((e) => e.type !== 'tool').concat([{ type: 'message', from: 'agent', text: 'Anything else?', at: 0 }]) }));
    writeFileSync(join(failed, 'episodes.jsonl'), broken.map((r) => `${JSON.stringify(r)}\n`).join(''));
    // the same run without its data
    const lost = join(root, 'failed', 'bp-lost');
    cpSync(failed, lost, { recursive: true });
    writeFileSync(join(lost, 'run.json'), JSON.stringify({ ...manifest, name: 'bp-lost', config: { ...manifest.config, data: join(root, 'nowhere') } }));

    const out = join(root, 'report-out');
    const a = io();
    expect(await runReport([join(root, 'failed'), '--out', out, '--format', 'md', '--resamples', '200'], a.io)).toBe(0);
    const analysis = JSON.parse(readFileSync(join(out, 'failures.json'), 'utf8')) as FailureAnalysis;
    expect(analysis.format).toBe('taubp-failures');
    const [f, l] = analysis.runs;
    expect(f?.run).toBe('bp-failed');
    expect(f?.goldUnavailable).toBeNull();
    expect(f?.notSucceeded).toBe(2);
    // the agent's last message asked a question and the user stopped: user stopped early, for both
    expect(f?.counts.user_stopped_early).toBe(2);
    expect(l?.goldUnavailable).toMatch(/could not be loaded from .*nowhere/);
    expect(l?.counts.unclassified).toBe(2);
    expect(a.out.stderr).toMatch(/bp-lost: failure categories limited/);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    // columns: episodes, failed, user stopped early, unclassified, gold data
    expect(md).toMatch(/\| bp-failed \| 2 \| 2 \| 2 \| 0 \| loaded \|/);
    expect(md).toMatch(/\| bp-lost \| 2 \| 2 \| 0 \| 2 \| unavailable: /);

    // the report page gets the categories (chart and each episode's category) from the analysis
    const page = io();
    expect(await runReport([join(root, 'failed'), '--format', 'html', '--resamples', '200'], page.io)).toBe(0);
    expect(page.out.stdout).toContain('user stopped early');
    expect(page.out.stdout).toContain('unclassified (no gold data)');
  }, 60_000);

  it('--judge-model assigns fault with an LLM (fake OpenAI server), its calls counted under the judge role', async () => {
    const server = await FakeOpenAIServer.start((body, i) => ({
      text: i === 0 ? 'not json' : JSON.stringify({ responsible: i % 2 === 0 ? 'user' : 'agent', reason: 'the agent never made the change' }),
      usage: { input: 1000, output: 20 },
    }));
    try {
      const a = io();
      expect(await runReport([join(root, 'failed', 'bp-failed'), '--judge-model', 'openai:gpt-4o', '--judge-base-url', server.url, '--judge-api-key', 'sk-test', '--resamples', '200'], a.io)).toBe(0);
      // 2 failed episodes: the first answer is unusable and asked again; 3 calls in all
      expect(server.requests).toHaveLength(3);
      const first = server.requests[0]?.body as { messages: Array<{ role: string; content: string }> };
      const question = first.messages.find((m) => m.role === 'user')?.content ?? '';
      expect(question).toContain('Customer instruction:');
      expect(question).toContain('Anything else?');
      expect(JSON.stringify(server.requests[1]?.body)).toContain('That answer was not usable');
      expect(a.out.stdout).toContain('### Fault assignment by the judge (openai:gpt-4o)');
      // verdicts: request 1 → agent, request 2 → user
      expect(a.out.stdout).toMatch(/\| bp-failed \| 2 \| 1 \| 1 \| 0 \| 0 \|/);
      expect(a.out.stderr).toMatch(/fault judge openai:gpt-4o: 3 call\(s\), 0 cached, spend \$0\.0\d+/);
      expect(a.out.stdout).toMatch(/The fault-assignment judge of this report spent \$0\.0\d+/);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a judge that fails (401) stops after its first call; the report is still written and says so', async () => {
    const server = await FakeOpenAIServer.start(() => ({ fault: 'status', status: 401, message: 'Incorrect API key provided' }));
    try {
      const a = io();
      expect(await runReport([join(root, 'failed', 'bp-failed'), '--judge-model', 'openai:gpt-4o', '--judge-base-url', server.url, '--judge-api-key', 'sk-bad', '--resamples', '200'], a.io)).toBe(0);
      expect(server.requests).toHaveLength(1);
      expect(a.out.stderr).toMatch(/warning: 2 failed episode\(s\) without a verdict; first \(task \d+, trial 0\): .*401/);
      expect(a.out.stdout).toMatch(/\| bp-failed \| 0 \| 0 \| 0 \| 0 \| 2 \|/);
      expect(a.out.stdout + a.out.stderr).not.toContain('sk-bad');
    } finally {
      await server.close();
    }
  }, 60_000);

  it('classifies τ-bench’s own gpt-4o airline run (imported) from its gold data: every failure gets a gold-based category', async () => {
    const imported = join(root, 'imported', 'gpt4o-airline');
    const file = sharedPath('tau-bench', 'historical_trajectories', 'gpt-4o-airline.json');
    expect(await runCli(['import', file, '--domain', 'airline', '--data', sharedPath('tau-bench'), '--out', imported], quiet)).toBe(0);
    const out = join(root, 'imported-report');
    expect(await runReport([imported, '--out', out, '--resamples', '200'], io().io)).toBe(0);
    const analysis = JSON.parse(readFileSync(join(out, 'failures.json'), 'utf8')) as FailureAnalysis;
    const r = analysis.runs[0];
    const summary = JSON.parse(readFileSync(join(imported, 'summary.json'), 'utf8')) as { results: { counted: number; successRate: number } };
    // 50 tasks × 4 trials; the failures are the counted episodes that did not succeed
    expect(r?.episodes).toBe(200);
    expect(r?.notSucceeded).toBe(Math.round(summary.results.counted * (1 - summary.results.successRate)));
    expect(r?.goldUnavailable).toBeNull();
    expect(r?.counts.unclassified).toBe(0);
    expect(r?.counts.infrastructure_error).toBe(0);
    // write mistakes dominate a tool-calling agent's failures on airline
    expect((r?.counts.wrong_arguments ?? 0) + (r?.counts.extra_write ?? 0) + (r?.counts.missing_write ?? 0)).toBeGreaterThan((r?.notSucceeded ?? 0) / 2);
    expect(r?.failures.every((f) => f.detail.length > 0)).toBe(true);
  }, 120_000);

  it('a replayed run spent nothing and the cost table says which run it replays', async () => {
    const replayed = join(root, 'replayed', 'bp-replay');
    cpSync(join(runs, 'bp-official-0-1'), replayed, { recursive: true });
    rmSync(join(replayed, 'summary.json'));
    const manifest = JSON.parse(readFileSync(join(replayed, 'run.json'), 'utf8')) as { name: string; metadata: Record<string, unknown> };
    writeFileSync(join(replayed, 'run.json'), JSON.stringify({ ...manifest, name: 'bp-replay', metadata: { ...manifest.metadata, replayOf: { dir: 'x', name: 'bp-official-0-1', createdAt: '2026-01-01', costUsd: 1.25 } } }));
    const a = io();
    expect(await runReport([join(root, 'replayed'), '--resamples', '200'], a.io)).toBe(0);
    expect(a.out.stdout).toMatch(/\| bp-replay \| blueprint \| sim \| 0\.0000 \| — \| — \| 0\.0000 \| \d+ \| 0 \| 0\.0000 \| replay of bp-official-0-1 \(which cost \$1\.2500\) \|/);
    expect(existsSync(join(replayed, 'summary.json'))).toBe(true);
  }, 60_000);
});
