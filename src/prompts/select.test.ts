import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRun } from '../cli/commands/run.js';
import { detectTaskSource } from '../env/tasks/source.js';
import { toOpenAIBody } from '../models/openai-provider.js';
import { FakeOpenAIServer } from '../models/fake/fake-openai-server.js';
import { readManifest } from '../runner/results.js';
import { quietRunIo } from '../../test/quiet-run-io.js';
import { sharedPath } from '../../test/shared-data.js';
import { buildPromptPack, defaultPackKind, parsePackKind } from './select.js';

const CHECKOUT = sharedPath('tau-bench');
const V1_DATA = sharedPath('taubench');
const out = (): string => join(mkdtempSync(join(tmpdir(), 'taubp-pack-')), 'run');

describe('choosing the prompt pack', () => {
  it('defaults to reference for a τ-bench checkout and to harness for v1 data and the built-in suite', () => {
    expect(defaultPackKind(detectTaskSource(CHECKOUT, 'retail'))).toBe('reference');
    expect(defaultPackKind(detectTaskSource(V1_DATA, 'retail'))).toBe('harness');
    expect(defaultPackKind(undefined)).toBe('harness');
    expect(parsePackKind('harness')).toBe('harness');
    expect(() => parsePackKind('tau')).toThrow(/--prompts must be one of reference, harness, got "tau"/);
  });

  it('refuses reference prompts for data without a checkout, naming the way out', () => {
    expect(() => buildPromptPack({ kind: 'reference', source: detectTaskSource(V1_DATA, 'retail'), domain: 'retail', tools: [] })).toThrow(
      /--prompts reference needs --data to be a τ-bench checkout.*Use --prompts harness/,
    );
    expect(() => buildPromptPack({ kind: 'reference', source: undefined, domain: 'retail', tools: [] })).toThrow(/the built-in suite has none/);
  });

  it('a built-in-suite run uses and records the harness pack; reference on it is a usage error', async () => {
    const dir = out();
    const args = ['--domain', 'retail', '--data', 'builtin', '--tasks', '0', '--model', 'sim', '--user', 'scripted', '--concurrency', '1'];
    expect(await runRun([...args, '--out', dir], quietRunIo())).toBe(0);
    const m = readManifest(dir);
    expect(m.config.prompts).toBe('harness');
    expect(m.metadata.prompts).toMatchObject({ kind: 'harness', source: 'harness' });
    expect(Object.keys(m.metadata.prompts?.sha256 ?? {})).toEqual(expect.arrayContaining(['tools', 'agent.toolCallingSystem', 'agent.reactInstruction', 'behaviour']));
    await expect(runRun([...args, '--prompts', 'reference', '--out', out()], quietRunIo())).rejects.toThrow(/--prompts reference needs --data to be a τ-bench checkout/);
  });

  it('checkout data runs reference by default and harness on request, and records each', async () => {
    const base = ['--domain', 'retail', '--data', CHECKOUT, '--tasks', '0', '--model', 'sim', '--user', 'scripted', '--concurrency', '1'];
    const ref = out();
    expect(await runRun([...base, '--out', ref], quietRunIo())).toBe(0);
    expect(readManifest(ref).metadata.prompts).toMatchObject({ kind: 'reference', source: expect.stringContaining('tau-bench v1 checkout') });
    const harness = out();
    expect(await runRun([...base, '--prompts', 'harness', '--out', harness], quietRunIo())).toBe(0);
    expect(readManifest(harness).metadata.prompts?.kind).toBe('harness');
    expect(readManifest(harness).metadata.prompts?.sha256['tools']).not.toBe(readManifest(ref).metadata.prompts?.sha256['tools']);
    // Resuming with another pack kind is refused.
    await expect(runRun(['--resume', '--out', ref, '--prompts', 'harness'], quietRunIo())).rejects.toThrow(/settings differ .*\n\s*prompts: "reference" ≠ "harness"/);
  });

  it('resuming is refused when the checkout\'s prompt text changed since the run started', async () => {
    const root = mkdtempSync(join(tmpdir(), 'taubp-pack-checkout-'));
    cpSync(join(CHECKOUT, 'tau_bench'), join(root, 'tau_bench'), { recursive: true });
    const dir = out();
    const args = ['--domain', 'retail', '--data', root, '--tasks', '0', '--model', 'sim', '--user', 'scripted', '--concurrency', '1', '--trials', '2'];
    expect(await runRun([...args, '--out', dir], quietRunIo())).toBe(0);
    const tool = join(root, 'tau_bench', 'envs', 'retail', 'tools', 'think.py');
    writeFileSync(tool, readFileSync(tool, 'utf8').replace('"description": "', '"description": "Changed. '));
    await expect(runRun(['--resume', '--out', dir, '--trials', '2'], quietRunIo())).rejects.toThrow(/the prompt pack changed \(reference → reference, or its text\)/);
  });
});

describe('max tokens', () => {
  it('a reference run sends none unless --max-tokens is given; a harness run sends 4096', async () => {
    const server = await FakeOpenAIServer.start(() => ({ text: 'Hello.' }));
    try {
      const args = ['--domain', 'retail', '--data', CHECKOUT, '--tasks', '0', '--model', 'openai:gpt-4o', '--base-url', server.url, '--user', 'scripted', '--max-steps', '1', '--concurrency', '1'];
      const io = quietRunIo({ env: { OPENAI_API_KEY: 'sk-test' } });
      await runRun([...args, '--out', out()], io);
      await runRun([...args, '--max-tokens', '77', '--out', out()], io);
      await runRun([...args, '--prompts', 'harness', '--out', out()], io);
      const sent = server.requests.map((r) => r.body['max_completion_tokens']);
      expect(sent).toEqual([undefined, 77, 4096]);
    } finally {
      await server.close();
    }
  });
});

describe('the OpenAI wire format in reference mode', () => {
  const request = {
    system: 'S',
    messages: [
      { role: 'user' as const, content: 'u' },
      { role: 'assistant' as const, content: null, toolCalls: [{ id: 'c1', name: 't', arguments: '{}' }] },
      { role: 'tool' as const, toolCallId: 'c1', name: 't', content: 'r' },
    ],
  };
  it('sends no max-tokens field when the default is null, and names tool messages when asked', () => {
    const body = toOpenAIBody('gpt-4o', request, { maxTokensParam: 'max_completion_tokens', defaultMaxTokens: null, toolMessageName: true }) as unknown as Record<string, unknown>;
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect((body['messages'] as unknown[])[3]).toEqual({ role: 'tool', tool_call_id: 'c1', name: 't', content: 'r' });
    const harness = toOpenAIBody('gpt-4o', { ...request, maxTokens: 50 }, { maxTokensParam: 'max_completion_tokens', defaultMaxTokens: null }) as unknown as Record<string, unknown>;
    expect(harness['max_completion_tokens']).toBe(50);
    expect((harness['messages'] as unknown[])[3]).toEqual({ role: 'tool', tool_call_id: 'c1', content: 'r' });
  });
});
