import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { num, type PyNum } from '../../../src/core/py/py-float.js';
import { clonePy, type PyObject } from '../../../src/core/py/py-value.js';
import type { Task } from '../../../src/core/task.js';
import type { DbState } from '../../../src/env/db-state.js';
import { Environment } from '../../../src/env/environment.js';
import { playGoldTrajectory, replayGold, scoreV1 } from '../../../src/env/reward/index.js';
import { createSimModel } from '../../../src/models/sim/sim-model.js';
import { playTasks } from '../../../src/runner/in-process.js';
import { createToolCallingAgent } from '../../../baselines/tool-calling.js';
import { loadBuiltin } from '../builtin.js';
import { retailRegistry } from '../registry.js';
import { generateRetailDb } from './data.js';
import { checkCancel, checkExchange, checkModifyItems, checkModifyPayment, checkReturn, resolveWish, type ItemSwap } from './oracle.js';
import { RETAIL_CATEGORIES, generateRetailTasks, type ItemWish } from './tasks.js';

const registry = retailRegistry('v1');
const suite = loadBuiltin();
const base = suite.data.base;
const tasks = suite.tasks;
const WRITES = new Set(registry.list().filter((t) => t.kind === 'write').map((t) => t.name));

const variantOf = (db: DbState, productId: string, itemId: string): PyObject | undefined =>
  ((db.table('products').get(productId) as PyObject | undefined)?.variants as PyObject | undefined)?.[itemId] as PyObject | undefined;

/**
 * Checks one gold write against the retail policy on the state before it; returns the violated
 * rule or undefined. Written apart from the oracle so that the two can disagree.
 */
function violation(db: DbState, task: Task, name: string, kw: PyObject): string | undefined {
  const userId = task.userId as string;
  const user = db.table('users').get(userId) as PyObject;
  const pm = (id: unknown): PyObject | undefined => (user.payment_methods as PyObject)[id as string] as PyObject | undefined;
  if (name === 'modify_user_address') return kw.user_id === userId ? undefined : 'another user';
  const order = db.table('orders').get(kw.order_id as string) as PyObject;
  if (order.user_id !== userId) return "not the customer's order";
  const status = order.status as string;
  const history = order.payment_history as PyObject[];
  if (name === 'cancel_pending_order') {
    if (status !== 'pending') return 'cancel of a non-pending order';
    return ['no longer needed', 'ordered by mistake'].includes(kw.reason as string) ? undefined : 'bad reason';
  }
  if (name === 'modify_pending_order_address') return status === 'pending' ? undefined : 'modify of a non-pending order';
  if (name === 'modify_pending_order_payment') {
    if (status !== 'pending') return 'modify of a non-pending order';
    const p = pm(kw.payment_method_id);
    if (p === undefined || history.length !== 1 || history[0]?.payment_method_id === kw.payment_method_id) return 'bad payment change';
    if (p.source === 'gift_card' && num(p.balance as PyNum) < num(history[0]?.amount as PyNum)) return 'gift card too small';
    return undefined;
  }
  if (name === 'return_delivered_order_items') {
    if (status !== 'delivered') return 'return of a non-delivered order';
    const p = pm(kw.payment_method_id);
    if (p === undefined) return 'unknown payment method';
    if (p.source !== 'gift_card' && kw.payment_method_id !== history[0]?.payment_method_id) return 'refund to a method that is neither original nor a gift card';
    return undefined;
  }
  if (name === 'modify_pending_order_items' || name === 'exchange_delivered_order_items') {
    if (status !== (name === 'modify_pending_order_items' ? 'pending' : 'delivered')) return `${name} in status ${status}`;
    const items = order.items as PyObject[];
    let diff = 0;
    (kw.item_ids as string[]).forEach((id, i) => {
      const item = items.find((x) => x.item_id === id) as PyObject;
      const newId = (kw.new_item_ids as string[])[i] as string;
      const v = variantOf(db, item.product_id as string, newId);
      if (v === undefined || v.available !== true || newId === id) diff = NaN;
      else diff += num(v.price as PyNum) - num(item.price as PyNum);
    });
    if (Number.isNaN(diff)) return 'new item not an available, different variant of the same product';
    const p = pm(kw.payment_method_id);
    if (p === undefined) return 'unknown payment method';
    if (p.source === 'gift_card' && num(p.balance as PyNum) < diff - 1e-9) return 'gift card cannot pay the difference';
    // Conditional wishes: each new item is the customer's first available choice.
    const wishes = (task.scripted?.requests ?? []).flatMap((r) => ((r.args?.items as ItemWish[] | undefined) ?? []).filter(() => r.args?.order_id === kw.order_id));
    for (const [i, id] of (kw.item_ids as string[]).entries()) {
      const w = wishes.find((x) => x.item_id === id);
      if (w === undefined) return 'change nobody asked for';
      const item = items.find((x) => x.item_id === id) as PyObject;
      const variants = Object.values((db.table('products').get(item.product_id as string) as PyObject).variants as PyObject) as PyObject[];
      const firstAvailable = w.choices
        .map((ch) => variants.find((v) => JSON.stringify(v.options) === JSON.stringify({ ...(item.options as PyObject), ...ch })))
        .find((v) => v !== undefined && v.available === true);
      if (firstAvailable?.item_id !== (kw.new_item_ids as string[])[i]) return 'not the first available choice';
    }
    return undefined;
  }
  return `unexpected write ${name}`;
}

