import { describe, expect, it } from 'vitest';
import { ToolCallingAgent } from '../../baselines/tool-calling.js';
import { ProviderError } from '../core/errors.js';
import { LlmUser } from '../users/llm-user.js';
import type { Agent } from '../contract/agent.js';
import { runEpisode, type EpisodeOptions } from './episode.js';
import type { Scorer } from './scoring.js';
import { ScriptedModel, scriptedUser, sequenceModel, toyBase, toyRegistry, toyScorer, toyTask, type ScriptStep } from './testing/fixtures.js';

const base = toyBase();
const registry = toyRegistry();

function options(overrides: Partial<EpisodeOptions> & Pick<EpisodeOptions, 'agent' | 'models'>): EpisodeOptions {
  return {
    task: toyTask(),
    trial: 0,
    seed: 42,
    domain: 'toy',
    registry,
    base,
    policy: 'Be helpful.',
    user: { name: 'scripted', create: scriptedUser('I want to deposit 5 into A1.', ['Yes please.', '###STOP###']).create },
    scorer: toyScorer,
    ...overrides,
  };
}

const goldPlay: ScriptStep[] = [
  { toolCalls: [{ name: 'get_balance', arguments: { account_id: 'A1' } }] },
  { text: 'Deposit 5 into A1?' },
  { toolCalls: [{ name: 'deposit', arguments: { account_id: 'A1', amount: 5 } }] },
  { text: 'Done, your balance is 15.' },
];

