/**
 * The τ² retail variant: where its tools differ from v1 (see `../shared/docs/taubench-notes.md`
 * §5.1–5.2). There are no τ² golden files, so each listed difference is checked on both variants.
 */
import { describe, expect, it } from 'vitest';
import { PyFloat } from '../../src/core/py/py-float.js';
import { parsePyJson } from '../../src/core/py/py-json.js';
import { orderedKeys, type PyObject } from '../../src/core/py/py-value.js';
import { Environment } from '../../src/env/environment.js';
import { sharedPath } from '../../test/shared-data.js';
import { unknownToolObservation } from '../common/generic-tools.js';
import { loadRetailDb } from './data.js';
import { retailRegistry } from './registry.js';

const v1Data = loadRetailDb(sharedPath('taubench', 'retail'));
const tau2Data = loadRetailDb(sharedPath('tau2', 'retail'));

const v1 = (): Environment => new Environment({ registry: retailRegistry('v1'), base: v1Data.base });
const tau2 = (): Environment =>
  new Environment({ registry: retailRegistry('tau2'), base: tau2Data.base, unknownTool: unknownToolObservation('tau2') });
const run = (env: Environment, name: string, kwargs: PyObject): string => env.step({ name, kwargs }).observation;
const json = (text: string): PyObject => parsePyJson(text) as PyObject;

// Fixtures from the shared data (same ids in v1 and τ²).
const PENDING = '#W8367380'; // ava_nguyen_6646, paid by credit_card_5683823; also owns gift_card_1994993
const PENDING_USER = 'ava_nguyen_6646';
const ITEM_A = '2444431651'; // 534.84, product 7233192239; alternatives 8068777068 (507.13)
const ITEM_A_NEW = '8068777068';
const ITEM_B = '1689914594'; // 315.2, product 4768869376; alternatives 9440686670 (298.91)
const ITEM_B_NEW = '9440686670';
const DELIVERED = '#W4250821'; // sophia_jackson_6355, paid by credit_card_8041020
const DELIVERED_ITEM = '5222576926';

describe('τ² registry', () => {
  it('offers τ²’s 16 tools in its order: get_item_details instead of think', () => {
    expect(retailRegistry('tau2').names()).toEqual([
      'calculate',
      'cancel_pending_order',
      'exchange_delivered_order_items',
      'find_user_id_by_name_zip',
      'find_user_id_by_email',
      'get_order_details',
      'get_product_details',
      'get_item_details',
      'get_user_details',
      'list_all_product_types',
      'modify_pending_order_address',
      'modify_pending_order_items',
      'modify_pending_order_payment',
      'modify_user_address',
      'return_delivered_order_items',
      'transfer_to_human_agents',
    ]);
    expect(retailRegistry('v1').names()).toContain('think');
    expect(retailRegistry('v1').names()).not.toContain('get_item_details');
  });

  it('does not end the episode on transfer and words unknown tools and bad characters its way', () => {
    const env = tau2();
    expect(env.step({ name: 'transfer_to_human_agents', kwargs: { summary: 's' } })).toMatchObject({ observation: 'Transfer successful', done: false });
    expect(run(env, 'think', { thought: 'x' })).toBe("Error: Tool 'think' not found.");
    expect(run(env, 'calculate', { expression: '2 % 3' })).toBe('Error: Invalid characters in expression');
    expect(v1().step({ name: 'transfer_to_human_agents', kwargs: { summary: 's' } }).done).toBe(true);
  });
});

