/**
 * The conversation frame: greeting, authentication (email, or name + zip; a user id alone is not
 * enough), the loop over the customer's requests, "anything else?", and goodbye.
 */
import type { NodeFactory } from '../../src/blueprint/define.js';
import type { BlueprintNode } from '../../src/blueprint/types.js';
import { ANYTHING_ELSE, ASK_IDENTITY, ASK_IDENTITY_MISSING, askIdentityAgain, ASK_WHAT, GOODBYE, GREETING, UNVERIFIED, withNotices } from './messages.js';
import { INSTRUCTIONS, SUBTASK, WORDING, identitySchema, locateSchema, mergeIdentity, orderFacts, requestProblem, requestsInput, requestsSchema, toIdentity, toRequest } from './subtasks.js';
import { parseIdentity } from './parse.js';
import { ORDER_KINDS, ORDER_TOPICS, type Request, type RetailCtx } from './types.js';
import { normaliseOrderId, parseOrder, parseUser, parseUserId } from './views.js';

type N = NodeFactory<RetailCtx>;

/** Heard a customer message that a sub-task should read. */
export function hear(c: RetailCtx, reply: string): void {
  c.notices = [];
  c.lastReply = reply;
  c.heard.push(reply);
}

/** Heard an answer to a specific question (kept apart from new requests). */
export function answered(c: RetailCtx, reply: string): void {
  c.notices = [];
  c.lastReply = reply;
}

/**
 * Heard an answer to an identity question: details stated plainly are taken at once (then the
 * identity sub-task is not needed for this message); otherwise the sub-task reads it.
 */
function heardIdentity(c: RetailCtx, reply: string): void {
  hear(c, reply);
  const plain = parseIdentity([reply]);
  c.identity = mergeIdentity(c.identity, plain);
  c.identityRead = plain.email !== undefined || plain.zip !== undefined;
}

/** Whether a request needs an order. */
export function needsOrder(r: Request): boolean {
  return ORDER_KINDS.includes(r.kind) || (r.kind === 'info' && r.topic !== null && ORDER_TOPICS.includes(r.topic));
}

function emailKey(c: Readonly<RetailCtx>): string | null {
  return c.identity.email === undefined ? null : `email:${c.identity.email.toLowerCase()}`;
}

function nameKey(c: Readonly<RetailCtx>): string | null {
  const { first_name: f, last_name: l, zip } = c.identity;
  return f === undefined || l === undefined || zip === undefined ? null : `name:${f.toLowerCase()} ${l.toLowerCase()} ${zip}`;
}

function lookedUp(c: RetailCtx, key: string | null, observation: string, error: boolean): void {
  if (key !== null) c.tried.push(key);
  const id = error ? null : parseUserId(observation);
  if (id !== null) c.userId = id;
}

const clearRequest = (c: RetailCtx): void => {
  c.orderId = null;
  c.orderMissing = false;
  c.queue = [];
  c.reading = null;
  c.notFoundId = null;
  c.plan = null;
  c.refusal = null;
  c.confirmed = false;
  c.writeError = null;
  c.swaps = [];
  c.itemIds = [];
  c.paymentMethodId = null;
  c.productId = null;
  c.diverted = false;
};

