/**
 * Oracle answers to the airline blueprint's sub-tasks (`--model sim`): what a perfect model would
 * answer, read from the task itself — the scripted requests of generated tasks, and for official
 * tasks the gold actions' arguments, the required outputs and the instruction. Each oracle also
 * lists plausible wrong answers, which the simulated model returns at its error rate.
 *
 * The request parser's oracle reads the whole task, so it lists every request at once (the
 * scripted customer raises later ones only when prompted). For official tasks it knows only what
 * the gold reveals: requests the gold does not act on become one `other` request, except
 * questions whose answers are required outputs.
 *
 * Only the simulated model reads these; the blueprint never sees a task.
 */
import type { Task } from '../../src/core/task.js';
import { isPyNum, num } from '../../src/core/py/py-float.js';
import type { PyObject, PyValue } from '../../src/core/py/py-value.js';
import { isAffirmative, type SubtaskOracle, type SubtaskQuestion } from '../../src/models/sim/sim-model.js';
import { SUBTASKS, WORDING, type Request } from './requests.js';

type Flight = { flight_number: string; date: string };
type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (isPyNum(v as PyValue) ? num(v as number) : typeof v === 'number' ? v : null);

function flightsOf(v: unknown): Flight[] {
  return (Array.isArray(v) ? v : []).map((f) => ({ flight_number: String(obj(f).flight_number ?? ''), date: String(obj(f).date ?? '') }));
}

function passengersOf(v: unknown): Array<{ first_name: string; last_name: string; dob: string }> {
  return (Array.isArray(v) ? v : []).map((p) => ({ first_name: String(obj(p).first_name ?? ''), last_name: String(obj(p).last_name ?? ''), dob: String(obj(p).dob ?? '') }));
}

const REASONS: Record<string, Extract<Request, { kind: 'cancel' }>['reason']> = {
  'change of plans': 'change_of_plans',
  'found a cheaper fare': 'other',
  'airline cancelled the flight': 'airline_cancelled',
  health: 'health',
  weather: 'weather',
};

/** The cancellation reason an official instruction gives. */
export function reasonFromInstruction(text: string): NonNullable<Extract<Request, { kind: 'cancel' }>['reason']> {
  const t = text.toLowerCase();
  if (/\b(sick|unwell|ill|illness|health|hospital|medical|injur\w*)\b/.test(t)) return 'health';
  if (/\b(weather|storm|hurricane|snow|blizzard)\b/.test(t)) return 'weather';
  if (/airline cancel|flight (was |got )?cancel/.test(t)) return 'airline_cancelled';
  return 'change_of_plans';
}

function emptyBook(): Extract<Request, { kind: 'book' }> {
  return {
    kind: 'book',
    origin: null,
    destination: null,
    trip_type: null,
    depart_date: null,
    return_date: null,
    cabin: null,
    passenger_count: null,
    passengers: [],
    total_baggages: null,
    insurance: null,
    payment_ids: [],
    max_fare_per_passenger: null,
  };
}

