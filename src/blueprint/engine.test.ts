import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { BlueprintRuntimeError, blueprintAgentEntry, createBlueprintAgent, defineBlueprint, requestHash, runBlueprint, type AuditEvent, type Blueprint } from './index.js';
import { fakeBase, fakeRegistry } from './testing/fake-domain.js';
import { FakeSession, subtaskOf, type FakeSessionOptions, type ScriptedModel } from './testing/fake-session.js';
import { makeScript, orderDesk, scriptedModel, scriptedUser } from './testing/order-desk.js';

const registry = fakeRegistry();
const base = fakeBase();

function session(options: Partial<FakeSessionOptions> = {}): FakeSession {
  return new FakeSession({ registry, base, ...options });
}

function path(events: AuditEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'node_entered' ? [e.node] : []));
}

function ofType<T extends AuditEvent['type']>(events: AuditEvent[], type: T): Array<Extract<AuditEvent, { type: T }>> {
  return events.filter((e): e is Extract<AuditEvent, { type: T }> => e.type === type);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sequence, route, branch', () => {
  interface Ctx {
    n: number;
    trail: string[];
  }
  const bp = defineBlueprint({
    id: 'flow',
    version: '1',
    approvedTools: [],
    context: (): Ctx => ({ n: 0, trail: [] }),
    start: 'a',
    nodes: (n) => [
      n.code('a', { run: (c) => void (c.n = 5), next: 'r' }),
      n.route('r', { targets: ['small', 'big'], choose: (c) => (c.n > 3 ? 'big' : 'small') }),
      n.code('small', { run: (c) => void c.trail.push('small'), next: 'b' }),
      n.code('big', { run: (c) => void c.trail.push('big'), next: 'b' }),
      n.branch('b', { test: (c) => c.trail.length === 1, then: 'done', else: 'oops' }),
      n.end('done', { reason: 'ok' }),
      n.end('oops', { reason: 'bad' }),
    ],
  });

  it('follows next edges and the routes chosen by code, recording the path and context changes', async () => {
    const s = session();
    const result = await runBlueprint(bp, s);
    expect(path(result.events)).toEqual(['a', 'r', 'big', 'b', 'done']);
    expect(result.end).toEqual({ node: 'done', reason: 'ok' });
    expect(result.ctx).toEqual({ n: 5, trail: ['big'] });
    const exits = ofType(result.events, 'node_exited');
    expect(exits.map((e) => [e.node, e.next, e.changes])).toEqual([
      ['a', 'r', { n: 5 }],
      ['r', 'big', {}],
      ['big', 'b', { trail: ['big'] }],
      ['b', 'done', {}],
    ]);
    expect(result.events.map((e) => e.seq)).toEqual(result.events.map((_, i) => i));
    // The same events went to the session as notes.
    expect(s.notes).toEqual(result.events.map((e) => ({ kind: 'blueprint', data: e })));
    expect(JSON.parse(JSON.stringify(result.events))).toEqual(result.events);
  });

  it('accepts nodes as a plain array of node objects', async () => {
    const plain = defineBlueprint({
      id: 'plain',
      version: '1',
      approvedTools: ['get_order'],
      context: () => ({ status: '' }),
      start: 'look',
      nodes: [
        { id: 'look', kind: 'tool', tool: 'get_order', args: { order_id: '#2' }, onResult: (c, r) => void (c.status = String((r.json() as { status: string }).status)), next: 'done' },
        { id: 'done', kind: 'end', reason: 'looked' },
      ],
    });
    const r = await runBlueprint(plain, session());
    expect(r.ctx.status).toBe('delivered');
    expect(r.end).toEqual({ node: 'done', reason: 'looked' });
  });

  it('fails when a route chooses a target it did not declare', async () => {
    const bad = defineBlueprint({
      id: 'bad-route',
      version: '1',
      approvedTools: [],
      context: () => ({}),
      start: 'r',
      nodes: (n) => [n.route('r', { targets: ['x'], choose: () => 'y' }), n.end('x', { reason: 'ok' }), n.end('y', { reason: 'never' })],
    });
    const s = session();
    await expect(runBlueprint(bad, s, { validate: false })).rejects.toThrow(/chose "y", which is not one of its targets/);
    const last = s.notes.at(-1)?.data as AuditEvent;
    expect(last).toMatchObject({ type: 'error', node: 'r', code: 'episode_error' });
  });

  it('never reads Date.now or Math.random', async () => {
    const now = vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now used');
    });
    const random = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    const script = makeScript(3);
    const u = scriptedUser(script);
    const result = await runBlueprint(orderDesk, session({ firstUserMessage: u.first, user: u.user, model: scriptedModel(script) }));
    expect(result.end.reason).toBeTruthy();
    expect(now).not.toHaveBeenCalled();
    expect(random).not.toHaveBeenCalled();
  });
});

