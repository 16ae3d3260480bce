/**
 * Seeded airline task generator: conversations covering every request the airline policy allows
 * or forbids (bookings, cancellations, flight/cabin/bag/passenger changes, compensation,
 * questions), single and several per conversation, conditional wishes, refusals and transfers.
 * Gold actions come from the policy oracle (`oracle.ts`) and every gold write is run with the
 * domain's v1 tools while generating (a write the tools reject is a generator bug).
 *
 * Request kinds (`task.scripted.requests[].kind`) and their `args` (all also carry `expected`,
 * the oracle's outcome, and `rule` for refusals/transfers):
 * - `book_flight` `{origin, destination, flight_type, date, return_date?, cabin, passengers, preference,
 *   max_price_per_passenger?, flights, total_baggages, nonfree_baggages, insurance, payment_methods}`; a group
 *   of more than 5 (transferred) is `{passengers_count}`
 * - `cancel_reservation` `{reservation_id, reason}`
 * - `change_flights` `{reservation_id, new_date, changed_leg: 'outbound'|'return', flights, cabin, payment_id}`
 * - `change_cabin` `{reservation_id, cabin, payment_id}`
 * - `add_bags` `{reservation_id, total_baggages, nonfree_baggages, payment_id, ask_price?}`; `remove_bags` `{reservation_id, total_baggages}`
 * - `update_passengers` `{reservation_id, passengers}`; `add_passenger` / `remove_passenger` `{reservation_id, passenger}`
 * - `add_insurance` `{reservation_id}`
 * - `compensation` `{reservation_id, flight_number, date, issue: 'delayed'|'cancelled', amount?}`
 * - `ask_info` `{question: 'free_bags'|'gift_card_total'|'cheapest_fare', …, answer}`
 * - `transfer` `{topic, reservation_id?}`
 */
import type { PyObject } from '../../../src/core/py/py-value.js';
import type { Rng, Seed } from '../../../src/core/rng.js';
import type { Task } from '../../../src/core/task.js';
import type { BaseDb, DbState } from '../../../src/env/db-state.js';
import type { ToolRegistry } from '../../../src/env/registry.js';
import { makeDob, makePerson } from '../../common/generator/people.js';
import { PERSONAS, andList, scheduleTasks, type RequestOutcome, type TaskDraft } from '../../common/generator/task-kit.js';
import { DEFAULT_AIRLINE_SEED } from './data.js';
import {
  bagChange,
  bookable,
  bookingTotal,
  checkBags,
  checkBooking,
  checkCancel,
  checkChangeCabin,
  checkChangeFlights,
  checkCompensation,
  checkInsuranceChange,
  checkPassengers,
  flightChangeDifference,
  flightOn,
  paymentMethodOf,
  priceOf,
  reservationOf,
  segmentUsed,
  type Booking,
  type FlightRef,
  type Payment,
  type Verdict,
} from './oracle.js';
import { CABINS, FREE_BAGS, TODAY, addDays, type Cabin, type CancelReason, type Tier } from './rules.js';

/** Options of {@link generateAirlineTasks}. */
export interface AirlineTaskOptions {
  base: BaseDb;
  /** The airline v1 tools. */
  registry: ToolRegistry;
  /** Seed. Default {@link DEFAULT_AIRLINE_SEED}. */
  seed?: Seed;
  /** Number of tasks. Default 50. */
  count?: number;
}

/** Task categories and their share of a suite. */
export const AIRLINE_CATEGORIES: ReadonlyArray<readonly [string, number]> = [
  ['book_one_way', 4],
  ['book_round_trip', 3],
  ['book_conditional', 2],
  ['cancel', 5],
  ['change_flights', 3],
  ['change_cabin', 3],
  ['add_bags', 3],
  ['update_passenger', 2],
  ['compensation', 3],
  ['ask_info', 3],
  ['refuse_cancel', 4],
  ['refuse_basic_economy_change', 2],
  ['refuse_remove_bags', 1],
  ['refuse_add_insurance', 1],
  ['refuse_passenger_count', 2],
  ['refuse_compensation', 2],
  ['refuse_other_member', 1],
  ['transfer', 3],
  ['multi', 3],
];

interface Ctx {
  rng: Rng;
  d: TaskDraft;
  db: DbState;
  userId: string;
  used: Set<string>;
  /** How many earlier tasks of the suite had this category (alternates conditional outcomes). */
  variant: number;
}
type Sub = (c: Ctx) => boolean;

const CABIN_TEXT: Record<Cabin, string> = { basic_economy: 'basic economy', economy: 'economy', business: 'business' };

function user(c: Ctx): Readonly<PyObject> {
  return c.db.table('users').get(c.userId) as PyObject;
}

function pms(c: Ctx): PyObject[] {
  return Object.values(user(c).payment_methods as PyObject) as PyObject[];
}

