import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatModel } from '../models/types.js';
import { defineAgent, definePlugin } from '../plugin/define.js';
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

  it('rejects bad options with the command’s errors', async () => {
    await expect(runBenchmark({ domain: 'retail', data: 'builtin', model: 'sim', agent: 'blueprnt', user: 'scripted', out: join(root, 'bad') })).rejects.toThrow('unknown agent "blueprnt" (did you mean "blueprint"?)');
    await expect(runBenchmark({ domain: 'retail', data: 'builtin', model: 'sim', nope: 1 } as never)).rejects.toThrow('unknown option --nope');
  });
});
