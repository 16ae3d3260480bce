/**
 * The plan-and-execute agent on a toy domain (accounts: get_balance read, deposit write,
 * transfer_to_human_agents) through a real Environment: invalid plans are rejected before any
 * tool runs, a valid plan runs with references and confirmations, a failed step ends the plan
 * with a reply, and a customer turn gets at most one new plan.
 */
import { describe, expect, it } from 'vitest';
import { FakeSession, subtaskOf } from '../../src/blueprint/testing/fake-session.js';
import { AGENT_GREETING, type ChatRequest } from '../../src/index.js';
import { toyBase, toyRegistry } from '../../src/runner/testing/fixtures.js';
import { createPlanExecuteAgent, isExplicitYes, planExecuteSettings } from './agent.js';
import { DRAFTS } from './prompts.js';
import { NOTE_KIND } from './execute.js';
import { PLAN_SUBTASK, REPLY_SUBTASK } from './plan.js';
import { PLAN_EXECUTE_PLAN_TASK, PLAN_EXECUTE_REPLY_TASK } from '../../src/models/sim/plan-oracle.js';

type Step = Record<string, unknown>;

/** A session whose model answers plan requests from `plans` (in order; the last repeats) and words replies as their draft. */
function session(plans: Array<Step[] | string>, options: { user?: (t: string) => string; approvedTools?: string[]; maxPlanSteps?: number } = {}) {
  let planCalls = 0;
  const s = new FakeSession({
    registry: toyRegistry(),
    base: toyBase(),
    firstUserMessage: 'Hi, I want to deposit 5 into account A1.',
    user: options.user ?? ((t) => (/confirm/i.test(t) ? 'Yes, please go ahead.' : '###STOP###')),
    model: (req: ChatRequest) => {
      const sub = subtaskOf(req);
      if (sub.name === REPLY_SUBTASK) return String((sub.input as { draft: string }).draft);
      const p = plans[Math.min(planCalls++, plans.length - 1)] as Step[] | string;
      return typeof p === 'string' ? p : JSON.stringify({ steps: p });
    },
  });
  const agent = createPlanExecuteAgent({ settings: planExecuteSettings({ ...(options.approvedTools === undefined ? {} : { approvedTools: options.approvedTools }), ...(options.maxPlanSteps === undefined ? {} : { maxPlanSteps: options.maxPlanSteps }) }) });
  const toolActions = () => s.env.actions.filter((a) => a.name !== 'respond');
  const events = () => s.notes.filter((n) => n.kind === NOTE_KIND).map((n) => n.data as Record<string, unknown>);
  const planRequests = () => s.modelCalls.filter((c) => subtaskOf(c.request).name === PLAN_SUBTASK);
  return { s, agent, toolActions, events, planRequests };
}

const confirmThenDeposit: Step[] = [
  { id: 's1', tool: 'get_balance', args: { account_id: 'A1' } },
  { id: 's2', confirm: 's3' },
  { id: 's3', tool: 'deposit', args: { account_id: { $ref: 's1.output.id' }, amount: 5 } },
  { id: 's4', respond: 'Done: the balance was {{s1.output.balance}}.' },
];

