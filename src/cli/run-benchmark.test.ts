import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fakeRegistry } from '../blueprint/testing/fake-domain.js';
import type { UserSimulatorEntry } from '../contract/user.js';
import type { ChatModel } from '../models/types.js';
import { defineAgent, definePlugin } from '../plugin/define.js';
import { oneTableDomain } from './commands/testing/one-table-domain.js';
import { benchmarkArgv, runBenchmark } from './run-benchmark.js';

const root = mkdtempSync(join(tmpdir(), 'taubp-run-benchmark-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('benchmarkArgv', () => {
  it('turns camelCase options into taubp run flags', () => {
    expect(
      benchmarkArgv({ domain: 'retail', data: 'builtin', model: 'sim', maxSteps: 20, allToolCalls: true, resume: false, tasks: [0, 2], agentSettings: { replies: 'llm', maxNodeVisits: 50 }, log: () => {} }),
    ).toEqual(['--domain', 'retail', '--data', 'builtin', '--model', 'sim', '--max-steps', '20', '--all-tool-calls', '--tasks', '0,2', '--agent-setting', 'replies="llm"', '--agent-setting', 'maxNodeVisits=50']);
  });
});

describe('runBenchmark', () => {
  it('runs what taubp run runs with a plug-in object and resolves to the summary it wrote', async () => {
    const hangUp = defineAgent({ summary: 'transfers at once', create: () => ({ name: 'hang-up', run: async (s) => void (await s.callTool('transfer_to_human_agents', { summary: 'bye' })) }) });
    const out = join(root, 'hang-up');
    const lines: string[] = [];
    const summary = await runBenchmark({
      plugins: [definePlugin({ name: 'hang-up-plugin', agents: { 'hang-up': hangUp } })],
      domain: 'retail',
      data: 'builtin',
      agent: 'hang-up',
      model: 'sim',
      user: 'scripted',
      tasks: '0-2',
      out,
      log: (t) => void lines.push(t),
    });
    expect(summary.config).toMatchObject({ agent: 'hang-up', tasks: '0-2', trials: 1 });
    expect(summary.results.counted).toBe(3);
    expect(summary.results.passHatK['1']).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(lines.join('')).toContain(`Results: ${out}`);
  });

  it('a plug-in provider serves --model <name>:<model> (offline: no limiter, retries or cache)', async () => {
    const seen: string[] = [];
    const canned: ChatModel = {
      id: 'canned:bye',
      async complete(request) {
        seen.push(request.system?.slice(0, 5) ?? '');
        return { text: 'Goodbye!', toolCalls: [], finishReason: 'stop', usage: { input: 1, output: 1 }, latencyMs: 0, costUsd: 0, retries: 0, retryWaitMs: 0, model: 'canned:bye' };
      },
    };
    const summary = await runBenchmark({
      plugins: [definePlugin({ name: 'canned-provider', providers: { canned: { factory: () => canned, offline: true } } })],
      domain: 'retail',
      data: 'builtin',
      agent: 'tool-calling',
      model: 'canned:bye',
      user: 'scripted',
      tasks: '0',
      maxSteps: 3,
      out: join(root, 'canned'),
    });
    expect(summary.config.model).toBe('canned:bye');
    expect(summary.results.counted).toBe(1);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('a plug-in domain with a built-in suite, user simulator and agent runs like a built-in one', async () => {
    const dir = join(root, 'desk-data');
    mkdirSync(dir);
    writeFileSync(join(dir, 'orders.json'), JSON.stringify({ '#1': { order_id: '#1', status: 'pending' } }));
    writeFileSync(join(dir, 'tasks_test.json'), JSON.stringify([{ user_id: 'u0', instruction: 'Ask for order #1.', actions: [], outputs: [] }]));
    const desk = oneTableDomain({ name: 'desk', table: 'orders', row: z.object({ status: z.string() }).loose(), registry: fakeRegistry() });
    const asker: UserSimulatorEntry = {
      needsModel: false,
      summary: 'asks once, then stops',
      create: () => ({ start: async () => 'What is the status of #1?', reply: async () => ({ text: '###STOP###', done: true, reason: 'user_stop' }) }),
    };
    const clerk = defineAgent({
      summary: 'looks the order up and says its status',
      create: () => ({
        name: 'clerk',
        run: async (session) => {
          const r = await session.callTool('get_order', { order_id: '#1' });
          await session.say(`Order #1: ${r.observation}`);
        },
      }),
    });
    const summary = await runBenchmark({
      plugins: [
        definePlugin({
          name: 'desk-domain',
          domains: [{ domain: desk, builtin: { load: () => ({ data: desk.loadDb(dir), tasks: desk.loadTasks(dir, 'test'), policy: 'Answer order questions.' }), policyFile: join(dir, 'orders.json') } }],
          users: { asker },
          agents: { clerk },
        }),
      ],
      domain: 'desk',
      data: 'builtin',
      agent: 'clerk',
      model: 'sim',
      user: 'asker',
      out: join(root, 'desk-run'),
    });
    expect(summary.config).toMatchObject({ domain: 'desk', agent: 'clerk', user: 'asker' });
    expect(summary.results.passHatK).toEqual({ '1': 1 });
    const record = JSON.parse(readFileSync(join(root, 'desk-run', 'episodes.jsonl'), 'utf8').split('\n')[0] ?? '') as { toolCalls: number; termination: { reason: string } };
    expect(record).toMatchObject({ toolCalls: 1, termination: { reason: 'user_stop' } });
  });

  it('rejects bad options with the command’s errors', async () => {
    await expect(runBenchmark({ domain: 'retail', data: 'builtin', model: 'sim', agent: 'blueprnt', user: 'scripted', out: join(root, 'bad') })).rejects.toThrow('unknown agent "blueprnt" (did you mean "blueprint"?)');
    await expect(runBenchmark({ domain: 'retail', data: 'builtin', model: 'sim', nope: 1 } as never)).rejects.toThrow('unknown option --nope');
  });
});
