/**
 * Property tests over every retail tool of both variants: random, malformed and plausible
 * arguments (wrong types, missing and extra fields, random strings, existing ids, coherent
 * exchanges) never make `step()` throw; each call answers an observation (errors start with
 * `Error: `), and every record the calls touched still validates against the table schema.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PyFloat } from '../../src/core/py/py-float.js';
import { parsePyJson } from '../../src/core/py/py-json.js';
import { defineKey, isPyObject, type PyObject, type PyValue } from '../../src/core/py/py-value.js';
import type { BaseDb } from '../../src/env/db-state.js';
import type { ToolVariant } from '../../src/env/domain.js';
import { Environment, type Action } from '../../src/env/environment.js';
import { sharedPath } from '../../test/shared-data.js';
import { unknownToolObservation } from '../common/generic-tools.js';
import { loadRetailDb } from './data.js';
import { retailRegistry } from './registry.js';
import { RETAIL_RECORD_SCHEMAS, type RetailTable } from './schema.js';

const bases: Record<ToolVariant, BaseDb> = {
  v1: loadRetailDb(sharedPath('taubench', 'retail')).base,
  tau2: loadRetailDb(sharedPath('tau2', 'retail')).base,
};

// Id pools from the data (the same ids exist in both layouts).
const base = bases.v1;
const rows = (t: RetailTable): ReadonlyMap<string, PyObject> => base.tables.get(t) as ReadonlyMap<string, PyObject>;
const orders = [...rows('orders').values()];
const byStatus = (s: string): PyObject[] => orders.filter((o) => o.status === s).slice(0, 40);
const orderPool = [...byStatus('pending'), ...byStatus('delivered'), ...byStatus('processed').slice(0, 10), ...byStatus('cancelled').slice(0, 10)];
const userIds = [...rows('users').keys()].slice(0, 80);
const productIds = [...rows('products').keys()];
const itemIds = [...rows('products').values()].flatMap((p) => Object.keys(p.variants as PyObject)).slice(0, 200);
const paymentIds = [...rows('users').values()].slice(0, 80).flatMap((u) => Object.keys(u.payment_methods as PyObject));
const emails = [...rows('users').values()].slice(0, 40).map((u) => u.email as string);

const junk: fc.Arbitrary<PyValue> = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => new PyFloat(x)),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string(), { maxKeys: 2 }),
);

const someString = (pool: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pool) }, { weight: 2, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.constant('') });

const idList = fc.array(someString(itemIds), { maxLength: 4 });

/** Plausible values by parameter name. */
function plausible(param: string): fc.Arbitrary<PyValue> {
  switch (param) {
    case 'order_id':
      return someString(orderPool.map((o) => o.order_id as string));
    case 'user_id':
      return someString(userIds);
    case 'product_id':
      return someString(productIds);
    case 'item_id':
      return someString(itemIds);
    case 'item_ids':
    case 'new_item_ids':
      return idList;
    case 'payment_method_id':
      return someString(paymentIds);
    case 'reason':
      return fc.constantFrom('no longer needed', 'ordered by mistake', 'other', '');
    case 'email':
      return someString(emails);
    case 'expression':
      return fc.string({ unit: fc.constantFrom(...'0123456789+-*/(). x'), maxLength: 20 });
    default:
      return fc.string({ maxLength: 16 });
  }
}

/** Arguments for a tool: mostly plausible values, sometimes junk, missing or extra keys. */
function argsFor(params: string[]): fc.Arbitrary<PyObject> {
  const value = (p: string): fc.Arbitrary<PyValue> => fc.oneof({ weight: 8, arbitrary: plausible(p) }, { weight: 1, arbitrary: junk });
  const shape = Object.fromEntries(params.map((p) => [p, value(p)])) as Record<string, fc.Arbitrary<PyValue>>;
  // Usually every parameter, so that calls get past argument validation; sometimes some missing.
  const present = fc.oneof({ weight: 4, arbitrary: fc.record(shape) }, { weight: 1, arbitrary: fc.record(shape, { requiredKeys: [] }) });
  const extra = fc.option(fc.tuple(fc.constantFrom('extra', 'order_id ', '__proto__', 'constructor'), junk), { freq: 8 });
  return fc.tuple(present, extra).map(([rec, more]) => {
    const out: PyObject = {};
    for (const p of params) if (Object.prototype.hasOwnProperty.call(rec, p)) defineKey(out, p, rec[p] as PyValue);
    if (more !== null) defineKey(out, more[0], more[1]);
    return out;
  });
}

