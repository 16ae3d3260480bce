/**
 * Oracle answers to the retail blueprint's sub-tasks, for the simulated model (`--model sim`):
 * what a perfect model would answer, reading the task itself (its gold actions' arguments, its
 * required outputs, the scripted customer's facts and requests, the instruction) together with the
 * sub-task's input. Each oracle also lists plausible wrong answers, which the simulated model uses
 * when its error model fires (`sim:<p>`). Oracle mode thereby measures the procedure alone.
 *
 * These oracles may read gold actions; the blueprint never does (it only sees its session).
 */
import { formatPyNum, isPyNum } from '../../src/core/py/py-float.js';
import type { GoldAction, ScriptedRequest, Task } from '../../src/core/task.js';
import { isAffirmative, type SubtaskOracle, type SubtaskQuestion } from '../../src/models/sim/sim-model.js';

/** One request as the oracle states it (the `understand_requests` / `classify_requests` item). */
export interface OracleRequest {
  kind: string;
  order_id: string | null;
  details: string;
  order_hint?: string | null;
  reason?: string | null;
  address?: Record<string, string> | null;
  topic?: string | null;
  product_name?: string | null;
  return_if_delivered?: boolean;
  item_ids?: string[];
  payment_method_id?: string | null;
}

/** A request with what only the oracle knows: the order it is really about. */
interface Wish {
  request: OracleRequest;
  order: string | null;
  /** The scripted request it came from (built-in tasks). */
  scripted?: ScriptedRequest;
}

const WRITE_KIND: Readonly<Record<string, string>> = {
  cancel_pending_order: 'cancel_order',
  modify_pending_order_address: 'modify_order_address',
  modify_pending_order_payment: 'modify_order_payment',
  modify_pending_order_items: 'modify_order_items',
  exchange_delivered_order_items: 'exchange_items',
  return_delivered_order_items: 'return_items',
  modify_user_address: 'modify_user_address',
};

const ADDRESS_KEYS = ['address1', 'address2', 'city', 'state', 'country', 'zip'] as const;

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (isPyNum(v)) return formatPyNum(v);
  return null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => str(x) ?? '') : [];
}

function addressOf(kw: Readonly<Record<string, unknown>> | undefined): Record<string, string> | null {
  if (kw === undefined) return null;
  const out: Record<string, string> = {};
  for (const k of ADDRESS_KEYS) {
    const v = str(kw[k]);
    if (v === null) return null;
    out[k] = v;
  }
  return out;
}

function addressText(a: Record<string, string>): string {
  return ADDRESS_KEYS.map((k) => a[k] ?? '')
    .filter((s) => s !== '')
    .join(', ');
}

/** Whether the customer knows this order id (a generated task's facts, or the official instruction). */
function knowsOrder(task: Task, orderId: string): boolean {
  const facts = task.scripted?.facts?.order_id;
  if (facts !== undefined) return (Array.isArray(facts) ? facts : [facts]).includes(orderId);
  if (task.scripted?.requests !== undefined) return false;
  const digits = orderId.replace(/\D/g, '');
  return digits !== '' && task.instruction.includes(digits);
}

/**
 * The order of a request: the classifier sees the customer's orders, so a perfect one names the
 * order the customer means whether or not they know its id (an order that is not theirs can only
 * be named by a customer who gave its id).
 */
function orderRef(task: Task, orderId: string | null, hint: string): Pick<OracleRequest, 'order_id' | 'order_hint'> {
  if (orderId === null) return { order_id: null };
  return knowsOrder(task, orderId) ? { order_id: orderId } : { order_id: orderId, order_hint: hint };
}

function isWrite(a: GoldAction): boolean {
  return Object.prototype.hasOwnProperty.call(WRITE_KIND, a.name);
}

