/**
 * The conversation skeleton: greeting (τ²), authentication by user id, understanding the
 * customer's requests (one bounded sub-task), the loop over requests with questions for missing
 * details, and the wrap-up (summary, "anything else?", transfer to a human when needed).
 */
import type { BlueprintNode, NodeFactory } from '../../src/blueprint/index.js';
import { finish, heard, resetRequest, type AirCtx } from './context.js';
import { parseProfile } from './records.js';
import { completeAnswer, missingFields, parseAnswer, SUBTASKS, userIdAnswer, WORDING, type Request } from './requests.js';
import { ASK, ledgerSummary, TEXT, withNotes } from './text.js';

/** User ids look like `mia_li_3668`. */
const USER_ID = /\b[a-z]+(?:_[a-z]+)+_\d+\b/gi;

/** User id candidates in a message, in order. */
export function userIdCandidates(text: string): string[] {
  return [...text.matchAll(USER_ID)].map((m) => m[0].toLowerCase());
}

/** A reply that ends the conversation ("no, that's all", "thanks, bye"). */
export function isClosing(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t === '' || /^(no|nope|nothing|that'?s (all|it|everything)|that is all|thanks?|thank you|bye|goodbye|all set|i'?m (good|done|all set)|###)/.test(t);
}

/** The profile facts the request parser may use to resolve references (ids, balances, names). */
export function profileView(c: Readonly<AirCtx>): unknown {
  const p = c.profile;
  if (p === null) return null;
  return {
    user_id: p.user_id,
    name: `${p.first_name} ${p.last_name}`,
    dob: p.dob,
    membership: p.membership,
    payment_methods: p.payment_methods.map((m) => ({ id: m.id, source: m.source, ...(m.amount === null ? {} : { balance: m.amount }), ...(m.last_four === null ? {} : { card: `${m.brand ?? ''} ${m.last_four}`.trim() }) })),
    saved_passengers: p.saved_passengers,
    reservations: p.reservations,
  };
}

function clearNotes(c: AirCtx, reply: string): void {
  c.notes = [];
  heard(c, reply);
}

function askFor(missing: readonly string[]): string {
  const questions = missing.map((m) => ASK[m] ?? `Could you tell me the ${m.replace(/_/g, ' ')}?`);
  return `To handle this I need a few more details. ${[...new Set(questions)].join(' ')}`;
}

function describe(req: Request): string {
  return req.kind.replace(/_/g, ' ');
}

/** Nodes: greeting, authentication, rounds of requests, missing details, wrap-up and transfer. */
export function conversationNodes(n: NodeFactory<AirCtx>): BlueprintNode<AirCtx>[] {
  return [
    n.branch('start', { description: 'τ²: the agent speaks first', test: (c) => c.texts.length === 0, then: 'greet', else: 'auth' }),
    n.say('greet', { text: () => TEXT.greet, word: { task: WORDING.greet, facts: () => ({}) }, onReply: (c, r) => heard(c, r), next: 'auth' }),

    // ---- authentication: the user id, checked with get_user_details
    n.loop('auth', { description: 'until the profile is found', maxIterations: 4, while: (c) => c.profile === null, body: 'scan_id', exit: 'rounds', onExhausted: 'unverified' }),
    n.code('scan_id', {
      description: 'user id in the latest messages (code first)',
      run: (c) => {
        c.idCandidate = null;
        for (let i = c.texts.length - 1; i >= 0 && c.idCandidate === null; i--) {
          c.idCandidate = userIdCandidates(c.texts[i] as string).find((id) => !c.triedIds.includes(id)) ?? null;
        }
      },
      next: 'have_id',
    }),
    n.branch('have_id', { test: (c) => c.idCandidate !== null, then: 'get_user', else: 'read_id' }),
    n.branch('read_id', { description: 'the reply to our question has not been read by the model yet', test: (c) => c.askedId && c.idReadUpTo < c.texts.length - 1, then: 'extract_user_id', else: 'ask_id' }),
    n.llm('extract_user_id', {
      task: SUBTASKS.extractUserId,
      instructions: 'Extract the user id the customer gave (e.g. "mia_li_3668"); null if there is none.',
      input: (c) => ({ message: c.texts[c.texts.length - 1] ?? '' }),
      schema: userIdAnswer,
      onResult: (c, out) => {
        c.idReadUpTo = c.texts.length - 1;
        const id = out.user_id?.trim() ?? '';
        c.idCandidate = id !== '' && !c.triedIds.includes(id) ? id : null;
      },
      next: 'have_llm_id',
      fallback: 'ask_id',
      onFallback: (c) => {
        c.idReadUpTo = c.texts.length - 1;
      },
    }),
    n.branch('have_llm_id', { test: (c) => c.idCandidate !== null, then: 'get_user', else: 'ask_id' }),
    n.tool('get_user', {
      tool: 'get_user_details',
      args: { user_id: (c) => c.idCandidate ?? '' },
      onResult: (c, r) => {
        const id = c.idCandidate ?? '';
        c.triedIds.push(id);
        const profile = r.error ? null : parseProfile(r.json(), id);
        if (profile !== null) {
          c.profile = profile;
          c.userId = profile.user_id;
        }
        c.idCandidate = null;
      },
      next: 'auth',
    }),
    n.say('ask_id', {
      text: (c) => withNotes(c, c.triedIds.length > 0 ? TEXT.userIdAgain : TEXT.askUserId),
      word: { task: WORDING.askUserId, facts: (c) => ({ previous_id_not_found: c.triedIds.length > 0 }) },
      onReply: (c, r) => {
        clearNotes(c, r);
        c.askedId = true;
      },
      next: 'auth',
    }),
    n.say('unverified', { text: () => TEXT.unverified, next: 'end_unverified' }),
    n.end('end_unverified', { reason: 'unverified' }),

    // ---- rounds: understand the requests, handle each, ask whether there is anything else
    n.loop('rounds', { description: 'one round per batch of customer requests', maxIterations: 3, while: (c) => !c.finished, body: 'understand', exit: 'goodbye', onExhausted: 'goodbye' }),
    n.llm('understand', {
      description: 'classify the requests into the closed set and extract their arguments',
      task: SUBTASKS.parseRequests,
      instructions:
        'List every request the customer has made that is not in already_handled, in the order made, as typed objects. ' +
        'Use ids from the profile; use null for anything the customer has not said. Dates are YYYY-MM-DD (the year is 2024). ' +
        'payment_ids: the methods the customer wants to use, in order of preference. ' +
        'Kinds: book, cancel, change_flights (other flights or dates), change_cabin, change_bags (new total), update_passengers (full new list), ' +
        'change_passenger_count (add/remove a passenger), add_insurance, compensation, info, transfer (lost baggage, special assistance), other.',
      input: (c) => ({ customer_messages: c.texts, profile: profileView(c), already_handled: c.outcomes.map((o) => ({ kind: o.kind, reservation_id: o.reservation_id, result: o.result })) }),
      schema: parseAnswer,
      onResult: (c, out) => {
        c.requests = out.requests;
      },
      next: 'any_requests',
      fallback: 'clarify',
    }),
    n.branch('any_requests', { test: (c) => c.requests.length > 0, then: 'each_request', else: 'clarify' }),
    n.say('clarify', {
      text: (c) => withNotes(c, TEXT.clarify),
      word: { task: WORDING.clarify, facts: (c) => ({ notes: c.notes }) },
      onReply: (c, r) => {
        clearNotes(c, r);
        c.finished = r.trim() === '';
      },
      next: 'rounds',
    }),

    n.foreach('each_request', {
      description: 'one request at a time',
      maxIterations: 8,
      items: (c) => c.requests,
      bind: (c, req: Request) => {
        resetRequest(c);
        c.req = req;
        c.missing = missingFields(req);
      },
      body: 'details',
      exit: 'wrap_up',
      onExhausted: 'wrap_up',
    }),
    n.loop('details', { description: 'ask for missing details', maxIterations: 3, while: (c) => c.missing.length > 0, body: 'ask_details', exit: 'dispatch', onExhausted: 'details_unknown' }),
    n.say('ask_details', {
      text: (c) => withNotes(c, askFor(c.missing)),
      word: { task: WORDING.askDetails, facts: (c) => ({ request: c.req?.kind ?? null, missing: c.missing, notes: c.notes }) },
      onReply: (c, r) => {
        clearNotes(c, r);
        c.asks++;
      },
      next: 'complete_request',
    }),
    n.llm('complete_request', {
      task: SUBTASKS.completeRequest,
      instructions: 'Fill in the missing fields of the request from what the customer said. Keep the kind and every known field; null for what is still unknown.',
      input: (c) => ({ request: c.req, missing: c.missing, customer_messages: c.texts.slice(-3), profile: profileView(c) }),
      schema: completeAnswer,
      check: (out, c) => (out.request.kind !== c.req?.kind ? `the request kind must stay "${c.req?.kind ?? ''}"` : undefined),
      onResult: (c, out) => {
        c.req = out.request;
        c.missing = missingFields(out.request);
      },
      next: 'details',
      fallback: 'details',
    }),
    n.code('details_unknown', {
      run: (c) => {
        const what = c.req === null ? 'your request' : `your ${describe(c.req)} request`;
        c.notes.push(`I am sorry, but without those details I cannot handle ${what}, so I have not changed anything for it.`);
        finish(c, 'unclear', `missing ${c.missing.join(', ')}`);
      },
      next: 'request_done',
    }),
    n.code('request_done', {
      run: (c) => {
        resetRequest(c);
      },
      next: 'each_request',
    }),

    // ---- wrap-up
    n.branch('wrap_up', { test: (c) => c.transfers.length > 0, then: 'transfer_first', else: 'anything_else' }),
    n.say('anything_else', {
      text: (c) => withNotes(c, [ledgerSummary(c), TEXT.anythingElse].filter((t) => t !== '').join(' ')),
      word: { task: WORDING.wrapUp, facts: (c) => ({ notes: c.notes, payments: c.ledger }) },
      onReply: (c, r) => {
        clearNotes(c, r);
        c.finished = isClosing(r);
      },
      next: 'rounds',
    }),
    n.branch('transfer_first', { description: 'say what is pending before the transfer ends the chat', test: (c) => c.notes.length > 0, then: 'tell_transfer', else: 'do_transfer' }),
    n.say('tell_transfer', {
      text: (c) => withNotes(c, 'For the rest of your request I will transfer you to a human agent.'),
      word: { task: WORDING.transfer, facts: (c) => ({ notes: c.notes, transfer: c.transfers }) },
      onReply: clearNotes,
      next: 'do_transfer',
    }),
    n.tool('do_transfer', {
      tool: 'transfer_to_human_agents',
      args: { summary: (c) => `User ${c.userId ?? 'unknown'}: ${c.transfers.join(' ')}` },
      next: 'transfer_notice',
    }),
    n.say('transfer_notice', { text: () => TEXT.transferNotice, onReply: clearNotes, next: 'transferred' }),
    n.end('transferred', { reason: 'transferred' }),
    n.say('goodbye', { text: (c) => withNotes(c, TEXT.goodbye), word: { task: WORDING.goodbye, facts: (c) => ({ notes: c.notes }) }, onReply: clearNotes, next: 'resolved' }),
    n.end('resolved', { reason: 'resolved' }),
  ];
}
