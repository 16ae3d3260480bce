/**
 * Seeded generator of a retail database in τ-bench v1's record format (tables `orders`,
 * `products`, `users`, keyed by id, Python key order, prices as floats with two decimals).
 * Same seed and scale → byte-identical tables.
 */
import { BaseDb } from '../../../src/env/db-state.js';
import { PyFloat, add, num, pyAbs, pyRound, pySum, sub, type PyNum } from '../../../src/core/py/py-float.js';
import { clonePy, pyObject, type PyObject, type PyValue } from '../../../src/core/py/py-value.js';
import { Rng, type Seed } from '../../../src/core/rng.js';
import { PRODUCT_TYPES } from './catalogue.js';
import { UniqueIds, emailOf, makeAddress, makeCardBrand, makePerson, userIdOf } from '../../common/generator/people.js';

/** Default seed of the built-in retail data. */
export const DEFAULT_RETAIL_SEED = 20240515;

/** Options of {@link generateRetailTables}. */
export interface RetailGenOptions {
  /** Seed (number or string). Default {@link DEFAULT_RETAIL_SEED}. */
  seed?: Seed;
  /** Size multiplier: scale 1 gives 100 users and about 240 orders; the catalogue is fixed. Default 1. */
  scale?: number;
}

/** Generated tables in τ-bench's table order, each as `[id, record]` rows in file order. */
export type RetailTables = {
  orders: Array<[string, PyObject]>;
  products: Array<[string, PyObject]>;
  users: Array<[string, PyObject]>;
};

/** The order statuses the generator produces, with their weights. */
export const ORDER_STATUS_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['pending', 34],
  ['processed', 13],
  ['delivered', 32],
  ['cancelled', 9],
  ['return requested', 4],
  ['exchange requested', 4],
  ['pending (item modified)', 4],
];

/** The two cancellation reasons the tools accept. */
export const CANCEL_REASONS = ['no longer needed', 'ordered by mistake'] as const;

const f = (cents: number): PyFloat => new PyFloat(cents / 100);