/** What a gold write asks for, in words. */
function describeWrite(a: GoldAction): string {
  const k = a.kwargs;
  const oid = str(k.order_id) ?? '';
  switch (a.name) {
    case 'cancel_pending_order':
      return `cancel order ${oid} (${str(k.reason) ?? ''})`;
    case 'modify_pending_order_address':
      return `ship order ${oid} to ${addressText(addressOf(k) ?? {})}`;
    case 'modify_user_address':
      return `change the default address to ${addressText(addressOf(k) ?? {})}`;
    case 'modify_pending_order_payment':
      return `pay order ${oid} with ${str(k.payment_method_id) ?? ''}`;
    case 'modify_pending_order_items':
    case 'exchange_delivered_order_items':
      return `${a.name.startsWith('modify') ? 'change' : 'exchange'} items ${strings(k.item_ids).join(', ')} of order ${oid} to ${strings(k.new_item_ids).join(', ')}, price difference with ${str(k.payment_method_id) ?? ''}`;
    case 'return_delivered_order_items':
      return `return items ${strings(k.item_ids).join(', ')} of order ${oid}, refund to ${str(k.payment_method_id) ?? ''}`;
    default:
      return a.name.replace(/_/g, ' ');
  }
}

/** The question(s) of an official instruction, for an information request. */
function questionOf(task: Task): string {
  const sentences = task.instruction.split(/(?<=[.?!])\s+/);
  const asks = sentences.filter((s) => /\b(know|ask|wonder|how much|what|which|confirm the total|tell)\b/i.test(s));
  return (asks.length > 0 ? asks : sentences.slice(0, 1)).join(' ');
}

/** Requests of an official task: one per gold write, an information request when outputs are required, transfers last. */
function officialWishes(task: Task): Wish[] {
  const out: Wish[] = [];
  const transfers: Wish[] = [];
  for (const a of task.actions) {
    if (a.name === 'transfer_to_human_agents') {
      transfers.push({ request: { kind: 'transfer', order_id: null, details: str(a.kwargs.summary) ?? 'the customer asks for a human agent' }, order: null });
      continue;
    }
    if (!isWrite(a)) continue;
    const kind = WRITE_KIND[a.name] as string;
    const oid = str(a.kwargs.order_id);
    const r: OracleRequest = { kind, ...orderRef(task, oid, describeWrite(a)), details: describeWrite(a) };
    if (kind === 'cancel_order') r.reason = str(a.kwargs.reason);
    if (kind === 'modify_order_address' || kind === 'modify_user_address') r.address = addressOf(a.kwargs);
    if (kind === 'return_items') r.item_ids = strings(a.kwargs.item_ids);
    const pm = str(a.kwargs.payment_method_id);
    if (pm !== null) r.payment_method_id = pm;
    out.push({ request: r, order: oid });
  }
  const facts = [...task.outputs, ...(task.evaluation?.communicateInfo ?? [])];
  if (facts.length > 0) out.push({ request: { kind: 'info', order_id: null, topic: 'other', details: questionOf(task) }, order: null });
  return [...out, ...transfers];
}

/** The order a generated task's wish is about, described as its utterance says. */
function hintOf(s: ScriptedRequest): string {
  const m = /(?:my|the) order with the [^,.?]+/i.exec(s.utterance);
  return m === null ? s.utterance : m[0];
}

/** Requests of a generated task, from its scripted requests. */
function builtinWishes(task: Task): Wish[] {
  const out: Wish[] = [];
  for (const s of task.scripted?.requests ?? []) {
    const a = (s.args ?? {}) as Record<string, unknown>;
    const oid = str(a.order_id);
    const ref = orderRef(task, oid, hintOf(s));
    let r: OracleRequest;
    switch (s.kind) {
      case 'cancel_order':
        r = { kind: 'cancel_order', ...ref, reason: str(a.reason), details: s.utterance };
        break;
      case 'cancel_or_return':
        r = { kind: 'cancel_order', ...ref, reason: str(a.reason), return_if_delivered: true, item_ids: strings(a.item_ids), payment_method_id: str(a.payment_method_id), details: s.utterance };
        break;
      case 'modify_order_address':
        r = { kind: 'modify_order_address', ...ref, address: addressOf(a.address as Record<string, unknown>), details: s.utterance };
        break;
      case 'modify_user_address':
        r = { kind: 'modify_user_address', order_id: null, address: addressOf(a.address as Record<string, unknown>), details: s.utterance };
        break;
      case 'modify_order_payment':
      case 'modify_order_items':
      case 'exchange_items':
        r = { kind: s.kind, ...ref, payment_method_id: str(a.payment_method_id), details: s.utterance };
        break;
      case 'return_items': {
        // The refund goes where the gold return sends it (a customer's fallback wish included).
        const gold = task.actions.find((g) => g.name === 'return_delivered_order_items' && str(g.kwargs.order_id) === oid);
        r = { kind: 'return_items', ...ref, item_ids: strings(gold?.kwargs.item_ids ?? a.item_ids), payment_method_id: str(gold?.kwargs.payment_method_id ?? a.payment_method_id), details: s.utterance };
        break;
      }
      case 'ask_info': {
        const q = str(a.question);
        const topic = q === 'available_variants' ? 'product' : q === 'gift_card_balance' ? 'gift_card_balance' : q === 'tracking_number' ? 'tracking_number' : q === 'order_status' ? 'order_status' : 'other';
        r = { kind: 'info', ...(topic === 'tracking_number' || topic === 'order_status' ? ref : { order_id: null }), topic, details: s.utterance };
        if (topic === 'product') r.product_name = str(a.product_name);
        break;
      }
      case 'transfer':
        r = { kind: 'transfer', order_id: null, details: s.utterance };
        break;
      default:
        r = { kind: 'other', order_id: null, details: s.utterance };
    }
    out.push({ request: r, order: oid, scripted: s });
  }
  return out;
}