describe('invalid plans are rejected before any tool runs', () => {
  const cases: Array<[string, Step[] | string, { approvedTools?: string[]; maxPlanSteps?: number }]> = [
    ['unknown_tool', [{ id: 's1', tool: 'drop_database', args: {} }], {}],
    ['unapproved_tool', [{ id: 's1', tool: 'get_balance', args: { account_id: 'A1' } }, { id: 's2', confirm: 's3' }, { id: 's3', tool: 'deposit', args: { account_id: 'A1', amount: 5 } }], { approvedTools: ['get_balance'] }],
    ['invalid_arguments', [{ id: 's1', tool: 'get_balance', args: { account_id: 1 } }], {}],
    ['invalid_arguments', [{ id: 's1', tool: 'get_balance', args: { account: 'A1' } }], {}],
    ['write_without_confirmation', [{ id: 's1', tool: 'deposit', args: { account_id: 'A1', amount: 5 } }], {}],
    ['forward_reference', [{ id: 's1', tool: 'get_balance', args: { account_id: { $ref: 's2.output.id' } } }, { id: 's2', tool: 'get_balance', args: { account_id: 'A2' } }], {}],
    ['unknown_reference', [{ id: 's1', tool: 'get_balance', args: { account_id: { $ref: 's9.output.id' } } }], {}],
    ['too_long', Array.from({ length: 4 }, (_, i) => ({ id: `s${i + 1}`, tool: 'get_balance', args: { account_id: 'A1' } })), { maxPlanSteps: 3 }],
    ['confirm_mismatch', [{ id: 's1', confirm: 's3' }, { id: 's2', tool: 'get_balance', args: { account_id: 'A1' } }], {}],
    ['respond_not_last', [{ id: 's1', respond: 'hello' }, { id: 's2', tool: 'get_balance', args: { account_id: 'A1' } }], {}],
    ['duplicate_id', [{ id: 's1', tool: 'get_balance', args: { account_id: 'A1' } }, { id: 's1', tool: 'get_balance', args: { account_id: 'A2' } }], {}],
    ['schema', [{ id: 's1', tool: 'get_balance' }], {}],
    ['not_json', 'I would call get_balance first.', {}],
  ];
  for (const [code, plan, options] of cases) {
    it(`${code}: ${typeof plan === 'string' ? plan : JSON.stringify(plan).slice(0, 90)}`, async () => {
      const t = session([plan], options);
      await t.agent.run(t.s);
      expect(t.toolActions()).toEqual([]);
      const rejected = t.events().filter((e) => e.event === 'validation');
      // The plan and its one redraft, both rejected for this reason.
      expect(rejected).toHaveLength(2);
      for (const v of rejected) {
        expect(v.ok).toBe(false);
        expect((v.issues as Array<{ code: string }>).map((i) => i.code)).toContain(code);
      }
      expect(t.events().find((e) => e.event === 'plan_end')?.outcome).toBe('rejected');
      expect(t.s.said).toEqual([DRAFTS.rejected]);
    });
  }

  it('the redraft request lists the problems; the confirmation of a write is checked on the redraft too', async () => {
    const t = session([[{ id: 's1', tool: 'deposit', args: { account_id: 'A1', amount: 5 } }], confirmThenDeposit]);
    await t.agent.run(t.s);
    const [first, second] = t.planRequests();
    expect(second?.request.messages.at(-1)?.content).toMatch(/rejected before anything ran:\n- step s1: write tool "deposit" is not immediately preceded by a confirm step/);
    expect(first?.request.responseFormat?.name).toBe('plan');
    expect(t.toolActions().map((a) => a.name)).toEqual(['get_balance', 'deposit']);
  });
});

