/**
 * The airline policy oracle: the rules of `domains/airline/policy.md` as code, over the current
 * database state. The task generator asks it before every write, so gold actions never break the
 * policy; what it refuses becomes a refusal (or transfer) task.
 */
import type { PyObject } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import {
  CERTIFICATE_CANCELLED,
  CERTIFICATE_DELAYED,
  EXTRA_BAG_PRICE,
  FREE_CANCEL_AFTER,
  INSURANCE_PRICE,
  INSURED_REASONS,
  MAX_CERTIFICATES,
  MAX_CREDIT_CARDS,
  MAX_GIFT_CARDS,
  MAX_PASSENGERS,
  TODAY,
  nonfreeBags,
  type Cabin,
  type CancelReason,
  type Tier,
} from './rules.js';

/** A rule that forbids (or makes impossible) a request. */
export type AirlineRule =
  | 'reservation_not_owned'
  | 'already_cancelled'
  | 'segment_used'
  | 'not_cancellable'
  | 'basic_economy_change'
  | 'route_change'
  | 'flight_unavailable'
  | 'payment_method_not_owned'
  | 'certificate_for_change'
  | 'insufficient_balance'
  | 'bags_removed'
  | 'passenger_count'
  | 'insurance_after_booking'
  | 'no_disruption'
  | 'not_eligible'
  | 'too_many_passengers'
  | 'payment_limits'
  | 'payment_total'
  | 'out_of_scope';

/** The oracle's answer. */
export type Verdict = { ok: true } | { ok: false; rule: AirlineRule };
const OK: Verdict = { ok: true };
const no = (rule: AirlineRule): Verdict => ({ ok: false, rule });

/** A flight segment reference. */
export interface FlightRef {
  flight_number: string;
  date: string;
}

/** A payment of a booking. */
export interface Payment {
  payment_id: string;
  amount: number;
}

export function reservationOf(db: DbState, rid: string): Readonly<PyObject> | undefined {
  return db.table('reservations').get(rid);
}

export function userOf(db: DbState, userId: string): Readonly<PyObject> | undefined {
  return db.table('users').get(userId);
}

/** A saved payment method of the user. */
export function paymentMethodOf(db: DbState, userId: string, pmId: string): Readonly<PyObject> | undefined {
  const pms = userOf(db, userId)?.payment_methods as PyObject | undefined;
  return pms !== undefined && Object.prototype.hasOwnProperty.call(pms, pmId) ? (pms[pmId] as PyObject) : undefined;
}

/** The record of a flight on a date, if any. */
export function flightOn(db: DbState, flightNumber: string, date: string): Readonly<PyObject> | undefined {
  const f = db.table('flights').get(flightNumber);
  const dates = f?.dates as PyObject | undefined;
  return dates !== undefined && Object.prototype.hasOwnProperty.call(dates, date) ? (dates[date] as PyObject) : undefined;
}

/** Policy section 4: the segment departed already (before today, or today before 15:00). */
export function segmentUsed(db: DbState, seg: FlightRef): boolean {
  if (seg.date < TODAY) return true;
  if (seg.date > TODAY) return false;
  const dep = db.table('flights').get(seg.flight_number)?.scheduled_departure_time_est as string | undefined;
  return dep !== undefined && dep < '15:00:00';
}

function segments(res: Readonly<PyObject>): FlightRef[] {
  return (res.flights as PyObject[]).map((f) => ({ flight_number: f.flight_number as string, date: f.date as string }));
}

/** Ownership, not cancelled, no used segment: the preconditions of every change and of cancelling. */
function changeable(db: DbState, userId: string, rid: string): Readonly<PyObject> | Verdict {
  const res = reservationOf(db, rid);
  if (res === undefined || res.user_id !== userId) return no('reservation_not_owned');
  if (res.status === 'cancelled') return no('already_cancelled');
  if (segments(res).some((s) => segmentUsed(db, s))) return no('segment_used');
  return res;
}
const isVerdict = (x: unknown): x is Verdict => typeof x === 'object' && x !== null && 'ok' in x;

/** True if some flight of the reservation is cancelled on its date. */
export function hasAirlineCancellation(db: DbState, res: Readonly<PyObject>): boolean {
  return segments(res).some((s) => flightOn(db, s.flight_number, s.date)?.status === 'cancelled');
}