describe('τ² model form', () => {
  it('loads db.json as τ² variant, otherwise equal to the v1 data', () => {
    expect(tau2Data).toMatchObject({ format: 'tau2', variant: 'tau2' });
    const v1Users = v1Data.base.tables.get('users') as ReadonlyMap<string, PyObject>;
    const tau2Users = tau2Data.base.tables.get('users') as ReadonlyMap<string, PyObject>;
    expect([...tau2Users.keys()]).toEqual([...v1Users.keys()]);
  });

  it('answers user details in model field order with user_id, float balances', () => {
    const text = run(tau2(), 'get_user_details', { user_id: PENDING_USER });
    const user = json(text);
    expect(orderedKeys(user)).toEqual(['user_id', 'name', 'address', 'email', 'payment_methods', 'orders']);
    expect(orderedKeys(user.address as PyObject)).toEqual(['address1', 'address2', 'city', 'country', 'state', 'zip']);
    const card = (user.payment_methods as PyObject).credit_card_5683823 as PyObject;
    expect(orderedKeys(card)).toEqual(['source', 'id', 'brand', 'last_four']);
    const gift = (user.payment_methods as PyObject).gift_card_1994993 as PyObject;
    expect(orderedKeys(gift)).toEqual(['source', 'id', 'balance']);
    expect(gift.balance).toBeInstanceOf(PyFloat);
    // v1 keeps the file's order and int balances.
    const v1User = json(run(v1(), 'get_user_details', { user_id: PENDING_USER }));
    expect(orderedKeys(v1User)[0]).toBe('name');
    expect(orderedKeys((v1User.payment_methods as PyObject).credit_card_5683823 as PyObject)).toEqual(['source', 'brand', 'last_four', 'id']);
  });

  it('answers orders with every optional field (null until set)', () => {
    const order = json(run(tau2(), 'get_order_details', { order_id: PENDING }));
    expect(orderedKeys(order).slice(7)).toEqual([
      'cancel_reason',
      'exchange_items',
      'exchange_new_items',
      'exchange_payment_method_id',
      'exchange_price_difference',
      'return_items',
      'return_payment_method_id',
    ]);
    expect(order.cancel_reason).toBeNull();
    expect(orderedKeys(json(run(v1(), 'get_order_details', { order_id: PENDING })))).toHaveLength(7);
  });

  it('converts v1 files to model form when asked for the τ² variant', () => {
    const converted = loadRetailDb(sharedPath('taubench', 'retail'), { variant: 'tau2' });
    expect(converted).toMatchObject({ format: 'tau-v1', variant: 'tau2' });
    const a = new Environment({ registry: retailRegistry('tau2'), base: converted.base });
    expect(run(a, 'get_user_details', { user_id: PENDING_USER })).toBe(run(tau2(), 'get_user_details', { user_id: PENDING_USER }));
    expect(run(a, 'get_order_details', { order_id: DELIVERED })).toBe(run(tau2(), 'get_order_details', { order_id: DELIVERED }));
  });
});

describe('τ² read tools', () => {
  it('has get_item_details', () => {
    const env = tau2();
    const item = json(run(env, 'get_item_details', { item_id: ITEM_A_NEW }));
    expect(orderedKeys(item)).toEqual(['item_id', 'options', 'available', 'price']);
    expect(item.item_id).toBe(ITEM_A_NEW);
    expect(run(env, 'get_item_details', { item_id: 'nope' })).toBe('Error: Item not found');
    expect(run(v1(), 'get_item_details', { item_id: ITEM_A_NEW })).toBe('Unknown action get_item_details');
  });

  it('capitalises lookup errors', () => {
    const env = tau2();
    expect(run(env, 'get_order_details', { order_id: '#W0' })).toBe('Error: Order not found');
    expect(run(env, 'get_user_details', { user_id: 'x' })).toBe('Error: User not found');
    expect(run(env, 'get_product_details', { product_id: 'x' })).toBe('Error: Product not found');
    expect(run(env, 'find_user_id_by_email', { email: 'x@y.z' })).toBe('Error: User not found');
    expect(run(env, 'find_user_id_by_name_zip', { first_name: 'A', last_name: 'B', zip: '0' })).toBe('Error: User not found');
    const zip = (json(run(env, 'get_user_details', { user_id: PENDING_USER })).address as PyObject).zip as string;
    expect(run(env, 'find_user_id_by_name_zip', { first_name: 'AVA', last_name: 'nguyen', zip })).toBe(PENDING_USER);
    expect(run(v1(), 'get_order_details', { order_id: '#W0' })).toBe('Error: order not found');
  });

  it('lists product types as v1 does', () => {
    expect(run(tau2(), 'list_all_product_types', {})).toBe(run(v1(), 'list_all_product_types', {}));
  });
});

