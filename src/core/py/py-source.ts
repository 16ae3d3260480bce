/**
 * The definitions of a Python module read without Python: imports, module-level assignments,
 * classes (bases, docstring, annotated fields, methods) and functions (decorators, parameters
 * with annotations and defaults, return annotation, docstring). Bodies are not interpreted.
 * Expressions are parsed on demand ({@link PyModule.expr}), so a module may contain syntax this
 * reader does not know as long as nothing asks for it. Errors name `file:line:col`.
 */
import { parseExpr, ExprParser, type PyExpr } from './py-expr.js';
import { parsePyLiteral } from './py-literal.js';
import { PyText, logicalLines, pyBlocks, tokenize, type PyBlock as Block, type PyToken } from './py-tokens.js';

/** A span of source text holding one expression, parsed when asked. */
export interface ExprSpan {
  start: number;
  end: number;
}

/** One parameter of a function definition. */
export interface PyParam {
  name: string;
  /** `*args` → `star`, `**kwargs` → `kwargs`, others `normal`. */
  kind: 'normal' | 'star' | 'kwargs';
  annotation?: PyExpr;
  default?: PyExpr;
  at: number;
}

/** A function (or method) definition. */
export interface PyFunction {
  name: string;
  decorators: PyExpr[];
  params: PyParam[];
  returns?: PyExpr;
  /** The docstring as Python's `__doc__` holds it before any cleaning (undefined when absent). */
  docstring?: string;
  at: number;
}

/** An annotated class-level assignment `name: annotation [= value]`. */
export interface PyField {
  name: string;
  annotation: ExprSpan;
  value?: ExprSpan;
  at: number;
}

/** A class definition. */
export interface PyClass {
  name: string;
  bases: PyExpr[];
  docstring?: string;
  /** Annotated fields in source order. */
  fields: PyField[];
  /** Methods in source order. */
  methods: PyFunction[];
  /** Names bound by plain class-level assignments (`model_config = ...`). */
  assigns: string[];
  at: number;
}

/** A name bound by `from module import name [as alias]`. */
export interface PyImport {
  module: string;
  name: string;
  at: number;
}

/** A module's definitions. */
export interface PyModule {
  src: PyText;
  /** Names bound by `from x import y`, by local name. */
  imports: Map<string, PyImport>;
  /** Module-level `NAME = expr` assignments (the last one wins), unparsed. */
  assigns: Map<string, ExprSpan>;
  classes: Map<string, PyClass>;
  functions: Map<string, PyFunction>;
  /** Parses a span of this module's text. */
  expr(span: ExprSpan): PyExpr;
}

/** Position of the header's top-level `:` (the end of `def …:` / `class …:`), or -1. */
function headerColon(tokens: PyToken[]): number {
  let depth = 0;
  for (let j = 0; j < tokens.length; j++) {
    const t = tokens[j] as PyToken;
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (t.text === ':' && depth === 0) return j;
  }
  return -1;
}

/** The string value when a logical line is a lone string expression (a docstring). */
function docstringOf(src: PyText, block: Block | undefined): string | undefined {
  if (block === undefined) return undefined;
  const tokens = tokenize(src, block.line.start, block.line.end);
  if (tokens.length === 0 || tokens.some((t) => t.kind !== 'string')) return undefined;
  const value = parsePyLiteral(src.text.slice(block.line.start, block.line.end), { source: src.source });
  return typeof value === 'string' ? value : undefined;
}

function parseParams(src: PyText, tokens: PyToken[], end: number): PyParam[] {
  const p = new ExprParser(src, tokens, end);
  const params: PyParam[] = [];
  while (!p.atEnd()) {
    if (p.isOp('/') || (p.isOp('*') && (p.isOp(',', 1) || p.peek(1) === undefined))) {
      p.i++;
      if (p.isOp(',')) p.i++;
      continue;
    }
    let kind: PyParam['kind'] = 'normal';
    if (p.isOp('*')) kind = 'star';
    if (p.isOp('**')) kind = 'kwargs';
    if (kind !== 'normal') p.i++;
    const name = p.peek();
    if (name?.kind !== 'name') p.fail(`expected a parameter name, found ${p.describe()}`);
    p.i++;
    const param: PyParam = { name: (name as PyToken).text, kind, at: (name as PyToken).at };
    if (p.isOp(':')) {
      p.i++;
      param.annotation = p.expr();
    }
    if (p.isOp('=')) {
      p.i++;
      param.default = p.expr();
    }
    params.push(param);
    if (p.isOp(',')) p.i++;
    else if (!p.atEnd()) p.fail(`expected ',' or ')' in the parameter list, found ${p.describe()}`);
  }
  return params;
}

