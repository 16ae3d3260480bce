/**
 * A tiny domain for the engine's tests: three orders, and tools to read one, cancel one (a write)
 * and transfer to a human (terminating). Built with the real `defineTool` over a real `BaseDb`.
 */
import { z } from 'zod';
import { pyFloat } from '../../core/py/py-float.js';
import { pyDumps } from '../../core/py/py-json.js';
import type { PyObject } from '../../core/py/py-value.js';
import { BaseDb } from '../../env/db-state.js';
import { ToolRegistry } from '../../env/registry.js';
import { ToolFailure, defineTool } from '../../env/tool.js';

/** A fresh base database: orders #1 (pending), #2 (delivered), #3 (pending). */
export function fakeBase(): BaseDb {
  const orders: Array<[string, PyObject]> = [
    ['#1', { order_id: '#1', status: 'pending', total: pyFloat(12.5), items: ['mug'] }],
    ['#2', { order_id: '#2', status: 'delivered', total: 30, items: ['lamp', 'bulb'] }],
    ['#3', { order_id: '#3', status: 'pending', total: pyFloat(7.0), items: ['pen'] }],
  ];
  return new BaseDb([['orders', orders]]);
}

export const getOrder = defineTool({
  name: 'get_order',
  description: 'Details of an order.',
  kind: 'read',
  schema: z.strictObject({ order_id: z.string() }),
  invoke(db, args) {
    const order = db.table('orders').get(args.order_id);
    if (order === undefined) throw new ToolFailure('order not found');
    return pyDumps(order as PyObject);
  },
});

export const cancelOrder = defineTool({
  name: 'cancel_order',
  description: 'Cancels a pending order.',
  kind: 'write',
  schema: z.strictObject({ order_id: z.string(), reason: z.enum(['no longer needed', 'ordered by mistake']) }),
  invoke(db, args) {
    const order = db.table('orders').mut(args.order_id);
    if (order === undefined) throw new ToolFailure('order not found');
    if (order.status !== 'pending') throw new ToolFailure('non-pending order cannot be cancelled');
    order.status = 'cancelled';
    order.cancel_reason = args.reason;
    return pyDumps(order);
  },
});

export const transferToHuman = defineTool({
  name: 'transfer_to_human',
  description: 'Transfers the customer to a human agent.',
  kind: 'generic',
  terminate: true,
  schema: z.strictObject({ summary: z.string() }),
  invoke() {
    return 'Transfer successful';
  },
});

/** The fake domain's registry. */
export function fakeRegistry(): ToolRegistry {
  return new ToolRegistry([getOrder, cancelOrder, transferToHuman]);
}
