import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PyFloat } from '../../core/py/py-float.js';
import { pyDumps } from '../../core/py/py-json.js';
import { pyObject, type PyObject } from '../../core/py/py-value.js';
import type { GoldAction, Task, TaskEvaluation } from '../../core/task.js';
import { BaseDb } from '../db-state.js';
import { Environment, type Action } from '../environment.js';
import { ToolRegistry } from '../registry.js';
import { defineTool, pyNumber, ToolFailure } from '../tool.js';
import {
  actionMatches,
  computeReward,
  GoldCache,
  makeScorer,
  outputFound,
  playGoldTrajectory,
  pyEqual,
  replayGold,
  scoreTau2,
  scoreV1,
  type Judge,
} from './index.js';

// A tiny hand-made domain: orders with a price and a status.
function makeBase(): BaseDb {
  return new BaseDb([
    ['orders', [['o1', pyObject([['price', 100], ['status', 'pending']])], ['o2', pyObject([['price', new PyFloat(5.5)], ['status', 'pending']])]]],
    ['log', []],
  ]);
}

const getOrder = defineTool({
  name: 'get_order',
  description: 'read an order',
  kind: 'read',
  schema: z.strictObject({ order_id: z.string() }),
  invoke: (db, { order_id }) => {
    const o = db.table('orders').get(order_id);
    if (o === undefined) throw new ToolFailure('order not found');
    return pyDumps(o as PyObject);
  },
});
const setPrice = defineTool({
  name: 'set_price',
  description: 'change the price',
  kind: 'write',
  schema: z.strictObject({ order_id: z.string(), price: pyNumber() }),
  invoke: (db, { order_id, price }) => {
    const o = db.table('orders').mut(order_id);
    if (o === undefined) throw new ToolFailure('order not found');
    if (o.status !== 'pending') throw new ToolFailure('order is not pending');
    o.price = price;
    return 'ok';
  },
});
const cancel = defineTool({
  name: 'cancel',
  description: 'cancel an order',
  kind: 'write',
  schema: z.strictObject({ order_id: z.string(), reason: z.string() }),
  invoke: (db, { order_id }) => {
    const o = db.table('orders').mut(order_id);
    if (o === undefined) throw new ToolFailure('order not found');
    o.status = 'cancelled';
    return 'cancelled';
  },
});
// A terminate tool that would leave a trace if it were replayed: the v1 gold replay must skip it.
const transfer = defineTool({
  name: 'transfer_to_human_agents',
  description: 'hand over',
  kind: 'generic',
  terminate: true,
  schema: z.strictObject({ summary: z.string() }),
  invoke: (db, { summary }) => {
    db.table('log').set(`t${db.table('log').size}`, { summary });
    return 'Transfer successful';
  },
});
const registry = new ToolRegistry([getOrder, setPrice, cancel, transfer]);

const act = (name: string, kwargs: PyObject): GoldAction => ({ name, kwargs });

function v1Task(actions: GoldAction[], outputs: string[] = []): Task {
  return { id: '0', index: 0, format: 'tau-v1', domain: 'shop', instruction: 'x', actions, outputs };
}

function tau2Task(actions: GoldAction[], evaluation: Partial<TaskEvaluation>): Task {
  return {
    id: 't',
    index: 0,
    format: 'tau2',
    domain: 'shop',
    instruction: 'x',
    actions,
    outputs: [],
    evaluation: { rewardBasis: ['DB', 'COMMUNICATE'], communicateInfo: [], nlAssertions: [], envAssertions: [], ...evaluation },
  };
}

/** Runs actions (and `respond` replies) on a fresh environment. */
function play(base: BaseDb, actions: Action[]): Environment {
  const env = new Environment({ registry, base });
  for (const a of actions) env.step(a);
  return env;
}

const reply = (content: string): Action => ({ name: 'respond', kwargs: { content } });
const stop = { reason: 'user_stop' } as const;