describe('loops', () => {
  interface Ctx {
    i: number;
    log: string[];
  }
  const counting = (max: number, onExhausted?: string): Blueprint<Ctx> =>
    defineBlueprint({
      id: 'count',
      version: '1',
      approvedTools: [],
      context: (): Ctx => ({ i: 0, log: [] }),
      start: 'loop',
      nodes: (n) => [
        n.loop('loop', { maxIterations: max, while: (c) => c.i < 3, body: 'inc', exit: 'done', ...(onExhausted === undefined ? {} : { onExhausted }) }),
        n.code('inc', { run: (c) => void c.i++, next: 'loop' }),
        n.end('done', { reason: 'counted' }),
        ...(onExhausted === undefined ? [] : [n.end(onExhausted, { reason: 'exhausted' })]),
      ],
    });

  it('runs the body while the condition holds, within maxIterations', async () => {
    const r = await runBlueprint(counting(5), session());
    expect(r.ctx.i).toBe(3);
    expect(path(r.events)).toEqual(['loop', 'inc', 'loop', 'inc', 'loop', 'inc', 'loop', 'done']);
    expect(ofType(r.events, 'node_exited').filter((e) => e.node === 'loop').map((e) => [e.next, e.iteration])).toEqual([
      ['inc', 1],
      ['inc', 2],
      ['inc', 3],
      ['done', 3],
    ]);
  });

  it('goes to onExhausted, or fails, when maxIterations runs out', async () => {
    const r = await runBlueprint(counting(2, 'gave_up'), session());
    expect(r.ctx.i).toBe(2);
    expect(r.end.reason).toBe('exhausted');
    await expect(runBlueprint(counting(2), session())).rejects.toThrow(/loop "loop" ran out of its 2 iteration/);
  });

  it('foreach binds each item and restarts its count on each activation from outside its body', async () => {
    const bp = defineBlueprint({
      id: 'nested',
      version: '1',
      approvedTools: [],
      context: (): Ctx & { rows: string[][]; row: string[] } => ({ i: 0, log: [], rows: [['a', 'b'], ['c']], row: [] }),
      start: 'rows',
      nodes: (n) => [
        n.foreach('rows', { maxIterations: 3, items: (c) => c.rows, bind: (c, row) => void (c.row = row), body: 'cells', exit: 'done' }),
        n.foreach('cells', { maxIterations: 2, items: (c) => c.row, bind: (c, cell, k) => void c.log.push(`${cell}${k}`), body: 'cell', exit: 'rows' }),
        n.code('cell', { run: (c) => void c.i++, next: 'cells' }),
        n.end('done', { reason: 'ok' }),
      ],
    });
    const r = await runBlueprint(bp, session());
    expect(r.ctx.log).toEqual(['a0', 'b1', 'c0']);
    expect(r.ctx.i).toBe(3);
    expect(r.end.reason).toBe('ok');
  });
});

