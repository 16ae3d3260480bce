/** `return_delivered_order_items`: request a return of delivered items. */
import { z } from 'zod';
import { pyDumps } from '../../../src/core/py/py-json.js';
import type { PyObject } from '../../../src/core/py/py-value.js';
import { defineTool, ToolFailure } from '../../../src/env/tool.js';
import { assign, dict, hasKey, item, itemIdsArg, keyError, listOf, missingItemId, orderIdArg, paymentMethodIdArg, sortedStrings, tau2Order, tau2PaymentMethod, tau2User } from './common.js';

const schema = z.strictObject({
  order_id: orderIdArg,
  item_ids: itemIdsArg('Ids of the delivered items to return.'),
  payment_method_id: paymentMethodIdArg.describe(
    "Where the refund goes: the order's original payment method or one of the customer's gift cards, e.g. 'gift_card_0000000'.",
  ),
});

const description =
  'Request a return of items from a delivered order; the order becomes "return requested" and the customer gets an email on how to send the items back. A delivered order can be returned or exchanged only once. ' +
  "Explain the return and the refund and get the customer's explicit yes before calling. Returns the updated order.";


function requestReturn(out: PyObject, itemIds: string[], paymentMethodId: string): string {
  assign(out, 'status', 'return requested');
  assign(out, 'return_items', sortedStrings(itemIds));
  assign(out, 'return_payment_method_id', paymentMethodId);
  return pyDumps(out);
}

/** v1 (τ-bench) `return_delivered_order_items`. */
export const returnDeliveredOrderItems = defineTool({
  name: 'return_delivered_order_items',
  description,
  schema,
  kind: 'write',
  invoke(db, { order_id, item_ids, payment_method_id }) {
    const order = db.table('orders').get(order_id);
    if (order === undefined) return 'Error: order not found';
    if (order.status !== 'delivered') return 'Error: non-delivered order cannot be returned';
    const userId = item(order, 'user_id') as string;
    const user = db.table('users').get(userId);
    if (user === undefined) throw keyError(userId);
    if (!hasKey(dict(user, 'payment_methods'), payment_method_id)) return 'Error: payment method not found';
    if (!payment_method_id.includes('gift_card')) {
      const first = listOf(order, 'payment_history')[0] as PyObject | undefined;
      if (first === undefined) throw new ToolFailure('list index out of range');
      if (payment_method_id !== item(first, 'payment_method_id')) return 'Error: payment method should be either the original payment method or a gift card';
    }
    const missing = missingItemId(order, item_ids);
    if (missing !== undefined) return 'Error: some item not found';
    return requestReturn(db.table('orders').mut(order_id) as PyObject, item_ids, payment_method_id);
  },
});

/** τ² `return_delivered_order_items`: refunds only to the original method or a gift card (by type). */
export const returnDeliveredOrderItemsTau2 = defineTool({
  name: 'return_delivered_order_items',
  description,
  schema,
  kind: 'write',
  invoke(db, { order_id, item_ids, payment_method_id }) {
    const order = tau2Order(db, order_id);
    if (order.status !== 'delivered') throw new ToolFailure('Non-delivered order cannot be returned');
    const user = tau2User(db, item(order, 'user_id') as string);
    const method = tau2PaymentMethod(db, item(user, 'user_id') as string, payment_method_id);
    if (method.source !== 'gift_card') {
      const first = listOf(order, 'payment_history')[0] as PyObject | undefined;
      if (first === undefined) throw new ToolFailure('list index out of range');
      if (payment_method_id !== item(first, 'payment_method_id')) throw new ToolFailure('Payment method should be the original payment method');
    }
    const missing = missingItemId(order, item_ids);
    if (missing !== undefined) throw new ToolFailure('Some item not found');
    return requestReturn(db.table('orders').mut(order_id) as PyObject, item_ids, payment_method_id);
  },
});
