/**
 * A small but complete blueprint over the fake domain, used by the engine, replay and export
 * tests: several requests per conversation (bounded loop), intent classification and order-id
 * extraction as LLM sub-tasks with fallbacks, a read tool, a policy-checked and confirmed write,
 * a foreach over the customer's orders, a transfer, and a random draw. Plus the scripted user and
 * model that play it.
 */
import { z } from 'zod';
import type { PyObject, PyValue } from '../../core/py/py-value.js';
import type { ChatRequest } from '../../models/types.js';
import { defineBlueprint } from '../define.js';
import { seededRandom as rng } from '../../core/rng.js';
import { subtaskOf } from './fake-session.js';

export interface DeskCtx {
  userText: string;
  intent: 'status' | 'cancel' | 'all' | 'bye' | 'other' | null;
  orderId: string | null;
  order: PyObject | null;
  notFound: boolean;
  confirmed: boolean;
  myOrders: string[];
  statuses: string[];
  farewell: number;
  handled: number;
}

const INTENTS = ['status', 'cancel', 'all', 'bye', 'other'] as const;

export const orderDesk = defineBlueprint({
  id: 'order-desk',
  version: '1',
  domain: 'fake',
  description: 'Answers order questions and cancels pending orders.',
  approvedTools: ['get_order', 'cancel_order', 'transfer_to_human'],
  context: (info): DeskCtx => ({
    userText: info.firstUserMessage ?? '',
    intent: null,
    orderId: null,
    order: null,
    notFound: false,
    confirmed: false,
    myOrders: ['#1', '#2', '#3'],
    statuses: [],
    farewell: 0,
    handled: 0,
  }),
  start: 'init',
  nodes: (n) => [
    n.code('init', { run: (c, rt) => void (c.farewell = Math.floor(rt.random() * 2)), next: 'requests' }),
    n.loop('requests', {
      description: 'one customer request per iteration',
      maxIterations: 4,
      while: (c) => c.intent !== 'bye',
      body: 'classify',
      exit: 'goodbye',
      onExhausted: 'transfer',
    }),
    n.llm('classify', {
      task: 'classify_intent',
      instructions: 'Classify what the customer asks for.',
      input: (c) => ({ message: c.userText, intents: [...INTENTS] }),
      schema: z.object({ intent: z.enum(INTENTS) }),
      onResult: (c, out) => {
        c.intent = out.intent;
      },
      next: 'route_intent',
      fallback: 'ask_again',
    }),
    n.route('route_intent', {
      targets: ['extract', 'each_order', 'requests', 'transfer'],
      choose: (c) => (c.intent === 'status' || c.intent === 'cancel' ? 'extract' : c.intent === 'all' ? 'each_order' : c.intent === 'bye' ? 'requests' : 'transfer'),
    }),
    n.llm('extract', {
      task: 'extract_order_id',
      instructions: 'Extract the order id the customer means.',
      input: (c) => ({ message: c.userText }),
      schema: z.object({ order_id: z.string().regex(/^#\d+$/) }),
      check: (out) => (out.order_id.length > 5 ? 'order ids are short' : undefined),
      onResult: (c, out) => {
        c.orderId = out.order_id;
      },
      maxAttempts: 2,
      next: 'get_order',
      fallback: 'ask_again',
    }),
    n.tool('get_order', {
      tool: 'get_order',
      args: { order_id: (c) => c.orderId ?? '' },
      onResult: (c, r) => {
        const v = r.json();
        c.order = r.error ? null : (v as PyObject);
        c.notFound = r.error;
      },
      next: 'after_get',
      onError: 'not_found',
    }),
    n.branch('after_get', { test: (c) => c.intent === 'status', then: 'tell_status', else: 'confirm' }),
    n.say('tell_status', {
      text: (c) => `Order ${c.orderId} is ${String(c.order?.status)}. Anything else?`,
      word: { task: 'order_status', facts: (c) => ({ order_id: c.orderId, status: c.order?.status ?? null }) },
      onReply: (c, r) => {
        c.userText = r;
      },
      next: 'done_request',
    }),
    n.say('confirm', {
      text: (c) => `Shall I cancel order ${c.orderId} (${(c.order?.items as PyValue[]).join(', ')})? (yes/no)`,
      onReply: (c, r) => {
        c.userText = r;
      },
      next: 'yes_no',
    }),
    n.llm('yes_no', {
      task: 'confirm_yes_no',
      instructions: 'Did the customer say yes?',
      input: (c) => ({ message: c.userText }),
      schema: z.object({ yes: z.boolean() }),
      onResult: (c, out) => {
        c.confirmed = out.yes;
      },
      next: 'do_cancel',
      fallback: 'kept',
    }),
    n.tool('do_cancel', {
      tool: 'cancel_order',
      pre: { confirmed: (c) => c.confirmed, pending: (c) => c.order?.status === 'pending' },
      onPreFail: 'kept',
      args: { order_id: (c) => c.orderId ?? '', reason: 'no longer needed' },
      onResult: (c, r) => {
        c.order = r.json() as PyObject;
      },
      post: { cancelled: (c) => c.order?.status === 'cancelled' },
      next: 'tell_cancelled',
    }),
    n.say('tell_cancelled', { text: (c) => `Order ${c.orderId} is cancelled. Anything else?`, onReply: (c, r) => void (c.userText = r), next: 'done_request' }),
    n.say('kept', {
      text: (c) => (c.order?.status === 'pending' ? `Order ${c.orderId} stays as it is. Anything else?` : `Order ${c.orderId} cannot be cancelled: it is ${String(c.order?.status)}. Anything else?`),
      onReply: (c, r) => void (c.userText = r),
      next: 'done_request',
    }),
    n.say('not_found', { text: (c) => `I could not find order ${c.orderId}. Anything else?`, onReply: (c, r) => void (c.userText = r), next: 'done_request' }),
    n.foreach('each_order', {
      maxIterations: 5,
      items: (c) => c.myOrders,
      bind: (c, id) => {
        c.orderId = id;
      },
      body: 'get_each',
      exit: 'tell_all',
    }),
    n.tool('get_each', {
      tool: 'get_order',
      args: { order_id: (c) => c.orderId ?? '' },
      onResult: (c, r) => {
        c.statuses.push(`${c.orderId}: ${String((r.json() as PyObject).status)}`);
      },
      next: 'each_order',
    }),
    n.say('tell_all', { text: (c) => `Your orders: ${c.statuses.join('; ')}. Anything else?`, onReply: (c, r) => void (c.userText = r), next: 'done_request' }),
    n.say('ask_again', { text: () => 'Sorry, I did not understand. Could you rephrase?', onReply: (c, r) => void (c.userText = r), next: 'requests' }),
    n.code('done_request', {
      run: (c) => {
        c.handled++;
        c.orderId = null;
        c.order = null;
        c.confirmed = false;
        c.notFound = false;
        c.statuses = [];
        c.intent = null;
      },
      next: 'requests',
    }),
    n.say('goodbye', { text: (c) => (c.farewell === 0 ? 'Goodbye!' : 'Have a nice day!'), next: 'finished' }),
    n.end('finished', { reason: 'resolved' }),
    n.tool('transfer', { tool: 'transfer_to_human', args: { summary: (c) => `customer said: ${c.userText}` }, next: 'transferred' }),
    n.end('transferred', { reason: 'transferred' }),
  ],
});

/** One customer request of a scripted episode. */
export interface ScriptRequest {
  text: string;
  /** Answer to a yes/no confirmation. */
  confirm?: 'yes' | 'no';
  /** What the customer says when asked to rephrase. Default: `text` again. */
  rephrase?: string;
}

/** A scripted episode: the customer's requests, and how noisy the model is. */
export interface Script {
  requests: ScriptRequest[];
  /** Probability that a sub-task answer is invalid (then the next attempt may be fine). */
  noise: number;
  /** End with `###STOP###` instead of saying bye. */
  stop: boolean;
  seed: number;
}

/** A scripted user for {@link orderDesk}: works through the requests, then says bye or stops. Stateful: one per episode. */
export function scriptedUser(original: Script): { first: string; user: (agentText: string) => string } {
  const script: Script = { ...original, requests: [...original.requests] };
  let i = 0;
  const current = (): ScriptRequest | undefined => script.requests[i];
  return {
    first: script.requests[0]?.text ?? 'bye',
    user: (agentText) => {
      if (agentText.includes('(yes/no)')) return current()?.confirm ?? 'no';
      if (agentText.includes('rephrase')) {
        const now = current();
        if (now === undefined) return 'bye';
        if (now.rephrase !== undefined) script.requests[i] = { text: now.rephrase };
        return now.rephrase ?? now.text;
      }
      if (agentText.includes('Anything else?')) {
        i++;
        const next = current();
        if (next !== undefined) return next.text;
        return script.stop ? '###STOP###' : "That's all, bye";
      }
      if (agentText === 'Goodbye!' || agentText === 'Have a nice day!') return 'Thanks!';
      return '###STOP###';
    },
  };
}

/** A scripted sub-task model: reads the question from the privileged sub-task, sometimes answers badly. */
export function scriptedModel(script: Script): (request: ChatRequest) => string {
  const random = rng(script.seed * 7919 + 13);
  return (request) => {
    const { name, input } = subtaskOf(request);
    const message = String((input as { message?: unknown }).message ?? '');
    if (random() < script.noise) {
      const bad = ['not json at all', '{"intent": "refund"}', '{"order_id": "12"}', '{"yes": "maybe"}', '```json\n{"order_id": "#123456"}\n```'];
      return bad[Math.floor(random() * bad.length)] as string;
    }
    switch (name) {
      case 'classify_intent': {
        const m = message.toLowerCase();
        const intent = m.includes('cancel') ? 'cancel' : m.includes('status') ? 'status' : m.includes('all my') ? 'all' : m.includes('bye') ? 'bye' : m.includes('refund') ? 'other' : 'unclear';
        return JSON.stringify({ intent });
      }
      case 'extract_order_id':
        return `\`\`\`json\n${JSON.stringify({ order_id: /#\d+/.exec(message)?.[0] ?? 'none' })}\n\`\`\``;
      case 'confirm_yes_no':
        return JSON.stringify({ yes: /\byes\b/i.test(message) });
      default:
        return `Worded: ${JSON.stringify((input as { facts?: unknown }).facts)}`;
    }
  };
}

/** The i-th of a family of varied scripts. */
export function makeScript(i: number): Script {
  const r = rng(1000 + i);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const n = 1 + Math.floor(r() * 3);
  const requests: ScriptRequest[] = [];
  for (let k = 0; k < n; k++) {
    const id = pick(['#1', '#2', '#3', '#9']);
    const kind = pick(['status', 'status', 'cancel', 'cancel', 'cancel', 'all', 'other', 'gibberish', 'gibberish']);
    if (kind === 'status') requests.push({ text: `What is the status of order ${id}?` });
    else if (kind === 'cancel') requests.push({ text: `Please cancel order ${id}.`, confirm: pick(['yes', 'yes', 'no'] as const) });
    else if (kind === 'all') requests.push({ text: 'Show me all my orders.' });
    else if (kind === 'other') requests.push({ text: 'I want a refund for my wife.' });
    else requests.push({ text: 'blorp', rephrase: `Status of order ${id}, please.` });
  }
  return { requests, noise: pick([0, 0, 0.2, 0.5]), stop: r() < 0.3, seed: i };
}
