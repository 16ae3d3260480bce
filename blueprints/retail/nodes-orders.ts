/**
 * Per-request routing and the order a request is about: read it (asking for the id when it is
 * unknown or not found, a bounded number of times), check that it belongs to the authenticated
 * customer, then hand over to the request's procedure. Also the generic refusal node.
 */
import type { NodeFactory } from '../../src/blueprint/define.js';
import type { BlueprintNode } from '../../src/blueprint/types.js';
import { askOrderId, refusalText } from './messages.js';
import { answered, needsOrder } from './nodes-conversation.js';
import { INSTRUCTIONS, SUBTASK, followUpSchema } from './subtasks.js';
import type { OrderView, RetailCtx } from './types.js';
import { normaliseOrderId, parseOrder } from './views.js';

type N = NodeFactory<RetailCtx>;

/** The order the current request is about, once read. */
export function currentOrder(c: Readonly<RetailCtx>): OrderView | undefined {
  return c.orderId === null ? undefined : c.orders[c.orderId];
}

const found = (c: Readonly<RetailCtx>): boolean => currentOrder(c) !== undefined;

/** Routing of a request and order resolution. */
export function orderNodes(n: N): BlueprintNode<RetailCtx>[] {
  return [
    n.route('route_request', {
      targets: ['order_request', 'user_address', 'info_route', 'transfer', 'refuse_other'],
      choose: (c) => {
        const r = c.req;
        if (r === null) return 'refuse_other';
        if (needsOrder(r)) return 'order_request';
        if (r.kind === 'modify_user_address') return 'user_address';
        if (r.kind === 'info') return 'info_route';
        if (r.kind === 'transfer') return 'transfer';
        return 'refuse_other';
      },
    }),
    n.code('order_request', {
      run: (c) => {
        c.orderId = c.req?.orderId ?? null;
      },
      next: 'order_lookup',
    }),
    n.loop('order_lookup', {
      description: 'read the order; ask for its id when unknown or not found',
      maxIterations: 3,
      while: (c) => !found(c) && !c.orderMissing,
      body: 'order_known',
      exit: 'order_found',
      onExhausted: 'order_not_found',
    }),
    n.branch('order_known', { test: (c) => c.orderId !== null, then: 'get_order', else: 'ask_order_id' }),
    n.tool('get_order', {
      tool: 'get_order_details',
      args: { order_id: (c) => c.orderId ?? '' },
      onResult: (c, r) => {
        const o = r.error ? null : parseOrder(r.json());
        if (o === null) {
          c.notFoundId = c.orderId;
          c.orderId = null;
          return;
        }
        c.orders[o.id] = o;
        c.orderId = o.id;
      },
      next: 'order_lookup',
    }),
    n.say('ask_order_id', {
      text: (c) => askOrderId(c.notFoundId),
      onReply: answered,
      next: 'extract_order_id',
    }),
    n.llm('extract_order_id', {
      task: SUBTASK.followUp,
      instructions: INSTRUCTIONS.followUp,
      input: (c) => ({ asked: 'order_id', customer_message: c.lastReply }),
      schema: followUpSchema,
      onResult: (c, out) => {
        const id = normaliseOrderId(out.order_id);
        if (id === null || id === c.notFoundId) c.orderMissing = true;
        else c.orderId = id;
      },
      next: 'order_lookup',
      fallback: 'order_lookup',
      onFallback: (c) => {
        c.orderMissing = true;
      },
    }),
    n.branch('order_found', { test: found, then: 'check_owner', else: 'order_not_found' }),
    n.code('order_not_found', {
      run: (c) => {
        c.notices.push(`I could not find ${c.notFoundId === null ? 'that order' : `order ${c.notFoundId}`}, so I could not help with that request.`);
      },
      next: 'requests',
    }),
    n.code('check_owner', {
      description: 'one customer per conversation: the order must be theirs',
      run: (c) => {
        const o = currentOrder(c) as OrderView;
        c.refusal = o.userId === c.userId ? null : `order ${o.id} is not an order of your account, and I can only act on your own orders`;
      },
      next: 'owner_ok',
    }),
    n.branch('owner_ok', { test: (c) => c.refusal === null, then: 'route_kind', else: 'refuse' }),
    n.route('route_kind', {
      targets: ['cancel_check', 'address_check', 'payment_check', 'items_check', 'return_check', 'info_order'],
      choose: (c) => {
        switch (c.req?.kind) {
          case 'cancel_order':
            return 'cancel_check';
          case 'modify_order_address':
            return 'address_check';
          case 'modify_order_payment':
            return 'payment_check';
          case 'modify_order_items':
          case 'exchange_items':
            return 'items_check';
          case 'return_items':
            return 'return_check';
          default:
            return 'info_order';
        }
      },
    }),
    n.code('refuse', {
      description: 'say why the policy does not allow it; no write',
      run: (c) => {
        c.notices.push(refusalText(c.refusal ?? 'the policy does not allow it'));
      },
      next: 'requests',
    }),
  ];
}