/** Policy section 8. */
export function checkCancel(db: DbState, userId: string, rid: string, reason: CancelReason): Verdict {
  const res = changeable(db, userId, rid);
  if (isVerdict(res)) return res;
  if ((res.created_at as string) > FREE_CANCEL_AFTER) return OK;
  if (hasAirlineCancellation(db, res)) return OK;
  if (res.cabin === 'business') return OK;
  if (res.insurance === 'yes' && INSURED_REASONS.includes(reason)) return OK;
  return no('not_cancellable');
}

/** Available with enough seats for `pax` in `cabin`. */
export function bookable(db: DbState, seg: FlightRef, cabin: Cabin, pax: number): boolean {
  const rec = flightOn(db, seg.flight_number, seg.date);
  return rec?.status === 'available' && ((rec.available_seats as PyObject)[cabin] as number) >= pax;
}

/** Price of a cabin on a flight date (must be available). */
export function priceOf(db: DbState, seg: FlightRef, cabin: Cabin): number {
  return ((flightOn(db, seg.flight_number, seg.date) as PyObject).prices as PyObject)[cabin] as number;
}

/** The fare difference of replacing the flights (v1 `update_reservation_flights` arithmetic). */
export function flightChangeDifference(db: DbState, res: Readonly<PyObject>, flights: readonly FlightRef[], cabin: Cabin): number {
  const pax = (res.passengers as PyObject[]).length;
  const old = res.flights as PyObject[];
  let total = 0;
  for (const f of flights) {
    const kept = old.find((o) => o.flight_number === f.flight_number && o.date === f.date && cabin === res.cabin);
    total += (kept !== undefined ? (kept.price as number) : priceOf(db, f, cabin)) * pax;
  }
  return total - old.reduce((s, o) => s + (o.price as number), 0) * pax;
}

function checkUpdatePayment(db: DbState, userId: string, pmId: string, amount: number): Verdict {
  const pm = paymentMethodOf(db, userId, pmId);
  if (pm === undefined) return no('payment_method_not_owned');
  if (pm.source === 'certificate') return no('certificate_for_change');
  if (pm.source === 'gift_card' && (pm.amount as number) < amount) return no('insufficient_balance');
  return OK;
}

/** Route endpoints of a flight list (first origin, and the turning point or last destination). */
function endpoints(db: DbState, flights: readonly FlightRef[]): Array<[string, string]> {
  return flights.map((f) => {
    const r = db.table('flights').get(f.flight_number) as PyObject;
    return [r.origin as string, r.destination as string];
  });
}

/** Policy section 7, flights (same cabin). */
export function checkChangeFlights(db: DbState, userId: string, rid: string, flights: readonly FlightRef[], pmId: string): Verdict {
  const res = changeable(db, userId, rid);
  if (isVerdict(res)) return res;
  if (res.cabin === 'basic_economy') return no('basic_economy_change');
  const legs = endpoints(db, flights);
  const first = legs[0];
  const last = legs[legs.length - 1];
  if (first === undefined || last === undefined || first[0] !== res.origin) return no('route_change');
  if (res.flight_type === 'one_way' && last[1] !== res.destination) return no('route_change');
  if (res.flight_type === 'round_trip' && (last[1] !== res.origin || !legs.some(([, d]) => d === res.destination))) return no('route_change');
  const cabin = res.cabin as Cabin;
  const pax = (res.passengers as PyObject[]).length;
  const old = res.flights as PyObject[];
  for (const f of flights) {
    const kept = old.some((o) => o.flight_number === f.flight_number && o.date === f.date);
    if (!kept && !bookable(db, f, cabin, pax)) return no('flight_unavailable');
  }
  return checkUpdatePayment(db, userId, pmId, flightChangeDifference(db, res, flights, cabin));
}

/** Policy section 7, cabin. */
export function checkChangeCabin(db: DbState, userId: string, rid: string, cabin: Cabin, pmId: string): Verdict {
  const res = changeable(db, userId, rid);
  if (isVerdict(res)) return res;
  const pax = (res.passengers as PyObject[]).length;
  const flights = segments(res);
  if (cabin === res.cabin || !flights.every((f) => bookable(db, f, cabin, pax))) return no('flight_unavailable');
  return checkUpdatePayment(db, userId, pmId, flightChangeDifference(db, res, flights, cabin));
}

/** The membership tier of the reservation's owner. */
export function tierOf(db: DbState, res: Readonly<PyObject>): Tier {
  return userOf(db, res.user_id as string)?.membership as Tier;
}