describe('pre- and postconditions', () => {
  interface Ctx {
    confirmed: boolean;
    tries: number;
    result: string | null;
  }
  const cancel = (onPreFail?: string): Blueprint<Ctx> =>
    defineBlueprint({
      id: 'guarded',
      version: '1',
      approvedTools: ['cancel_order'],
      context: (): Ctx => ({ confirmed: false, tries: 0, result: null }),
      start: 'cancel',
      nodes: (n) => [
        n.tool('cancel', {
          tool: 'cancel_order',
          pre: { confirmed: (c) => c.confirmed },
          ...(onPreFail === undefined ? {} : { onPreFail }),
          args: { order_id: '#1', reason: 'no longer needed' },
          onResult: (c, r) => void (c.result = r.observation),
          next: 'done',
        }),
        n.end('done', { reason: 'cancelled' }),
        ...(onPreFail === undefined ? [] : [n.end(onPreFail, { reason: 'refused' })]),
      ],
    });

  it('a failed precondition goes to onPreFail without running the node', async () => {
    const s = session();
    const r = await runBlueprint(cancel('refused'), s);
    expect(r.end.reason).toBe('refused');
    expect(s.env.actions).toEqual([]);
    expect(ofType(r.events, 'precondition_failed')).toEqual([expect.objectContaining({ node: 'cancel', condition: 'confirmed', next: 'refused' })]);
  });

  it('a failed precondition without onPreFail fails the run before the write', async () => {
    const s = session();
    await expect(runBlueprint(cancel(), s)).rejects.toBeInstanceOf(BlueprintRuntimeError);
    expect(s.env.actions).toEqual([]);
    expect(s.env.db.table('orders').get('#1')?.status).toBe('pending');
  });

  it('retries a node whose postcondition fails, then goes to onPostFail', async () => {
    const bp = (retry: number): Blueprint<Ctx> =>
      defineBlueprint({
        id: 'post',
        version: '1',
        approvedTools: [],
        context: (): Ctx => ({ confirmed: false, tries: 0, result: null }),
        start: 'work',
        nodes: (n) => [
          n.code('work', { run: (c) => void c.tries++, post: { third: (c) => c.tries >= 3 }, retry, onPostFail: 'failed', next: 'done' }),
          n.end('done', { reason: 'ok' }),
          n.end('failed', { reason: 'post failed' }),
        ],
      });
    const ok = await runBlueprint(bp(2), session());
    expect(ok.end.reason).toBe('ok');
    expect(ofType(ok.events, 'postcondition_failed').map((e) => e.attempt)).toEqual([1, 2]);
    const failed = await runBlueprint(bp(1), session());
    expect(failed.ctx.tries).toBe(2);
    expect(failed.end.reason).toBe('post failed');
  });

  it('retries a node whose code throws, then fails the run naming the node', async () => {
    let calls = 0;
    const bp = defineBlueprint({
      id: 'throws',
      version: '1',
      approvedTools: [],
      context: () => ({}),
      start: 'boom',
      nodes: (n) => [
        n.code('boom', {
          run: () => {
            calls++;
            throw new Error('kaput');
          },
          retry: 2,
          next: 'done',
        }),
        n.end('done', { reason: 'ok' }),
      ],
    });
    const s = session();
    const err = await runBlueprint(bp, s).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlueprintRuntimeError);
    expect((err as BlueprintRuntimeError).path).toBe('boom');
    expect((err as Error).message).toBe('run of node "boom" threw: kaput');
    expect(calls).toBe(3);
    expect(s.notes.map((n) => (n.data as AuditEvent).type)).toEqual(['run_started', 'node_entered', 'node_failed', 'node_failed', 'node_failed', 'error']);
  });
});