function pmLabel(c: Ctx, pmId: string): string {
  const pm = paymentMethodOf(c.db, c.userId, pmId);
  if (pm === undefined) return pmId;
  if (pm.source === 'credit_card') return `${String(pm.brand)} credit card ending in ${String(pm.last_four)}`;
  return pm.source === 'gift_card' ? `gift card ${pmId}` : `travel certificate ${pmId}`;
}

function myReservations(c: Ctx, pred: (r: Readonly<PyObject>) => boolean): Array<Readonly<PyObject>> {
  return (user(c).reservations as string[])
    .filter((id) => !c.used.has(id))
    .map((id) => reservationOf(c.db, id) as PyObject)
    .filter(pred);
}

function flightsOf(r: Readonly<PyObject>): FlightRef[] {
  return (r.flights as PyObject[]).map((f) => ({ flight_number: f.flight_number as string, date: f.date as string }));
}

const active = (c: Ctx) => (r: Readonly<PyObject>): boolean => r.status !== 'cancelled' && !flightsOf(r).some((f) => segmentUsed(c.db, f));

function tripText(r: Readonly<PyObject>): string {
  const fl = r.flights as PyObject[];
  return `${r.flight_type === 'round_trip' ? 'round trip' : 'trip'} from ${String(r.origin)} to ${String(r.destination)} on ${String(fl[0]?.date)}`;
}

/** Reads the reservation as an agent would and records that the customer knows its id. */
function useReservation(c: Ctx, r: Readonly<PyObject>): string {
  const rid = r.reservation_id as string;
  c.used.add(rid);
  c.d.fact('reservation_id', rid);
  c.d.knownOnce(`Your reservation id is ${rid} (your ${tripText(r)}).`);
  c.d.read('get_reservation_details', { reservation_id: rid });
  return `reservation ${rid}`;
}

function refuseLine(c: Ctx): void {
  c.d.instructions.push('If the agent explains that this is not allowed, accept it and do not insist.');
}

function record(c: Ctx, kind: string, utterance: string, args: Record<string, unknown>, v: Verdict, fail: RequestOutcome = 'refused'): void {
  if (v.ok) c.d.request(kind, utterance, args, 'performed');
  else c.d.request(kind, utterance, args, v.rule === 'segment_used' || v.rule === 'too_many_passengers' ? 'transfer' : fail, v.rule);
}

/** A payment method that can pay `amount` for a change (credit card or gift card with balance). */
function changePayment(c: Ctx, amount: number): string | undefined {
  const ok = pms(c).filter((p) => p.source === 'credit_card' || (p.source === 'gift_card' && (p.amount as number) >= amount));
  return ok.length === 0 ? undefined : (c.rng.pick(ok).id as string);
}

// ---------------------------------------------------------------- booking

/** Direct flights on a date, available with seats for `pax` in `cabin`, in table order. */
function directFlights(c: Ctx, origin: string, destination: string, date: string, cabin: Cabin, pax: number): FlightRef[] {
  const out: FlightRef[] = [];
  for (const f of c.db.table('flights').values()) {
    if (f.origin !== origin || f.destination !== destination) continue;
    const ref = { flight_number: f.flight_number as string, date };
    if (bookable(c.db, ref, cabin, pax)) out.push(ref);
  }
  return out;
}

function depTime(c: Ctx, f: FlightRef): string {
  return (c.db.table('flights').get(f.flight_number) as PyObject).scheduled_departure_time_est as string;
}

/** The customer's pick among options: cheapest (ties: earliest) or earliest departure. */
function choose(c: Ctx, options: FlightRef[], cabin: Cabin, preference: 'cheapest' | 'earliest'): FlightRef | undefined {
  const sorted = [...options].sort((a, b) =>
    preference === 'cheapest'
      ? priceOf(c.db, a, cabin) - priceOf(c.db, b, cabin) || depTime(c, a).localeCompare(depTime(c, b))
      : depTime(c, a).localeCompare(depTime(c, b)),
  );
  return sorted[0];
}

function passengersFor(c: Ctx, n: number): PyObject[] {
  const u = user(c);
  const name = u.name as PyObject;
  const out: PyObject[] = [{ first_name: name.first_name as string, last_name: name.last_name as string, dob: u.dob as string }];
  for (const p of u.saved_passengers as PyObject[]) if (out.length < n) out.push({ first_name: p.first_name as string, last_name: p.last_name as string, dob: p.dob as string });
  while (out.length < n) {
    const p = makePerson(c.rng);
    out.push({ first_name: p.first_name, last_name: p.last_name, dob: makeDob(c.rng) });
  }
  return out;
}

