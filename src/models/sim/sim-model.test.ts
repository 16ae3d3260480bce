import { describe, expect, it } from 'vitest';
import { PyFloat } from '../../core/py/py-float.js';
import type { PyObject } from '../../core/py/py-value.js';
import type { Task } from '../../core/task.js';
import { ScriptedUser, STOP, type ObservedAction } from '../../users/scripted-user.js';
import type { ChatMessage, ChatRequest, ToolSpec } from '../types.js';
import { ConfigError } from '../../core/errors.js';
import { createSimModel, parseSimSpec, SIM_TEXT } from './sim-model.js';

const task: Task = {
  id: '7',
  index: 7,
  format: 'tau-v1',
  domain: 'retail',
  instruction: 'You want to cancel an order.',
  actions: [
    { name: 'find_user_id_by_email', kwargs: { email: 'ann@example.com' } },
    { name: 'get_order_details', kwargs: { order_id: '#W1' } },
    { name: 'cancel_pending_order', kwargs: { order_id: '#W1', reason: 'no longer needed' } },
    { name: 'send_credit', kwargs: { user_id: 'ann_1', amount: new PyFloat(100) } },
  ],
  outputs: ['42'],
};

const tools: ToolSpec[] = ['find_user_id_by_email', 'get_order_details', 'cancel_pending_order', 'send_credit', 'list_all_product_types'].map((name) => ({
  name,
  description: name,
  parameters: { type: 'object', properties: {} },
}));

/** Plays a whole conversation between the sim agent and the scripted user over a fake tool log. */
async function play(errorRate: number, trial: number, textMode = false): Promise<{ log: ObservedAction[]; messages: ChatMessage[]; stopped: boolean }> {
  const model = createSimModel({ errorRate, seed: 1 });
  const log: ObservedAction[] = [];
  const user = new ScriptedUser({ task, actions: () => log, isWrite: (n) => n === 'cancel_pending_order' || n === 'send_credit' });
  const messages: ChatMessage[] = [{ role: 'user', content: user.start() }];
  for (let step = 0; step < 30; step++) {
    const req: ChatRequest = textMode
      ? { system: 'Reply with Action: {...}', messages, trial, privileged: { task } }
      : { system: 'policy', messages, tools, trial, privileged: { task } };
    const res = await model.complete(req);
    expect(res.usage.input).toBeGreaterThan(0);
    expect(res.costUsd).toBe(0);
    let call: { name: string; args: string } | undefined;
    let say: string | undefined;
    if (textMode) {
      const json = JSON.parse((res.text ?? '').slice((res.text ?? '').lastIndexOf('Action:') + 7)) as { name: string; arguments: PyObject };
      if (json.name === 'respond') say = String(json.arguments.content);
      else call = { name: json.name, args: JSON.stringify(json.arguments) };
      messages.push({ role: 'assistant', content: res.text });
    } else if (res.toolCalls[0] !== undefined) {
      const tc = res.toolCalls[0];
      call = { name: tc.name, args: tc.rawArguments };
      messages.push({ role: 'assistant', content: null, toolCalls: [{ id: tc.id, name: tc.name, arguments: tc.rawArguments }] });
    } else {
      say = res.text ?? '';
      messages.push({ role: 'assistant', content: say });
    }
    if (call !== undefined) {
      const { parsePyJson } = await import('../../core/py/py-json.js');
      log.push({ name: call.name, kwargs: parsePyJson(call.args) as PyObject, error: false });
      if (textMode) messages.push({ role: 'user', content: 'API output: ok' });
      else messages.push({ role: 'tool', toolCallId: 'x', name: call.name, content: 'ok' });
    } else {
      const reply = user.reply(say ?? '');
      if (reply.includes(STOP)) return { log, messages, stopped: true };
      messages.push({ role: 'user', content: reply });
    }
  }
  return { log, messages, stopped: false };
}

describe('simulated model (agent role) with the scripted user', () => {
  it('at p = 0 asks for identity, confirms each write, plays every gold action in order, states outputs', async () => {
    const { log, messages, stopped } = await play(0, 0);
    expect(stopped).toBe(true);
    expect(log.map((a) => a.name)).toEqual(task.actions.map((a) => a.name));
    // Float arguments keep their Python type in the raw tool-call text.
    expect(JSON.stringify(messages)).toContain('\\"amount\\": 100.0');
    const said = messages.filter((m) => m.role === 'assistant' && m.content !== null).map((m) => (m as { content: string }).content);
    expect(said[0]).toBe(SIM_TEXT.askIdentityEmail);
    expect(said.filter((s) => s.includes('Do you confirm?'))).toHaveLength(2);
    expect(said.at(-1)).toContain('42');
  });

  it('plays the same way in text-action (ReAct) mode', async () => {
    const { log, stopped } = await play(0, 0, true);
    expect(stopped).toBe(true);
    expect(log.map((a) => a.name)).toEqual(task.actions.map((a) => a.name));
  });

  it('is deterministic for a seed and trial, and errs on some trials when p > 0', async () => {
    const a = await play(0.3, 3);
    const b = await play(0.3, 3);
    expect(JSON.stringify(a.messages)).toBe(JSON.stringify(b.messages));
    let deviating = 0;
    for (let trial = 0; trial < 20; trial++) {
      const r = await play(0.3, trial);
      const exact = r.log.length === task.actions.length && r.log.every((x, i) => x.name === task.actions[i]?.name);
      if (!exact) deviating++;
    }
    expect(deviating).toBeGreaterThan(0);
    expect(deviating).toBeLessThan(20);
  });

  it('answers blueprint sub-tasks through oracles, with wrong answers at the error rate', async () => {
    const oracle = () => ({ answer: { intent: 'cancel' }, wrong: [{ intent: 'return' }] });
    const exact = createSimModel({ subtasks: { classify: oracle } });
    const req = (trial: number): ChatRequest => ({ messages: [{ role: 'user', content: 'q' }], trial, privileged: { task, subtask: { name: 'classify', input: { text: 'x' } } } });
    expect((await exact.complete(req(0))).text).toBe('{"intent":"cancel"}');
    const noisy = createSimModel({ errorRate: 1, subtasks: { classify: oracle } });
    expect((await noisy.complete(req(0))).text).toBe('{"intent":"return"}');
  });

  it('words a reply (`say:<task>`) with the oracle\'s text itself; other string answers stay JSON', async () => {
    const text = () => ({ answer: 'Your booking is confirmed.' });
    const sim = createSimModel({ subtasks: { 'say:done': text, plain: text } });
    const req = (name: string): ChatRequest => ({ messages: [{ role: 'user', content: 'q' }], privileged: { task, subtask: { name, input: {} } } });
    expect((await sim.complete(req('say:done'))).text).toBe('Your booking is confirmed.');
    expect((await sim.complete(req('plain'))).text).toBe('"Your booking is confirmed."');
  });

  it('parses sim specs', () => {
    expect(parseSimSpec('sim')).toBe(0);
    expect(parseSimSpec('sim:0.25')).toBe(0.25);
    expect(parseSimSpec('openai:gpt-4o')).toBeUndefined();
    expect(() => parseSimSpec('sim:2')).toThrow(ConfigError);
    expect(() => parseSimSpec('sim:1.5')).toThrow('error probability must be a number from 0 to 1 (sim = sim:0, e.g. sim:0.05), got "1.5"');
    expect(() => parseSimSpec('sim:abc')).toThrow('got "abc"');
  });
});
