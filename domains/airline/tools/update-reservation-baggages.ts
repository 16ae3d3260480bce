/** `update_reservation_baggages`: sets the bag counts and charges 50 per added paid bag. */
import { z } from 'zod';
import { cmp, mul, sub } from '../../../src/core/py/py-float.js';
import { pyDumps } from '../../../src/core/py/py-json.js';
import { pyObject, setKey, type PyObject } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { defineTool, pyInt } from '../../../src/env/tool.js';
import { reservationModel } from '../tau2-model.js';
import { paymentIdArg, reservationIdArg } from './args.js';
import { item, listItem, maxZero, numItem } from './py-ops.js';
import { tau2PaymentForUpdate, tau2Reservation } from './tau2-ops.js';
import { checkV1UpdatePayment } from './update-payment.js';

const schema = z.strictObject({
  reservation_id: reservationIdArg,
  total_baggages: pyInt().describe('New total number of checked bags, free and paid.'),
  nonfree_baggages: pyInt().describe('New number of paid checked bags.'),
  payment_id: paymentIdArg.describe("Saved payment method charged for added paid bags (not a certificate), e.g. 'credit_card_7815826'."),
});
const DESCRIPTION = 'Changes the number of checked bags on a reservation; each paid bag added over the current count costs 50.';

/** v1 `update_reservation_baggages`. */
export const updateReservationBaggages = defineTool({
  name: 'update_reservation_baggages',
  description: DESCRIPTION,
  schema,
  kind: 'write',
  invoke(db: DbState, args: z.output<typeof schema>): string {
    const reservations = db.table('reservations');
    const current = reservations.get(args.reservation_id);
    if (current === undefined) return 'Error: reservation not found';
    const total = mul(50, maxZero(sub(args.nonfree_baggages, numItem(current, 'nonfree_baggages'))));
    const payment = checkV1UpdatePayment(db, item(current, 'user_id') as string, args.payment_id, total);
    if (typeof payment === 'string') return payment;
    const reservation = reservations.mut(args.reservation_id) as PyObject;
    setKey(reservation, 'total_baggages', args.total_baggages);
    setKey(reservation, 'nonfree_baggages', args.nonfree_baggages);
    payment.charge();
    if (!cmp.eq(total, 0)) listItem(reservation, 'payment_history').push(pyObject([['payment_id', args.payment_id], ['amount', total]]));
    return pyDumps(reservation);
  },
});

/** τ² `update_reservation_baggages`. */
export const updateReservationBaggagesTau2 = defineTool({
  name: 'update_reservation_baggages',
  description: DESCRIPTION,
  schema,
  kind: 'write',
  invoke(db: DbState, args: z.output<typeof schema>): string {
    const current = tau2Reservation(db, args.reservation_id);
    const userId = item(current, 'user_id') as string;
    const total = mul(50, maxZero(sub(args.nonfree_baggages, numItem(current, 'nonfree_baggages'))));
    const payment = tau2PaymentForUpdate(db, userId, args.payment_id, total);
    const reservation = db.table('reservations').mut(args.reservation_id) as PyObject;
    if (payment !== null) listItem(reservation, 'payment_history').push(payment);
    setKey(reservation, 'total_baggages', args.total_baggages);
    setKey(reservation, 'nonfree_baggages', args.nonfree_baggages);
    return pyDumps(reservationModel(reservation));
  },
});