/** Splits a total over the customer's methods following a randomly chosen payment style. */
function bookingPayments(c: Ctx, total: number): Payment[] | undefined {
  const all = pms(c);
  const cards = all.filter((p) => p.source === 'credit_card');
  const gifts = all.filter((p) => p.source === 'gift_card' && (p.amount as number) > 0);
  const certs = all.filter((p) => p.source === 'certificate');
  const styles: Array<() => Payment[] | undefined> = [
    () => (cards.length > 0 ? [{ payment_id: c.rng.pick(cards).id as string, amount: total }] : undefined),
    () => {
      const g = gifts.find((p) => (p.amount as number) >= total);
      return g === undefined ? undefined : [{ payment_id: g.id as string, amount: total }];
    },
    () => {
      const cert = certs[0];
      const card = cards[0];
      if (cert === undefined || card === undefined) return undefined;
      const part = Math.min(cert.amount as number, total);
      return part === total ? [{ payment_id: cert.id as string, amount: total }] : [{ payment_id: cert.id as string, amount: part }, { payment_id: card.id as string, amount: total - part }];
    },
    () => {
      const g = gifts[0];
      const card = cards[0];
      if (g === undefined || card === undefined || (g.amount as number) >= total) return undefined;
      return [{ payment_id: g.id as string, amount: g.amount as number }, { payment_id: card.id as string, amount: total - (g.amount as number) }];
    },
  ];
  for (const i of c.rng.shuffle([0, 1, 2, 3])) {
    const p = (styles[i] as () => Payment[] | undefined)();
    if (p !== undefined) return p;
  }
  return undefined;
}

function paymentText(c: Ctx, payments: readonly Payment[]): string {
  if (payments.length === 1) return `pay with your ${pmLabel(c, (payments[0] as Payment).payment_id)}`;
  return `use your ${pmLabel(c, (payments[0] as Payment).payment_id)} for as much as it covers (${String((payments[0] as Payment).amount)} dollars) and pay the rest with your ${pmLabel(c, (payments[1] as Payment).payment_id)}`;
}

function book(c: Ctx, mode: 'one_way' | 'round_trip' | 'conditional'): boolean {
  const flights = [...c.db.table('flights').values()];
  const seed = c.rng.pick(flights);
  const origin = seed.origin as string;
  const destination = seed.destination as string;
  const date = addDays(TODAY, c.rng.int(1, 10));
  const roundTrip = mode === 'round_trip';
  const returnDate = addDays(date, c.rng.int(2, 5));
  if (returnDate > '2024-05-30') return false;
  const cabin = c.rng.weighted<Cabin>([['basic_economy', 3], ['economy', 5], ['business', 2]]);
  const pax = c.rng.weighted<number>([[1, 4], [2, 4], [3, 2]]);
  const preference = c.rng.pick(['cheapest', 'earliest'] as const);
  const out = choose(c, directFlights(c, origin, destination, date, cabin, pax), cabin, preference);
  if (out === undefined) return false;
  let back: FlightRef | undefined;
  if (roundTrip) {
    back = choose(c, directFlights(c, destination, origin, returnDate, cabin, pax), cabin, preference);
    if (back === undefined) return false;
  }
  const legs = back === undefined ? [out] : [out, back];
  const passengers = passengersFor(c, pax);
  const totalBaggages = c.rng.int(0, pax * 2);
  const insurance = c.rng.chance(0.4) ? 'yes' : 'no';
  const booking: Booking = { cabin, flights: legs, passengers: pax, insurance, totalBaggages };
  const { total, nonfree } = bookingTotal(c.db, c.userId, booking);
  // Conditional: "only if the fare is at most X per passenger" (X above or below the real fare).
  const farePerPax = legs.reduce((s, f) => s + priceOf(c.db, f, cabin), 0);
  const limit = mode === 'conditional' ? (c.variant % 2 === 0 ? farePerPax + c.rng.int(5, 60) : Math.max(10, farePerPax - c.rng.int(5, 40))) : undefined;
  const payments = bookingPayments(c, total);
  if (payments === undefined) return false;
  const v = checkBooking(c.db, c.userId, booking, payments);
  if (!v.ok) return false;

  const paxText = pax === 1 ? 'just you' : `you and ${andList(passengers.slice(1).map((p) => `${String(p.first_name)} ${String(p.last_name)} (born ${String(p.dob)})`))}`;
  const when = roundTrip ? `leaving on ${date} and coming back on ${returnDate}` : `on ${date}`;
  c.d.reasons.push(
    `You want to book a ${roundTrip ? 'round trip' : 'one-way trip'} from ${origin} to ${destination} ${when}, in ${CABIN_TEXT[cabin]}, for ${paxText}. You want a direct flight, the ${preference === 'cheapest' ? 'cheapest one' : 'earliest departure'}${roundTrip ? ' in each direction' : ''}.`,
  );
  c.d.known.push(`You want ${totalBaggages} checked bag${totalBaggages === 1 ? '' : 's'} in total and ${insurance === 'yes' ? 'want' : 'do not want'} travel insurance. You want to ${paymentText(c, payments)}.`);
  if (limit !== undefined) c.d.instructions.push(`You only want to book if the fare is at most ${limit} dollars per passenger for the whole trip; otherwise you do not book anything.`);
  for (const p of payments) c.d.fact('payment_method_id', p.payment_id);
  c.d.read('search_direct_flight', { origin, destination, date });
  if (back !== undefined) c.d.read('search_direct_flight', { origin: destination, destination: origin, date: returnDate });
  const args: Record<string, unknown> = {
    origin,
    destination,
    flight_type: roundTrip ? 'round_trip' : 'one_way',
    date,
    ...(roundTrip ? { return_date: returnDate } : {}),
    cabin,
    passengers,
    preference,
    ...(limit !== undefined ? { max_price_per_passenger: limit } : {}),
    flights: legs,
    total_baggages: totalBaggages,
    nonfree_baggages: nonfree,
    insurance,
    payment_methods: payments,
  };
  const utter = `I'd like to book a ${roundTrip ? 'round trip' : 'one-way flight'} from ${origin} to ${destination} ${when} in ${CABIN_TEXT[cabin]}.`;
  if (limit !== undefined && farePerPax > limit) {
    c.d.request('book_flight', utter, args, 'unavailable', 'customer_condition_not_met');
    return true;
  }
  c.d.write('book_reservation', {
    user_id: c.userId,
    origin,
    destination,
    flight_type: roundTrip ? 'round_trip' : 'one_way',
    cabin,
    flights: legs.map((f) => ({ flight_number: f.flight_number, date: f.date })),
    passengers,
    payment_methods: payments.map((p) => ({ payment_id: p.payment_id, amount: p.amount })),
    total_baggages: totalBaggages,
    nonfree_baggages: nonfree,
    insurance,
  });
  c.d.request('book_flight', utter, args, 'performed');
  return true;
}

