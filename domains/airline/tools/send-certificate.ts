/** `send_certificate`: adds a travel certificate to a customer's payment methods. */
import { z } from 'zod';
import { formatPyNum, type PyNum } from '../../../src/core/py/py-float.js';
import { pyObject, setKey, type PyObject } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { ToolFailure, defineTool } from '../../../src/env/tool.js';
import { asFloat } from '../tau2-model.js';
import { advertisedInteger, finiteNumber, userIdArg } from './args.js';
import { objItem, own } from './py-ops.js';
import { tau2User } from './tau2-ops.js';

/** Ids given to new certificates, in order; the reference allows three per episode. */
export const CERTIFICATE_IDS = ['certificate_3221322', 'certificate_3221323', 'certificate_3221324'] as const;

function certificateSchema(amount: z.ZodType<PyNum>) {
  return z.strictObject({
    user_id: userIdArg.describe("Id of the customer who receives the certificate, e.g. 'sara_doe_496'."),
    amount: amount.describe('Value of the certificate.'),
  });
}
const DESCRIPTION = 'Gives a customer a travel certificate of the given value (compensation). Use only when the policy allows it.';

/** Adds the certificate under the first free id, or undefined when all three are taken. */
function addCertificate(db: DbState, userId: string, entry: (id: string) => PyObject): string | undefined {
  const users = db.table('users');
  const methods = objItem(users.get(userId), 'payment_methods');
  const id = CERTIFICATE_IDS.find((c) => own(methods, c) === undefined);
  if (id === undefined) return undefined;
  setKey(objItem(users.mut(userId), 'payment_methods'), id, entry(id));
  return id;
}

const v1Schema = certificateSchema(finiteNumber());

/** v1 `send_certificate`. A fourth certificate crashes the reference; here it is an error observation. */
export const sendCertificate = defineTool({
  name: 'send_certificate',
  description: DESCRIPTION,
  schema: v1Schema,
  kind: 'write',
  invoke(db: DbState, args: z.output<typeof v1Schema>): string {
    if (!db.table('users').has(args.user_id)) return 'Error: user not found';
    const id = addCertificate(db, args.user_id, (pid) =>
      pyObject([
        ['source', 'certificate'],
        ['amount', args.amount],
        ['id', pid],
      ]),
    );
    if (id === undefined) throw new ToolFailure(`too many certificates: user ${args.user_id} already has ${CERTIFICATE_IDS.join(', ')}`);
    return `Certificate ${id} added to user ${args.user_id} with amount ${formatPyNum(args.amount)}.`;
  },
});

const tau2Schema = certificateSchema(advertisedInteger());

/** τ² `send_certificate` (amount stored as a float, `Too many certificates` after three). */
export const sendCertificateTau2 = defineTool({
  name: 'send_certificate',
  description: DESCRIPTION,
  schema: tau2Schema,
  kind: 'write',
  invoke(db: DbState, args: z.output<typeof tau2Schema>): string {
    tau2User(db, args.user_id);
    const id = addCertificate(db, args.user_id, (pid) =>
      pyObject([
        ['source', 'certificate'],
        ['id', pid],
        ['amount', asFloat(args.amount)],
      ]),
    );
    if (id === undefined) throw new ToolFailure('Too many certificates');
    return `Certificate ${id} added to user ${args.user_id} with amount ${formatPyNum(args.amount)}.`;
  },
});