describe('v1 reward', () => {
  const base = makeBase();
  const gold = [act('get_order', { order_id: 'o1' }), act('set_price', { order_id: 'o1', price: new PyFloat(80) })];

  it('scores 1 when the database equals the gold replay', () => {
    const env = play(base, [{ name: 'set_price', kwargs: { order_id: 'o1', price: new PyFloat(80) } }]);
    const info = scoreV1({ task: v1Task(gold), state: env, termination: stop }, { base, registry });
    expect(info).toMatchObject({ reward: 1, rules: 'tau-v1', basis: ['DB'], components: { DB: 1 }, db: { match: true, goldErrors: [] } });
    expect(info.note).toBeUndefined();
  });

  it('scores 0 on a database mismatch and names the first differing record', () => {
    const env = play(base, [{ name: 'set_price', kwargs: { order_id: 'o1', price: new PyFloat(81) } }]);
    const info = scoreV1({ task: v1Task(gold), state: env, termination: stop }, { base, registry });
    expect(info).toMatchObject({ reward: 0, components: { DB: 0 }, db: { match: false, firstDifference: 'orders/o1' } });
    expect(info.note).toMatch(/orders\/o1/);
  });

  it('tells 80 from 80.0 like Python (v1) but not under τ² (typed models)', async () => {
    const env = play(base, [{ name: 'set_price', kwargs: { order_id: 'o1', price: 80 } }]);
    expect(scoreV1({ task: v1Task(gold), state: env, termination: stop }, { base, registry }).reward).toBe(0);
    const t2 = tau2Task(gold, {});
    expect((await scoreTau2({ task: t2, state: env, termination: stop }, { base, registry })).reward).toBe(1);
  });

  it('an agent that does nothing fails a task whose gold writes', () => {
    const info = scoreV1({ task: v1Task(gold), state: play(base, []), termination: stop }, { base, registry });
    expect(info.reward).toBe(0);
  });

  it('replays failing gold writes as observations and records them', () => {
    const task = v1Task([act('cancel', { order_id: 'o2', reason: 'x' }), act('set_price', { order_id: 'o2', price: 1 }), act('get_order', { order_id: 'nope' })]);
    const g = replayGold(task, base, registry);
    expect(g.errors).toEqual([
      { index: 1, name: 'set_price', observation: 'Error: order is not pending', write: true },
      { index: 2, name: 'get_order', observation: 'Error: order not found', write: false },
    ]);
    const env = play(base, [{ name: 'cancel', kwargs: { order_id: 'o2', reason: 'y' } }]);
    expect(scoreV1({ task, state: env, termination: stop }, { base, registry })).toMatchObject({ reward: 1, db: { goldErrors: g.errors } });
  });

  it('skips terminate tools in the gold replay', () => {
    const task = v1Task([act('cancel', { order_id: 'o1', reason: 'x' }), act('transfer_to_human_agents', { summary: 's' })]);
    expect(replayGold(task, base, registry).db.table('log').size).toBe(0);
    const traj = playGoldTrajectory(task, base, registry);
    expect(traj.termination.reason).toBe('transfer');
    // The gold trajectory replies before the transfer that ends it, so the agent's log has a trace the gold has not.
    expect(traj.env.actions.map((a) => a.name)).toEqual(['cancel', 'respond', 'transfer_to_human_agents']);
    expect(scoreV1({ task, state: traj.env, termination: traj.termination }, { base, registry })).toMatchObject({ reward: 0, db: { firstDifference: 'log/t0' } });
  });

  it('requires every output in some reply, lower-cased, with commas removed from the reply only', () => {
    const task = v1Task([], ['1204.5', 'Camera']);
    const score = (...replies: string[]) => scoreV1({ task, state: play(base, replies.map(reply)), termination: stop }, { base, registry });
    expect(score('The CAMERA costs $1,204.5 in total.')).toMatchObject({ reward: 1, basis: ['DB', 'OUTPUTS'], components: { DB: 1, OUTPUTS: 1 }, outputs: { '1204.5': true, Camera: true } });
    expect(score('camera', 'it was 1204.50')).toMatchObject({ reward: 1 });
    const missing = score('the camera costs 1204');
    expect(missing).toMatchObject({ reward: 0, components: { OUTPUTS: 0 }, outputs: { '1204.5': false, Camera: true } });
    expect(missing.note).toMatch(/"1204\.5"/);
    expect(outputFound('1,000', ['it is 1,000'])).toBe(false);
    expect(outputFound('20 hours', ['About 20 Hours.'])).toBe(true);
    // Tool observations are not replies.
    expect(score().reward).toBe(0);
  });

  it('scores 0 with the reason when the episode did not end properly', () => {
    const env = play(base, [{ name: 'set_price', kwargs: { order_id: 'o1', price: new PyFloat(80) } }]);
    const info = scoreV1({ task: v1Task(gold), state: env, termination: { reason: 'max_steps', message: '30 steps' } }, { base, registry });
    expect(info).toMatchObject({ reward: 0, termination: { reason: 'max_steps' }, components: {} });
    expect(info.note).toMatch(/max_steps: 30 steps/);
  });
});

