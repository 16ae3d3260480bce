/**
 * Small Python dict/str operations the airline tools need to behave like the reference:
 * own-key lookups (never the prototype chain), `KeyError` messages, `dict.update`, `int(str)`.
 */
import { PyFloat, num, type PyNum } from '../../../src/core/py/py-float.js';
import { isPyObject, orderedKeys, pyObject, setKey, type PyObject, type PyValue } from '../../../src/core/py/py-value.js';
import { ToolFailure } from '../../../src/env/tool.js';

/** `obj[key]` if `key` is an own key of the object, else undefined (Python `key in d`). */
export function own(obj: PyValue | undefined, key: string): PyValue | undefined {
  if (!isPyObject(obj) || !Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
  return obj[key];
}

/** Python `repr()` of a str: single quotes unless the text has `'` and no `"`. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0x80 && c < 0xa0) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** The observation text of a Python `KeyError(key)` caught by the env (`'key'`). */
export function keyError(key: string): ToolFailure {
  return new ToolFailure(pyStrRepr(key));
}

/** Python `d[key]` on a JSON object: the value, or a `KeyError` failure. */
export function item(obj: PyValue | undefined, key: string): PyValue {
  const v = own(obj, key);
  if (v === undefined) {
    if (!isPyObject(obj)) throw new ToolFailure(`'${obj === null ? 'NoneType' : typeof obj}' object is not subscriptable`);
    throw keyError(key);
  }
  return v;
}

/** `d[key]` expected to be a number. */
export function numItem(obj: PyValue | undefined, key: string): PyNum {
  const v = item(obj, key);
  if (typeof v === 'number' || v instanceof PyFloat) return v;
  throw new ToolFailure(`${pyStrRepr(key)} is not a number`);
}

/** `d[key]` expected to be an object. */
export function objItem(obj: PyValue | undefined, key: string): PyObject {
  const v = item(obj, key);
  if (isPyObject(v)) return v;
  throw new ToolFailure(`${pyStrRepr(key)} is not an object`);
}

/** `d[key]` expected to be a list. */
export function listItem(obj: PyValue | undefined, key: string): PyValue[] {
  const v = item(obj, key);
  if (Array.isArray(v)) return v;
  throw new ToolFailure(`${pyStrRepr(key)} is not a list`);
}

/** `{k: v for k, v in rec.items() if k != key}` followed by `.update(extra)` (Python key order). */
export function withoutKeyUpdated(rec: Readonly<PyObject>, key: string, extra: Readonly<PyObject> | undefined): PyObject {
  const out = pyObject(orderedKeys(rec).filter((k) => k !== key).map((k) => [k, rec[k] as PyValue] as const));
  if (extra !== undefined) for (const k of orderedKeys(extra)) setKey(out, k, extra[k] as PyValue);
  return out;
}

/** Python `max(0, x)`: `0` unless `x > 0` (the first of equal values wins). */
export function maxZero(x: PyNum): PyNum {
  return num(x) > 0 ? x : 0;
}

const PY_WS = /^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/g;

/**
 * Python `int(s)` for a str: surrounding whitespace, an optional sign, ASCII digits with single
 * underscores between them. Throws the reference's `ValueError` text otherwise.
 */
export function pyIntOfStr(s: string): number {
  const t = s.replace(PY_WS, '');
  if (!/^[+-]?\d+(?:_\d+)*$/.test(t)) throw new ToolFailure(`invalid literal for int() with base 10: ${pyStrRepr(s)}`);
  return Number(t.replace(/_/g, ''));
}

/** Python `s[-2:]` (by code point). */
export function lastTwo(s: string): string {
  const cps = Array.from(s);
  return cps.slice(-2).join('');
}

/**
 * The one-stop searches' date of the second leg when the first arrives the next day:
 * `f"2024-05-{int(date[-2:]) + 1}"` (May only, no zero padding; a reference bug kept on purpose).
 */
export function nextDayInMay(date: string): string {
  return `2024-05-${pyIntOfStr(lastTwo(date)) + 1}`;
}
