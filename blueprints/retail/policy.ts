/**
 * The retail policy as code, over what the blueprint has read (views), never over the database
 * itself. Each rule is a named check: `refusalFor*` return the first broken rule's explanation for
 * the customer (null when the action is allowed), and {@link writeChecks} gives the same rules as
 * the `pre` conditions of each write node, so nothing is written that the policy forbids even if
 * an earlier step went wrong.
 */
import { money, isGiftCard, itemLabel } from './views.js';
import { CANCEL_REASONS, type OrderView, type PaymentView, type Plan, type ProductView, type RetailCtx, type Swap, type UserView, type WriteTool } from './types.js';

/** A rule: its name (logged as the precondition name) and the check. */
export interface Rule {
  name: string;
  /** The refusal when the rule is broken. */
  why: string;
  ok: boolean;
}

function first(rules: readonly Rule[]): string | null {
  return rules.find((r) => !r.ok)?.why ?? null;
}

/** The saved payment method with this id. */
export function paymentOf(user: UserView | null, id: string | null): PaymentView | undefined {
  return id === null ? undefined : user?.payments.find((p) => p.id === id);
}

/** The method of the order's first payment (its original payment method). */
export function originalMethod(order: OrderView): string | null {
  return order.payments[0]?.method ?? null;
}

/** Σ(new price − old price), accumulated from 0 in the order given, as the tools do. */
export function priceDifference(order: OrderView, products: Readonly<Record<string, ProductView>>, swaps: readonly Swap[]): number {
  let diff = 0;
  const used = new Set<number>();
  for (const s of swaps) {
    const idx = order.items.findIndex((it, k) => it.itemId === s.itemId && !used.has(k));
    const item = order.items[idx];
    if (item === undefined) continue;
    used.add(idx);
    const v = products[item.productId]?.variants.find((x) => x.itemId === s.newItemId);
    if (v !== undefined) diff += v.price - item.price;
  }
  return diff;
}

/** Python's `round(x, 2)` for the exchange difference (ties are irrelevant for cent prices). */
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function statusRule(order: OrderView, allowed: string, action: string): Rule {
  return {
    name: `order_${allowed.replace(/\W+/g, '_')}`,
    why: `order ${order.id} is "${order.status}", and only ${allowed} orders can be ${action}`,
    ok: order.status === allowed,
  };
}

function ownedRule(order: OrderView, user: UserView | null): Rule {
  return { name: 'order_owned', why: `order ${order.id} does not belong to your account`, ok: user !== null && order.userId === user.id };
}

/** Rules of cancelling (policy: pending only; one of the two reasons). */
export function cancelRules(order: OrderView, user: UserView | null, reason: string | null): Rule[] {
  return [
    ownedRule(order, user),
    statusRule(order, 'pending', 'cancelled'),
    { name: 'reason_allowed', why: `an order can only be cancelled because it is "${CANCEL_REASONS[0]}" or was "${CANCEL_REASONS[1]}"`, ok: reason !== null && (CANCEL_REASONS as readonly string[]).includes(reason) },
  ];
}

/** Rules of changing a pending order's shipping address. */
export function addressRules(order: OrderView, user: UserView | null): Rule[] {
  return [ownedRule(order, user), statusRule(order, 'pending', 'changed')];
}

/** Rules of changing a pending order's payment method. */
export function paymentRules(order: OrderView, user: UserView | null, pmId: string | null): Rule[] {
  const pm = paymentOf(user, pmId);
  const paid = order.payments[0];
  const single = order.payments.length === 1 && paid?.type === 'payment';
  return [
    ownedRule(order, user),
    statusRule(order, 'pending', 'changed'),
    { name: 'method_saved', why: 'the new payment method must be one of the payment methods saved on your account', ok: pm !== undefined },
    { name: 'single_payment', why: `order ${order.id} does not have exactly one payment, so its payment method cannot be changed`, ok: single },
    { name: 'method_different', why: 'the new payment method must differ from the one the order was paid with', ok: !single || paid?.method !== pmId },
    {
      name: 'gift_card_covers',
      why: `the gift card's balance (${money(pm?.balance ?? 0)}) does not cover the order total (${money(paid?.amount ?? 0)})`,
      ok: pm === undefined || !isGiftCard(pm, pm.id) || paid === undefined || !((pm.balance ?? 0) < paid.amount),
    },
  ];
}

