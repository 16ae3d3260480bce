import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sequenceModel, type ScriptStep } from '../src/runner/testing/fixtures.js';
import { BASELINE_AGENTS } from './index.js';
import { toyEpisode } from './testing/toy-episode.js';
import { ChatReActAgent, MAX_CONSECUTIVE_PARSE_ERRORS, parseTextAction } from './chat-react.js';
import { readFewShotExamples, sampleExamples } from './few-shot.js';

describe('parseTextAction', () => {
  it('parses the JSON object after the last Action:', () => {
    const r = parseTextAction('Thought:\nlook up\nAction:\n{"name": "deposit", "arguments": {"account_id": "A1", "amount": 5}}');
    expect(r).toEqual({ ok: true, action: { name: 'deposit', arguments: { account_id: 'A1', amount: 5 }, rawArguments: '{"account_id": "A1", "amount": 5}' } });
    const fenced = parseTextAction('Action: x\nAction:\n```json\n{"name": "respond", "arguments": {"content": "a } b"}}\n```');
    expect(fenced.ok && fenced.action.arguments).toEqual({ content: 'a } b' });
  });

  it('keeps Python int/float distinction in arguments', () => {
    const r = parseTextAction('Action: {"name": "t", "arguments": {"x": 2.0}}');
    expect(r.ok && String((r.action.arguments['x'] as { value: number }).value)).toBe('2');
    expect(r.ok && r.action.rawArguments).toBe('{"x": 2.0}');
  });

  it('names what is wrong', () => {
    expect(parseTextAction('I will help you.')).toEqual({ ok: false, problem: 'no "Action:" found' });
    expect(parseTextAction('Action: respond')).toEqual({ ok: false, problem: 'no JSON object after "Action:"' });
    expect(parseTextAction('Action: {"name": "x", "arguments": {')).toEqual({ ok: false, problem: 'the JSON object after "Action:" is not closed' });
    expect(parseTextAction('Action: {"name": respond, "arguments": {}}')).toMatchObject({ ok: false, problem: expect.stringMatching(/not valid JSON/) });
    expect(parseTextAction('Action: {"arguments": {}}')).toEqual({ ok: false, problem: 'the action has no string "name"' });
    expect(parseTextAction('Action: {"name": "x", "arguments": [1]}')).toEqual({ ok: false, problem: '"arguments" is not a JSON object' });
  });
});

const reactGold: ScriptStep[] = [
  { text: 'Thought: find the account\nAction:\n{"name": "get_balance", "arguments": {"account_id": "A1"}}' },
  { text: 'Thought: confirm\nAction:\n{"name": "respond", "arguments": {"content": "Deposit 5 into A1?"}}' },
  { text: 'Thought: do it\nAction:\n{"name": "deposit", "arguments": {"account_id": "A1", "amount": 5}}' },
  { text: 'Thought: tell them\nAction:\n{"name": "respond", "arguments": {"content": "Done."}}' },
];

describe('react / act', () => {
  it('plays text actions to reward 1, showing results and replies as user turns', async () => {
    const model = sequenceModel(reactGold);
    const record = await toyEpisode({ agent: new ChatReActAgent({ withThought: true }), models: { agent: model } });
    expect(record.reward).toBe(1);
    expect(record.agent).toBe('react');
    expect(model.requests[0]?.tools).toBeUndefined();
    expect(model.requests[0]?.system).toContain('POLICY TEXT');
    expect(model.requests[0]?.system).toContain('"name": "deposit"');
    expect(model.requests[1]?.messages[2]).toEqual({ role: 'user', content: 'Result of get_balance:\n{"id": "A1", "balance": 10}' });
    expect(model.requests[2]?.messages.at(-1)).toEqual({ role: 'user', content: 'yes' });
    const deposit = record.trajectory.find((e) => e.type === 'tool' && e.name === 'deposit');
    expect(deposit).toMatchObject({ arguments: '{"account_id": "A1", "amount": 5}' });
  });

  it('reports an unparsable reply back to the model and carries on', async () => {
    const model = sequenceModel([{ text: 'Sure, let me check.' }, ...reactGold]);
    const record = await toyEpisode({ agent: new ChatReActAgent({ withThought: true }), models: { agent: model } });
    expect(record.reward).toBe(1);
    expect(model.requests[1]?.messages.at(-1)).toMatchObject({ role: 'user', content: expect.stringContaining('could not be used: no "Action:" found') });
    expect(record.trajectory.some((e) => e.type === 'note' && e.kind === 'action_parse_error')).toBe(true);
  });

  it('gives up as agent_error after repeated unparsable replies', async () => {
    const model = sequenceModel([{ text: 'no action' }]);
    const record = await toyEpisode({ agent: new ChatReActAgent({ withThought: false }), models: { agent: model } });
    expect(record.termination.reason).toBe('agent_error');
    expect(model.requests).toHaveLength(MAX_CONSECUTIVE_PARSE_ERRORS);
    expect(model.requests[0]?.system).not.toContain('Thought:');
  });
});