function readFunction(src: PyText, block: Block, decorators: PyExpr[]): PyFunction {
  const tokens = tokenize(src, block.line.start, block.line.end);
  let j = 0;
  if (tokens[j]?.text === 'async') j++;
  const name = tokens[j + 1];
  if (tokens[j]?.text !== 'def' || name?.kind !== 'name' || tokens[j + 2]?.text !== '(') src.fail('expected "def name(...)"', block.line.start);
  // Matching ')' of the parameter list.
  let depth = 0;
  let close = -1;
  for (let k = j + 2; k < tokens.length; k++) {
    const t = tokens[k] as PyToken;
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      depth--;
      if (depth === 0) {
        close = k;
        break;
      }
    }
  }
  if (close < 0) src.fail('unclosed parameter list', (tokens[j + 2] as PyToken).at);
  const fn: PyFunction = {
    name: (name as PyToken).text,
    decorators,
    params: parseParams(src, tokens.slice(j + 3, close), (tokens[close] as PyToken).at),
    at: block.line.start,
  };
  const rest = tokens.slice(close + 1);
  const colon = headerColon(rest);
  if (colon < 0) src.fail('expected ":" after the function signature', (tokens[close] as PyToken).at);
  if (rest[0]?.text === '->') {
    const p = new ExprParser(src, rest.slice(1, colon), (rest[colon] as PyToken).at);
    fn.returns = p.expr();
    if (!p.atEnd()) p.fail(`unexpected ${p.describe()} in the return annotation`);
  } else if (colon !== 0) src.fail('unexpected text before ":" in the function signature', (rest[0] as PyToken).at);
  const doc = docstringOf(src, block.body[0]);
  if (doc !== undefined) fn.docstring = doc;
  return fn;
}

function readClass(src: PyText, block: Block): PyClass {
  const tokens = tokenize(src, block.line.start, block.line.end);
  const name = tokens[1];
  if (name?.kind !== 'name') return src.fail('expected "class Name"', block.line.start);
  const colon = headerColon(tokens);
  if (colon < 0) src.fail('expected ":" after the class header', block.line.start);
  let bases: PyExpr[] = [];
  if (tokens[2]?.text === '(') {
    const p = new ExprParser(src, tokens.slice(3, colon), (tokens[colon] as PyToken).at);
    bases = p.sequence(')');
  }
  const cls: PyClass = { name: name.text, bases, fields: [], methods: [], assigns: [], at: block.line.start };
  const doc = docstringOf(src, block.body[0]);
  if (doc !== undefined) cls.docstring = doc;
  let decorators: PyExpr[] = [];
  for (const member of block.body) {
    const t = tokenize(src, member.line.start, member.line.end);
    const first = t[0];
    if (first === undefined) continue;
    if (first.text === '@') {
      decorators.push(parseExpr(src, t[1]?.at ?? member.line.end, member.line.end));
      continue;
    }
    if (first.text === 'def' || (first.text === 'async' && t[1]?.text === 'def')) {
      cls.methods.push(readFunction(src, member, decorators));
      decorators = [];
      continue;
    }
    decorators = [];
    if (first.kind === 'name' && t[1]?.kind === 'op' && t[1].text === ':') {
      // `name: annotation [= value]`: split at the first top-level '='.
      let depth = 0;
      let eq = -1;
      for (let k = 2; k < t.length; k++) {
        const x = t[k] as PyToken;
        if (x.kind !== 'op') continue;
        if (x.text === '(' || x.text === '[' || x.text === '{') depth++;
        else if (x.text === ')' || x.text === ']' || x.text === '}') depth--;
        else if (x.text === '=' && depth === 0) {
          eq = k;
          break;
        }
      }
      const annStart = (t[2] ?? t[1]).at;
      const field: PyField = {
        name: first.text,
        annotation: { start: annStart, end: eq < 0 ? member.line.end : (t[eq] as PyToken).at },
        at: first.at,
      };
      if (eq >= 0) field.value = { start: (t[eq + 1] ?? t[eq] as PyToken).at, end: member.line.end };
      cls.fields.push(field);
    } else if (first.kind === 'name' && t[1]?.kind === 'op' && t[1].text === '=') cls.assigns.push(first.text);
  }
  return cls;
}

/** Reads the definitions of a Python module. `source` names the file in errors. */
export function readPyModule(text: string, source: string): PyModule {
  const src = new PyText(text, source);
  const mod: PyModule = {
    src,
    imports: new Map(),
    assigns: new Map(),
    classes: new Map(),
    functions: new Map(),
    expr: (span) => parseExpr(src, span.start, span.end),
  };
  let decorators: PyExpr[] = [];
  for (const block of pyBlocks(src, logicalLines(src))) {
    const t = tokenize(src, block.line.start, block.line.end);
    const first = t[0];
    if (first === undefined) continue;
    if (first.text === '@') {
      decorators.push(parseExpr(src, t[1]?.at ?? block.line.end, block.line.end));
      continue;
    }
    if (first.text === 'def' || (first.text === 'async' && t[1]?.text === 'def')) {
      const fn = readFunction(src, block, decorators);
      mod.functions.set(fn.name, fn);
    } else if (first.text === 'class') {
      const cls = readClass(src, block);
      mod.classes.set(cls.name, cls);
    } else if (first.text === 'from') {
      const imp = t.findIndex((x) => x.kind === 'name' && x.text === 'import');
      const module = t
        .slice(1, imp)
        .map((x) => x.text)
        .join('');
      const names = t.slice(imp + 1).filter((x) => !(x.kind === 'op' && (x.text === '(' || x.text === ')')));
      for (let k = 0; k < names.length; k++) {
        const n = names[k] as PyToken;
        if (n.kind !== 'name') continue;
        if (names[k + 1]?.text === 'as' && names[k + 2]?.kind === 'name') {
          mod.imports.set((names[k + 2] as PyToken).text, { module, name: n.text, at: n.at });
          k += 2;
        } else mod.imports.set(n.text, { module, name: n.text, at: n.at });
      }
    } else if (first.kind === 'name' && t[1]?.kind === 'op' && t[1].text === '=' && t[2] !== undefined) {
      mod.assigns.set(first.text, { start: t[2].at, end: block.line.end });
    }
    decorators = [];
  }
  return mod;
}