/** Rules shared by item changes and exchanges. */
export function swapRules(
  kind: 'modify' | 'exchange',
  order: OrderView,
  user: UserView | null,
  products: Readonly<Record<string, ProductView>>,
  swaps: readonly Swap[],
  pmId: string | null,
): Rule[] {
  const rules: Rule[] = [ownedRule(order, user), statusRule(order, kind === 'modify' ? 'pending' : 'delivered', kind === 'modify' ? 'modified' : 'exchanged')];
  rules.push({ name: 'some_items', why: 'no item to change was chosen', ok: swaps.length > 0 });
  const counts = new Map<string, number>();
  for (const s of swaps) counts.set(s.itemId, (counts.get(s.itemId) ?? 0) + 1);
  const inOrder = [...counts].every(([id, n]) => order.items.filter((i) => i.itemId === id).length >= n);
  rules.push({ name: 'items_in_order', why: `every item to change must be in order ${order.id}`, ok: inOrder });
  let sameProduct = true;
  let different = true;
  let available = true;
  for (const s of swaps) {
    const item = order.items.find((i) => i.itemId === s.itemId);
    const v = item === undefined ? undefined : products[item.productId]?.variants.find((x) => x.itemId === s.newItemId);
    if (v === undefined) sameProduct = false;
    else if (!v.available) available = false;
    if (s.newItemId === s.itemId) different = false;
  }
  rules.push({ name: 'same_product', why: 'an item can only become another variant of the same product, not a different product', ok: sameProduct });
  rules.push({ name: 'different_variant', why: 'an item can only be changed into a different variant, not into the same one', ok: different });
  rules.push({ name: 'variant_available', why: 'the new variant must be available', ok: available });
  const pm = paymentOf(user, pmId);
  rules.push({ name: 'method_saved', why: 'the price difference must go to a payment method saved on your account', ok: pm !== undefined });
  const raw = priceDifference(order, products, swaps);
  const diff = kind === 'exchange' ? round2(raw) : raw;
  rules.push({
    name: 'gift_card_covers',
    why: `the gift card's balance (${money(pm?.balance ?? 0)}) does not cover the price difference (${money(diff)})`,
    ok: pm === undefined || !isGiftCard(pm, pm.id) || !((pm.balance ?? 0) < diff),
  });
  return rules;
}

