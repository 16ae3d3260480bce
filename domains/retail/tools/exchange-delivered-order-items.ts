/** `exchange_delivered_order_items`: requests an exchange of delivered items for other variants. */
import { z } from 'zod';
import { add, cmp, sub, type PyNum } from '../../../src/core/py/py-float.js';
import { pyDumps } from '../../../src/core/py/py-json.js';
import type { PyObject } from '../../../src/core/py/py-value.js';
import { defineTool, ToolFailure } from '../../../src/env/tool.js';
import {
  assign,
  missingItemId,
  dict,
  hasKey,
  item,
  itemIdsArg,
  keyError,
  listOf,
  numberOf,
  orderIdArg,
  paymentMethodIdArg,
  round2,
  sortedStrings,
  tau2Order,
  tau2PaymentMethod,
  tau2Variant,
} from './common.js';

const schema = z.strictObject({
  order_id: orderIdArg,
  item_ids: itemIdsArg('Ids of the delivered items to exchange.'),
  new_item_ids: itemIdsArg(
    'Ids of the replacement variants, position by position: each must be an available variant of the same product as the item at the same position in item_ids.',
  ),
  payment_method_id: paymentMethodIdArg.describe(
    "Payment method that pays or receives the price difference: one of the customer's saved methods, e.g. 'gift_card_0000000' or 'credit_card_0000000'.",
  ),
});

const description =
  'Exchange items of a delivered order for other variants of the same products (for example another size or colour). A delivered order can be returned or exchanged only once, so collect every item first. ' +
  "Explain the exchange and the price difference and get the customer's explicit yes before calling. Returns the updated order.";


/** v1 (τ-bench) `exchange_delivered_order_items`. */
export const exchangeDeliveredOrderItems = defineTool({
  name: 'exchange_delivered_order_items',
  description,
  schema,
  kind: 'write',
  invoke(db, { order_id, item_ids, new_item_ids, payment_method_id }) {
    const order = db.table('orders').get(order_id);
    if (order === undefined) return 'Error: order not found';
    if (order.status !== 'delivered') return 'Error: non-delivered order cannot be exchanged';

    const missing = missingItemId(order, item_ids);
    if (missing !== undefined) return `Error: ${missing} not found`;
    if (item_ids.length !== new_item_ids.length) return 'Error: the number of items to be exchanged should match';

    const products = db.table('products');
    let diff: PyNum = 0;
    for (let i = 0; i < item_ids.length; i++) {
      const oldItem = listOf(order, 'items').find((x) => (x as PyObject).item_id === item_ids[i]) as PyObject;
      const productId = item(oldItem, 'product_id') as string;
      const product = products.get(productId);
      if (product === undefined) throw keyError(productId);
      const variants = dict(product, 'variants');
      const newId = new_item_ids[i] as string;
      if (!(hasKey(variants, newId) && (variants[newId] as PyObject).available === true)) return `Error: new item ${newId} not found or available`;
      diff = add(diff, sub(numberOf(variants[newId] as PyObject, 'price'), numberOf(oldItem, 'price')));
    }
    diff = round2(diff);

    const userId = item(order, 'user_id') as string;
    const user = db.table('users').get(userId);
    if (user === undefined) throw keyError(userId);
    const methods = dict(user, 'payment_methods');
    if (!hasKey(methods, payment_method_id)) return 'Error: payment method not found';
    const method = methods[payment_method_id] as PyObject;
    if (item(method, 'source') === 'gift_card' && cmp.lt(numberOf(method, 'balance'), diff)) {
      return 'Error: insufficient gift card balance to pay for the price difference';
    }

    const out = db.table('orders').mut(order_id) as PyObject;
    assign(out, 'status', 'exchange requested');
    assign(out, 'exchange_items', sortedStrings(item_ids));
    assign(out, 'exchange_new_items', sortedStrings(new_item_ids));
    assign(out, 'exchange_payment_method_id', payment_method_id);
    assign(out, 'exchange_price_difference', diff);
    return pyDumps(out);
  },
});

/** τ² `exchange_delivered_order_items`: capitalised errors, `Variant not found` for unknown ids. */
export const exchangeDeliveredOrderItemsTau2 = defineTool({
  name: 'exchange_delivered_order_items',
  description,
  schema,
  kind: 'write',
  invoke(db, { order_id, item_ids, new_item_ids, payment_method_id }) {
    const order = tau2Order(db, order_id);
    if (order.status !== 'delivered') throw new ToolFailure('Non-delivered order cannot be exchanged');

    const missing = missingItemId(order, item_ids);
    if (missing !== undefined) throw new ToolFailure(`Number of ${missing} not found.`);
    if (item_ids.length !== new_item_ids.length) throw new ToolFailure('The number of items to be exchanged should match.');

    let diff: PyNum = 0;
    for (let i = 0; i < item_ids.length; i++) {
      const oldItem = listOf(order, 'items').find((x) => (x as PyObject).item_id === item_ids[i]) as PyObject | undefined;
      if (oldItem === undefined) throw new ToolFailure(`Item ${item_ids[i] as string} not found`);
      const variant = tau2Variant(db, item(oldItem, 'product_id') as string, new_item_ids[i] as string);
      if (variant.available !== true) throw new ToolFailure(`New item ${new_item_ids[i] as string} not found or available`);
      diff = add(diff, sub(numberOf(variant, 'price'), numberOf(oldItem, 'price')));
    }
    diff = round2(diff);

    const method = tau2PaymentMethod(db, item(order, 'user_id') as string, payment_method_id);
    if (method.source === 'gift_card' && cmp.lt(numberOf(method, 'balance'), diff)) {
      throw new ToolFailure('Insufficient gift card balance to pay for the price difference');
    }

    const out = db.table('orders').mut(order_id) as PyObject;
    assign(out, 'status', 'exchange requested');
    assign(out, 'exchange_items', sortedStrings(item_ids));
    assign(out, 'exchange_new_items', sortedStrings(new_item_ids));
    assign(out, 'exchange_payment_method_id', payment_method_id);
    assign(out, 'exchange_price_difference', diff);
    return pyDumps(out);
  },
});
