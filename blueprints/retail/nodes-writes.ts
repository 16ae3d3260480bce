/**
 * Confirmation and the writes. Every write goes: policy gate (code) → the exact details said to
 * the customer with a yes/no question → the customer's answer judged by a yes/no sub-task → the
 * write tool, whose node re-checks "confirmed" and every policy rule as preconditions → result.
 */
import type { NodeFactory } from '../../src/blueprint/define.js';
import type { BlueprintNode, ToolArg } from '../../src/blueprint/types.js';
import { confirmText, doneText, refusalText, withNotices } from './messages.js';
import { answered } from './nodes-conversation.js';
import { paymentOf, planRefusal, writeChecks } from './policy.js';
import { INSTRUCTIONS, SUBTASK, WORDING, yesNoSchema } from './subtasks.js';
import type { Plan, RetailCtx, WriteTool } from './types.js';
import { isGiftCard, parseOrder, parseUser } from './views.js';
import { plainAnswer } from './parse.js';

type N = NodeFactory<RetailCtx>;

/** Node id of each write tool's node. */
export const WRITE_NODES: Readonly<Record<WriteTool, string>> = {
  cancel_pending_order: 'write_cancel',
  modify_pending_order_address: 'write_order_address',
  modify_pending_order_payment: 'write_payment',
  modify_pending_order_items: 'write_items',
  exchange_delivered_order_items: 'write_exchange',
  return_delivered_order_items: 'write_return',
  modify_user_address: 'write_user_address',
};

const plan = (c: Readonly<RetailCtx>): Plan => c.plan as Plan;

const addressArgs = {
  address1: (c: Readonly<RetailCtx>) => plan(c).address?.address1 ?? '',
  address2: (c: Readonly<RetailCtx>) => plan(c).address?.address2 ?? '',
  city: (c: Readonly<RetailCtx>) => plan(c).address?.city ?? '',
  state: (c: Readonly<RetailCtx>) => plan(c).address?.state ?? '',
  country: (c: Readonly<RetailCtx>) => plan(c).address?.country ?? '',
  zip: (c: Readonly<RetailCtx>) => plan(c).address?.zip ?? '',
};

const TOOL_ARGS: Readonly<Record<WriteTool, Readonly<Record<string, ToolArg<RetailCtx>>>>> = {
  cancel_pending_order: { order_id: (c) => plan(c).orderId ?? '', reason: (c) => plan(c).reason ?? '' },
  modify_pending_order_address: { order_id: (c) => plan(c).orderId ?? '', ...addressArgs },
  modify_pending_order_payment: { order_id: (c) => plan(c).orderId ?? '', payment_method_id: (c) => plan(c).paymentMethodId ?? '' },
  modify_pending_order_items: {
    order_id: (c) => plan(c).orderId ?? '',
    item_ids: (c) => plan(c).swaps.map((s) => s.itemId),
    new_item_ids: (c) => plan(c).swaps.map((s) => s.newItemId),
    payment_method_id: (c) => plan(c).paymentMethodId ?? '',
  },
  exchange_delivered_order_items: {
    order_id: (c) => plan(c).orderId ?? '',
    item_ids: (c) => plan(c).swaps.map((s) => s.itemId),
    new_item_ids: (c) => plan(c).swaps.map((s) => s.newItemId),
    payment_method_id: (c) => plan(c).paymentMethodId ?? '',
  },
  return_delivered_order_items: { order_id: (c) => plan(c).orderId ?? '', item_ids: (c) => plan(c).itemIds, payment_method_id: (c) => plan(c).paymentMethodId ?? '' },
  modify_user_address: { user_id: (c) => c.userId ?? '', ...addressArgs },
};

/** Whether a done write moved money on a gift card (the customer's balances must be read again). */
function touchedGiftCard(c: Readonly<RetailCtx>): boolean {
  const p = c.plan;
  if (p === null) return false;
  const ids = new Set<string>();
  if (p.paymentMethodId !== null) ids.add(p.paymentMethodId);
  const o = p.orderId === null ? undefined : c.orders[p.orderId];
  if (p.tool === 'cancel_pending_order' || p.tool === 'modify_pending_order_payment') for (const t of o?.payments ?? []) ids.add(t.method);
  if (p.tool === 'exchange_delivered_order_items' || p.tool === 'return_delivered_order_items' || p.tool === 'modify_pending_order_address') return false;
  return [...ids].some((id) => isGiftCard(paymentOf(c.user, id), id));
}