/** A coherent exchange/modification/return/cancel on one order: its own items, same-product variants, the owner's methods. */
const coherentWrite: fc.Arbitrary<Action> = fc
  .tuple(
    fc.constantFrom(...orderPool),
    fc.constantFrom('modify_pending_order_items', 'exchange_delivered_order_items', 'return_delivered_order_items', 'cancel_pending_order', 'modify_pending_order_payment'),
    fc.array(fc.nat(), { minLength: 0, maxLength: 3 }),
    fc.nat(),
    fc.boolean(),
  )
  .map(([order, name, picks, pm, sameItem]) => {
    const items = order.items as PyObject[];
    const chosen = picks.map((i) => items[i % items.length] as PyObject);
    const newIds = chosen.map((it, k) => {
      const variants = Object.keys((rows('products').get(it.product_id as string) as PyObject).variants as PyObject);
      return sameItem && k === 0 ? (it.item_id as string) : (variants[(pm + k) % variants.length] as string);
    });
    const methods = Object.keys((rows('users').get(order.user_id as string) as PyObject).payment_methods as PyObject);
    const payment_method_id = methods[pm % methods.length] as string;
    const kwargs: PyObject = { order_id: order.order_id as string };
    if (name === 'cancel_pending_order') kwargs.reason = pm % 3 === 0 ? 'ordered by mistake' : 'no longer needed';
    else {
      kwargs.payment_method_id = payment_method_id;
      if (name !== 'modify_pending_order_payment') kwargs.item_ids = chosen.map((i) => i.item_id as string);
      if (name === 'modify_pending_order_items' || name === 'exchange_delivered_order_items') kwargs.new_item_ids = newIds;
    }
    return { name, kwargs };
  });

function checkTouched(env: Environment): void {
  for (const t of env.db.tableNames() as RetailTable[]) {
    const table = env.db.table(t);
    const schema = RETAIL_RECORD_SCHEMAS[t] as z.ZodType;
    for (const id of table.touchedIds()) {
      const rec = table.get(id);
      if (rec === undefined) continue;
      const r = schema.safeParse(rec);
      if (!r.success) throw new Error(`${t}/${id} no longer matches its schema: ${r.error.issues[0]?.message} at ${r.error.issues[0]?.path.join('.')}`);
    }
  }
}

describe.each(['v1', 'tau2'] as const)('retail tools (%s) under random arguments', (variant) => {
  const registry = retailRegistry(variant);
  const newEnv = (): Environment => new Environment({ registry, base: bases[variant], unknownTool: unknownToolObservation(variant) });
  const toolCall: fc.Arbitrary<Action> = fc.oneof(
    ...registry.list().map((t) => {
      const params = Object.keys((t.schema as z.ZodObject).shape);
      return argsFor(params).map((kwargs) => ({ name: t.name, kwargs }));
    }),
  );
  const anyCall = fc.oneof({ weight: 5, arbitrary: toolCall }, { weight: 3, arbitrary: coherentWrite }, { weight: 1, arbitrary: fc.record({ name: fc.string({ maxLength: 8 }), kwargs: fc.constant({}) }) });

  it('never throw, answer observations and keep every touched record valid', () => {
    const successes = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(anyCall, { minLength: 1, maxLength: 6 }), (calls) => {
        const env = newEnv();
        for (const call of calls) {
          const r = env.step(call);
          expect(typeof r.observation).toBe('string');
          if (!registry.has(call.name)) {
            expect(r.error).toBe(true);
            continue;
          }
          if (r.error) {
            expect(r.observation).toMatch(/^Error: /);
          } else {
            successes.set(call.name, (successes.get(call.name) ?? 0) + 1);
            const tool = registry.get(call.name);
            if (tool?.kind === 'write') expect(isPyObject(parsePyJson(r.observation))).toBe(true);
          }
        }
        checkTouched(env);
      }),
      { numRuns: 400 },
    );
    // The runs reached the tools' success paths, not just their argument checks.
    for (const name of ['cancel_pending_order', 'exchange_delivered_order_items', 'modify_pending_order_items', 'return_delivered_order_items', 'get_order_details']) {
      expect(successes.get(name) ?? 0, name).toBeGreaterThan(0);
    }
  });
});

describe('raw tool calls', () => {
  const env = new Environment({ registry: retailRegistry('v1'), base: bases.v1 });

  it('answers an unknown tool as the reference does', () => {
    expect(env.stepRaw('refund_everything', '{}')).toMatchObject({ observation: 'Unknown action refund_everything', error: true });
  });

  it('names the problem with arguments that are not JSON or not an object', () => {
    expect(env.stepRaw('get_order_details', '{"order_id": ').observation).toMatch(/^Error: arguments of get_order_details are not valid JSON/);
    expect(env.stepRaw('get_order_details', '["#W2378156"]').observation).toMatch(/^Error: .*must be a JSON object/);
  });

  it('names a missing, mistyped or unexpected argument', () => {
    expect(env.stepRaw('cancel_pending_order', '{"order_id": "#W2378156"}').observation).toMatch(/^Error: .*reason/);
    expect(env.stepRaw('get_order_details', '{"order_id": 2378156}').observation).toMatch(/^Error: .*order_id/);
    expect(env.stepRaw('return_delivered_order_items', '{"order_id": "#W2378156", "item_ids": "4202497723", "payment_method_id": "x"}').observation).toMatch(
      /^Error: .*item_ids/,
    );
    expect(env.stepRaw('modify_pending_order_items', '{"order_id": "#W2378156", "item_ids": [1], "new_item_ids": [], "payment_method_id": "x"}').observation).toMatch(
      /^Error: .*item_ids\.0/,
    );
    expect(env.stepRaw('get_user_details', '{"user_id": "x", "userid": "y"}').observation).toMatch(/^Error: .*userid/);
  });

  it('accepts values the reference checks itself, answering its own errors', () => {
    expect(env.stepRaw('cancel_pending_order', '{"order_id": "#W2378156", "reason": "changed my mind"}').observation).toMatch(/^Error: (invalid reason|non-pending)/);
    expect(env.stepRaw('get_order_details', '{"order_id": ""}').observation).toBe('Error: order not found');
  });
});
