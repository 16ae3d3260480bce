/**
 * Looking things up: the reservation a request is about (cached within the conversation), the
 * departure times needed to know whether a segment dated today is flown, the first policy gate
 * (ownership, status, flown segments), and the search stages the flows use (one per use).
 */
import type { BlueprintNode, NodeFactory, ToolOutcome } from '../../src/blueprint/index.js';
import { finish, requestReservation, type AirCtx, type SearchJob } from './context.js';
import { changeable, flightKey, segmentsNeedingTime, type Verdict } from './policy.js';
import { parseDirect, parseOnestop, parseReservation, type FlightOffer, type Reservation } from './records.js';

/** Where each request kind goes once its reservation is known and has passed the gate. */
export const FLOW_STARTS = ['cancel_check', 'plan_change', 'cabin_prices', 'bags_check', 'pax_check', 'comp_check', 'status_prepare', 'info_answer'] as const;

const refuse = (rule: 'reservation_not_owned' | 'passenger_count' | 'insurance_after_booking', reason: string): Verdict => ({ ok: false, outcome: 'refuse', rule, reason });

/** The next day of a May 2024 date. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A direct search job; `flight`: the one flight it is for (null: keep every offer). */
export function direct(origin: string, destination: string, date: string, purpose: SearchJob['purpose'], flight: string | null = null, direction: SearchJob['direction'] = null): SearchJob {
  return { tool: 'direct', origin, destination, date, purpose, direction, flight };
}

/** Keeps the latest state of a reservation (read or returned by a write) for the rest of the conversation. */
export function remember(c: AirCtx, res: Reservation): void {
  c.resCache[res.reservation_id] = res;
}

/** Departure times of every listed flight; the offers themselves only for the flight a job is for (keeps the logged context small). */
function record(c: AirCtx, offers: readonly FlightOffer[]): void {
  const only = c.job?.flight ?? null;
  for (const o of offers) {
    if (o.depart !== '') c.departures[o.flight_number] = o.depart;
    if (c.job?.purpose === 'time' || (only !== null && o.flight_number !== only)) continue;
    const key = flightKey(o.flight_number, o.date);
    const had = c.offers[key];
    if (had === undefined || !had.reliable || o.reliable) c.offers[key] = o;
  }
}

function storeDirect(c: AirCtx, r: ToolOutcome): void {
  const job = c.job;
  if (job === null || r.error) return;
  const offers = parseDirect(r.json(), job.date);
  record(c, offers);
  if (job.purpose === 'options' && job.direction !== null) for (const o of offers) c.found[job.direction].push([{ flight_number: o.flight_number, date: o.date }]);
}

function storeOnestop(c: AirCtx, r: ToolOutcome): void {
  const job = c.job;
  if (job === null || r.error) return;
  const pairs = parseOnestop(r.json(), job.date, c.v1);
  for (const p of pairs) record(c, p);
  if (job.purpose === 'options' && job.direction !== null) for (const p of pairs) c.found[job.direction].push(p.map((o) => ({ flight_number: o.flight_number, date: o.date })));
}

/** Routes a reservation request past the gate: ownership for all, changeability for changes. */
function gate(c: Readonly<AirCtx>): { verdict: Verdict | null; next: (typeof FLOW_STARTS)[number] } {
  const res = c.res as Reservation;
  const req = c.req;
  const userId = c.profile?.user_id ?? '';
  const next = ((): (typeof FLOW_STARTS)[number] => {
    switch (req?.kind) {
      case 'cancel':
        return 'cancel_check';
      case 'change_flights':
        return 'plan_change';
      case 'change_cabin':
        return 'cabin_prices';
      case 'change_bags':
        return 'bags_check';
      case 'update_passengers':
        return 'pax_check';
      case 'compensation':
        return 'comp_check';
      case 'info':
        return req.topic === 'flight_status' ? 'status_prepare' : 'info_answer';
      default:
        return 'info_answer';
    }
  })();
  if (res.user_id !== userId) return { verdict: refuse('reservation_not_owned', `reservation ${res.reservation_id} is not under your profile, so I cannot act on it or share its details`), next };
  if (req?.kind === 'change_passenger_count') {
    return { verdict: refuse('passenger_count', `the number of passengers of a reservation cannot be changed, not even by a human agent (reservation ${res.reservation_id} has ${res.passengers.length})`), next };
  }
  if (req?.kind === 'add_insurance') {
    return { verdict: refuse('insurance_after_booking', `travel insurance can only be bought when booking, so it cannot be added to reservation ${res.reservation_id}`), next };
  }
  if (req?.kind === 'change_flights' || req?.kind === 'change_cabin' || req?.kind === 'change_bags' || req?.kind === 'update_passengers') {
    const v = changeable(c.rules, userId, res, c.departures);
    if (!v.ok) return { verdict: v, next };
  }
  return { verdict: null, next };
}

