/**
 * Argument schemas shared by the airline tools. Nested objects accept extra keys (the v1
 * reference stores what the model sent, extra keys included); the tools receive the original
 * parsed values, not zod's output.
 */
import { z } from 'zod';
import { PyFloat, type PyNum } from '../../../src/core/py/py-float.js';
import { CABINS, FLIGHT_TYPES, INSURANCE } from '../schema.js';

/** A finite Python int or float (JSON Schema `number`). */
export function finiteNumber(): z.ZodType<PyNum> {
  return z
    .custom<PyNum>((v) => (typeof v === 'number' && Number.isFinite(v)) || (v instanceof PyFloat && Number.isFinite(v.value)), {
      message: 'expected a number',
    })
    .meta({ type: 'number' });
}

/**
 * A whole number given as an int or as a float with no fractional part (pydantic's lax `int`),
 * JSON Schema `integer`.
 */
export function wholeNumber(): z.ZodType<PyNum> {
  return z
    .custom<PyNum>((v) => (typeof v === 'number' || v instanceof PyFloat) && Number.isInteger(typeof v === 'number' ? v : v.value), {
      message: 'expected an integer',
    })
    .meta({ type: 'integer' });
}

/**
 * A number advertised as `integer` but accepted as any finite int or float, as τ²'s
 * `send_certificate(amount: int)` does (its argument is not validated).
 */
export function advertisedInteger(): z.ZodType<PyNum> {
  return z
    .custom<PyNum>((v) => (typeof v === 'number' && Number.isFinite(v)) || (v instanceof PyFloat && Number.isFinite(v.value)), {
      message: 'expected a number',
    })
    .meta({ type: 'integer' });
}

export const reservationIdArg = z.string().describe("Reservation code, six characters, e.g. '8JX2WO'.");
export const userIdArg = z.string().describe("Customer's user id, e.g. 'sara_doe_496'.");
export const airportArg = (which: 'origin' | 'destination'): z.ZodString =>
  z.string().describe(`Three-letter IATA code of the ${which} airport, e.g. '${which === 'origin' ? 'JFK' : 'LAX'}'.`);
export const dateArg = z.string().describe("Travel date as YYYY-MM-DD, e.g. '2024-05-01'.");
export const cabinArg = z.enum(CABINS).describe('Cabin class for every passenger and flight of the reservation.');
export const flightTypeArg = z.enum(FLIGHT_TYPES).describe('Whether the trip is one way or a round trip.');
export const insuranceArg = z.enum(INSURANCE).describe('Whether travel insurance is bought (30 per passenger).');
export const paymentIdArg = z
  .string()
  .describe("Id of a payment method saved in the customer's profile, e.g. 'credit_card_7815826' or 'gift_card_7815826'.");

/** One flight segment by number and date. */
export const flightInfoArg = z.object({
  flight_number: z.string().describe("Flight number, e.g. 'HAT001'."),
  date: z.string().describe("Date of this segment as YYYY-MM-DD, e.g. '2024-05-01'."),
});

/** One passenger. */
export const passengerArg = z.object({
  first_name: z.string().describe("Passenger's first name, e.g. 'Noah'."),
  last_name: z.string().describe("Passenger's last name, e.g. 'Brown'."),
  dob: z.string().describe("Passenger's date of birth as YYYY-MM-DD, e.g. '1990-01-01'."),
});

/** One payment toward a new booking. */
export function paymentArg(amount: z.ZodType<PyNum>): z.ZodObject {
  return z.object({
    payment_id: paymentIdArg,
    amount: amount.describe('Amount charged to this payment method.'),
  });
}
