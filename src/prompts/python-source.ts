/**
 * A small reader for Python source, enough to take prompt templates out of a τ-bench checkout at
 * run time: a tokenizer (names, numbers, operators, string literals with prefixes, triple quotes,
 * escapes and f-strings split into literal parts and `{field}` expressions), logical lines with
 * their indentation, and the block structure (`class`/`def`/`if` bodies) built from them.
 * It does not evaluate Python; callers match the statements they expect and fail otherwise.
 * Errors are {@link PySourceError}s naming `file:line:col`.
 */
import { DataError } from '../core/errors.js';
import { readPyString } from '../core/py/py-string.js';

/** Malformed or unexpected Python source; `path` is `file:line:col` (or `file`). */
export class PySourceError extends DataError {}

/** A string literal: plain (`value`) or an f-string (`parts` around `fields`). */
export interface PyStringToken {
  kind: 'string';
  /** Prefix letters as written (`f`, `r`, `rb`…), lower-cased. */
  prefix: string;
  /** Decoded text of a plain string; for an f-string, its literal parts joined with `{field}` text. */
  value: string;
  /** f-strings only: decoded literal text between fields (`parts.length === fields.length + 1`). */
  parts?: string[];
  /** f-strings only: each field's source text (without the braces), trimmed. */
  fields?: string[];
  line: number;
  col: number;
}

/** A token other than a string. */
export interface PyOtherToken {
  kind: 'name' | 'number' | 'op';
  value: string;
  line: number;
  col: number;
}

export type PyToken = PyStringToken | PyOtherToken;

/** One logical line (statement or compound header) and, for headers ending in `:`, its block. */
export interface PyStatement {
  tokens: PyToken[];
  /** Column of the first token (0-based). */
  indent: number;
  line: number;
  /** Statements of the block this header opens (empty for simple statements). */
  body: PyStatement[];
}


const OPERATORS = ['**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@='];

class Lexer {
  readonly text: string;
  readonly file: string;
  i = 0;
  /** Offsets where each physical line starts. */
  readonly lineStarts: number[] = [0];

  constructor(text: string, file: string) {
    this.text = text;
    this.file = file;
    for (let j = 0; j < text.length; j++) if (text.charCodeAt(j) === 10) this.lineStarts.push(j + 1);
  }

  fail(message: string, at = this.i): never {
    const { line, col } = this.pos(at);
    const where = `${this.file}:${line}:${col}`;
    throw new PySourceError(`${where}: ${message}`, { path: where });
  }

  pos(at: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - (this.lineStarts[lo] as number) + 1 };
  }

  /** Logical lines: tokens with the indentation of their first token. */
  logicalLines(): Array<{ tokens: PyToken[]; indent: number; line: number }> {
    const out: Array<{ tokens: PyToken[]; indent: number; line: number }> = [];
    const t = this.text;
    let current: PyToken[] = [];
    let indent = 0;
    let depth = 0;
    let atLineStart = true;
    const flush = (): void => {
      if (current.length > 0) out.push({ tokens: current, indent, line: (current[0] as PyToken).line });
      current = [];
    };
    while (this.i < t.length) {
      const c = t[this.i] as string;
      if (atLineStart && depth === 0) {
        // Measure indentation of a new logical line.
        let col = 0;
        let j = this.i;
        while (j < t.length && (t[j] === ' ' || t[j] === '\t')) {
          col = t[j] === '\t' ? (col + 8) & ~7 : col + 1;
          j++;
        }
        this.i = j;
        indent = col;
        atLineStart = false;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\f' || c === '\r') {
        this.i++;
        continue;
      }
      if (c === '#') {
        while (this.i < t.length && t[this.i] !== '\n') this.i++;
        continue;
      }
      if (c === '\\' && (t[this.i + 1] === '\n' || (t[this.i + 1] === '\r' && t[this.i + 2] === '\n'))) {
        this.i += t[this.i + 1] === '\n' ? 2 : 3;
        continue;
      }
      if (c === '\n') {
        this.i++;
        if (depth === 0) {
          flush();
          atLineStart = true;
        }
        continue;
      }
      const start = this.i;
      const { line, col } = this.pos(start);
      if (/[A-Za-z_]/.test(c) || c.charCodeAt(0) > 127) {
        const m = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/y;
        m.lastIndex = this.i;
        const word = (m.exec(t) as RegExpExecArray)[0];
        const q = t[this.i + word.length];
        if ((q === '"' || q === "'") && /^(?:[rRuUbBfF]|[bBfF][rR]|[rR][bBfF])$/.test(word)) {
          this.i += word.length;
          current.push(this.string(word.toLowerCase(), line, col));
          continue;
        }
        this.i += word.length;
        current.push({ kind: 'name', value: word, line, col });
        continue;
      }
      if (c === '"' || c === "'") {
        current.push(this.string('', line, col));
        continue;
      }
      if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(t[this.i + 1] ?? ''))) {
        const m = /(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)[jJ]?/y;
        m.lastIndex = this.i;
        const num = (m.exec(t) as RegExpExecArray)[0];
        this.i += num.length;
        current.push({ kind: 'number', value: num, line, col });
        continue;
      }
      const op = OPERATORS.find((o) => t.startsWith(o, this.i)) ?? c;
      if ('([{'.includes(op)) depth++;
      else if (')]}'.includes(op)) {
        if (depth === 0) this.fail(`unmatched '${op}'`);
        depth--;
      } else if (!/^[-+*/%@&|^~<>=!.,:;]+$/.test(op)) this.fail(`unexpected character ${JSON.stringify(op)}`);
      this.i += op.length;
      current.push({ kind: 'op', value: op, line, col });
    }
    if (depth > 0) this.fail('unexpected end of file inside brackets');
    flush();
    return out;
  }

  /** A string literal starting at the quote (prefix already consumed). */
  string(prefix: string, line: number, col: number): PyStringToken {
    const { value, parts, fields, end } = readPyString(this.text, this.i, prefix, (message, at) => this.fail(message, at));
    this.i = end;
    if (parts === undefined || fields === undefined) return { kind: 'string', prefix, value, line, col };
    return { kind: 'string', prefix, value, parts, fields, line, col };
  }
}