// ---------------------------------------------------------------- cancel

function cancel(c: Ctx, want: 'ok' | 'refused'): boolean {
  const options: Array<[Readonly<PyObject>, CancelReason]> = [];
  for (const r of myReservations(c, active(c))) {
    const rid = r.reservation_id as string;
    const reasons: CancelReason[] = r.insurance === 'yes' ? ['health', 'weather', 'change of plans'] : ['change of plans', 'found a cheaper fare', 'health'];
    for (const reason of reasons) {
      const v = checkCancel(c.db, c.userId, rid, reason);
      if (want === 'ok' ? v.ok : !v.ok && v.rule === 'not_cancellable') options.push([r, reason]);
    }
    const hasCancelled = flightsOf(r).some((f) => flightOn(c.db, f.flight_number, f.date)?.status === 'cancelled');
    if (want === 'ok' && hasCancelled) options.push([r, 'airline cancelled the flight'], [r, 'airline cancelled the flight']);
  }
  if (options.length === 0) return false;
  const [r, reason] = c.rng.pick(options);
  const rid = r.reservation_id as string;
  const ref = useReservation(c, r);
  c.d.fact('reason', reason);
  const why = reason === 'airline cancelled the flight' ? 'the airline cancelled one of its flights' : reason === 'health' ? 'of a health problem' : reason === 'weather' ? 'of a storm forecast at your destination' : reason === 'found a cheaper fare' ? 'you found a cheaper fare elsewhere' : 'your plans changed';
  c.d.reasons.push(`You want to cancel ${ref} because ${why}.`);
  const v = checkCancel(c.db, c.userId, rid, reason);
  if (v.ok) c.d.write('cancel_reservation', { reservation_id: rid });
  else refuseLine(c);
  record(c, 'cancel_reservation', `I need to cancel ${ref}; ${why.replace(/^of /, 'because of ')}.`, { reservation_id: rid, reason }, v);
  return true;
}

// ---------------------------------------------------------------- changes

/** Reservations made only of direct legs: one-way with one flight, or round trip with two. */
const simpleShape = (r: Readonly<PyObject>): boolean => (r.flights as PyObject[]).length === (r.flight_type === 'round_trip' ? 2 : 1);