describe('τ² write tools', () => {
  it('edits the address of a `pending (item modified)` order, which v1 refuses', () => {
    for (const [env, ok] of [[tau2(), true], [v1(), false]] as const) {
      const modified = run(env, 'modify_pending_order_items', {
        order_id: PENDING,
        item_ids: [ITEM_A],
        new_item_ids: [ITEM_A_NEW],
        payment_method_id: 'credit_card_5683823',
      });
      expect(json(modified).status).toBe('pending (item modified)');
      const address = { address1: '1 A St', address2: '', city: 'X', state: 'NY', country: 'USA', zip: '10001' };
      const out = run(env, 'modify_pending_order_address', { order_id: PENDING, ...address });
      if (ok) expect(orderedKeys(json(out).address as PyObject)).toEqual(['address1', 'address2', 'city', 'country', 'state', 'zip']);
      else expect(out).toBe('Error: non-pending order cannot be modified');
      // A payment change gets past the status check in τ² and stops at the payment count.
      const pay = run(env, 'modify_pending_order_payment', { order_id: PENDING, payment_method_id: 'gift_card_1994993' });
      expect(pay).toBe(ok ? 'Error: There should be exactly one payment for a pending order' : 'Error: non-pending order cannot be modified');
    }
  });

  it('rejects a modification to the same item', () => {
    const args = { order_id: PENDING, item_ids: [ITEM_A], new_item_ids: [ITEM_A], payment_method_id: 'credit_card_5683823' };
    expect(run(tau2(), 'modify_pending_order_items', args)).toBe('Error: The new item id should be different from the old item id');
    expect(json(run(v1(), 'modify_pending_order_items', args)).status).toBe('pending (item modified)');
  });

  it('gives every modified item the last new variant’s price and options (τ²’s bug)', () => {
    const args = { order_id: PENDING, item_ids: [ITEM_A, ITEM_B], new_item_ids: [ITEM_A_NEW, ITEM_B_NEW], payment_method_id: 'credit_card_5683823' };
    const find = (o: PyObject, id: string): PyObject => (o.items as PyObject[]).find((i) => i.item_id === id) as PyObject;
    const t = json(run(tau2(), 'modify_pending_order_items', args));
    const last = json(run(tau2(), 'get_item_details', { item_id: ITEM_B_NEW }));
    expect(Number(find(t, ITEM_A_NEW).price)).toBe(Number(last.price));
    expect(find(t, ITEM_A_NEW).options).toEqual(last.options);
    const v = json(run(v1(), 'modify_pending_order_items', args));
    expect(Number(find(v, ITEM_A_NEW).price)).toBe(507.13);
    // The price difference itself is computed per item in both.
    const paid = (o: PyObject): number => Number((o.payment_history as PyObject[]).at(-1)?.amount);
    expect(paid(t)).toBeCloseTo(534.84 - 507.13 + 315.2 - 298.91, 9);
    expect(paid(v)).toBe(paid(t));
  });

  it('records payment amounts as floats', () => {
    const args = { order_id: PENDING, item_ids: [], new_item_ids: [], payment_method_id: 'credit_card_5683823' };
    const t = run(tau2(), 'modify_pending_order_items', args);
    expect(t).toContain('{"transaction_type": "refund", "amount": 0.0, "payment_method_id": "credit_card_5683823"}');
    expect(run(v1(), 'modify_pending_order_items', args)).toContain('{"transaction_type": "refund", "amount": 0, "payment_method_id": "credit_card_5683823"}');
  });

  it('rewords the exchange checks', () => {
    const env = tau2();
    const base = { order_id: DELIVERED, payment_method_id: 'credit_card_8041020' };
    expect(run(env, 'exchange_delivered_order_items', { ...base, item_ids: ['1'], new_item_ids: ['2'] })).toBe('Error: Number of 1 not found.');
    expect(run(env, 'exchange_delivered_order_items', { ...base, item_ids: [DELIVERED_ITEM], new_item_ids: [] })).toBe(
      'Error: The number of items to be exchanged should match.',
    );
    expect(run(env, 'exchange_delivered_order_items', { ...base, item_ids: [DELIVERED_ITEM], new_item_ids: ['nope'] })).toBe('Error: Variant not found');
    expect(run(v1(), 'exchange_delivered_order_items', { ...base, item_ids: [DELIVERED_ITEM], new_item_ids: ['nope'] })).toBe(
      'Error: new item nope not found or available',
    );
    expect(run(env, 'cancel_pending_order', { order_id: DELIVERED, reason: 'no longer needed' })).toBe('Error: Non-pending order cannot be cancelled');
    expect(run(env, 'cancel_pending_order', { order_id: PENDING, reason: 'other' })).toBe('Error: Invalid reason');
    expect(run(env, 'modify_pending_order_items', { order_id: PENDING, item_ids: ['1'], new_item_ids: ['2'], payment_method_id: 'x' })).toBe('Error: 1 not found');
  });

  it('refunds a return only to the original method or a gift card, by type', () => {
    const args = { order_id: DELIVERED, item_ids: [DELIVERED_ITEM] };
    expect(run(tau2(), 'return_delivered_order_items', { ...args, payment_method_id: 'paypal_7425862' })).toBe(
      'Error: Payment method should be the original payment method',
    );
    expect(run(v1(), 'return_delivered_order_items', { ...args, payment_method_id: 'paypal_7425862' })).toBe(
      'Error: payment method should be either the original payment method or a gift card',
    );
    const ok = json(run(tau2(), 'return_delivered_order_items', { ...args, payment_method_id: 'gift_card_6052478' }));
    expect(ok).toMatchObject({ status: 'return requested', return_items: [DELIVERED_ITEM], return_payment_method_id: 'gift_card_6052478' });
    expect(run(tau2(), 'return_delivered_order_items', { ...args, payment_method_id: 'nope' })).toBe('Error: Payment method not found');
  });

  it('cancels with model-form refunds and a float gift-card balance', () => {
    const env = tau2();
    const order = json(run(env, 'cancel_pending_order', { order_id: '#W6779827', reason: 'ordered by mistake' })); // paid 4079.45 by gift card (balance 49)
    expect(order).toMatchObject({ status: 'cancelled', cancel_reason: 'ordered by mistake' });
    expect(orderedKeys(order).indexOf('cancel_reason')).toBe(7);
    const card = ((json(run(env, 'get_user_details', { user_id: 'ethan_lopez_6291' })).payment_methods as PyObject).gift_card_7219486 as PyObject);
    expect(card.balance).toEqual(new PyFloat(4128.45));
  });
});

describe('unknown tools per variant', () => {
  it('the τ² registry answers τ² wording, v1 the reference wording', async () => {
    const { retailRegistry } = await import('./registry.js');
    const { Environment } = await import('../../src/env/environment.js');
    const { BaseDb } = await import('../../src/env/db-state.js');
    const base = new BaseDb([['orders', []], ['products', []], ['users', []]]);
    expect(new Environment({ registry: retailRegistry('tau2'), base }).stepRaw('no_such_tool', '{}').observation).toBe("Error: Tool 'no_such_tool' not found.");
    expect(new Environment({ registry: retailRegistry('v1'), base }).stepRaw('no_such_tool', '{}').observation).toBe('Unknown action no_such_tool');
  });
});