describe('retail task generator', () => {
  it('gives identical tasks for the same seed', () => {
    const again = generateRetailTasks({ base: generateRetailDb(), registry });
    expect(JSON.stringify(again)).toBe(JSON.stringify(tasks));
    // Golden hash of the built-in suite: update deliberately when the generator (or a tool it runs) changes.
    expect(createHash('sha256').update(JSON.stringify(tasks)).digest('hex')).toBe('3863819de6bb3e9243b00ec025af3a0a7e78cd33382c20f3a256befefff41ee4');
    const other = generateRetailTasks({ base, registry, seed: 5, count: 10 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(tasks.slice(0, 10)));
  });

  it('covers every category with well-formed builtin tasks', () => {
    expect(tasks).toHaveLength(100);
    expect(new Set(tasks.map((t) => t.meta?.category))).toEqual(new Set(RETAIL_CATEGORIES.map(([c]) => c)));
    expect(new Set(tasks.map((t) => t.id)).size).toBe(100);
    for (const t of tasks) {
      expect(t.format).toBe('builtin');
      expect(['find_user_id_by_email', 'find_user_id_by_name_zip']).toContain(t.actions[0]?.name);
      expect(t.actions[1]).toEqual({ name: 'get_user_details', kwargs: { user_id: t.userId } });
      const id = t.scripted?.identity ?? {};
      expect(t.actions[0]?.name === 'find_user_id_by_email' ? id.email : id.zip).toBeDefined();
      expect(t.scripted?.requests?.length).toBeGreaterThan(0);
      const transfer = t.actions.findIndex((a) => a.name === 'transfer_to_human_agents');
      if (transfer >= 0) expect(transfer).toBe(t.actions.length - 1);
    }
    const outcomes = new Set(tasks.flatMap((t) => (t.meta?.outcomes as Array<{ outcome: string }>).map((o) => o.outcome)));
    expect([...outcomes].sort()).toEqual(['answered', 'performed', 'refused', 'transfer', 'unavailable']);
    const kinds = new Set(tasks.flatMap((t) => t.actions.map((a) => a.name)));
    for (const w of WRITES) expect(kinds.has(w), w).toBe(true);
  });

  it('scores every gold trajectory 1 with no failing gold action', () => {
    for (const t of tasks) {
      expect(replayGold(t, base, registry).errors, t.id).toEqual([]);
      const traj = playGoldTrajectory(t, base, registry);
      const r = scoreV1({ task: t, state: traj.env, termination: traj.termination }, { base, registry });
      expect(r.reward, `${t.id}: ${r.note ?? ''}`).toBe(1);
    }
  });

  it('every task passes when the simulated agent (p = 0) talks to the scripted customer', async () => {
    const model = createSimModel({ errorRate: 0, isWriteTool: (n) => registry.get(n)?.kind === 'write' });
    const agent = createToolCallingAgent({ temperature: 0, seed: 0, settings: {} });
    const run = await playTasks({ name: 'retail-builtin', domain: 'retail', tasks, base, registry, policy: suite.policy, agent, model });
    expect(run.records).toHaveLength(tasks.length);
    expect(run.records.filter((r) => r.reward !== 1).map((r) => r.taskId)).toEqual([]);
  });

  it('never emits a write the policy forbids (independent check before every gold write)', () => {
    let writes = 0;
    for (const t of tasks) {
      const env = new Environment({ registry, base, now: () => 0 });
      for (const a of t.actions) {
        if (WRITES.has(a.name)) {
          writes++;
          expect(violation(env.db, t, a.name, a.kwargs), `${t.id} ${a.name}`).toBeUndefined();
        }
        if (a.name !== 'transfer_to_human_agents') env.step({ name: a.name, kwargs: clonePy(a.kwargs) });
      }
    }
    expect(writes).toBeGreaterThan(60);
  });

  it('makes no write where every request is refused, unavailable, answered or transferred', () => {
    for (const t of tasks) {
      const outcomes = (t.meta?.outcomes as Array<{ outcome: string }>).map((o) => o.outcome);
      const writes = t.actions.filter((a) => WRITES.has(a.name)).length;
      if (!outcomes.includes('performed')) expect(writes, t.id).toBe(0);
      else expect(writes, t.id).toBeGreaterThan(0);
    }
  });
});

describe('retail policy oracle refuses what the policy forbids', () => {
  const db = base.fork();
  const orders = [...db.table('orders').values()];

  it('cancels only pending orders of the customer, with an accepted reason', () => {
    for (const o of orders) {
      const uid = o.user_id as string;
      expect(checkCancel(db, uid, o.order_id as string, 'no longer needed').ok).toBe(o.status === 'pending');
      expect(checkCancel(db, uid, o.order_id as string, 'found it cheaper').ok).toBe(false);
      expect(checkCancel(db, 'someone_else_1', o.order_id as string, 'ordered by mistake')).toEqual({ ok: false, rule: 'order_not_owned' });
    }
  });

  it('refunds returns only to the original method or a gift card, and only for delivered orders', () => {
    let refused = 0;
    for (const o of orders) {
      const uid = o.user_id as string;
      const items = (o.items as PyObject[]).map((i) => i.item_id as string);
      const original = ((o.payment_history as PyObject[])[0] as PyObject).payment_method_id as string;
      for (const p of Object.values((db.table('users').get(uid) as PyObject).payment_methods as PyObject) as PyObject[]) {
        const v = checkReturn(db, uid, o.order_id as string, items, p.id as string);
        expect(v.ok).toBe(o.status === 'delivered' && (p.id === original || p.source === 'gift_card'));
        if (!v.ok) refused++;
      }
    }
    expect(refused).toBeGreaterThan(50);
  });

  it('changes items only into available, different variants of the same product, in the right status', () => {
    let checked = 0;
    for (const o of orders) {
      const uid = o.user_id as string;
      const item = (o.items as PyObject[])[0] as PyObject;
      const variants = Object.values((db.table('products').get(item.product_id as string) as PyObject).variants as PyObject) as PyObject[];
      const other = [...db.table('products').values()].find((p) => p.product_id !== item.product_id) as PyObject;
      const foreign = Object.keys(other.variants as PyObject)[0] as string;
      const card = Object.keys((db.table('users').get(uid) as PyObject).payment_methods as PyObject).find((k) => !k.startsWith('gift_card'));
      if (card === undefined) continue;
      for (const v of variants) {
        const swap: ItemSwap[] = [{ itemId: item.item_id as string, newItemId: v.item_id as string }];
        const valid = v.available === true && v.item_id !== item.item_id;
        expect(checkModifyItems(db, uid, o.order_id as string, swap, card).ok).toBe(valid && o.status === 'pending');
        expect(checkExchange(db, uid, o.order_id as string, swap, card).ok).toBe(valid && o.status === 'delivered');
        checked++;
      }
      expect(checkModifyItems(db, uid, o.order_id as string, [{ itemId: item.item_id as string, newItemId: foreign }], card).ok).toBe(false);
      expect(checkExchange(db, uid, o.order_id as string, [{ itemId: item.item_id as string, newItemId: foreign }], card).ok).toBe(false);
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('changes the payment of pending orders only to a different method that can pay', () => {
    for (const o of orders) {
      const uid = o.user_id as string;
      const history = o.payment_history as PyObject[];
      for (const p of Object.values((db.table('users').get(uid) as PyObject).payment_methods as PyObject) as PyObject[]) {
        const enough = p.source !== 'gift_card' || num(p.balance as PyNum) >= num(history[0]?.amount as PyNum);
        const ok = o.status === 'pending' && history.length === 1 && p.id !== history[0]?.payment_method_id && enough;
        expect(checkModifyPayment(db, uid, o.order_id as string, p.id as string).ok).toBe(ok);
      }
    }
  });

  it('resolves wishes to the first available choice, never an unavailable variant', () => {
    for (const p of db.table('products').values()) {
      const variants = Object.values(p.variants as PyObject) as PyObject[];
      const item = { product_id: p.product_id, item_id: (variants[0] as PyObject).item_id, options: (variants[0] as PyObject).options } as PyObject;
      for (const v of variants.slice(1)) {
        const choice = Object.fromEntries(Object.entries(v.options as PyObject).map(([k, x]) => [k, String(x)]));
        expect(resolveWish(db, item, [choice])).toBe(v.available === true ? v.item_id : undefined);
      }
    }
  });
});