function changeFlights(c: Ctx, want: 'ok' | 'basic'): boolean {
  const options: Array<[Readonly<PyObject>, FlightRef[], string, number]> = [];
  for (const r of myReservations(c, (x) => active(c)(x) && simpleShape(x) && (want === 'basic' ? x.cabin === 'basic_economy' : x.cabin !== 'basic_economy'))) {
    const old = flightsOf(r);
    const leg = r.flight_type === 'round_trip' && c.rng.chance(0.5) ? 1 : 0;
    const cur = old[leg] as FlightRef;
    const rec = c.db.table('flights').get(cur.flight_number) as PyObject;
    const newDate = addDays(cur.date, c.rng.pick([-2, -1, 1, 2]));
    if (newDate <= TODAY || newDate > '2024-05-30') continue;
    if (leg === 0 && old[1] !== undefined && newDate >= old[1].date) continue;
    if (leg === 1 && newDate <= (old[0] as FlightRef).date) continue;
    const pax = (r.passengers as PyObject[]).length;
    const cands = directFlights(c, rec.origin as string, rec.destination as string, newDate, r.cabin as Cabin, want === 'basic' ? 1 : pax);
    const pick = choose(c, cands, r.cabin as Cabin, 'cheapest');
    if (pick === undefined) continue;
    const flights = old.map((f, i) => (i === leg ? pick : f));
    options.push([r, flights, newDate, leg]);
  }
  if (options.length === 0) return false;
  const [r, flights, newDate, leg] = c.rng.pick(options);
  const rid = r.reservation_id as string;
  const diff = want === 'basic' ? 0 : flightChangeDifference(c.db, r, flights, r.cabin as Cabin);
  const pmId = changePayment(c, diff);
  if (pmId === undefined) return false;
  const v = checkChangeFlights(c.db, c.userId, rid, flights, pmId);
  if (want === 'ok' && !v.ok) return false;
  const ref = useReservation(c, r);
  const legName = leg === 0 ? (r.flight_type === 'round_trip' ? 'outbound flight' : 'flight') : 'return flight';
  c.d.reasons.push(`You want to move the ${legName} of ${ref} to ${newDate}, on the cheapest direct flight that day, keeping everything else the same.`);
  c.d.known.push(`Any fare difference should go on your ${pmLabel(c, pmId)}.`);
  c.d.fact('payment_method_id', pmId);
  const old = flightsOf(r)[leg] as FlightRef;
  const rec = c.db.table('flights').get(old.flight_number) as PyObject;
  if (v.ok) {
    c.d.read('search_direct_flight', { origin: rec.origin as string, destination: rec.destination as string, date: newDate });
    c.d.write('update_reservation_flights', { reservation_id: rid, cabin: r.cabin as string, flights: flights.map((f) => ({ flight_number: f.flight_number, date: f.date })), payment_id: pmId });
  } else refuseLine(c);
  record(
    c,
    'change_flights',
    `Can I move the ${legName} of ${ref} to ${newDate}?`,
    { reservation_id: rid, new_date: newDate, changed_leg: leg === 0 ? 'outbound' : 'return', flights, cabin: r.cabin as string, payment_id: pmId },
    v,
  );
  return true;
}

function changeCabin(c: Ctx): boolean {
  const options: Array<[Readonly<PyObject>, Cabin, string]> = [];
  for (const r of myReservations(c, active(c))) {
    for (const cabin of CABINS) {
      if (cabin === r.cabin) continue;
      if (!flightsOf(r).every((f) => bookable(c.db, f, cabin, (r.passengers as PyObject[]).length))) continue;
      const pmId = changePayment(c, flightChangeDifference(c.db, r, flightsOf(r), cabin));
      if (pmId !== undefined && checkChangeCabin(c.db, c.userId, r.reservation_id as string, cabin, pmId).ok) options.push([r, cabin, pmId]);
    }
  }
  if (options.length === 0) return false;
  const [r, cabin, pmId] = c.rng.pick(options);
  const rid = r.reservation_id as string;
  const ref = useReservation(c, r);
  const up = CABINS.indexOf(cabin) > CABINS.indexOf(r.cabin as Cabin);
  c.d.reasons.push(`You want to ${up ? 'upgrade' : 'downgrade'} ${ref} from ${CABIN_TEXT[r.cabin as Cabin]} to ${CABIN_TEXT[cabin]} for all flights.`);
  c.d.known.push(`Any fare difference should go on your ${pmLabel(c, pmId)}.`);
  c.d.fact('payment_method_id', pmId);
  c.d.write('update_reservation_flights', { reservation_id: rid, cabin, flights: flightsOf(r).map((f) => ({ flight_number: f.flight_number, date: f.date })), payment_id: pmId });
  c.d.request('change_cabin', `I'd like to ${up ? 'upgrade' : 'change'} ${ref} to ${CABIN_TEXT[cabin]}.`, { reservation_id: rid, cabin, payment_id: pmId }, 'performed');
  return true;
}

function addBags(c: Ctx, want: 'ok' | 'remove'): boolean {
  const rs = myReservations(c, (r) => active(c)(r) && (want === 'ok' || (r.total_baggages as number) > 0));
  if (rs.length === 0) return false;
  const r = c.rng.pick(rs);
  const rid = r.reservation_id as string;
  const old = r.total_baggages as number;
  if (want === 'remove') {
    const total = c.rng.int(0, old - 1);
    const ref = useReservation(c, r);
    c.d.reasons.push(`You packed lighter than planned and want to reduce the checked bags on ${ref} from ${old} to ${total}, and get money back if you paid for bags.`);
    refuseLine(c);
    c.d.request('remove_bags', `Can I remove checked bags from ${ref}? I only need ${total} now.`, { reservation_id: rid, total_baggages: total }, 'refused', 'bags_removed');
    return true;
  }
  const total = old + c.rng.int(1, 2);
  const { nonfree, price } = bagChange(c.db, r, total);
  const pmId = changePayment(c, price);
  if (pmId === undefined) return false;
  const v = checkBags(c.db, c.userId, rid, total, pmId);
  if (!v.ok) return false;
  const ref = useReservation(c, r);
  const askPrice = price > 0 && c.rng.chance(0.6);
  c.d.reasons.push(`You want ${total} checked bags in total on ${ref} instead of ${old}.`);
  c.d.known.push(`If there is a charge, you pay with your ${pmLabel(c, pmId)}.`);
  c.d.fact('payment_method_id', pmId);
  if (askPrice) {
    c.d.instructions.push('Ask how much the extra bags cost before agreeing.');
    c.d.outputs.push(String(price));
  }
  c.d.read('get_user_details', { user_id: c.userId });
  c.d.write('update_reservation_baggages', { reservation_id: rid, total_baggages: total, nonfree_baggages: nonfree, payment_id: pmId });
  c.d.request('add_bags', `I need to add ${total - old} checked bag${total - old === 1 ? '' : 's'} to ${ref}.`, { reservation_id: rid, total_baggages: total, nonfree_baggages: nonfree, payment_id: pmId, ...(askPrice ? { ask_price: true, answer: String(price) } : {}) }, 'performed');
  return true;
}

