/**
 * Compact, plain views of retail tool observations (v1 and τ² shapes), and how they are shown to
 * the customer and to sub-tasks. Parsers return null for anything that is not the expected shape,
 * so a changed observation never crashes the blueprint; it just counts as "not found".
 */
import { isPyNum, num } from '../../src/core/py/py-float.js';
import { isPyObject, orderedKeys, type PyObject, type PyValue } from '../../src/core/py/py-value.js';
import type { Address, ItemView, OrderView, PaymentView, ProductView, TransactionView, UserView, VariantView } from './types.js';

function str(v: PyValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function number(v: PyValue | undefined): number | null {
  return isPyNum(v) ? num(v) : null;
}

function obj(v: PyValue | undefined): PyObject | null {
  return isPyObject(v) ? v : null;
}

function entries(o: PyObject): Array<[string, PyValue]> {
  return orderedKeys(o).map((k) => [k, o[k] as PyValue]);
}

function stringMap(v: PyValue | undefined): Record<string, string> {
  const o = obj(v);
  const out: Record<string, string> = {};
  if (o === null) return out;
  for (const [k, x] of entries(o)) out[k] = typeof x === 'string' ? x : String(x);
  return out;
}

/** An address object, or null when a field is missing. */
export function parseAddress(v: PyValue | undefined): Address | null {
  const o = obj(v);
  if (o === null) return null;
  const fields = ['address1', 'address2', 'city', 'state', 'country', 'zip'] as const;
  const out: Partial<Address> = {};
  for (const f of fields) {
    const x = str(o[f]);
    if (x === null) return null;
    out[f] = x;
  }
  return out as Address;
}

/** `get_user_details` → view (the id is the one looked up: v1 records carry none). */
export function parseUser(v: PyValue | undefined, id: string): UserView | null {
  const o = obj(v);
  if (o === null) return null;
  const name = obj(o.name);
  const pms = obj(o.payment_methods);
  const payments: PaymentView[] = [];
  if (pms !== null) {
    for (const [key, raw] of entries(pms)) {
      const p = obj(raw);
      if (p === null) continue;
      payments.push({
        id: str(p.id) ?? key,
        source: str(p.source) ?? 'unknown',
        brand: str(p.brand),
        lastFour: str(p.last_four),
        balance: number(p.balance),
      });
    }
  }
  const orders = Array.isArray(o.orders) ? o.orders.filter((x): x is string => typeof x === 'string') : [];
  const address = parseAddress(o.address) ?? { address1: '', address2: '', city: '', state: '', country: '', zip: '' };
  return {
    id,
    firstName: str(name?.first_name) ?? '',
    lastName: str(name?.last_name) ?? '',
    email: str(o.email) ?? '',
    address,
    payments,
    orders,
  };
}

/** `get_order_details` (or a write's result) → view. */
export function parseOrder(v: PyValue | undefined): OrderView | null {
  const o = obj(v);
  if (o === null || str(o.order_id) === null) return null;
  const items: ItemView[] = [];
  for (const raw of Array.isArray(o.items) ? o.items : []) {
    const i = obj(raw);
    if (i === null) continue;
    items.push({
      itemId: str(i.item_id) ?? '',
      productId: str(i.product_id) ?? '',
      name: str(i.name) ?? '',
      price: number(i.price) ?? 0,
      options: stringMap(i.options),
    });
  }
  const tracking: string[] = [];
  for (const raw of Array.isArray(o.fulfillments) ? o.fulfillments : []) {
    const f = obj(raw);
    for (const t of Array.isArray(f?.tracking_id) ? (f?.tracking_id as PyValue[]) : []) if (typeof t === 'string') tracking.push(t);
  }
  const payments: TransactionView[] = [];
  for (const raw of Array.isArray(o.payment_history) ? o.payment_history : []) {
    const p = obj(raw);
    if (p === null) continue;
    payments.push({ type: str(p.transaction_type) ?? '', amount: number(p.amount) ?? 0, method: str(p.payment_method_id) ?? '' });
  }
  return {
    id: str(o.order_id) as string,
    userId: str(o.user_id) ?? '',
    status: str(o.status) ?? '',
    address: parseAddress(o.address) ?? { address1: '', address2: '', city: '', state: '', country: '', zip: '' },
    items,
    tracking,
    payments,
  };
}

/** `get_product_details` → view (variants in the tool's order). */
export function parseProduct(v: PyValue | undefined): ProductView | null {
  const o = obj(v);
  const id = str(o?.product_id);
  if (o === null || id === null) return null;
  const variants: VariantView[] = [];
  const vs = obj(o.variants);
  if (vs !== null) {
    for (const [key, raw] of entries(vs)) {
      const x = obj(raw);
      if (x === null) continue;
      variants.push({ itemId: str(x.item_id) ?? key, options: stringMap(x.options), available: x.available === true, price: number(x.price) ?? 0 });
    }
  }
  return { id, name: str(o.name) ?? '', variants };
}

/** `list_all_product_types` → name → product id. */
export function parseProductTypes(v: PyValue | undefined): Record<string, string> | null {
  const o = obj(v);
  if (o === null) return null;
  const out: Record<string, string> = {};
  for (const [name, id] of entries(o)) if (typeof id === 'string') out[name] = id;
  return out;
}

/** A user id from a lookup's observation (raw id text, possibly JSON-quoted). */
export function parseUserId(observation: string): string | null {
  const t = observation.trim().replace(/^"(.*)"$/, '$1');
  return /^[A-Za-z0-9_.-]+$/.test(t) ? t : null;
}

/** Order ids as customers type them (`W1234567`, `1234567`, `#w1234567`) → `#W1234567`. */
export function normaliseOrderId(id: string | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  const t = id.trim();
  if (t === '') return null;
  const m = /^#?\s*[wW]?\s*(\d{5,})$/.exec(t);
  return m === null ? t : `#W${m[1] as string}`;
}

/** `$1234.50` (no thousands separator, two decimals). */
export function money(x: number): string {
  const cents = Math.round(Math.abs(x) * 100);
  return `${x < 0 && cents > 0 ? '-' : ''}$${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Exact sum of dollar amounts (integer cents). */
export function sumMoney(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + Math.round(x * 100), 0) / 100;
}

/** `color blue, size M`. */
export function optionText(options: Readonly<Record<string, string>>): string {
  return Object.entries(options)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/** `Water Bottle (capacity 1000ml, color blue)`. */
export function itemLabel(item: Pick<ItemView, 'name' | 'options'>): string {
  const o = optionText(item.options);
  return o === '' ? item.name : `${item.name} (${o})`;
}

/** How a payment method is named to the customer. */
export function paymentLabel(pm: PaymentView | undefined, id: string): string {
  if (pm === undefined) return id;
  if (pm.source === 'credit_card') return `${pm.brand ?? 'credit'} card ending in ${pm.lastFour ?? '????'} (${pm.id})`;
  if (pm.source === 'paypal') return `PayPal account (${pm.id})`;
  if (pm.source === 'gift_card') return `gift card ${pm.id}${pm.balance === null ? '' : ` (balance ${money(pm.balance)})`}`;
  return pm.id;
}

/** One line of an address. */
export function addressText(a: Address): string {
  return [a.address1, a.address2, a.city, `${a.state} ${a.zip}`.trim(), a.country].filter((s) => s.trim() !== '').join(', ');
}

/** English list: `a`, `a and b`, `a, b and c`. */
export function andList(xs: readonly string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1] as string}`;
}

/** Whether a saved method is a gift card (by type, falling back to the v1 id convention). */
export function isGiftCard(pm: PaymentView | undefined, id: string): boolean {
  return pm !== undefined ? pm.source === 'gift_card' : id.includes('gift_card');
}
