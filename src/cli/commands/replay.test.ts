/**
 * `taubp replay`: runs recorded with `taubp run` (the real CLI code path) and replayed with no
 * provider. (1) a run against the fake OpenAI server through the real SDK, with 20% injected
 * faults absorbed by retries and the same first agent request in every task, replays 20/20
 * episodes byte-identical after the server is stopped; (2) a blueprint with one node altered
 * replays with the first differing step and exit 1; a changed sub-task prompt is a divergent
 * request; (4) the replay costs $0 and shows the original cost. Plus: old records without
 * responses and changed inputs are refused.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../core/rng.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { blueprintAgentEntry, defineBlueprint } from '../../blueprint/index.js';
import { fakeRegistry } from '../../blueprint/testing/fake-domain.js';
import { makeScript, orderDesk, scriptedModel, scriptedUser as deskUser } from '../../blueprint/testing/order-desk.js';
import { ConfigError, ProviderError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { LimiterRegistry } from '../../models/limiter.js';
import { faults, FakeOpenAIServer } from '../../models/fake/index.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../../models/types.js';
import { comparableEpisode } from '../../runner/replay.js';
import { episodeKey, type EpisodeRecord } from '../../contract/record.js';
import { readEpisodes, readManifest } from '../../runner/results.js';
import { acquireRunLock, RunLockedError } from '../../runner/run-lock.js';
import { ScriptedModel, scriptedUser } from '../../runner/testing/fixtures.js';
import type { UserSimulatorEntry } from '../../contract/user.js';
import { capturedRunIo, type CapturedRunIo } from '../../../test/quiet-run-io.js';
import { AGENTS, USERS } from '../registry.js';
import { runReplay, type ReplayIo } from './replay.js';
import { runRun } from './run.js';
import { bank, bankData } from './testing/bank.js';
import { oneTableDomain } from './testing/one-table-domain.js';

const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

interface Captured<T> {
  io: T;
  out: () => string;
  err: () => string;
}

function capture<T extends object>(base: T): Captured<T & { stdout: (t: string) => void; stderr: (t: string) => void }> {
  let out = '';
  let err = '';
  return {
    io: { ...base, stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) },
    out: () => out,
    err: () => err,
  };
}

function episodes(dir: string): EpisodeRecord[] {
  return readEpisodes(join(dir, 'episodes.jsonl')).records;
}

/** Each episode as comparable JSON text (timing excluded), by (task, trial). */
function comparable(dir: string): Map<string, string> {
  return new Map(episodes(dir).map((r) => [episodeKey(r), JSON.stringify(comparableEpisode(r))]));
}

// ---------------------------------------------------------------------------------------------
// (1) + (4): a "bank" domain in v1 layout, the tool-calling agent and the LLM user, both played
// by the fake OpenAI server through the real SDK.
// ---------------------------------------------------------------------------------------------

/** Data for the bank domain (./testing/bank.ts) whose policy asks for account and amount, and whose customer is told what to deposit. */
function askingBankData(tasks: number): string {
  return bankData({ tasks, instruction: (amount) => `You want to deposit ${amount} into account A1.`, files: { 'wiki.md': '# Bank policy\nAsk which account and amount before a deposit.' } });
}

/** Seeded [0, 1) generator. */
const rng = seededRandom;

type Wire = Array<{ role?: string; content?: unknown }>;
const GREETING = 'Hi, I need to make a deposit.';

/**
 * Plays both sides. Every customer opens with the same greeting, so the agent's first request is
 * the same in every task of a trial; the agent answers it with a ticket number that changes with
 * every call (a cache keyed by request would hand every episode the last one). 20% of requests
 * fail (HTTP 500 or a connection reset) and are retried by the retry layer.
 */
