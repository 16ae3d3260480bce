import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../test/shared-data.js';
import type { Task } from '../core/task.js';
import { loadTaubenchPyTasks } from '../env/tasks/v1.js';
import { toOpenAIBody } from '../models/openai-provider.js';
import type { ChatRequest } from '../models/types.js';
import type { PromptPack } from '../prompts/pack.js';
import { readV1UserPrompts, v1UserPromptsOf, type V1UserStrategy } from '../prompts/v1-users.js';
import { ScriptedModel, toyTask } from '../runner/testing/fixtures.js';
import { userContext } from './testing/user-context.js';
import { BUILT_IN_USERS } from './index.js';
import { LlmUser } from './llm-user.js';
import { pyCapitalize, pyRepr } from './py-text.js';
import type { UserSimulator, UserSimulatorContext } from '../contract/user.js';
import { pyMessageRepr, V1ReferenceUser } from './v1-reference-user.js';

const PKG = (): string => sharedPath('tau-bench', 'tau_bench');

function userPack(): PromptPack {
  return {
    kind: 'reference',
    source: 'test',
    tools: '[]',
    agent: {} as PromptPack['agent'],
    users: readV1UserPrompts(PKG()),
    behaviour: {} as PromptPack['behaviour'],
  };
}

interface Recorded {
  seq: number;
  request: { model: string; messages: Array<Record<string, unknown>>; tools?: unknown; temperature?: number };
  response: { content: string | null; tool_calls: unknown[] | null };
}

/** The README's normalisation: None-valued keys dropped. */
function dropNone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNone);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNone(v)]));
  }
  return value;
}

/** Our request as the OpenAI wire body (less the max-tokens field, which the provider layer decides). */
function wire(request: ChatRequest): unknown {
  const body = toOpenAIBody('gpt-4o', request, { maxTokensParam: 'max_completion_tokens', defaultMaxTokens: 4096 }) as unknown as Record<string, unknown>;
  delete body['max_completion_tokens'];
  return body;
}

function loadCase(name: string): { meta: { task_index: number; user: string }; calls: Recorded[] } {
  const lines = readFileSync(sharedPath('conformance', 'requests', `${name}.jsonl`), 'utf8').trim().split('\n');
  return { meta: JSON.parse(lines[0] as string), calls: lines.slice(1).map((l) => JSON.parse(l) as Recorded) };
}

function retailTask(index: number): Task {
  const tasks = loadTaubenchPyTasks(join(PKG(), 'envs', 'retail', 'tasks_test.py'), 'retail', 'test');
  return tasks[index] as Task;
}

/**
 * Replays one recorded τ-bench episode on the user side: the simulator gets the agent's recorded
 * messages, the model answers with the recorded user-side answers in order, and every request the
 * simulator makes must equal the recorded one (the throw-away calls of environment construction
 * excepted). Returns what the simulator sent to the agent, turn by turn.
 */
async function replayUserSide(name: string): Promise<{ sent: string[]; agentSaw: string[]; requests: unknown[]; expected: unknown[] }> {
  const { meta, calls } = loadCase(name);
  const userCalls = calls.filter((c) => c.request.tools === undefined);
  const first = userCalls.findIndex((c) => c.request.messages.some((m) => String(m['content']).includes('\nInstruction: ')));
  expect(first).toBeGreaterThanOrEqual(0);
  const relevant = userCalls.slice(first);
  const agentCalls = calls.filter((c) => c.request.tools !== undefined);
  const agentTexts = agentCalls.filter((c) => (c.response.tool_calls ?? []).length === 0).map((c) => c.response.content ?? '');
  // What reached the agent: the `user` messages of the agent's requests, in order of appearance.
  const agentSaw: string[] = [];
  for (const c of agentCalls) {
    const users = c.request.messages.filter((m) => m['role'] === 'user').map((m) => String(m['content']));
    agentSaw.push(...users.slice(agentSaw.length));
  }

  const model = new ScriptedModel((_r, i) => ({ text: relevant[i]?.response.content ?? 'UNEXPECTED EXTRA CALL' }));
  const user: UserSimulator = (BUILT_IN_USERS[meta.user] as { create: (c: UserSimulatorContext) => UserSimulator }).create(
    userContext(model, { pack: userPack() }),
  );
  expect(user).toBeInstanceOf(V1ReferenceUser);
  const sent = [(await user.start(retailTask(meta.task_index))) as string];
  for (const text of agentTexts) sent.push((await user.reply(text)).text);
  return {
    sent,
    agentSaw,
    requests: model.requests.map(wire),
    expected: relevant.map((c) => dropNone(c.request)),
  };
}