describe('a valid plan', () => {
  it('runs as written: references resolved over parsed observations, an explicit yes before the write, the reply filled in', async () => {
    const t = session([confirmThenDeposit]);
    await t.agent.run(t.s);
    expect(t.toolActions().map((a) => [a.name, a.kwargs, a.error])).toEqual([
      ['get_balance', { account_id: 'A1' }, false],
      ['deposit', { account_id: 'A1', amount: 5 }, false],
    ]);
    expect(t.s.said).toEqual(['To proceed I will call deposit with these details: {"account_id": "A1", "amount": 5}. Do you confirm? Please answer yes or no.', 'Done: the balance was 10.']);
    expect(t.events().map((e) => `${e.event}${e.step === undefined ? '' : `:${String(e.step)}`}${e.status === undefined ? '' : `:${String(e.status)}`}`)).toEqual([
      'plan',
      'validation',
      'step:s1:ok',
      'step:s2:confirmed',
      'step:s3:ok',
      'step:s4:ok',
      'plan_end',
    ]);
    expect(t.planRequests()).toHaveLength(1);
  });

  it('stops at a confirmation without an explicit yes; the answer starts the next turn and its plan', async () => {
    const answers = ['Hmm, maybe.', '###STOP###'];
    const t = session([confirmThenDeposit, [{ id: 's1', respond: 'Alright, nothing was changed.' }]], { user: () => answers.shift() ?? '###STOP###' });
    await t.agent.run(t.s);
    expect(t.toolActions().map((a) => a.name)).toEqual(['get_balance']);
    expect(t.events().filter((e) => e.event === 'plan_end').map((e) => e.outcome)).toEqual(['declined', 'ended']);
    const second = t.planRequests()[1]?.request.privileged?.subtask?.input as { conversation: Array<{ from: string; text: string }>; executed: Array<{ step: string; tool: string }> };
    expect(second.conversation.at(-1)).toEqual({ from: 'customer', text: 'Hmm, maybe.' });
    expect(second.executed.map((e) => `${e.step} ${e.tool}`)).toEqual(['t1.s1 get_balance']);
  });

  it('without a respond step, the model words the reply from the results', async () => {
    const t = session([[{ id: 's1', tool: 'get_balance', args: { account_id: 'A2' } }]]);
    await t.agent.run(t.s);
    const reply = t.s.modelCalls.find((c) => subtaskOf(c.request).name === REPLY_SUBTASK);
    expect(reply?.request.privileged?.subtask?.input).toMatchObject({ outcome: 'done', facts: { results: [{ tool: 'get_balance', output: '{"id": "A2", "balance": 5}' }] } });
    expect(t.s.said).toEqual([DRAFTS.done(['get_balance'])]);
  });
});

describe('a failed step ends the plan with a reply', () => {
  it('a tool error: later steps do not run, the customer is told', async () => {
    const t = session([
      [
        { id: 's1', tool: 'get_balance', args: { account_id: 'ZZ' } },
        { id: 's2', confirm: 's3' },
        { id: 's3', tool: 'deposit', args: { account_id: 'A1', amount: 5 } },
        { id: 's4', respond: 'Done.' },
      ],
    ]);
    await t.agent.run(t.s);
    expect(t.toolActions().map((a) => [a.name, a.error])).toEqual([['get_balance', true]]);
    expect(t.events().find((e) => e.event === 'plan_end')).toMatchObject({ outcome: 'failed', step: 's1', error: 'Error: account not found' });
    expect(t.s.said).toEqual([DRAFTS.failed('get_balance', 'Error: account not found')]);
    expect(t.planRequests()).toHaveLength(1);
  });

  it('a reference that does not resolve: the tool is not called', async () => {
    const t = session([[{ id: 's1', tool: 'get_balance', args: { account_id: 'A1' } }, { id: 's2', tool: 'get_balance', args: { account_id: { $ref: 's1.output.owner' } } }]]);
    await t.agent.run(t.s);
    expect(t.toolActions().map((a) => a.name)).toEqual(['get_balance']);
    expect(t.events().find((e) => e.event === 'plan_end')).toMatchObject({ outcome: 'failed', step: 's2' });
    expect(String(t.events().find((e) => e.event === 'plan_end')?.error)).toMatch(/s1\.output is an object without that key: cannot take "owner"/);
  });

  it('a referenced value of the wrong type fails the step before the call', async () => {
    const t = session([[{ id: 's1', tool: 'get_balance', args: { account_id: 'A1' } }, { id: 's2', tool: 'get_balance', args: { account_id: { $ref: 's1.output.balance' } } }]]);
    await t.agent.run(t.s);
    expect(t.toolActions().map((a) => a.name)).toEqual(['get_balance']);
    expect(String(t.events().find((e) => e.event === 'plan_end')?.error)).toMatch(/arguments of get_balance once resolved: account_id/);
  });
});

