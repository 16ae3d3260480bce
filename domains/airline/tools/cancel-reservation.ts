/**
 * `cancel_reservation`: marks a reservation cancelled and records a refund entry (the negated
 * amount) for every payment so far. Neither version credits the refunds to any payment method,
 * releases seats, checks the policy, or refuses an already cancelled reservation.
 */
import { z } from 'zod';
import { neg } from '../../../src/core/py/py-float.js';
import { pyDumps } from '../../../src/core/py/py-json.js';
import { pyObject, setKey, type PyObject } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { defineTool } from '../../../src/env/tool.js';
import { reservationModel } from '../tau2-model.js';
import { reservationIdArg } from './args.js';
import { item, listItem, numItem } from './py-ops.js';
import { tau2Reservation } from './tau2-ops.js';

const schema = z.strictObject({ reservation_id: reservationIdArg.describe('Code of the reservation to cancel, e.g. \'ZFA04Y\'.') });
const DESCRIPTION = 'Cancels a whole reservation (all flights, all passengers) and records the refund of what was paid.';

/** Appends the refunds and sets the status, as both versions do. */
function cancel(db: DbState, reservationId: string): PyObject {
  const reservation = db.table('reservations').mut(reservationId) as PyObject;
  const history = listItem(reservation, 'payment_history');
  const refunds = history.map((p) => pyObject([['payment_id', item(p, 'payment_id')], ['amount', neg(numItem(p, 'amount'))]]));
  history.push(...refunds);
  setKey(reservation, 'status', 'cancelled');
  return reservation;
}

/** v1 `cancel_reservation`. */
export const cancelReservation = defineTool({
  name: 'cancel_reservation',
  description: DESCRIPTION,
  schema,
  kind: 'write',
  invoke(db: DbState, args: z.output<typeof schema>): string {
    if (!db.table('reservations').has(args.reservation_id)) return 'Error: reservation not found';
    return pyDumps(cancel(db, args.reservation_id));
  },
});

/** τ² `cancel_reservation` (same effect, τ² error text and output shape). */
export const cancelReservationTau2 = defineTool({
  name: 'cancel_reservation',
  description: DESCRIPTION,
  schema,
  kind: 'write',
  invoke(db: DbState, args: z.output<typeof schema>): string {
    tau2Reservation(db, args.reservation_id);
    return pyDumps(reservationModel(cancel(db, args.reservation_id)));
  },
});