/** A generated task's scripted request as the parser should read it. */
function fromScripted(kind: string, a: Json): Request | null {
  const rid = str(a.reservation_id);
  switch (kind) {
    case 'book_flight': {
      if (a.passengers_count !== undefined && a.passengers === undefined) return { ...emptyBook(), passenger_count: int(a.passengers_count) };
      const passengers = passengersOf(a.passengers);
      return {
        kind: 'book',
        origin: str(a.origin),
        destination: str(a.destination),
        trip_type: str(a.flight_type) === 'round_trip' ? 'round_trip' : 'one_way',
        depart_date: str(a.date),
        return_date: str(a.return_date),
        cabin: str(a.cabin) as 'economy',
        passenger_count: passengers.length,
        passengers,
        total_baggages: int(a.total_baggages),
        insurance: a.insurance === 'yes',
        payment_ids: (Array.isArray(a.payment_methods) ? a.payment_methods : []).map((p) => String(obj(p).payment_id)),
        max_fare_per_passenger: int(a.max_price_per_passenger),
      };
    }
    case 'cancel_reservation':
      return { kind: 'cancel', reservation_id: rid, reason: REASONS[String(a.reason)] ?? 'other' };
    case 'change_flights':
      return { kind: 'change_flights', reservation_id: rid, cabin: str(a.cabin) as 'economy' | null, payment_id: str(a.payment_id) };
    case 'change_cabin':
      return { kind: 'change_cabin', reservation_id: rid, cabin: str(a.cabin) as 'economy' | null, payment_id: str(a.payment_id) };
    case 'add_bags':
    case 'remove_bags':
      return { kind: 'change_bags', reservation_id: rid, total_baggages: int(a.total_baggages), payment_id: str(a.payment_id) };
    case 'update_passengers':
      return { kind: 'update_passengers', reservation_id: rid, passengers: passengersOf(a.passengers) };
    case 'add_passenger':
    case 'remove_passenger':
      return { kind: 'change_passenger_count', reservation_id: rid };
    case 'add_insurance':
      return { kind: 'add_insurance', reservation_id: rid };
    case 'compensation':
      return { kind: 'compensation', reservation_id: rid, flight_number: str(a.flight_number), issue: a.issue === 'cancelled' ? 'cancelled' : 'delayed' };
    case 'ask_info': {
      const q = str(a.question);
      const base = { kind: 'info' as const, reservation_id: rid, flight_number: str(a.flight_number), origin: str(a.origin), destination: str(a.destination), date: str(a.date), cabin: str(a.cabin) as 'economy' | null };
      if (q === 'free_bags') return { ...base, topic: 'free_bags' };
      if (q === 'gift_card_total') return { ...base, topic: 'gift_card_balance' };
      if (q === 'certificate_total') return { ...base, topic: 'certificate_balance' };
      if (q === 'cheapest_fare') return { ...base, topic: 'cheapest_fare' };
      if (q === 'flight_status') return { ...base, topic: 'flight_status' };
      if (q === 'upcoming_total') return { ...base, topic: 'upcoming_total' };
      return { ...base, topic: 'reservation_details' };
    }
    case 'transfer': {
      const topic = str(a.topic);
      return { kind: 'transfer', topic: topic === 'lost_baggage' || topic === 'special_assistance' ? topic : 'other' };
    }
    default:
      return { kind: 'other', summary: kind };
  }
}

