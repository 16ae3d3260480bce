/**
 * The procedures that prepare a write: cancel, shipping/default address, payment method, item
 * changes and exchanges, returns. Each checks the order's status first (so nothing is asked about
 * a change the policy forbids anyway), gathers what is missing (reason, address, items and
 * variants, payment method) through bounded sub-tasks, and builds a {@link Plan} for confirmation.
 */
import type { NodeFactory } from '../../src/blueprint/define.js';
import type { BlueprintNode } from '../../src/blueprint/types.js';
import { ASK_ADDRESS, ASK_PAYMENT, addressSummary, askReason, cancelSummary, paymentSummary, returnSummary, swapSummary } from './messages.js';
import { answered } from './nodes-conversation.js';
import { currentOrder } from './nodes-orders.js';
import { addressRules, cancelRules, paymentRules, refusalOf, returnRules, swapRules } from './policy.js';
import { INSTRUCTIONS, SUBTASK, followUpSchema, itemsInput, itemsSchema, orderFacts, paymentFacts, paymentSchema, returnInput, returnSchema, toAddress, unknownIds } from './subtasks.js';
import { CANCEL_REASONS, type OrderView, type Plan, type RetailCtx } from './types.js';
import { paymentOf } from './policy.js';
import { parseProduct, paymentLabel } from './views.js';

type N = NodeFactory<RetailCtx>;

const order = (c: Readonly<RetailCtx>): OrderView => currentOrder(c) as OrderView;

function basePlan(c: Readonly<RetailCtx>, tool: Plan['tool']): Plan {
  return { tool, orderId: c.orderId, reason: null, address: null, paymentMethodId: null, swaps: [], itemIds: [], summary: '' };
}

/** Whether the current request is an item change (vs an exchange). */
const isModify = (c: Readonly<RetailCtx>): boolean => c.req?.kind === 'modify_order_items';

/**
 * Builds the plan of the current request from what was gathered; sets `refusal` when something
 * needed is missing (the policy rules themselves are checked by `plan_gate`).
 */
export function buildPlan(c: RetailCtx): void {
  c.plan = null;
  c.refusal = null;
  const kind = c.diverted ? 'return_items' : c.req?.kind;
  const o = currentOrder(c);
  switch (kind) {
    case 'cancel_order': {
      const reason = c.req?.reason ?? null;
      c.plan = { ...basePlan(c, 'cancel_pending_order'), reason, summary: cancelSummary(order(c), c.user, reason ?? '') };
      return;
    }
    case 'modify_order_address':
    case 'modify_user_address': {
      const address = c.req?.address ?? null;
      if (address === null) {
        c.refusal = 'I need the complete new address to change it';
        return;
      }
      const tool = kind === 'modify_user_address' ? 'modify_user_address' : 'modify_pending_order_address';
      c.plan = { ...basePlan(c, tool), orderId: tool === 'modify_user_address' ? null : c.orderId, address, summary: addressSummary(tool === 'modify_user_address' ? null : order(c), address) };
      return;
    }
    case 'modify_order_payment': {
      const pm = c.paymentMethodId;
      c.plan = { ...basePlan(c, 'modify_pending_order_payment'), paymentMethodId: pm, summary: pm === null ? '' : paymentSummary(order(c), c.user, pm) };
      return;
    }
    case 'modify_order_items':
    case 'exchange_items': {
      if (c.swaps.length === 0) {
        c.refusal = 'none of the variants you asked for is available right now (or none was named), so I have not changed anything';
        return;
      }
      const k = kind === 'modify_order_items' ? 'modify' : 'exchange';
      const pm = c.paymentMethodId;
      c.plan = {
        ...basePlan(c, k === 'modify' ? 'modify_pending_order_items' : 'exchange_delivered_order_items'),
        swaps: c.swaps,
        paymentMethodId: pm,
        summary: pm === null || o === undefined ? '' : swapSummary(k, o, c.user, c.products, c.swaps, pm),
      };
      return;
    }
    case 'return_items': {
      if (c.itemIds.length === 0) {
        c.refusal = 'no item to return was named';
        return;
      }
      const pm = c.paymentMethodId;
      c.plan = { ...basePlan(c, 'return_delivered_order_items'), itemIds: c.itemIds, paymentMethodId: pm, summary: pm === null ? '' : returnSummary(order(c), c.user, c.itemIds, pm) };
      return;
    }
    default:
      c.refusal = 'there is nothing to change';
  }
}

/** The plan still lacks the payment method the customer wants. */
const needsPayment = (c: Readonly<RetailCtx>): boolean => c.plan !== null && c.plan.tool !== 'cancel_pending_order' && c.plan.tool !== 'modify_pending_order_address' && c.plan.tool !== 'modify_user_address' && c.plan.paymentMethodId === null;

