/**
 * τ²'s shared airline helpers (`_get_user`, `_get_reservation`, `_get_flight`,
 * `_get_flight_instance`, `_search_direct_flight`, `_payment_for_update`), with τ²'s error texts.
 */
import { cmp, sub, type PyNum } from '../../../src/core/py/py-float.js';
import { pyObject, setKey, type PyObject, type PyValue } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { ToolFailure } from '../../../src/env/tool.js';
import { asFloat } from '../tau2-model.js';
import { item, numItem, objItem, own } from './py-ops.js';

/** `_get_user`: the user record or `User {id} not found`. */
export function tau2User(db: DbState, userId: string): Readonly<PyObject> {
  const u = db.table('users').get(userId);
  if (u === undefined) throw new ToolFailure(`User ${userId} not found`);
  return u;
}

/** `_get_reservation`: the reservation or `Reservation {id} not found`. */
export function tau2Reservation(db: DbState, reservationId: string): Readonly<PyObject> {
  const r = db.table('reservations').get(reservationId);
  if (r === undefined) throw new ToolFailure(`Reservation ${reservationId} not found`);
  return r;
}

/** `_get_flight`: the flight or `Flight {number} not found`. */
export function tau2Flight(db: DbState, flightNumber: string): Readonly<PyObject> {
  const f = db.table('flights').get(flightNumber);
  if (f === undefined) throw new ToolFailure(`Flight ${flightNumber} not found`);
  return f;
}

/** `_get_flight_instance`: the flight's record for a date, or `Flight {n} not found on date {d}`. */
export function tau2FlightInstance(db: DbState, flightNumber: string, date: string): PyObject {
  const f = tau2Flight(db, flightNumber);
  const rec = own(f.dates, date);
  if (rec === undefined) throw new ToolFailure(`Flight ${flightNumber} not found on date ${date}`);
  return rec as PyObject;
}

/** `_get_new_reservation_id`: HATHAT, HATHAU, HATHAV, then `Too many reservations`. */
export function tau2NewReservationId(db: DbState): string {
  const reservations = db.table('reservations');
  for (const id of ['HATHAT', 'HATHAU', 'HATHAV']) if (!reservations.has(id)) return id;
  throw new ToolFailure('Too many reservations');
}

/** A τ² `DirectFlight` (model field order; `date` null unless set). */
export function directFlight(flight: Readonly<PyObject>, rec: Readonly<PyObject>, date: string | null): PyObject {
  return pyObject([
    ['flight_number', item(flight, 'flight_number')],
    ['origin', item(flight, 'origin')],
    ['destination', item(flight, 'destination')],
    ['status', 'available'],
    ['scheduled_departure_time_est', item(flight, 'scheduled_departure_time_est')],
    ['scheduled_arrival_time_est', item(flight, 'scheduled_arrival_time_est')],
    ['date', date],
    ['available_seats', item(rec, 'available_seats')],
    ['prices', item(rec, 'prices')],
  ]);
}

/** Filters of {@link tau2SearchDirect}; absent ones match everything. */
export interface DirectSearch {
  date: string;
  origin?: string;
  destination?: string;
  /** Earliest scheduled departure (`HH:MM:SS`, string comparison as in the reference). */
  leaveAfter?: string;
}

/** `_search_direct_flight`: available flights on a date, in table order, `date` unset. */
export function tau2SearchDirect(db: DbState, q: DirectSearch): PyObject[] {
  const out: PyObject[] = [];
  for (const flight of db.table('flights').values()) {
    if (q.origin !== undefined && flight.origin !== q.origin) continue;
    if (q.destination !== undefined && flight.destination !== q.destination) continue;
    const rec = own(flight.dates, q.date);
    if (rec === undefined || own(rec, 'status') !== 'available') continue;
    if (q.leaveAfter !== undefined && !(String(flight.scheduled_departure_time_est) >= q.leaveAfter)) continue;
    out.push(directFlight(flight, rec as PyObject, null));
  }
  return out;
}

/**
 * `_payment_for_update`: checks the payment method, takes `total` off a gift card, and returns the
 * payment to record (`null` when the total is 0).
 */
export function tau2PaymentForUpdate(db: DbState, userId: string, paymentId: string, total: PyNum): PyObject | null {
  const user = tau2User(db, userId);
  const method = own(user.payment_methods, paymentId);
  if (method === undefined) throw new ToolFailure('Payment method not found');
  const source = item(method, 'source');
  if (source === 'certificate') throw new ToolFailure('Certificate cannot be used to update reservation');
  if (source === 'gift_card' && cmp.lt(numItem(method, 'amount'), total)) throw new ToolFailure('Gift card balance is not enough');
  if (source === 'gift_card') {
    const m = objItem(objItem(db.table('users').mut(userId), 'payment_methods'), paymentId);
    setKey(m, 'amount', sub(asFloat(numItem(m, 'amount')), total));
  }
  return cmp.eq(total, 0) ? null : pyObject([['payment_id', paymentId], ['amount', total as PyValue]]);
}
