/**
 * The baselines under a reference pack's behaviour (τ-bench's): text without a parsable action
 * is a message to the user, an action without name/arguments ends the episode, malformed
 * tool-call JSON ends it with reward 0, and few-shot examples are drawn per episode with
 * Python's random.sample. The pack here is synthetic (the harness's words with the reference
 * behaviour); the real reference pack is exercised by src/prompts/request-conformance.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARNESS_AGENT_PROMPTS, harnessPack } from '../src/prompts/harness.js';
import type { PromptPack } from '../src/prompts/pack.js';
import { v1Behaviour } from '../src/prompts/v1-reference.js';
import { sequenceModel } from '../src/runner/testing/fixtures.js';
import { ChatReActAgent } from './chat-react.js';
import { BASELINE_AGENTS } from './index.js';
import { toyEpisode, toyEpisodeRegistry } from './testing/toy-episode.js';

const pack: PromptPack = {
  ...harnessPack(toyEpisodeRegistry.specs()),
  kind: 'reference',
  source: 'test',
  agent: { ...HARNESS_AGENT_PROMPTS, toolObservation: 'OBS: {{observation}}', parseError: '' },
  behaviour: v1Behaviour(5),
};

describe('text actions under the reference behaviour', () => {
  it('sends a reply without a parsable action to the user as it stands, and formats tool results with the pack', async () => {
    const model = sequenceModel([
      { text: 'Action:\n{"name": "get_balance", "arguments": {"account_id": "A1"}}' },
      { text: '  Let me check that for you.  ' },
      { text: 'Action: {"name": "respond", "arguments": {"content": "Bye"}}' },
    ]);
    const record = await toyEpisode({ agent: new ChatReActAgent({ withThought: true, pack }), models: { agent: model } });
    expect(model.requests[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'OBS: {"id": "A1", "balance": 10}' });
    expect(model.requests[2]?.messages.slice(-2)).toEqual([
      { role: 'assistant', content: '  Let me check that for you.  ' },
      { role: 'user', content: 'yes' },
    ]);
    const said = record.trajectory.filter((e) => e.type === 'message' && e.from === 'agent').map((e) => (e as { text: string }).text);
    expect(said[0]).toBe('Let me check that for you.');
    expect(record.trajectory.some((e) => e.type === 'note' && e.kind === 'action_parse_error')).toBe(false);
  });

  it('ends the episode as the agent\'s failure on an action without "name" and "arguments"', async () => {
    const model = sequenceModel([{ text: 'Action: {"arguments": {}}' }]);
    const record = await toyEpisode({ agent: new ChatReActAgent({ withThought: false, pack }), models: { agent: model } });
    expect(record.termination.reason).toBe('agent_error');
    expect(record.reward).toBe(0);
    expect(model.requests).toHaveLength(1);
  });
});

describe('tool calling under the reference behaviour', () => {
  it('ends the episode with reward 0 on malformed tool-call JSON, making no further call', async () => {
    const model = sequenceModel([{ toolCalls: [{ name: 'get_balance', arguments: {}, raw: '{not json' }] }, { text: 'never asked' }]);
    const agent = BASELINE_AGENTS['tool-calling']!.create({ seed: 1, settings: {}, pack });
    const record = await toyEpisode({ agent, models: { agent: model } });
    expect(record.termination.reason).toBe('agent_error');
    expect(record.reward).toBe(0);
    expect(model.requests).toHaveLength(1);
    // The harness pack answers with an error observation instead and goes on.
    const harnessModel = sequenceModel([{ toolCalls: [{ name: 'get_balance', arguments: {}, raw: '{not json' }] }, { text: '###' }]);
    await toyEpisode({ agent: BASELINE_AGENTS['tool-calling']!.create({ seed: 1, settings: {} }), models: { agent: harnessModel } });
    expect(harnessModel.requests.length).toBeGreaterThan(1);
    expect(harnessModel.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('not valid JSON') });
  });
});

describe('few-shot under the reference behaviour', () => {
  it('draws 5 examples per episode exactly as CPython random.sample after run.py seeds and constructs its environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fewshot-ref-'));
    const file = join(dir, 'examples.jsonl');
    writeFileSync(file, `${Array.from({ length: 69 }, (_, i) => JSON.stringify({ messages_display: `EX-${i}` })).join('\n')}\n`);
    const agent = BASELINE_AGENTS['few-shot']!.create({ seed: 10, settings: { fewShotFile: file }, pack, splitTaskCount: 115 });
    const drawn: number[][] = [];
    for (let e = 0; e < 3; e++) {
      const model = sequenceModel([{ text: 'ok' }]);
      await toyEpisode({ agent, models: { agent: model } });
      drawn.push([...(model.requests[0]?.system ?? '').matchAll(/EX-(\d+)/g)].map((m) => Number(m[1])));
    }
    // CPython 3.11: random.seed(10); random.randint(0, 115); then random.sample(range(69), 5) per episode.
    expect(drawn).toEqual([
      [4, 54, 61, 1, 26],
      [59, 62, 35, 20, 4],
      [66, 62, 41, 9, 31],
    ]);
  });

  it('needs at least as many examples as it shows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fewshot-ref-'));
    const file = join(dir, 'few.jsonl');
    writeFileSync(file, '{"messages_display": "A"}\n{"messages_display": "B"}\n');
    expect(() => BASELINE_AGENTS['few-shot']!.create({ seed: 10, settings: { fewShotFile: file }, pack, splitTaskCount: 115 })).toThrow(/has 2 examples, fewer than the 5 to show/);
  });
});
