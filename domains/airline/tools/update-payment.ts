/** v1's payment step shared by `update_reservation_baggages` and `update_reservation_flights`. */
import { cmp, sub, type PyNum } from '../../../src/core/py/py-float.js';
import { setKey, type PyObject } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { item, keyError, numItem, objItem, own } from './py-ops.js';

/** A checked v1 update payment: call `charge()` to take the money once the update is certain. */
export interface V1UpdatePayment {
  /** Takes `total` off a gift card (a negative total refunds onto it); no-op for credit cards. */
  charge(): void;
}

/**
 * v1 checks of an update payment, in the reference's order. Returns an `Error: ...` text when a
 * check fails, else a handle to charge the method.
 */
export function checkV1UpdatePayment(db: DbState, userId: string, paymentId: string, total: PyNum): string | V1UpdatePayment {
  const users = db.table('users');
  const user = users.get(userId);
  if (user === undefined) throw keyError(userId);
  const method = own(objItem(user, 'payment_methods'), paymentId);
  if (method === undefined) return 'Error: payment method not found';
  const source = item(method, 'source');
  if (source === 'certificate') return 'Error: certificate cannot be used to update reservation';
  if (source === 'gift_card' && cmp.lt(numItem(method, 'amount'), total)) return 'Error: gift card balance is not enough';
  return {
    charge(): void {
      if (source !== 'gift_card') return;
      const m = objItem(objItem(users.mut(userId) as PyObject, 'payment_methods'), paymentId);
      setKey(m, 'amount', sub(numItem(m, 'amount'), total));
    },
  };
}
