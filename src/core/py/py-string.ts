/**
 * The one decoder of Python string literals, shared by the literal parser ({@link ./py-literal.ts})
 * and the source readers ({@link ./py-tokens.ts}, {@link ./py-statements.ts}): single, double and
 * triple quotes, raw strings, escapes (`\n`, `\xHH`, `\uHHHH`, `\UHHHHHHHH`, octal, line
 * continuation; unknown escapes kept as written, `\N{...}` refused) and f-strings split into their
 * literal parts and `{field}` expressions. Errors go through the caller's `fail`, which names the place.
 */

/** Reports an error at offset `at` of the text; never returns. */
export type PyStringFail = (message: string, at: number) => never;

/** A decoded string literal. */
export interface PyStringValue {
  /** Decoded text; for an f-string, its literal parts joined with `{field}` text. */
  value: string;
  /** f-strings only: decoded literal text between fields (`parts.length === fields.length + 1`). */
  parts?: string[];
  /** f-strings only: each field's source text (without the braces), trimmed. */
  fields?: string[];
  /** Offset just past the closing quote. */
  end: number;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * Decodes the string literal whose opening quote is at offset `at` of `text`; `prefix` holds the
 * prefix letters already read (any case; `r` → raw, `f` → f-string, others ignored).
 */
export function readPyString(text: string, at: number, prefix: string, fail: PyStringFail): PyStringValue {
  const t = text;
  const start = at;
  const q = t[at] as string;
  const triple = t.startsWith(q.repeat(3), at);
  const close = triple ? q.repeat(3) : q;
  const raw = /[rR]/.test(prefix);
  const isF = /[fF]/.test(prefix);
  let i = at + close.length;
  const parts: string[] = [];
  const fields: string[] = [];
  let out = '';
  const hexEscape = (len: number): string => {
    const hex = t.slice(i, i + len);
    if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) fail(`truncated \\${len === 2 ? 'x' : len === 4 ? 'u' : 'U'} escape`, i - 2);
    i += len;
    const cp = Number.parseInt(hex, 16);
    if (cp > 0x10ffff) fail('illegal Unicode character', i - len - 2);
    return String.fromCodePoint(cp);
  };
  while (true) {
    if (i >= t.length) fail('unterminated string literal', start);
    const c = t[i] as string;
    if (t.startsWith(close, i)) {
      i += close.length;
      break;
    }
    if (c === '\n' && !triple) fail('unterminated string literal (end of line)', start);
    if (isF && (c === '{' || c === '}')) {
      if (t[i + 1] === c) {
        out += c;
        i += 2;
        continue;
      }
      if (c === '}') fail("single '}' is not allowed in an f-string", i);
      parts.push(out);
      out = '';
      const field = fStringField(t, i, start, fail);
      fields.push(field.expr);
      i = field.end;
      continue;
    }
    if (c === '\\') {
      const e = t[i + 1];
      if (e === undefined) fail('unterminated string literal', start);
      if (raw) {
        // Raw strings keep the backslash; it still protects the next character from closing.
        out += c + e;
        i += 2;
        continue;
      }
      i += 2;
      if (e === '\n') continue;
      if (e === '\r') {
        if (t[i] === '\n') i++;
        continue;
      }
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) out += simple;
      else if (e === 'x') out += hexEscape(2);
      else if (e === 'u') out += hexEscape(4);
      else if (e === 'U') out += hexEscape(8);
      else if (e >= '0' && e <= '7') {
        let digits = e;
        while (digits.length < 3 && /[0-7]/.test(t[i] ?? '')) digits += t[i++];
        out += String.fromCodePoint(Number.parseInt(digits, 8));
      } else if (e === 'N') fail('\\N{...} escapes are not supported', i - 2);
      else out += `\\${e}`; // Python keeps unknown escapes as written.
      continue;
    }
    out += c;
    i++;
  }
  if (!isF) return { value: out, end: i };
  parts.push(out);
  let value = parts[0] as string;
  fields.forEach((f, k) => (value += `{${f}}${parts[k + 1] as string}`));
  return { value, parts, fields, end: i };
}

/** An f-string field from the `{` at `open` to its matching `}`: the trimmed expression text. */
function fStringField(t: string, open: number, stringStart: number, fail: PyStringFail): { expr: string; end: number } {
  let i = open + 1;
  let depth = 0;
  let quote: string | undefined;
  while (i < t.length) {
    const c = t[i] as string;
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]'.includes(c) || (c === '}' && depth > 0)) depth--;
    else if (c === '}') {
      const expr = t.slice(open + 1, i).trim();
      if (expr === '') fail('empty expression in an f-string', open);
      return { expr, end: i + 1 };
    }
    i++;
  }
  return fail('unterminated f-string field', stringStart);
}
