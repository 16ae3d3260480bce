/**
 * Python expressions as data, for reading type annotations, `Field(...)` calls, defaults and
 * string templates from Python source: names, attributes, constants, subscripts, calls,
 * `a | b`, lists, tuples, dicts and unary minus. Anything else (lambdas, comprehensions,
 * arithmetic, comparisons) is a {@link PySourceError} naming `file:line:col`.
 */
import type { PyValue } from './py-value.js';
import { parsePyLiteral } from './py-literal.js';
import { PyText, tokenize, type PyToken } from './py-tokens.js';

/** A parsed Python expression. `at` is the file offset where it starts. */
export type PyExpr =
  | { k: 'name'; id: string; at: number }
  | { k: 'attr'; value: PyExpr; attr: string; at: number }
  | { k: 'const'; value: PyValue; at: number }
  | { k: 'ellipsis'; at: number }
  | { k: 'subscript'; value: PyExpr; items: PyExpr[]; at: number }
  | { k: 'call'; func: PyExpr; args: PyExpr[]; kwargs: Array<[string, PyExpr]>; at: number }
  | { k: 'union'; left: PyExpr; right: PyExpr; at: number }
  | { k: 'list' | 'tuple'; items: PyExpr[]; at: number }
  | { k: 'dict'; entries: Array<[PyExpr, PyExpr]>; at: number };

/** The dotted name an expression spells (`typing.List` → `typing.List`), if it is one. */
export function dottedName(e: PyExpr): string | undefined {
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') {
    const base = dottedName(e.value);
    return base === undefined ? undefined : `${base}.${e.attr}`;
  }
  return undefined;
}

/** Recursive-descent parser over the tokens of one expression (or a list of them). */
export class ExprParser {
  readonly src: PyText;
  readonly tokens: PyToken[];
  i = 0;
  readonly #end: number;

  constructor(src: PyText, tokens: PyToken[], end: number) {
    this.src = src;
    this.tokens = tokens;
    this.#end = end;
  }

  peek(offset = 0): PyToken | undefined {
    return this.tokens[this.i + offset];
  }

  isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'op' && t.text === text;
  }

  fail(message: string, at?: number): never {
    return this.src.fail(message, at ?? this.peek()?.at ?? this.#end);
  }

  describe(): string {
    const t = this.peek();
    return t === undefined ? 'end of expression' : JSON.stringify(t.text);
  }

  expectOp(text: string): PyToken {
    if (!this.isOp(text)) this.fail(`expected '${text}', found ${this.describe()}`);
    return this.tokens[this.i++] as PyToken;
  }

  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }

  /** expr := postfix ('|' postfix)* ; a leading '-' negates a number. */
  expr(): PyExpr {
    let left = this.unary();
    while (this.isOp('|')) {
      const at = (this.tokens[this.i++] as PyToken).at;
      left = { k: 'union', left, right: this.unary(), at };
    }
    return left;
  }

  unary(): PyExpr {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.tokens[this.i++] as PyToken;
      const num = this.peek();
      if (num?.kind !== 'number') return this.fail(`unary ${op.text} is only supported on numbers`, op.at);
      this.i++;
      return { k: 'const', value: this.literal(`${op.text}${num.text}`, op.at), at: op.at };
    }
    return this.postfix();
  }

  postfix(): PyExpr {
    let e = this.atom();
    while (true) {
      if (this.isOp('.')) {
        this.i++;
        const name = this.peek();
        if (name?.kind !== 'name') return this.fail(`expected a name after '.', found ${this.describe()}`);
        this.i++;
        e = { k: 'attr', value: e, attr: name.text, at: e.at };
      } else if (this.isOp('[')) {
        this.i++;
        const items = this.sequence(']');
        e = { k: 'subscript', value: e, items, at: e.at };
      } else if (this.isOp('(')) {
        this.i++;
        e = this.callArgs(e);
      } else return e;
    }
  }

  /** Comma-separated expressions up to `close` (consumed); a trailing comma is allowed. */
  sequence(close: string): PyExpr[] {
    const items: PyExpr[] = [];
    while (!this.isOp(close)) {
      if (this.atEnd()) this.fail(`expected '${close}'`);
      items.push(this.expr());
      if (this.isOp(',')) this.i++;
      else if (!this.isOp(close)) this.fail(`expected ',' or '${close}', found ${this.describe()}`);
    }
    this.i++;
    return items;
  }

  callArgs(func: PyExpr): PyExpr {
    const args: PyExpr[] = [];
    const kwargs: Array<[string, PyExpr]> = [];
    while (!this.isOp(')')) {
      if (this.atEnd()) this.fail(`expected ')'`);
      const t = this.peek() as PyToken;
      if (t.kind === 'name' && this.isOp('=', 1)) {
        this.i += 2;
        if (kwargs.some(([k]) => k === t.text)) this.fail(`keyword argument repeated: ${t.text}`, t.at);
        kwargs.push([t.text, this.expr()]);
      } else if (this.isOp('*') || this.isOp('**')) {
        this.fail('star arguments are not supported here');
      } else {
        if (kwargs.length > 0) this.fail('positional argument follows keyword argument');
        args.push(this.expr());
      }
      if (this.isOp(',')) this.i++;
      else if (!this.isOp(')')) this.fail(`expected ',' or ')', found ${this.describe()}`);
    }
    this.i++;
    return { k: 'call', func, args, kwargs, at: func.at };
  }

  atom(): PyExpr {
    const t = this.peek();
    if (t === undefined) return this.fail('unexpected end of expression');
    if (t.kind === 'name') {
      this.i++;
      if (t.text === 'None') return { k: 'const', value: null, at: t.at };
      if (t.text === 'True') return { k: 'const', value: true, at: t.at };
      if (t.text === 'False') return { k: 'const', value: false, at: t.at };
      if (t.text === 'lambda' || t.text === 'not' || t.text === 'await' || t.text === 'yield') this.fail(`'${t.text}' expressions are not supported here`, t.at);
      return { k: 'name', id: t.text, at: t.at };
    }
    if (t.kind === 'string') {
      // Adjacent literals concatenate.
      let j = this.i;
      while (this.tokens[j]?.kind === 'string') j++;
      const last = this.tokens[j - 1] as PyToken;
      const text = this.src.text.slice(t.at, last.at + last.text.length);
      this.i = j;
      return { k: 'const', value: this.literal(text, t.at), at: t.at };
    }
    if (t.kind === 'number') {
      this.i++;
      return { k: 'const', value: this.literal(t.text, t.at), at: t.at };
    }
    if (t.text === '...') {
      this.i++;
      return { k: 'ellipsis', at: t.at };
    }
    if (t.text === '(') {
      this.i++;
      const items = this.sequence(')');
      if (items.length === 1 && !this.trailingCommaBefore(this.i - 1)) return items[0] as PyExpr;
      return { k: 'tuple', items, at: t.at };
    }
    if (t.text === '[') {
      this.i++;
      return { k: 'list', items: this.sequence(']'), at: t.at };
    }
    if (t.text === '{') {
      this.i++;
      const entries: Array<[PyExpr, PyExpr]> = [];
      while (!this.isOp('}')) {
        if (this.atEnd()) this.fail(`expected '}'`);
        const key = this.expr();
        this.expectOp(':');
        entries.push([key, this.expr()]);
        if (this.isOp(',')) this.i++;
        else if (!this.isOp('}')) this.fail(`expected ',' or '}', found ${this.describe()}`);
      }
      this.i++;
      return { k: 'dict', entries, at: t.at };
    }
    return this.fail(`unsupported syntax ${JSON.stringify(t.text)}`, t.at);
  }

  trailingCommaBefore(closeIndex: number): boolean {
    const prev = this.tokens[closeIndex - 1];
    return prev !== undefined && prev.kind === 'op' && prev.text === ',';
  }

  literal(text: string, at: number): PyValue {
    try {
      return parsePyLiteral(text);
    } catch (e) {
      return this.fail((e as Error).message.replace(/^<python>:\d+:\d+: /, ''), at);
    }
  }
}

/** Parses the expression between `start` and `end` of `src`; trailing tokens are an error. */
export function parseExpr(src: PyText, start: number, end: number): PyExpr {
  const p = new ExprParser(src, tokenize(src, start, end), end);
  const e = p.expr();
  if (!p.atEnd()) p.fail(`unexpected ${p.describe()} after the expression`);
  return e;
}
