/**
 * A small parser for Python literal source, enough to read τ-bench's `tasks_*.py` files without
 * Python: strings (single, double and triple quotes, `r`/`u`/`b` prefixes, escapes, implicit
 * concatenation of adjacent literals), ints, floats (→ {@link PyFloat}), `True`/`False`/`None`,
 * lists, tuples (→ arrays), dicts, and calls with keyword arguments such as `Task(user_id=...)`.
 * A module is a sequence of `import`/`from` lines (skipped) and `NAME = <literal>` assignments.
 * Errors are {@link DataError}s naming `source:line:col`.
 */
import { DataError } from '../errors.js';
import { PyFloat } from './py-float.js';
import { readPyString } from './py-string.js';
import { defineKey, recordKeyOrder, type PyObject, type PyValue } from './py-value.js';

/** A call in the source, e.g. `Action(name="x", kwargs={})`, handed to {@link PyLiteralOptions.call}. */
export interface PyCall {
  /** Callee as written, dotted names allowed (`types.Task`). */
  name: string;
  args: PyValue[];
  /** Keyword arguments in source order. */
  kwargs: PyObject;
  /** 1-based line and column of the callee. */
  line: number;
  col: number;
}

/** Options for {@link parsePyLiteral} and {@link parsePyModule}. */
export interface PyLiteralOptions {
  /** Name used in error messages. Default `<python>`. */
  source?: string;
  /**
   * Turns a call into a value. Default: calls are an error. Throwing a `DataError` (or any
   * `Error`) from here is reported at the call's position.
   */
  call?: (call: PyCall) => PyValue;
  /** When given, receives the 1-based source line of every list, tuple, dict and call value. */
  lines?: WeakMap<object, number>;
}

/** Error thrown for malformed Python source; `path` is `source:line:col`. */
export class PyLiteralError extends DataError {}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.(?:\d[\d_]*)?|\.\d[\d_]*|\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?/y;

class Parser {
  readonly text: string;
  readonly source: string;
  readonly options: PyLiteralOptions;
  i = 0;
  /** Depth of open brackets: newlines inside brackets are whitespace. */
  depth = 0;
  /** Offsets where each line starts (for line/column lookups by binary search). */
  readonly lineStarts: number[] = [0];

  constructor(text: string, options: PyLiteralOptions) {
    this.text = text;
    this.source = options.source ?? '<python>';
    this.options = options;
    for (let j = 0; j < text.length; j++) if (text.charCodeAt(j) === 10) this.lineStarts.push(j + 1);
  }

