/** `update_reservation_passengers`: replaces the passenger list (same number of passengers). */
import { z } from 'zod';
import { pyDumps } from '../../../src/core/py/py-json.js';
import { clonePy, setKey, type PyObject } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { ToolFailure, defineTool } from '../../../src/env/tool.js';
import { passengerModel, reservationModel } from '../tau2-model.js';
import { passengerArg, reservationIdArg } from './args.js';
import { listItem } from './py-ops.js';
import { tau2Reservation } from './tau2-ops.js';

const schema = z.strictObject({
  reservation_id: reservationIdArg,
  passengers: z.array(passengerArg).describe('The complete new passenger list, as many passengers as the reservation already has.'),
});
const DESCRIPTION = "Replaces the passengers' details on a reservation; the number of passengers cannot change.";

/** v1 `update_reservation_passengers`. */
export const updateReservationPassengers = defineTool({
  name: 'update_reservation_passengers',
  description: DESCRIPTION,
  schema,
  kind: 'write',
  invoke(db: DbState, args: z.output<typeof schema>): string {
    const reservations = db.table('reservations');
    const current = reservations.get(args.reservation_id);
    if (current === undefined) return 'Error: reservation not found';
    const passengers = args.passengers as unknown as PyObject[];
    if (passengers.length !== listItem(current, 'passengers').length) return 'Error: number of passengers does not match';
    const reservation = reservations.mut(args.reservation_id) as PyObject;
    // v1 stores the list it was given (copied here so the action log stays apart).
    setKey(reservation, 'passengers', clonePy(passengers));
    return pyDumps(reservation);
  },
});

/** τ² `update_reservation_passengers`. */
export const updateReservationPassengersTau2 = defineTool({
  name: 'update_reservation_passengers',
  description: DESCRIPTION,
  schema,
  kind: 'write',
  invoke(db: DbState, args: z.output<typeof schema>): string {
    const passengers = (args.passengers as unknown as PyObject[]).map(passengerModel);
    const current = tau2Reservation(db, args.reservation_id);
    if (passengers.length !== listItem(current, 'passengers').length) throw new ToolFailure('Number of passengers does not match');
    const reservation = db.table('reservations').mut(args.reservation_id) as PyObject;
    setKey(reservation, 'passengers', passengers);
    return pyDumps(reservationModel(reservation));
  },
});
