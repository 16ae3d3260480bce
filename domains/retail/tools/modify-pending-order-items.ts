/** `modify_pending_order_items`: swap items of a pending order for other variants of the same products. */
import { z } from 'zod';
import { add, cmp, num, pyAbs, sub, type PyNum } from '../../../src/core/py/py-float.js';
import { pyDumps } from '../../../src/core/py/py-json.js';
import { clonePy, type PyObject } from '../../../src/core/py/py-value.js';
import { defineTool, ToolFailure } from '../../../src/env/tool.js';
import { orderPaymentModel } from '../tau2-model.js';
import {
  assign,
  missingItemId,
  dict,
  hasKey,
  item,
  itemIdsArg,
  keyError,
  listOf,
  mutPaymentMethod,
  numberOf,
  orderIdArg,
  paymentMethodIdArg,
  round2,
  tau2Order,
  tau2PaymentMethod,
  tau2Variant,
} from './common.js';

const schema = z.strictObject({
  order_id: orderIdArg,
  item_ids: itemIdsArg('Ids of the order items to change.'),
  new_item_ids: itemIdsArg(
    'Ids of the new variants, position by position: each must be an available variant of the same product as the item at the same position in item_ids.',
  ),
  payment_method_id: paymentMethodIdArg.describe(
    "Payment method that pays or receives the price difference: one of the customer's saved methods, e.g. 'gift_card_0000000' or 'credit_card_0000000'.",
  ),
});

const description =
  'Change items of a pending order to other variants of the same products (for example another colour). This can be done only once per order, so collect every change first. ' +
  "Explain the change and the price difference and get the customer's explicit yes before calling. Returns the updated order.";

const firstItem = (items: readonly unknown[], id: string | undefined): PyObject | undefined => items.find((x) => (x as PyObject).item_id === id) as PyObject | undefined;

/** v1 (τ-bench) `modify_pending_order_items` (the price difference is not rounded). */
export const modifyPendingOrderItems = defineTool({
  name: 'modify_pending_order_items',
  description,
  schema,
  kind: 'write',
  invoke(db, { order_id, item_ids, new_item_ids, payment_method_id }) {
    const order = db.table('orders').get(order_id);
    if (order === undefined) return 'Error: order not found';
    if (order.status !== 'pending') return 'Error: non-pending order cannot be modified';

    const missing = missingItemId(order, item_ids);
    if (missing !== undefined) return `Error: ${missing} not found`;
    if (item_ids.length !== new_item_ids.length) return 'Error: the number of items to be exchanged should match';

    const products = db.table('products');
    const variantsOf = (productId: string): PyObject => {
      const product = products.get(productId);
      if (product === undefined) throw keyError(productId);
      return dict(product, 'variants');
    };
    let diff: PyNum = 0;
    for (let i = 0; i < item_ids.length; i++) {
      const oldItem = firstItem(listOf(order, 'items'), item_ids[i]) as PyObject;
      const variants = variantsOf(item(oldItem, 'product_id') as string);
      const newId = new_item_ids[i] as string;
      if (!(hasKey(variants, newId) && (variants[newId] as PyObject).available === true)) return `Error: new item ${newId} not found or available`;
      diff = add(diff, sub(numberOf(variants[newId] as PyObject, 'price'), numberOf(oldItem, 'price')));
    }

    const userId = item(order, 'user_id') as string;
    const user = db.table('users').get(userId);
    if (user === undefined) throw keyError(userId);
    const methods = dict(user, 'payment_methods');
    if (!hasKey(methods, payment_method_id)) return 'Error: payment method not found';
    const isGiftCard = item(methods[payment_method_id] as PyObject, 'source') === 'gift_card';
    if (isGiftCard && cmp.lt(numberOf(methods[payment_method_id] as PyObject, 'balance'), diff)) {
      return 'Error: insufficient gift card balance to pay for the new item';
    }

    const out = db.table('orders').mut(order_id) as PyObject;
    (out.payment_history as PyObject[]).push({
      transaction_type: num(diff) > 0 ? 'payment' : 'refund',
      amount: pyAbs(diff),
      payment_method_id,
    });
    if (isGiftCard) {
      const method = mutPaymentMethod(db, userId, payment_method_id);
      assign(method, 'balance', round2(sub(numberOf(method, 'balance'), diff)));
    }
    // Each pair takes the first item still carrying the old id (an item changed by an earlier
    // pair can be matched again, as in the reference).
    const items = listOf(out, 'items');
    for (let i = 0; i < item_ids.length; i++) {
      const target = firstItem(items, item_ids[i]);
      if (target === undefined) throw new ToolFailure('list index out of range');
      const newId = new_item_ids[i] as string;
      const variant = (): PyObject => dict(variantsOf(item(target, 'product_id') as string), newId);
      // Statement order as in the reference: the id is written before the variant is looked up.
      assign(target, 'item_id', newId);
      assign(target, 'price', item(variant(), 'price'));
      assign(target, 'options', clonePy(item(variant(), 'options')));
    }
    assign(out, 'status', 'pending (item modified)');
    return pyDumps(out);
  },
});

