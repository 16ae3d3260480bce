/** Python `==` on JSON values (used by τ²'s ACTION check). */
import { parsePyJson } from '../../core/py/py-json.js';
import { PyFloat } from '../../core/py/py-float.js';
import { defineKey, isPyObject, orderedKeys, type PyObject, type PyValue } from '../../core/py/py-value.js';

function numeric(v: PyValue): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0; // Python: True == 1
  return undefined;
}

/** Python `a == b`: ints, floats and bools compare by value; lists in order; dicts by key set. */
export function pyEqual(a: PyValue, b: PyValue): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && na === nb;
  if (a === null || b === null || typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => pyEqual(x, b[i] as PyValue));
  }
  if (!isPyObject(a) || !isPyObject(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && pyEqual(a[k] as PyValue, b[k] as PyValue));
}

/** τ²'s argument normalisation: a string holding a JSON object/array compares as parsed JSON. */
export function normalizeArg(v: PyValue): PyValue {
  if (typeof v === 'string') {
    const s = v.trim();
    if (s.startsWith('{') || s.startsWith('[')) {
      try {
        return normalizeArg(parsePyJson(s));
      } catch {
        return v;
      }
    }
    return v;
  }
  if (Array.isArray(v)) return v.map(normalizeArg);
  if (isPyObject(v)) {
    const out: PyObject = {};
    for (const k of orderedKeys(v)) defineKey(out, k, normalizeArg(v[k] as PyValue));
    return out;
  }
  return v;
}
