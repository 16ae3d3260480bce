import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quietRunIo } from '../../test/quiet-run-io.js';
import { sharedPath } from '../../test/shared-data.js';
import { runRun } from '../cli/commands/run.js';
import { readManifest } from '../runner/results.js';
import { ScriptedModel } from '../runner/testing/fixtures.js';
import { loadTau2ReferencePack } from './tau2-reference.js';
import { packToolSpecs, renderTemplate } from './pack.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('taubp run on a τ² checkout', () => {
  const out = mkdtempSync(join(tmpdir(), 'taubp-tau2-run-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('uses the τ² reference pack by default: agent and user see τ²’s text, users get temperature 0', async () => {
    const checkout = sharedPath('tau2-bench');
    const agent = new ScriptedModel(() => ({ text: 'Could you give me your order id?' }));
    const user = new ScriptedModel((_, i) => ({ text: i === 0 ? 'I want to return an item.' : '###STOP###' }));
    const io = quietRunIo();
    io.createModel = (spec) => (spec.endsWith(':user') ? user : agent);
    const dir = join(out, 'r');
    const code = await runRun(
      ['--domain', 'retail', '--data', checkout, '--split', 'base', '--tasks', '0', '--agent', 'tool-calling', '--model', 'openai:agent', '--user', 'llm', '--user-model', 'openai:user', '--out', dir],
      io,
    );
    expect(code).toBe(0);
    const pack = loadTau2ReferencePack(checkout, 'retail');
    const policy = readFileSync(join(checkout, 'data/tau2/domains/retail/policy.md'), 'utf8');
    const agentRequest = agent.requests[0];
    expect(agentRequest?.system).toBe(renderTemplate(pack.agent.toolCallingSystem, { policy }));
    expect(agentRequest?.tools?.map((t) => t.name)).toEqual(packToolSpecs(pack).map((t) => t.name));
    // τ²'s flow: the agent's greeting is the first assistant turn the agent model sees.
    expect(agentRequest?.messages[0]).toEqual({ role: 'assistant', content: 'Hi! How can I help you today?' });
    // The user prompt of task 0, pinned in tau2-reference.test.ts.
    expect(sha256(user.requests[0]?.system ?? '')).toBe('4cd0c91d5866dc92c70b54557b97c85fafff3f95bec5663a231ba6121876f1ab');
    expect(user.requests[0]?.temperature).toBe(0);
    const manifest = readManifest(dir);
    expect(manifest.config.prompts).toBe('reference');
    expect(manifest.config.userTemperature).toBe(0);
    expect(manifest.metadata.prompts?.source).toBe(`τ² checkout at ${checkout} (retail)`);
  });
});