describe('τ-bench v1 reference user simulators against the recorded requests', () => {
  for (const strategy of ['llm', 'react', 'verify', 'reflection'] as const) {
    it(`${strategy}: every user-side request equals τ-bench's, and the agent gets what τ-bench gave it`, async () => {
      const { sent, agentSaw, requests, expected } = await replayUserSide(`retail_t1_tool-calling_${strategy}`);
      expect(requests.length).toBe(expected.length);
      requests.forEach((r, i) => expect(r, `user-side request ${i}`).toEqual(expected[i]));
      // Each message the simulator produced is what the agent saw next; the last one ends the conversation.
      expect(sent.slice(0, agentSaw.length)).toEqual(agentSaw);
      if (strategy !== 'verify') expect(sent[sent.length - 1]).toBe('###STOP###');
    });
  }

  it('react: what reaches the agent keeps the thought and the "User Response:" label (τ-bench parses after "Thought:")', async () => {
    const { sent } = await replayUserSide('retail_t1_tool-calling_react');
    expect(sent[0]).toMatch(/^I should answer briefly\.\nUser Response:\nHi, I'm Yusuf Rossi/);
  });

  it('verify: a turn whose candidates are all rejected sends the last one and keeps it out of the history', async () => {
    const { requests } = await replayUserSide('retail_t1_tool-calling_verify');
    const generations = (requests as Array<{ messages: Array<{ role: string }> }>).filter((r) => r.messages[0]?.role === 'system');
    // After the first rejected turn, agent messages pile up as consecutive user turns.
    const last = generations[generations.length - 1]?.messages.map((m) => m.role) ?? [];
    expect(last.slice(0, 3)).toEqual(['system', 'user', 'assistant']);
    expect(last.slice(3).every((r) => r === 'user')).toBe(true);
  });
});

describe('V1ReferenceUser', () => {
  const prompts = () => {
    const p = v1UserPromptsOf(readV1UserPrompts(PKG()));
    if (p === undefined) throw new Error('no prompts');
    return p;
  };
  const isCheck = (r: ChatRequest): boolean => r.system === undefined && String(r.messages[0]?.content).includes('Classification:');

  it('sends the agent text verbatim and the answer untrimmed, without retrying an empty answer', async () => {
    const model = new ScriptedModel((_r, i) => ({ text: i === 0 ? '  hello  ' : '' }));
    const user = new V1ReferenceUser(userContext(model), 'llm', prompts());
    expect(await user.start(toyTask())).toBe('  hello  ');
    expect(await user.reply('  ')).toEqual({ text: '', done: false });
    expect(model.requests).toHaveLength(2);
    expect(model.requests[1]?.messages.slice(-2)).toEqual([
      { role: 'assistant', content: '  hello  ' },
      { role: 'user', content: '  ' },
    ]);
    expect(model.requests[0]?.system).toContain(`Instruction: ${toyTask().instruction}\n`);
    expect(model.requests[0]?.temperature).toBeUndefined();
  });

  it('passes a temperature only when the user set one, and needs v1 semantics and a model', async () => {
    const model = new ScriptedModel(() => ({ text: 'hi' }));
    await new V1ReferenceUser(userContext(model, { temperature: 0.3 }), 'llm', prompts()).start(toyTask());
    expect(model.requests[0]?.temperature).toBe(0.3);
    expect(() => new V1ReferenceUser(userContext(model, { semantics: 'tau2' }), 'llm', prompts())).toThrow(/v1 episodes only/);
    const { model: _m, ...noModel } = userContext(model);
    expect(() => new V1ReferenceUser(noModel, 'llm', prompts())).toThrow(/needs a user model/);
  });

  it('fails the episode when the answer has no text, as τ-bench does', async () => {
    // A reply with neither text nor tool calls (ScriptedModel would turn it into '').
    const scripted = new ScriptedModel(() => ({ text: 'unused' }));
    const model = Object.assign(Object.create(scripted) as ScriptedModel, {
      complete: async (r: ChatRequest) => ({ ...(await scripted.complete(r)), text: null }),
    });
    await expect(new V1ReferenceUser(userContext(model), 'llm', prompts()).start(toyTask())).rejects.toThrow(/no text/);
    await expect(new V1ReferenceUser(userContext(model), 'react', prompts()).start(toyTask())).rejects.toThrow(/no text/);
  });

  it('react: a stop token wins, "User Response:" alone is parsed, anything else or a repeated marker fails', async () => {
    const answers = ['Thought: done\nUser Response: bye ###STOP###', 'User Response:\n  Sure.  ', 'just text'];
    const model = new ScriptedModel((_r, i) => ({ text: answers[i] ?? '' }));
    const user = new V1ReferenceUser(userContext(model), 'react', prompts());
    expect(await user.start(toyTask())).toBe('###STOP###');
    expect((await user.reply('a')).text).toBe('Sure.');
    await expect(user.reply('b')).rejects.toThrow(/none of the expected markers/);
    const twice = new ScriptedModel(() => ({ text: 'Thought: a\nThought: b' }));
    await expect(new V1ReferenceUser(userContext(twice), 'react', prompts()).start(toyTask())).rejects.toThrow(/2 times, not once/);
    // The raw answer stays in the history.
    expect(model.requests[1]?.messages[1]).toEqual({ role: 'assistant', content: answers[0] });
  });

  it('verify: shows the message object repr and labels the history reversed; the first accepted candidate is kept', async () => {
    let n = 0;
    const model = new ScriptedModel((r) => (isCheck(r) ? { text: n === 2 ? 'TRUE' : 'false' } : { text: `it's c${++n}` }));
    const c = userContext(model);
    const user = new V1ReferenceUser(c, 'verify', prompts());
    expect(await user.start(toyTask())).toBe("it's c2");
    const checks = model.requests.filter(isCheck).map((r) => String(r.messages[0]?.content));
    expect(checks).toHaveLength(2);
    expect(checks[0]).toContain(`\nCustomer: Hi! How can I help you today?\n`);
    expect(checks[0]).toContain(`System: ${model.requests[0]?.system}`);
    expect(checks[0]).toContain(`Message(content="it's c1", role='assistant', tool_calls=None, function_call=None)`);
    await user.reply('next?');
    expect(model.requests[model.requests.length - 2]?.messages).toEqual([
      { role: 'user', content: 'Hi! How can I help you today?' },
      { role: 'assistant', content: "it's c2" },
      { role: 'user', content: 'next?' },
    ]);
    expect(c.notes.map((x) => x[0])).toContain('user_candidate_rejected');
  });

  it('reflection: the reflection goes into a copy as a user turn; a rejected second candidate sends the first, both stay in the history', async () => {
    let gen = 0;
    const model = new ScriptedModel((r) => {
      const text = String(r.messages[0]?.content);
      if (isCheck(r)) return { text: 'false' };
      if (r.system === undefined && text.includes('Reflection:')) return { text: 'Reflection:\nbe precise\nResponse:\n  the better one  ' };
      return { text: `draft ${++gen}` };
    });
    const user = new V1ReferenceUser(userContext(model), 'reflection', prompts());
    expect(await user.start(toyTask())).toBe('draft 1');
    const second = model.requests[3];
    expect(second?.messages).toEqual([
      { role: 'user', content: 'Hi! How can I help you today?' },
      { role: 'user', content: 'the better one' },
    ]);
    await user.reply('more?');
    expect(model.requests[5]?.messages.map((m) => m.content)).toEqual(['Hi! How can I help you today?', 'draft 1', 'draft 2', 'more?']);
    // The check of the first candidate shows its plain text, not a message repr.
    expect(String(model.requests[1]?.messages[0]?.content)).toContain('# Response:\ndraft 1\n');
  });

  it('reflection: a reflection answer without exactly one "Response:" fails the episode', async () => {
    const model = new ScriptedModel((r) => (isCheck(r) ? { text: 'false' } : r.system === undefined ? { text: 'no marker' } : { text: 'x' }));
    await expect(new V1ReferenceUser(userContext(model), 'reflection', prompts()).start(toyTask())).rejects.toThrow(/0 times, not once/);
  });

  it('the built-in simulators keep the harness behaviour without a pack or with a pack lacking v1 user text', () => {
    const model = new ScriptedModel(() => ({ text: 'x' }));
    for (const name of ['llm', 'react', 'verify', 'reflection'] as V1UserStrategy[]) {
      const entry = BUILT_IN_USERS[name] as { create: (c: UserSimulatorContext) => UserSimulator };
      expect(entry.create(userContext(model))).toBeInstanceOf(LlmUser);
      expect(entry.create(userContext(model, { pack: { ...userPack(), kind: 'harness', users: {} } }))).toBeInstanceOf(LlmUser);
      expect(entry.create(userContext(model, { pack: userPack() }))).toBeInstanceOf(V1ReferenceUser);
    }
  });
});

describe('Python string helpers', () => {
  it('repr picks quotes and escapes like Python', () => {
    expect(pyRepr('Yes, please go ahead.')).toBe("'Yes, please go ahead.'");
    expect(pyRepr("I'm here")).toBe(`"I'm here"`);
    expect(pyRepr(`it's "x"`)).toBe(`'it\\'s "x"'`);
    expect(pyRepr('a\nb\t\\c\x07\u00a0é\u2028😀')).toBe("'a\\nb\\t\\\\c\\x07\\xa0é\\u2028😀'");
    expect(pyMessageRepr(null)).toBe("Message(content=None, role='assistant', tool_calls=None, function_call=None)");
  });

  it('capitalize follows Python', () => {
    expect(pyCapitalize('system')).toBe('System');
    expect(pyCapitalize('tOOL')).toBe('Tool');
  });
});