/** The requests of an official task, read from its gold writes, outputs and instruction. */
function fromGold(task: Task): Request[] {
  const out: Request[] = [];
  const text = task.instruction;
  const low = text.toLowerCase();
  // Questions whose answers are required outputs.
  if (task.outputs.length > 0 || (task.evaluation?.communicateInfo.length ?? 0) > 0) {
    const info = (topic: Extract<Request, { kind: 'info' }>['topic'], reservation: string | null = null): Request => ({
      kind: 'info',
      topic,
      reservation_id: reservation,
      flight_number: null,
      origin: null,
      destination: null,
      date: null,
      cabin: null,
    });
    if (/total cost/.test(low) && /upcoming/.test(low)) out.push(info('upcoming_total'));
    if (/gift card balance/.test(low)) out.push(info('gift_card_balance'));
    if (/certificate balance/.test(low)) out.push(info('certificate_balance'));
    if (/\b(suitcases?|baggages?|bags?)\b/.test(low) && !task.actions.some((a) => a.name === 'update_reservation_baggages')) {
      const rid = /\b[A-Z0-9]{6}\b/.exec(text.replace(/\b[A-Z]{3}\b/g, ''))?.[0] ?? null;
      out.push(info('free_bags', rid));
    }
  }
  let lastRead: string | null = null;
  for (const g of task.actions) {
    const k = g.kwargs as PyObject;
    const rid = str(k.reservation_id);
    switch (g.name) {
      case 'get_reservation_details':
        lastRead = rid;
        break;
      case 'book_reservation': {
        const flights = flightsOf(k.flights);
        const passengers = passengersOf(k.passengers);
        const round = k.flight_type === 'round_trip';
        out.push({
          kind: 'book',
          origin: str(k.origin),
          destination: str(k.destination),
          trip_type: round ? 'round_trip' : 'one_way',
          depart_date: flights[0]?.date ?? null,
          return_date: round ? (flights[flights.length - 1]?.date ?? null) : null,
          cabin: str(k.cabin) as 'economy',
          passenger_count: passengers.length,
          passengers,
          total_baggages: int(k.total_baggages),
          insurance: k.insurance === 'yes',
          payment_ids: (Array.isArray(k.payment_methods) ? k.payment_methods : []).map((p) => String(obj(p).payment_id)),
          max_fare_per_passenger: null,
        });
        break;
      }
      case 'cancel_reservation':
        out.push({ kind: 'cancel', reservation_id: rid, reason: reasonFromInstruction(text) });
        break;
      case 'update_reservation_flights':
        out.push({ kind: 'change_flights', reservation_id: rid, cabin: str(k.cabin) as 'economy' | null, payment_id: str(k.payment_id) });
        break;
      case 'update_reservation_baggages':
        out.push({ kind: 'change_bags', reservation_id: rid, total_baggages: int(k.total_baggages), payment_id: str(k.payment_id) });
        break;
      case 'update_reservation_passengers':
        out.push({ kind: 'update_passengers', reservation_id: rid, passengers: passengersOf(k.passengers) });
        break;
      case 'send_certificate':
        out.push({ kind: 'compensation', reservation_id: lastRead, flight_number: /\bHAT\d{3}\b/.exec(text)?.[0] ?? null, issue: /cancel/.test(low) && !/delay/.test(low) ? 'cancelled' : 'delayed' });
        break;
      default:
        break;
    }
  }
  if (out.length === 0) out.push({ kind: 'other', summary: text.split('. ').slice(0, 2).join('. ') });
  return out;
}

/** Every request of a task, in the order the customer makes them. */
export function taskRequests(task: Task): Request[] {
  const scripted = task.scripted?.requests;
  if (scripted !== undefined && scripted.length > 0) return scripted.map((r) => fromScripted(r.kind, obj(r.args))).filter((r): r is Request => r !== null);
  return fromGold(task);
}

const sameFlights = (a: readonly Flight[], b: readonly Flight[]): boolean => a.length === b.length && a.every((f, i) => f.flight_number === b[i]?.flight_number && f.date === b[i]?.date);
const has = (list: readonly Flight[], f: Flight): boolean => list.some((x) => x.flight_number === f.flight_number && x.date === f.date);

/** A one-character change of an id, for wrong answers. */
function perturb(id: string): string {
  if (id === '') return 'X';
  const last = id[id.length - 1] as string;
  return id.slice(0, -1) + (/\d/.test(last) ? String((Number(last) + 1) % 10) : last === 'A' ? 'B' : 'A');
}

function parseRequests(q: SubtaskQuestion): ReturnType<SubtaskOracle> {
  const handled = (Array.isArray(obj(q.input).already_handled) ? (obj(q.input).already_handled as unknown[]) : []).map(obj);
  const requests = taskRequests(q.task);
  for (const h of handled) {
    const i = requests.findIndex((r) => r.kind === h.kind && ('reservation_id' in r ? r.reservation_id : null) === (h.reservation_id ?? null));
    if (i >= 0) requests.splice(i, 1);
  }
  const wrong: unknown[] = [{ requests: [] }];
  if (requests.length > 1) wrong.push({ requests: requests.slice(0, -1) });
  const first = requests[0];
  if (first !== undefined && 'reservation_id' in first && first.reservation_id !== null) wrong.push({ requests: [{ ...first, reservation_id: perturb(first.reservation_id) }, ...requests.slice(1)] });
  if (first !== undefined) wrong.push({ requests: [{ kind: 'other', summary: 'unclear' }, ...requests.slice(1)] });
  return { answer: { requests }, wrong };
}