function updatePassenger(c: Ctx): boolean {
  const rs = myReservations(c, active(c));
  if (rs.length === 0) return false;
  const r = c.rng.pick(rs);
  const rid = r.reservation_id as string;
  const passengers = (r.passengers as PyObject[]).map((p) => ({ first_name: p.first_name as string, last_name: p.last_name as string, dob: p.dob as string }));
  const i = c.rng.int(0, passengers.length - 1);
  const before = passengers[i] as { first_name: string; last_name: string; dob: string };
  let change: string;
  if (c.rng.chance(0.5)) {
    const dob = makeDob(c.rng);
    if (dob === before.dob) return false;
    passengers[i] = { ...before, dob };
    change = `the date of birth of ${before.first_name} ${before.last_name} is wrong: it should be ${dob}`;
  } else {
    const p = makePerson(c.rng);
    const dob = makeDob(c.rng);
    if (p.first_name === before.first_name && p.last_name === before.last_name) return false;
    passengers[i] = { first_name: p.first_name, last_name: p.last_name, dob };
    change = `${before.first_name} ${before.last_name} cannot travel, and ${p.first_name} ${p.last_name} (born ${dob}) will take that seat`;
  }
  const v = checkPassengers(c.db, c.userId, rid, passengers.length);
  if (!v.ok) return false;
  const ref = useReservation(c, r);
  c.d.reasons.push(`On ${ref}, ${change}.`);
  c.d.write('update_reservation_passengers', { reservation_id: rid, passengers });
  c.d.request('update_passengers', `I need to change a passenger on ${ref}: ${change}.`, { reservation_id: rid, passengers }, 'performed');
  return true;
}

function passengerCount(c: Ctx): boolean {
  const rs = myReservations(c, active(c));
  if (rs.length === 0) return false;
  const r = c.rng.pick(rs);
  const rid = r.reservation_id as string;
  const pax = r.passengers as PyObject[];
  const ref = useReservation(c, r);
  refuseLine(c);
  if (pax.length > 1 && c.rng.chance(0.5)) {
    const p = pax[pax.length - 1] as PyObject;
    c.d.reasons.push(`${String(p.first_name)} ${String(p.last_name)} is no longer coming, and you want them removed from ${ref}.`);
    c.d.request('remove_passenger', `Please remove ${String(p.first_name)} ${String(p.last_name)} from ${ref}.`, { reservation_id: rid, passenger: { ...p } }, 'refused', 'passenger_count');
  } else {
    const p = makePerson(c.rng);
    const passenger = { first_name: p.first_name, last_name: p.last_name, dob: makeDob(c.rng) };
    c.d.reasons.push(`You want to add ${p.first_name} ${p.last_name} (born ${passenger.dob}) as an extra passenger to ${ref}.`);
    c.d.request('add_passenger', `Can you add ${p.first_name} ${p.last_name} to ${ref}?`, { reservation_id: rid, passenger }, 'refused', 'passenger_count');
  }
  return true;
}

function addInsurance(c: Ctx): boolean {
  const rs = myReservations(c, (r) => active(c)(r) && r.insurance === 'no');
  if (rs.length === 0) return false;
  const r = c.rng.pick(rs);
  const rid = r.reservation_id as string;
  const v = checkInsuranceChange(c.db, c.userId, rid);
  const ref = useReservation(c, r);
  c.d.reasons.push(`You want to add travel insurance to ${ref}.`);
  refuseLine(c);
  record(c, 'add_insurance', `I'd like to add travel insurance to ${ref}.`, { reservation_id: rid }, v);
  return true;
}

// ---------------------------------------------------------------- compensation, questions, others

