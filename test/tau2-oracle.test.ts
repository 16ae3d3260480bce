/**
 * Oracle mode on the τ² task sources (blueprint + sim at p = 0 + scripted customer): τ² retail on
 * its own db.json, τ² airline on the v1 tables with the τ² tools. The shared data has no policy
 * text, so a placeholder policy file is passed (the blueprints do not depend on it).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRun } from '../src/cli/commands/run.js';
import type { CreateModelOptions } from '../src/models/create-model.js';
import { quietRunIo } from './quiet-run-io.js';
import { FakeOpenAIServer } from '../src/models/fake/index.js';
import type { RunSummary } from '../src/runner/summary.js';
import { sharedPath } from './shared-data.js';

async function oracleRun(domain: string, extra: string[], modelOptions?: CreateModelOptions): Promise<RunSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'taubp-tau2-'));
  const policy = join(dir, 'policy.md');
  writeFileSync(policy, 'placeholder policy (the τ² policy text is not in the shared data)\n');
  const out = join(dir, 'run');
  const io = quietRunIo(modelOptions);
  const args = ['--domain', domain, ...extra, '--split', 'base', '--agent', 'blueprint', '--model', 'sim', '--user', 'scripted', '--concurrency', '8', '--policy', policy, '--out', out];
  expect(await runRun(args, io)).toBe(0);
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
}

describe('oracle mode on τ² tasks', () => {
  it('τ² retail: every scored task reaches reward 1 (NL-assertion tasks are unscored without a judge)', async () => {
    const s = await oracleRun('retail', ['--data', sharedPath('tau2', 'retail')]);
    expect(s.results.episodes).toBe(114);
    expect(s.results.counted + s.results.unscored).toBe(114);
    expect(s.results.counted).toBeGreaterThanOrEqual(70);
    expect(s.results.passHatK['1']).toBe(1);
  });

  it('τ² retail with an LLM judge (fake OpenAI server): NL-assertion tasks are scored and the judge role is counted', async () => {
    const server = await FakeOpenAIServer.start((body) => {
      const messages = body.messages as Array<{ content: string }>;
      const asked = (messages.at(-1)?.content ?? '').split('Assertions:\n')[1]?.split('\n').filter((l) => /^\d+\. /.test(l)) ?? [];
      return { structured: { results: asked.map((a) => ({ assertion: a.replace(/^\d+\. /, ''), reasoning: 'shown in the conversation', met: true })) } };
    });
    try {
      const s = await oracleRun('retail', ['--data', sharedPath('tau2', 'retail'), '--judge-model', 'openai:gpt-4.1', '--judge-base-url', server.url], { apiKey: 'sk-test-judge' });
      expect(s.results.unscored).toBe(0);
      expect(s.results.counted).toBe(114);
      expect(s.results.passHatK['1']).toBe(1);
      expect(s.usage.byRole.judge?.calls).toBe(server.requestCount);
      expect(server.requestCount).toBeGreaterThanOrEqual(30);
    } finally {
      await server.close();
    }
  });

  it('τ² airline on the v1 tables: every task reaches reward 1', async () => {
    const s = await oracleRun('airline', ['--data', sharedPath('tau2', 'airline'), '--db', sharedPath('taubench', 'airline')]);
    expect(s.results.counted).toBe(50);
    expect(s.results.passHatK['1']).toBe(1);
  });
});
