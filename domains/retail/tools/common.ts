/**
 * Helpers shared by the retail tools: argument schemas (with our own descriptions), Python-like
 * dictionary access (a missing key fails like Python's `KeyError`, whose text is the key's repr),
 * `list.count`, `sorted`, `round(x, 2)`, and τ²'s lookup helpers with their error texts.
 */
import { z } from 'zod';
import { PyFloat, pyRound, type PyNum, isPyNum } from '../../../src/core/py/py-float.js';
import { isPyObject, setKey, type PyObject, type PyValue } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { ToolFailure } from '../../../src/env/tool.js';

// ---------------------------------------------------------------------------------------------
// Argument schemas. Validation is only by type, like the reference's JSON schemas: values the
// reference rejects itself (unknown ids, bad reasons, empty lists) reach the tool so that it can
// answer with the reference's own error text.

export const orderIdArg = z.string().describe("The order's id, which starts with '#', e.g. '#W0000000'.");
export const paymentMethodIdArg = z
  .string()
  .describe("Id of one of the customer's saved payment methods, e.g. 'credit_card_0000000' or 'gift_card_0000000' (see the user or order details).");
export const userIdArg = z.string().describe("The customer's user id, e.g. 'sara_doe_496'.");
export const itemIdsArg = (what: string): z.ZodArray<z.ZodString> =>
  z.array(z.string()).describe(`${what} Item ids are variant ids such as '1008292230' (not product ids); an id may appear more than once.`);

/** The six address arguments, in the reference's parameter order. */
export const addressArgs = {
  address1: z.string().describe("First address line, e.g. '123 Main St'."),
  address2: z.string().describe("Second address line, e.g. 'Apt 1', or an empty string."),
  city: z.string().describe("City, e.g. 'San Francisco'."),
  state: z.string().describe("State or province code, e.g. 'CA'."),
  country: z.string().describe("Country, e.g. 'USA'."),
  zip: z.string().describe("Zip code, e.g. '12345'."),
};

// ---------------------------------------------------------------------------------------------
// Python semantics

/** Python `repr()` of a string (the text of a `KeyError`). */
export function pyReprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** The failure Python raises for `d[key]` on a missing key: observation `Error: 'key'`. */
export function keyError(key: string): ToolFailure {
  return new ToolFailure(pyReprStr(key));
}

/** True if `obj` has `key` as an own property (Python `key in dict`). */
export function hasKey(obj: Readonly<PyObject>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Python `d[key]`: the value, or a `KeyError` failure. */
export function item(obj: Readonly<PyObject>, key: string): PyValue {
  if (!hasKey(obj, key)) throw keyError(key);
  return obj[key] as PyValue;
}

/** `d[key]` that must be a dict (the data schema guarantees it; a broken record fails clearly). */
export function dict(obj: Readonly<PyObject>, key: string): PyObject {
  const v = item(obj, key);
  if (!isPyObject(v)) throw new ToolFailure(`'${typeName(v)}' object is not subscriptable`);
  return v;
}

/** `d[key]` that must be a list. */
export function listOf(obj: Readonly<PyObject>, key: string): PyValue[] {
  const v = item(obj, key);
  if (!Array.isArray(v)) throw new ToolFailure(`'${typeName(v)}' object is not iterable`);
  return v;
}

/** `d[key]` that must be a number. */
export function numberOf(obj: Readonly<PyObject>, key: string): PyNum {
  const v = item(obj, key);
  if (!isPyNum(v)) throw new ToolFailure(`unsupported operand type(s) for arithmetic: '${typeName(v)}'`);
  return v;
}

/** Python type name of a JSON value. */
export function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'number') return 'int';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** Python `list.count(x)` for strings. */
export function countOf(list: readonly PyValue[], x: string): number {
  let n = 0;
  for (const v of list) if (v === x) n++;
  return n;
}

/**
 * The first id of `itemIds` that the order holds fewer times than asked (the reference's per-id
 * count check of returns, exchanges and item changes), or undefined when every id is there.
 */
export function missingItemId(order: Readonly<PyObject>, itemIds: readonly string[]): string | undefined {
  const all = listOf(order, 'items').map((x) => item(x as PyObject, 'item_id'));
  return itemIds.find((id) => countOf(itemIds, id) > countOf(all, id));
}

/** Python `str < str`: code-point order (JS compares UTF-16 units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1; // a surrogate (astral code point) sorts after any BMP unit
    return x - y;
  }
  return a.length - b.length;
}

/** Python `sorted(list_of_str)`. */
export function sortedStrings(list: readonly string[]): string[] {
  return [...list].sort(compareCodePoints);
}

/** Python `round(x, 2)`: an int stays the same int, a float is rounded half-to-even. */
export function round2(x: PyNum): PyNum {
  return typeof x === 'number' ? x : pyRound(x, 2);
}

/** Sets a key keeping Python dict order (an existing key keeps its place, a new key goes last). */
export function assign(obj: PyObject, key: string, value: PyValue): void {
  setKey(obj, key, value);
}

/** A new address object in the v1 tools' key order. */
export function v1Address(a: { address1: string; address2: string; city: string; state: string; country: string; zip: string }): PyObject {
  return { address1: a.address1, address2: a.address2, city: a.city, state: a.state, country: a.country, zip: a.zip };
}

// ---------------------------------------------------------------------------------------------
// τ² lookups (`RetailTools._get_*`), raising τ²'s ValueError texts.

/** τ² `_get_order`. */
export function tau2Order(db: DbState, orderId: string): Readonly<PyObject> {
  const o = db.table('orders').get(orderId);
  if (o === undefined) throw new ToolFailure('Order not found');
  return o;
}

/** τ² `_get_user`. */
export function tau2User(db: DbState, userId: string): Readonly<PyObject> {
  const u = db.table('users').get(userId);
  if (u === undefined) throw new ToolFailure('User not found');
  return u;
}

/** τ² `_get_product`. */
export function tau2Product(db: DbState, productId: string): Readonly<PyObject> {
  const p = db.table('products').get(productId);
  if (p === undefined) throw new ToolFailure('Product not found');
  return p;
}

/** τ² `_get_variant`. */
export function tau2Variant(db: DbState, productId: string, itemId: string): Readonly<PyObject> {
  const variants = dict(tau2Product(db, productId), 'variants');
  if (!hasKey(variants, itemId)) throw new ToolFailure('Variant not found');
  return variants[itemId] as PyObject;
}

/** τ² `_get_payment_method` (the user must exist, then the method). */
export function tau2PaymentMethod(db: DbState, userId: string, paymentMethodId: string): Readonly<PyObject> {
  const methods = dict(tau2User(db, userId), 'payment_methods');
  if (!hasKey(methods, paymentMethodId)) throw new ToolFailure('Payment method not found');
  return methods[paymentMethodId] as PyObject;
}

/** A writable copy of a user's payment method (after {@link tau2PaymentMethod} found it). */
export function mutPaymentMethod(db: DbState, userId: string, paymentMethodId: string): PyObject {
  const user = db.table('users').mut(userId);
  if (user === undefined) throw keyError(userId);
  const method = dict(dict(user, 'payment_methods'), paymentMethodId);
  return method;
}
