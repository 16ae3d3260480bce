/**
 * The retail blueprint's bounded LLM sub-tasks: names, output schemas (zod), instructions and the
 * small structured inputs they see. A sub-task never sees the policy or the whole conversation:
 * only the customer's latest words and the few facts it must choose among. What a sub-task
 * answers is validated here (ids must be among the listed options) before code acts on it.
 */
import { z } from 'zod';
import { isGiftCard, itemLabel, normaliseOrderId, paymentLabel } from './views.js';
import { originalMethod } from './policy.js';
import { INFO_TOPICS, REQUEST_KINDS, type Address, type Identity, type OrderView, type Request, type RetailCtx } from './types.js';

/** Every sub-task name the blueprint uses (the simulated model's oracles key on these). */
export const SUBTASK = {
  understand: 'understand_requests',
  identity: 'extract_identity',
  classify: 'classify_requests',
  locate: 'locate_orders',
  followUp: 'extract_details',
  items: 'choose_items',
  returns: 'choose_return',
  payment: 'choose_payment_method',
  product: 'choose_product',
  yesNo: 'confirm_yes_no',
  answer: 'answer_question',
} as const;

/** Reply-wording tasks (used with `replies: 'llm'`; the model sees `say:<name>`). */
export const WORDING = { confirm: 'confirm', results: 'results' } as const;

/** All sub-task names. */
export const SUBTASK_NAMES: readonly string[] = Object.values(SUBTASK);

// ------------------------------------------------------------------ schemas

export const addressSchema = z.object({
  address1: z.string(),
  address2: z.string(),
  city: z.string(),
  state: z.string(),
  country: z.string(),
  zip: z.string(),
});

export const identitySchema = z.object({
  email: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  zip: z.string().nullable(),
});

export const requestSchema = z.object({
  kind: z.enum(REQUEST_KINDS),
  order_id: z.string().nullable(),
  details: z.string(),
  order_hint: z.string().nullable().optional(),
  reason: z.string().nullable().optional(),
  address: addressSchema.nullable().optional(),
  topic: z.enum(INFO_TOPICS).nullable().optional(),
  product_name: z.string().nullable().optional(),
  return_if_delivered: z.boolean().optional(),
  item_ids: z.array(z.string()).optional(),
  payment_method_id: z.string().nullable().optional(),
});
export type RequestAnswer = z.output<typeof requestSchema>;

export const requestsSchema = z.object({ requests: z.array(requestSchema).max(8) });
export const locateSchema = z.object({ orders: z.array(z.object({ request: z.number().int(), order_id: z.string().nullable() })) });
export const followUpSchema = z.object({
  order_id: z.string().nullable().optional(),
  address: addressSchema.nullable().optional(),
  reason: z.string().nullable().optional(),
});
export const itemsSchema = z.object({
  items: z.array(z.object({ item_id: z.string(), new_item_id: z.string() })),
  payment_method_id: z.string().nullable(),
});
export const returnSchema = z.object({ item_ids: z.array(z.string()), payment_method_id: z.string().nullable() });
export const paymentSchema = z.object({ payment_method_id: z.string().nullable() });
export const productSchema = z.object({ product_id: z.string().nullable() });
export const yesNoSchema = z.object({ yes: z.boolean() });
export const answerSchema = z.object({ answer: z.string().min(1) });

// ------------------------------------------------------------------ instructions

