/**
 * Decisions into actions: a refused request is explained, a transfer is queued, an allowed write
 * is described in full and needs the customer's explicit yes (read by code when it is plain, by a
 * yes/no sub-task otherwise). Every write node re-runs the policy decision in its `pre`.
 */
import type { BlueprintNode, NodeFactory, ToolOutcome } from '../../src/blueprint/index.js';
import { finish, heard, type AirCtx, type Plan } from './context.js';
import { recheck } from './decide.js';
import { remember } from './nodes-lookup.js';
import { money, parseReservation } from './records.js';
import { SUBTASKS, WORDING, yesNoAnswer } from './requests.js';
import { confirmText, pmText } from './text.js';

/** A plain yes or no read by code; null when the reply needs the model. */
export function quickYesNo(text: string): 'yes' | 'no' | null {
  const t = text.trim().toLowerCase();
  const negated = /\b(not|don't|do not|no longer|never|wait|but)\b/.test(t);
  if (/^(yes|yeah|yep|yup|sure|ok|okay|confirm(ed)?|correct|absolutely|of course|go ahead|please (do|proceed|go ahead)|proceed)\b/.test(t) && !negated) return 'yes';
  if (/^(no|nope|nah|don't|do not)\b/.test(t)) return 'no';
  return null;
}

type Kind = Plan['kind'];

function planOf<K extends Kind>(c: Readonly<AirCtx>, kind: K): Extract<Plan, { kind: K }> {
  const p = c.plan;
  if (p === null || p.kind !== kind) throw new Error(`no pending ${kind} write`);
  return p as Extract<Plan, { kind: K }>;
}

/** Preconditions shared by every write: who, consent, and the policy decided again. */
function guard(kind: Kind): Record<string, (c: Readonly<AirCtx>) => boolean> {
  return {
    authenticated: (c) => c.profile !== null,
    confirmed: (c) => c.answer === 'yes',
    [`planned_${kind}`]: (c) => c.plan?.kind === kind,
    policy: (c) => recheck(c),
  };
}

function failed(c: AirCtx, r: ToolOutcome): boolean {
  if (!r.error) return false;
  c.notes.push(`I am sorry, but the change could not be made: ${r.observation.replace(/^Error:\s*/, '')}.`);
  finish(c, 'failed', r.observation);
  return true;
}

/** Keeps the profile's gift card balances in step with a charge (negative: a refund). */
function charge(c: AirCtx, pmId: string, amount: number): void {
  if (amount === 0) return;
  c.ledger.push({ payment_id: pmId, amount });
  const pm = c.profile?.payment_methods.find((p) => p.id === pmId);
  if (pm !== undefined && pm.source === 'gift_card' && pm.amount !== null) pm.amount -= amount;
}

/** Nodes: refusals, transfers, the confirmation, and the six write tools. */
export function writeNodes(n: NodeFactory<AirCtx>): BlueprintNode<AirCtx>[] {
  return [
    n.route('verdict_route', {
      description: 'what the policy decided',
      targets: ['skip_request', 'confirm', 'note_transfer', 'refuse'],
      choose: (c) => {
        if (c.skipNote !== null) return 'skip_request';
        const v = c.verdict;
        if (v !== null && v.ok && c.plan !== null) return 'confirm';
        return v !== null && !v.ok && v.outcome === 'transfer' ? 'note_transfer' : 'refuse';
      },
    }),
    n.code('refuse', {
      run: (c) => {
        const v = c.verdict;
        const reason = v !== null && !v.ok ? v.reason : 'the request could not be checked';
        c.notes.push(`I am sorry, but I cannot do that: ${reason}.`);
        finish(c, 'refused', reason, v !== null && !v.ok ? v.rule : null);
      },
      next: 'request_done',
    }),
    n.code('note_transfer', {
      run: (c) => {
        const v = c.verdict;
        const reason = v !== null && !v.ok ? v.reason : '';
        c.transfers.push(`Request: ${c.req?.kind.replace(/_/g, ' ') ?? 'unknown'}; ${reason}.`);
        finish(c, 'transfer', reason, v !== null && !v.ok ? v.rule : null);
      },
      next: 'request_done',
    }),
    n.code('skip_request', {
      run: (c) => {
        c.notes.push(c.skipNote ?? '');
        finish(c, 'declined', c.skipNote ?? '');
      },
      next: 'request_done',
    }),

    // ---- explicit confirmation
    n.say('confirm', {
      description: 'every detail of the write, then yes or no',
      text: (c) => (c.plan === null ? '' : confirmText(c, c.plan)),
      word: { task: WORDING.confirm, facts: (c) => ({ notes: c.notes, action: c.plan?.summary ?? null, question: 'yes or no' }) },
      onReply: (c, r) => {
        c.notes = [];
        heard(c, r);
        c.answer = quickYesNo(r);
      },
      next: 'answer_known',
    }),
    n.branch('answer_known', { test: (c) => c.answer !== null, then: 'write_route', else: 'yes_no' }),
    n.llm('yes_no', {
      task: SUBTASKS.yesNo,
      instructions: 'Did the customer clearly agree to the proposed action? Answer "yes" only for an explicit yes.',
      input: (c) => ({ proposed: c.plan?.summary ?? '', reply: c.reply }),
      schema: yesNoAnswer,
      onResult: (c, out) => {
        c.answer = out.answer;
      },
      next: 'write_route',
      fallback: 'declined',
      onFallback: (c) => {
        c.answer = 'no';
      },
    }),
    n.route('write_route', {
      targets: ['declined', 'write_book', 'write_cancel', 'write_flights', 'write_bags', 'write_passengers', 'write_certificate'],
      choose: (c) => {
        if (c.answer !== 'yes' || c.plan === null) return 'declined';
        const targets: Record<Kind, string> = {
          book: 'write_book',
          cancel: 'write_cancel',
          update_flights: 'write_flights',
          update_bags: 'write_bags',
          update_passengers: 'write_passengers',
          certificate: 'write_certificate',
        };
        return targets[c.plan.kind];
      },
    }),
    n.code('declined', {
      run: (c) => {
        c.notes.push('Understood, I have not made that change.');
        finish(c, 'declined', 'customer said no');
      },
      next: 'request_done',
    }),
    n.code('write_blocked', {
      run: (c) => {
        c.notes.push('I am sorry, but I could not complete that change.');
        finish(c, 'failed', 'precondition failed');
      },
      next: 'request_done',
    }),

    // ---- the writes
    n.tool('write_book', {
      tool: 'book_reservation',
      pre: guard('book'),
      onPreFail: 'write_blocked',
      args: {
        user_id: (c) => planOf(c, 'book').args.user_id,
        origin: (c) => planOf(c, 'book').args.origin,
        destination: (c) => planOf(c, 'book').args.destination,
        flight_type: (c) => planOf(c, 'book').args.flight_type,
        cabin: (c) => planOf(c, 'book').args.cabin,
        flights: (c) => planOf(c, 'book').args.flights.map((f) => ({ flight_number: f.flight_number, date: f.date })),
        passengers: (c) => planOf(c, 'book').args.passengers.map((p) => ({ first_name: p.first_name, last_name: p.last_name, dob: p.dob })),
        payment_methods: (c) => planOf(c, 'book').args.payment_methods.map((p) => ({ payment_id: p.payment_id, amount: p.amount })),
        total_baggages: (c) => planOf(c, 'book').args.total_baggages,
        nonfree_baggages: (c) => planOf(c, 'book').args.nonfree_baggages,
        insurance: (c) => planOf(c, 'book').args.insurance,
      },
      onResult: (c, r) => {
        if (failed(c, r)) return;
        const plan = planOf(c, 'book');
        const res = parseReservation(r.json());
        if (res !== null) {
          remember(c, res);
          c.profile?.reservations.push(res.reservation_id);
        }
        for (const p of plan.args.payment_methods) {
          const pm = c.profile?.payment_methods.find((m) => m.id === p.payment_id);
          if (pm?.source === 'certificate' && c.profile !== null) c.profile.payment_methods = c.profile.payment_methods.filter((m) => m.id !== pm.id);
          charge(c, p.payment_id, p.amount);
        }
        c.notes.push(`Your reservation ${res?.reservation_id ?? ''} is booked. You paid $${money(plan.total)}: ${plan.args.payment_methods.map((p) => `$${money(p.amount)} with ${p.payment_id}`).join(', ')}.`);
        finish(c, 'done', `booked ${res?.reservation_id ?? ''}`);
      },
      next: 'request_done',
    }),
    n.tool('write_cancel', {
      tool: 'cancel_reservation',
      pre: guard('cancel'),
      onPreFail: 'write_blocked',
      args: { reservation_id: (c) => planOf(c, 'cancel').reservation_id },
      onResult: (c, r) => {
        if (failed(c, r)) return;
        const res = parseReservation(r.json());
        if (res !== null) remember(c, res);
        const id = planOf(c, 'cancel').reservation_id;
        c.changed.push(id);
        c.notes.push(`Reservation ${id} is cancelled. The refund will go back to the original payment methods within 5 to 7 business days.`);
        finish(c, 'done', `cancelled ${id}`);
      },
      next: 'request_done',
    }),
    n.tool('write_flights', {
      tool: 'update_reservation_flights',
      pre: guard('update_flights'),
      onPreFail: 'write_blocked',
      args: {
        reservation_id: (c) => planOf(c, 'update_flights').reservation_id,
        cabin: (c) => planOf(c, 'update_flights').cabin,
        flights: (c) => planOf(c, 'update_flights').flights.map((f) => ({ flight_number: f.flight_number, date: f.date })),
        payment_id: (c) => planOf(c, 'update_flights').payment_id,
      },
      onResult: (c, r) => {
        if (failed(c, r)) return;
        const plan = planOf(c, 'update_flights');
        const res = parseReservation(r.json());
        if (res !== null) {
          remember(c, res);
          if (res.cabin !== plan.cabin) c.cabinOverride[res.reservation_id] = plan.cabin;
          else delete c.cabinOverride[res.reservation_id];
        }
        c.changed.push(plan.reservation_id);
        charge(c, plan.payment_id, plan.difference);
        const money_ = plan.difference > 0 ? ` $${money(plan.difference)} was charged to your ${pmText(c.profile, plan.payment_id)}.` : plan.difference < 0 ? ` $${money(-plan.difference)} was refunded to your ${pmText(c.profile, plan.payment_id)}.` : '';
        c.notes.push(`Reservation ${plan.reservation_id} is updated.${money_}`);
        finish(c, 'done', `updated ${plan.reservation_id}`);
      },
      next: 'request_done',
    }),
    n.tool('write_bags', {
      tool: 'update_reservation_baggages',
      pre: guard('update_bags'),
      onPreFail: 'write_blocked',
      args: {
        reservation_id: (c) => planOf(c, 'update_bags').reservation_id,
        total_baggages: (c) => planOf(c, 'update_bags').total_baggages,
        nonfree_baggages: (c) => planOf(c, 'update_bags').nonfree_baggages,
        payment_id: (c) => planOf(c, 'update_bags').payment_id,
      },
      onResult: (c, r) => {
        if (failed(c, r)) return;
        const plan = planOf(c, 'update_bags');
        const res = parseReservation(r.json());
        if (res !== null) remember(c, res);
        c.changed.push(plan.reservation_id);
        charge(c, plan.payment_id, plan.price);
        c.notes.push(`Reservation ${plan.reservation_id} now has ${plan.total_baggages} checked bag(s).${plan.price > 0 ? ` $${money(plan.price)} was charged.` : ''}`);
        finish(c, 'done', `bags ${plan.reservation_id}`);
      },
      next: 'request_done',
    }),
    n.tool('write_passengers', {
      tool: 'update_reservation_passengers',
      pre: guard('update_passengers'),
      onPreFail: 'write_blocked',
      args: {
        reservation_id: (c) => planOf(c, 'update_passengers').reservation_id,
        passengers: (c) => planOf(c, 'update_passengers').passengers.map((p) => ({ first_name: p.first_name, last_name: p.last_name, dob: p.dob })),
      },
      onResult: (c, r) => {
        if (failed(c, r)) return;
        const plan = planOf(c, 'update_passengers');
        const res = parseReservation(r.json());
        if (res !== null) remember(c, res);
        c.changed.push(plan.reservation_id);
        c.notes.push(`The passengers of reservation ${plan.reservation_id} are updated.`);
        finish(c, 'done', `passengers ${plan.reservation_id}`);
      },
      next: 'request_done',
    }),
    n.tool('write_certificate', {
      tool: 'send_certificate',
      pre: guard('certificate'),
      onPreFail: 'write_blocked',
      args: { user_id: (c) => planOf(c, 'certificate').user_id, amount: (c) => planOf(c, 'certificate').amount },
      onResult: (c, r) => {
        if (failed(c, r)) return;
        const plan = planOf(c, 'certificate');
        c.compensated.push(plan.reservation_id);
        c.notes.push(`A travel certificate of $${money(plan.amount)} has been added to your profile.`);
        finish(c, 'done', `certificate ${plan.amount}`);
      },
      next: 'request_done',
    }),
  ];
}
