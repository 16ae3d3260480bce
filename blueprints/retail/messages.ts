/**
 * What the retail blueprint says: fixed templates filled from the views. Results, refusals and
 * answers are queued as notices and said in front of the next message, so the customer hears them
 * without an extra turn.
 */
import { money, addressText, andList, itemLabel, paymentLabel } from './views.js';
import { originalMethod, paymentOf, priceDifference, swapLines } from './policy.js';
import type { Address, OrderView, Plan, ProductView, RetailCtx, Swap, UserView } from './types.js';

/** Asking for identity (v1: after the customer's opening message). */
export const ASK_IDENTITY =
  'I can help you with that. First, I need to verify your identity: could you please give me the email address of your account, or your first name, last name and zip code?';
/** Asking again after a failed lookup, offering the other way to authenticate. */
export function askIdentityAgain(triedEmail: boolean, triedName: boolean): string {
  const alt = triedEmail && !triedName ? 'your first name, last name and zip code instead' : !triedEmail && triedName ? 'the email address of your account instead' : 'your email address, or your first name, last name and zip code';
  return `I could not find an account with those details. Could you please check them, or give me ${alt}?`;
}
export const ASK_IDENTITY_MISSING = 'To verify your identity, I need the email address of your account, or your first name, last name and zip code.';
export const GREETING = 'Hi! How can I help you today?';
export const ASK_WHAT = 'Thank you. How can I help you today?';
export const ANYTHING_ELSE = 'Is there anything else I can help you with?';
export const GOODBYE = 'Thank you for contacting us. Goodbye!';
export const UNVERIFIED = 'I am sorry, but as I could not find your account, I cannot help with account or order matters. Goodbye.';
/** τ²'s transfer message (sent after calling the transfer tool). */
export const TRANSFER_MESSAGE = 'YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.';
export const ASK_ADDRESS = 'What is the full new address: address line 1, address line 2 (if any), city, state, country and zip code?';
export const ASK_PAYMENT = 'Which of your saved payment methods should be used for this?';

/** Queued notices followed by a message. */
export function withNotices(c: Readonly<RetailCtx>, text: string): string {
  return [...c.notices, text].filter((s) => s !== '').join(' ');
}

/** Asks for an order id, after a failed lookup if any. */
export function askOrderId(notFound: string | null): string {
  const lead = notFound === null ? '' : `I could not find order ${notFound}. `;
  return `${lead}Could you please tell me the order id? It starts with #W.`;
}

/** Asks for a cancellation reason. */
export function askReason(orderId: string): string {
  return `To cancel order ${orderId}, I need the reason: is it "no longer needed" or "ordered by mistake"?`;
}

/** The confirmation question for a plan. */
export function confirmText(plan: Plan): string {
  return `Before I proceed, please confirm: I will ${plan.summary} Do you confirm? Please answer yes or no.`;
}

function methodsOf(order: OrderView, user: UserView | null): string {
  const ids = [...new Set(order.payments.filter((p) => p.type === 'payment').map((p) => p.method))];
  return andList(ids.map((id) => paymentLabel(paymentOf(user, id), id)));
}

/** Plan summary: cancel. */
export function cancelSummary(order: OrderView, user: UserView | null, reason: string): string {
  const paid = order.payments.filter((p) => p.type === 'payment').reduce((s, p) => s + Math.round(p.amount * 100), 0) / 100;
  return `cancel order ${order.id} (${andList(order.items.map(itemLabel))}) for the reason "${reason}". The ${money(paid)} paid will be refunded to ${methodsOf(order, user)} (a gift card at once, other methods in 5 to 7 business days).`;
}

/** Plan summary: shipping address of an order, or the default address. */
export function addressSummary(order: OrderView | null, address: Address): string {
  return order === null ? `change your default address to ${addressText(address)}.` : `change the shipping address of order ${order.id} to ${addressText(address)}.`;
}

/** Plan summary: payment method of an order. */
export function paymentSummary(order: OrderView, user: UserView | null, pmId: string): string {
  const paid = order.payments[0];
  const old = paid?.method ?? 'unknown';
  return `pay order ${order.id} (${money(paid?.amount ?? 0)}) with your ${paymentLabel(paymentOf(user, pmId), pmId)} instead of your ${paymentLabel(paymentOf(user, old), old)}. The original payment will be refunded to your ${paymentLabel(paymentOf(user, old), old)} (a gift card at once, other methods in 5 to 7 business days).`;
}

/** Plan summary: item modification or exchange. */
export function swapSummary(kind: 'modify' | 'exchange', order: OrderView, user: UserView | null, products: Readonly<Record<string, ProductView>>, swaps: readonly Swap[], pmId: string): string {
  const diff = Math.round(priceDifference(order, products, swaps) * 100) / 100;
  const pm = paymentLabel(paymentOf(user, pmId), pmId);
  const money_ = diff > 0 ? `The price difference of ${money(diff)} will be charged to your ${pm}.` : diff < 0 ? `The price difference of ${money(-diff)} will be refunded to your ${pm}.` : `There is no price difference (payment method: ${pm}).`;
  const lines = swapLines(order, products, swaps).join('; ');
  if (kind === 'modify') {
    return `change these items of pending order ${order.id}: ${lines}. ${money_} Please note that items can be changed only once per order: afterwards the order can no longer be modified or cancelled.`;
  }
  return `exchange these items of delivered order ${order.id}: ${lines}. ${money_} You will receive an email with instructions for sending the old items back.`;
}

/** Plan summary: return. */
export function returnSummary(order: OrderView, user: UserView | null, itemIds: readonly string[], pmId: string): string {
  const left = [...order.items];
  const items = itemIds.map((id) => {
    const k = left.findIndex((i) => i.itemId === id);
    const [item] = k < 0 ? [undefined] : left.splice(k, 1);
    return item;
  });
  const total = items.reduce((s, i) => s + Math.round((i?.price ?? 0) * 100), 0) / 100;
  const labels = andList(items.map((i, k) => (i === undefined ? (itemIds[k] as string) : `${itemLabel(i)} (${money(i.price)})`)));
  const original = originalMethod(order);
  const where = pmId === original ? `your original payment method, the ${paymentLabel(paymentOf(user, pmId), pmId)}` : `your ${paymentLabel(paymentOf(user, pmId), pmId)}`;
  return `return ${labels} from delivered order ${order.id}. The total refund of ${money(total)} will go to ${where}. You will receive an email with instructions for returning the items.`;
}

/** What is said after a successful write. */
export function doneText(plan: Plan): string {
  switch (plan.tool) {
    case 'cancel_pending_order':
      return `Order ${plan.orderId ?? ''} is now cancelled.`;
    case 'modify_pending_order_address':
      return `The shipping address of order ${plan.orderId ?? ''} is updated.`;
    case 'modify_pending_order_payment':
      return `Order ${plan.orderId ?? ''} is now paid with the new payment method.`;
    case 'modify_pending_order_items':
      return `The items of order ${plan.orderId ?? ''} are changed.`;
    case 'exchange_delivered_order_items':
      return `The exchange for order ${plan.orderId ?? ''} is requested.`;
    case 'return_delivered_order_items':
      return `The return for order ${plan.orderId ?? ''} is requested.`;
    case 'modify_user_address':
      return 'Your default address is updated.';
  }
}

/** A refusal. */
export function refusalText(why: string): string {
  return `I am sorry, but I cannot do that: ${why}.`;
}
