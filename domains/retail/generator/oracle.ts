/**
 * The retail policy oracle: the rules of `domains/retail/policy.md` as code. Every check reads the
 * current database state (an episode's {@link DbState}) and says whether the policy allows a
 * request, or which rule forbids it. The task generator asks it before emitting any write, so gold
 * actions never break the policy, and requests it refuses become refusal tasks.
 */
import { add, cmp, num, pyRound, sub, type PyNum } from '../../../src/core/py/py-float.js';
import type { PyObject } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';

/** A policy rule that forbids (or makes impossible) a request. */
export type RetailRule =
  | 'order_not_owned'
  | 'order_not_pending'
  | 'order_not_delivered'
  | 'invalid_cancel_reason'
  | 'payment_method_not_owned'
  | 'same_payment_method'
  | 'not_single_payment'
  | 'insufficient_gift_card'
  | 'item_not_in_order'
  | 'different_product'
  | 'same_variant'
  | 'variant_unavailable'
  | 'refund_method_not_allowed'
  | 'out_of_scope';

/** The oracle's answer. */
export type Verdict = { ok: true } | { ok: false; rule: RetailRule };

const OK: Verdict = { ok: true };
const no = (rule: RetailRule): Verdict => ({ ok: false, rule });

/** The accepted cancellation reasons, verbatim. */
export const CANCEL_REASONS: readonly string[] = ['no longer needed', 'ordered by mistake'];

/** Statuses and the actions they allow (policy section 5). */
export const STATUS_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  pending: ['cancel', 'modify_address', 'modify_payment', 'modify_items'],
  'pending (item modified)': [],
  processed: [],
  delivered: ['return', 'exchange'],
  cancelled: [],
  'return requested': [],
  'exchange requested': [],
};

/** An order, read-only. */
export function orderOf(db: DbState, orderId: string): Readonly<PyObject> | undefined {
  return db.table('orders').get(orderId);
}

/** A user, read-only. */
export function userOf(db: DbState, userId: string): Readonly<PyObject> | undefined {
  return db.table('users').get(userId);
}

/** A product, read-only. */
export function productOf(db: DbState, productId: string): Readonly<PyObject> | undefined {
  return db.table('products').get(productId);
}

/** A saved payment method of the user. */
export function paymentMethodOf(db: DbState, userId: string, pmId: string): Readonly<PyObject> | undefined {
  const pms = userOf(db, userId)?.payment_methods as PyObject | undefined;
  return pms !== undefined && Object.prototype.hasOwnProperty.call(pms, pmId) ? (pms[pmId] as PyObject) : undefined;
}

/** The order's items. */
export function itemsOf(order: Readonly<PyObject>): PyObject[] {
  return order.items as PyObject[];
}

/** The method of the order's first payment (its "original payment method"). */
export function originalPaymentMethod(order: Readonly<PyObject>): string {
  return ((order.payment_history as PyObject[])[0] as PyObject).payment_method_id as string;
}

function owned(db: DbState, userId: string, orderId: string): Readonly<PyObject> | Verdict {
  const order = orderOf(db, orderId);
  if (order === undefined || order.user_id !== userId) return no('order_not_owned');
  return order;
}

const isVerdict = (x: unknown): x is Verdict => typeof x === 'object' && x !== null && 'ok' in x;

/** Policy section 6. */
export function checkCancel(db: DbState, userId: string, orderId: string, reason: string): Verdict {
  const order = owned(db, userId, orderId);
  if (isVerdict(order)) return order;
  if (order.status !== 'pending') return no('order_not_pending');
  if (!CANCEL_REASONS.includes(reason)) return no('invalid_cancel_reason');
  return OK;
}

/** Policy section 7, shipping address. */
export function checkModifyAddress(db: DbState, userId: string, orderId: string): Verdict {
  const order = owned(db, userId, orderId);
  if (isVerdict(order)) return order;
  return order.status === 'pending' ? OK : no('order_not_pending');
}

/** Policy section 7, payment method. */
export function checkModifyPayment(db: DbState, userId: string, orderId: string, pmId: string): Verdict {
  const order = owned(db, userId, orderId);
  if (isVerdict(order)) return order;
  if (order.status !== 'pending') return no('order_not_pending');
  const pm = paymentMethodOf(db, userId, pmId);
  if (pm === undefined) return no('payment_method_not_owned');
  const history = order.payment_history as PyObject[];
  if (history.length !== 1 || history[0]?.transaction_type !== 'payment') return no('not_single_payment');
  if (history[0].payment_method_id === pmId) return no('same_payment_method');
  if (pm.source === 'gift_card' && cmp.lt(pm.balance as PyNum, history[0].amount as PyNum)) return no('insufficient_gift_card');
  return OK;
}

/** One item swap: an item of the order → another variant. */
export interface ItemSwap {
  itemId: string;
  newItemId: string;
}

