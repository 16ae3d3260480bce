/**
 * Information requests (answered with facts looked up by tools: order status and tracking,
 * product variants with availability and prices, gift card balances, payment methods; anything
 * else is worded by a sub-task from the facts read so far), transfers to a human agent (only for
 * requests in scope that no tool can do) and requests outside the store's scope.
 */
import type { NodeFactory } from '../../src/blueprint/define.js';
import type { BlueprintNode } from '../../src/blueprint/types.js';
import { TRANSFER_MESSAGE, withNotices } from './messages.js';
import { currentOrder } from './nodes-orders.js';
import { INSTRUCTIONS, SUBTASK, answerSchema, orderFacts, paymentFacts, productSchema } from './subtasks.js';
import type { OrderView, RetailCtx } from './types.js';
import { addressText, andList, money, optionText, paymentLabel, parseProduct, parseProductTypes } from './views.js';

type N = NodeFactory<RetailCtx>;

/** Exact (case- and punctuation-insensitive) product type match, else null. */
export function matchProduct(types: Readonly<Record<string, string>>, name: string | null): string | null {
  if (name === null) return null;
  const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const want = norm(name);
  const plural = want.endsWith('s') ? want.slice(0, -1) : want;
  for (const [n, id] of Object.entries(types)) if (norm(n) === want || norm(n) === plural) return id;
  return null;
}

/** Facts for the worded answer: the customer's account and what was read in this conversation. */
export function answerFacts(c: Readonly<RetailCtx>): unknown {
  const u = c.user;
  return {
    customer: u === null ? null : { name: `${u.firstName} ${u.lastName}`, default_address: addressText(u.address), payment_methods: paymentFacts(c), orders: u.orders },
    orders: Object.values(c.orders)
      .filter((o) => o.userId === c.userId)
      .map((o) => ({ ...orderFacts(o), address: addressText(o.address), tracking: o.tracking, payments: o.payments.map((p) => `${p.type} ${money(p.amount)} ${p.method}`) })),
    products: Object.values(c.products).map((p) => ({
      product: p.name,
      product_id: p.id,
      available_variants: p.variants.filter((v) => v.available).map((v) => ({ item_id: v.itemId, options: optionText(v.options), price: v.price })),
    })),
  };
}

function orderInfo(c: Readonly<RetailCtx>): string {
  const o = currentOrder(c) as OrderView;
  if (c.req?.topic === 'tracking_number') {
    return o.tracking.length === 0
      ? `Order ${o.id} has no tracking number yet (its status is "${o.status}").`
      : `The tracking number of order ${o.id} is ${andList(o.tracking)} (its status is "${o.status}").`;
  }
  return `Order ${o.id} is "${o.status}". It contains ${andList(o.items.map((i) => `${i.name} (${money(i.price)})`))}.`;
}

function productInfo(c: Readonly<RetailCtx>): string {
  const p = c.products[c.productId ?? ''];
  if (p === undefined) return 'I could not find that product.';
  const avail = p.variants.filter((v) => v.available);
  if (avail.length === 0) return `None of the ${p.variants.length} variants of the ${p.name} is available right now.`;
  const list = avail.map((v) => `${optionText(v.options)} at ${money(v.price)} (item ${v.itemId})`).join('; ');
  return `The ${p.name} has ${avail.length} variant${avail.length === 1 ? '' : 's'} available right now (of ${p.variants.length}): ${list}.`;
}

function accountInfo(c: Readonly<RetailCtx>): string {
  const pms = c.user?.payments ?? [];
  if (c.req?.topic === 'gift_card_balance') {
    const gifts = pms.filter((p) => p.source === 'gift_card');
    if (gifts.length === 0) return 'There is no gift card saved on your account.';
    return gifts.map((g) => `Your gift card ${g.id} has a balance of ${money(g.balance ?? 0)}.`).join(' ');
  }
  return `Your saved payment methods are: ${andList(pms.map((p) => paymentLabel(p, p.id)))}.`;
}