function completeRequest(q: SubtaskQuestion): ReturnType<SubtaskOracle> {
  const given = obj(obj(q.input).request);
  const rid = str(given.reservation_id);
  const match = taskRequests(q.task).find((r) => r.kind === given.kind && (rid === null || !('reservation_id' in r) || r.reservation_id === rid));
  const filled: Json = { ...given };
  if (match !== undefined) for (const [k, v] of Object.entries(match)) if (filled[k] === null || filled[k] === undefined || (Array.isArray(filled[k]) && (filled[k] as unknown[]).length === 0)) filled[k] = v;
  return { answer: { request: filled }, wrong: [{ request: given }] };
}

/** Gold flight updates of a reservation, generated tasks' scripted target flights first. */
function updateTargets(task: Task, rid: string): Array<{ cabin: string; flights: Flight[] }> {
  const out: Array<{ cabin: string; flights: Flight[] }> = [];
  for (const r of task.scripted?.requests ?? []) {
    const a = obj(r.args);
    if (r.kind === 'change_flights' && a.reservation_id === rid) out.push({ cabin: String(a.cabin ?? ''), flights: flightsOf(a.flights) });
  }
  for (const g of task.actions) {
    if (g.name === 'update_reservation_flights' && g.kwargs.reservation_id === rid) out.push({ cabin: String(g.kwargs.cabin), flights: flightsOf(g.kwargs.flights) });
  }
  return out;
}

/** The update the customer is asking for now: the first that differs from the reservation's current state. */
function currentTarget(task: Task, res: Json): { cabin: string; flights: Flight[] } | undefined {
  const current = flightsOf(res.flights);
  const targets = updateTargets(task, String(res.reservation_id ?? ''));
  return targets.find((t) => t.cabin !== res.cabin || !sameFlights(t.flights, current)) ?? targets[0];
}

function planFlightChange(q: SubtaskQuestion): ReturnType<SubtaskOracle> {
  const res = obj(obj(q.input).reservation);
  const segs = (Array.isArray(res.flights) ? res.flights : []).map((f) => ({ ...flightsOf([f])[0] as Flight, to: String(obj(f).to ?? '') }));
  const round = res.flight_type === 'round_trip';
  const turn = segs.findIndex((s) => s.to === res.destination);
  const cut = !round || turn < 0 ? segs.length : turn + 1;
  const outbound = segs.slice(0, cut);
  const back = segs.slice(cut);
  const scripted = (q.task.scripted?.requests ?? []).map((r) => obj(r.args)).find((a) => a.reservation_id === res.reservation_id && a.changed_leg !== undefined);
  let answer: { outbound_date: string | null; return_date: string | null };
  if (scripted !== undefined) {
    answer = { outbound_date: scripted.changed_leg === 'outbound' ? String(scripted.new_date) : null, return_date: scripted.changed_leg === 'return' && round ? String(scripted.new_date) : null };
  } else {
    const target = currentTarget(q.task, res)?.flights ?? [];
    const fresh = target.filter((f) => !has(outbound, f) && !has(back, f));
    const keepOut = outbound.every((s) => has(target, s));
    const keepBack = back.every((s) => has(target, s));
    if (fresh.length === 0 && keepOut && keepBack) answer = { outbound_date: null, return_date: null };
    else if (!round || (!keepOut && keepBack)) answer = { outbound_date: fresh[0]?.date ?? target[0]?.date ?? null, return_date: null };
    else if (keepOut && !keepBack) answer = { outbound_date: null, return_date: fresh[0]?.date ?? null };
    else answer = { outbound_date: target[0]?.date ?? null, return_date: target[target.length - 1]?.date ?? null };
  }
  const shift = (d: string | null): string | null => (d === null ? null : `${d.slice(0, 8)}${String(Math.min(30, Number(d.slice(8)) + 1)).padStart(2, '0')}`);
  return { answer, wrong: [{ outbound_date: shift(answer.outbound_date), return_date: shift(answer.return_date) }, { outbound_date: null, return_date: null }] };
}