const KINDS_TEXT = [
  'Request kinds: cancel_order (cancel a whole order not yet shipped; reason), modify_order_address (new shipping address of an order),',
  'modify_order_payment (pay an order with another saved method), modify_order_items (change items of an order not yet shipped to other options),',
  'return_items (return received items), exchange_items (swap received items for other options of the same product),',
  'modify_user_address (change the default address of the account), info (a question: topic order_status, tracking_number, product,',
  'gift_card_balance, payment_methods or other), transfer (a store matter none of these covers, e.g. damaged or missing item claim,',
  'email change, price adjustment, or the customer insists on a human), other (anything else).',
  'One entry per request, in the order the customer wants them done. order_id: the listed order the request is about (or the id',
  'the customer gave), null if unclear, then order_hint says how they describe it. details: the wish in a few words (items, wanted',
  'options with alternatives in order of preference, payment method, question). reason: "no longer needed" or "ordered by mistake"',
  'when the cancellation reason is one of these, else the customer\'s words. return_if_delivered: a cancel that should become a',
  'return if the order already arrived. item_ids: for a return, the listed items to return. payment_method_id: the listed method',
  'the customer wants (refund of a return, new method of a payment change, price difference of item changes), null if not said.',
].join(' ');

export const INSTRUCTIONS = {
  understand: `Read the customer's messages and list their requests, using the listed orders and payment methods of their account. ${KINDS_TEXT}`,
  identity: "Extract the identity details the customer gave: email, or first name, last name and zip code (null when not given).",
  classify: `List the customer's new requests in their latest messages (an empty list when they have nothing more to ask), using the listed orders and payment methods of their account. ${KINDS_TEXT}`,
  locate: 'For each request, pick the listed order the customer means (from the items and status), or null when none fits.',
  followUp: 'Extract what the customer was just asked for ("asked"): an order id, a full address, or a cancellation reason ("no longer needed" or "ordered by mistake", null if neither). Null when not given.',
  items:
    'Choose the order items the customer wants changed and, for each, the listed variant of the same product that matches their wish (with alternatives, the first available one in their order of preference). Use only listed ids; an empty list when no wanted variant is listed. Also the payment method for the price difference (null if not said).',
  returns: 'Choose the order items the customer wants to return and the payment method they want the refund on (null if not said). Use only listed ids.',
  payment: 'Choose the saved payment method the customer wants to pay the order with (null if not said). Use only listed ids.',
  product: 'Choose the listed product type the customer means (null when none).',
  yesNo: 'Did the customer explicitly say yes to the proposed action? Anything else (no, hesitation, a question, a change) is not a yes.',
  answer: "Answer the customer's question using only the given facts, briefly. Say when the facts do not contain the answer.",
} as const;

// ------------------------------------------------------------------ conversions

function clean(s: string | null | undefined): string | undefined {
  if (s === null || s === undefined) return undefined;
  const t = s.trim();
  return t === '' ? undefined : t;
}

/** An identity answer → the context's identity (empty strings dropped). */
export function toIdentity(a: z.output<typeof identitySchema>): Identity {
  const out: Identity = {};
  const email = clean(a.email);
  const first = clean(a.first_name);
  const last = clean(a.last_name);
  const zip = clean(a.zip);
  if (email !== undefined) out.email = email;
  if (first !== undefined) out.first_name = first;
  if (last !== undefined) out.last_name = last;
  if (zip !== undefined) out.zip = zip;
  return out;
}

/** Merges newly given identity details over earlier ones. */
export function mergeIdentity(old: Identity, add: Identity): Identity {
  return { ...old, ...add };
}

/** A complete address (every field but address2 non-empty), else null. */
export function toAddress(a: z.output<typeof addressSchema> | null | undefined): Address | null {
  if (a === null || a === undefined) return null;
  const ok = a.address1.trim() !== '' && a.city.trim() !== '' && a.state.trim() !== '' && a.country.trim() !== '' && a.zip.trim() !== '';
  return ok ? { address1: a.address1, address2: a.address2, city: a.city, state: a.state, country: a.country, zip: a.zip } : null;
}

/** A request answer → the context's request. */
export function toRequest(a: RequestAnswer): Request {
  return {
    kind: a.kind,
    orderId: normaliseOrderId(a.order_id),
    orderHint: clean(a.order_hint) ?? null,
    details: a.details,
    reason: clean(a.reason)?.toLowerCase() ?? null,
    address: toAddress(a.address),
    topic: a.kind === 'info' ? (a.topic ?? 'other') : null,
    productName: clean(a.product_name) ?? null,
    returnIfDelivered: a.return_if_delivered === true,
    itemIds: a.item_ids ?? [],
    paymentMethodId: clean(a.payment_method_id) ?? null,
  };
}

