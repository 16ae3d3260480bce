/**
 * The flight checks and pricing that booking and flight changes share: the flight exists, flies
 * on the date, is available there and has seats for every passenger in the cabin; the leg is
 * priced at the cabin's current price. v1 writes price/origin/destination onto the requested
 * flight object; τ² builds a new reservation-flight record.
 */
import { cmp, type PyNum } from '../../../src/core/py/py-float.js';
import { pyObject, setKey, type PyObject } from '../../../src/core/py/py-value.js';
import type { DbState, Table } from '../../../src/env/db-state.js';
import { ToolFailure } from '../../../src/env/tool.js';
import { asInt } from '../tau2-model.js';
import { item, numItem, objItem, own } from './py-ops.js';
import { tau2FlightInstance } from './tau2-ops.js';

/**
 * v1: checks one requested flight and prices it for `pax` passengers in `cabin`, writing
 * `price`, `origin` and `destination` onto `flight` (in that key order). Returns the price, or
 * the reference's error observation.
 */
export function priceV1Leg(flights: Table, flight: PyObject, cabin: string, pax: number): { price: PyNum } | { error: string } {
  const flightNumber = item(flight, 'flight_number') as string;
  const flightData = flights.get(flightNumber);
  if (flightData === undefined) return { error: `Error: flight ${flightNumber} not found` };
  const date = item(flight, 'date') as string;
  const dateData = own(flightData.dates, date);
  if (dateData === undefined) return { error: `Error: flight ${flightNumber} not found on date ${date}` };
  if (item(dateData, 'status') !== 'available') return { error: `Error: flight ${flightNumber} not available on date ${date}` };
  if (cmp.lt(numItem(objItem(dateData, 'available_seats'), cabin), pax)) return { error: `Error: not enough seats on flight ${flightNumber}` };
  const price = numItem(objItem(dateData, 'prices'), cabin);
  setKey(flight, 'price', price);
  setKey(flight, 'origin', item(flightData, 'origin'));
  setKey(flight, 'destination', item(flightData, 'destination'));
  return { price };
}

/**
 * τ²: checks one flight (its record as `tau2Flight` returned it) on a date for `pax` passengers
 * in `cabin`, throwing τ²'s errors, and returns its reservation-flight record and price.
 */
export function tau2Leg(db: DbState, flight: Readonly<PyObject>, flightNumber: string, date: string, cabin: string, pax: number): { leg: PyObject; price: number } {
  const dateData = tau2FlightInstance(db, flightNumber, date);
  if (item(dateData, 'status') !== 'available') throw new ToolFailure(`Flight ${flightNumber} not available on date ${date}`);
  if (cmp.lt(numItem(objItem(dateData, 'available_seats'), cabin), pax)) throw new ToolFailure(`Not enough seats on flight ${flightNumber}`);
  const price = asInt(numItem(objItem(dateData, 'prices'), cabin));
  const leg = pyObject([
    ['flight_number', flightNumber],
    ['origin', item(flight, 'origin')],
    ['destination', item(flight, 'destination')],
    ['date', date],
    ['price', price],
  ]);
  return { leg, price };
}
