/**
 * Python string operations the τ-bench v1 reference user simulators depend on, where JavaScript's
 * nearest equivalent differs: `repr(str)`, `str.capitalize()`, and `str()` of `str | None`
 * (`str.strip()` is `pyStrip` of src/core/py/py-docstring.ts).
 */

/** Python `str(x)` for `str | None`. */
export function pyStr(s: string | null): string {
  return s ?? 'None';
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python `repr(s)` of a str: quote choice, escapes of quotes, backslashes, controls and non-printables. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) {
      const cp = ch.codePointAt(0) as number;
      const hex = cp.toString(16);
      out += cp < 0x100 ? `\\x${hex.padStart(2, '0')}` : cp < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/** Python `s.capitalize()`: first character upper-cased, the rest lower-cased. */
export function pyCapitalize(s: string): string {
  const first = s.codePointAt(0);
  if (first === undefined) return s;
  const head = String.fromCodePoint(first);
  return head.toUpperCase() + s.slice(head.length).toLowerCase();
}