const knownPayment = (id: string | null, c: Readonly<RetailCtx>): string | undefined =>
  id === null ? undefined : unknownIds([id], new Set((c.user?.payments ?? []).map((p) => p.id)), 'payment method');

/** The nodes of the change procedures. */
export function changeNodes(n: N): BlueprintNode<RetailCtx>[] {
  return [
    // ---- cancel
    n.code('cancel_check', {
      run: (c) => {
        const o = order(c);
        c.diverted = o.status === 'delivered' && c.req?.returnIfDelivered === true;
        c.refusal = c.diverted ? null : refusalOf(cancelRules(o, c.user, CANCEL_REASONS[0]));
      },
      next: 'cancel_route',
    }),
    n.route('cancel_route', {
      targets: ['return_check', 'refuse', 'plan_cancel', 'ask_reason'],
      choose: (c) => {
        if (c.diverted) return 'return_check';
        if (c.refusal !== null) return 'refuse';
        return (CANCEL_REASONS as readonly string[]).includes(c.req?.reason ?? '') ? 'plan_cancel' : 'ask_reason';
      },
    }),
    n.say('ask_reason', {
      text: (c) => askReason(c.orderId ?? ''),
      onReply: answered,
      next: 'extract_reason',
    }),
    n.llm('extract_reason', {
      task: SUBTASK.followUp,
      instructions: INSTRUCTIONS.followUp,
      input: (c) => ({ asked: 'reason', customer_message: c.lastReply }),
      schema: followUpSchema,
      onResult: (c, out) => {
        if (c.req !== null) c.req.reason = out.reason?.trim().toLowerCase() ?? null;
      },
      next: 'plan_cancel',
      fallback: 'plan_cancel',
    }),
    n.code('plan_cancel', { run: buildPlan, next: 'plan_gate' }),

    // ---- shipping address of an order, default address of the account
    n.code('address_check', {
      run: (c) => {
        c.refusal = refusalOf(addressRules(order(c), c.user));
      },
      next: 'address_route',
    }),
    n.route('address_route', {
      targets: ['refuse', 'plan_address', 'ask_address'],
      choose: (c) => (c.refusal !== null ? 'refuse' : c.req?.address != null ? 'plan_address' : 'ask_address'),
    }),
    n.branch('user_address', { test: (c) => c.req?.address != null, then: 'plan_address', else: 'ask_address' }),
    n.say('ask_address', {
      text: () => ASK_ADDRESS,
      onReply: answered,
      next: 'extract_address',
    }),
    n.llm('extract_address', {
      task: SUBTASK.followUp,
      instructions: INSTRUCTIONS.followUp,
      input: (c) => ({ asked: 'address', customer_message: c.lastReply }),
      schema: followUpSchema,
      onResult: (c, out) => {
        if (c.req !== null) c.req.address = toAddress(out.address);
      },
      next: 'plan_address',
      fallback: 'plan_address',
    }),
    n.code('plan_address', { run: buildPlan, next: 'plan_route' }),

    // ---- payment method of a pending order
    n.code('payment_check', {
      run: (c) => {
        const rules = paymentRules(order(c), c.user, null).filter((r) => ['order_owned', 'order_pending', 'single_payment'].includes(r.name));
        c.refusal = refusalOf(rules);
        c.paymentMethodId = c.req?.paymentMethodId ?? null;
      },
      next: 'payment_ok',
    }),
    n.route('payment_ok', {
      targets: ['refuse', 'plan_payment', 'choose_payment'],
      choose: (c) => (c.refusal !== null ? 'refuse' : c.paymentMethodId !== null ? 'plan_payment' : 'choose_payment'),
    }),
    n.llm('choose_payment', {
      task: SUBTASK.payment,
      instructions: INSTRUCTIONS.payment,
      input: (c) => {
        const o = order(c);
        const paid = o.payments[0];
        return {
          request: c.req?.details ?? '',
          order: { order_id: o.id, total: paid?.amount ?? 0, paid_with: paid === undefined ? null : paymentLabel(paymentOf(c.user, paid.method), paid.method) },
          payment_methods: paymentFacts(c),
        };
      },
      schema: paymentSchema,
      check: (out, c) => knownPayment(out.payment_method_id, c),
      onResult: (c, out) => {
        c.paymentMethodId = out.payment_method_id;
      },
      next: 'plan_payment',
      fallback: 'plan_payment',
    }),
    n.code('plan_payment', { run: buildPlan, next: 'plan_route' }),

    // ---- item changes (pending) and exchanges (delivered)
    n.code('items_check', {
      run: (c) => {
        const o = order(c);
        c.refusal = refusalOf(swapRules(isModify(c) ? 'modify' : 'exchange', o, c.user, c.products, [], null).slice(0, 2));
        c.queue = [...new Set(o.items.map((i) => i.productId))].filter((p) => c.products[p] === undefined);
      },
      next: 'items_ok',
    }),
    n.branch('items_ok', { test: (c) => c.refusal === null, then: 'read_products', else: 'refuse' }),
    n.foreach('read_products', {
      description: 'the products of the order’s items, for their variants',
      maxIterations: 12,
      items: (c) => c.queue,
      bind: (c, id) => {
        c.reading = id;
      },
      body: 'read_product',
      exit: 'choose_items',
      onExhausted: 'choose_items',
    }),
    n.tool('read_product', {
      tool: 'get_product_details',
      args: { product_id: (c) => c.reading ?? '' },
      onResult: (c, r) => {
        const p = r.error ? null : parseProduct(r.json());
        if (p !== null) c.products[p.id] = p;
      },
      next: 'read_products',
    }),
    n.llm('choose_items', {
      description: 'which items become which listed variants, and the payment method',
      task: SUBTASK.items,
      instructions: INSTRUCTIONS.items,
      input: itemsInput,
      schema: itemsSchema,
      maxAttempts: 2,
      check: (out, c) => {
        const o = order(c);
        const ids = new Set(o.items.map((i) => i.itemId));
        const bad = unknownIds(
          out.items.map((i) => i.item_id),
          ids,
          'item',
        );
        if (bad !== undefined) return bad;
        for (const s of out.items) {
          const item = o.items.find((i) => i.itemId === s.item_id);
          const p = item === undefined ? undefined : c.products[item.productId];
          if (p !== undefined && !p.variants.some((v) => v.itemId === s.new_item_id && v.available)) return `variant ${s.new_item_id} is not a listed available variant of ${p.name}`;
        }
        return knownPayment(out.payment_method_id, c);
      },
      onResult: (c, out) => {
        c.swaps = out.items.map((i) => ({ itemId: i.item_id, newItemId: i.new_item_id }));
        c.paymentMethodId = out.payment_method_id ?? c.req?.paymentMethodId ?? null;
      },
      next: 'plan_items',
      fallback: 'plan_items',
    }),
    n.code('plan_items', { run: buildPlan, next: 'plan_route' }),

    // ---- returns (delivered)
    n.code('return_check', {
      run: (c) => {
        c.refusal = refusalOf(returnRules(order(c), c.user, [], null).slice(0, 2));
        c.itemIds = c.req?.itemIds ?? [];
        c.paymentMethodId = c.req?.paymentMethodId ?? null;
      },
      next: 'return_ok',
    }),
    n.route('return_ok', {
      description: 'items and refund method already named: no sub-task needed',
      targets: ['refuse', 'plan_return', 'choose_return'],
      choose: (c) => (c.refusal !== null ? 'refuse' : c.itemIds.length > 0 && c.paymentMethodId !== null ? 'plan_return' : 'choose_return'),
    }),
    n.llm('choose_return', {
      description: 'which items to return and where the refund goes',
      task: SUBTASK.returns,
      instructions: INSTRUCTIONS.returns,
      input: returnInput,
      schema: returnSchema,
      maxAttempts: 2,
      check: (out, c) => unknownIds(out.item_ids, new Set(order(c).items.map((i) => i.itemId)), 'item') ?? knownPayment(out.payment_method_id, c),
      onResult: (c, out) => {
        c.itemIds = out.item_ids;
        c.paymentMethodId = out.payment_method_id;
      },
      next: 'plan_return',
      fallback: 'plan_return',
    }),
    n.code('plan_return', { run: buildPlan, next: 'plan_route' }),

    // ---- a payment method not yet named: ask once
    n.route('plan_route', {
      targets: ['ask_payment', 'plan_gate'],
      choose: (c) => (needsPayment(c) ? 'ask_payment' : 'plan_gate'),
    }),
    n.say('ask_payment', {
      text: (c) => `${ASK_PAYMENT} ${paymentFacts(c).map((p) => p.method).join('; ')}.`,
      onReply: answered,
      next: 'choose_payment_again',
    }),
    n.llm('choose_payment_again', {
      task: SUBTASK.payment,
      instructions: INSTRUCTIONS.payment,
      input: (c) => ({ request: `${c.req?.details ?? ''} / answer: ${c.lastReply}`, order: orderFacts(order(c)), payment_methods: paymentFacts(c) }),
      schema: paymentSchema,
      check: (out, c) => knownPayment(out.payment_method_id, c),
      onResult: (c, out) => {
        c.paymentMethodId = out.payment_method_id;
      },
      next: 'plan_again',
      fallback: 'plan_again',
    }),
    n.code('plan_again', {
      run: (c) => {
        buildPlan(c);
        if (c.plan !== null && c.plan.paymentMethodId === null) {
          c.plan = null;
          c.refusal = 'I need to know which of your saved payment methods to use';
        }
      },
      next: 'plan_gate',
    }),
  ];
}