/** Checks swaps against the order and catalogue (shared by modify and exchange). */
function checkSwaps(db: DbState, order: Readonly<PyObject>, swaps: readonly ItemSwap[]): Verdict {
  const items = itemsOf(order);
  const counts = new Map<string, number>();
  for (const s of swaps) counts.set(s.itemId, (counts.get(s.itemId) ?? 0) + 1);
  for (const [id, n] of counts) if (items.filter((i) => i.item_id === id).length < n) return no('item_not_in_order');
  for (const s of swaps) {
    const item = items.find((i) => i.item_id === s.itemId) as PyObject;
    const product = productOf(db, item.product_id as string);
    const variants = product?.variants as PyObject | undefined;
    const nv = variants !== undefined && Object.prototype.hasOwnProperty.call(variants, s.newItemId) ? (variants[s.newItemId] as PyObject) : undefined;
    if (nv === undefined) return no('different_product');
    if (s.newItemId === s.itemId) return no('same_variant');
    if (nv.available !== true) return no('variant_unavailable');
  }
  return OK;
}

/** Sum of (new price − old price) over the swaps, accumulated from int 0 as the tools do. */
export function priceDifference(db: DbState, order: Readonly<PyObject>, swaps: readonly ItemSwap[]): PyNum {
  let diff: PyNum = 0;
  for (const s of swaps) {
    const item = itemsOf(order).find((i) => i.item_id === s.itemId) as PyObject;
    const nv = (productOf(db, item.product_id as string)?.variants as PyObject)[s.newItemId] as PyObject;
    diff = add(diff, sub(nv.price as PyNum, item.price as PyNum));
  }
  return diff;
}

function checkDifferencePayment(db: DbState, userId: string, pmId: string, diff: PyNum): Verdict {
  const pm = paymentMethodOf(db, userId, pmId);
  if (pm === undefined) return no('payment_method_not_owned');
  if (pm.source === 'gift_card' && cmp.lt(pm.balance as PyNum, diff)) return no('insufficient_gift_card');
  return OK;
}

/** Policy section 7, items. */
export function checkModifyItems(db: DbState, userId: string, orderId: string, swaps: readonly ItemSwap[], pmId: string): Verdict {
  const order = owned(db, userId, orderId);
  if (isVerdict(order)) return order;
  if (order.status !== 'pending') return no('order_not_pending');
  const v = checkSwaps(db, order, swaps);
  if (!v.ok) return v;
  return checkDifferencePayment(db, userId, pmId, priceDifference(db, order, swaps));
}

/** Policy section 9. */
export function checkExchange(db: DbState, userId: string, orderId: string, swaps: readonly ItemSwap[], pmId: string): Verdict {
  const order = owned(db, userId, orderId);
  if (isVerdict(order)) return order;
  if (order.status !== 'delivered') return no('order_not_delivered');
  const v = checkSwaps(db, order, swaps);
  if (!v.ok) return v;
  return checkDifferencePayment(db, userId, pmId, pyRound(priceDifference(db, order, swaps), 2));
}

/** Policy section 8. */
export function checkReturn(db: DbState, userId: string, orderId: string, itemIds: readonly string[], pmId: string): Verdict {
  const order = owned(db, userId, orderId);
  if (isVerdict(order)) return order;
  if (order.status !== 'delivered') return no('order_not_delivered');
  const pm = paymentMethodOf(db, userId, pmId);
  if (pm === undefined) return no('payment_method_not_owned');
  if (pm.source !== 'gift_card' && pmId !== originalPaymentMethod(order)) return no('refund_method_not_allowed');
  const items = itemsOf(order);
  const counts = new Map<string, number>();
  for (const id of itemIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, n] of counts) if (items.filter((i) => i.item_id === id).length < n) return no('item_not_in_order');
  return OK;
}

/** The refund of a return: the sum of the returned items' prices (first matching item each). */
export function returnRefund(order: Readonly<PyObject>, itemIds: readonly string[]): number {
  const items = [...itemsOf(order)];
  let cents = 0;
  for (const id of itemIds) {
    const i = items.findIndex((x) => x.item_id === id);
    cents += Math.round(num(items[i]?.price as PyNum) * 100);
    items.splice(i, 1);
  }
  return cents / 100;
}

/** A wished change of an item: partial options, in the customer's order of preference. */
export type OptionChoice = Record<string, string>;

/**
 * The variant a customer's wish resolves to (policy section 10): for each choice in order, the
 * variant of the same product whose options equal the item's options with the choice applied; the
 * first such variant that is available and differs from the item wins. Undefined: none.
 */
export function resolveWish(db: DbState, item: Readonly<PyObject>, choices: readonly OptionChoice[]): string | undefined {
  const variants = Object.values(productOf(db, item.product_id as string)?.variants as PyObject) as PyObject[];
  const current = item.options as PyObject;
  for (const choice of choices) {
    const want = { ...current, ...choice } as Record<string, unknown>;
    const match = variants.find((v) => {
      const o = v.options as PyObject;
      return Object.keys(want).every((k) => o[k] === want[k]) && Object.keys(o).length === Object.keys(want).length;
    });
    if (match !== undefined && match.available === true && match.item_id !== item.item_id) return match.item_id as string;
  }
  return undefined;
}

/** Number of available variants of a product. */
export function availableVariantCount(db: DbState, productId: string): number {
  return Object.values(productOf(db, productId)?.variants as PyObject).filter((v) => (v as PyObject).available === true).length;
}
