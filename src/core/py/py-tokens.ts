/**
 * Lexical layer for reading Python source without Python: logical lines (joined across brackets,
 * triple-quoted strings and `\` continuations, with their indentation) and the tokens of one
 * logical line, and the block structure (`class`/`def`/`if` bodies) built from them. The one
 * tokenizer of Python source: {@link ./py-source.ts} reads class and function definitions with it
 * (τ²'s toolkits and pydantic models), {@link ./py-statements.ts} the statement tree of τ-bench
 * v1's `user.py`. String literals are decoded by {@link ./py-string.ts}. Errors are
 * {@link PySourceError}s naming `file:line:col`.
 */
import { DataError } from '../errors.js';
import { readPyString } from './py-string.js';

/** Malformed or unsupported Python source; `path` is `file:line:col`. */
export class PySourceError extends DataError {}

/** A source text with line lookups and positioned errors. */
export class PyText {
  readonly text: string;
  /** Name used in error messages (usually the file path). */
  readonly source: string;
  readonly #lineStarts: number[] = [0];

  constructor(text: string, source: string) {
    this.text = text;
    this.source = source;
    for (let j = 0; j < text.length; j++) if (text.charCodeAt(j) === 10) this.#lineStarts.push(j + 1);
  }

  /** 1-based line and column of an offset. */
  position(at: number): { line: number; col: number } {
    const starts = this.#lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - (starts[lo] as number) + 1 };
  }

  /** Throws a {@link PySourceError} at `at`. */
  fail(message: string, at: number): never {
    const { line, col } = this.position(at);
    const where = `${this.source}:${line}:${col}`;
    throw new PySourceError(`${where}: ${message}`, { path: where });
  }
}

/** One logical line: its text from the first non-blank character, where it starts, its indent. */
export interface LogicalLine {
  /** Offset of the first non-blank character in the file. */
  start: number;
  /** Offset just past the line's last character (before the terminating newline). */
  end: number;
  /** Indentation width of the first physical line (tabs to multiples of 8, as Python does). */
  indent: number;
}

const STRING_PREFIX = /^(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])$/;

/** Offset just past the string literal whose opening quote is at `at` (escapes are not checked). */
export function skipString(src: PyText, at: number): number {
  // Read as a raw string: a backslash protects the next character and nothing is decoded.
  return readPyString(src.text, at, 'r', (message, pos) => src.fail(message, pos)).end;
}

