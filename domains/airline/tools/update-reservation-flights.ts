/**
 * `update_reservation_flights`: replaces a reservation's flights (and, in τ², its cabin), charging
 * or refunding the fare difference.
 */
import { z } from 'zod';
import { add, cmp, mul, pySum, sub, type PyNum } from '../../../src/core/py/py-float.js';
import { pyDumps } from '../../../src/core/py/py-json.js';
import { clonePy, pyObject, setKey, type PyObject } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { defineTool } from '../../../src/env/tool.js';
import { reservationFlightModel, reservationModel } from '../tau2-model.js';
import { cabinArg, flightInfoArg, paymentIdArg, reservationIdArg } from './args.js';
import { item, listItem, numItem } from './py-ops.js';
import { tau2Flight, tau2PaymentForUpdate, tau2Reservation, tau2User } from './tau2-ops.js';
import { priceV1Leg, tau2Leg } from './flight-legs.js';
import { checkV1UpdatePayment } from './update-payment.js';

const schema = z.strictObject({
  reservation_id: reservationIdArg,
  cabin: cabinArg.describe('Cabin class of the reservation after the change.'),
  flights: z
    .array(flightInfoArg)
    .describe('Every flight segment of the reservation after the change, unchanged segments included.'),
  payment_id: paymentIdArg.describe("Saved payment method charged or refunded the fare difference (not a certificate), e.g. 'gift_card_7815826'."),
});
type Args = z.output<typeof schema>;
const DESCRIPTION =
  'Replaces the flights of a reservation with a new full list of segments (and sets the cabin). ' +
  'Kept segments keep their price when the cabin is unchanged; new ones are priced now; the difference is charged or refunded.';

/** v1 `update_reservation_flights` (the new cabin is priced but not written back: a reference quirk). */
export const updateReservationFlights = defineTool({
  name: 'update_reservation_flights',
  description: DESCRIPTION,
  schema,
  kind: 'write',
  invoke(db: DbState, args: Args): string {
    const reservations = db.table('reservations');
    const flightsTable = db.table('flights');
    const current = reservations.get(args.reservation_id);
    if (current === undefined) return 'Error: reservation not found';
    const oldFlights = listItem(current, 'flights');
    const pax = listItem(current, 'passengers').length;

    let total: PyNum = 0;
    const flights = clonePy(args.flights as unknown as PyObject[]);
    for (const flight of flights) {
      const kept = oldFlights.find(
        (f) => item(f, 'flight_number') === item(flight, 'flight_number') && item(f, 'date') === item(flight, 'date') && args.cabin === current.cabin,
      );
      if (kept !== undefined) {
        total = add(total, mul(numItem(kept, 'price'), pax));
        setKey(flight, 'price', item(kept, 'price'));
        setKey(flight, 'origin', item(kept, 'origin'));
        setKey(flight, 'destination', item(kept, 'destination'));
        continue;
      }
      const leg = priceV1Leg(flightsTable, flight, args.cabin, pax);
      if ('error' in leg) return leg.error;
      total = add(total, mul(leg.price, pax));
    }
    total = sub(total, mul(pySum(oldFlights.map((f) => numItem(f, 'price'))), pax));

    const payment = checkV1UpdatePayment(db, item(current, 'user_id') as string, args.payment_id, total);
    if (typeof payment === 'string') return payment;
    payment.charge();
    const reservation = reservations.mut(args.reservation_id) as PyObject;
    setKey(reservation, 'flights', flights);
    if (!cmp.eq(total, 0)) listItem(reservation, 'payment_history').push(pyObject([['payment_id', args.payment_id], ['amount', total]]));
    return pyDumps(reservation);
  },
});

/** τ² `update_reservation_flights`: also sets the cabin; the flight number is looked up first. */
export const updateReservationFlightsTau2 = defineTool({
  name: 'update_reservation_flights',
  description: DESCRIPTION,
  schema,
  kind: 'write',
  invoke(db: DbState, args: Args): string {
    const infos = args.flights as unknown as PyObject[];
    const current = tau2Reservation(db, args.reservation_id);
    const userId = item(current, 'user_id') as string;
    tau2User(db, userId);
    const oldFlights = listItem(current, 'flights');
    const pax = listItem(current, 'passengers').length;

    let total: PyNum = 0;
    const flights: PyObject[] = [];
    for (const info of infos) {
      const flightNumber = item(info, 'flight_number') as string;
      const date = item(info, 'date') as string;
      const flight = tau2Flight(db, flightNumber);
      const kept = oldFlights.find(
        (f) => item(f, 'flight_number') === flightNumber && item(f, 'date') === date && args.cabin === current.cabin,
      );
      if (kept !== undefined) {
        total = add(total, mul(numItem(kept, 'price'), pax));
        flights.push(reservationFlightModel(kept as PyObject));
        continue;
      }
      const { leg, price } = tau2Leg(db, flight, flightNumber, date, args.cabin, pax);
      flights.push(leg);
      total = add(total, mul(price, pax));
    }
    total = sub(total, mul(pySum(oldFlights.map((f) => numItem(f, 'price'))), pax));

    const payment = tau2PaymentForUpdate(db, userId, args.payment_id, total);
    const reservation = db.table('reservations').mut(args.reservation_id) as PyObject;
    if (payment !== null) listItem(reservation, 'payment_history').push(payment);
    setKey(reservation, 'flights', flights);
    setKey(reservation, 'cabin', args.cabin);
    return pyDumps(reservationModel(reservation));
  },
});
