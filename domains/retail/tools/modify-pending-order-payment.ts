/** `modify_pending_order_payment`: pay a pending order with another saved payment method. */
import { z } from 'zod';
import { add, cmp, sub, type PyNum } from '../../../src/core/py/py-float.js';
import { pyDumps } from '../../../src/core/py/py-json.js';
import type { PyObject } from '../../../src/core/py/py-value.js';
import { defineTool, ToolFailure } from '../../../src/env/tool.js';
import { orderPaymentModel } from '../tau2-model.js';
import { assign, dict, hasKey, item, keyError, listOf, mutPaymentMethod, numberOf, orderIdArg, paymentMethodIdArg, round2, tau2Order, tau2PaymentMethod } from './common.js';

const schema = z.strictObject({
  order_id: orderIdArg,
  payment_method_id: paymentMethodIdArg.describe(
    "The saved payment method that should pay for the order instead, e.g. 'gift_card_0000000' or 'credit_card_0000000'.",
  ),
});

const description =
  "Switch the payment method of a pending order: the new method is charged and the old one refunded. Explain the change and get the customer's explicit yes before calling. Returns the updated order.";

/** v1 (τ-bench) `modify_pending_order_payment`. */
export const modifyPendingOrderPayment = defineTool({
  name: 'modify_pending_order_payment',
  description,
  schema,
  kind: 'write',
  invoke(db, { order_id, payment_method_id }) {
    const order = db.table('orders').get(order_id);
    if (order === undefined) return 'Error: order not found';
    if (order.status !== 'pending') return 'Error: non-pending order cannot be modified';
    const userId = item(order, 'user_id') as string;
    const user = db.table('users').get(userId);
    if (user === undefined) throw keyError(userId);
    const methods = dict(user, 'payment_methods');
    if (!hasKey(methods, payment_method_id)) return 'Error: payment method not found';

    const history = listOf(order, 'payment_history');
    const first = history[0] as PyObject | undefined;
    if (history.length > 1 || (first !== undefined && item(first, 'transaction_type') !== 'payment')) {
      return 'Error: there should be exactly one payment for a pending order';
    }
    if (first === undefined) throw new ToolFailure('list index out of range');
    const oldId = item(first, 'payment_method_id') as string;
    if (oldId === payment_method_id) return 'Error: the new payment method should be different from the current one';

    const amount: PyNum = numberOf(first, 'amount');
    const isGiftCard = item(methods[payment_method_id] as PyObject, 'source') === 'gift_card';
    if (isGiftCard && cmp.lt(numberOf(methods[payment_method_id] as PyObject, 'balance'), amount)) {
      return 'Error: insufficient gift card balance to pay for the order';
    }

    const out = db.table('orders').mut(order_id) as PyObject;
    (out.payment_history as PyObject[]).push(
      { transaction_type: 'payment', amount, payment_method_id },
      { transaction_type: 'refund', amount, payment_method_id: oldId },
    );
    if (isGiftCard) {
      const m = mutPaymentMethod(db, userId, payment_method_id);
      assign(m, 'balance', round2(sub(numberOf(m, 'balance'), amount)));
    }
    if (oldId.includes('gift_card')) {
      const m = mutPaymentMethod(db, userId, oldId);
      assign(m, 'balance', round2(add(numberOf(m, 'balance'), amount)));
    }
    return pyDumps(out);
  },
});

/** τ² `modify_pending_order_payment`: any status containing `pending`; capitalised errors. */
export const modifyPendingOrderPaymentTau2 = defineTool({
  name: 'modify_pending_order_payment',
  description,
  schema,
  kind: 'write',
  invoke(db, { order_id, payment_method_id }) {
    const order = tau2Order(db, order_id);
    if (!String(order.status).includes('pending')) throw new ToolFailure('Non-pending order cannot be modified');
    const userId = item(order, 'user_id') as string;
    const method = tau2PaymentMethod(db, userId, payment_method_id);

    const history = listOf(order, 'payment_history');
    const first = history[0] as PyObject | undefined;
    if (history.length !== 1 || first === undefined || item(first, 'transaction_type') !== 'payment') {
      throw new ToolFailure('There should be exactly one payment for a pending order');
    }
    const oldId = item(first, 'payment_method_id') as string;
    if (oldId === payment_method_id) throw new ToolFailure('The new payment method should be different from the current one');

    const amount: PyNum = numberOf(first, 'amount');
    const isGiftCard = method.source === 'gift_card';
    if (isGiftCard && cmp.lt(numberOf(method, 'balance'), amount)) throw new ToolFailure('Insufficient gift card balance to pay for the order');

    const out = db.table('orders').mut(order_id) as PyObject;
    (out.payment_history as PyObject[]).push(orderPaymentModel('payment', amount, payment_method_id), orderPaymentModel('refund', amount, oldId));
    if (isGiftCard) {
      const m = mutPaymentMethod(db, userId, payment_method_id);
      assign(m, 'balance', round2(sub(numberOf(m, 'balance'), amount)));
    }
    // The refund target is looked up after the writes above, as in τ².
    const old = tau2PaymentMethod(db, userId, oldId);
    if (old.source === 'gift_card') {
      const m = mutPaymentMethod(db, userId, oldId);
      assign(m, 'balance', round2(add(numberOf(m, 'balance'), amount)));
    }
    return pyDumps(out);
  },
});