function bankPlayer(seed: number) {
  const random = rng(seed);
  let ticket = 0;
  return (body: Record<string, unknown>, index: number) => {
    if (random() < 0.2) return index % 2 === 0 ? faults.serverError(500) : faults.reset();
    const all = body['messages'] as Wire;
    const system = String(all.find((m) => m.role === 'system')?.content ?? '');
    const messages = all.filter((m) => m.role !== 'system');
    if (system.includes('role-playing a customer')) {
      const spoken = messages.filter((m) => m.role === 'assistant').length;
      const amount = /deposit (\d+) into/.exec(system)?.[1] ?? '?';
      if (spoken === 0) return { text: GREETING };
      if (spoken === 1) return { text: `Account A1, please deposit ${amount}.` };
      return { text: 'Thanks! ###STOP###' };
    }
    const last = messages.at(-1);
    if (last?.role === 'tool') return { text: 'Done: the deposit is made. Anything else?' };
    const said = String(last?.content ?? '');
    const amount = /deposit (\d+)\./.exec(said)?.[1];
    if (amount !== undefined) return { toolCalls: [{ name: 'deposit', rawArguments: `{"account_id": "A1", "amount": ${amount}}` }] };
    return { text: `Happy to help (ticket ${++ticket}). Which account, and how much?` };
  };
}

function bankRunIo(server: FakeOpenAIServer): CapturedRunIo {
  return capturedRunIo({
    domains: { bank },
    modelOptions: {
      env: { OPENAI_API_KEY: 'sk-test-replay', OPENAI_BASE_URL: server.url },
      retry: { baseDelayMs: 1, maxDelayMs: 4 },
      limiters: new LimiterRegistry(),
    },
  });
}