describe('few-shot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fewshot-'));
  const file = join(dir, 'examples.jsonl');
  writeFileSync(file, ['{"messages_display": "EX-A"}', '{"display": "EX-B"}', '', '{"text": "EX-C"}'].join('\n'));

  it('reads examples and samples them deterministically', () => {
    expect(readFewShotExamples(file)).toEqual(['EX-A', 'EX-B', 'EX-C']);
    const a = sampleExamples(['1', '2', '3', '4', '5', '6'], 3, 10);
    expect(a).toHaveLength(3);
    expect(sampleExamples(['1', '2', '3', '4', '5', '6'], 3, 10)).toEqual(a);
    expect(sampleExamples(['1', '2'], 5, 10)).toEqual(['1', '2']);
  });

  it('puts the examples after the policy', async () => {
    const agent = BASELINE_AGENTS['few-shot']!.create({ seed: 1, settings: { fewShotFile: file, fewShotCount: 2 } });
    const model = sequenceModel([{ text: 'hello' }]);
    const record = await toyEpisode({ agent, models: { agent: model } });
    expect(record.agent).toBe('few-shot');
    const system = model.requests[0]?.system ?? '';
    expect(system.startsWith('POLICY TEXT\n\n# Example conversations')).toBe(true);
    expect(system.match(/EX-[ABC]/g)).toHaveLength(2);
    expect(model.requests[0]?.tools?.map((t) => t.name)).toEqual(['get_balance', 'deposit', 'transfer_to_human_agents']);
  });

  it('rejects a missing file, bad lines and unknown settings before any episode', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"messages_display": "ok"}\n{"other": 1}\n');
    expect(() => readFewShotExamples(bad)).toThrow(/bad.jsonl:2: expected a string field "messages_display"/);
    expect(() => BASELINE_AGENTS['few-shot']!.create({ seed: 1, settings: {} })).toThrow(/needs an examples file/);
    expect(() => BASELINE_AGENTS['few-shot']!.create({ seed: 1, settings: { fewShotFile: join(dir, 'nope.jsonl') } })).toThrow(/cannot read few-shot file/);
    expect(() => BASELINE_AGENTS['tool-calling']!.create({ seed: 1, settings: { bogus: true } })).toThrow(/agent "tool-calling": unknown setting "bogus"; tool-calling settings: allToolCalls/);
    expect(() => BASELINE_AGENTS['tool-calling']!.create({ seed: 1, settings: { allToolCall: true } })).toThrow('unknown setting "allToolCall" (did you mean "allToolCalls"?)');
    expect(() => BASELINE_AGENTS['tool-calling']!.create({ seed: 1, settings: { allToolCalls: 'yes' } })).toThrow(/agent "tool-calling": bad setting "allToolCalls"/);
    expect(() => BASELINE_AGENTS['react']!.create({ seed: 1, settings: { allToolCalls: true } })).toThrow(/agent "react": unknown setting "allToolCalls"; the react agent takes no settings/);
  });
});
