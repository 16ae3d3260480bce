/** `cancel_pending_order`: cancels a pending order and refunds every payment of it. */
import { z } from 'zod';
import { add, type PyNum } from '../../../src/core/py/py-float.js';
import { pyDumps } from '../../../src/core/py/py-json.js';
import type { PyObject } from '../../../src/core/py/py-value.js';
import { defineTool, ToolFailure } from '../../../src/env/tool.js';
import { CANCEL_REASONS } from '../schema.js';
import { orderPaymentModel } from '../tau2-model.js';
import { assign, dict, item, keyError, listOf, mutPaymentMethod, numberOf, orderIdArg, round2, tau2Order, tau2PaymentMethod, tau2User } from './common.js';

const schema = z.strictObject({
  order_id: orderIdArg,
  // Not an enum in validation: the reference answers `Error: invalid reason` itself.
  reason: z.string().meta({ enum: [...CANCEL_REASONS], description: "Why the customer cancels: 'no longer needed' or 'ordered by mistake'." }),
});

const description =
  "Cancel an order that is still pending (processed or delivered orders cannot be cancelled). Explain what will happen and get the customer's explicit yes before calling. " +
  'The order becomes cancelled and each payment is refunded: immediately onto a gift card, otherwise within 5-7 business days. Returns the updated order.';

/** v1 (τ-bench) `cancel_pending_order`. */
export const cancelPendingOrder = defineTool({
  name: 'cancel_pending_order',
  description,
  schema,
  kind: 'write',
  invoke(db, { order_id, reason }) {
    const orders = db.table('orders');
    const current = orders.get(order_id);
    if (current === undefined) return 'Error: order not found';
    if (current.status !== 'pending') return 'Error: non-pending order cannot be cancelled';
    if (!(CANCEL_REASONS as readonly string[]).includes(reason)) return 'Error: invalid reason';

    const order = orders.mut(order_id) as PyObject;
    const refunds: PyObject[] = [];
    for (const p of listOf(order, 'payment_history')) {
      const payment = p as PyObject;
      const paymentId = item(payment, 'payment_method_id') as string;
      refunds.push({ transaction_type: 'refund', amount: item(payment, 'amount'), payment_method_id: paymentId });
      if (paymentId.includes('gift_card')) {
        // Refund onto the gift card at once (a missing user or card fails like Python's KeyError).
        const userId = item(order, 'user_id') as string;
        const user = db.table('users').mut(userId);
        if (user === undefined) throw keyError(userId);
        const method = dict(dict(user, 'payment_methods'), paymentId);
        assign(method, 'balance', round2(add(numberOf(method, 'balance'), numberOf(payment, 'amount'))));
      }
    }
    assign(order, 'status', 'cancelled');
    assign(order, 'cancel_reason', reason);
    (order.payment_history as PyObject[]).push(...refunds);
    return pyDumps(order);
  },
});

/** τ² `cancel_pending_order`: capitalised errors; gift cards recognised by their type. */
export const cancelPendingOrderTau2 = defineTool({
  name: 'cancel_pending_order',
  description,
  schema,
  kind: 'write',
  invoke(db, { order_id, reason }) {
    const current = tau2Order(db, order_id);
    if (current.status !== 'pending') throw new ToolFailure('Non-pending order cannot be cancelled');
    if (!(CANCEL_REASONS as readonly string[]).includes(reason)) throw new ToolFailure('Invalid reason');

    const order = db.table('orders').mut(order_id) as PyObject;
    const refunds: PyObject[] = [];
    for (const p of listOf(order, 'payment_history')) {
      const payment = p as PyObject;
      const paymentId = item(payment, 'payment_method_id') as string;
      refunds.push(orderPaymentModel('refund', item(payment, 'amount'), paymentId));
      const user = tau2User(db, item(order, 'user_id') as string);
      const userId = item(user, 'user_id') as string;
      const method = tau2PaymentMethod(db, userId, paymentId);
      if (method.source === 'gift_card') {
        const m = mutPaymentMethod(db, userId, paymentId);
        assign(m, 'balance', round2(add(numberOf(m, 'balance'), numberOf(payment, 'amount')) as PyNum));
      }
    }
    assign(order, 'status', 'cancelled');
    assign(order, 'cancel_reason', reason);
    (order.payment_history as PyObject[]).push(...refunds);
    return pyDumps(order);
  },
});