/** Input of `understand_requests` / `classify_requests`: the customer's words and their account. */
export function requestsInput(c: Readonly<RetailCtx>): unknown {
  return {
    customer_messages: c.heard,
    orders: (c.user?.orders ?? []).flatMap((id) => {
      const o = c.orders[id];
      return o === undefined ? [] : [orderFacts(o)];
    }),
    payment_methods: paymentFacts(c),
  };
}

// ------------------------------------------------------------------ inputs

/** The order as a sub-task sees it. */
export function orderFacts(o: OrderView): { order_id: string; status: string; items: Array<{ item_id: string; item: string; price: number }> } {
  return { order_id: o.id, status: o.status, items: o.items.map((i) => ({ item_id: i.itemId, item: itemLabel(i), price: i.price })) };
}

/** The saved payment methods as a sub-task sees them. */
export function paymentFacts(c: Readonly<RetailCtx>): Array<{ id: string; method: string }> {
  return (c.user?.payments ?? []).map((p) => ({ id: p.id, method: paymentLabel(p, p.id) }));
}

/** Input of `choose_items`: the order's items and the available variants of their products. */
export function itemsInput(c: Readonly<RetailCtx>): unknown {
  const order = c.orders[c.orderId ?? ''] as OrderView;
  const variants: Record<string, Array<{ item_id: string; options: string; price: number }>> = {};
  for (const pid of new Set(order.items.map((i) => i.productId))) {
    const p = c.products[pid];
    if (p === undefined) continue;
    variants[`${p.name} (${p.id})`] = p.variants.filter((v) => v.available).map((v) => ({ item_id: v.itemId, options: Object.values(v.options).join(', '), price: v.price }));
  }
  return {
    request: { kind: c.req?.kind, details: c.req?.details },
    order: orderFacts(order),
    available_variants: variants,
    payment_methods: paymentFacts(c),
  };
}

/** Input of `choose_return`: the order's items and which methods may receive the refund. */
export function returnInput(c: Readonly<RetailCtx>): unknown {
  const order = c.orders[c.orderId ?? ''] as OrderView;
  const original = originalMethod(order);
  return {
    request: { kind: c.req?.kind, details: c.req?.details },
    order: orderFacts(order),
    payment_methods: (c.user?.payments ?? []).map((p) => ({ id: p.id, method: paymentLabel(p, p.id), refund_allowed: p.id === original || isGiftCard(p, p.id) })),
  };
}

/** Checks that an answer's ids are among the listed ones. */
export function unknownIds(given: readonly string[], known: ReadonlySet<string>, what: string): string | undefined {
  const bad = given.filter((id) => !known.has(id));
  return bad.length === 0 ? undefined : `${what} ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not among the listed ones`;
}

/** What is wrong with listed requests (ids that are not among the listed ones), if anything. */
export function requestProblem(requests: readonly RequestAnswer[], c: Readonly<RetailCtx>): string | undefined {
  const pms = new Set((c.user?.payments ?? []).map((p) => p.id));
  for (const [i, r] of requests.entries()) {
    const pm = clean(r.payment_method_id);
    if (pm !== undefined && !pms.has(pm)) return `request ${i}: payment method ${pm} is not among the listed ones`;
    const items = r.item_ids ?? [];
    if (items.length === 0) continue;
    const order = c.orders[normaliseOrderId(r.order_id) ?? ''];
    if (order === undefined) return `request ${i}: item_ids need the listed order they belong to`;
    const bad = unknownIds(items, new Set(order.items.map((x) => x.itemId)), 'item');
    if (bad !== undefined) return `request ${i}: ${bad} of order ${order.id}`;
  }
  return undefined;
}