describe('llm sub-tasks', () => {
  interface Ctx {
    text: string;
    intent: string | null;
    fellBack: string | null;
  }
  const classify = defineBlueprint({
    id: 'classify',
    version: '1',
    approvedTools: [],
    context: (info): Ctx => ({ text: info.firstUserMessage ?? '', intent: null, fellBack: null }),
    start: 'cls',
    nodes: (n) => [
      n.llm('cls', {
        task: 'classify_intent',
        instructions: 'Classify the request.',
        input: (c) => ({ message: c.text }),
        schema: z.object({ intent: z.enum(['cancel', 'status']) }),
        check: (out, c) => (out.intent === 'status' && c.text.includes('cancel') ? 'the message asks to cancel' : undefined),
        onResult: (c, out) => void (c.intent = out.intent),
        onFallback: (c, error) => void (c.fellBack = error),
        next: 'done',
        fallback: 'human',
      }),
      n.end('done', { reason: 'classified' }),
      n.end('human', { reason: 'fallback' }),
    ],
  });

  const answers =
    (...texts: Array<string | null>): ScriptedModel =>
    () =>
      texts.shift() ?? null;

  it('asks the subtask model with the privileged sub-task and logs request hash and parsed answer', async () => {
    const s = session({ firstUserMessage: 'cancel #1 please', model: answers('{"intent": "cancel"}') });
    const r = await runBlueprint(classify, s);
    expect(r.ctx.intent).toBe('cancel');
    expect(s.modelCalls).toHaveLength(1);
    const call = s.modelCalls[0]!;
    expect(call.role).toBe('subtask');
    expect(subtaskOf(call.request)).toEqual({ name: 'classify_intent', input: { message: 'cancel #1 please' } });
    expect(call.request.responseFormat?.name).toBe('classify_intent');
    expect(call.request.temperature).toBe(0);
    const req = ofType(r.events, 'llm_request')[0]!;
    expect(req).toMatchObject({ node: 'cls', role: 'subtask', task: 'classify_intent', attempt: 1 });
    expect(req.hash).toBe(requestHash(call.request));
    expect(req.hash).toBe(requestHash({ ...call.request, privileged: { task: 'anything else' } }));
    expect(ofType(r.events, 'llm_response')[0]).toMatchObject({ text: '{"intent": "cancel"}', answer: { intent: 'cancel' } });
  });

  it('feeds invalid answers back and accepts a later valid one', async () => {
    const s = session({ firstUserMessage: 'cancel it', model: answers('nope', '{"intent": "refund"}', '{"intent": "cancel"}') });
    const r = await runBlueprint(classify, s);
    expect(r.ctx.intent).toBe('cancel');
    expect(ofType(r.events, 'validation_failed').map((e) => [e.attempt, e.stage])).toEqual([
      [1, 'parse'],
      [2, 'schema'],
    ]);
    const third = s.modelCalls[2]!.request.messages;
    expect(third).toHaveLength(5);
    expect(third[1]).toEqual({ role: 'assistant', content: 'nope' });
    expect(third[3]).toEqual({ role: 'assistant', content: '{"intent": "refund"}' });
    expect(third[4]).toMatchObject({ role: 'user', content: expect.stringContaining('intent') });
  });

  it('after maxAttempts invalid answers takes the deterministic fallback', async () => {
    const s = session({ firstUserMessage: 'cancel it', model: answers('{"intent": "status"}', '{}', null) });
    const r = await runBlueprint(classify, s);
    expect(s.modelCalls).toHaveLength(3);
    expect(r.end).toEqual({ node: 'human', reason: 'fallback' });
    expect(r.ctx.intent).toBeNull();
    expect(r.ctx.fellBack).toMatch(/empty/);
    expect(ofType(r.events, 'validation_failed').map((e) => e.stage)).toEqual(['check', 'schema', 'parse']);
    expect(ofType(r.events, 'fallback')).toEqual([expect.objectContaining({ node: 'cls', next: 'human' })]);
  });

  it('a model call past timeoutMs is aborted and counts as a failed attempt', async () => {
    const bp = defineBlueprint({ ...classifyDefinition(), nodes: classify.nodes.map((nd) => (nd.id === 'cls' ? { ...nd, timeoutMs: 20 } : nd)) });
    let first = true;
    const slow: ScriptedModel = (_req, _role, signal) => {
      if (!first) return '{"intent": "cancel"}';
      first = false;
      return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    };
    const r = await runBlueprint(bp, session({ firstUserMessage: 'cancel', model: slow }));
    expect(r.ctx.intent).toBe('cancel');
    expect(ofType(r.events, 'llm_error')).toEqual([expect.objectContaining({ attempt: 1, timeout: true })]);
  });

  it('a provider failure ends the run with an error event and propagates', async () => {
    const s = session({ model: () => new Error('503 from provider') });
    await expect(runBlueprint(classify, s)).rejects.toThrow('503 from provider');
    expect(s.notes.map((n) => (n.data as AuditEvent).type).slice(-2)).toEqual(['llm_error', 'error']);
  });

  function classifyDefinition() {
    return { id: classify.id, version: '2', approvedTools: [], context: classify.context, start: classify.start };
  }
});