function bankReplayIo(): Captured<ReplayIo> {
  return capture({ domains: { bank }, agents: AGENTS, users: USERS }) as Captured<ReplayIo>;
}

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('taubp replay: a run against a faulty provider with identical requests across episodes', () => {
  for (const cache of ['off', 'read-write'] as const) {
    it(`replays 20/20 episodes byte-identical with the server stopped (cache ${cache}), at $0 beside the original cost`, async () => {
      const data = askingBankData(10);
      const root = tmp('taubp-replay-');
      const recorded = join(root, 'recorded');
      server = await FakeOpenAIServer.start(bankPlayer(cache === 'off' ? 7 : 11));
      const run = bankRunIo(server);
      const code = await runRun(
        ['--domain', 'bank', '--data', data, '--model', 'openai:gpt-4o', '--user', 'llm', '--trials', '2', '--concurrency', '4',
          '--cache', cache, '--cache-dir', join(root, 'cache'), '--out', recorded],
        run.io,
      );
      expect(code, run.err()).toBe(0);
      const records = episodes(recorded);
      expect(records).toHaveLength(20);
      expect(records.every((r) => r.reward === 1), run.out()).toBe(true);
      // The faults happened and were absorbed by retries.
      const calls = records.flatMap((r) => r.calls);
      const served = server.requests.length;
      expect(served).toBeGreaterThan(calls.filter((c) => !c.cached).length);
      if (cache === 'off') {
        expect(calls.some((c) => c.retries > 0)).toBe(true);
        // Identical first agent requests across tasks, answered differently.
        const firstAgent = records.filter((r) => r.trial === 0).map((r) => r.calls.find((c) => c.role === 'agent' && c.seq === 0));
        expect(new Set(firstAgent.map((c) => c?.requestHash)).size).toBe(1);
        expect(new Set(firstAgent.map((c) => c?.response?.text)).size).toBe(10);
      } else {
        expect(calls.some((c) => c.cached)).toBe(true);
      }
      await server.close();
      server = undefined;

      const replayed = join(root, 'replayed');
      const replay = bankReplayIo();
      const status = await runReplay([recorded, '--out', replayed], replay.io);
      expect(status, replay.out() + replay.err()).toBe(0);
      expect(replay.out()).toMatch(/20\/20 episode\(s\) identical to the record/);
      // (4) the replay's own cost is $0, the original run's is shown beside it.
      const original = calls.reduce((sum, c) => sum + (c.costUsd ?? Number.NaN), 0);
      expect(original).toBeGreaterThan(0);
      const shownCost = /cost: \$0\.0000 \(replay; no provider calls\); the original run: \$(\d+\.\d{4})\n/.exec(replay.out());
      expect(shownCost, replay.out()).not.toBeNull();
      expect(Math.abs(Number(shownCost?.[1]) - original)).toBeLessThanOrEqual(0.00005 + 1e-12);
      const summary = JSON.parse(readFileSync(join(replayed, 'summary.json'), 'utf8')) as { usage: { total: { costUsd: number | null; calls: number } } };
      expect(summary.usage.total.costUsd).toBe(0);
      expect(summary.usage.total.calls).toBe(calls.length);
      const replayOf = readManifest(replayed).metadata.replayOf;
      expect(replayOf?.dir).toBe(recorded);
      expect(replayOf?.costUsd).toBeCloseTo(original, 12);

      // Independently of the command's own check: every replayed episode equals its record.
      const before = comparable(recorded);
      const after = comparable(replayed);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [key, text] of before) expect(after.get(key), key).toBe(text);
    }, 60_000);
  }

  it('replays episodes that ended on a model failure after retries (infrastructure error, rejected request) identically', async () => {
    const data = askingBankData(4);
    const recorded = join(tmp('taubp-replay-'), 'recorded');
    let calls = 0;
    const flaky = new ScriptedModel((request) => {
      calls++;
      const task = request.privileged?.task as Task;
      const turn = request.messages.filter((m) => m.role === 'assistant').length;
      if (task.index === 1) return { throw: new ProviderError('test:flaky: HTTP 503 (after 6 retries)') };
      if (task.index === 2 && turn === 1) return { throw: new ProviderError('test:flaky: HTTP 400 context length exceeded', { code: 'provider_rejected' }) };
      return { text: turn === 0 ? `How much (call ${calls})?` : 'Done.' };
    });
    const users = { ...USERS, scripted: scriptedUser('Hi, I need to make a deposit.', ['Deposit 1, please.', '###STOP###']) };
    const run = capturedRunIo({ domains: { bank }, users, createModel: () => flaky });
    await runRun(['--domain', 'bank', '--data', data, '--model', 'test:flaky', '--user', 'scripted', '--concurrency', '1', '--out', recorded], run.io);
    const reasons = episodes(recorded).map((r) => [r.taskId, r.termination.reason, r.termination.code ?? null]);
    expect(reasons).toContainEqual(['1', 'infrastructure_error', 'provider_error']);
    expect(reasons).toContainEqual(['2', 'agent_error', 'provider_rejected']);

    const replay = capture({ domains: { bank }, agents: AGENTS, users }) as Captured<ReplayIo>;
    expect(await runReplay([recorded], replay.io), replay.out()).toBe(0);
    expect(replay.out()).toMatch(/4\/4 episode\(s\) identical/);
  });

  it('refuses runs recorded without responses, and runs whose inputs changed', async () => {
    const data = askingBankData(2);
    const root = tmp('taubp-replay-');
    const recorded = join(root, 'recorded');
    server = await FakeOpenAIServer.start(bankPlayer(3));
    const run = bankRunIo(server);
    expect(await runRun(['--domain', 'bank', '--data', data, '--model', 'openai:gpt-4o', '--user', 'llm', '--out', recorded], run.io), run.err()).toBe(0);
    await server.close();
    server = undefined;

    // Inputs changed: the replay names the file and runs nothing.
    const accounts = join(data, 'accounts.json');
    const original = readFileSync(accounts, 'utf8');
    writeFileSync(accounts, original.replace('"balance": 10', '"balance": 11'));
    const changed = runReplay([recorded], bankReplayIo().io);
    await expect(changed).rejects.toThrow(ConfigError);
    await expect(runReplay([recorded], bankReplayIo().io)).rejects.toThrow(/inputs changed since it was recorded[\s\S]*changed: .*accounts\.json/);
    writeFileSync(accounts, original);
    expect(await runReplay([recorded], bankReplayIo().io)).toBe(0);

    // --out: a folder holding anything is refused untouched; one another writer holds is refused.
    const busy = tmp('taubp-replay-busy-');
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    await expect(runReplay([recorded, '--out', busy], bankReplayIo().io)).rejects.toThrow(/--out .* is not empty/);
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
    const locked = join(tmp('taubp-replay-locked-'), 'out');
    const holder = acquireRunLock(locked, { command: 'taubp run' });
    try {
      await expect(runReplay([recorded, '--out', locked], bankReplayIo().io)).rejects.toThrow(RunLockedError);
    } finally {
      holder.release();
    }
    expect(await runReplay([recorded, '--out', locked], bankReplayIo().io)).toBe(0);

    // A record from before responses were kept.
    const file = join(recorded, 'episodes.jsonl');
    const old = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => {
        const r = JSON.parse(line) as EpisodeRecord;
        return JSON.stringify({ ...r, calls: r.calls.map(({ seq: _s, requestHash: _h, response: _r, ...c }) => c) });
      });
    writeFileSync(file, `${old.join('\n')}\n`);
    await expect(runReplay([recorded], bankReplayIo().io)).rejects.toThrow(/2 of 2 episode\(s\) .* cannot be replayed:\n {2}task \d+ trial 0: .* recorded without their response/);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// (2): the order-desk blueprint (src/blueprint/testing) on the fake orders domain; sub-tasks
// answered by an in-process model. Replayed with one node of the blueprint altered.
// ---------------------------------------------------------------------------------------------

const orders = oneTableDomain({ name: 'fake', table: 'orders', row: z.object({ status: z.string() }).loose(), registry: fakeRegistry() });

function ordersData(tasks: number): string {
  const data = tmp('taubp-replay-orders-');
  writeFileSync(
    join(data, 'orders.json'),
    JSON.stringify({
      '#1': { order_id: '#1', status: 'pending', total: 12.5, items: ['mug'] },
      '#2': { order_id: '#2', status: 'delivered', total: 30, items: ['lamp', 'bulb'] },
      '#3': { order_id: '#3', status: 'pending', total: 7.5, items: ['pen'] },
    }),
  );
  writeFileSync(join(data, 'wiki.md'), '# Order desk policy\nCancel only pending orders, after a yes.');
  const list = Array.from({ length: tasks }, (_, i) => ({ user_id: `u${i}`, instruction: `Order desk script ${i}.`, actions: [], outputs: [] }));
  writeFileSync(join(data, 'tasks_test.json'), JSON.stringify(list));
  return data;
}

/** The customer of an order-desk script, chosen by the task's index. */
const deskCustomer: UserSimulatorEntry = {
  needsModel: false,
  summary: 'order-desk script',
  create: () => {
    let play: ((agentText: string) => string) | undefined;
    return {
      async start(task: Task) {
        const script = deskUser(makeScript(task.index));
        play = script.user;
        return script.first;
      },
      async reply(agentText: string) {
        const text = (play as (t: string) => string)(agentText);
        return { text, done: text === '###STOP###' };
      },
    };
  },
};

/** Sub-task answers for every episode, from its task's script (no noise). */
function deskModel(): ChatModel {
  return {
    id: 'test:desk',
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const task = request.privileged?.task as Task;
      const text = scriptedModel({ ...makeScript(task.index), noise: 0 })(request);
      return { text, toolCalls: [], finishReason: 'stop', usage: { input: 50, output: 5 }, latencyMs: 1, costUsd: 0.0001, retries: 0, retryWaitMs: 0, model: 'test:desk' };
    },
  };
}

const deskUsers = { ...USERS, desk: deskCustomer, scripted: scriptedUser(null, []) };

/** The order desk with one node replaced. */
function alteredDesk(id: string, change: (node: Record<string, unknown>) => Record<string, unknown>) {
  return defineBlueprint({ ...orderDesk, nodes: orderDesk.nodes.map((n) => (n.id === id ? change({ ...n }) : n)) } as unknown as Parameters<typeof defineBlueprint>[0]);
}

async function recordDeskRun(tasks: number): Promise<string> {
  const data = ordersData(tasks);
  const recorded = join(tmp('taubp-replay-desk-'), 'recorded');
  const run = capturedRunIo({ domains: { fake: orders }, agents: { desk: blueprintAgentEntry({ fake: orderDesk }) }, users: deskUsers, createModel: () => deskModel() });
  const code = await runRun(['--domain', 'fake', '--data', data, '--agent', 'desk', '--model', 'test:desk', '--user', 'desk', '--out', recorded], run.io);
  expect(code, run.err()).toBe(0);
  return recorded;
}

function deskReplayIo(blueprint: ReturnType<typeof alteredDesk> | typeof orderDesk): Captured<ReplayIo> {
  return capture({ domains: { fake: orders }, agents: { desk: blueprintAgentEntry({ fake: blueprint }) }, users: deskUsers }) as Captured<ReplayIo>;
}

describe('taubp replay: a changed blueprint', () => {
  it('replays the unchanged blueprint identically, and reports the first differing step of an altered one with exit 1', async () => {
    const recorded = await recordDeskRun(8);
    const records = episodes(recorded);
    expect(records.some((r) => r.calls.some((c) => c.role === 'subtask'))).toBe(true);

    const same = deskReplayIo(orderDesk);
    expect(await runReplay([recorded], same.io), same.out()).toBe(0);
    expect(same.out()).toMatch(/8\/8 episode\(s\) identical/);

    // One say node words the status differently.
    const changed = alteredDesk('tell_status', (n) => ({ ...n, text: (c: { orderId: string | null; order: { status?: unknown } | null }) => `Order ${c.orderId} is currently ${String(c.order?.status)}. Anything else?` }));
    const replay = deskReplayIo(changed);
    expect(await runReplay([recorded], replay.io)).toBe(1);
    const out = replay.out();
    const affected = records.filter((r) => r.trajectory.some((e) => e.type === 'message' && e.from === 'agent' && / is (pending|delivered|cancelled)\. Anything else\?$/.test(e.text)));
    expect(affected.length).toBeGreaterThan(0);
    const first = affected[0] as EpisodeRecord;
    const index = first.trajectory.findIndex((e) => e.type === 'message' && e.from === 'agent' && / is \w+\. Anything else\?$/.test(e.text));
    const event = first.trajectory[index] as { text: string };
    // The blueprint's code hash (its first note) differs first; the conversation's first differing step is named too.
    expect(out).toContain(`task ${first.taskId} trial 0: step 2 (note blueprint): data.codeHash recorded`);
    expect(out).toContain(
      `first differing conversation step: step ${index + 1} (agent message): recorded "${event.text}" ≠ replayed "${event.text.replace(/ is (\w+)\./, ' is currently $1.')}"`,
    );
    expect(out).toMatch(/\d\/8 episode\(s\) identical/);
  }, 60_000);

  it('reports a sub-task whose prompt changed as a divergent request', async () => {
    const recorded = await recordDeskRun(3);
    const changed = alteredDesk('classify', (n) => ({ ...n, instructions: 'Classify the customer request (changed wording).' }));
    const replay = deskReplayIo(changed);
    expect(await runReplay([recorded], replay.io)).toBe(1);
    expect(replay.out()).toMatch(/model call diverged: subtask call 1 of task \d+ trial 0 sent a different request \(hash [0-9a-f]{16}, recorded [0-9a-f]{16}\)/);
    expect(replay.out()).toMatch(/termination: recorded \{"reason":"[a-z_]+"[^}]*\} ≠ replayed \{"reason":"agent_error","message":"replay: subtask call 1/);
  }, 60_000);
});