  position(at = this.i): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - (this.lineStarts[lo] as number) + 1 };
  }

  fail(message: string, at = this.i): never {
    const { line, col } = this.position(at);
    throw new PyLiteralError(`${this.source}:${line}:${col}: ${message}`, { path: `${this.source}:${line}:${col}` });
  }

  /** Skips spaces, comments, and (inside brackets or after `\`) newlines. */
  ws(newlines = this.depth > 0): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t[this.i];
      if (c === ' ' || c === '\t' || c === '\f' || c === '\r') this.i++;
      else if (c === '#') {
        while (this.i < t.length && t[this.i] !== '\n') this.i++;
      } else if (c === '\\' && (t[this.i + 1] === '\n' || (t[this.i + 1] === '\r' && t[this.i + 2] === '\n'))) {
        this.i += t[this.i + 1] === '\n' ? 2 : 3;
      } else if (c === '\n' && newlines) this.i++;
      else break;
    }
  }

  peek(): string | undefined {
    return this.text[this.i];
  }

  expect(ch: string): void {
    this.ws();
    if (this.text[this.i] !== ch) this.fail(`expected '${ch}'${this.describeHere()}`);
    this.i++;
  }

  describeHere(): string {
    const c = this.text[this.i];
    if (c === undefined) return ', found end of input';
    if (c === '\n') return ', found end of line';
    return `, found ${JSON.stringify(c)}`;
  }

  ident(): string | undefined {
    IDENT.lastIndex = this.i;
    const m = IDENT.exec(this.text);
    if (m === null) return undefined;
    this.i = IDENT.lastIndex;
    return m[0];
  }

  record<T extends object>(value: T, at: number): T {
    this.options.lines?.set(value, this.position(at).line);
    return value;
  }

  /** expr := unary ; unary := ('-'|'+') unary | atom */
  value(nesting: number): PyValue {
    if (nesting > 200) this.fail('nesting too deep');
    this.ws();
    const start = this.i;
    const c = this.peek();
    if (c === undefined) return this.fail('unexpected end of input');
    if (c === '-' || c === '+') {
      this.i++;
      const v = this.value(nesting + 1);
      if (typeof v === 'number') return c === '-' ? -v : v;
      if (v instanceof PyFloat) return c === '-' ? new PyFloat(-v.value) : v;
      if (typeof v === 'boolean') return c === '-' ? -Number(v) : Number(v);
      return this.fail(`bad operand for unary ${c}`, start);
    }
    if (c === '[') return this.list(nesting);
    if (c === '(') return this.tuple(nesting);
    if (c === '{') return this.dict(nesting);
    if (c === '"' || c === "'") return this.strings();
    if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(this.text[this.i + 1] ?? ''))) return this.number();
    const save = this.i;
    const word = this.ident();
    if (word === undefined) return this.fail(`unexpected character ${JSON.stringify(c)}`);
    // String prefixes: r, u, b, br, rb (any case); f-strings are not literals.
    if (/^(?:[rRuUbB]|[bB][rR]|[rR][bB])$/.test(word) && (this.peek() === '"' || this.peek() === "'")) {
      this.i = save;
      return this.strings();
    }
    if (word === 'True') return true;
    if (word === 'False') return false;
    if (word === 'None') return null;
    let name = word;
    while (this.peek() === '.' && /[A-Za-z_]/.test(this.text[this.i + 1] ?? '')) {
      this.i++;
      name += `.${this.ident() ?? ''}`;
    }
    this.ws();
    if (this.peek() === '(') return this.callExpr(name, start, nesting);
    return this.fail(`name "${name}" is not a literal (only True, False, None and calls are supported)`, start);
  }

  list(nesting: number): PyValue {
    const start = this.i;
    this.i++;
    this.depth++;
    const out: PyValue[] = [];
    while (true) {
      this.ws();
      if (this.peek() === ']') break;
      out.push(this.value(nesting + 1));
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      if (this.peek() !== ']') this.fail(`expected ',' or ']'${this.describeHere()}`);
    }
    this.i++;
    this.depth--;
    return this.record(out, start);
  }

  tuple(nesting: number): PyValue {
    const start = this.i;
    this.i++;
    this.depth++;
    const out: PyValue[] = [];
    let sawComma = false;
    while (true) {
      this.ws();
      if (this.peek() === ')') break;
      out.push(this.value(nesting + 1));
      this.ws();
      if (this.peek() === ',') {
        sawComma = true;
        this.i++;
        continue;
      }
      if (this.peek() !== ')') this.fail(`expected ',' or ')'${this.describeHere()}`);
    }
    this.i++;
    this.depth--;
    // `(x)` is just x; `(x,)` and `()` are tuples.
    if (out.length === 1 && !sawComma) return out[0] as PyValue;
    return this.record(out, start);
  }

  dict(nesting: number): PyValue {
    const start = this.i;
    this.i++;
    this.depth++;
    const obj: PyObject = {};
    const keys: string[] = [];
    while (true) {
      this.ws();
      if (this.peek() === '}') break;
      const keyAt = this.i;
      const k = this.value(nesting + 1);
      const key = dictKey(k);
      if (key === undefined) this.fail('dict keys must be strings, numbers, booleans or None', keyAt);
      this.ws();
      if (this.peek() !== ':') this.fail(`expected ':'${this.describeHere()}`);
      this.i++;
      const v = this.value(nesting + 1);
      if (!Object.prototype.hasOwnProperty.call(obj, key)) keys.push(key);
      defineKey(obj, key, v);
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      if (this.peek() !== '}') this.fail(`expected ',' or '}'${this.describeHere()}`);
    }
    this.i++;
    this.depth--;
    recordKeyOrder(obj, keys);
    return this.record(obj, start);
  }

  callExpr(name: string, start: number, nesting: number): PyValue {
    this.i++; // '('
    this.depth++;
    const args: PyValue[] = [];
    const kwargs: PyObject = {};
    const keys: string[] = [];
    while (true) {
      this.ws();
      if (this.peek() === ')') break;
      const save = this.i;
      const kw = this.ident();
      this.ws();
      if (kw !== undefined && this.peek() === '=' && this.text[this.i + 1] !== '=') {
        this.i++;
        if (Object.prototype.hasOwnProperty.call(kwargs, kw)) this.fail(`keyword argument repeated: ${kw}`, save);
        keys.push(kw);
        defineKey(kwargs, kw, this.value(nesting + 1));
      } else {
        this.i = save;
        if (keys.length > 0) this.fail('positional argument follows keyword argument');
        args.push(this.value(nesting + 1));
      }
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      if (this.peek() !== ')') this.fail(`expected ',' or ')'${this.describeHere()}`);
    }
    this.i++;
    this.depth--;
    recordKeyOrder(kwargs, keys);
    const handler = this.options.call;
    if (handler === undefined) return this.fail(`calls are not supported here: ${name}(...)`, start);
    const { line, col } = this.position(start);
    let v: PyValue;
    try {
      v = handler({ name, args, kwargs, line, col });
    } catch (e) {
      if (e instanceof PyLiteralError) throw e;
      return this.fail((e as Error).message, start);
    }
    if (typeof v === 'object' && v !== null) this.options.lines?.set(v, line);
    return v;
  }

  number(): PyValue {
    const start = this.i;
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (m === null || m[0] === '') return this.fail('invalid number');
    this.i = NUMBER.lastIndex;
    const lit = m[0];
    if (/[A-Za-z_]/.test(this.peek() ?? '') && !/^0[xXoObB]/.test(lit)) {
      if (/[jJ]/.test(this.peek() ?? '')) this.fail('complex numbers are not supported');
      this.fail(`invalid number literal`, start);
    }
    if (lit.includes('__') || lit.endsWith('_') || /_\.|\._|_[eE]|[eE][+-]?_/.test(lit)) this.fail('invalid underscore in number', start);
    const clean = lit.replace(/_/g, '');
    if (/^0[xX]/.test(clean)) return Number.parseInt(clean.slice(2), 16);
    if (/^0[oO]/.test(clean)) return Number.parseInt(clean.slice(2), 8);
    if (/^0[bB]/.test(clean)) return Number.parseInt(clean.slice(2), 2);
    if (/[.eE]/.test(clean)) return new PyFloat(Number(clean));
    if (/^0\d/.test(clean) && /[1-9]/.test(clean)) this.fail('leading zeros in decimal integer literals are not permitted', start);
    return Number(clean);
  }

  /** One or more adjacent string literals, concatenated. */
  strings(): string {
    let out = '';
    let first = true;
    while (true) {
      this.ws();
      const save = this.i;
      let prefix = '';
      if (/[A-Za-z]/.test(this.peek() ?? '')) {
        prefix = this.ident() ?? '';
        if (!/^(?:[rRuUbB]|[bB][rR]|[rR][bB])$/.test(prefix) || (this.peek() !== '"' && this.peek() !== "'")) {
          this.i = save;
          break;
        }
      }
      const q = this.peek();
      if (q !== '"' && q !== "'") {
        if (first) this.fail('expected a string');
        this.i = save;
        break;
      }
      out += this.string(/[rR]/.test(prefix));
      first = false;
    }
    return out;
  }

  string(raw: boolean): string {
    const { value, end } = readPyString(this.text, this.i, raw ? 'r' : '', (message, at) => this.fail(message, at));
    this.i = end;
    return value;
  }

  /** After a value at top level: only spaces/comments until the end of the line. */
  endOfStatement(): void {
    this.ws(false);
    const c = this.peek();
    if (c === undefined) return;
    if (c === ';') {
      this.i++;
      return;
    }
    if (c !== '\n') this.fail(`expected end of statement${this.describeHere()}`);
    this.i++;
  }
}

