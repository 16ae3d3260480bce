/**
 * Python source as a tree of statements with decoded tokens, for readers that match the code they
 * expect token by token (τ-bench v1's `user.py`, src/prompts/v1-users.ts): names, numbers,
 * operators, and string literals decoded (prefixes, triple quotes, escapes, f-strings split into
 * literal parts and `{field}` expressions), grouped into logical lines nested by their blocks.
 * Built on the shared tokenizer ({@link ./py-tokens.ts}) and string decoder ({@link ./py-string.ts});
 * it does not evaluate Python. Errors are {@link PySourceError}s naming `file:line:col`
 * (indentation errors `file:line`).
 */
import { readPyString } from './py-string.js';
import { PySourceError, PyText, logicalLines, pyBlocks, tokenize, type PyBlock, type PyToken } from './py-tokens.js';

export { PySourceError };

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

/** A token of a {@link PyStatement}. */
export type PyStatementToken = PyStringToken | PyOtherToken;

/** One logical line (statement or compound header) and, for headers ending in `:`, its block. */
export interface PyStatement {
  tokens: PyStatementToken[];
  /** Indentation of the line (tabs to multiples of 8). */
  indent: number;
  /** 1-based line of the first token. */
  line: number;
  /** Statements of the block this header opens (empty for simple statements). */
  body: PyStatement[];
}

/** Decodes the tokens of one logical line; brackets must balance and operators be Python's. */
function statementTokens(src: PyText, raw: PyToken[], depth: { open: number }): PyStatementToken[] {
  return raw.map((tok): PyStatementToken => {
    const { line, col } = src.position(tok.at);
    if (tok.kind === 'string') {
      const quote = tok.text.search(/["']/);
      const prefix = tok.text.slice(0, quote).toLowerCase();
      const s = readPyString(src.text, tok.at + quote, prefix, (message, at) => src.fail(message, at));
      if (s.parts === undefined || s.fields === undefined) return { kind: 'string', prefix, value: s.value, line, col };
      return { kind: 'string', prefix, value: s.value, parts: s.parts, fields: s.fields, line, col };
    }
    if (tok.kind === 'op') {
      if ('([{'.includes(tok.text)) depth.open++;
      else if (')]}'.includes(tok.text)) {
        if (depth.open === 0) src.fail(`unmatched '${tok.text}'`, tok.at);
        depth.open--;
      } else if (!/^[-+*/%@&|^~<>=!.,:;]+$/.test(tok.text)) src.fail(`unexpected character ${JSON.stringify(tok.text)}`, tok.at);
    }
    return { kind: tok.kind, value: tok.text, line, col };
  });
}

/**
 * Parses Python source into its statement tree. `file` names the source in errors.
 * Semicolon-separated statements stay on one logical line (rare in the files read here).
 */
export function parsePySource(text: string, file: string): PyStatement[] {
  const src = new PyText(text, file);
  const lines = logicalLines(src);
  const tokens = new Map<number, PyStatementToken[]>();
  for (const l of lines) {
    const depth = { open: 0 };
    tokens.set(l.start, statementTokens(src, tokenize(src, l.start, l.end, { fStrings: true }), depth));
    // A logical line only ends inside brackets at the end of the file.
    if (depth.open > 0) src.fail('unexpected end of file inside brackets', text.length);
  }
  const toStatement = (b: PyBlock): PyStatement => ({
    tokens: tokens.get(b.line.start) as PyStatementToken[],
    indent: b.line.indent,
    line: src.position(b.line.start).line,
    body: b.body.map(toStatement),
  });
  return pyBlocks(src, lines).map(toStatement);
}

/** True when `tok` is the name or operator `value`. */
export function isTok(tok: PyStatementToken | undefined, value: string): boolean {
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
        const tok = s.tokens[k] as PyStatementToken;
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
