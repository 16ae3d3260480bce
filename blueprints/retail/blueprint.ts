/**
 * The retail Source Code Agent blueprint: the retail policy's procedures as a fixed node graph.
 * Code chooses every step; the model only answers bounded sub-tasks (see `subtasks.ts`). It works
 * with the τ-bench v1 tools, the τ² tools and the built-in suite's data: it calls only tools both
 * variants have and never depends on error texts.
 */
import { defineBlueprint } from '../../src/blueprint/define.js';
import type { RunInfo } from '../../src/blueprint/types.js';
import { changeNodes } from './nodes-changes.js';
import { conversationNodes } from './nodes-conversation.js';
import { infoNodes } from './nodes-info.js';
import { orderNodes } from './nodes-orders.js';
import { writeNodes } from './nodes-writes.js';
import type { RetailCtx } from './types.js';

/** Every tool the blueprint may call (present in the v1 and the τ² retail registries). */
export const RETAIL_APPROVED_TOOLS = [
  'find_user_id_by_email',
  'find_user_id_by_name_zip',
  'get_user_details',
  'get_order_details',
  'get_product_details',
  'list_all_product_types',
  'cancel_pending_order',
  'modify_pending_order_address',
  'modify_pending_order_payment',
  'modify_pending_order_items',
  'exchange_delivered_order_items',
  'return_delivered_order_items',
  'modify_user_address',
  'transfer_to_human_agents',
] as const;

/** A fresh context for one episode. */
export function retailContext(info: RunInfo): RetailCtx {
  return {
    semantics: info.semantics,
    heard: info.firstUserMessage === null ? [] : [info.firstUserMessage],
    lastReply: info.firstUserMessage ?? '',
    notices: [],
    identity: {},
    tried: [],
    identityRead: false,
    userId: null,
    user: null,
    orders: {},
    products: {},
    productTypes: null,
    requests: [],
    finished: false,
    index: -1,
    req: null,
    orderId: null,
    orderMissing: false,
    queue: [],
    reading: null,
    notFoundId: null,
    swaps: [],
    itemIds: [],
    paymentMethodId: null,
    productId: null,
    diverted: false,
    plan: null,
    refusal: null,
    confirmed: false,
    writeError: null,
    writes: 0,
    ending: 'resolved',
  };
}

/** The retail blueprint. */
export const retailBlueprint = defineBlueprint<RetailCtx>({
  id: 'retail',
  version: '1',
  domain: 'retail',
  description:
    'Retail customer service: authentication, information, cancel / modify (address, payment, items) pending orders, return / exchange delivered items, default address, refusals and transfers; several requests per conversation.',
  approvedTools: RETAIL_APPROVED_TOOLS,
  context: retailContext,
  start: 'opening',
  nodes: (n) => [...conversationNodes(n), ...orderNodes(n), ...changeNodes(n), ...writeNodes(n), ...infoNodes(n)],
});