/** The customer's requests, in the order they want them handled. */
export function wishesOf(task: Task): Wish[] {
  return (task.scripted?.requests?.length ?? 0) > 0 ? builtinWishes(task) : officialWishes(task);
}

/** The requests a perfect classifier lists for a task. */
export function requestsOf(task: Task): OracleRequest[] {
  return wishesOf(task).map((w) => w.request);
}

// ------------------------------------------------------------------ identity

interface IdentityAnswer {
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  zip: string | null;
}

const NO_IDENTITY: IdentityAnswer = { email: null, first_name: null, last_name: null, zip: null };

/** Identity details stated in the messages (what a careful reader extracts). */
export function identityIn(messages: readonly string[]): IdentityAnswer {
  const out: IdentityAnswer = { ...NO_IDENTITY };
  for (const m of messages) {
    const email = /\b([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/.exec(m);
    if (email !== null) out.email = email[1] as string;
    const name = /\bmy name is ([A-Za-z'-]+) ([A-Za-z' -]+?)(?:,| and\b|\.)/i.exec(m);
    if (name !== null) {
      out.first_name = name[1] as string;
      out.last_name = (name[2] as string).trim();
    }
    const zip = /\bzip(?: code)?(?: is)?:? (\d{5})\b/i.exec(m);
    if (zip !== null) out.zip = zip[1] as string;
  }
  return out;
}

function messagesOf(input: unknown): string[] {
  const m = (input as { customer_messages?: unknown } | null)?.customer_messages;
  return Array.isArray(m) ? m.filter((x): x is string => typeof x === 'string') : [];
}

function wrongIdentity(id: IdentityAnswer): IdentityAnswer[] {
  const out: IdentityAnswer[] = [];
  if (id.zip !== null) out.push({ ...id, zip: `${id.zip.slice(0, -1)}${(Number(id.zip.slice(-1)) + 1) % 10}` });
  if (id.email !== null) out.push({ ...id, email: id.email.replace('@', '.x@') });
  out.push(NO_IDENTITY);
  return out;
}

// ------------------------------------------------------------------ requests

const KIND_SWAP: Readonly<Record<string, string>> = {
  cancel_order: 'return_items',
  return_items: 'exchange_items',
  exchange_items: 'modify_order_items',
  modify_order_items: 'exchange_items',
  modify_order_address: 'modify_user_address',
  modify_user_address: 'modify_order_address',
  modify_order_payment: 'modify_order_items',
  info: 'other',
  transfer: 'other',
  other: 'transfer',
};

function perturbId(id: string): string {
  const last = Number(id.slice(-1));
  return Number.isNaN(last) ? `${id}0` : `${id.slice(0, -1)}${(last + 3) % 10}`;
}

function wrongRequests(rs: OracleRequest[]): OracleRequest[][] {
  if (rs.length === 0) return [[{ kind: 'other', order_id: null, details: 'unclear' }]];
  const out: OracleRequest[][] = [rs.slice(0, -1)];
  const [first, ...rest] = rs as [OracleRequest, ...OracleRequest[]];
  out.push([{ ...first, kind: KIND_SWAP[first.kind] ?? 'other' }, ...rest]);
  if (first.order_id !== null) out.push([{ ...first, order_id: perturbId(first.order_id) }, ...rest]);
  return out;
}

/** Requests a message restates (the scripted customer repeats a wish by its utterance). */
function restated(task: Task, messages: readonly string[]): OracleRequest[] {
  const text = messages.join(' ').toLowerCase();
  return wishesOf(task)
    .filter((w) => {
      const said = w.scripted?.utterance ?? '';
      return (said !== '' && text.includes(said.toLowerCase())) || text.includes(`like to ${(reverseKind(w.request.kind) ?? '').replace(/_/g, ' ')}`);
    })
    .map((w) => w.request);
}

function reverseKind(kind: string): string | undefined {
  return Object.entries(WRITE_KIND).find(([, k]) => k === kind)?.[0];
}

/**
 * A perfect classifier names only listed ids: items of an order that is not listed (not the
 * customer's) and payment methods that are not saved on the account are left out.
 */
function onlyListed(requests: OracleRequest[], input: unknown): OracleRequest[] {
  const i = input as { orders?: Array<{ order_id?: unknown }>; payment_methods?: Array<{ id?: unknown }> } | null;
  const orders = new Set((i?.orders ?? []).map((o) => str(o.order_id)));
  const pms = new Set((i?.payment_methods ?? []).map((p) => str(p.id)));
  return requests.map((r) => {
    const out: OracleRequest = { ...r };
    if (out.item_ids !== undefined && !orders.has(out.order_id)) delete out.item_ids;
    if (out.payment_method_id !== undefined && out.payment_method_id !== null && !pms.has(out.payment_method_id)) delete out.payment_method_id;
    return out;
  });
}

// ------------------------------------------------------------------ choices

interface RequestInput {
  request?: { kind?: unknown; details?: unknown } | string;
  order?: { order_id?: unknown; items?: Array<{ item_id?: unknown }> };
  payment_methods?: Array<{ id?: unknown }>;
}

function orderIdIn(input: RequestInput): string | null {
  return str(input.order?.order_id);
}

function detailsIn(input: RequestInput): string {
  const r = input.request;
  if (typeof r === 'string') return r;
  return str(r?.details) ?? '';
}

/** Gold writes of a tool on an order; with several, the one the request's details point at first. */
function goldFor(task: Task, tools: readonly string[], orderId: string | null, details: string): GoldAction | undefined {
  const cands = task.actions.filter((a) => tools.includes(a.name) && str(a.kwargs.order_id) === orderId);
  if (cands.length <= 1) return cands[0];
  return cands.find((a) => details.includes(describeWrite(a))) ?? cands.find((a) => details.includes(str(a.kwargs.payment_method_id) ?? '\u0000')) ?? cands[0];
}

/** The scripted request about an order (built-in tasks). */
function scriptedFor(task: Task, orderId: string | null, kinds: readonly string[]): Record<string, unknown> | undefined {
  const s = (task.scripted?.requests ?? []).find((r) => kinds.includes(r.kind) && str((r.args as Record<string, unknown> | undefined)?.order_id) === orderId);
  return s?.args as Record<string, unknown> | undefined;
}

function otherPayment(input: RequestInput, not: string | null): string | null {
  for (const p of input.payment_methods ?? []) {
    const id = str(p.id);
    if (id !== null && id !== not) return id;
  }
  return null;
}

const ITEM_TOOLS = ['modify_pending_order_items', 'exchange_delivered_order_items'];

function chooseItems(q: SubtaskQuestion): { answer: unknown; wrong?: unknown[] } {
  const input = q.input as RequestInput & { available_variants?: Record<string, Array<{ item_id?: unknown }>> };
  const oid = orderIdIn(input);
  const g = goldFor(q.task, ITEM_TOOLS, oid, detailsIn(input));
  let answer: { items: Array<{ item_id: string; new_item_id: string }>; payment_method_id: string | null };
  if (g !== undefined) {
    const olds = strings(g.kwargs.item_ids);
    const news = strings(g.kwargs.new_item_ids);
    answer = { items: olds.map((id, i) => ({ item_id: id, new_item_id: news[i] ?? '' })), payment_method_id: str(g.kwargs.payment_method_id) };
  } else {
    const args = scriptedFor(q.task, oid, ['modify_order_items', 'exchange_items']);
    const wishes = Array.isArray(args?.items) ? (args.items as Array<Record<string, unknown>>) : [];
    answer = {
      items: wishes.flatMap((w) => (str(w.resolved_item_id) === null ? [] : [{ item_id: str(w.item_id) as string, new_item_id: str(w.resolved_item_id) as string }])),
      payment_method_id: str(args?.payment_method_id),
    };
  }
  const wrong: unknown[] = [{ items: [], payment_method_id: answer.payment_method_id }, { ...answer, payment_method_id: otherPayment(input, answer.payment_method_id) }];
  const first = answer.items[0];
  if (first !== undefined) {
    const alt = Object.values(input.available_variants ?? {})
      .flat()
      .map((v) => str(v.item_id))
      .find((id) => id !== null && id !== first.new_item_id && id !== first.item_id);
    if (alt !== undefined && alt !== null) wrong.push({ ...answer, items: [{ ...first, new_item_id: alt }, ...answer.items.slice(1)] });
  }
  return { answer, wrong };
}

function chooseReturn(q: SubtaskQuestion): { answer: unknown; wrong?: unknown[] } {
  const input = q.input as RequestInput;
  const oid = orderIdIn(input);
  const g = goldFor(q.task, ['return_delivered_order_items'], oid, detailsIn(input));
  let answer: { item_ids: string[]; payment_method_id: string | null };
  if (g !== undefined) answer = { item_ids: strings(g.kwargs.item_ids), payment_method_id: str(g.kwargs.payment_method_id) };
  else {
    const args = scriptedFor(q.task, oid, ['return_items', 'cancel_or_return']);
    answer = { item_ids: strings(args?.item_ids), payment_method_id: str(args?.payment_method_id) };
  }
  const wrong: unknown[] = [{ ...answer, payment_method_id: otherPayment(input, answer.payment_method_id) }];
  if (answer.item_ids.length > 1) wrong.push({ ...answer, item_ids: answer.item_ids.slice(1) });
  const all = (input.order?.items ?? []).map((i) => str(i.item_id)).filter((x): x is string => x !== null);
  if (all.length > answer.item_ids.length) wrong.push({ ...answer, item_ids: all });
  return { answer, wrong };
}

function choosePayment(q: SubtaskQuestion): { answer: unknown; wrong?: unknown[] } {
  const input = q.input as RequestInput;
  const oid = orderIdIn(input);
  const g =
    goldFor(q.task, ['modify_pending_order_payment'], oid, detailsIn(input)) ??
    q.task.actions.find((a) => isWrite(a) && str(a.kwargs.order_id) === oid && str(a.kwargs.payment_method_id) !== null);
  let pm = g === undefined ? null : str(g.kwargs.payment_method_id);
  if (pm === null) {
    const args = scriptedFor(q.task, oid, ['modify_order_payment', 'modify_order_items', 'exchange_items', 'return_items']);
    pm = str(args?.payment_method_id);
  }
  return { answer: { payment_method_id: pm }, wrong: [{ payment_method_id: otherPayment(input, pm) }, { payment_method_id: null }] };
}

function extractDetails(q: SubtaskQuestion): { answer: unknown; wrong?: unknown[] } {
  const input = q.input as { asked?: unknown; customer_message?: unknown };
  const message = str(input.customer_message) ?? '';
  const writes = q.task.actions.filter(isWrite);
  switch (input.asked) {
    case 'order_id': {
      const m = /#?W?\d{7}/i.exec(message);
      const id = m === null ? null : `#W${m[0].replace(/\D/g, '')}`;
      return { answer: { order_id: id }, wrong: [{ order_id: id === null ? null : perturbId(id) }, { order_id: null }] };
    }
    case 'reason': {
      const said = ['no longer needed', 'ordered by mistake'].find((r) => message.toLowerCase().includes(r));
      const gold = writes.find((a) => a.name === 'cancel_pending_order');
      const reason = said ?? str(gold?.kwargs.reason) ?? null;
      return { answer: { reason }, wrong: [{ reason: reason === 'no longer needed' ? 'ordered by mistake' : 'no longer needed' }, { reason: null }] };
    }
    case 'address': {
      const g = writes.find((a) => a.name === 'modify_pending_order_address' || a.name === 'modify_user_address');
      const address = g === undefined ? null : addressOf(g.kwargs);
      return { answer: { address }, wrong: [{ address: null }] };
    }
    default:
      return { answer: {} };
  }
}

function locateOrders(q: SubtaskQuestion): { answer: unknown; wrong?: unknown[] } {
  const input = q.input as { requests?: Array<{ request?: unknown; kind?: unknown; details?: unknown }>; orders?: Array<{ order_id?: unknown }> };
  const wishes = wishesOf(q.task);
  const listed = (input.orders ?? []).map((o) => str(o.order_id)).filter((x): x is string => x !== null);
  const answer = (input.requests ?? []).map((r) => {
    const i = typeof r.request === 'number' ? r.request : -1;
    const byIndex = wishes[i];
    const w = byIndex !== undefined && byIndex.request.kind === r.kind ? byIndex : wishes.find((x) => x.request.details === r.details);
    const order = w?.order ?? null;
    return { request: i, order_id: order !== null && listed.includes(order) ? order : null };
  });
  const wrong = answer.length === 0 ? [] : [answer.map((a) => ({ ...a, order_id: listed.find((o) => o !== a.order_id) ?? null }))];
  return { answer: { orders: answer }, wrong };
}

function chooseProduct(q: SubtaskQuestion): { answer: unknown; wrong?: unknown[] } {
  const input = q.input as { customer_wants?: unknown; product_types?: Record<string, unknown> };
  const types = Object.entries(input.product_types ?? {});
  const want = (str(input.customer_wants) ?? '').toLowerCase();
  const scripted = (q.task.scripted?.requests ?? []).map((r) => str((r.args as Record<string, unknown> | undefined)?.product_id)).filter((x): x is string => x !== null);
  const byId = types.find(([, id]) => scripted.includes(str(id) ?? ''));
  const byName = types.filter(([name]) => want.includes(name.toLowerCase())).sort((a, b) => b[0].length - a[0].length)[0];
  const id = str((byId ?? byName)?.[1]);
  return { answer: { product_id: id }, wrong: [{ product_id: null }, { product_id: str(types.find(([, x]) => str(x) !== id)?.[1]) }] };
}

function answerQuestion(q: SubtaskQuestion): { answer: unknown; wrong?: unknown[] } {
  const facts = [...q.task.outputs, ...(q.task.evaluation?.communicateInfo ?? [])];
  const scripted = (q.task.scripted?.requests ?? []).map((r) => str((r.args as Record<string, unknown> | undefined)?.answer)).filter((x): x is string => x !== null);
  const all = [...new Set([...facts, ...scripted])];
  const answer = all.length === 0 ? 'I am sorry, I do not have that information.' : `Here is what you asked about: ${all.join('; ')}.`;
  return { answer: { answer }, wrong: [{ answer: 'I am sorry, I do not have that information.' }] };
}

/** The oracles of every retail sub-task, by name. */
export const retailOracles: Readonly<Record<string, SubtaskOracle>> = {
  understand_requests: (q) => {
    const requests = onlyListed(requestsOf(q.task), q.input);
    return { answer: { requests }, wrong: wrongRequests(requests).map((rs) => ({ requests: rs })) };
  },
  extract_identity: (q) => {
    const identity = identityIn(messagesOf(q.input));
    return { answer: identity, wrong: wrongIdentity(identity) };
  },
  classify_requests: (q) => {
    const requests = onlyListed(restated(q.task, messagesOf(q.input)), q.input);
    return { answer: { requests }, wrong: [{ requests: requestsOf(q.task).slice(0, 1) }] };
  },
  locate_orders: locateOrders,
  extract_details: extractDetails,
  choose_items: chooseItems,
  choose_return: chooseReturn,
  choose_payment_method: choosePayment,
  choose_product: chooseProduct,
  confirm_yes_no: (q) => {
    const reply = str((q.input as { customer_reply?: unknown } | null)?.customer_reply) ?? '';
    const yes = isAffirmative(reply);
    return { answer: { yes }, wrong: [{ yes: !yes }] };
  },
  answer_question: answerQuestion,
  // Reply wording (`replies: 'llm'`): a perfect wording says the draft, which has every fact.
  'say:confirm': (q) => ({ answer: draftOf(q.input) }),
  'say:results': (q) => ({ answer: draftOf(q.input) }),
};

function draftOf(input: unknown): string {
  return str((input as { draft?: unknown } | null)?.draft) ?? '';
}