/** Nodes: the reservation of a request (cached), departure times, the policy gate. */
export function lookupNodes(n: NodeFactory<AirCtx>): BlueprintNode<AirCtx>[] {
  return [
    n.branch('res_cached', { description: 'reservation already read in this conversation', test: (c) => c.resCache[requestReservation(c) ?? ''] !== undefined, then: 'use_cached', else: 'get_res' }),
    n.code('use_cached', {
      run: (c) => {
        c.res = c.resCache[requestReservation(c) ?? ''] ?? null;
      },
      next: 'need_times',
    }),
    n.tool('get_res', {
      tool: 'get_reservation_details',
      args: { reservation_id: (c) => requestReservation(c) ?? '' },
      onResult: (c, r) => {
        c.res = r.error ? null : parseReservation(r.json());
        if (c.res !== null) remember(c, c.res);
      },
      next: 'res_read',
      onError: 'res_missing',
    }),
    n.branch('res_read', { test: (c) => c.res !== null, then: 'need_times', else: 'res_missing' }),
    n.code('res_missing', {
      run: (c) => {
        c.notes.push(`I am sorry, but I could not find reservation ${requestReservation(c) ?? ''}.`);
        finish(c, 'failed', 'reservation not found');
      },
      next: 'request_done',
    }),
    n.code('need_times', {
      description: 'departure times of segments dated today (is a segment flown?)',
      run: (c) => {
        const res = c.res as Reservation;
        const kind = c.req?.kind;
        const changes = kind === 'cancel' || kind === 'change_flights' || kind === 'change_cabin' || kind === 'change_bags' || kind === 'update_passengers';
        c.jobs = changes && res.user_id === c.profile?.user_id && res.status !== 'cancelled' ? segmentsNeedingTime(c.rules, res, c.departures).map((s) => direct(s.origin, s.destination, nextDay(s.date), 'time', s.flight_number)) : [];
      },
      next: 'times_needed',
    }),
    n.branch('times_needed', { test: (c) => c.jobs.length > 0, then: 'time_search', else: 'res_ready' }),
    ...searchStage(n, 'time_search', 'res_ready', 'departure times (a flight listed the next day)'),
    n.code('res_ready', {
      description: 'policy gate: ownership, status, flown segments; refusals that need no more facts',
      run: (c) => {
        c.verdict = gate(c).verdict;
      },
      next: 'gate_route',
    }),
    n.route('gate_route', { targets: ['verdict_route', ...FLOW_STARTS], choose: (c) => (c.verdict !== null ? 'verdict_route' : gate(c).next) }),

  ];
}

/**
 * A search stage: runs the queued `c.jobs` (direct searches, and one-stop ones when `onestop`),
 * recording what they list, then goes to `next`. Each use has its own stage, so every path of
 * the graph is explicit.
 */
export function searchStage(n: NodeFactory<AirCtx>, id: string, next: string, description: string, onestop = false): BlueprintNode<AirCtx>[] {
  const nodes: BlueprintNode<AirCtx>[] = [
    n.foreach(id, {
      description,
      maxIterations: 8,
      items: (c) => c.jobs,
      bind: (c, job: SearchJob) => {
        c.job = job;
      },
      body: onestop ? `${id}_kind` : `${id}_direct`,
      exit: next,
      onExhausted: next,
    }),
    n.tool(`${id}_direct`, {
      tool: 'search_direct_flight',
      args: { origin: (c) => c.job?.origin ?? '', destination: (c) => c.job?.destination ?? '', date: (c) => c.job?.date ?? '' },
      onResult: storeDirect,
      next: id,
    }),
  ];
  if (onestop) {
    nodes.push(
      n.route(`${id}_kind`, { targets: [`${id}_direct`, `${id}_onestop`], choose: (c) => (c.job?.tool === 'onestop' ? `${id}_onestop` : `${id}_direct`) }),
      n.tool(`${id}_onestop`, {
        tool: 'search_onestop_flight',
        args: { origin: (c) => c.job?.origin ?? '', destination: (c) => c.job?.destination ?? '', date: (c) => c.job?.date ?? '' },
        onResult: storeOnestop,
        next: id,
      }),
    );
  }
  return nodes;
}
