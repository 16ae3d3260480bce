import { describe, expect, it } from 'vitest';
import { PyFloat } from '../../core/py/py-float.js';
import { parsePyJson } from '../../core/py/py-json.js';
import type { Task } from '../../core/task.js';
import type { ChatRequest } from '../types.js';
import { PARTIAL_PLAN_TEXT, PLAN_EXECUTE_PLAN_TASK, PLAN_EXECUTE_REPLY_TASK } from './plan-oracle.js';
import { createSimModel, SIM_TEXT } from './sim-model.js';

const task: Task = {
  id: '7',
  index: 7,
  format: 'tau-v1',
  domain: 'retail',
  instruction: 'You want to cancel an order.',
  userId: 'ann_1',
  actions: [
    { name: 'find_user_id_by_email', kwargs: { email: 'ann@example.com' } },
    { name: 'get_order_details', kwargs: { order_id: '#W1' } },
    { name: 'cancel_pending_order', kwargs: { order_id: '#W1', reason: 'no longer needed' } },
    { name: 'send_credit', kwargs: { user_id: 'ann_1', amount: new PyFloat(100) } },
  ],
  outputs: ['42'],
};

const writeTools = ['cancel_pending_order', 'send_credit'];
const asked = [
  { from: 'customer', text: 'Hi! I want to cancel an order.' },
  { from: 'agent', text: SIM_TEXT.askIdentityEmail },
  { from: 'customer', text: 'My email is ann@example.com.' },
];

function request(input: unknown, name = PLAN_EXECUTE_PLAN_TASK): ChatRequest {
  return { messages: [{ role: 'user', content: JSON.stringify(input) }], privileged: { task, subtask: { name, input } } };
}

async function plan(input: unknown, errorRate = 0): Promise<string> {
  const res = await createSimModel({ errorRate }).complete(request(input));
  return res.text ?? '';
}

describe('the simulated model plans for the plan-and-execute agent', () => {
  it('asks for identity first when the next gold action looks the customer up', async () => {
    expect(parsePyJson(await plan({ conversation: asked.slice(0, 1), executed: [], writeTools, maxSteps: 20 }))).toEqual({ steps: [{ id: 's1', respond: SIM_TEXT.askIdentityEmail }] });
  });

  it('then plans every remaining action: confirm before each write, the looked-up id by reference, floats kept, the facts in the reply', async () => {
    const text = await plan({ conversation: asked, executed: [], writeTools, maxSteps: 20 });
    expect(text).toBe(
      '{"steps": [{"id": "s1", "tool": "find_user_id_by_email", "args": {"email": "ann@example.com"}}, ' +
        '{"id": "s2", "tool": "get_order_details", "args": {"order_id": "#W1"}}, ' +
        '{"id": "s3", "confirm": "s4"}, {"id": "s4", "tool": "cancel_pending_order", "args": {"order_id": "#W1", "reason": "no longer needed"}}, ' +
        '{"id": "s5", "confirm": "s6"}, {"id": "s6", "tool": "send_credit", "args": {"user_id": {"$ref": "s1.output"}, "amount": 100.0}}, ' +
        `{"id": "s7", "respond": "${SIM_TEXT.final(['42'])}"}]}`,
    );
  });

  it('skips what was executed, splits a plan longer than the limit, and says goodbye after the final reply', async () => {
    const executed = task.actions.slice(0, 2).map((a) => ({ tool: a.name, args: a.kwargs }));
    const rest = parsePyJson(await plan({ conversation: asked, executed, writeTools, maxSteps: 20 })) as { steps: Array<Record<string, unknown>> };
    expect(rest.steps.map((s) => s.tool ?? (s.confirm === undefined ? 'respond' : 'confirm'))).toEqual(['confirm', 'cancel_pending_order', 'confirm', 'send_credit', 'respond']);
    const split = parsePyJson(await plan({ conversation: asked, executed, writeTools, maxSteps: 3 })) as { steps: Array<Record<string, unknown>> };
    expect(split.steps.map((s) => s.tool ?? s.respond ?? 'confirm')).toEqual(['confirm', 'cancel_pending_order', PARTIAL_PLAN_TEXT]);
    const all = task.actions.map((a) => ({ tool: a.name, args: a.kwargs }));
    const done = [...asked, { from: 'agent', text: SIM_TEXT.final(['42']) }, { from: 'customer', text: 'Thanks' }];
    expect(parsePyJson(await plan({ conversation: done, executed: all, writeTools, maxSteps: 20 }))).toEqual({ steps: [{ id: 's1', respond: SIM_TEXT.goodbye }] });
  });

  it('errs with probability p: a wrong plan (early stop, wrong argument or a missing confirmation), the same one for the same request', async () => {
    const input = { conversation: asked, executed: [], writeTools, maxSteps: 20 };
    const right = await plan(input);
    const wrong = await plan(input, 1);
    expect(wrong).not.toBe(right);
    expect(await plan(input, 1)).toBe(wrong);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const t = await plan({ ...input, attempt: 2, rejected: [`try ${i}`] }, 1);
      seen.add(t.includes(SIM_TEXT.earlyStop) ? 'early' : !t.includes('"confirm"') ? 'no-confirm' : 'argument');
    }
    expect([...seen].sort()).toEqual(['argument', 'early', 'no-confirm']);
  });

  it('words a reply as its draft', async () => {
    const res = await createSimModel().complete(request({ outcome: 'failed', draft: 'Sorry, that failed.' }, PLAN_EXECUTE_REPLY_TASK));
    expect(res.text).toBe('Sorry, that failed.');
  });
});