describe('tools, messages and endings', () => {
  it('plays a whole conversation: read, confirm, write, goodbye', async () => {
    const script = { requests: [{ text: 'Please cancel order #1.', confirm: 'yes' as const }], noise: 0, stop: false, seed: 1 };
    const u = scriptedUser(script);
    const s = session({ firstUserMessage: u.first, user: u.user, model: scriptedModel(script) });
    const r = await runBlueprint(orderDesk, s);
    expect(r.end).toEqual({ node: 'finished', reason: 'resolved' });
    expect(s.env.actions.filter((a) => a.name !== 'respond').map((a) => [a.name, a.kwargs])).toEqual([
      ['get_order', { order_id: '#1' }],
      ['cancel_order', { order_id: '#1', reason: 'no longer needed' }],
    ]);
    expect(s.env.db.table('orders').get('#1')?.status).toBe('cancelled');
    expect(s.said).toEqual(['Shall I cancel order #1 (mug)? (yes/no)', 'Order #1 is cancelled. Anything else?', expect.stringMatching(/^(Goodbye!|Have a nice day!)$/)]);
    expect(ofType(r.events, 'tool_call')[1]).toMatchObject({ tool: 'cancel_order', args: '{"order_id": "#1", "reason": "no longer needed"}', error: false });
    expect(ofType(r.events, 'random')).toHaveLength(1);
    expect(new Set(s.modelCalls.map((c) => c.role))).toEqual(new Set(['subtask']));
  });

  it('a declined confirmation never reaches the write tool', async () => {
    const script = { requests: [{ text: 'Please cancel order #3.', confirm: 'no' as const }], noise: 0, stop: true, seed: 1 };
    const u = scriptedUser(script);
    const s = session({ firstUserMessage: u.first, user: u.user, model: scriptedModel(script) });
    const r = await runBlueprint(orderDesk, s);
    expect(r.end).toEqual({ node: 'kept', reason: 'user_stop' });
    expect(s.env.actions.map((a) => a.name)).not.toContain('cancel_order');
    expect(ofType(r.events, 'precondition_failed')).toEqual([expect.objectContaining({ node: 'do_cancel', condition: 'confirmed', next: 'kept' })]);
  });

  it('a terminating tool ends the run (v1)', async () => {
    const script = { requests: [{ text: 'I want a refund for my wife.' }], noise: 0, stop: false, seed: 1 };
    const u = scriptedUser(script);
    const s = session({ firstUserMessage: u.first, user: u.user, model: scriptedModel(script) });
    const r = await runBlueprint(orderDesk, s);
    expect(r.end).toEqual({ node: 'transfer', reason: 'transfer' });
    expect(s.said).toEqual([]);
  });

  it('words replies with the agent model when asked to, from the facts', async () => {
    const script = { requests: [{ text: 'What is the status of order #2?' }], noise: 0, stop: true, seed: 1 };
    const u = scriptedUser(script);
    const user = (t: string): string => (t.startsWith('Worded') ? '###STOP###' : u.user(t));
    const s = session({ firstUserMessage: u.first, user, model: scriptedModel(script) });
    const r = await runBlueprint(orderDesk, s, { replies: 'llm' });
    expect(s.said).toEqual(['Worded: {"order_id":"#2","status":"delivered"}']);
    const agentCall = s.modelCalls.find((c) => c.role === 'agent');
    expect(subtaskOf(agentCall!.request)).toEqual({ name: 'say:order_status', input: { facts: { order_id: '#2', status: 'delivered' }, draft: 'Order #2 is delivered. Anything else?' } });
    expect(ofType(r.events, 'say')).toEqual([expect.objectContaining({ worded: true })]);
    // Template mode asks no model for wording.
    const t = session({ firstUserMessage: u.first, user: () => '###STOP###', model: scriptedModel(script) });
    await runBlueprint(orderDesk, t);
    expect(t.modelCalls.map((c) => c.role)).not.toContain('agent');
    expect(t.said).toEqual(['Order #2 is delivered. Anything else?']);
  });

  it('refuses at run time a tool that is not approved, without calling it', async () => {
    const bp = defineBlueprint({
      id: 'sneaky',
      version: '1',
      approvedTools: ['get_order'],
      context: () => ({}),
      start: 'x',
      nodes: (n) => [n.tool('x', { tool: 'transfer_to_human', args: { summary: 'hi' }, next: 'e' }), n.end('e', { reason: 'ok' })],
    });
    const s = session();
    await expect(runBlueprint(bp, s, { validate: false })).rejects.toThrow(/refused to call tool "transfer_to_human"/);
    expect(s.env.actions).toEqual([]);
  });

  it('the agent runs the blueprint and hands each run to onRun', async () => {
    const runs: unknown[] = [];
    const agent = createBlueprintAgent(orderDesk, { onRun: (r) => runs.push(r) });
    expect(agent.name).toBe('blueprint');
    const script = makeScript(5);
    const u = scriptedUser(script);
    const s = session({ firstUserMessage: u.first, user: u.user, model: scriptedModel(script) });
    await agent.run(s);
    expect(runs).toHaveLength(1);
    const rec = runs[0] as { events: AuditEvent[]; end: { reason: string } };
    expect(rec.events).toEqual(s.notes.map((n) => n.data));
    expect(rec.events.at(-1)).toMatchObject({ type: 'end', reason: rec.end.reason });
  });

  it('the registry entry picks the blueprint by domain and checks its settings up front', async () => {
    const entry = blueprintAgentEntry({ fake: orderDesk });
    expect(() => entry.create({ seed: 1, settings: { replys: 'llm' } })).toThrow(ConfigError);
    expect(() => entry.create({ seed: 1, settings: { replies: 'poem' } })).toThrow(/"template" or "llm"/);
    expect(() => entry.create({ seed: 1, settings: { maxNodeVisits: 0 } })).toThrow(/positive integer/);
    const agent = entry.create({ seed: 1, temperature: 0.5, settings: { replies: 'llm', subtaskMaxTokens: 64 } });
    expect(agent.name).toBe('blueprint');
    const script = { requests: [{ text: 'What is the status of order #3?' }], noise: 0, stop: true, seed: 1 };
    const u = scriptedUser(script);
    const s = session({ firstUserMessage: u.first, user: () => '###STOP###', model: scriptedModel(script) });
    await agent.run(s);
    const sub = s.modelCalls.find((c) => c.role === 'subtask')!.request;
    expect([sub.temperature, sub.maxTokens]).toEqual([0, 64]);
    const word = s.modelCalls.find((c) => c.role === 'agent')!.request;
    expect(word.temperature).toBe(0.5);
    const other = blueprintAgentEntry({ retail: orderDesk }).create({ seed: 1, settings: {} });
    await expect(other.run(session())).rejects.toThrow(/no blueprint for domain "fake"/);
  });
});
