/**
 * Reading and writing JSON the way Python's `json` module does: {@link parsePyJson} keeps
 * int/float distinction and key order; {@link pyDumps} reproduces `json.dumps(obj)` with default
 * arguments byte for byte (`", "` / `": "` separators, `ensure_ascii=True`, float repr).
 */
import { DataError } from '../errors.js';
import { PyFloat, formatPyFloat } from './py-float.js';
import { defineKey, isPyObject, orderedKeys, recordKeyOrder, type PyObject, type PyValue } from './py-value.js';

/** Error thrown by {@link parsePyJson}; `path` is `file:line:col`. */
export class JsonSyntaxError extends DataError {}

/**
 * Parses JSON text into a {@link PyValue}. Accepts Python's extensions `NaN`, `Infinity`,
 * `-Infinity`. Throws {@link JsonSyntaxError} naming `source`, line and column.
 */
export function parsePyJson(text: string, source = '<json>'): PyValue {
  let i = 0;
  const n = text.length;

  const fail = (msg: string): never => {
    let line = 1;
    let col = 1;
    for (let j = 0; j < i && j < n; j++) {
      if (text.charCodeAt(j) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    throw new JsonSyntaxError(`${source}:${line}:${col}: ${msg}`, { path: `${source}:${line}:${col}` });
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const parseString = (): string => {
    // text[i] === '"'
    i++;
    let out = '';
    let start = i;
    while (true) {
      if (i >= n) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c === 92) {
        out += text.slice(start, i);
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            i -= 1;
            fail(`invalid escape \\${e ?? ''}`);
        }
        start = i;
        continue;
      }
      if (c < 32) fail('control character in string');
      i++;
    }
  };
  const parseNumber = (): PyValue => {
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const r = m.exec(text);
    if (r === null) return fail('invalid number');
    i = m.lastIndex;
    const lit = r[0];
    return r[1] !== undefined || r[2] !== undefined ? new PyFloat(Number(lit)) : Number(lit);
  };
  const parseValue = (depth: number): PyValue => {
    if (depth > 512) fail('nesting too deep');
    ws();
    if (i >= n) return fail('unexpected end of input');
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: PyObject = {};
      const keys: string[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      while (true) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const key = parseString();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        const v = parseValue(depth + 1);
        if (!Object.prototype.hasOwnProperty.call(obj, key)) keys.push(key);
        defineKey(obj, key, v);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          break;
        }
        fail("expected ',' or '}'");
      }
      recordKeyOrder(obj, keys);
      return obj;
    }
    if (c === '[') {
      i++;
      const arr: PyValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      while (true) {
        arr.push(parseValue(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          break;
        }
        fail("expected ',' or ']'");
      }
      return arr;
    }
    if (c === '"') return parseString();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    if (text.startsWith('NaN', i)) {
      i += 3;
      return new PyFloat(NaN);
    }
    if (text.startsWith('Infinity', i)) {
      i += 8;
      return new PyFloat(Infinity);
    }
    if (text.startsWith('-Infinity', i)) {
      i += 9;
      return new PyFloat(-Infinity);
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    return fail(`unexpected character ${JSON.stringify(c)}`);
  };

  const value = parseValue(0);
  ws();
  if (i < n) fail('extra data after the JSON value');
  return value;
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** Python `json.dumps(s)` of a string with `ensure_ascii=True`. */
export function pyDumpsString(s: string): string {
  // Fast path: printable ASCII without quotes/backslashes.
  if (/^[ !#-[\]-~]*$/.test(s)) return `"${s}"`;
  let out = '"';
  for (let j = 0; j < s.length; j++) {
    const ch = s[j] as string;
    const code = s.charCodeAt(j);
    const esc = ESCAPES[ch];
    if (esc !== undefined) out += esc;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Python `json.dumps(value)` with default arguments. */
export function pyDumps(value: PyValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pyDumpsString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`int value ${value} is not finite`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (value instanceof PyFloat) {
    const v = value.value;
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    return formatPyFloat(v);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map(pyDumps).join(', ')}]`;
  }
  if (isPyObject(value)) {
    const keys = orderedKeys(value);
    if (keys.length === 0) return '{}';
    return `{${keys.map((k) => `${pyDumpsString(k)}: ${pyDumps(value[k] as PyValue)}`).join(', ')}}`;
  }
  throw new TypeError(`cannot serialise ${typeof value}`);
}
