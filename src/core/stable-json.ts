/**
 * The project's one stable JSON text: object keys sorted (by UTF-16 code units, as `Array.sort`),
 * `undefined` and function-valued properties dropped, `undefined` array entries written `null`,
 * `toJSON()` honoured (PyFloat, Date…), no whitespace. Equal values give equal text, so it serves
 * for request hashes and cache keys (src/models/request-hash.ts), audit-log and replay comparisons
 * (src/blueprint/) and run-configuration identity (src/runner/config.ts).
 *
 * Not JCS: hashes of database records use RFC 8785 over Python values, `jcsStringify` in
 * src/core/py/jcs.ts, whose number form and Python int/float option this text does not have.
 */

/** Stable JSON text of `value` (`null` for `undefined`). */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return sortKeys((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'function') out[key] = sortKeys(v);
  }
  return out;
}
