/**
 * Seeded retail task generator. For a seed it draws conversations covering every request the
 * retail policy allows or forbids: single and several requests, conditional wishes, refusals and
 * transfers. Gold actions come from the policy oracle (`oracle.ts`): each write is checked against
 * the policy, then run on a live environment with the domain's tools (so later requests of the
 * same conversation see earlier writes, and a write the tools reject is a generator bug).
 *
 * Request kinds (`task.scripted.requests[].kind`) and their `args` (every request's args also
 * carry `expected`: the oracle's outcome, and `rule` for refusals):
 * - `cancel_order` `{order_id, reason}`
 * - `modify_order_address` `{order_id, address}`; `modify_user_address` `{address}`
 * - `modify_order_payment` `{order_id, payment_method_id, fallback?: 'keep'}`
 * - `modify_order_items` / `exchange_items` `{order_id, items: ItemWish[], payment_method_id}` (a wish for a
 *   different product type, always refused, has `choices: []` and `wanted_product_id`/`wanted_product_name`)
 * - `return_items` `{order_id, item_ids, payment_method_id, fallback_payment_method_id?, ask_refund_total?}`
 * - `cancel_or_return` `{order_id, reason, item_ids, payment_method_id}`: cancel if pending, else return if delivered
 * - `ask_info` `{question, …, answer}`: `available_variants {product_name, product_id}`,
 *   `gift_card_balance {payment_method_id}`, `tracking_number {order_id}`
 * - `transfer` `{topic, order_id?}`
 */
import type { Rng, Seed } from '../../../src/core/rng.js';
import type { PyNum } from '../../../src/core/py/py-float.js';
import type { PyObject } from '../../../src/core/py/py-value.js';
import type { Task } from '../../../src/core/task.js';
import type { BaseDb, DbState } from '../../../src/env/db-state.js';
import type { ToolRegistry } from '../../../src/env/registry.js';
import { DEFAULT_RETAIL_SEED } from './data.js';
import {
  CANCEL_REASONS,
  availableVariantCount,
  checkCancel,
  checkExchange,
  checkModifyAddress,
  checkModifyItems,
  checkModifyPayment,
  checkReturn,
  itemsOf,
  orderOf,
  originalPaymentMethod,
  paymentMethodOf,
  productOf,
  resolveWish,
  returnRefund,
  type ItemSwap,
  type OptionChoice,
  type Verdict,
} from './oracle.js';
import { makeAddress } from '../../common/generator/people.js';
import { PERSONAS, andList, moneyOutput, scheduleTasks, type RequestOutcome, type TaskDraft } from '../../common/generator/task-kit.js';

/** Options of {@link generateRetailTasks}. */
export interface RetailTaskOptions {
  /** The database the tasks run on (from {@link generateRetailDb} with the same seed, usually). */
  base: BaseDb;
  /** The retail v1 tools: gold writes are executed with them while generating. */
  registry: ToolRegistry;
  /** Seed. Default {@link DEFAULT_RETAIL_SEED}. */
  seed?: Seed;
  /** Number of tasks. Default 100. */
  count?: number;
}

/** One item a customer wants changed (modify or exchange). */
export interface ItemWish {
  item_id: string;
  product_id: string;
  product_name: string;
  current_options: Record<string, string>;
  /** Wished option changes, most preferred first ("blue; if not available, black"). */
  choices: OptionChoice[];
  /** The variant the policy picks (first available choice), or null if none is available. */
  resolved_item_id: string | null;
  /** Set when the customer wants a different kind of product instead (never allowed). */
  wanted_product_id?: string;
  wanted_product_name?: string;
}

/** Task categories and their share of a suite. */
export const RETAIL_CATEGORIES: ReadonlyArray<readonly [string, number]> = [
  ['cancel', 7],
  ['modify_order_address', 4],
  ['modify_user_address', 3],
  ['modify_payment', 5],
  ['modify_items', 6],
  ['modify_items_conditional', 3],
  ['return', 6],
  ['return_with_total', 3],
  ['exchange', 5],
  ['exchange_conditional', 3],
  ['cancel_or_return', 4],
  ['ask_variants', 3],
  ['ask_gift_card', 2],
  ['ask_tracking', 3],
  ['refuse_cancel_not_pending', 5],
  ['refuse_modify_not_pending', 3],
  ['refuse_payment_gift_card', 2],
  ['refuse_different_product', 3],
  ['unavailable_variant', 3],
  ['refuse_return_method', 2],
  ['return_method_fallback', 2],
  ['refuse_return_not_delivered', 3],
  ['refuse_exchange_not_delivered', 2],
  ['refuse_other_customer', 3],
  ['transfer', 4],
  ['multi', 8],
  ['multi_conflict', 3],
];

