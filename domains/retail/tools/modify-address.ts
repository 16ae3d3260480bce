/** `modify_pending_order_address` and `modify_user_address`: replace a shipping or default address. */
import { z } from 'zod';
import { pyDumps } from '../../../src/core/py/py-json.js';
import type { PyObject } from '../../../src/core/py/py-value.js';
import { defineTool, ToolFailure } from '../../../src/env/tool.js';
import { addressModel } from '../tau2-model.js';
import { addressArgs, assign, orderIdArg, tau2Order, tau2User, userIdArg, v1Address } from './common.js';

const orderSchema = z.strictObject({ order_id: orderIdArg, ...addressArgs });
const userSchema = z.strictObject({ user_id: userIdArg, ...addressArgs });

const orderDescription =
  "Change the shipping address of a pending order. Explain the change and get the customer's explicit yes before calling. Returns the updated order.";
const userDescription =
  "Change a customer's default address (existing orders keep theirs). Explain the change and get the customer's explicit yes before calling. Returns the updated profile.";

/** v1 `modify_pending_order_address` (status must be exactly `pending`). */
export const modifyPendingOrderAddress = defineTool({
  name: 'modify_pending_order_address',
  description: orderDescription,
  schema: orderSchema,
  kind: 'write',
  invoke(db, args) {
    const order = db.table('orders').get(args.order_id);
    if (order === undefined) return 'Error: order not found';
    if (order.status !== 'pending') return 'Error: non-pending order cannot be modified';
    const out = db.table('orders').mut(args.order_id) as PyObject;
    assign(out, 'address', v1Address(args));
    return pyDumps(out);
  },
});

/** v1 `modify_user_address`. */
export const modifyUserAddress = defineTool({
  name: 'modify_user_address',
  description: userDescription,
  schema: userSchema,
  kind: 'write',
  invoke(db, args) {
    const user = db.table('users').mut(args.user_id);
    if (user === undefined) return 'Error: user not found';
    assign(user, 'address', v1Address(args));
    return pyDumps(user);
  },
});

/** τ² `modify_pending_order_address`: any status containing `pending` (so also `pending (item modified)`). */
export const modifyPendingOrderAddressTau2 = defineTool({
  name: 'modify_pending_order_address',
  description: orderDescription,
  schema: orderSchema,
  kind: 'write',
  invoke(db, args) {
    const order = tau2Order(db, args.order_id);
    if (!String(order.status).includes('pending')) throw new ToolFailure('Non-pending order cannot be modified');
    const out = db.table('orders').mut(args.order_id) as PyObject;
    assign(out, 'address', addressModel(args));
    return pyDumps(out);
  },
});

/** τ² `modify_user_address`. */
export const modifyUserAddressTau2 = defineTool({
  name: 'modify_user_address',
  description: userDescription,
  schema: userSchema,
  kind: 'write',
  invoke(db, args) {
    tau2User(db, args.user_id);
    const user = db.table('users').mut(args.user_id) as PyObject;
    assign(user, 'address', addressModel(args));
    return pyDumps(user);
  },
});