describe('τ² reward', () => {
  const base = makeBase();
  const gold = [act('get_order', { order_id: 'o1' }), act('cancel', { order_id: 'o1', reason: 'no longer needed' })];
  const cancelled = (): Environment => play(base, [{ name: 'get_order', kwargs: { order_id: 'o1' } }, { name: 'cancel', kwargs: { order_id: 'o1', reason: 'no longer needed' } }, reply('Cancelled; refund of 1,204.50 USD')]);

  it('multiplies DB and COMMUNICATE', async () => {
    const ok = await scoreTau2({ task: tau2Task(gold, { communicateInfo: ['1204.50'] }), state: cancelled(), termination: stop }, { base, registry });
    expect(ok).toMatchObject({ reward: 1, rules: 'tau2', basis: ['DB', 'COMMUNICATE'], components: { DB: 1, COMMUNICATE: 1, ACTION: 1, ENV_ASSERTION: 1 } });
    const missing = await scoreTau2({ task: tau2Task(gold, { communicateInfo: ['1204.50', 'store credit'] }), state: cancelled(), termination: stop }, { base, registry });
    expect(missing).toMatchObject({ reward: 0, components: { DB: 1, COMMUNICATE: 0 }, communicate: [{ info: '1204.50', met: true }, { info: 'store credit', met: false }] });
    const nothing = await scoreTau2({ task: tau2Task(gold, {}), state: play(base, []), termination: stop }, { base, registry });
    expect(nothing).toMatchObject({ reward: 0, components: { DB: 0 }, db: { firstDifference: 'orders/o1' } });
  });

  it('gates on ACTION only when it is in the basis, with compare_args', async () => {
    const task = tau2Task([act('get_order', { order_id: 'o1' }), { name: 'cancel', kwargs: { order_id: 'o1', reason: 'gold words' }, id: 'c', compareArgs: ['order_id'] }], { rewardBasis: ['DB', 'ACTION'] });
    const env = play(base, [{ name: 'cancel', kwargs: { order_id: 'o1', reason: 'other words' } }]);
    const info = await scoreTau2({ task, state: env, termination: stop }, { base, registry });
    // DB differs? No: the reason is not stored, so the databases match; get_order was never called.
    expect(info).toMatchObject({ reward: 0, components: { DB: 1, ACTION: 0 }, actions: [{ name: 'get_order', met: false }, { id: 'c', name: 'cancel', met: true }] });
    const diag = await scoreTau2({ task: { ...task, evaluation: { ...task.evaluation!, rewardBasis: ['DB'] } }, state: env, termination: stop }, { base, registry });
    expect(diag).toMatchObject({ reward: 1, components: { ACTION: 0 } });
  });

  it('compares action arguments like Python ==, keys taken from the call when compare_args is null', () => {
    const gold1: GoldAction = { name: 'set_price', kwargs: { order_id: 'o1', price: 80, extra: 1 } };
    expect(actionMatches(gold1, { name: 'set_price', kwargs: { order_id: 'o1', price: new PyFloat(80) } })).toBe(true);
    expect(actionMatches(gold1, { name: 'set_price', kwargs: { order_id: 'o1', price: 81 } })).toBe(false);
    expect(actionMatches(gold1, { name: 'set_price', kwargs: { order_id: 'o1', price: 80, note: 'x' } })).toBe(false);
    expect(actionMatches({ name: 'x', kwargs: { a: 1 }, compareArgs: [] }, { name: 'x', kwargs: { a: 2 } })).toBe(true);
    expect(actionMatches({ name: 'x', kwargs: { q: '{"a": [1, 2]}' } }, { name: 'x', kwargs: { q: ' {"a":[1,2.0]}' } })).toBe(true);
    expect(pyEqual({ a: [1, true] }, { a: [new PyFloat(1), 1] })).toBe(true);
    expect(pyEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(pyEqual('1', 1)).toBe(false);
  });

  it('reports a task that needs an NL judge as unscored without one, never passed', async () => {
    const task = tau2Task(gold, { rewardBasis: ['DB', 'NL_ASSERTION'], nlAssertions: ['Agent confirms before cancelling.'] });
    const info = await scoreTau2({ task, state: cancelled(), termination: stop }, { base, registry });
    expect(info).toMatchObject({ reward: null, components: { DB: 1, NL_ASSERTION: null }, nlAssertions: null });
    expect(info.note).toMatch(/unscored: NL_ASSERTION.*no judge/);
    // A failing DB still scores 0, judge or not.
    expect((await scoreTau2({ task, state: play(base, []), termination: stop }, { base, registry })).reward).toBe(0);
    // No assertions listed: nothing to judge.
    expect((await scoreTau2({ task: tau2Task(gold, { rewardBasis: ['DB', 'NL_ASSERTION'] }), state: cancelled(), termination: stop }, { base, registry })).reward).toBe(1);
  });

  it('asks the judge with the transcript and uses its verdict', async () => {
    const seen: string[] = [];
    const judge = (met: boolean): Judge => ({
      judge: async (t, transcript) => {
        seen.push(transcript.map((m) => `${m.role}:${m.toolCall?.name ?? m.content}`).join('|'));
        return { met, results: t.evaluation!.nlAssertions.map((assertion) => ({ assertion, met })) };
      },
    });
    const task = tau2Task(gold, { rewardBasis: ['DB', 'NL_ASSERTION'], nlAssertions: ['Agent confirms before cancelling.'] });
    expect(await scoreTau2({ task, state: cancelled(), termination: stop }, { base, registry, judge: judge(true) })).toMatchObject({ reward: 1, components: { NL_ASSERTION: 1 } });
    const no = await scoreTau2({ task, state: cancelled(), termination: stop }, { base, registry, judge: judge(false) });
    expect(no).toMatchObject({ reward: 0, nlAssertions: { met: false } });
    expect(seen[0]).toBe('assistant:get_order|assistant:cancel|assistant:Cancelled; refund of 1,204.50 USD');
  });

  it('runs env assertions through a runner, unscored without one', async () => {
    const task = tau2Task([], { rewardBasis: ['ENV_ASSERTION'], envAssertions: [{ envType: 'assistant', funcName: 'is_cancelled', arguments: { order_id: 'o1' }, assertValue: true }] });
    const runner = (db: Parameters<NonNullable<Parameters<typeof scoreTau2>[1]['envAssertions']>>[0], a: { arguments: unknown }) =>
      db.table('orders').get((a.arguments as { order_id: string }).order_id)?.status === 'cancelled';
    expect(await scoreTau2({ task, state: cancelled(), termination: stop }, { base, registry, envAssertions: runner })).toMatchObject({ reward: 1, envAssertions: [{ funcName: 'is_cancelled', met: true }] });
    expect(await scoreTau2({ task, state: play(base, []), termination: stop }, { base, registry, envAssertions: runner })).toMatchObject({ reward: 0 });
    expect(await scoreTau2({ task, state: cancelled(), termination: stop }, { base, registry })).toMatchObject({ reward: null, components: { ENV_ASSERTION: null } });
  });

  it('follows τ² for missing criteria and improper endings', async () => {
    const none: Task = { ...tau2Task([], {}) };
    delete none.evaluation;
    expect(await scoreTau2({ task: none, state: cancelled(), termination: stop }, { base, registry })).toMatchObject({ reward: 1, note: 'no evaluation criteria' });
    const noCheck = tau2Task([], { envCheck: false });
    expect(await scoreTau2({ task: noCheck, state: cancelled(), termination: stop }, { base, registry })).toMatchObject({ reward: 1, components: { DB: 1 } });
    const bad = await scoreTau2({ task: tau2Task(gold, {}), state: cancelled(), termination: { reason: 'too_many_errors' } }, { base, registry });
    expect(bad).toMatchObject({ reward: 0, components: {} });
    expect(bad.note).toMatch(/too_many_errors/);
  });

  it('replays every gold action in τ² (terminate tools too) and ignores errors', () => {
    const task = tau2Task([act('cancel', { order_id: 'zz', reason: 'x' }), act('transfer_to_human_agents', { summary: 's' })], {});
    const g = replayGold(task, base, registry);
    expect(g.errors.map((e) => e.name)).toEqual(['cancel']);
    expect(g.db.table('log').size).toBe(1);
  });
});

describe('computeReward / makeScorer', () => {
  it('dispatches by task format and replays each task’s gold once per scorer', async () => {
    const base = makeBase();
    let replays = 0;
    const counting = new ToolRegistry([
      getOrder,
      { ...setPrice, invoke: (db, args) => (replays++, setPrice.invoke(db, args)) } as typeof setPrice,
      cancel,
      transfer,
    ]);
    const task = v1Task([act('set_price', { order_id: 'o1', price: 7 })]);
    const score = makeScorer({ base, registry: counting });
    for (let trial = 0; trial < 3; trial++) {
      const env = new Environment({ registry: counting, base });
      env.step({ name: 'set_price', kwargs: { order_id: 'o1', price: 7 } });
      expect((await score({ task, env, termination: stop })).reward).toBe(1);
    }
    expect(replays).toBe(3 + 1);
    const cache = new GoldCache();
    expect(cache.get(task, base, counting)).toBe(cache.get(task, base, counting));
    const t2 = tau2Task([act('set_price', { order_id: 'o1', price: 7 })], { communicateInfo: ['x'] });
    expect((await computeReward({ task: t2, state: play(base, [{ name: 'set_price', kwargs: { order_id: 'o1', price: 7 } }]), termination: stop }, { base, registry })).rules).toBe('tau2');
  });
});
