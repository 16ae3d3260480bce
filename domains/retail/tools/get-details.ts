/** Read tools: `get_order_details`, `get_product_details`, `get_user_details`, τ²'s `get_item_details`. */
import { z } from 'zod';
import { pyDumps } from '../../../src/core/py/py-json.js';
import type { PyObject } from '../../../src/core/py/py-value.js';
import { defineTool, ToolFailure } from '../../../src/env/tool.js';
import { dict, hasKey, orderIdArg, tau2Order, tau2Product, tau2User, userIdArg } from './common.js';

const orderSchema = z.strictObject({ order_id: orderIdArg });
const productSchema = z.strictObject({
  product_id: z.string().describe("The product's id, e.g. '6086499569'. A product id is not an item id: items are the product's variants."),
});
const userSchema = z.strictObject({ user_id: userIdArg });
const itemSchema = z.strictObject({
  item_id: z.string().describe("The item's (variant's) id, e.g. '1008292230'. An item id is not a product id."),
});

const orderDescription = 'Get the status, items, fulfilments and payments of an order.';
const productDescription = "Get a product's details: its name and every variant (item) with its options, availability and price.";
const userDescription = "Get a customer's profile: name, address, email, saved payment methods and the ids of their orders.";

/** v1 `get_order_details`. */
export const getOrderDetails = defineTool({
  name: 'get_order_details',
  description: orderDescription,
  schema: orderSchema,
  kind: 'read',
  invoke(db, { order_id }) {
    const order = db.table('orders').get(order_id);
    return order === undefined ? 'Error: order not found' : pyDumps(order as PyObject);
  },
});

/** v1 `get_product_details`. */
export const getProductDetails = defineTool({
  name: 'get_product_details',
  description: productDescription,
  schema: productSchema,
  kind: 'read',
  invoke(db, { product_id }) {
    const product = db.table('products').get(product_id);
    return product === undefined ? 'Error: product not found' : pyDumps(product as PyObject);
  },
});

/** v1 `get_user_details`. */
export const getUserDetails = defineTool({
  name: 'get_user_details',
  description: userDescription,
  schema: userSchema,
  kind: 'read',
  invoke(db, { user_id }) {
    const user = db.table('users').get(user_id);
    return user === undefined ? 'Error: user not found' : pyDumps(user as PyObject);
  },
});

/** τ² `get_order_details`. */
export const getOrderDetailsTau2 = defineTool({
  name: 'get_order_details',
  description: orderDescription,
  schema: orderSchema,
  kind: 'read',
  invoke: (db, { order_id }) => pyDumps(tau2Order(db, order_id) as PyObject),
});

/** τ² `get_product_details`. */
export const getProductDetailsTau2 = defineTool({
  name: 'get_product_details',
  description: productDescription,
  schema: productSchema,
  kind: 'read',
  invoke: (db, { product_id }) => pyDumps(tau2Product(db, product_id) as PyObject),
});

/** τ² `get_item_details`: the first variant with that id, searching products in table order. */
export const getItemDetailsTau2 = defineTool({
  name: 'get_item_details',
  description: "Get one item's (variant's) details: its options, availability and price.",
  schema: itemSchema,
  kind: 'read',
  invoke(db, { item_id }) {
    for (const product of db.table('products').values()) {
      const variants = dict(product, 'variants');
      if (hasKey(variants, item_id)) return pyDumps(variants[item_id] as PyObject);
    }
    throw new ToolFailure('Item not found');
  },
});

/** τ² `get_user_details`. */
export const getUserDetailsTau2 = defineTool({
  name: 'get_user_details',
  description: userDescription,
  schema: userSchema,
  kind: 'read',
  invoke: (db, { user_id }) => pyDumps(tau2User(db, user_id) as PyObject),
});