/** Rules of returning delivered items. */
export function returnRules(order: OrderView, user: UserView | null, itemIds: readonly string[], pmId: string | null): Rule[] {
  const pm = paymentOf(user, pmId);
  const counts = new Map<string, number>();
  for (const id of itemIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [
    ownedRule(order, user),
    statusRule(order, 'delivered', 'returned'),
    { name: 'some_items', why: 'no item to return was chosen', ok: itemIds.length > 0 },
    { name: 'items_in_order', why: `every returned item must be in order ${order.id}`, ok: [...counts].every(([id, n]) => order.items.filter((i) => i.itemId === id).length >= n) },
    { name: 'method_saved', why: 'the refund must go to a payment method saved on your account', ok: pm !== undefined },
    {
      name: 'refund_method_allowed',
      why: `the refund can only go to the original payment method of the order (${originalMethod(order) ?? 'unknown'}) or to a gift card`,
      ok: pm === undefined || isGiftCard(pm, pm.id) || pm.id === originalMethod(order),
    },
  ];
}

/** The rules a plan must satisfy now (re-evaluated against the latest views). */
export function planRules(c: Readonly<RetailCtx>, plan: Plan): Rule[] {
  const order = plan.orderId === null ? undefined : c.orders[plan.orderId];
  if (plan.tool === 'modify_user_address') {
    return [{ name: 'authenticated', why: 'you are not authenticated', ok: c.user !== null && c.userId !== null }, { name: 'address_given', why: 'the address is incomplete', ok: plan.address !== null }];
  }
  if (order === undefined) return [{ name: 'order_read', why: 'the order has not been read', ok: false }];
  switch (plan.tool) {
    case 'cancel_pending_order':
      return cancelRules(order, c.user, plan.reason);
    case 'modify_pending_order_address':
      return [...addressRules(order, c.user), { name: 'address_given', why: 'the address is incomplete', ok: plan.address !== null }];
    case 'modify_pending_order_payment':
      return paymentRules(order, c.user, plan.paymentMethodId);
    case 'modify_pending_order_items':
      return swapRules('modify', order, c.user, c.products, plan.swaps, plan.paymentMethodId);
    case 'exchange_delivered_order_items':
      return swapRules('exchange', order, c.user, c.products, plan.swaps, plan.paymentMethodId);
    case 'return_delivered_order_items':
      return returnRules(order, c.user, plan.itemIds, plan.paymentMethodId);
  }
}

/** The first broken rule of a plan, or null. */
export function planRefusal(c: Readonly<RetailCtx>, plan: Plan): string | null {
  return first(planRules(c, plan));
}

/** The first broken rule of a list, or null. */
export function refusalOf(rules: readonly Rule[]): string | null {
  return first(rules);
}

/** The rules checked before each write tool, by name (the `pre` conditions of its node). */
export const WRITE_RULES: Readonly<Record<WriteTool, readonly string[]>> = {
  cancel_pending_order: ['order_owned', 'order_pending', 'reason_allowed'],
  modify_pending_order_address: ['order_owned', 'order_pending', 'address_given'],
  modify_pending_order_payment: ['order_owned', 'order_pending', 'method_saved', 'single_payment', 'method_different', 'gift_card_covers'],
  modify_pending_order_items: ['order_owned', 'order_pending', 'some_items', 'items_in_order', 'same_product', 'different_variant', 'variant_available', 'method_saved', 'gift_card_covers'],
  exchange_delivered_order_items: ['order_owned', 'order_delivered', 'some_items', 'items_in_order', 'same_product', 'different_variant', 'variant_available', 'method_saved', 'gift_card_covers'],
  return_delivered_order_items: ['order_owned', 'order_delivered', 'some_items', 'items_in_order', 'method_saved', 'refund_method_allowed'],
  modify_user_address: ['authenticated', 'address_given'],
};

/**
 * The `pre` conditions of a write node: the customer said yes to exactly this plan, then every
 * policy rule of the tool, each under its own name, re-evaluated on the latest views.
 */
export function writeChecks(tool: WriteTool): Record<string, (c: Readonly<RetailCtx>) => boolean> {
  const checks: Record<string, (c: Readonly<RetailCtx>) => boolean> = {
    confirmed: (c) => c.confirmed && c.plan !== null && c.plan.tool === tool,
  };
  for (const name of WRITE_RULES[tool]) {
    checks[name] = (c) => c.plan !== null && planRules(c, c.plan).find((r) => r.name === name)?.ok === true;
  }
  return checks;
}

/** Short description of the items of a swap list for the customer. */
export function swapLines(order: OrderView, products: Readonly<Record<string, ProductView>>, swaps: readonly Swap[]): string[] {
  return swaps.map((s) => {
    const item = order.items.find((i) => i.itemId === s.itemId);
    const v = item === undefined ? undefined : products[item.productId]?.variants.find((x) => x.itemId === s.newItemId);
    if (item === undefined || v === undefined) return `${s.itemId} → ${s.newItemId}`;
    return `${itemLabel(item)} at ${money(item.price)} → ${itemLabel({ name: item.name, options: v.options })} (item ${v.itemId}) at ${money(v.price)}`;
  });
}