/** New non-free bag count and price for a new bag total (policy sections 5 and 7). */
export function bagChange(db: DbState, res: Readonly<PyObject>, total: number): { nonfree: number; price: number } {
  const pax = (res.passengers as PyObject[]).length;
  const nonfree = Math.max(res.nonfree_baggages as number, nonfreeBags(tierOf(db, res), res.cabin as Cabin, pax, total));
  return { nonfree, price: EXTRA_BAG_PRICE * Math.max(0, nonfree - (res.nonfree_baggages as number)) };
}

/** Policy section 7, bags. */
export function checkBags(db: DbState, userId: string, rid: string, total: number, pmId: string): Verdict {
  const res = changeable(db, userId, rid);
  if (isVerdict(res)) return res;
  if (total < (res.total_baggages as number)) return no('bags_removed');
  return checkUpdatePayment(db, userId, pmId, bagChange(db, res, total).price);
}

/** Policy section 7, passengers. */
export function checkPassengers(db: DbState, userId: string, rid: string, count: number): Verdict {
  const res = changeable(db, userId, rid);
  if (isVerdict(res)) return res;
  return count === (res.passengers as PyObject[]).length ? OK : no('passenger_count');
}

/** Policy section 7: insurance is never added or removed after booking. */
export function checkInsuranceChange(db: DbState, userId: string, rid: string): Verdict {
  const res = reservationOf(db, rid);
  if (res === undefined || res.user_id !== userId) return no('reservation_not_owned');
  return no('insurance_after_booking');
}

/** Policy section 9: the certificate amount, or the rule that forbids it. */
export function checkCompensation(db: DbState, userId: string, rid: string, seg: FlightRef): Verdict & { amount?: number } {
  const res = reservationOf(db, rid);
  if (res === undefined || res.user_id !== userId) return no('reservation_not_owned');
  if (res.status === 'cancelled') return no('already_cancelled');
  const onRes = (res.flights as PyObject[]).some((f) => f.flight_number === seg.flight_number && f.date === seg.date);
  const status = flightOn(db, seg.flight_number, seg.date)?.status;
  if (!onRes || (status !== 'cancelled' && status !== 'delayed')) return no('no_disruption');
  const user = userOf(db, userId) as PyObject;
  const eligible = user.membership === 'silver' || user.membership === 'gold' || res.insurance === 'yes' || res.cabin === 'business';
  if (!eligible) return no('not_eligible');
  const pax = (res.passengers as PyObject[]).length;
  return { ok: true, amount: (status === 'cancelled' ? CERTIFICATE_CANCELLED : CERTIFICATE_DELAYED) * pax };
}

/** A booking request, resolved. */
export interface Booking {
  cabin: Cabin;
  flights: FlightRef[];
  passengers: number;
  insurance: 'yes' | 'no';
  totalBaggages: number;
}

/** Price and non-free bags of a booking (policy sections 5 and 6). */
export function bookingTotal(db: DbState, userId: string, b: Booking): { total: number; nonfree: number } {
  const tier = userOf(db, userId)?.membership as Tier;
  const nonfree = nonfreeBags(tier, b.cabin, b.passengers, b.totalBaggages);
  const fares = b.flights.reduce((s, f) => s + priceOf(db, f, b.cabin) * b.passengers, 0);
  return { total: fares + (b.insurance === 'yes' ? INSURANCE_PRICE * b.passengers : 0) + EXTRA_BAG_PRICE * nonfree, nonfree };
}

/** Policy section 6. */
export function checkBooking(db: DbState, userId: string, b: Booking, payments: readonly Payment[]): Verdict {
  if (b.passengers > MAX_PASSENGERS) return no('too_many_passengers');
  if (!b.flights.every((f) => bookable(db, f, b.cabin, b.passengers))) return no('flight_unavailable');
  const counts = { certificate: 0, credit_card: 0, gift_card: 0 } as Record<string, number>;
  for (const p of payments) {
    const pm = paymentMethodOf(db, userId, p.payment_id);
    if (pm === undefined) return no('payment_method_not_owned');
    counts[pm.source as string] = (counts[pm.source as string] ?? 0) + 1;
    if ((pm.source === 'gift_card' || pm.source === 'certificate') && (pm.amount as number) < p.amount) return no('insufficient_balance');
  }
  if ((counts.certificate ?? 0) > MAX_CERTIFICATES || (counts.credit_card ?? 0) > MAX_CREDIT_CARDS || (counts.gift_card ?? 0) > MAX_GIFT_CARDS) return no('payment_limits');
  if (payments.reduce((s, p) => s + p.amount, 0) !== bookingTotal(db, userId, b).total) return no('payment_total');
  return OK;
}
