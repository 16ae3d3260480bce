import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Task } from '../core/task.js';
import { ScriptedModel, toyTask } from '../runner/testing/fixtures.js';
import { userContext } from './testing/user-context.js';
import type { ChatRequest } from '../models/types.js';
import { humanUserFactory } from './human-user.js';
import { EMPTY_AGENT_MESSAGE, LlmUser } from './llm-user.js';
import { customerSystemPrompt, renderScenario } from './prompts.js';
import { parseReactUserOutput, ReactUser } from './react-user.js';
import { parseReflection, ReflectionUser } from './reflection-user.js';
import { verdict, VerifyUser } from './verify-user.js';

const isCheck = (r: ChatRequest): boolean => r.system === undefined && (r.messages[0]?.role === 'user' && r.messages[0].content.includes('Proposed next customer message'));
const isReflect = (r: ChatRequest): boolean => r.system === undefined && (r.messages[0]?.role === 'user' && r.messages[0].content.includes('Rejected message'));

describe('prompts', () => {
  it('uses the instruction, or the structured scenario when there is one', () => {
    const task = toyTask();
    expect(customerSystemPrompt(task, 'v1')).toContain(task.instruction);
    expect(customerSystemPrompt(task, 'v1')).toContain('###STOP###');
    expect(customerSystemPrompt(task, 'v1')).not.toContain('###TRANSFER###');
    expect(customerSystemPrompt(task, 'tau2')).toContain('###OUT-OF-SCOPE###');
    const scenario = { reasonForCall: 'return a lamp', knownInfo: 'order #W1', unknownInfo: null, taskInstructions: 'be brief', persona: 'calm' };
    const text = renderScenario(scenario);
    expect(text).toBe('Who you are: calm\nWhy you are getting in touch: return a lamp\nWhat you know: order #W1\nHow to go about it: be brief');
    expect(customerSystemPrompt({ ...task, scenario }, 'tau2')).toContain('return a lamp');
  });
});

describe('LlmUser', () => {
  it('opens under v1 by answering a hidden greeting, and keeps a role-flipped history', async () => {
    const model = new ScriptedModel((_, i) => ({ text: i === 0 ? '  Hi, I need help with A1. ' : 'My name is Ann.' }));
    const user = new LlmUser(userContext(model));
    expect(await user.start(toyTask())).toBe('Hi, I need help with A1.');
    expect(await user.reply('What is your name?')).toEqual({ text: 'My name is Ann.', done: false });
    expect(model.requests[0]?.messages).toEqual([{ role: 'user', content: 'Hi! How can I help you today?' }]);
    expect(model.requests[1]?.messages).toEqual([
      { role: 'user', content: 'Hi! How can I help you today?' },
      { role: 'assistant', content: 'Hi, I need help with A1.' },
      { role: 'user', content: 'What is your name?' },
    ]);
    expect(model.requests[0]?.system).toContain(toyTask().instruction);
    expect(model.requests[0]?.temperature).toBeUndefined();
  });

  it('waits for the greeting under τ² and passes the temperature when set', async () => {
    const model = new ScriptedModel(() => ({ text: 'hello' }));
    const user = new LlmUser(userContext(model, { semantics: 'tau2', temperature: 0 }));
    expect(await user.start(toyTask())).toBeNull();
    expect(model.requests).toHaveLength(0);
    await user.reply('Hi! How can I help you today?');
    expect(model.requests[0]?.temperature).toBe(0);
  });

  it('asks again on an empty answer and shows an empty agent message as such', async () => {
    const model = new ScriptedModel((_, i) => ({ text: i === 0 ? '' : 'ok' }));
    const c = userContext(model, { semantics: 'tau2' });
    const user = new LlmUser(c);
    await user.start(toyTask());
    expect((await user.reply('  ')).text).toBe('ok');
    expect(model.requests[1]?.messages[0]).toEqual({ role: 'user', content: EMPTY_AGENT_MESSAGE });
    expect(c.notes).toEqual([['user_empty_reply', { attempt: 0 }]]);
  });

  it('fails after repeated empty answers and needs a model', async () => {
    const user = new LlmUser(userContext(new ScriptedModel(() => ({ text: '' }))));
    await expect(user.start(toyTask())).rejects.toThrow(/empty reply 3 times/);
    expect(() => new LlmUser(userContext(undefined))).toThrow(/needs a user model/);
  });
});

