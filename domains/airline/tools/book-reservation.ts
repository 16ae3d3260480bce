/**
 * `book_reservation`: creates a reservation for a customer, prices it, and charges it to the
 * given payment methods.
 */
import { z } from 'zod';
import { add, cmp, formatPyNum, mul, pySum, sub, type PyNum } from '../../../src/core/py/py-float.js';
import { pyDumps } from '../../../src/core/py/py-json.js';
import { clonePy, deleteKey, pyObject, setKey, type PyObject, type PyValue } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { ToolFailure, defineTool, pyInt } from '../../../src/env/tool.js';
import { paymentModel, passengerModel, reservationModel } from '../tau2-model.js';
import {
  airportArg,
  cabinArg,
  finiteNumber,
  flightInfoArg,
  flightTypeArg,
  insuranceArg,
  passengerArg,
  paymentArg,
  userIdArg,
  wholeNumber,
} from './args.js';
import { item, keyError, listItem, numItem, objItem, own } from './py-ops.js';
import { tau2Flight, tau2NewReservationId, tau2User } from './tau2-ops.js';
import { priceV1Leg, tau2Leg } from './flight-legs.js';

/** When every booking is made (the simulated "now"). */
export const BOOKING_TIME = '2024-05-15T15:00:00';

function bookSchema(amount: z.ZodType<PyNum>) {
  return z.strictObject({
    user_id: userIdArg.describe('Id of the customer who books, e.g. \'sara_doe_496\'.'),
    origin: airportArg('origin').describe("IATA code of the trip's first departure airport, e.g. 'SFO'."),
    destination: airportArg('destination').describe("IATA code of the trip's final destination, e.g. 'JFK'."),
    flight_type: flightTypeArg,
    cabin: cabinArg,
    flights: z.array(flightInfoArg).describe('Every flight segment of the trip, in travel order.'),
    passengers: z.array(passengerArg).describe('Everyone travelling on this reservation.'),
    payment_methods: z.array(paymentArg(amount)).describe('How the total is paid; the amounts must add up exactly to the total price.'),
    total_baggages: pyInt().describe('Checked bags on the reservation, free and paid.'),
    nonfree_baggages: pyInt().describe('Checked bags that are charged (50 each).'),
    insurance: insuranceArg,
  });
}

const DESCRIPTION =
  'Books a new reservation for a customer: the listed flights in one cabin for the listed passengers, ' +
  'paid with saved payment methods whose amounts must sum to the total price (fares, insurance, paid bags).';

type BookArgs = z.output<ReturnType<typeof bookSchema>>;

function v1Book(db: DbState, args: BookArgs): string {
  const users = db.table('users');
  const reservations = db.table('reservations');
  const flightsTable = db.table('flights');
  const user = users.get(args.user_id);
  if (user === undefined) return 'Error: user not found';

  // The reference assumes at most three bookings per task; a fourth overwrites HATHAV.
  let reservationId = 'HATHAT';
  if (reservations.has(reservationId)) {
    reservationId = 'HATHAU';
    if (reservations.has(reservationId)) reservationId = 'HATHAV';
  }

  const flights = clonePy(args.flights as unknown as PyObject[]);
  const passengers = args.passengers as unknown as PyObject[];
  const payments = args.payment_methods as unknown as PyObject[];
  const reservation = pyObject([
    ['reservation_id', reservationId],
    ['user_id', args.user_id],
    ['origin', args.origin],
    ['destination', args.destination],
    ['flight_type', args.flight_type],
    ['cabin', args.cabin],
    ['flights', flights],
    // v1 stores the passenger and payment lists it was given; copies keep the action log apart.
    ['passengers', clonePy(passengers)],
    ['payment_history', clonePy(payments)],
    ['created_at', BOOKING_TIME],
    ['total_baggages', args.total_baggages],
    ['nonfree_baggages', args.nonfree_baggages],
    ['insurance', args.insurance],
  ]);

  const pax = passengers.length;
  let total: PyNum = 0;
  for (const flight of flights) {
    const leg = priceV1Leg(flightsTable, flight, args.cabin, pax);
    if ('error' in leg) return leg.error;
    total = add(total, mul(leg.price, pax));
  }
  if (args.insurance === 'yes') total = add(total, 30 * pax);
  total = add(total, mul(50, args.nonfree_baggages));

  const methods = objItem(user, 'payment_methods');
  for (const payment of payments) {
    const paymentId = item(payment, 'payment_id') as string;
    const amount = numItem(payment, 'amount');
    const method = own(methods, paymentId);
    if (method === undefined) return `Error: payment method ${paymentId} not found`;
    const source = item(method, 'source');
    if ((source === 'gift_card' || source === 'certificate') && cmp.lt(numItem(method, 'amount'), amount)) {
      return `Error: not enough balance in payment method ${paymentId}`;
    }
  }
  const paid = pySum(payments.map((p) => numItem(p, 'amount')));
  if (!cmp.eq(paid, total)) {
    return `Error: payment amount does not add up, total price is ${formatPyNum(total)}, but paid ${formatPyNum(paid)}`;
  }

  const userMut = users.mut(args.user_id) as PyObject;
  const methodsMut = objItem(userMut, 'payment_methods');
  for (const payment of payments) {
    const paymentId = item(payment, 'payment_id') as string;
    // A certificate listed twice was deleted by its first entry: the reference's KeyError.
    const method = own(methodsMut, paymentId);
    if (method === undefined) throw keyError(paymentId);
    const source = item(method, 'source');
    if (source === 'gift_card') setKey(method as PyObject, 'amount', sub(numItem(method, 'amount'), numItem(payment, 'amount')));
    else if (source === 'certificate') deleteKey(methodsMut, paymentId);
  }
  reservations.set(reservationId, reservation);
  listItem(userMut, 'reservations').push(reservationId);
  return pyDumps(reservation);
}