function checkScale(scale: number): void {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a positive number, got ${scale}`);
}

/** Generates the retail tables. */
export function generateRetailTables(options: RetailGenOptions = {}): RetailTables {
  const scale = options.scale ?? 1;
  checkScale(scale);
  const root = new Rng(`retail:${String(options.seed ?? DEFAULT_RETAIL_SEED)}`);
  const ids = new UniqueIds();

  // Products: fixed catalogue, drawn variants.
  const prng = root.fork('products');
  const products: Array<[string, PyObject]> = [];
  for (const type of PRODUCT_TYPES) {
    const pid = ids.next(() => prng.digits(10));
    const dims = Object.entries(type.options);
    let combos: Array<Array<[string, string]>> = [[]];
    for (const [name, values] of dims) combos = combos.flatMap((c) => values.map((v) => [...c, [name, v] as [string, string]]));
    const count = Math.min(combos.length, prng.int(6, 14));
    const chosen = prng.sample(combos, count);
    const base = prng.int(type.price[0] * 100, type.price[1] * 100);
    const availability = chosen.map(() => prng.chance(0.78));
    // At least two available variants and at least one unavailable one per product.
    availability[0] = true;
    availability[1] = true;
    if (availability.every((a) => a)) availability[availability.length - 1] = false;
    const variants = chosen.map((opts, i) => {
      const itemId = ids.next(() => prng.digits(10));
      const cents = Math.max(100, Math.round(base * (0.85 + 0.3 * prng.next())));
      const rec: PyObject = {
        item_id: itemId,
        options: Object.fromEntries(opts),
        available: availability[i] as boolean,
        price: f(cents),
      };
      return [itemId, rec] as const;
    });
    products.push([pid, { name: type.name, product_id: pid, variants: pyObject(variants) }]);
  }
  const allVariants = products.flatMap(([pid, p]) =>
    Object.values(p.variants as PyObject).map((v) => ({ product: p, pid, variant: v as PyObject })),
  );

  // Users.
  const urng = root.fork('users');
  const nUsers = Math.max(10, Math.round(100 * scale));
  const users: Array<[string, PyObject]> = [];
  const nameZip = new Set<string>();
  for (let i = 0; i < nUsers; i++) {
    let person = makePerson(urng);
    let address = makeAddress(urng);
    while (nameZip.has(`${person.first_name}|${person.last_name}|${String(address.zip)}`)) {
      person = makePerson(urng);
      address = makeAddress(urng);
    }
    nameZip.add(`${person.first_name}|${person.last_name}|${String(address.zip)}`);
    const uid = ids.next(() => userIdOf(person, urng.digits(4)));
    const email = ids.next(() => emailOf(person, urng.digits(4)));
    const kinds = urng.weighted<string[]>([
      [['credit_card'], 22],
      [['paypal'], 14],
      [['gift_card'], 14],
      [['credit_card', 'gift_card'], 16],
      [['paypal', 'gift_card'], 10],
      [['credit_card', 'paypal'], 10],
      [['credit_card', 'paypal', 'gift_card'], 8],
      [['credit_card', 'credit_card', 'gift_card'], 6],
    ]);
    const pms: Array<[string, PyValue]> = [];
    for (const kind of urng.shuffle(kinds)) {
      const pmId = ids.next(() => `${kind}_${urng.digits(7)}`);
      if (kind === 'credit_card') pms.push([pmId, { source: 'credit_card', brand: makeCardBrand(urng), last_four: urng.digits(4, false), id: pmId }]);
      else if (kind === 'paypal') pms.push([pmId, { source: 'paypal', id: pmId }]);
      else {
        // Gift card balances: mostly whole dollars (ints, as in τ-bench files), some with cents (floats).
        const balance: PyNum = urng.chance(0.7) ? urng.int(0, 350) : f(urng.int(100, 35000));
        pms.push([pmId, { source: 'gift_card', balance, id: pmId }]);
      }
    }
    users.push([uid, { name: { first_name: person.first_name, last_name: person.last_name }, address, email, payment_methods: pyObject(pms), orders: [] }]);
  }

  // Orders.
  const orng = root.fork('orders');
  const orders: Array<[string, PyObject]> = [];
  for (const [uid, user] of users) {
    const n = orng.weighted<number>([[0, 6], [1, 22], [2, 30], [3, 24], [4, 12], [5, 6]]);
    for (let k = 0; k < n; k++) {
      const oid = ids.next(() => `#W${orng.digits(7)}`);
      const order = makeOrder(orng, oid, uid, user, allVariants);
      orders.push([oid, order]);
      (user.orders as string[]).push(oid);
    }
  }
  return { orders, products, users };
}

interface VariantRef {
  product: PyObject;
  pid: string;
  variant: PyObject;
}

function itemOf(v: VariantRef): PyObject {
  return {
    name: v.product.name as string,
    product_id: v.pid,
    item_id: v.variant.item_id as string,
    price: v.variant.price as PyFloat,
    options: clonePy(v.variant.options as PyObject),
  };
}

/** Another available variant of the same product, or undefined. */
function otherAvailableVariant(rng: Rng, product: PyObject, exclude: ReadonlySet<string>): PyObject | undefined {
  const others = Object.values(product.variants as PyObject).filter((v) => !exclude.has((v as PyObject).item_id as string) && (v as PyObject).available === true);
  return others.length === 0 ? undefined : (rng.pick(others) as PyObject);
}

