/** `find_user_id_by_email` and `find_user_id_by_name_zip`: identify the customer. */
import { z } from 'zod';
import type { PyObject } from '../../../src/core/py/py-value.js';
import { defineTool, ToolFailure } from '../../../src/env/tool.js';
import { dict, item } from './common.js';

const emailSchema = z.strictObject({
  email: z.string().describe("The customer's email address, e.g. 'someone@example.com'."),
});

const nameZipSchema = z.strictObject({
  first_name: z.string().describe("The customer's first name, e.g. 'John'."),
  last_name: z.string().describe("The customer's last name, e.g. 'Doe'."),
  zip: z.string().describe("The zip code of the customer's address, e.g. '12345'."),
});

const emailDescription = "Look up a customer's user id from their email address (case does not matter). Answers an error when no customer has that email.";
const nameZipDescription =
  "Look up a customer's user id from their first name, last name (case does not matter) and zip code. Prefer the email lookup; use this one when the customer cannot give an email or it is not found.";

/**
 * `owner[key].lower()`, cached for frozen (shared base) records so that lookups over the 500
 * users do not lower-case every email and name on every call. An episode's own copies of records
 * are not frozen and are lower-cased each time.
 */
const loweredFields = new WeakMap<object, Map<string, string>>();
function lowerOf(owner: Readonly<PyObject>, key: string): string {
  if (!Object.isFrozen(owner)) return (item(owner, key) as string).toLowerCase();
  let m = loweredFields.get(owner);
  if (m === undefined) {
    m = new Map();
    loweredFields.set(owner, m);
  }
  let s = m.get(key);
  if (s === undefined) {
    s = (item(owner, key) as string).toLowerCase();
    m.set(key, s);
  }
  return s;
}

/** The user id whose email matches (Python `str.lower()` equality), in table order. */
function byEmail(users: Iterable<[string, Readonly<PyObject>]>, email: string): string | undefined {
  const wanted = email.toLowerCase();
  for (const [id, profile] of users) if (lowerOf(profile, 'email') === wanted) return id;
  return undefined;
}

/** The user id whose names match case-insensitively and zip exactly, in table order. */
function byNameZip(users: Iterable<[string, Readonly<PyObject>]>, first: string, last: string, zip: string): string | undefined {
  const f = first.toLowerCase();
  const l = last.toLowerCase();
  for (const [id, profile] of users) {
    const name = dict(profile, 'name');
    if (lowerOf(name, 'first_name') === f && lowerOf(name, 'last_name') === l && item(dict(profile, 'address'), 'zip') === zip) return id;
  }
  return undefined;
}

/** v1 `find_user_id_by_email`: the raw user id, or `Error: user not found`. */
export const findUserIdByEmail = defineTool({
  name: 'find_user_id_by_email',
  description: emailDescription,
  schema: emailSchema,
  kind: 'read',
  invoke: (db, { email }) => byEmail(db.table('users').entries(), email) ?? 'Error: user not found',
});

/** v1 `find_user_id_by_name_zip`: the raw user id, or `Error: user not found`. */
export const findUserIdByNameZip = defineTool({
  name: 'find_user_id_by_name_zip',
  description: nameZipDescription,
  schema: nameZipSchema,
  kind: 'read',
  invoke: (db, { first_name, last_name, zip }) => byNameZip(db.table('users').entries(), first_name, last_name, zip) ?? 'Error: user not found',
});

/** τ² `find_user_id_by_email` (`User not found`). */
export const findUserIdByEmailTau2 = defineTool({
  name: 'find_user_id_by_email',
  description: emailDescription,
  schema: emailSchema,
  kind: 'read',
  invoke(db, { email }) {
    const id = byEmail(db.table('users').entries(), email);
    if (id === undefined) throw new ToolFailure('User not found');
    return id;
  },
});

/** τ² `find_user_id_by_name_zip` (`User not found`). */
export const findUserIdByNameZipTau2 = defineTool({
  name: 'find_user_id_by_name_zip',
  description: nameZipDescription,
  schema: nameZipSchema,
  kind: 'read',
  invoke(db, { first_name, last_name, zip }) {
    const id = byNameZip(db.table('users').entries(), first_name, last_name, zip);
    if (id === undefined) throw new ToolFailure('User not found');
    return id;
  },
});