/**
 * τ² `modify_pending_order_items`: capitalised errors, an unchanged item is rejected, and (τ²'s
 * bug, kept for parity) every changed item gets the price and options of the LAST new variant.
 */
export const modifyPendingOrderItemsTau2 = defineTool({
  name: 'modify_pending_order_items',
  description,
  schema,
  kind: 'write',
  invoke(db, { order_id, item_ids, new_item_ids, payment_method_id }) {
    const order = tau2Order(db, order_id);
    if (order.status !== 'pending') throw new ToolFailure('Non-pending order cannot be modified');

    const missing = missingItemId(order, item_ids);
    if (missing !== undefined) throw new ToolFailure(`${missing} not found`);
    if (item_ids.length !== new_item_ids.length) throw new ToolFailure('The number of items to be exchanged should match');

    let diff: PyNum = 0;
    let variant: Readonly<PyObject> | undefined;
    for (let i = 0; i < item_ids.length; i++) {
      const oldId = item_ids[i] as string;
      const newId = new_item_ids[i] as string;
      if (oldId === newId) throw new ToolFailure('The new item id should be different from the old item id');
      const oldItem = firstItem(listOf(order, 'items'), oldId);
      if (oldItem === undefined) throw new ToolFailure(`Item ${oldId} not found`);
      variant = tau2Variant(db, item(oldItem, 'product_id') as string, newId);
      if (variant.available !== true) throw new ToolFailure(`New item ${newId} not found or available`);
      diff = add(diff, sub(numberOf(variant, 'price'), numberOf(oldItem, 'price')));
    }

    const userId = item(order, 'user_id') as string;
    const method = tau2PaymentMethod(db, userId, payment_method_id);
    const isGiftCard = method.source === 'gift_card';
    if (isGiftCard && cmp.lt(numberOf(method, 'balance'), diff)) throw new ToolFailure('Insufficient gift card balance to pay for the new item');

    const out = db.table('orders').mut(order_id) as PyObject;
    (out.payment_history as PyObject[]).push(orderPaymentModel(num(diff) > 0 ? 'payment' : 'refund', pyAbs(diff), payment_method_id));
    if (isGiftCard) {
      const m = mutPaymentMethod(db, userId, payment_method_id);
      assign(m, 'balance', round2(sub(numberOf(m, 'balance'), diff)));
    }
    const items = listOf(out, 'items');
    for (let i = 0; i < item_ids.length; i++) {
      const target = firstItem(items, item_ids[i]);
      if (target === undefined) throw new ToolFailure(`Item ${item_ids[i] as string} not found`);
      const last = variant as Readonly<PyObject>;
      assign(target, 'item_id', new_item_ids[i] as string);
      assign(target, 'price', item(last, 'price'));
      assign(target, 'options', clonePy(item(last, 'options')));
    }
    assign(out, 'status', 'pending (item modified)');
    return pyDumps(out);
  },
});
