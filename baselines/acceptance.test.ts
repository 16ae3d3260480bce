/**
 * Acceptance: baselines end to end through the REAL openai and @anthropic-ai/sdk clients, against
 * local fake servers that play the gold actions of official τ-bench tasks (and a customer who
 * opens and then stops), driven by `taubp run` itself. Needs ../shared (TAU_SHARED).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airlineDomain } from '../domains/airline/index.js';
import { retailDomain } from '../domains/retail/index.js';
import { runRun } from '../src/cli/commands/run.js';
import { loadTasks } from '../src/env/tasks/source.js';
import { createModel } from '../src/models/create-model.js';
import { FakeAnthropicServer, FakeOpenAIServer } from '../src/models/fake/index.js';
import { readEpisodes } from '../src/runner/results.js';
import { goldPlayer } from '../scripts/lib/gold-player.js';
import { capturedRunIo, type CapturedRunIo } from '../test/quiet-run-io.js';
import { REPO_ROOT, sharedPath } from '../test/shared-data.js';

const DATA = sharedPath('taubench', 'airline');
const POLICY = join(REPO_ROOT, 'domains', 'airline', 'policy.md');
const TASKS = loadTasks('airline', DATA, 'test');
const OPENAI_KEY = 'sk-test-OPENAI-secret-1234567890';
const ANTHROPIC_KEY = 'sk-ant-test-ANTHROPIC-secret-0987654321';

let openai: FakeOpenAIServer;
let openaiReact: FakeOpenAIServer;
let anthropic: FakeAnthropicServer;

beforeAll(async () => {
  openai = await FakeOpenAIServer.start(goldPlayer({ tasks: TASKS }));
  openaiReact = await FakeOpenAIServer.start(goldPlayer({ tasks: TASKS, style: 'react' }));
  anthropic = await FakeAnthropicServer.start(goldPlayer({ tasks: TASKS }));
});
afterAll(async () => {
  await Promise.all([openai.close(), openaiReact.close(), anthropic.close()]);
});

/** A captured run I/O offering airline and retail, every model made with `env` as its environment and no retries. */
function io(env: Record<string, string>): CapturedRunIo {
  return capturedRunIo({ domains: { airline: airlineDomain, retail: retailDomain }, createModel: (spec, o) => createModel(spec, { ...o, env, maxRetries: 0 }) });
}

/** Every file under `dir`, concatenated. */
function allText(dir: string): string {
  return readdirSync(dir)
    .map((f) => join(dir, f))
    .map((p) => (statSync(p).isDirectory() ? allText(p) : readFileSync(p, 'utf8')))
    .join('\n');
}

const common = ['--domain', 'airline', '--data', DATA, '--policy', POLICY, '--user', 'llm', '--concurrency', '2'];