function makeOrder(rng: Rng, oid: string, uid: string, user: PyObject, variants: readonly VariantRef[]): PyObject {
  const nItems = rng.weighted<number>([[1, 26], [2, 26], [3, 20], [4, 16], [5, 12]]);
  const picked: VariantRef[] = [];
  const seen = new Set<string>();
  while (picked.length < nItems) {
    const v = rng.pick(variants);
    const id = v.variant.item_id as string;
    if (seen.has(id)) continue;
    seen.add(id);
    picked.push(v);
  }
  const items = picked.map(itemOf);
  const pmIds = Object.keys(user.payment_methods as PyObject);
  const pm = rng.pick(pmIds);
  const status = rng.weighted(ORDER_STATUS_WEIGHTS);
  const address = rng.chance(0.85) ? clonePy(user.address as PyObject) : makeAddress(rng);
  const amount = pyRound(pySum(items.map((i) => i.price as PyFloat)), 2);
  const payment: PyObject = { transaction_type: 'payment', amount, payment_method_id: pm };
  const shipped = status === 'processed' || status === 'delivered' || status === 'return requested' || status === 'exchange requested';
  const fulfillments: PyObject[] = [];
  if (shipped) {
    const itemIds = items.map((i) => i.item_id as string);
    if (itemIds.length >= 3 && rng.chance(0.3)) {
      const cut = rng.int(1, itemIds.length - 1);
      fulfillments.push({ tracking_id: [rng.digits(12)], item_ids: itemIds.slice(0, cut) });
      fulfillments.push({ tracking_id: [rng.digits(12)], item_ids: itemIds.slice(cut) });
    } else fulfillments.push({ tracking_id: [rng.digits(12)], item_ids: itemIds });
  }
  const order: PyObject = { order_id: oid, user_id: uid, address, items, fulfillments, status, payment_history: [payment] };
  const history = order.payment_history as PyObject[];

  if (status === 'cancelled') {
    history.push({ transaction_type: 'refund', amount, payment_method_id: pm });
    order.cancel_reason = rng.pick(CANCEL_REASONS);
  } else if (status === 'pending (item modified)') {
    // One or two items were swapped for other variants of the same product, as the modify tool does.
    let diff: PyNum = 0;
    for (const item of rng.sample(items, rng.int(1, Math.min(2, items.length)))) {
      const product = variants.find((v) => v.pid === item.product_id)?.product as PyObject;
      const nv = otherAvailableVariant(rng, product, new Set(items.map((i) => i.item_id as string)));
      if (nv === undefined) continue;
      diff = add(diff, sub(nv.price as PyFloat, item.price as PyFloat));
      item.item_id = nv.item_id as string;
      item.price = nv.price as PyFloat;
      item.options = clonePy(nv.options as PyObject);
    }
    history.push({ transaction_type: num(diff) > 0 ? 'payment' : 'refund', amount: pyAbs(diff), payment_method_id: pm });
  } else if (status === 'return requested') {
    const returned = rng.sample(items, rng.int(1, items.length)).map((i) => i.item_id as string);
    const giftCards = pmIds.filter((id) => id.includes('gift_card'));
    order.return_items = [...returned].sort();
    order.return_payment_method_id = giftCards.length > 0 && rng.chance(0.3) ? rng.pick(giftCards) : pm;
  } else if (status === 'exchange requested') {
    const olds: string[] = [];
    const news: string[] = [];
    let diff: PyNum = 0;
    for (const item of rng.sample(items, rng.int(1, Math.min(2, items.length)))) {
      const product = variants.find((v) => v.pid === item.product_id)?.product as PyObject;
      const nv = otherAvailableVariant(rng, product, new Set([item.item_id as string]));
      if (nv === undefined) continue;
      olds.push(item.item_id as string);
      news.push(nv.item_id as string);
      diff = add(diff, sub(nv.price as PyFloat, item.price as PyFloat));
    }
    if (olds.length === 0) {
      order.status = 'delivered';
    } else {
      order.exchange_items = olds.sort();
      order.exchange_new_items = news.sort();
      order.exchange_payment_method_id = pm;
      order.exchange_price_difference = pyRound(diff, 2);
    }
  }
  return order;
}

/** The tables as a frozen {@link BaseDb} (table order: orders, products, users). */
export function retailBaseDb(tables: RetailTables): BaseDb {
  return new BaseDb([
    ['orders', tables.orders],
    ['products', tables.products],
    ['users', tables.users],
  ]);
}

/** Generates the retail database as a {@link BaseDb}. */
export function generateRetailDb(options: RetailGenOptions = {}): BaseDb {
  return retailBaseDb(generateRetailTables(options));
}
