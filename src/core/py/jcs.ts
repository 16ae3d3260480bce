/**
 * RFC 8785 JSON Canonicalization Scheme over {@link PyValue}s, and the database hash used across
 * the project: sha256 hex of the JCS text (`db_jcs_sha256` in the conformance files).
 * JCS writes numbers the ECMAScript way, so `247.0` and `247` canonicalise alike; pass
 * `{ typedFloats: true }` to {@link jcsStringify} to keep Python's int/float distinction
 * (used for reward comparisons, where the reference sees `250` ≠ `250.0`).
 */
import { createHash } from 'node:crypto';
import { PyFloat, formatPyFloat } from './py-float.js';
import { isPyObject, type PyValue } from './py-value.js';

/** Options for {@link jcsStringify}. */
export interface CanonicalOptions {
  /** Print floats in Python repr (`247.0`) instead of ES form (`247`). Default false (pure JCS). */
  typedFloats?: boolean;
}

function esNumber(v: number): string {
  if (!Number.isFinite(v)) throw new TypeError('JCS cannot represent NaN or Infinity');
  return Object.is(v, -0) ? '0' : String(v);
}

/** Canonical JSON text of a value (JCS: sorted keys by UTF-16 code units, ES number form). */
export function jcsStringify(value: PyValue, options: CanonicalOptions = {}): string {
  const typed = options.typedFloats === true;
  const walk = (v: PyValue): string => {
    if (v === null) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number') return esNumber(v);
    if (v instanceof PyFloat) return typed ? `f${formatPyFloat(v.value)}` : esNumber(v.value);
    if (Array.isArray(v)) return `[${v.map(walk).join(',')}]`;
    if (isPyObject(v)) {
      const keys = Object.keys(v).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${walk(v[k] as PyValue)}`).join(',')}}`;
    }
    throw new TypeError(`cannot canonicalise ${typeof v}`);
  };
  return walk(value);
}

/** sha256 hex of the JCS text of a value. */
export function jcsSha256(value: PyValue): string {
  return createHash('sha256').update(jcsStringify(value), 'utf8').digest('hex');
}