function compensation(c: Ctx, want: 'ok' | 'refused'): boolean {
  const options: Array<[Readonly<PyObject>, FlightRef, string]> = [];
  for (const r of myReservations(c, (x) => x.status !== 'cancelled')) {
    for (const f of flightsOf(r)) {
      const status = flightOn(c.db, f.flight_number, f.date)?.status as string;
      if (status !== 'delayed' && status !== 'cancelled') continue;
      const v = checkCompensation(c.db, c.userId, r.reservation_id as string, f);
      if (want === 'ok' ? v.ok : !v.ok && v.rule === 'not_eligible') options.push([r, f, status]);
    }
  }
  if (options.length === 0) return false;
  const [r, f, status] = c.rng.pick(options);
  const rid = r.reservation_id as string;
  const v = checkCompensation(c.db, c.userId, rid, f);
  const ref = useReservation(c, r);
  c.d.reasons.push(`Your flight ${f.flight_number} on ${f.date} (${ref}) was ${status}, and you want compensation for the trouble.`);
  c.d.known.push(`Flight ${f.flight_number} on ${f.date} was ${status}.`);
  if (v.ok) c.d.write('send_certificate', { user_id: c.userId, amount: v.amount as number });
  else refuseLine(c);
  const args = { reservation_id: rid, flight_number: f.flight_number, date: f.date, issue: status, ...(v.ok ? { amount: v.amount } : {}) };
  record(c, 'compensation', `My flight ${f.flight_number} on ${f.date} was ${status}. I want compensation.`, args, v);
  return true;
}

function askInfo(c: Ctx): boolean {
  const kind = c.rng.pick(['free_bags', 'gift_card_total', 'cheapest_fare'] as const);
  if (kind === 'free_bags') {
    const rs = myReservations(c, (r) => r.status !== 'cancelled');
    if (rs.length === 0) return false;
    const r = c.rng.pick(rs);
    const pax = (r.passengers as PyObject[]).length;
    const free = FREE_BAGS[user(c).membership as Tier][r.cabin as Cabin] * pax;
    if (free === 0) return false;
    const ref = useReservation(c, r);
    c.d.reasons.push(`You want to know how many checked bags ${ref} includes for free in total.`);
    c.d.outputs.push(String(free));
    c.d.request('ask_info', `How many free checked bags do we get on ${ref}?`, { question: 'free_bags', reservation_id: r.reservation_id as string, answer: String(free) }, 'answered');
    return true;
  }
  if (kind === 'gift_card_total') {
    const gifts = pms(c).filter((p) => p.source === 'gift_card');
    if (gifts.length < 1) return false;
    const total = gifts.reduce((s, p) => s + (p.amount as number), 0);
    c.d.reasons.push(`You want to know the total balance of your gift cards${gifts.length > 1 ? ' added together' : ''}.`);
    c.d.outputs.push(String(total));
    c.d.request('ask_info', 'What is the total balance on my gift cards?', { question: 'gift_card_total', answer: String(total) }, 'answered');
    return true;
  }
  const f = c.rng.pick([...c.db.table('flights').values()]);
  const date = addDays(TODAY, c.rng.int(1, 10));
  const cabin = c.rng.pick(CABINS);
  const opts = directFlights(c, f.origin as string, f.destination as string, date, cabin, 1);
  const best = choose(c, opts, cabin, 'cheapest');
  if (best === undefined) return false;
  const price = priceOf(c.db, best, cabin);
  c.d.read('search_direct_flight', { origin: f.origin as string, destination: f.destination as string, date });
  c.d.reasons.push(`You are planning a trip and want to know the cheapest ${CABIN_TEXT[cabin]} fare for a direct flight from ${String(f.origin)} to ${String(f.destination)} on ${date}. You do not want to book yet.`);
  c.d.outputs.push(String(price));
  c.d.request(
    'ask_info',
    `What's the cheapest ${CABIN_TEXT[cabin]} direct fare from ${String(f.origin)} to ${String(f.destination)} on ${date}?`,
    { question: 'cheapest_fare', origin: f.origin as string, destination: f.destination as string, date, cabin, answer: String(price) },
    'answered',
  );
  return true;
}

function otherMember(c: Ctx): boolean {
  const others = [...c.db.table('reservations').values()].filter((r) => r.user_id !== c.userId && r.status !== 'cancelled');
  if (others.length === 0) return false;
  const r = c.rng.pick(others);
  const rid = r.reservation_id as string;
  c.d.fact('reservation_id', rid);
  c.d.read('get_reservation_details', { reservation_id: rid });
  c.d.reasons.push(`Your colleague asked you to cancel their reservation ${rid}; it is not under your profile.`);
  c.d.known.push(`The reservation id is ${rid}.`);
  refuseLine(c);
  c.d.request('cancel_reservation', `I need to cancel reservation ${rid} for a colleague.`, { reservation_id: rid, reason: 'change of plans' }, 'refused', 'reservation_not_owned');
  return true;
}

