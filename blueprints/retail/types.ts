/**
 * The retail blueprint's context: what it has learnt about the customer (views of tool results,
 * kept compact and plain so the audit log stays small), the customer's requests, and the working
 * state of the request being handled. Everything here is JSON (the engine logs context deltas).
 */
import type { LoopSemantics } from '../../src/contract/agent.js';

/** Request kinds the classifier chooses from (a closed set). */
export const REQUEST_KINDS = [
  'cancel_order',
  'modify_order_address',
  'modify_order_payment',
  'modify_order_items',
  'return_items',
  'exchange_items',
  'modify_user_address',
  'info',
  'transfer',
  'other',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Kinds that act on one order. */
export const ORDER_KINDS: readonly RequestKind[] = ['cancel_order', 'modify_order_address', 'modify_order_payment', 'modify_order_items', 'return_items', 'exchange_items'];

/** Topics of information requests. */
export const INFO_TOPICS = ['order_status', 'tracking_number', 'product', 'gift_card_balance', 'payment_methods', 'other'] as const;
export type InfoTopic = (typeof INFO_TOPICS)[number];

/** Info topics about one order. */
export const ORDER_TOPICS: readonly InfoTopic[] = ['order_status', 'tracking_number'];

/** The two accepted cancellation reasons, verbatim. */
export const CANCEL_REASONS = ['no longer needed', 'ordered by mistake'] as const;

/** A full address as the address tools take it. */
export interface Address {
  address1: string;
  address2: string;
  city: string;
  state: string;
  country: string;
  zip: string;
}

/** Identity details the customer gave (any subset). */
export interface Identity {
  email?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  zip?: string | undefined;
}

/** One customer request, as classified (plus what code learnt about it). */
export interface Request {
  kind: RequestKind;
  /** Order id as given by the customer (normalised), or null. */
  orderId: string | null;
  /** How the customer describes the order when they gave no id. */
  orderHint: string | null;
  /** The customer's wish in their own terms (items, options, payment, question). */
  details: string;
  reason: string | null;
  address: Address | null;
  topic: InfoTopic | null;
  productName: string | null;
  /** A cancel request that becomes a return if the order was already delivered. */
  returnIfDelivered: boolean;
  /** Items named for a return (ids of the order's items), when the customer was clear. */
  itemIds: string[];
  /** The saved payment method the customer wants (refund, new method, price difference), or null. */
  paymentMethodId: string | null;
}

/** A saved payment method. */
export interface PaymentView {
  id: string;
  source: string;
  brand: string | null;
  lastFour: string | null;
  /** Gift card balance (dollars), else null. */
  balance: number | null;
}

/** The authenticated customer. */
export interface UserView {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  address: Address;
  payments: PaymentView[];
  orders: string[];
}

/** One line of an order. */
export interface ItemView {
  itemId: string;
  productId: string;
  name: string;
  price: number;
  options: Record<string, string>;
}

/** One payment or refund of an order. */
export interface TransactionView {
  type: string;
  amount: number;
  method: string;
}

/** An order as read from `get_order_details`. */
export interface OrderView {
  id: string;
  userId: string;
  status: string;
  address: Address;
  items: ItemView[];
  tracking: string[];
  payments: TransactionView[];
}

/** One variant of a product. */
export interface VariantView {
  itemId: string;
  options: Record<string, string>;
  available: boolean;
  price: number;
}

/** A product as read from `get_product_details`. */
export interface ProductView {
  id: string;
  name: string;
  variants: VariantView[];
}

/** Write tools the blueprint may call. */
export type WriteTool =
  | 'cancel_pending_order'
  | 'modify_pending_order_address'
  | 'modify_pending_order_payment'
  | 'modify_pending_order_items'
  | 'exchange_delivered_order_items'
  | 'return_delivered_order_items'
  | 'modify_user_address';

/** An item swap chosen for a modify / exchange. */
export interface Swap {
  itemId: string;
  newItemId: string;
}

/** A write the customer is asked to confirm. Arguments are the tool's, in code-built form. */
export interface Plan {
  tool: WriteTool;
  orderId: string | null;
  reason: string | null;
  address: Address | null;
  paymentMethodId: string | null;
  swaps: Swap[];
  itemIds: string[];
  /** What is said to the customer (the exact details of the action). */
  summary: string;
}

/** The blueprint's context. */
export interface RetailCtx {
  semantics: LoopSemantics;
  /** Customer messages not yet interpreted by a sub-task (newest last). */
  heard: string[];
  /** The customer's last reply. */
  lastReply: string;
  /** Messages to put in front of the next thing said (results, refusals, answers). */
  notices: string[];
  // ---- authentication
  identity: Identity;
  /** Lookups already tried (`email:<x>` / `name:<first> <last> <zip>`), so none repeats. */
  tried: string[];
  /** The identity sub-task has read the latest identity message. */
  identityRead: boolean;
  userId: string | null;
  user: UserView | null;
  // ---- what was read (caches)
  orders: Record<string, OrderView>;
  products: Record<string, ProductView>;
  /** Product name → product id (`list_all_product_types`), once read. */
  productTypes: Record<string, string> | null;
  // ---- requests
  requests: Request[];
  /** Set when the customer has nothing more to ask. */
  finished: boolean;
  /** 0-based position of the current request in `requests`. */
  index: number;
  req: Request | null;
  // ---- the current request
  orderId: string | null;
  /** The current order could not be found after asking. */
  orderMissing: boolean;
  /** Ids to read in a foreach (orders or products), and the one being read. */
  queue: string[];
  reading: string | null;
  /** An order id that the lookup did not find. */
  notFoundId: string | null;
  /** Chosen by sub-tasks for the current request. */
  swaps: Swap[];
  itemIds: string[];
  paymentMethodId: string | null;
  productId: string | null;
  /** A cancel request that turned into a return (the order was delivered). */
  diverted: boolean;
  plan: Plan | null;
  /** Why the current request cannot be done (said to the customer), or null. */
  refusal: string | null;
  confirmed: boolean;
  /** Error observation of the last write, or null. */
  writeError: string | null;
  /** Number of writes done in this conversation. */
  writes: number;
  /** How the conversation ends once the customer stops talking. */
  ending: 'resolved' | 'unverified' | 'transferred';
}