/** Splits a module into logical lines, skipping blank and comment-only lines. */
export function logicalLines(src: PyText): LogicalLine[] {
  const t = src.text;
  const out: LogicalLine[] = [];
  let i = 0;
  while (i < t.length) {
    // Indentation of this physical line.
    let indent = 0;
    while (i < t.length && (t[i] === ' ' || t[i] === '\t' || t[i] === '\f')) {
      indent = t[i] === '\t' ? (Math.floor(indent / 8) + 1) * 8 : t[i] === ' ' ? indent + 1 : 0;
      i++;
    }
    if (i >= t.length) break;
    if (t[i] === '\n' || t[i] === '\r' || t[i] === '#') {
      while (i < t.length && t[i] !== '\n') i++;
      i++;
      continue;
    }
    const start = i;
    let depth = 0;
    let end = t.length;
    while (i < t.length) {
      const c = t[i] as string;
      if (c === '#') {
        while (i < t.length && t[i] !== '\n') i++;
        continue;
      }
      if (c === '\\' && (t[i + 1] === '\n' || (t[i + 1] === '\r' && t[i + 2] === '\n'))) {
        i += t[i + 1] === '\n' ? 2 : 3;
        continue;
      }
      if (c === '\n') {
        if (depth > 0) {
          i++;
          continue;
        }
        end = i > start && t[i - 1] === '\r' ? i - 1 : i;
        i++;
        break;
      }
      if (c === '"' || c === "'") {
        i = skipString(src, i);
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        const m = /[A-Za-z_][A-Za-z0-9_]*/y;
        m.lastIndex = i;
        const word = (m.exec(t) as RegExpExecArray)[0];
        i += word.length;
        if (STRING_PREFIX.test(word) && (t[i] === '"' || t[i] === "'")) i = skipString(src, i);
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      i++;
    }
    if (i >= t.length && end === t.length) end = t.length;
    out.push({ start, end, indent });
  }
  return out;
}

/** A token of one logical line. */
export interface PyToken {
  kind: 'name' | 'number' | 'string' | 'op';
  /** The token's source text (for strings: prefix and quotes included). */
  text: string;
  /** Offset in the file. */
  at: number;
}

const OPS = ['**=', '//=', '>>=', '<<=', '...', '->', '**', '//', '==', '!=', '<=', '>=', ':=', '+=', '-=', '*=', '/=', '%=', '|=', '&=', '^=', '@=', '<<', '>>'];

/** Options of {@link tokenize}. */
export interface TokenizeOptions {
  /** Accept f-strings (as `string` tokens). Default false: an f-string is a {@link PySourceError}. */
  fStrings?: boolean;
}

/** Tokens of the source between `start` and `end` (comments, blanks and newlines skipped). */
export function tokenize(src: PyText, start: number, end: number, options: TokenizeOptions = {}): PyToken[] {
  const t = src.text;
  const out: PyToken[] = [];
  let i = start;
  while (i < end) {
    const c = t[i] as string;
    if (c === ' ' || c === '\t' || c === '\f' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c === '\\' && (t[i + 1] === '\n' || t[i + 1] === '\r')) {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < end && t[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const j = skipString(src, i);
      out.push({ kind: 'string', text: t.slice(i, j), at: i });
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c) || c.charCodeAt(0) > 127) {
      const m = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/y;
      m.lastIndex = i;
      const word = (m.exec(t) as RegExpExecArray)[0];
      if (STRING_PREFIX.test(word) && (t[i + word.length] === '"' || t[i + word.length] === "'")) {
        if (/[fF]/.test(word) && options.fStrings !== true) src.fail('f-strings are not supported here', i);
        const j = skipString(src, i + word.length);
        out.push({ kind: 'string', text: t.slice(i, j), at: i });
        i = j;
        continue;
      }
      out.push({ kind: 'name', text: word, at: i });
      i += word.length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(t[i + 1] ?? ''))) {
      const m = /(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?(?:\d[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)[jJ]?/y;
      m.lastIndex = i;
      const num = (m.exec(t) as RegExpExecArray)[0];
      out.push({ kind: 'number', text: num, at: i });
      i += num.length;
      continue;
    }
    const op = OPS.find((o) => t.startsWith(o, i)) ?? c;
    out.push({ kind: 'op', text: op, at: i });
    i += op.length;
  }
  return out;
}

/** A logical line and, for a compound header (a line ending in `:`), the lines of its block. */
export interface PyBlock {
  line: LogicalLine;
  body: PyBlock[];
}

/**
 * Nests logical lines by indentation: a line indented deeper than a header ending in `:` opens
 * that header's block; any other line must return to the indentation of an enclosing block, or it
 * is a {@link PySourceError} (`file:line: inconsistent indentation`).
 */
export function pyBlocks(src: PyText, lines: LogicalLine[]): PyBlock[] {
  const root: PyBlock[] = [];
  const stack: Array<{ indent: number; body: PyBlock[] }> = [{ indent: 0, body: root }];
  let expectBlock: PyBlock | undefined;
  for (const line of lines) {
    const block: PyBlock = { line, body: [] };
    if (expectBlock !== undefined && line.indent > expectBlock.line.indent) {
      stack.push({ indent: line.indent, body: expectBlock.body });
    } else {
      while (stack.length > 1 && line.indent < (stack.at(-1) as { indent: number }).indent) stack.pop();
      if (line.indent !== (stack.at(-1) as { indent: number }).indent) {
        const where = `${src.source}:${src.position(line.start).line}`;
        throw new PySourceError(`${where}: inconsistent indentation`, { path: where });
      }
    }
    (stack.at(-1) as { body: PyBlock[] }).body.push(block);
    const last = tokenize(src, line.start, line.end, { fStrings: true }).at(-1);
    expectBlock = last !== undefined && last.kind === 'op' && last.text === ':' ? block : undefined;
  }
  return root;
}