function transfer(c: Ctx): boolean {
  const topic = c.rng.pick(['used_segment', 'lost_baggage', 'special_assistance', 'large_group'] as const);
  if (topic === 'used_segment') {
    const rs = myReservations(c, (r) => r.status !== 'cancelled' && flightsOf(r).some((f) => segmentUsed(c.db, f)) && !flightsOf(r).every((f) => segmentUsed(c.db, f)));
    if (rs.length === 0) return false;
    const r = c.rng.pick(rs);
    const rid = r.reservation_id as string;
    const ref = useReservation(c, r);
    const v = checkCancel(c.db, c.userId, rid, 'change of plans');
    if (v.ok || v.rule !== 'segment_used') return false;
    c.d.fact('reason', 'change of plans');
    c.d.reasons.push(`You already flew the first part of ${ref}, your plans changed, and you want to cancel the rest of the trip.`);
    c.d.instructions.push('If the agent offers to transfer you to a human agent, accept.');
    c.d.transfer(`User ${c.userId} wants to cancel the remaining flights of reservation ${rid}, which has already-flown segments.`);
    c.d.request('cancel_reservation', `I want to cancel the rest of ${ref}; I've already flown the first part.`, { reservation_id: rid, reason: 'change of plans' }, 'transfer', 'segment_used');
    return true;
  }
  c.d.instructions.push('If the agent offers to transfer you to a human agent, accept.');
  if (topic === 'large_group') {
    const n = c.rng.int(6, 9);
    c.d.reasons.push(`You want to book one reservation for a group of ${n} people travelling together next week.`);
    c.d.transfer(`User ${c.userId} wants to book a single reservation for ${n} passengers.`);
    c.d.request('book_flight', `I need to book flights for a group of ${n} people on one reservation.`, { passengers_count: n }, 'transfer', 'too_many_passengers');
    return true;
  }
  const text = topic === 'lost_baggage' ? 'Your checked suitcase did not arrive on your last flight and you want to report it lost.' : 'You need wheelchair assistance at the airport for your upcoming flight.';
  c.d.reasons.push(text);
  c.d.transfer(topic === 'lost_baggage' ? `User ${c.userId} reports a lost checked bag.` : `User ${c.userId} needs wheelchair assistance for an upcoming flight.`);
  c.d.request('transfer', topic === 'lost_baggage' ? 'My suitcase never arrived and I want to report it lost.' : 'I need wheelchair assistance for my next flight.', { topic }, 'transfer', 'out_of_scope');
  return true;
}

const SINGLE: Record<string, Sub> = {
  book_one_way: (c) => book(c, 'one_way'),
  book_round_trip: (c) => book(c, 'round_trip'),
  book_conditional: (c) => book(c, 'conditional'),
  cancel: (c) => cancel(c, 'ok'),
  change_flights: (c) => changeFlights(c, 'ok'),
  change_cabin: changeCabin,
  add_bags: (c) => addBags(c, 'ok'),
  update_passenger: updatePassenger,
  compensation: (c) => compensation(c, 'ok'),
  ask_info: askInfo,
  refuse_cancel: (c) => cancel(c, 'refused'),
  refuse_basic_economy_change: (c) => changeFlights(c, 'basic'),
  refuse_remove_bags: (c) => addBags(c, 'remove'),
  refuse_add_insurance: addInsurance,
  refuse_passenger_count: passengerCount,
  refuse_compensation: (c) => compensation(c, 'refused'),
  refuse_other_member: otherMember,
  transfer,
};

const COMBINABLE = ['book_one_way', 'cancel', 'change_flights', 'change_cabin', 'add_bags', 'update_passenger', 'compensation', 'ask_info', 'refuse_cancel', 'refuse_add_insurance'] as const;

function multi(c: Ctx): boolean {
  let done = 0;
  for (const name of c.rng.sample(COMBINABLE, COMBINABLE.length)) {
    if (done >= 2) break;
    if ((SINGLE[name] as Sub)(c)) done++;
  }
  return done >= 2;
}

const CATEGORIES: Record<string, Sub> = { ...SINGLE, multi };

/** Categories tried, in order, when no member fits the scheduled one. */
const FALLBACK_CATEGORIES = ['ask_info', 'transfer'] as const;

/**
 * Generates `count` airline tasks for a seed. Deterministic: the same base, seed and count give
 * identical tasks.
 */
export function generateAirlineTasks(options: AirlineTaskOptions): Task[] {
  const seed = String(options.seed ?? DEFAULT_AIRLINE_SEED);
  return scheduleTasks({
    domain: 'airline',
    seed,
    defaultSeed: String(DEFAULT_AIRLINE_SEED),
    count: options.count ?? 50,
    categories: AIRLINE_CATEGORIES,
    fallbacks: FALLBACK_CATEGORIES,
    base: options.base,
    registry: options.registry,
    who: 'member',
    attempt: ({ rng, draft: d, env, userId, category, variant }) => {
      const c: Ctx = { rng, d, db: env.db, userId, used: new Set(), variant };
      const u = user(c);
      const name = u.name as PyObject;
      d.read('get_user_details', { user_id: userId });
      d.known.push(`Your user id is ${userId}.`);
      d.fact('user_id', userId);
      const persona = rng.pick(PERSONAS);
      if (!(CATEGORIES[category] as Sub)(c)) return undefined;
      return { identity: { user_id: userId, first_name: name.first_name as string, last_name: name.last_name as string, email: u.email as string }, persona };
    },
  });
}
