/**
 * Values as the Python reference sees them: JSON trees whose floats are {@link PyFloat}s and whose
 * objects keep their key order even for integer-like keys (which plain JS objects would move to
 * the front). The order of such objects is recorded under {@link KEY_ORDER} by the parser and by
 * {@link pyObject}; everything that prints or copies objects goes through {@link orderedKeys}.
 */
import { PyFloat } from './py-float.js';

/** A JSON value with Python number semantics. */
export type PyValue = null | boolean | string | number | PyFloat | PyValue[] | PyObject;
/** A JSON object with Python number semantics. */
export interface PyObject {
  [key: string]: PyValue;
}

/** Hidden property holding an object's original key order when it has integer-like keys. */
export const KEY_ORDER: unique symbol = Symbol('tau.keyOrder');

const INDEX_LIKE = /^(?:0|[1-9]\d{0,9})$/;

/** True if JS would enumerate this key before string keys (an array-index-like key). */
export function isIndexLikeKey(key: string): boolean {
  return INDEX_LIKE.test(key) && Number(key) < 4294967295;
}

/** Records `keys` as the order of `obj` when needed (only if some key is index-like). */
export function recordKeyOrder(obj: object, keys: readonly string[]): void {
  if (keys.some(isIndexLikeKey)) {
    Object.defineProperty(obj, KEY_ORDER, { value: [...keys], enumerable: false, writable: true, configurable: true });
  }
}

/** The object's keys in Python insertion order. */
export function orderedKeys(obj: object): string[] {
  const order = (obj as { [KEY_ORDER]?: string[] })[KEY_ORDER];
  const own = Object.keys(obj);
  if (order === undefined) return own;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of order) {
    if (Object.prototype.hasOwnProperty.call(obj, k) && !seen.has(k)) {
      out.push(k);
      seen.add(k);
    }
  }
  for (const k of own) if (!seen.has(k)) out.push(k);
  return out;
}

/** Sets a key, keeping Python insertion order (a new key goes last even if index-like). */
export function setKey(obj: PyObject, key: string, value: PyValue): void {
  const had = Object.prototype.hasOwnProperty.call(obj, key);
  if (!had && isIndexLikeKey(key)) {
    const order = orderedKeys(obj);
    recordKeyOrder(obj, [...order, key]);
    // recordKeyOrder only stores when needed; ensure it is stored now.
    if ((obj as { [KEY_ORDER]?: string[] })[KEY_ORDER] === undefined) {
      Object.defineProperty(obj, KEY_ORDER, { value: [...order, key], enumerable: false, writable: true, configurable: true });
    }
  } else if (!had) {
    const order = (obj as { [KEY_ORDER]?: string[] })[KEY_ORDER];
    if (order !== undefined) order.push(key);
  }
  defineKey(obj, key, value);
}

/** Deletes a key (Python `del d[k]`). */
export function deleteKey(obj: PyObject, key: string): void {
  delete obj[key];
}

/** Assigns without triggering the `__proto__` setter. */
export function defineKey(obj: PyObject, key: string, value: PyValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Builds an object from entries in the given order (integer-like keys keep their place). */
export function pyObject(entries: Iterable<readonly [string, PyValue]>): PyObject {
  const obj: PyObject = {};
  const keys: string[] = [];
  for (const [k, v] of entries) {
    if (!Object.prototype.hasOwnProperty.call(obj, k)) keys.push(k);
    defineKey(obj, k, v);
  }
  recordKeyOrder(obj, keys);
  return obj;
}

/** True for a plain JSON object (not an array, not a PyFloat, not null). */
export function isPyObject(v: unknown): v is PyObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat);
}

/** Deep copy keeping key order; PyFloats are immutable and shared. */
export function clonePy<T extends PyValue>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => clonePy(v)) as T;
  if (isPyObject(value)) {
    const keys = orderedKeys(value);
    const out: PyObject = {};
    for (const k of keys) defineKey(out, k, clonePy(value[k] as PyValue));
    recordKeyOrder(out, keys);
    return out as T;
  }
  return value;
}

/** Recursively freezes a value (used on shared base databases so accidental writes throw). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Converts a plain JS value (e.g. from JSON.parse) to a PyValue: non-integral numbers become floats. */
export function fromPlain(value: unknown): PyValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value : new PyFloat(value);
  if (value instanceof PyFloat) return value;
  if (Array.isArray(value)) return value.map(fromPlain);
  if (typeof value === 'object') {
    return pyObject(orderedKeys(value).map((k) => [k, fromPlain((value as Record<string, unknown>)[k])] as const));
  }
  throw new TypeError(`cannot convert ${typeof value} to a JSON value`);
}

/** Converts a PyValue to plain JSON-compatible JS (floats become numbers). Key order of
 * integer-like keys is lost, as with any plain object. */
export function toPlain(value: PyValue): unknown {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (isPyObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of orderedKeys(value)) out[k] = toPlain(value[k] as PyValue);
    return out;
  }
  return value;
}