describe('ReactUser', () => {
  it('parses the message after "User Response:" and lets a stop token win', () => {
    expect(parseReactUserOutput('Thought:\nI should give my name.\nUser Response:\nI am Ann.', 'v1')).toBe('I am Ann.');
    expect(parseReactUserOutput('Thought: done\nUser Response: thanks ###STOP###', 'v1')).toBe('###STOP###');
    expect(parseReactUserOutput('Thought: transferred\nUser Response: ###TRANSFER###', 'tau2')).toBe('###TRANSFER###');
    expect(parseReactUserOutput('Thought: hmm', 'v1')).toBeUndefined();
    expect(parseReactUserOutput('User Response:   ', 'v1')).toBeUndefined();
  });

  it('sends only the message to the agent but keeps the thought in its history, and retries bad formats', async () => {
    const outputs = ['no format here', 'Thought: greet\nUser Response: Hello there.'];
    const model = new ScriptedModel((_, i) => ({ text: outputs[i] ?? 'Thought: x\nUser Response: more' }));
    const c = userContext(model);
    const user = new ReactUser(c);
    expect(await user.start(toyTask())).toBe('Hello there.');
    await user.reply('How can I help?');
    expect(model.requests[0]?.system).toContain('User Response:');
    expect(model.requests[2]?.messages[1]).toEqual({ role: 'assistant', content: 'Thought: greet\nUser Response: Hello there.' });
    expect(c.notes[0]?.[0]).toBe('user_parse_error');
  });
});

describe('VerifyUser', () => {
  it('regenerates until a candidate is verified', async () => {
    let generated = 0;
    const model = new ScriptedModel((r) => {
      if (isCheck(r)) return { text: String(r.messages[0]?.content).includes('candidate 2') ? 'true' : 'False.' };
      generated++;
      return { text: `candidate ${generated}` };
    });
    const c = userContext(model);
    const user = new VerifyUser(c);
    expect(await user.start(toyTask())).toBe('candidate 2');
    expect(model.requests.filter(isCheck)).toHaveLength(2);
    expect(c.notes).toEqual([['user_candidate_rejected', { attempt: 0, candidate: 'candidate 1' }]]);
  });

  it('uses the last candidate when none passes, after 3 attempts', async () => {
    let generated = 0;
    const model = new ScriptedModel((r) => (isCheck(r) ? { text: 'false' } : { text: `c${++generated}` }));
    const user = new VerifyUser(userContext(model));
    expect(await user.start(toyTask())).toBe('c3');
    expect(model.requests).toHaveLength(6);
  });

  it('reads verdicts', () => {
    expect(verdict('True')).toBe(true);
    expect(verdict('the answer is true.')).toBe(true);
    expect(verdict('false')).toBe(false);
    expect(verdict('untrue')).toBe(false);
  });
});

describe('ReflectionUser', () => {
  it('reflects on a rejected message and uses the verified improvement', async () => {
    const model = new ScriptedModel((r) => {
      if (isCheck(r)) return { text: String(r.messages[0]?.content).includes('Proposed next customer message\nbetter') ? 'true' : 'false' };
      if (isReflect(r)) return { text: 'Reflection:\nToo much detail.\nResponse:\nbetter' };
      return { text: 'first draft' };
    });
    const c = userContext(model);
    const user = new ReflectionUser(c);
    expect(await user.start(toyTask())).toBe('better');
    expect(c.notes.map((n) => n[0])).toEqual(['user_reflection']);
  });

  it('falls back to the first candidate when no improvement passes', async () => {
    const model = new ScriptedModel((r) => (isCheck(r) ? { text: 'false' } : isReflect(r) ? { text: 'Reflection: meh\nResponse: alt' } : { text: 'first' }));
    const user = new ReflectionUser(userContext(model));
    expect(await user.start(toyTask())).toBe('first');
    expect(model.requests.filter(isReflect)).toHaveLength(2);
  });

  it('parses reflections', () => {
    expect(parseReflection('Reflection:\nx\nResponse:\n  do it  ')).toBe('do it');
    expect(parseReflection('no response part')).toBeUndefined();
  });
});

describe('human user', () => {
  it('shows the situation and the agent messages, and reads typed lines', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const factory = humanUserFactory({ input, output });
    const task: Task = toyTask();
    const user = factory(userContext(undefined));
    input.write('I want to deposit.\n\n');
    expect(await user.start(task)).toBe('I want to deposit.');
    input.write('Ann\n');
    expect(await user.reply('Your name?')).toEqual({ text: 'Ann', done: false });
    expect(shown).toContain(task.instruction);
    expect(shown).toContain('agent> Your name?');
    input.end();
    expect(await user.reply('Anything else?')).toEqual({ text: '###STOP###', done: true, reason: 'user_stop' });
    // A second episode of the same run reads from the same (ended) input.
    const next = factory(userContext(undefined, { semantics: 'tau2' }));
    expect(await next.start(task)).toBeNull();
    expect((await next.reply('Hi!')).done).toBe(true);
  });
});