/**
 * Parses Python source into its statement tree. `file` names the source in errors.
 * Semicolon-separated statements stay on one logical line (rare in the files read here).
 */
export function parsePySource(text: string, file: string): PyStatement[] {
  const lines = new Lexer(text, file).logicalLines();
  const root: PyStatement[] = [];
  const stack: Array<{ indent: number; body: PyStatement[] }> = [{ indent: 0, body: root }];
  let expectBlock: PyStatement | undefined;
  for (const l of lines) {
    const stmt: PyStatement = { tokens: l.tokens, indent: l.indent, line: l.line, body: [] };
    if (expectBlock !== undefined && l.indent > expectBlock.indent) {
      stack.push({ indent: l.indent, body: expectBlock.body });
    } else {
      while (stack.length > 1 && l.indent < (stack[stack.length - 1] as { indent: number }).indent) stack.pop();
      const top = stack[stack.length - 1] as { indent: number };
      if (l.indent !== top.indent) {
        throw new PySourceError(`${file}:${l.line}: inconsistent indentation`, { path: `${file}:${l.line}` });
      }
    }
    (stack[stack.length - 1] as { body: PyStatement[] }).body.push(stmt);
    const last = l.tokens[l.tokens.length - 1];
    expectBlock = last !== undefined && last.kind === 'op' && last.value === ':' ? stmt : undefined;
  }
  return root;
}

/** True when `tok` is the name or operator `value`. */
export function isTok(tok: PyToken | undefined, value: string): boolean {
  return tok !== undefined && tok.kind !== 'string' && tok.value === value;
}

/** The `class NAME(...)` statements of a module, by name, with their base class names. */
export function pyClasses(module: PyStatement[]): Map<string, { stmt: PyStatement; bases: string[] }> {
  const out = new Map<string, { stmt: PyStatement; bases: string[] }>();
  for (const s of module) {
    const [kw, name] = s.tokens;
    if (!isTok(kw, 'class') || name?.kind !== 'name') continue;
    const bases: string[] = [];
    if (isTok(s.tokens[2], '(')) {
      for (let k = 3; k < s.tokens.length; k++) {
        const tok = s.tokens[k] as PyToken;
        if (isTok(tok, ')')) break;
        if (tok.kind === 'name' && !isTok(s.tokens[k + 1], '.') && !isTok(s.tokens[k - 1], '.')) bases.push(tok.value);
      }
    }
    out.set(name.value, { stmt: s, bases });
  }
  return out;
}

/** The `def NAME(...)` statements of a block (a module or a class body), by name. */
export function pyFunctions(block: PyStatement[]): Map<string, PyStatement> {
  const out = new Map<string, PyStatement>();
  for (const s of block) {
    const [kw, name] = s.tokens;
    if (isTok(kw, 'def') && name?.kind === 'name') out.set(name.value, s);
  }
  return out;
}

/**
 * A structural fingerprint of a statement and its block: every token, with string literals
 * reduced to their kind (`S`, or `F` with the f-string's field expressions). Two pieces of code
 * with the same fingerprint do the same thing up to the text of their string literals.
 */
export function pyFingerprint(stmt: PyStatement): string {
  const out: string[] = [];
  const walk = (s: PyStatement, depth: number): void => {
    out.push(`@${depth}`);
    for (const t of s.tokens) out.push(t.kind === 'string' ? (t.fields === undefined ? 'S' : `F(${t.fields.join('|')})`) : t.value);
    for (const b of s.body) walk(b, depth + 1);
  };
  walk(stmt, 0);
  return out.join(' ');
}

/** The string literals of a statement and its block, in source order. */
export function pyStrings(stmt: PyStatement): PyStringToken[] {
  const out: PyStringToken[] = [];
  const walk = (s: PyStatement): void => {
    for (const t of s.tokens) if (t.kind === 'string') out.push(t);
    for (const b of s.body) walk(b);
  };
  walk(stmt);
  return out;
}
