/**
 * zod schemas of the retail database records (τ-bench v1 files, τ² `db.json`, and the built-in
 * generated data).
 *
 * The schemas validate; they never transform (records are stored exactly as parsed, with
 * {@link PyFloat}s and key order intact). They accept what the reference's tools write: the
 * optional `cancel_reason`, `exchange_*` and `return_*` order fields (absent in v1 until a tool
 * adds them, `null` in τ²'s model form), money as an int or a float (gift-card balances are JSON
 * ints in the v1 files and become floats once rounded), and τ² users' `user_id`.
 */
import { z } from 'zod';
import { pyNumber } from '../../src/env/tool.js';

/** Retail tables, in the order the reference loads them (`{"orders", "products", "users"}`). */
export const RETAIL_TABLES = ['orders', 'products', 'users'] as const;
export type RetailTable = (typeof RETAIL_TABLES)[number];

/** Order statuses the data and the tools use. */
export const ORDER_STATUSES = [
  'processed',
  'pending',
  'pending (item modified)',
  'delivered',
  'cancelled',
  'exchange requested',
  'return requested',
] as const;

/** Accepted cancellation reasons. */
export const CANCEL_REASONS = ['no longer needed', 'ordered by mistake'] as const;

/** A postal address (v1 files order it address1, address2, city, country, state, zip). */
export const addressSchema = z.object({
  address1: z.string(),
  address2: z.string(),
  city: z.string(),
  country: z.string(),
  state: z.string(),
  zip: z.string(),
});

/** A saved payment method, by `source`. */
export const paymentMethodSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('credit_card'), brand: z.string(), last_four: z.string(), id: z.string() }),
  z.object({ source: z.literal('gift_card'), balance: pyNumber(), id: z.string() }),
  z.object({ source: z.literal('paypal'), id: z.string() }),
]);

/** `users.json` record (keyed by user id; τ² adds `user_id`). */
export const userSchema = z.object({
  user_id: z.string().optional(),
  name: z.object({ first_name: z.string(), last_name: z.string() }),
  address: addressSchema,
  email: z.string(),
  payment_methods: z.record(z.string(), paymentMethodSchema),
  orders: z.array(z.string()),
});

/** One product variant (an "item"). */
export const variantSchema = z.object({
  item_id: z.string(),
  options: z.record(z.string(), z.string()),
  available: z.boolean(),
  price: pyNumber(),
});

/** `products.json` record (keyed by product id). */
export const productSchema = z.object({
  name: z.string(),
  product_id: z.string(),
  variants: z.record(z.string(), variantSchema),
});

/** One item of an order. */
export const orderItemSchema = z.object({
  name: z.string(),
  product_id: z.string(),
  item_id: z.string(),
  price: pyNumber(),
  options: z.record(z.string(), z.string()),
});

/** One payment or refund of an order. */
export const orderPaymentSchema = z.object({
  transaction_type: z.enum(['payment', 'refund']),
  amount: pyNumber(),
  payment_method_id: z.string(),
});

const idList = z.array(z.string());

/** `orders.json` record (keyed by order id). */
export const orderSchema = z.object({
  order_id: z.string(),
  user_id: z.string(),
  address: addressSchema,
  items: z.array(orderItemSchema),
  fulfillments: z.array(z.object({ tracking_id: idList, item_ids: idList })),
  status: z.enum(ORDER_STATUSES),
  payment_history: z.array(orderPaymentSchema),
  cancel_reason: z.enum(CANCEL_REASONS).nullable().optional(),
  exchange_items: idList.nullable().optional(),
  exchange_new_items: idList.nullable().optional(),
  exchange_payment_method_id: z.string().nullable().optional(),
  exchange_price_difference: pyNumber().nullable().optional(),
  return_items: idList.nullable().optional(),
  return_payment_method_id: z.string().nullable().optional(),
});

/** Record schema per table. */
export const RETAIL_RECORD_SCHEMAS: Record<RetailTable, z.ZodType> = {
  orders: orderSchema,
  products: productSchema,
  users: userSchema,
};
