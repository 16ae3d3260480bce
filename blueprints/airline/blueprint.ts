/**
 * The airline Source Code Agent blueprint: the airline policy as a fixed graph of nodes. Code
 * chooses every step; the LLM only answers bounded sub-tasks (parse the requests into a closed
 * set, fill in missing details, which flight directions change, which listed flight option, a
 * yes/no when a reply is not plain). It works with the v1 and τ² airline tools and the built-in
 * data, and never sees a task's gold actions (only its {@link AgentSession}).
 */
import { defineBlueprint } from '../../src/blueprint/index.js';
import { newContext, type AirCtx } from './context.js';
import { conversationNodes } from './nodes-conversation.js';
import { flowNodes } from './nodes-flows.js';
import { lookupNodes } from './nodes-lookup.js';
import { writeNodes } from './nodes-write.js';

/** Tools the blueprint may call (all present in the v1 and τ² airline registries). */
export const AIRLINE_TOOLS = [
  'get_user_details',
  'get_reservation_details',
  'search_direct_flight',
  'search_onestop_flight',
  'book_reservation',
  'cancel_reservation',
  'update_reservation_flights',
  'update_reservation_baggages',
  'update_reservation_passengers',
  'send_certificate',
  'transfer_to_human_agents',
] as const;

/** The airline blueprint. */
export const airlineBlueprint = defineBlueprint<AirCtx>({
  id: 'airline',
  version: '1',
  domain: 'airline',
  description: 'Airline customer service: authenticate, understand the requests, apply the policy in code, confirm every write, act, report.',
  approvedTools: AIRLINE_TOOLS,
  context: newContext,
  start: 'start',
  nodes: (n) => [...conversationNodes(n), ...lookupNodes(n), ...flowNodes(n), ...writeNodes(n)],
});