/** v1 `book_reservation` (τ-bench reference semantics: seats are not taken). */
export const bookReservation = defineTool({
  name: 'book_reservation',
  description: DESCRIPTION,
  schema: bookSchema(finiteNumber()),
  kind: 'write',
  invoke: v1Book,
});

function tau2Book(db: DbState, args: BookArgs): string {
  const flightInfos = args.flights as unknown as PyObject[];
  const passengers = (args.passengers as unknown as PyObject[]).map(passengerModel);
  const payments = (args.payment_methods as unknown as PyObject[]).map(paymentModel);
  const user = tau2User(db, args.user_id);
  const reservationId = tau2NewReservationId(db);
  const pax = passengers.length;

  const reservationFlights: PyObject[] = [];
  const booked: Array<[string, string]> = [];
  let total: PyNum = 0;
  for (const info of flightInfos) {
    const flightNumber = item(info, 'flight_number') as string;
    const date = item(info, 'date') as string;
    const { leg, price } = tau2Leg(db, tau2Flight(db, flightNumber), flightNumber, date, args.cabin, pax);
    reservationFlights.push(leg);
    booked.push([flightNumber, date]);
    total = add(total, mul(price, pax));
  }
  if (args.insurance === 'yes') total = add(total, 30 * pax);
  total = add(total, mul(50, args.nonfree_baggages));

  const methods = objItem(user, 'payment_methods');
  for (const payment of payments) {
    const paymentId = payment.payment_id as string;
    const method = own(methods, paymentId);
    if (method === undefined) throw new ToolFailure(`Payment method ${paymentId} not found`);
    const source = item(method, 'source');
    if ((source === 'gift_card' || source === 'certificate') && cmp.lt(numItem(method, 'amount'), payment.amount as PyNum)) {
      throw new ToolFailure(`Not enough balance in payment method ${paymentId}`);
    }
  }
  const paid = pySum(payments.map((p) => p.amount as PyNum));
  if (!cmp.eq(paid, total)) {
    throw new ToolFailure(`Payment amount does not add up, total price is ${formatPyNum(total)}, but paid ${formatPyNum(paid)}`);
  }

  const users = db.table('users');
  const userMut = users.mut(args.user_id) as PyObject;
  const methodsMut = objItem(userMut, 'payment_methods');
  for (const payment of payments) {
    const paymentId = payment.payment_id as string;
    const method = own(methodsMut, paymentId);
    if (method === undefined) throw keyError(paymentId);
    const source = item(method, 'source');
    if (source === 'gift_card') setKey(method as PyObject, 'amount', sub(numItem(method, 'amount'), payment.amount as PyNum));
    else if (source === 'certificate') deleteKey(methodsMut, paymentId);
  }
  // τ² takes the seats (v1 does not).
  const flightsTable = db.table('flights');
  for (const [flightNumber, date] of booked) {
    const seats = objItem(objItem(objItem(flightsTable.mut(flightNumber), 'dates'), date), 'available_seats');
    setKey(seats, args.cabin, sub(numItem(seats, args.cabin), pax));
  }
  const reservation = pyObject([
    ['reservation_id', reservationId],
    ['user_id', args.user_id],
    ['origin', args.origin],
    ['destination', args.destination],
    ['flight_type', args.flight_type],
    ['cabin', args.cabin],
    ['flights', reservationFlights],
    ['passengers', passengers],
    ['payment_history', payments as PyValue[]],
    ['created_at', BOOKING_TIME],
    ['total_baggages', args.total_baggages],
    ['nonfree_baggages', args.nonfree_baggages],
    ['insurance', args.insurance],
    ['status', null],
  ]);
  db.table('reservations').set(reservationId, reservation);
  listItem(userMut, 'reservations').push(reservationId);
  return pyDumps(reservationModel(reservation));
}

/** τ² `book_reservation`: takes seats, at most three new reservations, reworded errors. */
export const bookReservationTau2 = defineTool({
  name: 'book_reservation',
  description: DESCRIPTION,
  schema: bookSchema(wholeNumber()),
  kind: 'write',
  invoke: tau2Book,
});