/** Info, transfer and out-of-scope nodes. */
export function infoNodes(n: N): BlueprintNode<RetailCtx>[] {
  return [
    n.code('info_order', {
      run: (c) => {
        c.notices.push(orderInfo(c));
      },
      next: 'requests',
    }),
    n.route('info_route', {
      targets: ['product_types', 'info_account', 'answer'],
      choose: (c) => {
        const t = c.req?.topic;
        if (t === 'product') return 'product_types';
        if (t === 'gift_card_balance' || t === 'payment_methods') return 'info_account';
        return 'answer';
      },
    }),
    n.code('info_account', {
      run: (c) => {
        c.notices.push(accountInfo(c));
      },
      next: 'requests',
    }),
    n.branch('product_types', { test: (c) => c.productTypes !== null, then: 'match_product', else: 'list_types' }),
    n.tool('list_types', {
      tool: 'list_all_product_types',
      args: {},
      onResult: (c, r) => {
        c.productTypes = r.error ? {} : (parseProductTypes(r.json()) ?? {});
      },
      next: 'match_product',
    }),
    n.code('match_product', {
      run: (c) => {
        c.productId = matchProduct(c.productTypes ?? {}, c.req?.productName ?? null);
      },
      next: 'product_matched',
    }),
    n.branch('product_matched', { test: (c) => c.productId !== null, then: 'product_known', else: 'choose_product' }),
    n.llm('choose_product', {
      task: SUBTASK.product,
      instructions: INSTRUCTIONS.product,
      input: (c) => ({ customer_wants: c.req?.productName ?? c.req?.details ?? '', product_types: c.productTypes ?? {} }),
      schema: productSchema,
      check: (out, c) => (out.product_id === null || Object.values(c.productTypes ?? {}).includes(out.product_id) ? undefined : `product ${out.product_id} is not listed`),
      onResult: (c, out) => {
        c.productId = out.product_id;
      },
      next: 'product_known',
      fallback: 'answer',
    }),
    n.route('product_known', {
      targets: ['answer', 'info_product', 'get_product'],
      choose: (c) => (c.productId === null ? 'answer' : c.products[c.productId] !== undefined ? 'info_product' : 'get_product'),
    }),
    n.tool('get_product', {
      tool: 'get_product_details',
      args: { product_id: (c) => c.productId ?? '' },
      onResult: (c, r) => {
        const p = r.error ? null : parseProduct(r.json());
        if (p !== null) c.products[p.id] = p;
      },
      next: 'info_product',
      onError: 'answer',
    }),
    n.code('info_product', {
      run: (c) => {
        c.notices.push(productInfo(c));
      },
      next: 'requests',
    }),
    n.llm('answer', {
      description: 'word an answer from the facts read so far',
      task: SUBTASK.answer,
      instructions: INSTRUCTIONS.answer,
      input: (c) => ({ question: c.req?.details ?? '', facts: answerFacts(c) }),
      schema: answerSchema,
      onResult: (c, out) => {
        c.notices.push(out.answer.trim());
      },
      next: 'requests',
      fallback: 'no_answer',
    }),
    n.code('no_answer', {
      run: (c) => {
        c.notices.push('I am sorry, I could not find that information.');
      },
      next: 'requests',
    }),
    n.tool('transfer', {
      description: 'in scope, but no tool can do it: hand over to a human agent',
      tool: 'transfer_to_human_agents',
      args: { summary: (c) => `Customer ${c.userId ?? 'unknown'}: ${c.req?.details ?? 'asks for a human agent'}` },
      next: 'transfer_say',
    }),
    n.say('transfer_say', {
      text: (c) => withNotices(c, TRANSFER_MESSAGE),
      onReply: (c) => {
        c.ending = 'transferred';
      },
      next: 'closing',
    }),
    n.end('transferred', { reason: 'transferred' }),
    n.code('refuse_other', {
      run: (c) => {
        c.notices.push('I am sorry, but I can only help with your account, your orders and our products.');
      },
      next: 'requests',
    }),
  ];
}