/** Greeting, authentication and the request loop. */
export function conversationNodes(n: N): BlueprintNode<RetailCtx>[] {
  return [
    n.branch('opening', {
      description: 'v1: the customer spoke first; τ²: greet first',
      test: (c) => c.heard.length > 0,
      then: 'ask_identity',
      else: 'greet',
    }),
    n.say('greet', { text: () => GREETING, onReply: hear, next: 'ask_identity' }),
    n.say('ask_identity', { text: () => ASK_IDENTITY, onReply: heardIdentity, next: 'auth' }),
    n.loop('auth', {
      description: 'until a lookup by email or by name + zip finds the customer',
      maxIterations: 8,
      while: (c) => c.userId === null,
      body: 'auth_route',
      exit: 'load_user',
      onExhausted: 'auth_failed',
    }),
    n.route('auth_route', {
      description: 'look up details not tried yet; else let the sub-task read them; else ask again',
      targets: ['lookup_email', 'lookup_name', 'extract_identity', 'ask_identity_again'],
      choose: (c) => {
        const e = emailKey(c);
        if (e !== null && !c.tried.includes(e)) return 'lookup_email';
        const k = nameKey(c);
        if (k !== null && !c.tried.includes(k)) return 'lookup_name';
        return c.identityRead ? 'ask_identity_again' : 'extract_identity';
      },
    }),
    n.tool('lookup_email', {
      tool: 'find_user_id_by_email',
      args: { email: (c) => c.identity.email ?? '' },
      onResult: (c, r) => lookedUp(c, emailKey(c), r.observation, r.error),
      next: 'auth',
    }),
    n.tool('lookup_name', {
      tool: 'find_user_id_by_name_zip',
      args: { first_name: (c) => c.identity.first_name ?? '', last_name: (c) => c.identity.last_name ?? '', zip: (c) => c.identity.zip ?? '' },
      onResult: (c, r) => lookedUp(c, nameKey(c), r.observation, r.error),
      next: 'auth',
    }),
    n.llm('extract_identity', {
      description: 'identity details the code could not read plainly',
      task: SUBTASK.identity,
      instructions: INSTRUCTIONS.identity,
      input: (c) => ({ customer_messages: c.heard.slice(-2) }),
      schema: identitySchema,
      onResult: (c, out) => {
        c.identity = mergeIdentity(c.identity, toIdentity(out));
        c.identityRead = true;
      },
      next: 'auth',
      fallback: 'auth',
      onFallback: (c) => {
        c.identityRead = true;
      },
    }),
    n.say('ask_identity_again', {
      text: (c) =>
        withNotices(c, c.tried.length > 0 ? askIdentityAgain(c.tried.some((k) => k.startsWith('email:')), c.tried.some((k) => k.startsWith('name:'))) : ASK_IDENTITY_MISSING),
      onReply: heardIdentity,
      next: 'auth',
    }),
    n.say('auth_failed', {
      text: (c) => withNotices(c, UNVERIFIED),
      onReply: (c) => {
        c.ending = 'unverified';
      },
      next: 'closing',
    }),
    n.tool('load_user', {
      tool: 'get_user_details',
      args: { user_id: (c) => c.userId ?? '' },
      onResult: (c, r) => {
        c.user = r.error ? null : parseUser(r.json(), c.userId ?? '');
      },
      post: { user_read: (c) => c.user !== null },
      onPostFail: 'auth_failed',
      next: 'read_orders',
    }),
    n.foreach('read_orders', {
      description: 'the customer’s orders, so requests can be matched to them',
      maxIterations: 40,
      items: (c) => (c.user?.orders ?? []).filter((id) => c.orders[id] === undefined),
      bind: (c, id) => {
        c.reading = id;
      },
      body: 'read_order',
      exit: 'understand',
      onExhausted: 'understand',
    }),
    n.tool('read_order', {
      tool: 'get_order_details',
      args: { order_id: (c) => c.reading ?? '' },
      onResult: (c, r) => {
        const o = r.error ? null : parseOrder(r.json());
        if (o !== null) c.orders[o.id] = o;
      },
      next: 'read_orders',
    }),
    n.llm('understand', {
      description: 'the customer’s requests, matched to their orders and payment methods',
      task: SUBTASK.understand,
      instructions: INSTRUCTIONS.understand,
      input: requestsInput,
      schema: requestsSchema,
      check: (out, c) => requestProblem(out.requests, c),
      onResult: (c, out) => {
        c.requests = out.requests.map(toRequest);
        if (c.requests.length > 0) c.heard = [];
      },
      next: 'have_requests',
      fallback: 'ask_what',
    }),
    n.branch('have_requests', { test: (c) => c.requests.length > 0, then: 'conversation', else: 'ask_what' }),
    n.say('ask_what', { text: (c) => withNotices(c, ASK_WHAT), onReply: hear, next: 'classify' }),
    n.loop('conversation', {
      description: 'one round of requests per iteration, then "anything else?"',
      maxIterations: 6,
      while: (c) => !c.finished,
      body: 'locate_needed',
      exit: 'goodbye',
      onExhausted: 'goodbye',
    }),
    n.branch('locate_needed', {
      description: 'some request names no order: ask the sub-task which one',
      test: (c) => c.requests.some((r) => needsOrder(r) && r.orderId === null),
      then: 'locate_orders',
      else: 'requests',
    }),
    n.llm('locate_orders', {
      description: 'which of the customer’s orders each request means',
      task: SUBTASK.locate,
      instructions: INSTRUCTIONS.locate,
      input: (c) => ({
        requests: c.requests.flatMap((r, i) => (needsOrder(r) && r.orderId === null ? [{ request: i, kind: r.kind, order_hint: r.orderHint, details: r.details }] : [])),
        orders: (c.user?.orders ?? []).flatMap((id) => {
          const o = c.orders[id];
          return o === undefined ? [] : [orderFacts(o)];
        }),
      }),
      schema: locateSchema,
      check: (out, c) => {
        for (const a of out.orders) {
          if (c.requests[a.request] === undefined) return `request ${a.request} is not listed`;
          const id = normaliseOrderId(a.order_id);
          if (id !== null && !(c.user?.orders ?? []).includes(id)) return `order ${a.order_id} is not among the listed orders`;
        }
        return undefined;
      },
      onResult: (c, out) => {
        for (const a of out.orders) {
          const r = c.requests[a.request];
          if (r !== undefined && r.orderId === null) r.orderId = normaliseOrderId(a.order_id);
        }
      },
      next: 'requests',
      fallback: 'requests',
    }),
    n.foreach('requests', {
      description: 'each request of this round, in order',
      maxIterations: 10,
      items: (c) => c.requests,
      bind: (c, r, i) => {
        clearRequest(c);
        c.req = r;
        c.index = i;
      },
      body: 'route_request',
      exit: 'anything_else',
      onExhausted: 'anything_else',
    }),
    n.say('anything_else', {
      text: (c) => withNotices(c, ANYTHING_ELSE),
      word: {
        task: WORDING.results,
        facts: (c) => ({ results: c.notices, question: ANYTHING_ELSE }),
        instructions: 'Tell every result, refusal and answer exactly (ids, amounts, names), then ask the question.',
      },
      onReply: (c, r) => {
        clearRequest(c);
        c.req = null;
        c.heard = [];
        hear(c, r);
      },
      next: 'classify',
    }),
    n.llm('classify', {
      description: 'new requests, if any (none: the conversation is over)',
      task: SUBTASK.classify,
      instructions: INSTRUCTIONS.classify,
      input: requestsInput,
      schema: requestsSchema,
      check: (out, c) => requestProblem(out.requests, c),
      onResult: (c, out) => {
        c.requests = out.requests.map(toRequest);
        c.heard = [];
        c.finished = c.requests.length === 0;
      },
      next: 'conversation',
      fallback: 'conversation',
      onFallback: (c) => {
        c.requests = [];
        c.finished = true;
      },
    }),
    n.say('goodbye', { text: (c) => withNotices(c, GOODBYE), next: 'closing' }),
    n.loop('closing', {
      description: 'the customer ends the conversation; say goodbye at most twice more if they go on',
      maxIterations: 2,
      while: () => true,
      body: 'closing_say',
      exit: 'end_route',
      onExhausted: 'end_route',
    }),
    n.say('closing_say', { text: () => GOODBYE, next: 'closing' }),
    n.route('end_route', {
      targets: ['resolved', 'unverified', 'transferred'],
      choose: (c) => c.ending,
    }),
    n.end('resolved', { reason: 'resolved' }),
    n.end('unverified', { reason: 'unverified' }),
  ];
}