export { apportion } from '../../common/generator/task-kit.js';

interface Ctx {
  rng: Rng;
  d: TaskDraft;
  db: DbState;
  userId: string;
  /** Orders already used by a request of this task. */
  used: Set<string>;
  /** How many earlier tasks of the suite had this category (alternates conditional outcomes). */
  variant: number;
}

type Sub = (c: Ctx) => boolean;

const REASON_TEXT: Record<string, string> = {
  'no longer needed': 'you no longer need it',
  'ordered by mistake': 'you ordered it by mistake',
};

function optionText(o: Readonly<Record<string, unknown>>): string {
  return Object.entries(o)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

function itemLabel(item: Readonly<PyObject>): string {
  return `${String(item.name)} (${optionText(item.options as PyObject)})`;
}

function addressText(a: Readonly<PyObject>): string {
  return `${String(a.address1)}, ${String(a.address2)}, ${String(a.city)}, ${String(a.state)} ${String(a.zip)}, ${String(a.country)}`;
}

function addressArgs(a: Readonly<PyObject>): PyObject {
  return { address1: a.address1 as string, address2: a.address2 as string, city: a.city as string, state: a.state as string, country: a.country as string, zip: a.zip as string };
}

function pmLabel(db: DbState, userId: string, pmId: string): string {
  const pm = paymentMethodOf(db, userId, pmId);
  if (pm === undefined) return pmId;
  if (pm.source === 'credit_card') return `${String(pm.brand)} credit card ending in ${String(pm.last_four)}`;
  if (pm.source === 'paypal') return 'PayPal account';
  return 'gift card';
}

function userOrders(c: Ctx, statuses: readonly string[] | undefined, excludeUsed = true): Array<Readonly<PyObject>> {
  const user = c.db.table('users').get(c.userId) as PyObject;
  return (user.orders as string[])
    .filter((id) => !excludeUsed || !c.used.has(id))
    .map((id) => orderOf(c.db, id) as PyObject)
    .filter((o) => statuses === undefined || statuses.includes(o.status as string));
}

function userPms(c: Ctx): PyObject[] {
  return Object.values((c.db.table('users').get(c.userId) as PyObject).payment_methods as PyObject) as PyObject[];
}

/**
 * Reads the order the way an agent finds it: by id, or (a customer without the id, describing it
 * by a product no other order of theirs has) scanning the user's orders. Returns how the customer
 * refers to it ("order #W…" or "the order with the …").
 */
function locateOrder(c: Ctx, order: Readonly<PyObject>): string {
  const oid = order.order_id as string;
  c.used.add(oid);
  const user = c.db.table('users').get(c.userId) as PyObject;
  const otherNames = new Set(
    (user.orders as string[]).filter((id) => id !== oid).flatMap((id) => itemsOf(orderOf(c.db, id) as PyObject).map((i) => i.name as string)),
  );
  const unique = itemsOf(order).find((i) => !otherNames.has(i.name as string));
  if (unique !== undefined && c.rng.chance(0.2)) {
    for (const id of user.orders as string[]) {
      c.d.read('get_order_details', { order_id: id });
      if (id === oid) break;
    }
    c.d.unknown.push(`You do not remember the id of the order with the ${String(unique.name)}.`);
    return `the order with the ${String(unique.name)}`;
  }
  c.d.fact('order_id', oid);
  c.d.knownOnce(`Your order id is ${oid}.`);
  c.d.read('get_order_details', { order_id: oid });
  return `order ${oid}`;
}

function refuseLine(c: Ctx): void {
  c.d.instructions.push('If the agent explains that this is not possible, accept it and do not insist.');
}

// ---------------------------------------------------------------- single requests

function cancel(c: Ctx, statuses: readonly string[] = ['pending']): boolean {
  const orders = userOrders(c, statuses);
  if (orders.length === 0) return false;
  const order = c.rng.pick(orders);
  const reason = c.rng.pick(CANCEL_REASONS);
  const ref = locateOrder(c, order);
  const oid = order.order_id as string;
  const v = checkCancel(c.db, c.userId, oid, reason);
  c.d.fact('reason', reason);
  c.d.reasons.push(`You want to cancel ${ref} because ${REASON_TEXT[reason] ?? reason}.`);
  if (v.ok) c.d.write('cancel_pending_order', { order_id: oid, reason });
  else refuseLine(c);
  record(c, 'cancel_order', `I would like to cancel ${ref}, ${REASON_TEXT[reason] ?? reason}.`, { order_id: oid, reason }, v);
  return true;
}

function record(c: Ctx, kind: string, utterance: string, args: Record<string, unknown>, v: Verdict, failOutcome: RequestOutcome = 'refused'): void {
  if (v.ok) c.d.request(kind, utterance, args, 'performed');
  else c.d.request(kind, utterance, args, v.rule === 'variant_unavailable' ? 'unavailable' : failOutcome, v.rule);
}

function modifyOrderAddress(c: Ctx, statuses: readonly string[] = ['pending']): boolean {
  const orders = userOrders(c, statuses);
  if (orders.length === 0) return false;
  const order = c.rng.pick(orders);
  const oid = order.order_id as string;
  const user = c.db.table('users').get(c.userId) as PyObject;
  const useDefault = canonicalAddress(order.address as PyObject) !== canonicalAddress(user.address as PyObject) && c.rng.chance(0.5);
  const address = useDefault ? addressArgs(user.address as PyObject) : addressArgs(makeAddress(c.rng));
  const ref = locateOrder(c, order);
  const v = checkModifyAddress(c.db, c.userId, oid);
  if (useDefault) {
    c.d.reasons.push(`You want ${ref} shipped to your default address instead (${addressText(address)}).`);
  } else {
    c.d.reasons.push(`You moved and want ${ref} shipped to ${addressText(address)}.`);
  }
  c.d.known.push(`The new address is ${addressText(address)}.`);
  if (v.ok) c.d.write('modify_pending_order_address', { order_id: oid, ...address });
  else refuseLine(c);
  record(c, 'modify_order_address', `Can you change the shipping address of ${ref} to ${addressText(address)}?`, { order_id: oid, address }, v);
  return true;
}

function canonicalAddress(a: PyObject): string {
  return addressText(a);
}

function modifyUserAddress(c: Ctx): boolean {
  const address = addressArgs(makeAddress(c.rng));
  c.d.reasons.push(`You moved and want your default address changed to ${addressText(address)}.`);
  c.d.known.push(`Your new address is ${addressText(address)}.`);
  c.d.write('modify_user_address', { user_id: c.userId, ...address });
  c.d.request('modify_user_address', `I moved. Please update my default address to ${addressText(address)}.`, { address }, 'performed');
  return true;
}

function modifyPayment(c: Ctx, mode: 'ok' | 'insufficient'): boolean {
  const candidates: Array<[Readonly<PyObject>, string]> = [];
  for (const o of userOrders(c, ['pending'])) {
    for (const pm of userPms(c)) {
      const v = checkModifyPayment(c.db, c.userId, o.order_id as string, pm.id as string);
      if (mode === 'ok' ? v.ok : !v.ok && v.rule === 'insufficient_gift_card') candidates.push([o, pm.id as string]);
    }
  }
  if (candidates.length === 0) return false;
  const [order, pmId] = c.rng.pick(candidates);
  const oid = order.order_id as string;
  const ref = locateOrder(c, order);
  const label = pmLabel(c.db, c.userId, pmId);
  c.d.fact('payment_method_id', pmId);
  c.d.reasons.push(`You want to pay for ${ref} with your ${label} instead of the method you used.`);
  const v = checkModifyPayment(c.db, c.userId, oid, pmId);
  if (v.ok) c.d.write('modify_pending_order_payment', { order_id: oid, payment_method_id: pmId });
  else c.d.instructions.push('If the agent says the gift card balance is not enough, keep the original payment method.');
  record(c, 'modify_order_payment', `I'd like to switch the payment of ${ref} to my ${label}.`, { order_id: oid, payment_method_id: pmId, ...(v.ok ? {} : { fallback: 'keep' }) }, v);
  return true;
}

/** Builds a wish for an item: plain (one available variant), conditional (an unavailable one first, then an available one) or none available. */
function wishFor(c: Ctx, item: Readonly<PyObject>, mode: 'plain' | 'conditional' | 'none_available'): ItemWish | undefined {
  const product = productOf(c.db, item.product_id as string) as PyObject;
  const variants = (Object.values(product.variants as PyObject) as PyObject[]).filter((v) => v.item_id !== item.item_id);
  const current = item.options as Record<string, string>;
  const diffOf = (v: PyObject): OptionChoice => {
    const o = v.options as Record<string, string>;
    return Object.fromEntries(Object.entries(o).filter(([k, val]) => current[k] !== val));
  };
  const avail = variants.filter((v) => v.available === true);
  const unavail = variants.filter((v) => v.available !== true);
  let choices: OptionChoice[];
  if (mode === 'plain') {
    if (avail.length === 0) return undefined;
    choices = [diffOf(c.rng.pick(avail))];
  } else if (mode === 'conditional') {
    if (avail.length === 0 || unavail.length === 0) return undefined;
    choices = [diffOf(c.rng.pick(unavail)), diffOf(c.rng.pick(avail))];
  } else {
    if (unavail.length === 0) return undefined;
    choices = c.rng.sample(unavail, 2).map(diffOf);
  }
  if (choices.some((ch) => Object.keys(ch).length === 0)) return undefined;
  const resolved = resolveWish(c.db, item, choices) ?? null;
  return {
    item_id: item.item_id as string,
    product_id: item.product_id as string,
    product_name: item.name as string,
    current_options: { ...current },
    choices,
    resolved_item_id: resolved,
  };
}

function wishText(w: ItemWish): string {
  const [first, ...rest] = w.choices;
  let s = `the ${w.product_name} (${optionText(w.current_options)}) for one with ${optionText(first ?? {})}`;
  for (const r of rest) s += ` (or, if that is not available, one with ${optionText(r)})`;
  return s;
}

/** Modify (pending) or exchange (delivered) items. */
function changeItems(c: Ctx, kind: 'modify' | 'exchange', mode: 'plain' | 'conditional' | 'none_available', statuses?: readonly string[]): boolean {
  const wanted = statuses ?? [kind === 'modify' ? 'pending' : 'delivered'];
  const options: Array<[Readonly<PyObject>, ItemWish[]]> = [];
  for (const o of userOrders(c, wanted)) {
    const items = c.rng.shuffle(itemsOf(o));
    const n = mode === 'plain' && items.length > 1 && c.rng.chance(0.35) ? 2 : 1;
    const wishes: ItemWish[] = [];
    for (const it of items) {
      if (wishes.length >= n) break;
      const w = wishFor(c, it, mode);
      if (w !== undefined) wishes.push(w);
    }
    if (wishes.length > 0) options.push([o, wishes]);
  }
  if (options.length === 0) return false;
  const [order, wishes] = c.rng.pick(options);
  const oid = order.order_id as string;
  const swaps: ItemSwap[] = wishes.filter((w) => w.resolved_item_id !== null).map((w) => ({ itemId: w.item_id, newItemId: w.resolved_item_id as string }));
  // Payment for the difference: the original method if saved (60%), else another one that can pay.
  const orig = originalPaymentMethod(order);
  const pmIds = [orig, ...c.rng.shuffle(userPms(c).map((p) => p.id as string)).filter((id) => id !== orig)].filter((id) => paymentMethodOf(c.db, c.userId, id) !== undefined);
  const check = (pm: string): Verdict => (kind === 'modify' ? checkModifyItems : checkExchange)(c.db, c.userId, oid, swaps, pm);
  let pmId: string | undefined;
  if (swaps.length === 0) pmId = pmIds[0];
  else {
    const okPms = pmIds.filter((p) => check(p).ok);
    if (okPms.length > 0) pmId = okPms[0] === orig && c.rng.chance(0.6) ? orig : c.rng.pick(okPms);
    else {
      // Only a status or ownership refusal is wanted here, never an accidental payment problem.
      const first = pmIds[0] === undefined ? undefined : check(pmIds[0]);
      if (first !== undefined && !first.ok && (first.rule === 'order_not_pending' || first.rule === 'order_not_delivered')) pmId = pmIds[0];
    }
  }
  if (pmId === undefined) return false;
  const ref = locateOrder(c, order);
  for (const w of wishes) c.d.read('get_product_details', { product_id: w.product_id });
  const what = andList(wishes.map(wishText));
  const verb = kind === 'modify' ? 'swap' : 'exchange';
  c.d.reasons.push(`In ${ref} you want to ${verb} ${what}.`);
  c.d.fact('payment_method_id', pmId);
  c.d.known.push(`Any price difference should go to your ${pmLabel(c.db, c.userId, pmId)}.`);
  if (mode !== 'plain') c.d.instructions.push('If none of the options you want is available for an item, keep that item as it is.');
  const v: Verdict = swaps.length === 0 ? { ok: false, rule: 'variant_unavailable' } : check(pmId);
  if (v.ok) {
    c.d.write(kind === 'modify' ? 'modify_pending_order_items' : 'exchange_delivered_order_items', {
      order_id: oid,
      item_ids: swaps.map((s) => s.itemId),
      new_item_ids: swaps.map((s) => s.newItemId),
      payment_method_id: pmId,
    });
  } else if (v.rule !== 'variant_unavailable') refuseLine(c);
  record(c, kind === 'modify' ? 'modify_order_items' : 'exchange_items', `For ${ref}, I'd like to ${verb} ${what}.`, { order_id: oid, items: wishes, payment_method_id: pmId }, v);
  return true;
}

/** Asks to change an item into a different kind of product (never allowed). */
function differentProduct(c: Ctx): boolean {
  const orders = userOrders(c, ['pending', 'delivered']);
  if (orders.length === 0) return false;
  const order = c.rng.pick(orders);
  const item = c.rng.pick(itemsOf(order));
  const others = [...c.db.table('products').values()].filter((p) => p.product_id !== item.product_id);
  const target = c.rng.pick(others);
  const ref = locateOrder(c, order);
  const kind = order.status === 'pending' ? 'modify_order_items' : 'exchange_items';
  c.d.reasons.push(`In ${ref} you want to swap your ${itemLabel(item)} for a ${String(target.name)} instead.`);
  refuseLine(c);
  const wish: ItemWish = {
    item_id: item.item_id as string,
    product_id: item.product_id as string,
    product_name: item.name as string,
    current_options: { ...(item.options as Record<string, string>) },
    choices: [],
    resolved_item_id: null,
    wanted_product_id: target.product_id as string,
    wanted_product_name: target.name as string,
  };
  const orig = originalPaymentMethod(order);
  c.d.request(kind, `Can I swap the ${String(item.name)} in ${ref} for a ${String(target.name)}?`, { order_id: order.order_id as string, items: [wish], payment_method_id: orig }, 'refused', 'different_product');
  return true;
}

function returnItems(c: Ctx, mode: 'ok' | 'with_total' | 'bad_method' | 'fallback', statuses: readonly string[] = ['delivered']): boolean {
  const orders = userOrders(c, statuses);
  if (orders.length === 0) return false;
  const pms = userPms(c);
  const gifts = pms.filter((p) => p.source === 'gift_card').map((p) => p.id as string);
  const choices: Array<[Readonly<PyObject>, string, string | undefined]> = [];
  for (const o of orders) {
    const orig = originalPaymentMethod(o);
    const bad = pms.filter((p) => p.source !== 'gift_card' && p.id !== orig).map((p) => p.id as string);
    if (mode === 'ok' || mode === 'with_total') {
      const ok = [orig, ...gifts].filter((id) => paymentMethodOf(c.db, c.userId, id) !== undefined);
      if (ok.length > 0) choices.push([o, c.rng.chance(0.7) ? ok[0]! : c.rng.pick(ok), undefined]);
    } else if (bad.length > 0) {
      if (mode === 'bad_method') choices.push([o, c.rng.pick(bad), undefined]);
      else if (gifts.length > 0) choices.push([o, c.rng.pick(bad), c.rng.pick(gifts)]);
    }
  }
  if (choices.length === 0) return false;
  const [order, pmId, fallback] = c.rng.pick(choices);
  const oid = order.order_id as string;
  const items = itemsOf(order);
  const chosen = c.rng.chance(0.3) ? items : c.rng.sample(items, c.rng.int(1, items.length));
  const itemIds = items.filter((i) => chosen.includes(i)).map((i) => i.item_id as string);
  const ref = locateOrder(c, order);
  const labels = andList(items.filter((i) => chosen.includes(i)).map(itemLabel));
  const all = chosen.length === items.length;
  c.d.reasons.push(`You want to return ${all ? `everything in ${ref}` : `the ${labels} from ${ref}`}.`);
  c.d.fact('payment_method_id', pmId);
  c.d.known.push(`You want the refund on your ${pmLabel(c.db, c.userId, pmId)}.`);
  let v = checkReturn(c.db, c.userId, oid, itemIds, pmId);
  let used = pmId;
  if (!v.ok && fallback !== undefined) {
    c.d.instructions.push(`If the refund cannot go to your ${pmLabel(c.db, c.userId, pmId)}, put it on your gift card instead.`);
    c.d.fact('payment_method_id', fallback);
    used = fallback;
    v = checkReturn(c.db, c.userId, oid, itemIds, fallback);
  } else if (!v.ok) refuseLine(c);
  if (mode === 'with_total') {
    const total = returnRefund(order, itemIds);
    c.d.instructions.push('Ask the agent how much money you will get back in total.');
    c.d.unknown.push('You do not know the total refund amount.');
    if (v.ok) c.d.outputs.push(moneyOutput(total));
  }
  if (v.ok) c.d.write('return_delivered_order_items', { order_id: oid, item_ids: itemIds, payment_method_id: used });
  const args: Record<string, unknown> = { order_id: oid, item_ids: itemIds, payment_method_id: pmId };
  if (fallback !== undefined) args.fallback_payment_method_id = fallback;
  if (mode === 'with_total') args.ask_refund_total = true;
  if (mode === 'with_total' && v.ok) args.answer = moneyOutput(returnRefund(order, itemIds));
  record(c, 'return_items', `I'd like to return ${all ? 'all the items' : `the ${labels}`} from ${ref}.`, args, v);
  return true;
}

/** "Cancel it if it has not shipped; if it was delivered, return the X instead." */
function cancelOrReturn(c: Ctx): boolean {
  // Cycle the order's status over the suite so that every branch of the wish occurs.
  const orders = userOrders(c, [['pending', 'delivered', 'processed'][c.variant % 3] as string]);
  if (orders.length === 0) return false;
  const order = c.rng.pick(orders);
  const oid = order.order_id as string;
  const reason = c.rng.pick(CANCEL_REASONS);
  const items = itemsOf(order);
  const itemIds = items.map((i) => i.item_id as string);
  const orig = originalPaymentMethod(order);
  const ref = locateOrder(c, order);
  c.d.fact('reason', reason);
  c.d.fact('payment_method_id', orig);
  c.d.reasons.push(
    `You want to cancel ${ref} because ${REASON_TEXT[reason] ?? reason}. You are not sure whether it has shipped: if it has already been delivered, you want to return all of it with the refund going to the original payment method; if it is on its way, you accept that nothing can be done.`,
  );
  const args = { order_id: oid, reason, item_ids: itemIds, payment_method_id: orig };
  const utter = `I'd like to cancel ${ref}, ${REASON_TEXT[reason] ?? reason}. If it already arrived, I want to return it.`;
  if (order.status === 'pending') {
    c.d.write('cancel_pending_order', { order_id: oid, reason });
    c.d.request('cancel_or_return', utter, args, 'performed');
  } else if (order.status === 'delivered') {
    const v = checkReturn(c.db, c.userId, oid, itemIds, orig);
    if (!v.ok) return fail(c);
    c.d.write('return_delivered_order_items', { order_id: oid, item_ids: itemIds, payment_method_id: orig });
    c.d.request('cancel_or_return', utter, args, 'performed');
  } else {
    c.d.request('cancel_or_return', utter, args, 'refused', 'order_not_pending');
  }
  return true;
}

function fail(_c: Ctx): never {
  throw new Error('inconsistent retail generator state');
}

function askVariants(c: Ctx): boolean {
  const products = [...c.db.table('products').values()];
  const p = c.rng.pick(products);
  const n = availableVariantCount(c.db, p.product_id as string);
  c.d.read('list_all_product_types', {});
  c.d.read('get_product_details', { product_id: p.product_id as string });
  c.d.reasons.push(`You are thinking of buying a ${String(p.name)} and want to know how many of its variants are available right now.`);
  c.d.unknown.push(`You do not know the product id of the ${String(p.name)}.`);
  c.d.outputs.push(String(n));
  c.d.request('ask_info', `How many ${String(p.name)} variants do you currently have in stock?`, { question: 'available_variants', product_name: p.name as string, product_id: p.product_id as string, answer: String(n) }, 'answered');
  return true;
}

function askGiftCard(c: Ctx): boolean {
  const gifts = userPms(c).filter((p) => p.source === 'gift_card');
  if (gifts.length === 0) return false;
  const g = c.rng.pick(gifts);
  const bal = g.balance as PyNum;
  c.d.read('get_user_details', { user_id: c.userId });
  c.d.reasons.push('You want to know the balance left on your gift card.');
  c.d.outputs.push(moneyOutput(bal));
  c.d.request('ask_info', 'What is the balance on my gift card?', { question: 'gift_card_balance', payment_method_id: g.id as string, answer: moneyOutput(bal) }, 'answered');
  return true;
}

function askTracking(c: Ctx): boolean {
  const orders = userOrders(c, ['processed', 'delivered']);
  if (orders.length === 0) return false;
  const order = c.rng.pick(orders);
  const f = (order.fulfillments as PyObject[])[0] as PyObject;
  const tracking = (f.tracking_id as string[])[0] as string;
  const ref = locateOrder(c, order);
  c.d.reasons.push(`You want the tracking number of ${ref}.`);
  c.d.outputs.push(tracking);
  c.d.request('ask_info', `Could you give me the tracking number for ${ref}?`, { question: 'tracking_number', order_id: order.order_id as string, answer: tracking }, 'answered');
  return true;
}

/** A request about an order of another customer (refused). */
function otherCustomer(c: Ctx): boolean {
  const others = [...c.db.table('orders').values()].filter((o) => o.user_id !== c.userId && (o.status === 'pending' || o.status === 'delivered'));
  if (others.length === 0) return false;
  const order = c.rng.pick(others);
  const oid = order.order_id as string;
  const other = c.db.table('users').get(order.user_id as string) as PyObject;
  const relative = `${String((other.name as PyObject).first_name)}`;
  c.d.fact('order_id', oid);
  c.d.read('get_order_details', { order_id: oid });
  const pending = order.status === 'pending';
  c.d.reasons.push(`Your friend ${relative} asked you to ${pending ? 'cancel' : 'return'} their order ${oid} for them; you have the order id but it is not on your account.`);
  c.d.known.push(`The order id is ${oid}.`);
  refuseLine(c);
  if (pending) {
    c.d.fact('reason', 'no longer needed');
    c.d.request('cancel_order', `I need to cancel order ${oid} for my friend ${relative}, they no longer need it.`, { order_id: oid, reason: 'no longer needed' }, 'refused', 'order_not_owned');
  } else {
    const ids = itemsOf(order).map((i) => i.item_id as string);
    c.d.request('return_items', `I need to return order ${oid} for my friend ${relative}.`, { order_id: oid, item_ids: ids, payment_method_id: originalPaymentMethod(order) }, 'refused', 'order_not_owned');
  }
  return true;
}

const TRANSFER_TOPICS = ['damaged_item', 'missing_package', 'change_email', 'price_adjustment'] as const;

function transfer(c: Ctx): boolean {
  const topic = c.rng.pick(TRANSFER_TOPICS);
  let order: Readonly<PyObject> | undefined;
  if (topic === 'damaged_item' || topic === 'missing_package') {
    const orders = userOrders(c, ['delivered']);
    if (orders.length === 0) return false;
    order = c.rng.pick(orders);
  }
  const args: Record<string, unknown> = { topic };
  let summary: string;
  let utter: string;
  if (order !== undefined) {
    const ref = locateOrder(c, order);
    const item = itemsOf(order)[0] as PyObject;
    args.order_id = order.order_id as string;
    if (topic === 'damaged_item') {
      c.d.reasons.push(`The ${String(item.name)} in ${ref} arrived broken. You do not want a return or an exchange; you want to file a damage claim.`);
      utter = `The ${String(item.name)} from ${ref} arrived broken and I want to file a damage claim.`;
      summary = `Customer ${c.userId} reports that the ${String(item.name)} in order ${String(order.order_id)} arrived damaged and wants to file a damage claim.`;
    } else {
      c.d.reasons.push(`Your ${ref.replace(/^the /, '')} shows as delivered, but the package never reached you and you want it investigated.`);
      utter = `My ${ref.replace(/^the /, '')} shows as delivered but I never received the package.`;
      summary = `Customer ${c.userId} reports that order ${String(order.order_id)} is marked delivered but was never received.`;
    }
  } else if (topic === 'change_email') {
    c.d.reasons.push('You want to change the email address on your account to a new one.');
    utter = 'I want to change the email address on my account.';
    summary = `Customer ${c.userId} wants to change the email address on the account.`;
  } else {
    c.d.reasons.push('You saw that prices dropped on items you bought recently and you want a price adjustment.');
    utter = 'Prices dropped since I ordered. Can I get a price adjustment?';
    summary = `Customer ${c.userId} asks for a price adjustment on recent orders.`;
  }
  c.d.instructions.push('If the agent offers to transfer you to a human agent, accept.');
  c.d.transfer(summary);
  c.d.request('transfer', utter, args, 'transfer', 'out_of_scope');
  return true;
}

// ---------------------------------------------------------------- categories

const SINGLE: Record<string, Sub> = {
  cancel: (c) => cancel(c),
  modify_order_address: (c) => modifyOrderAddress(c),
  modify_user_address: modifyUserAddress,
  modify_payment: (c) => modifyPayment(c, 'ok'),
  modify_items: (c) => changeItems(c, 'modify', 'plain'),
  modify_items_conditional: (c) => changeItems(c, 'modify', 'conditional'),
  return: (c) => returnItems(c, 'ok'),
  return_with_total: (c) => returnItems(c, 'with_total'),
  exchange: (c) => changeItems(c, 'exchange', 'plain'),
  exchange_conditional: (c) => changeItems(c, 'exchange', 'conditional'),
  cancel_or_return: cancelOrReturn,
  ask_variants: askVariants,
  ask_gift_card: askGiftCard,
  ask_tracking: askTracking,
  refuse_cancel_not_pending: (c) => cancel(c, ['processed', 'delivered', 'cancelled', 'pending (item modified)', 'return requested', 'exchange requested']),
  refuse_modify_not_pending: (c) =>
    c.rng.chance(0.5) ? modifyOrderAddress(c, ['processed', 'delivered', 'pending (item modified)']) : changeItems(c, 'modify', 'plain', ['pending (item modified)', 'processed']),
  refuse_payment_gift_card: (c) => modifyPayment(c, 'insufficient'),
  refuse_different_product: differentProduct,
  unavailable_variant: (c) => changeItems(c, c.rng.chance(0.5) ? 'modify' : 'exchange', 'none_available'),
  refuse_return_method: (c) => returnItems(c, 'bad_method'),
  return_method_fallback: (c) => returnItems(c, 'fallback'),
  refuse_return_not_delivered: (c) => returnItems(c, 'ok', ['pending', 'processed', 'cancelled']),
  refuse_exchange_not_delivered: (c) => changeItems(c, 'exchange', 'plain', ['pending', 'processed', 'return requested']),
  refuse_other_customer: otherCustomer,
  transfer,
};

/** Requests that combine into multi-request conversations. */
const COMBINABLE = [
  'cancel', 'modify_order_address', 'modify_user_address', 'modify_payment', 'modify_items', 'return', 'return_with_total', 'exchange',
  'exchange_conditional', 'ask_variants', 'ask_gift_card', 'ask_tracking', 'refuse_cancel_not_pending', 'refuse_return_method',
] as const;

function multi(c: Ctx): boolean {
  const n = c.rng.chance(0.35) ? 3 : 2;
  const names = c.rng.sample(COMBINABLE, 8);
  let done = 0;
  for (const name of names) {
    if (done >= n) break;
    if ((SINGLE[name] as Sub)(c)) done++;
  }
  // A transfer ends the conversation: only where no question is left to answer.
  if (done >= 2 && c.d.outputs.length === 0 && c.rng.chance(0.3)) transfer(c);
  return done >= 2;
}

/** Two requests on the same order where the first makes the second impossible. */
function multiConflict(c: Ctx): boolean {
  const pending = userOrders(c, ['pending']).filter((o) => itemsOf(o).some((i) => wishFor(c, i, 'plain') !== undefined));
  const delivered = userOrders(c, ['delivered']).filter((o) => itemsOf(o).some((i) => wishFor(c, i, 'plain') !== undefined));
  if (pending.length > 0 && (delivered.length === 0 || c.rng.chance(0.6))) {
    const order = c.rng.pick(pending);
    // Restrict the sub-generators to this order by marking the others used.
    const others = userOrders(c, undefined).filter((o) => o !== order);
    for (const o of others) c.used.add(o.order_id as string);
    if (!changeItems(c, 'modify', 'plain')) return false;
    c.used.delete(order.order_id as string);
    c.d.instructions.push('After that, you also want to cancel the same order.');
    if (!cancel(c, ['pending', 'pending (item modified)'])) return false;
    return true;
  }
  if (delivered.length === 0) return false;
  const order = c.rng.pick(delivered);
  for (const o of userOrders(c, undefined)) if (o !== order) c.used.add(o.order_id as string);
  if (!changeItems(c, 'exchange', 'plain')) return false;
  c.used.delete(order.order_id as string);
  c.d.instructions.push('After that, you also want to return an item of the same order.');
  return returnItems(c, 'ok', ['delivered', 'exchange requested']);
}

const CATEGORIES: Record<string, Sub> = { ...SINGLE, multi, multi_conflict: multiConflict };

/** Categories tried, in order, when no customer fits the scheduled one. */
const FALLBACK_CATEGORIES = ['ask_variants'] as const;

/** The user's identity facts and the lookup an agent does with them. */
function authenticate(c: Ctx, byEmail: boolean): Record<string, string> {
  const user = c.db.table('users').get(c.userId) as PyObject;
  const name = user.name as PyObject;
  const zip = (user.address as PyObject).zip as string;
  const identity: Record<string, string> = { first_name: name.first_name as string, last_name: name.last_name as string, zip };
  if (byEmail) {
    identity.email = user.email as string;
    c.d.read('find_user_id_by_email', { email: user.email as string });
    c.d.known.push(`Your name is ${String(name.first_name)} ${String(name.last_name)} and your email is ${String(user.email)}.`);
  } else {
    c.d.read('find_user_id_by_name_zip', { first_name: name.first_name as string, last_name: name.last_name as string, zip });
    c.d.known.push(`Your name is ${String(name.first_name)} ${String(name.last_name)} and your zip code is ${zip}.`);
    c.d.unknown.push('You do not remember your email address.');
  }
  c.d.read('get_user_details', { user_id: c.userId });
  return identity;
}

/**
 * Generates `count` retail tasks for a seed. Deterministic: the same base, registry behaviour,
 * seed and count give identical tasks.
 */
export function generateRetailTasks(options: RetailTaskOptions): Task[] {
  const seed = String(options.seed ?? DEFAULT_RETAIL_SEED);
  return scheduleTasks({
    domain: 'retail',
    seed,
    defaultSeed: String(DEFAULT_RETAIL_SEED),
    count: options.count ?? 100,
    categories: RETAIL_CATEGORIES,
    fallbacks: FALLBACK_CATEGORIES,
    base: options.base,
    registry: options.registry,
    who: 'customer',
    attempt: ({ rng, draft, env, userId, category, variant }) => {
      const c: Ctx = { rng, d: draft, db: env.db, userId, used: new Set(), variant };
      const identity = authenticate(c, rng.chance(0.65));
      const persona = rng.pick(PERSONAS);
      return (CATEGORIES[category] as Sub)(c) ? { identity, persona } : undefined;
    },
  });
}