describe('one new plan per customer turn at most', () => {
  it('two rejected drafts in a turn: the customer is asked, and the next turn gets a fresh plan', async () => {
    const bad: Step[] = [{ id: 's1', tool: 'nope', args: {} }];
    const replies = ['I want to deposit 5 into A1, please.', 'Yes, please go ahead.', '###STOP###'];
    const t = session([bad, bad, confirmThenDeposit], { user: () => replies.shift() ?? '###STOP###' });
    await t.agent.run(t.s);
    const turns = t.planRequests().map((c) => (c.request.privileged?.subtask?.input as { conversation: unknown[] }).conversation.length);
    // Turn 1: the plan and its one redraft (same conversation); turn 2: one plan.
    expect(turns).toEqual([1, 1, 3]);
    expect(t.events().filter((e) => e.event === 'plan').map((e) => `${String(e.turn)}.${String(e.attempt)}`)).toEqual(['1.1', '1.2', '2.1']);
    expect(t.toolActions().map((a) => a.name)).toEqual(['get_balance', 'deposit']);
  });

  it('a failed step is not re-planned within the turn', async () => {
    const t = session([[{ id: 's1', tool: 'get_balance', args: { account_id: 'ZZ' } }], confirmThenDeposit]);
    await t.agent.run(t.s);
    expect(t.planRequests()).toHaveLength(1);
  });
});

describe('τ² loop semantics', () => {
  it('greets first when the customer waits, then plans for their answer', async () => {
    const s = new FakeSession({
      registry: toyRegistry(),
      base: toyBase(),
      firstUserMessage: null,
      semantics: 'tau2',
      user: (t) => (t.startsWith('Hi!') ? 'What is the balance of A2?' : '###STOP###'),
      model: (req) => (subtaskOf(req).name === PLAN_SUBTASK ? JSON.stringify({ steps: [{ id: 's1', tool: 'get_balance', args: { account_id: 'A2' } }, { id: 's2', respond: 'It is {{s1.output.balance}}.' }] }) : ''),
    });
    await createPlanExecuteAgent().run(s);
    expect(s.said).toEqual([AGENT_GREETING, 'It is 5.']);
    const input = subtaskOf(s.modelCalls[0]!.request).input as { conversation: unknown[] };
    expect(input.conversation).toEqual([{ from: 'agent', text: AGENT_GREETING }, { from: 'customer', text: 'What is the balance of A2?' }]);
  });
});

describe('settings and helpers', () => {
  it('rejects unknown and malformed settings before any episode', () => {
    expect(() => planExecuteSettings({ maxSteps: 3 })).toThrow(/unknown setting "maxSteps"; plan-execute settings: approvedTools, maxPlanSteps/);
    expect(() => planExecuteSettings({ maxPlanSteps: 0 })).toThrow(/bad setting "maxPlanSteps"/);
    expect(planExecuteSettings({ approvedTools: 'get_balance, deposit' })).toEqual({ approvedTools: ['get_balance', 'deposit'], maxPlanSteps: 20 });
  });

  it('an approved tool the domain lacks is an error naming it', async () => {
    const t = session([confirmThenDeposit], { approvedTools: ['get_balance', 'get_weather'] });
    await expect(t.agent.run(t.s)).rejects.toThrow(/approved tool\(s\) get_weather not in domain "fake"/);
    expect(t.toolActions()).toEqual([]);
  });

  it('reads an explicit yes only', () => {
    for (const yes of ['Yes, please go ahead.', 'yes', 'Sure, go ahead', 'I confirm.']) expect(isExplicitYes(yes), yes).toBe(true);
    for (const no of ['No.', 'Yes, but not the shoes.', "yes, don't do it", 'maybe', 'Hmm, yes?  wait', 'Please cancel instead']) expect(isExplicitYes(no), no).toBe(false);
  });

  it('the simulated model answers the same sub-task names as the agent asks', () => {
    expect([PLAN_SUBTASK, REPLY_SUBTASK]).toEqual([PLAN_EXECUTE_PLAN_TASK, PLAN_EXECUTE_REPLY_TASK]);
  });
});