function dictKey(k: PyValue): string | undefined {
  // The string json.dumps would write for the key.
  if (typeof k === 'string') return k;
  if (typeof k === 'number') return String(k);
  if (k instanceof PyFloat) return k.toString();
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (k === null) return 'null';
  return undefined;
}

/** Parses a single Python literal expression (surrounding blank lines and comments allowed). */
export function parsePyLiteral(text: string, options: PyLiteralOptions = {}): PyValue {
  const p = new Parser(text, options);
  p.depth = 1; // a lone expression may span lines
  const v = p.value(0);
  p.ws();
  if (p.i < text.length) p.fail(`unexpected text after the literal${p.describeHere()}`);
  return v;
}

/**
 * Parses one Python literal expression that starts at offset `start` of `text` (e.g. the dict
 * after a `return` inside a function) and returns it with the offset just after it. Errors name
 * `source:line:col` in the whole text.
 */
export function parsePyLiteralAt(text: string, start: number, options: PyLiteralOptions = {}): { value: PyValue; end: number } {
  const p = new Parser(text, options);
  p.i = start;
  p.ws(true);
  const value = p.value(0);
  return { value, end: p.i };
}

/**
 * Parses a module made of `import`/`from` lines, docstrings/bare strings, and `NAME = <literal>`
 * assignments (also `NAME: type = <literal>`). Returns the assigned names in source order; a later
 * assignment replaces an earlier one.
 */
export function parsePyModule(text: string, options: PyLiteralOptions = {}): Map<string, PyValue> {
  const p = new Parser(text, options);
  const out = new Map<string, PyValue>();
  while (true) {
    p.ws(true);
    if (p.i >= text.length) break;
    const lineStart = p.i;
    const c = p.peek();
    if (c === '"' || c === "'") {
      p.strings();
      p.endOfStatement();
      continue;
    }
    const word = p.ident();
    if (word === undefined) return p.fail(`unexpected character ${JSON.stringify(c)} at the start of a statement`);
    if (word === 'import' || word === 'from') {
      // Skip the statement, including a parenthesised name list spanning lines.
      let parens = 0;
      while (p.i < text.length) {
        const ch = text[p.i];
        if (ch === '(') parens++;
        else if (ch === ')') parens--;
        else if (ch === '\n' && parens <= 0) break;
        p.i++;
      }
      continue;
    }
    p.ws(false);
    if (p.peek() === ':') {
      // Annotated assignment: skip the annotation up to '='.
      p.i++;
      while (p.i < text.length && text[p.i] !== '=' && text[p.i] !== '\n') p.i++;
    }
    if (p.peek() !== '=' || text[p.i + 1] === '=') p.fail(`expected "${word} = <literal>" (only imports and literal assignments are supported)`, lineStart);
    p.i++;
    const v = p.value(0);
    out.set(word, v);
    p.endOfStatement();
  }
  return out;
}