describe('runEpisode (v1 semantics)', () => {
  it('plays the conversation, records the trajectory and calls, and scores a user stop', async () => {
    const agentModel = sequenceModel(goldPlay);
    const record = await runEpisode(options({ agent: new ToolCallingAgent(), models: { agent: agentModel } }));
    expect(record.termination).toEqual({ reason: 'user_stop' });
    expect(record.reward).toBe(1);
    expect(record.success).toBe(true);
    expect(record.steps).toBe(4);
    expect(record.turns).toBe(2);
    expect(record.toolCalls).toBe(2);
    expect(record.semantics).toBe('v1');
    expect(record.trajectory.map((e) => (e.type === 'message' ? `${e.from}:${e.text}` : e.type === 'tool' ? `tool:${e.name}` : e.type))).toEqual([
      'user:I want to deposit 5 into A1.',
      'tool:get_balance',
      'agent:Deposit 5 into A1?',
      'user:Yes please.',
      'tool:deposit',
      'agent:Done, your balance is 15.',
      'user:###STOP###',
    ]);
    const deposit = record.trajectory.find((e) => e.type === 'tool' && e.name === 'deposit');
    expect(deposit).toMatchObject({ arguments: '{"account_id":"A1","amount":5}', observation: '{"id": "A1", "balance": 15}', error: false });
    expect(record.calls).toHaveLength(4);
    expect(record.calls.every((c) => c.role === 'agent' && c.usage.input === 100)).toBe(true);
    // Every request carries the task as privileged context and the trial index.
    expect(agentModel.requests[0]?.privileged?.task).toMatchObject({ id: '0', actions: [{ name: 'deposit' }] });
    expect(agentModel.requests[0]?.trial).toBe(0);
    expect(agentModel.requests[0]?.system).toBe('Be helpful.');
    expect(agentModel.requests[0]?.temperature).toBe(0);
  });

  it('records user-model calls under the user role with the task attached', async () => {
    const userModel = new ScriptedModel((req) => ({ text: req.messages.length >= 5 ? '###STOP###' : 'I want to deposit 5 into A1.' }));
    const record = await runEpisode(
      options({
        trial: 3,
        agent: new ToolCallingAgent(),
        models: { agent: sequenceModel(goldPlay), user: userModel },
        user: { name: 'llm', create: (c) => new LlmUser(c) },
      }),
    );
    expect(record.termination.reason).toBe('user_stop');
    expect(record.calls.filter((c) => c.role === 'user')).toHaveLength(3);
    expect(userModel.requests[0]?.privileged?.task).toMatchObject({ id: '0' });
    expect(userModel.requests[0]?.trial).toBe(3);
    // Role flip: the hidden greeting is a user turn, the simulator's own messages assistant turns.
    expect(userModel.requests[1]?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('ends at the step cap with reward 0 and does not call the scorer', async () => {
    let scored = 0;
    const scorer: Scorer = (i) => {
      scored++;
      return toyScorer(i);
    };
    const loop = sequenceModel([{ toolCalls: [{ name: 'get_balance', arguments: { account_id: 'A1' } }] }]);
    const record = await runEpisode(options({ agent: new ToolCallingAgent(), models: { agent: loop }, maxSteps: 5, scorer }));
    expect(record.termination).toEqual({ reason: 'max_steps', message: 'reached the step cap of 5' });
    expect(record.reward).toBe(0);
    expect(record.steps).toBe(5);
    expect(loop.requests).toHaveLength(5);
    expect(scored).toBe(0);
  });

  it('ends on the terminating tool under v1 and scores it', async () => {
    const model = sequenceModel([{ toolCalls: [{ name: 'transfer_to_human_agents', arguments: { summary: 'x' } }] }]);
    const record = await runEpisode(options({ agent: new ToolCallingAgent(), models: { agent: model } }));
    expect(record.termination.reason).toBe('transfer');
    expect(record.reward).toBe(0); // the deposit never happened
    expect(record.rewardInfo).toEqual({ diff: 'accounts/A1' });
  });

  it('runs only the first tool call of a message and keeps only it in the history', async () => {
    const model = sequenceModel([
      {
        toolCalls: [
          { name: 'deposit', arguments: { account_id: 'A1', amount: 5 } },
          { name: 'deposit', arguments: { account_id: 'A2', amount: 5 } },
        ],
      },
      { text: 'Done.' },
    ]);
    const record = await runEpisode(options({ agent: new ToolCallingAgent(), models: { agent: model } }));
    expect(record.toolCalls).toBe(1);
    expect(record.reward).toBe(1);
    const assistant = model.requests[1]?.messages[1];
    expect(assistant).toMatchObject({ role: 'assistant', toolCalls: [{ name: 'deposit' }] });
    expect(assistant?.role === 'assistant' && assistant.toolCalls?.length).toBe(1);
  });

  it('runs every tool call with allToolCalls', async () => {
    const model = sequenceModel([
      {
        toolCalls: [
          { name: 'get_balance', arguments: { account_id: 'A1' } },
          { name: 'get_balance', arguments: { account_id: 'A2' } },
        ],
      },
      { text: 'ok' },
    ]);
    const record = await runEpisode(options({ agent: new ToolCallingAgent({ allToolCalls: true }), models: { agent: model } }));
    expect(record.toolCalls).toBe(2);
    expect(model.requests[1]?.messages.filter((m) => m.role === 'tool')).toHaveLength(2);
  });

  it('returns unparsable tool arguments to the model as an error observation', async () => {
    const model = sequenceModel([{ toolCalls: [{ name: 'deposit', arguments: null, raw: '{"account_id": "A1", amount: }' }] }, { text: 'Sorry.' }]);
    const record = await runEpisode(options({ agent: new ToolCallingAgent(), models: { agent: model } }));
    const toolMsg = model.requests[1]?.messages.find((m) => m.role === 'tool');
    expect(toolMsg).toMatchObject({ role: 'tool', isError: true });
    expect(toolMsg?.role === 'tool' && toolMsg.content).toMatch(/^Error: arguments of deposit are not valid JSON/);
    expect(record.trajectory.find((e) => e.type === 'tool')).toMatchObject({ arguments: '{"account_id": "A1", amount: }', error: true });
    expect(record.trajectory.some((e) => e.type === 'note' && e.kind === 'tool_arguments_unparsable')).toBe(true);
  });

  it('records a ProviderError of the agent model as an infrastructure error, unscored', async () => {
    const model = sequenceModel([goldPlay[0] as ScriptStep, { throw: new ProviderError('openai:x: HTTP 500 (after 6 retries)') }]);
    const record = await runEpisode(options({ agent: new ToolCallingAgent(), models: { agent: model } }));
    expect(record.termination).toEqual({ reason: 'infrastructure_error', message: 'openai:x: HTTP 500 (after 6 retries)', code: 'provider_error' });
    expect(record.reward).toBeNull();
    expect(record.success).toBe(false);
  });

  it('records a ProviderError of the user model as an infrastructure error', async () => {
    const userModel = new ScriptedModel((_, i) => (i === 0 ? { text: 'hello' } : { throw: new ProviderError('anthropic:y: HTTP 529') }));
    const record = await runEpisode(
      options({ agent: new ToolCallingAgent(), models: { agent: sequenceModel(goldPlay), user: userModel }, user: { name: 'llm', create: (c) => new LlmUser(c) } }),
    );
    expect(record.termination.reason).toBe('infrastructure_error');
    expect(record.reward).toBeNull();
  });

  it('records an agent exception as agent_error with reward 0', async () => {
    const agent: Agent = {
      name: 'broken',
      async run(session) {
        await session.callTool('get_balance', { account_id: 'A1' });
        throw new Error('boom');
      },
    };
    const record = await runEpisode(options({ agent, models: {} }));
    expect(record.termination).toEqual({ reason: 'agent_error', message: 'boom' });
    expect(record.reward).toBe(0);
  });

  it('ends as interrupted when the signal aborts', async () => {
    const controller = new AbortController();
    const model = new ScriptedModel((_, i) => {
      if (i === 1) controller.abort();
      return goldPlay[i] as ScriptStep;
    });
    const record = await runEpisode(options({ agent: new ToolCallingAgent(), models: { agent: model }, signal: controller.signal }));
    expect(record.termination.reason).toBe('interrupted');
    expect(record.reward).toBeNull();
  });

  it('ends at the next action once aborted, even when the agent ignores the signal', async () => {
    const controller = new AbortController();
    const agent: Agent = {
      name: 'deaf',
      async run(session) {
        await session.callTool('get_balance', { account_id: 'A1' });
        controller.abort();
        await session.callTool('deposit', { account_id: 'A1', amount: 5 });
        await session.say('done');
      },
    };
    const record = await runEpisode(options({ agent, models: {}, signal: controller.signal }));
    expect(record.termination.reason).toBe('interrupted');
    expect(record.toolCalls).toBe(1);
    expect(record.dbHash).toBe(base.fork().jcsSha256());
  });

  it('gives a session that refuses work after the end', async () => {
    let after: unknown;
    const agent: Agent = {
      name: 'late',
      async run(session) {
        await session.callTool('transfer_to_human_agents', { summary: 'x' });
        after = [await session.callTool('deposit', { account_id: 'A1', amount: 5 }), await session.say('hello?')];
      },
    };
    const record = await runEpisode(options({ agent, models: {} }));
    expect(after).toEqual([
      { observation: '', error: false, done: true },
      { text: '', done: true, reason: 'transfer' },
    ]);
    expect(record.steps).toBe(1);
    expect(record.dbHash).toBe(base.fork().jcsSha256());
  });
});

describe('runEpisode (τ² semantics)', () => {
  const tau2Task = toyTask({ format: 'tau2', id: 'retail_001' });

  it('has the agent greet first and ends on ###TRANSFER###', async () => {
    const user = scriptedUser(null, ['Please deposit 5 into A1.', '###TRANSFER###']);
    const model = sequenceModel([
      { toolCalls: [{ name: 'transfer_to_human_agents', arguments: { summary: 'x' } }] },
      { text: 'I have transferred you.' },
    ]);
    const record = await runEpisode(options({ task: tau2Task, agent: new ToolCallingAgent(), models: { agent: model }, user: { name: 's', create: user.create } }));
    expect(record.semantics).toBe('tau2');
    expect(user.heard[0]).toBe('Hi! How can I help you today?');
    // The transfer tool does not end a τ² episode; the user's token does.
    expect(record.termination.reason).toBe('transfer');
    expect(record.trajectory[0]).toMatchObject({ type: 'message', from: 'agent', text: 'Hi! How can I help you today?' });
    expect(model.requests[0]?.messages[0]).toEqual({ role: 'assistant', content: 'Hi! How can I help you today?' });
    expect(record.toolCalls).toBe(1);
  });

  it('ends on ###OUT-OF-SCOPE###', async () => {
    const user = scriptedUser(null, ['Can you do my taxes?', 'x ###OUT-OF-SCOPE###']);
    const record = await runEpisode(
      options({ task: tau2Task, agent: new ToolCallingAgent(), models: { agent: sequenceModel([{ text: 'What exactly?' }]) }, user: { name: 's', create: user.create } }),
    );
    expect(record.termination.reason).toBe('out_of_scope');
    expect(record.reward).toBe(0);
  });

  it('does not treat τ² tokens as stops under v1', async () => {
    const user = scriptedUser('hi', ['###TRANSFER###', '###STOP###']);
    const record = await runEpisode(options({ agent: new ToolCallingAgent(), models: { agent: sequenceModel([{ text: 'Hello' }]) }, user: { name: 's', create: user.create } }));
    expect(record.termination.reason).toBe('user_stop');
    expect(record.turns).toBe(2);
  });
});
