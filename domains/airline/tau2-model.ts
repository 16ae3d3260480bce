/**
 * τ²'s pydantic view of airline records. τ² loads its database into pydantic models and answers
 * with `json.dumps(model.model_dump())`, so its records and outputs follow the MODEL's field order
 * and types, not the file's: users gain `user_id` first, payment methods read `source, id, …`,
 * gift-card and certificate amounts are floats, reservation flights read `flight_number, origin,
 * destination, date, price`, and reservations always carry `status` (`null` until cancelled).
 * The τ² tool variant keeps its database in this form ({@link toTau2Record} at load time) so
 * that its outputs are plain `pyDumps(record)`.
 */
import { PyFloat, num, type PyNum } from '../../src/core/py/py-float.js';
import { isPyObject, orderedKeys, pyObject, type PyObject, type PyValue } from '../../src/core/py/py-value.js';
import type { AirlineTable } from './schema.js';

/** Pydantic `float` field: ints become floats. */
export function asFloat(v: PyNum): PyFloat {
  return v instanceof PyFloat ? v : new PyFloat(v);
}

/** Pydantic `int` field in lax mode: an integral float becomes an int. */
export function asInt(v: PyNum): number {
  return num(v);
}

function field(rec: Readonly<PyObject>, key: string): PyValue {
  const v = Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
  return v === undefined ? null : v;
}

function obj(v: PyValue): Readonly<PyObject> {
  return isPyObject(v) ? v : {};
}

function list(v: PyValue): readonly PyValue[] {
  return Array.isArray(v) ? v : [];
}

/** `Passenger` model: first_name, last_name, dob. */
export function passengerModel(p: Readonly<PyObject>): PyObject {
  return pyObject([
    ['first_name', field(p, 'first_name')],
    ['last_name', field(p, 'last_name')],
    ['dob', field(p, 'dob')],
  ]);
}

/** `Payment` model: payment_id, amount (int). */
export function paymentModel(p: Readonly<PyObject>): PyObject {
  const amount = field(p, 'amount');
  return pyObject([
    ['payment_id', field(p, 'payment_id')],
    ['amount', typeof amount === 'number' || amount instanceof PyFloat ? asInt(amount) : amount],
  ]);
}

/** `ReservationFlight` model: flight_number, origin, destination, date, price. */
export function reservationFlightModel(f: Readonly<PyObject>): PyObject {
  const price = field(f, 'price');
  return pyObject([
    ['flight_number', field(f, 'flight_number')],
    ['origin', field(f, 'origin')],
    ['destination', field(f, 'destination')],
    ['date', field(f, 'date')],
    ['price', typeof price === 'number' || price instanceof PyFloat ? asInt(price) : price],
  ]);
}

/** `Reservation` model, `status` last (null unless cancelled). */
export function reservationModel(r: Readonly<PyObject>): PyObject {
  return pyObject([
    ['reservation_id', field(r, 'reservation_id')],
    ['user_id', field(r, 'user_id')],
    ['origin', field(r, 'origin')],
    ['destination', field(r, 'destination')],
    ['flight_type', field(r, 'flight_type')],
    ['cabin', field(r, 'cabin')],
    ['flights', list(field(r, 'flights')).map((f) => reservationFlightModel(obj(f)))],
    ['passengers', list(field(r, 'passengers')).map((p) => passengerModel(obj(p)))],
    ['payment_history', list(field(r, 'payment_history')).map((p) => paymentModel(obj(p)))],
    ['created_at', field(r, 'created_at')],
    ['total_baggages', field(r, 'total_baggages')],
    ['nonfree_baggages', field(r, 'nonfree_baggages')],
    ['insurance', field(r, 'insurance')],
    ['status', field(r, 'status')],
  ]);
}

/** Payment method models: `source, id, brand, last_four` or `source, id, amount` (float). */
export function paymentMethodModel(m: Readonly<PyObject>): PyObject {
  const source = field(m, 'source');
  if (source === 'credit_card') {
    return pyObject([
      ['source', source],
      ['id', field(m, 'id')],
      ['brand', field(m, 'brand')],
      ['last_four', field(m, 'last_four')],
    ]);
  }
  const amount = field(m, 'amount');
  return pyObject([
    ['source', source],
    ['id', field(m, 'id')],
    ['amount', typeof amount === 'number' || amount instanceof PyFloat ? asFloat(amount) : amount],
  ]);
}

/** `User` model, with `user_id` first (taken from the table key when the record lacks it). */
export function userModel(id: string, u: Readonly<PyObject>): PyObject {
  const name = obj(field(u, 'name'));
  const address = obj(field(u, 'address'));
  const methods = obj(field(u, 'payment_methods'));
  const userId = field(u, 'user_id');
  return pyObject([
    ['user_id', typeof userId === 'string' ? userId : id],
    ['name', pyObject([['first_name', field(name, 'first_name')], ['last_name', field(name, 'last_name')]])],
    [
      'address',
      pyObject(['address1', 'address2', 'city', 'country', 'state', 'zip'].map((k) => [k, field(address, k)] as const)),
    ],
    ['email', field(u, 'email')],
    ['dob', field(u, 'dob')],
    ['payment_methods', pyObject(orderedKeys(methods).map((k) => [k, paymentMethodModel(obj(methods[k] as PyValue))] as const))],
    ['saved_passengers', list(field(u, 'saved_passengers')).map((p) => passengerModel(obj(p)))],
    ['membership', field(u, 'membership')],
    ['reservations', [...list(field(u, 'reservations'))]],
  ]);
}

/**
 * Flight model: the file's layout already matches it (flight_number, origin, destination,
 * scheduled times, dates → status record), so flights are kept as loaded.
 */
export function flightModel(f: Readonly<PyObject>): PyObject {
  return f as PyObject;
}

/** A record of a table in τ² model form. */
export function toTau2Record(table: AirlineTable, id: string, rec: Readonly<PyObject>): PyObject {
  switch (table) {
    case 'users':
      return userModel(id, rec);
    case 'reservations':
      return reservationModel(rec);
    case 'flights':
      return flightModel(rec);
  }
}