/** Flight lists the customer wants, most specific first. */
function wantedFlightLists(task: Task, input: Json): Flight[][] {
  const lists: Flight[][] = [];
  if (input.purpose === 'book') {
    for (const r of task.scripted?.requests ?? []) if (r.kind === 'book_flight' && obj(r.args).flights !== undefined) lists.push(flightsOf(obj(r.args).flights));
    for (const g of task.actions) if (g.name === 'book_reservation') lists.push(flightsOf(g.kwargs.flights));
  } else {
    const res = obj(input.reservation);
    const target = currentTarget(task, res);
    if (target !== undefined) lists.push(target.flights);
  }
  return lists;
}

function chooseFlights(q: SubtaskQuestion): ReturnType<SubtaskOracle> {
  const input = obj(q.input);
  const directions = (Array.isArray(input.directions) ? input.directions : []).map(obj);
  const options = (d: Json): Array<{ id: string; flights: Flight[] }> => (Array.isArray(d.options) ? d.options : []).map((o) => ({ id: String(obj(o).id), flights: flightsOf(obj(o).flights) }));
  const pick = (list: Flight[]): Array<{ direction: string; option_id: string | null }> =>
    directions.map((d) => {
      const opts = options(d);
      const found = opts.find((o) => (d.direction === 'return' ? sameFlights(list.slice(list.length - o.flights.length), o.flights) : sameFlights(list.slice(0, o.flights.length), o.flights)));
      return { direction: String(d.direction), option_id: found?.id ?? null };
    });
  const lists = wantedFlightLists(q.task, input);
  const choices = lists.map(pick).find((c) => c.every((x) => x.option_id !== null)) ?? pick(lists[0] ?? []);
  const wrongChoice = directions.map((d) => {
    const right = choices.find((c) => c.direction === d.direction)?.option_id;
    return { direction: String(d.direction), option_id: options(d).find((o) => o.id !== right)?.id ?? null };
  });
  return { answer: { choices }, wrong: [{ choices: wrongChoice }] };
}

function yesNo(q: SubtaskQuestion): ReturnType<SubtaskOracle> {
  const yes = isAffirmative(String(obj(q.input).reply ?? ''));
  return { answer: { answer: yes ? 'yes' : 'no' }, wrong: [{ answer: yes ? 'no' : 'yes' }] };
}

/** The customer's user id when the message gives it, even loosely ("mia li 3668"); null otherwise. */
function extractUserId(q: SubtaskQuestion): ReturnType<SubtaskOracle> {
  const id = q.task.userId ?? null;
  const words = String(obj(q.input).message ?? '').toLowerCase().split(/[^a-z0-9]+/);
  const parts = id === null ? [] : id.split('_');
  const given = parts.length > 0 && words.some((_, i) => parts.every((p, k) => words[i + k] === p));
  const answer = given ? id : null;
  return { answer: { user_id: answer }, wrong: [{ user_id: id === null ? 'unknown_user_0000' : perturb(id) }, { user_id: answer === null ? id : null }] };
}

/** Wording of a reply: the draft itself (a perfect model conveys exactly the given facts). */
const wording: SubtaskOracle = (q) => ({ answer: String(obj(q.input).draft ?? '') });

/** The airline oracles by sub-task name (`SUBTASK_ORACLES.airline`). */
export const airlineOracles: Record<string, SubtaskOracle> = {
  [SUBTASKS.extractUserId]: extractUserId,
  [SUBTASKS.parseRequests]: parseRequests,
  [SUBTASKS.completeRequest]: completeRequest,
  [SUBTASKS.planFlightChange]: planFlightChange,
  [SUBTASKS.chooseFlights]: chooseFlights,
  [SUBTASKS.yesNo]: yesNo,
  ...Object.fromEntries(Object.values(WORDING).map((name) => [`say:${name}`, wording])),
};
