/** `get_reservation_details` and `get_user_details`: a record as JSON. */
import { z } from 'zod';
import { pyDumps } from '../../../src/core/py/py-json.js';
import type { PyObject } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { defineTool } from '../../../src/env/tool.js';
import { reservationModel, userModel } from '../tau2-model.js';
import { reservationIdArg, userIdArg } from './args.js';
import { tau2Reservation, tau2User } from './tau2-ops.js';

const reservationSchema = z.strictObject({ reservation_id: reservationIdArg });
const RESERVATION_DESCRIPTION = 'Looks up a reservation by its code: flights, passengers, payments, bags, insurance and status.';

/** v1 `get_reservation_details` (an unknown code answers `Error: user not found`, as the reference does). */
export const getReservationDetails = defineTool({
  name: 'get_reservation_details',
  description: RESERVATION_DESCRIPTION,
  schema: reservationSchema,
  kind: 'read',
  invoke(db: DbState, args: z.output<typeof reservationSchema>): string {
    const r = db.table('reservations').get(args.reservation_id);
    return r === undefined ? 'Error: user not found' : pyDumps(r as PyObject);
  },
});

/** τ² `get_reservation_details`. */
export const getReservationDetailsTau2 = defineTool({
  name: 'get_reservation_details',
  description: RESERVATION_DESCRIPTION,
  schema: reservationSchema,
  kind: 'read',
  invoke(db: DbState, args: z.output<typeof reservationSchema>): string {
    return pyDumps(reservationModel(tau2Reservation(db, args.reservation_id)));
  },
});

const userSchema = z.strictObject({ user_id: userIdArg });
const USER_DESCRIPTION = "Looks up a customer's profile by user id: name, contact details, payment methods, membership and reservation codes.";

/** v1 `get_user_details`. */
export const getUserDetails = defineTool({
  name: 'get_user_details',
  description: USER_DESCRIPTION,
  schema: userSchema,
  kind: 'read',
  invoke(db: DbState, args: z.output<typeof userSchema>): string {
    const u = db.table('users').get(args.user_id);
    return u === undefined ? 'Error: user not found' : pyDumps(u as PyObject);
  },
});

/** τ² `get_user_details`. */
export const getUserDetailsTau2 = defineTool({
  name: 'get_user_details',
  description: USER_DESCRIPTION,
  schema: userSchema,
  kind: 'read',
  invoke(db: DbState, args: z.output<typeof userSchema>): string {
    return pyDumps(userModel(args.user_id, tau2User(db, args.user_id)));
  },
});
