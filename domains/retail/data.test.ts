import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { jcsStringify } from '../../src/core/py/jcs.js';
import { PyFloat } from '../../src/core/py/py-float.js';
import { orderedKeys, type PyObject, type PyValue } from '../../src/core/py/py-value.js';
import { sharedPath } from '../../test/shared-data.js';
import { retailDomain } from './index.js';
import { detectRetailLayout, loadRetailDb } from './data.js';
import { RETAIL_RECORD_SCHEMAS } from './schema.js';

const v1Dir = sharedPath('taubench', 'retail');
const tau2Dir = sharedPath('tau2', 'retail');

const tmp = mkdtempSync(join(tmpdir(), 'retail-data-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// One real record of each table, as a small v1 database to break on purpose.
const firstOf = (file: string): [string, unknown] => {
  const all = JSON.parse(readFileSync(join(v1Dir, file), 'utf8')) as Record<string, unknown>;
  const id = Object.keys(all)[0] as string;
  return [id, all[id]];
};
const [orderId, order] = firstOf('orders.json');
const [productId, product] = firstOf('products.json');
const [userId, user] = firstOf('users.json');

function writeV1(name: string, tables: { orders?: unknown; products?: unknown; users?: unknown }): string {
  const dir = join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const files = { orders: { [orderId]: order }, products: { [productId]: product }, users: { [userId]: user }, ...tables };
  for (const [t, v] of Object.entries(files)) writeFileSync(join(dir, `${t}.json`), typeof v === 'string' ? v : JSON.stringify(v));
  return dir;
}

/** Loading must fail with a DataError whose message matches. */
function failure(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

describe('retail layout detection', () => {
  it('tells v1 files from τ² db.json', () => {
    expect(detectRetailLayout(v1Dir)).toBe('tau-v1');
    expect(detectRetailLayout(tau2Dir)).toBe('tau2');
    expect(detectRetailLayout(tmp)).toBeUndefined();
  });

  it('names the missing files', () => {
    const e = failure(() => loadRetailDb(tmp));
    expect(e.code).toBe('data_not_found');
    expect(e.message).toContain('orders.json, products.json, users.json');
  });
});

describe('loading the shared data', () => {
  const v1 = loadRetailDb(v1Dir);
  const tau2 = loadRetailDb(tau2Dir);

  it('reads v1 files as they are, in table order orders, products, users', () => {
    expect(v1).toMatchObject({ format: 'tau-v1', variant: 'v1' });
    expect(v1.files.map((f) => f.slice(v1Dir.length + 1))).toEqual(['orders.json', 'products.json', 'users.json']);
    expect([...v1.base.tables.keys()]).toEqual(['orders', 'products', 'users']);
    // Whole-number floats stay floats; gift-card balances stay ints.
    const w = v1.base.tables.get('orders')?.get('#W3113816') as PyObject;
    expect((w.items as PyObject[]).some((i) => i.price instanceof PyFloat && (i.price as PyFloat).value === 247)).toBe(true);
  });

  it('reads τ² db.json in model form, equal to the v1 data apart from that', () => {
    expect(tau2).toMatchObject({ format: 'tau2', variant: 'tau2' });
    expect(tau2.files).toEqual([join(tau2Dir, 'db.json')]);
    const strip = (v: PyValue): PyValue => {
      if (Array.isArray(v)) return v.map(strip);
      if (v !== null && typeof v === 'object' && !(v instanceof PyFloat)) {
        const out: PyObject = {};
        for (const k of orderedKeys(v)) if (v[k] !== null && k !== 'user_id') out[k] = strip(v[k] as PyValue);
        return out;
      }
      return v;
    };
    for (const t of ['orders', 'products', 'users'] as const) {
      const a = v1.base.tables.get(t) as ReadonlyMap<string, PyObject>;
      const b = tau2.base.tables.get(t) as ReadonlyMap<string, PyObject>;
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [id, rec] of a) {
        const other = b.get(id) as PyObject;
        const keep = t === 'orders' ? { ...strip(other) as PyObject, user_id: other.user_id as PyValue } : strip(other);
        if (jcsStringify(keep) !== jcsStringify(t === 'orders' ? rec : strip(rec))) throw new Error(`${t}/${id} differs`);
      }
    }
    const u = tau2.base.tables.get('users')?.get(userId) as PyObject;
    expect(orderedKeys(u)[0]).toBe('user_id');
    expect(u.user_id).toBe(userId);
  });

  it('validates every record of both layouts against the schemas', () => {
    for (const data of [v1, tau2]) {
      for (const [t, rows] of data.base.tables) {
        const schema = RETAIL_RECORD_SCHEMAS[t as 'orders'];
        for (const rec of rows.values()) expect(schema.safeParse(rec).success).toBe(true);
      }
    }
  });

  it('is what the retail domain loads', () => {
    expect(retailDomain.name).toBe('retail');
    expect(retailDomain.tables).toEqual(['orders', 'products', 'users']);
    expect(retailDomain.loadDb(v1Dir).variant).toBe('v1');
    expect(retailDomain.registry('v1').names()).toHaveLength(16);
    expect(retailDomain.registry('tau2').names()).toHaveLength(16);
  });
});

describe('bad files', () => {
  it('accepts a well-formed small database', () => {
    const data = loadRetailDb(writeV1('good', {}));
    expect(data.base.tables.get('users')?.size).toBe(1);
  });

  it('names the file and JSON path of a wrong field', () => {
    const u = structuredClone(user) as { payment_methods: Record<string, Record<string, unknown>> };
    const gift = Object.keys(u.payment_methods)[0] as string;
    (u.payment_methods[gift] as Record<string, unknown>).source = 'cash';
    const dir = writeV1('bad-user', { users: { [userId]: u } });
    const e = failure(() => loadRetailDb(dir));
    expect(e.message).toContain(join(dir, 'users.json'));
    expect(e.message).toContain(`$.${userId}.payment_methods.${gift}.source`);
  });

  it('names a wrong price in an order item', () => {
    const o = structuredClone(order) as { items: Array<Record<string, unknown>> };
    (o.items[0] as Record<string, unknown>).price = '12.5';
    const dir = writeV1('bad-order', { orders: { [orderId]: o } });
    const e = failure(() => loadRetailDb(dir));
    expect(e.message).toContain(join(dir, 'orders.json'));
    expect(e.message).toContain(`$["${orderId}"].items[0].price`);
  });

  it('names an unknown order status and a missing field', () => {
    const o = { ...(order as object), status: 'lost' };
    expect(failure(() => loadRetailDb(writeV1('bad-status', { orders: { [orderId]: o } }))).message).toContain(`$["${orderId}"].status`);
    const p = { ...(product as object) } as Record<string, unknown>;
    delete p.variants;
    expect(failure(() => loadRetailDb(writeV1('bad-product', { products: { [productId]: p } }))).message).toContain(`$["${productId}"].variants`);
  });

  it('reports invalid JSON with its position', () => {
    const dir = writeV1('bad-json', { products: '{"x": [1, 2' });
    const e = failure(() => loadRetailDb(dir));
    expect(e.message).toContain(join(dir, 'products.json'));
    expect(e.message).toMatch(/:1:\d+/);
  });

  it('checks db.json has every table and valid records', () => {
    const dir = join(tmp, 'db');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, 'db.json'), JSON.stringify({ products: {}, users: {} }));
    expect(failure(() => loadRetailDb(dir)).message).toContain('missing table "orders"');
    writeFileSync(join(dir, 'db.json'), JSON.stringify({ products: {}, users: { [userId]: { ...(user as object), email: 5 } }, orders: {} }));
    const e = failure(() => loadRetailDb(dir));
    expect(e.message).toContain(join(dir, 'db.json'));
    expect(e.message).toContain(`$.users.${userId}.email`);
  });
});
