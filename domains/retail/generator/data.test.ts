import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { num, type PyNum } from '../../../src/core/py/py-float.js';
import { parsePyJson, pyDumps } from '../../../src/core/py/py-json.js';
import { isIndexLikeKey, type PyObject } from '../../../src/core/py/py-value.js';
import { PRODUCT_TYPES } from './catalogue.js';
import { ORDER_STATUS_WEIGHTS, generateRetailTables } from './data.js';
import { tableText, tablesText } from './files.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const tables = generateRetailTables();
const products = new Map(tables.products);
const users = new Map(tables.users);
const cents = (x: unknown): number => Math.round(num(x as PyNum) * 100);

describe('retail data generator', () => {
  it('gives byte-identical data for the same seed and scale, and pins the default data', () => {
    const text = tablesText(tables);
    expect(tablesText(generateRetailTables({ seed: 20240515, scale: 1 }))).toBe(text);
    // Golden hash of the default built-in data: update deliberately when the generator changes.
    expect(sha(text)).toBe('e92fe4a80fe8b20a9f2a91a8d38f53c1be4631a98f1f3308da3a75f165eb1d9b');
    expect(tablesText(generateRetailTables({ seed: 'other' }))).not.toBe(text);
  });

  it('scales users and orders but keeps the catalogue', () => {
    const small = generateRetailTables({ scale: 0.2 });
    expect(small.users.length).toBe(20);
    expect(small.products.length).toBe(PRODUCT_TYPES.length);
    expect(generateRetailTables({ scale: 3 }).orders.length).toBeGreaterThan(4 * small.orders.length);
  });

  it('writes tables as Python json.dumps text that round-trips, integer-like ids in place', () => {
    const text = tableText(tables.products);
    expect(pyDumps(parsePyJson(text))).toBe(text);
    const ids = tables.products.map(([id]) => id);
    expect(ids.some(isIndexLikeKey)).toBe(true);
    expect(ids.some((id) => !isIndexLikeKey(id))).toBe(true);
    expect(text.indexOf(`"${ids[1] as string}"`)).toBeGreaterThan(text.indexOf(`"${ids[0] as string}"`));
    expect(text).toContain('"price": ');
    expect(text).not.toMatch(/"price": \d+[,}]/); // prices are floats: always a decimal point
  });

  it('builds a catalogue of 10-digit ids with available and unavailable variants', () => {
    const itemIds = new Set<string>();
    for (const [pid, p] of tables.products) {
      expect(pid).toMatch(/^\d{10}$/);
      const variants = Object.entries(p.variants as PyObject);
      expect(variants.length).toBeGreaterThanOrEqual(6);
      expect(variants.some(([, v]) => (v as PyObject).available === true)).toBe(true);
      expect(variants.some(([, v]) => (v as PyObject).available === false)).toBe(true);
      const combos = new Set<string>();
      for (const [id, v] of variants) {
        expect(id).toMatch(/^\d{10}$/);
        expect(itemIds.has(id) || products.has(id)).toBe(false);
        itemIds.add(id);
        combos.add(JSON.stringify((v as PyObject).options));
      }
      expect(combos.size).toBe(variants.length);
    }
  });

  it('makes orders in every status with items, fulfilments and payments that agree', () => {
    const statuses = new Set<string>();
    for (const [oid, o] of tables.orders) {
      expect(oid).toMatch(/^#W\d{7}$/);
      const user = users.get(o.user_id as string) as PyObject;
      expect(user.orders as string[]).toContain(oid);
      const status = o.status as string;
      statuses.add(status);
      const items = o.items as PyObject[];
      for (const it of items) {
        const v = ((products.get(it.product_id as string) as PyObject).variants as PyObject)[it.item_id as string] as PyObject;
        expect(v.options).toEqual(it.options);
        expect(cents(v.price)).toBe(cents(it.price));
      }
      const history = o.payment_history as PyObject[];
      const first = history[0] as PyObject;
      expect(first.transaction_type).toBe('payment');
      expect(Object.keys(user.payment_methods as PyObject)).toContain(first.payment_method_id);
      const shipped = (o.fulfillments as PyObject[]).flatMap((f) => f.item_ids as string[]);
      if (['processed', 'delivered', 'return requested', 'exchange requested'].includes(status)) expect(shipped.sort()).toEqual(items.map((i) => i.item_id as string).sort());
      else expect(shipped).toEqual([]);
      if (status === 'pending (item modified)') {
        // payment of the original items ± the difference = today's items
        const second = history[1] as PyObject;
        const sign = second.transaction_type === 'payment' ? 1 : -1;
        expect(cents(first.amount) + sign * cents(second.amount)).toBe(items.reduce((s, i) => s + cents(i.price), 0));
      } else {
        expect(cents(first.amount)).toBe(items.reduce((s, i) => s + cents(i.price), 0));
      }
      if (status === 'cancelled') {
        expect(history).toHaveLength(2);
        expect(history[1]).toEqual({ ...first, transaction_type: 'refund' });
        expect(['no longer needed', 'ordered by mistake']).toContain(o.cancel_reason);
      }
      if (status === 'return requested') {
        const pm = o.return_payment_method_id as string;
        expect(pm === first.payment_method_id || pm.startsWith('gift_card_')).toBe(true);
        expect([...(o.return_items as string[])].sort()).toEqual(o.return_items);
      }
      if (status === 'exchange requested') expect((o.exchange_items as string[]).length).toBe((o.exchange_new_items as string[]).length);
    }
    expect([...statuses].sort()).toEqual(ORDER_STATUS_WEIGHTS.map(([s]) => s).sort());
  });

  it('gives users unique ids, emails and name+zip, and every kind of payment method', () => {
    const emails = new Set<string>();
    const nameZip = new Set<string>();
    const sources = new Set<string>();
    let floatBalance = false;
    for (const [uid, u] of tables.users) {
      const name = u.name as PyObject;
      expect(uid.startsWith(`${(name.first_name as string).toLowerCase()}_${(name.last_name as string).toLowerCase()}_`)).toBe(true);
      emails.add(u.email as string);
      nameZip.add(`${name.first_name as string}|${name.last_name as string}|${(u.address as PyObject).zip as string}`);
      for (const pm of Object.values(u.payment_methods as PyObject) as PyObject[]) {
        sources.add(pm.source as string);
        if (pm.source === 'gift_card' && typeof pm.balance !== 'number') floatBalance = true;
      }
    }
    expect(emails.size).toBe(tables.users.length);
    expect(nameZip.size).toBe(tables.users.length);
    expect([...sources].sort()).toEqual(['credit_card', 'gift_card', 'paypal']);
    expect(floatBalance).toBe(true);
  });
});