function writeNode(n: N, tool: WriteTool): BlueprintNode<RetailCtx> {
  return n.tool(WRITE_NODES[tool], {
    tool,
    pre: writeChecks(tool),
    onPreFail: 'write_blocked',
    args: TOOL_ARGS[tool],
    onResult: (c, r) => {
      c.writeError = r.error ? r.observation : null;
      if (r.error) return;
      if (tool === 'modify_user_address') {
        const u = parseUser(r.json(), c.userId ?? '');
        if (u !== null && c.user !== null) c.user = { ...c.user, address: u.address };
      } else {
        const o = parseOrder(r.json());
        if (o !== null) c.orders[o.id] = o;
      }
    },
    next: 'after_write',
    onError: 'write_failed',
  });
}

/** Gate, confirmation, writes and their results. */
export function writeNodes(n: N): BlueprintNode<RetailCtx>[] {
  return [
    n.code('plan_gate', {
      description: 'policy rules on the plan, before asking the customer',
      run: (c) => {
        if (c.plan !== null) c.refusal = planRefusal(c, c.plan);
        else c.refusal ??= 'there is nothing to change';
      },
      next: 'plan_ok',
    }),
    n.branch('plan_ok', { test: (c) => c.refusal === null && c.plan !== null, then: 'confirm', else: 'refuse' }),
    n.say('confirm', {
      description: 'the exact details, and an explicit yes/no question',
      text: (c) => withNotices(c, confirmText(plan(c))),
      word: {
        task: WORDING.confirm,
        facts: (c) => ({ before: c.notices, action: plan(c).summary }),
        instructions: 'Say the results first if any, then every detail of the action, and end by asking the customer to confirm with yes or no.',
      },
      onReply: (c, r) => {
        answered(c, r);
        c.confirmed = plainAnswer(r) === 'yes';
      },
      next: 'plain_answer',
    }),
    n.route('plain_answer', {
      description: 'a plain "yes" or "no" is read by code; anything else by the sub-task',
      targets: ['yes_no', 'confirmed_route', 'declined'],
      choose: (c) => {
        const a = plainAnswer(c.lastReply);
        return a === null ? 'yes_no' : a === 'yes' ? 'confirmed_route' : 'declined';
      },
    }),
    n.llm('yes_no', {
      task: SUBTASK.yesNo,
      instructions: INSTRUCTIONS.yesNo,
      input: (c) => ({ proposed_action: (plan(c).summary.split('. ')[0] ?? '').slice(0, 300), customer_reply: c.lastReply }),
      schema: yesNoSchema,
      onResult: (c, out) => {
        c.confirmed = out.yes;
      },
      next: 'confirmed_route',
      fallback: 'declined',
    }),
    n.route('confirmed_route', {
      targets: ['declined', ...Object.values(WRITE_NODES)],
      choose: (c) => (c.confirmed ? WRITE_NODES[plan(c).tool] : 'declined'),
    }),
    n.code('declined', {
      run: (c) => {
        c.confirmed = false;
        c.notices.push('All right, I have not made that change.');
      },
      next: 'requests',
    }),
    ...(Object.keys(WRITE_NODES) as WriteTool[]).map((t) => writeNode(n, t)),
    n.code('write_blocked', {
      description: 'a precondition of the write failed: nothing is written',
      run: (c) => {
        const why = c.plan === null ? 'there is nothing to change' : (planRefusal(c, c.plan) ?? 'you did not confirm it');
        c.notices.push(refusalText(why));
      },
      next: 'requests',
    }),
    n.code('write_failed', {
      run: (c) => {
        c.notices.push(`The change could not be made (${(c.writeError ?? '').replace(/^Error:\s*/, '')}).`);
      },
      next: 'requests',
    }),
    n.code('after_write', {
      run: (c) => {
        c.writes++;
        c.notices.push(doneText(plan(c)));
      },
      next: 'reload_needed',
    }),
    n.branch('reload_needed', { description: 'gift card balances changed', test: touchedGiftCard, then: 'reload_user', else: 'requests' }),
    n.tool('reload_user', {
      tool: 'get_user_details',
      args: { user_id: (c) => c.userId ?? '' },
      onResult: (c, r) => {
        const u = r.error ? null : parseUser(r.json(), c.userId ?? '');
        if (u !== null) c.user = u;
      },
      next: 'requests',
    }),
  ];
}