describe('baselines through the real SDKs against fake servers playing gold actions', () => {
  it('tool-calling over the OpenAI wire format reaches reward 1 (task with required outputs)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'acc-')), 'openai');
    const c = io({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: openai.url });
    expect(await runRun([...common, '--agent', 'tool-calling', '--model', 'openai:gpt-4o', '--tasks', '3,8', '--trials', '2', '--out', out], c.io)).toBe(0);
    const records = readEpisodes(join(out, 'episodes.jsonl')).records;
    expect(records).toHaveLength(4);
    for (const r of records) {
      expect(r.termination.reason).toBe('user_stop');
      expect(r.reward).toBe(1);
      expect(r.calls.some((x) => x.role === 'user')).toBe(true);
      expect(r.calls.filter((x) => x.role === 'agent')).toHaveLength(r.toolCalls + 1);
      expect(r.calls.every((x) => x.model === 'openai:gpt-4o' && (x.usage.input ?? 0) > 0)).toBe(true);
    }
    const task8 = records.find((r) => r.taskId === '8');
    expect(task8?.trajectory.filter((e) => e.type === 'tool').map((e) => (e.type === 'tool' ? e.name : ''))).toEqual(['cancel_reservation', 'book_reservation']);
    expect(c.out()).toMatch(/pass\^1 +pass\^2[^\n]*\nvalue +1\.000 +1\.000/);
    // The key never reaches the results (it did reach the server).
    expect(openai.requests.some((r) => String(r.headers['authorization']).includes(OPENAI_KEY))).toBe(true);
    expect(allText(out)).not.toContain(OPENAI_KEY);
  });

  it('tool-calling over the Anthropic wire format reaches reward 1', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'acc-')), 'anthropic');
    const c = io({ ANTHROPIC_API_KEY: ANTHROPIC_KEY, ANTHROPIC_BASE_URL: anthropic.url });
    expect(await runRun([...common, '--agent', 'tool-calling', '--model', 'anthropic:claude-sonnet-4-5', '--tasks', '3,8', '--out', out], c.io)).toBe(0);
    const records = readEpisodes(join(out, 'episodes.jsonl')).records;
    expect(records.map((r) => r.reward)).toEqual([1, 1]);
    expect(records.map((r) => r.taskId).sort()).toEqual(['3', '8']);
    expect(records.every((r) => r.calls.every((x) => x.model === 'anthropic:claude-sonnet-4-5'))).toBe(true);
    expect(anthropic.requests.some((r) => Array.isArray(r.body['tools']))).toBe(true);
    expect(allText(out)).not.toContain(ANTHROPIC_KEY);
  });

  it('react (text actions) over the OpenAI wire format reaches reward 1', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'acc-')), 'react');
    const c = io({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: openaiReact.url });
    expect(await runRun([...common, '--agent', 'react', '--model', 'openai:gpt-4o', '--tasks', '3,8', '--out', out], c.io)).toBe(0);
    const records = readEpisodes(join(out, 'episodes.jsonl')).records;
    expect(records.map((r) => [r.taskId, r.reward, r.termination.reason]).sort()).toEqual([
      ['3', 1, 'user_stop'],
      ['8', 1, 'user_stop'],
    ]);
    // No native tools were sent: the actions came from text.
    expect(openaiReact.requests.some((r) => r.body['tools'] !== undefined)).toBe(false);
  });
});

describe('retail through the real OpenAI SDK', () => {
  const RETAIL = sharedPath('taubench', 'retail');
  const retailTasks = loadTasks('retail', RETAIL, 'test');
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await FakeOpenAIServer.start(goldPlayer({ tasks: retailTasks }));
  });
  afterAll(async () => {
    await server.close();
  });

  it('tool-calling plays retail test tasks (exchange, return with required output, modify) to reward 1', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'acc-')), 'retail');
    const c = io({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: server.url });
    const argv = ['--domain', 'retail', '--data', RETAIL, '--policy', join(REPO_ROOT, 'domains', 'retail', 'policy.md'), '--tasks', '0,2,3', '--user', 'llm', '--model', 'openai:gpt-4o', '--out', out];
    expect(await runRun(argv, c.io)).toBe(0);
    const records = readEpisodes(join(out, 'episodes.jsonl')).records;
    expect(records.map((r) => [r.taskId, r.reward]).sort()).toEqual([
      ['0', 1],
      ['2', 1],
      ['3', 1],
    ]);
    const task2 = records.find((r) => r.taskId === '2');
    expect(task2?.rewardInfo).toMatchObject({ outputs: { '10': true } });
    expect(task2?.toolCalls).toBe(12);
  });
});

describe('τ² semantics end to end', () => {
  const TAU2 = sharedPath('tau2', 'airline');
  const tau2Tasks = loadTasks('airline', TAU2, 'base');
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await FakeOpenAIServer.start(goldPlayer({ tasks: tau2Tasks }));
  });
  afterAll(async () => {
    await server.close();
  });

  it('greets first, runs τ² tools on the v1 airline tables and scores by the τ² rules', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'acc-')), 'tau2');
    const c = io({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: server.url });
    const argv = ['--domain', 'airline', '--data', TAU2, '--db', DATA, '--policy', POLICY, '--split', 'base', '--tasks', '0-4', '--user', 'llm', '--model', 'openai:gpt-4o', '--out', out];
    expect(await runRun(argv, c.io)).toBe(0);
    const records = readEpisodes(join(out, 'episodes.jsonl')).records;
    expect(records).toHaveLength(5);
    for (const r of records) {
      expect(r.semantics).toBe('tau2');
      expect(r.trajectory[0]).toMatchObject({ type: 'message', from: 'agent', text: 'Hi! How can I help you today?' });
      expect(r.termination.reason).toBe('user_stop');
      expect(r.rewardInfo).toMatchObject({ rules: 'tau2' });
    }
    expect(records.map((r) => r.reward)).toEqual([1, 1, 1, 1, 1]);
  });
});
