/**
 * The arithmetic evaluator behind the `calculate` tool: what τ-bench's
 * `str(round(float(eval(expression, {"__builtins__": None}, {})), 2))` answers for an expression
 * made of `0123456789+-*∕(). ` (the tool's character filter), including Python's error texts.
 *
 * It models CPython 3.11 on that alphabet: the tokenizer (leading zeros, `unmatched ')'`,
 * `'(' was never closed`, `...`), the PEG grammar subset those tokens can reach with its second
 * "invalid rules" pass (`Perhaps you forgot a comma?`, starred expressions), and the runtime:
 * exact ints (BigInt), floats, the complex numbers a negative base raised to a fractional power
 * yields, the empty tuple `()`, `Ellipsis`, and calls (`(1)(2)` → `'int' object is not callable`).
 *
 * Known approximations (documented, never thrown): CPython's parser/compiler recursion limits
 * are modelled as one AST depth limit; an integer result beyond {@link MAX_INT_BITS} bits answers
 * `int too large to convert to float` (what Python prints for such a result after the slow
 * computation, unless later arithmetic cancels it); float `**` is correctly rounded, while glibc's
 * `pow` (within 0.52 ulp) rounds some results that lie within a few hundredths of an ulp of a
 * halfway point the other way, e.g. `3.0 ** 34` (`1.667718169966657e+16` in CPython,
 * `1.6677181699666568e+16` here) or `5.0 ** 210`: about one float power in ten thousand, visible
 * only when the result prints with all its digits; complex intermediate values use `Math`.
 * Checked against CPython 3.11 on some 100 000 random expressions over the alphabet.
 */
import { formatPyFloat, roundHalfEven } from '../../src/core/py/py-float.js';
import { bitLength, powAbs, ratioToDouble } from './exact-float.js';

/** A Python exception surfaced as text (`str(e)`), e.g. `division by zero`. */
export class PyCalcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PyCalcError';
  }
}

/** Largest integer result computed exactly (bits). */
export const MAX_INT_BITS = 1 << 22;
/** Deepest expression tree accepted (CPython 3.11 fails from here on while compiling). */
const MAX_AST_DEPTH = 2988;
/** CPython tokenizer's MAXLEVEL. */
const MAX_PAREN_LEVEL = 200;
/** `sys.get_int_max_str_digits()` default. */
const MAX_INT_DIGITS = 4300;

// ---------------------------------------------------------------------------------------------
// Tokenizer

type TokKind = 'NUM' | 'OP' | 'NEWLINE' | 'END';
interface Token {
  kind: TokKind;
  text: string;
  /** Paren level after this token. */
  level: number;
}

class SyntaxErr extends Error {
  constructor(
    readonly msg: string,
    readonly fromTokenizer: boolean,
    readonly line = 1,
  ) {
    super(msg);
  }
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

const LEADING_ZEROS = 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers';

/** Lazy tokenizer: tokens are produced when the parser first looks at them, as in CPython. */
class Lexer {
  readonly tokens: Token[] = [];
  #i = 0;
  #level = 0;
  #done = false;
  readonly #src: string;

  constructor(src: string) {
    this.#src = src;
  }

  /** The token at index `k`, lexing as needed; throws tokenizer errors when reached. */
  at(k: number): Token {
    while (this.tokens.length <= k) {
      if (this.#done) return this.tokens[this.tokens.length - 1] as Token;
      this.tokens.push(this.#next());
    }
    return this.tokens[k] as Token;
  }

  /** Lexes the rest of the source; throws the first tokenizer error found (EOF-unclosed excluded). */
  drain(): void {
    try {
      for (let k = this.tokens.length; !this.#done; k++) this.at(k);
    } catch (e) {
      if (e instanceof SyntaxErr && e.msg === NEVER_CLOSED) return;
      throw e;
    }
  }

  #next(): Token {
    const s = this.#src;
    while (s[this.#i] === ' ') this.#i++;
    const start = this.#i;
    const c = s[this.#i];
    if (c === undefined) {
      if (this.#level > 0) throw new SyntaxErr(NEVER_CLOSED, true);
      const prev = this.tokens[this.tokens.length - 1];
      if (prev !== undefined && prev.kind !== 'NEWLINE') return { kind: 'NEWLINE', text: '', level: 0 };
      this.#done = true;
      return { kind: 'END', text: '', level: 0 };
    }
    if (isDigit(c)) return this.#number(start);
    if (c === '.') {
      if (isDigit(s[this.#i + 1])) return this.#number(start);
      if (s[this.#i + 1] === '.' && s[this.#i + 2] === '.') {
        this.#i += 3;
        return { kind: 'OP', text: '...', level: this.#level };
      }
      this.#i++;
      return { kind: 'OP', text: '.', level: this.#level };
    }
    if (c === '*' || c === '/') {
      this.#i += s[this.#i + 1] === c ? 2 : 1;
      return { kind: 'OP', text: s.slice(start, this.#i), level: this.#level };
    }
    if (c === '(') {
      if (this.#level >= MAX_PAREN_LEVEL) throw new SyntaxErr('too many nested parentheses', true);
      this.#level++;
      this.#i++;
      return { kind: 'OP', text: '(', level: this.#level };
    }
    if (c === ')') {
      if (this.#level === 0) throw new SyntaxErr("unmatched ')'", true);
      this.#level--;
      this.#i++;
      return { kind: 'OP', text: ')', level: this.#level };
    }
    // '+' or '-' (the character filter admits nothing else)
    this.#i++;
    return { kind: 'OP', text: c, level: this.#level };
  }

  #number(start: number): Token {
    const s = this.#src;
    let i = start;
    if (s[i] === '0') {
      while (s[i] === '0') i++;
      let nonzero = false;
      while (isDigit(s[i])) {
        nonzero = true;
        i++;
      }
      if (s[i] === '.') {
        i++;
        while (isDigit(s[i])) i++;
      } else if (nonzero) {
        throw new SyntaxErr(LEADING_ZEROS, true);
      }
    } else {
      while (isDigit(s[i])) i++;
      if (s[i] === '.') {
        i++;
        while (isDigit(s[i])) i++;
      }
    }
    this.#i = i;
    return { kind: 'NUM', text: s.slice(start, i), level: this.#level };
  }
}

const NEVER_CLOSED = "'(' was never closed";

// ---------------------------------------------------------------------------------------------
// Parser (CPython 3.11 PEG grammar, restricted to the reachable tokens)

type Node =
  | { t: 'num'; text: string }
  | { t: 'ellipsis' }
  | { t: 'tuple' }
  | { t: 'unary'; op: '+' | '-'; x: Node }
  | { t: 'bin'; op: BinOp; l: Node; r: Node }
  | { t: 'call'; f: Node; arg: { kind: 'none' } | { kind: 'pos' | 'star' | 'dstar'; x: Node } };
type BinOp = '+' | '-' | '*' | '/' | '//' | '**';

interface Res {
  node: Node;
  end: number;
}

class Parser {
  readonly #lx: Lexer;
  /** Second pass: CPython's `invalid_*` rules are tried. */
  #invalid = false;
  #memo = new Map<string, Res | null>();

  constructor(lx: Lexer) {
    this.#lx = lx;
  }

  parse(): Node {
    try {
      const first = this.#evalRule();
      if (first !== null) return first;
      // Second pass with the invalid rules, which raise the specific messages.
      this.#invalid = true;
      this.#memo = new Map();
      this.#evalRule();
    } catch (e) {
      if (!(e instanceof SyntaxErr) || e.fromTokenizer) throw e;
      // A tokenizer error further on takes precedence over a parser error.
      this.#lx.drain();
      throw e;
    }
    this.#lx.drain();
    const line = this.#lx.tokens[0]?.kind === 'END' ? 0 : 1;
    throw new SyntaxErr('invalid syntax', false, line);
  }

  #tok(k: number): Token {
    return this.#lx.at(k);
  }

  #isOp(k: number, text: string): boolean {
    const t = this.#tok(k);
    return t.kind === 'OP' && t.text === text;
  }

  #memoize(rule: string, pos: number, f: () => Res | null): Res | null {
    const key = `${rule}:${pos}:${this.#invalid ? 1 : 0}`;
    if (this.#memo.has(key)) return this.#memo.get(key) ?? null;
    const r = f();
    this.#memo.set(key, r);
    return r;
  }

  #evalRule(): Node | null {
    const e = this.#expression(0);
    if (e === null) return null;
    let k = e.end;
    while (this.#tok(k).kind === 'NEWLINE') k++;
    return this.#tok(k).kind === 'END' ? e.node : null;
  }

  #expression(pos: number): Res | null {
    return this.#memoize('expression', pos, () => {
      if (this.#invalid) this.#invalidExpression(pos);
      return this.#disjunction(pos);
    });
  }

  /** `invalid_expression`: two adjacent expressions inside brackets. Raises or fails. */
  #invalidExpression(pos: number): void {
    const a = this.#disjunction(pos);
    if (a === null) return;
    const saved = this.#invalid;
    this.#invalid = false;
    let b: Res | null;
    try {
      b = this.#disjunction(a.end);
    } finally {
      this.#invalid = saved;
    }
    if (b === null) return;
    if (this.#tok(b.end - 1).level === 0) return;
    throw new SyntaxErr('invalid syntax. Perhaps you forgot a comma?', false);
  }

  /** disjunction … bitwise_or … sum: the keyword/comparison levels cannot match these tokens. */
  #disjunction(pos: number): Res | null {
    return this.#sum(pos);
  }

  #sum(pos: number): Res | null {
    return this.#memoize('sum', pos, () => {
      let left = this.#term(pos);
      if (left === null) return null;
      for (;;) {
        const t = this.#tok(left.end);
        if (t.kind !== 'OP' || (t.text !== '+' && t.text !== '-')) return left;
        const right = this.#term(left.end + 1);
        if (right === null) return left;
        left = { node: { t: 'bin', op: t.text, l: left.node, r: right.node }, end: right.end };
      }
    });
  }

  #term(pos: number): Res | null {
    return this.#memoize('term', pos, () => {
      let left = this.#factor(pos);
      if (left === null) return null;
      for (;;) {
        const t = this.#tok(left.end);
        if (t.kind !== 'OP' || (t.text !== '*' && t.text !== '/' && t.text !== '//')) return left;
        const right = this.#factor(left.end + 1);
        if (right === null) return left;
        left = { node: { t: 'bin', op: t.text, l: left.node, r: right.node }, end: right.end };
      }
    });
  }

  /**
   * `factor: ('+'|'-') factor | power` and `power: primary '**' factor | primary`, unrolled into a
   * loop so that long chains (`- - - 1`, `2 ** 2 ** 2`) do not use the JS stack.
   */
  #factor(pos: number): Res | null {
    type Frame = { kind: 'unary'; op: '+' | '-' } | { kind: 'pow'; base: Res };
    const frames: Frame[] = [];
    let k = pos;
    let result: Res | null;
    for (;;) {
      let t = this.#tok(k);
      while (t.kind === 'OP' && (t.text === '+' || t.text === '-')) {
        frames.push({ kind: 'unary', op: t.text });
        t = this.#tok(++k);
      }
      const p = this.#primary(k);
      if (p !== null && this.#isOp(p.end, '**')) {
        frames.push({ kind: 'pow', base: p });
        k = p.end + 1;
        continue;
      }
      result = p;
      break;
    }
    // Unwind: a failed factor after `**` leaves the power as its base; a failed operand of a
    // unary operator fails that factor too.
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i] as Frame;
      if (f.kind === 'unary') {
        if (result !== null) result = { node: { t: 'unary', op: f.op, x: result.node }, end: result.end };
      } else {
        result = result === null ? f.base : { node: { t: 'bin', op: '**', l: f.base.node, r: result.node }, end: result.end };
      }
    }
    return result;
  }

  #primary(pos: number): Res | null {
    return this.#memoize('primary', pos, () => {
      let left = this.#atom(pos);
      if (left === null) return null;
      for (;;) {
        // `primary '.' NAME`: a NAME never follows.
        if (this.#isOp(left.end, '.')) this.#tok(left.end + 1);
        if (!this.#isOp(left.end, '(')) return left;
        // `primary genexp` cannot match (no `for`); `primary '(' [arguments] ')'`:
        const call = this.#callRest(left);
        if (call === null) return left;
        left = call;
      }
    });
  }

  /** `'(' [arguments] ')'` after a primary. */
  #callRest(callee: Res): Res | null {
    const open = callee.end;
    if (this.#isOp(open + 1, ')')) return { node: { t: 'call', f: callee.node, arg: { kind: 'none' } }, end: open + 2 };
    const args = this.#arguments(open + 1);
    if (args === null || !this.#isOp(args.end, ')')) return null;
    return { node: { t: 'call', f: callee.node, arg: args.arg }, end: args.end + 1 };
  }

  #arguments(pos: number): { arg: { kind: 'pos' | 'star' | 'dstar'; x: Node }; end: number } | null {
    // args: starred_expression | expression !':=' !'='  — then kwargs: '**' expression
    if (this.#isOp(pos, '*')) {
      const x = this.#expression(pos + 1);
      if (x !== null) return { arg: { kind: 'star', x: x.node }, end: x.end };
    } else {
      const x = this.#expression(pos);
      if (x !== null) return { arg: { kind: 'pos', x: x.node }, end: x.end };
    }
    if (this.#isOp(pos, '**')) {
      const x = this.#expression(pos + 1);
      if (x !== null) return { arg: { kind: 'dstar', x: x.node }, end: x.end };
    }
    return null;
  }

  #atom(pos: number): Res | null {
    return this.#memoize('atom', pos, () => {
      const t = this.#tok(pos);
      if (t.kind === 'NUM') {
        checkIntDigits(t.text);
        return { node: { t: 'num', text: t.text }, end: pos + 1 };
      }
      if (t.kind !== 'OP') return null;
      if (t.text === '...') return { node: { t: 'ellipsis' }, end: pos + 1 };
      if (t.text !== '(') return null;
      // tuple: '(' [star_named_expression ',' ...] ')'
      if (this.#isOp(pos + 1, ')')) return { node: { t: 'tuple' }, end: pos + 2 };
      if (this.#isOp(pos + 1, '*')) this.#disjunction(pos + 2);
      // group: '(' named_expression ')'
      const inner = this.#expression(pos + 1);
      if (inner !== null && this.#isOp(inner.end, ')')) return { node: inner.node, end: inner.end + 1 };
      if (this.#invalid) {
        // invalid_group
        if (this.#isOp(pos + 1, '*')) {
          const x = this.#expression(pos + 2);
          if (x !== null && this.#isOp(x.end, ')')) throw new SyntaxErr('cannot use starred expression here', false);
        }
        if (this.#isOp(pos + 1, '**')) {
          const x = this.#expression(pos + 2);
          if (x !== null && this.#isOp(x.end, ')')) throw new SyntaxErr('cannot use double starred expression here', false);
        }
      }
      return null;
    });
  }
}

function checkIntDigits(text: string): void {
  if (text.includes('.')) return;
  const digits = text.replace(/^0+/, '').length;
  if (digits > MAX_INT_DIGITS) {
    throw new SyntaxErr(
      `Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.`,
      false,
    );
  }
}

function depth(n: Node): number {
  // Iterative to stay clear of the JS stack on pathological input.
  let max = 0;
  const stack: Array<[Node, number]> = [[n, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop() as [Node, number];
    if (d > max) max = d;
    if (x.t === 'unary') stack.push([x.x, d + 1]);
    else if (x.t === 'bin') stack.push([x.l, d + 1], [x.r, d + 1]);
    else if (x.t === 'call') {
      stack.push([x.f, d + 1]);
      if (x.arg.kind !== 'none') stack.push([x.arg.x, d + 1]);
    }
  }
  return max;
}

// ---------------------------------------------------------------------------------------------
// Runtime values

type Val =
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'complex'; re: number; im: number }
  | { t: 'tuple' }
  | { t: 'ellipsis' };

const typeName = (v: Val): string => v.t;

function intToFloat(x: bigint): number {
  const f = Number(x);
  if (!Number.isFinite(f)) throw new PyCalcError('int too large to convert to float');
  return f;
}

function toFloat(v: Val): number | undefined {
  if (v.t === 'int') return intToFloat(v.v);
  if (v.t === 'float') return v.v;
  return undefined;
}

function checkBits(bits: number): void {
  if (bits > MAX_INT_BITS) throw new PyCalcError('int too large to convert to float');
}

/** Python `str()` of a value (used in call error messages). */
function pyStr(v: Val): string {
  switch (v.t) {
    case 'int':
      return v.v.toString();
    case 'float':
      return formatPyFloat(v.v);
    case 'tuple':
      return '()';
    case 'ellipsis':
      return 'Ellipsis';
    case 'complex': {
      const part = (x: number): string => {
        const s = formatPyFloat(x);
        return s.endsWith('.0') ? s.slice(0, -2) : s;
      };
      if (v.re === 0 && !Object.is(v.re, -0)) return `${part(v.im)}j`;
      const im = part(v.im);
      const sign = im.startsWith('-') ? '' : '+';
      return `(${part(v.re)}${sign}${im}j)`;
    }
  }
}

/** Correctly rounded `a / b` for Python ints (`long_true_divide`). */
function intTrueDiv(a: bigint, b: bigint): number {
  if (b === 0n) throw new PyCalcError('division by zero');
  const lim = 1n << 53n;
  if (-lim <= a && a <= lim && -lim <= b && b <= lim) return Number(a) / Number(b);
  const negative = a < 0n !== b < 0n;
  if (a === 0n) return negative ? -0 : 0;
  const r = ratioToDouble(a < 0n ? -a : a, b < 0n ? -b : b, 0);
  if (!Number.isFinite(r)) throw new PyCalcError('integer division result too large for a float');
  return negative ? -r : r;
}

function floorDivFloat(vx: number, wx: number): number {
  if (wx === 0) throw new PyCalcError('float floor division by zero');
  // CPython float_floor_div via _float_div_mod
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = Math.sign(vx / wx) < 0 || Object.is(vx / wx, -0) ? -0 : 0;
  }
  return floordiv;
}

const isOddInteger = (x: number): boolean => Number.isInteger(x) && Math.abs(x % 2) === 1;

/** CPython `float_pow`; returns a complex for a negative base and fractional exponent. */
function floatPow(iv: number, iw: number): Val {
  if (iw === 0) return { t: 'float', v: 1 };
  if (Number.isNaN(iv)) return { t: 'float', v: iv };
  if (Number.isNaN(iw)) return { t: 'float', v: iv === 1 ? 1 : iw };
  if (!Number.isFinite(iw)) {
    const a = Math.abs(iv);
    if (a === 1) return { t: 'float', v: 1 };
    if (iw > 0 === a > 1) return { t: 'float', v: Math.abs(iw) };
    return { t: 'float', v: 0 };
  }
  if (!Number.isFinite(iv)) {
    const odd = isOddInteger(iw);
    if (iw > 0) return { t: 'float', v: odd ? iv : Math.abs(iv) };
    return { t: 'float', v: odd ? (iv < 0 ? -0 : 0) : 0 };
  }
  if (iv === 0) {
    if (iw < 0) throw new PyCalcError('0.0 cannot be raised to a negative power');
    return { t: 'float', v: isOddInteger(iw) ? iv : 0 };
  }
  let negate = false;
  if (iv < 0) {
    if (iw !== Math.floor(iw)) return complexPow({ re: iv, im: 0 }, { re: iw, im: 0 });
    iv = -iv;
    negate = isOddInteger(iw);
  }
  if (iv === 1) return { t: 'float', v: negate ? -1 : 1 };
  let ix = powAbs(iv, iw);
  const overflow = !Number.isFinite(ix);
  if (negate) ix = -ix;
  if (overflow) throw new PyCalcError("(34, 'Numerical result out of range')");
  return { t: 'float', v: ix };
}

interface Cx {
  re: number;
  im: number;
}

function cProd(a: Cx, b: Cx): Cx {
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
}

/** `_Py_c_quot`; undefined when dividing by zero (errno EDOM). */
function cQuot(a: Cx, b: Cx): Cx | undefined {
  const absBr = Math.abs(b.re);
  const absBi = Math.abs(b.im);
  if (absBr >= absBi) {
    if (absBr === 0) return undefined;
    const ratio = b.im / b.re;
    const denom = b.re + b.im * ratio;
    return { re: (a.re + a.im * ratio) / denom, im: (a.im - a.re * ratio) / denom };
  }
  if (absBi >= absBr) {
    const ratio = b.re / b.im;
    const denom = b.re * ratio + b.im;
    return { re: (a.re * ratio + a.im) / denom, im: (a.im * ratio - a.re) / denom };
  }
  return { re: NaN, im: NaN };
}

/** CPython `complex_pow` (c_powi for small integral exponents, else `_Py_c_pow`). */
function complexPow(a: Cx, b: Cx): Val {
  let p: Cx | undefined;
  let edom = false;
  if (b.im === 0 && b.re === Math.floor(b.re) && Math.abs(b.re) <= 100) {
    const n = b.re;
    const powu = (x: Cx, k: number): Cx => {
      let r: Cx = { re: 1, im: 0 };
      let q = x;
      let mask = 1;
      while (mask > 0 && k >= mask) {
        if (k & mask) r = cProd(r, q);
        mask <<= 1;
        q = cProd(q, q);
      }
      return r;
    };
    if (n > 0) p = powu(a, n);
    else {
      p = cQuot({ re: 1, im: 0 }, powu(a, -n));
      if (p === undefined) {
        edom = true;
        p = { re: 0, im: 0 };
      }
    }
  } else if (b.re === 0 && b.im === 0) p = { re: 1, im: 0 };
  else if (a.re === 0 && a.im === 0) {
    if (b.im !== 0 || b.re < 0) edom = true;
    p = { re: 0, im: 0 };
  } else {
    const vabs = Math.hypot(a.re, a.im);
    let len = Math.pow(vabs, b.re);
    const at = Math.atan2(a.im, a.re);
    let phase = at * b.re;
    if (b.im !== 0) {
      len /= Math.exp(at * b.im);
      phase += b.im * Math.log(vabs);
    }
    p = { re: len * Math.cos(phase), im: len * Math.sin(phase) };
  }
  if (edom) throw new PyCalcError('0.0 to a negative or complex power');
  if (!Number.isFinite(p.re) && !Number.isNaN(p.re)) throw new PyCalcError('complex exponentiation');
  if (!Number.isFinite(p.im) && !Number.isNaN(p.im)) throw new PyCalcError('complex exponentiation');
  return { t: 'complex', re: p.re, im: p.im };
}

const OP_SYMBOL: Record<BinOp, string> = { '+': '+', '-': '-', '*': '*', '/': '/', '//': '//', '**': '** or pow()' };

function unsupported(op: BinOp, a: Val, b: Val): PyCalcError {
  return new PyCalcError(`unsupported operand type(s) for ${OP_SYMBOL[op]}: '${typeName(a)}' and '${typeName(b)}'`);
}

const isNumeric = (v: Val): v is Extract<Val, { t: 'int' | 'float' | 'complex' }> => v.t === 'int' || v.t === 'float' || v.t === 'complex';

function toComplex(v: Val): Cx {
  if (v.t === 'complex') return { re: v.re, im: v.im };
  return { re: toFloat(v) as number, im: 0 };
}

/** `() * n` / `n * ()`: sequence repetition. */
function repeatTuple(n: Val): Val {
  if (n.t !== 'int') throw new PyCalcError(`can't multiply sequence by non-int of type '${typeName(n)}'`);
  const lim = 1n << 63n;
  if (n.v >= lim || n.v < -lim) throw new PyCalcError("cannot fit 'int' into an index-sized integer");
  return { t: 'tuple' };
}

function binary(op: BinOp, a: Val, b: Val): Val {
  if (!isNumeric(a) || !isNumeric(b)) {
    if (op === '+' && a.t === 'tuple') {
      if (b.t === 'tuple') return a;
      throw new PyCalcError(`can only concatenate tuple (not "${typeName(b)}") to tuple`);
    }
    if (op === '*') {
      if (a.t === 'tuple') return repeatTuple(b);
      if (b.t === 'tuple') return repeatTuple(a);
    }
    throw unsupported(op, a, b);
  }
  if (a.t === 'int' && b.t === 'int') return intBinary(op, a.v, b.v);
  if (a.t === 'complex' || b.t === 'complex') return complexBinary(op, a, b);
  const x = toFloat(a) as number;
  const y = toFloat(b) as number;
  switch (op) {
    case '+':
      return { t: 'float', v: x + y };
    case '-':
      return { t: 'float', v: x - y };
    case '*':
      return { t: 'float', v: x * y };
    case '/':
      if (y === 0) throw new PyCalcError('float division by zero');
      return { t: 'float', v: x / y };
    case '//':
      return { t: 'float', v: floorDivFloat(x, y) };
    case '**':
      return floatPow(x, y);
  }
}

function intBinary(op: BinOp, x: bigint, y: bigint): Val {
  switch (op) {
    case '+':
      return { t: 'int', v: x + y };
    case '-':
      return { t: 'int', v: x - y };
    case '*':
      if (x !== 0n && y !== 0n) checkBits(bitLength(x) + bitLength(y) - 1);
      return { t: 'int', v: x * y };
    case '/':
      return { t: 'float', v: intTrueDiv(x, y) };
    case '//': {
      if (y === 0n) throw new PyCalcError('integer division or modulo by zero');
      const q = x / y;
      return { t: 'int', v: (x % y !== 0n && x < 0n !== y < 0n) ? q - 1n : q };
    }
    case '**': {
      if (y < 0n) return floatPow(intToFloat(x), intToFloat(y));
      if (x === 0n) return { t: 'int', v: y === 0n ? 1n : 0n };
      if (x === 1n) return { t: 'int', v: 1n };
      if (x === -1n) return { t: 'int', v: y % 2n === 0n ? 1n : -1n };
      const bits = bitLength(x);
      if (y > BigInt(MAX_INT_BITS)) throw new PyCalcError('int too large to convert to float');
      checkBits((bits - 1) * Number(y) + 1);
      return { t: 'int', v: x ** y };
    }
  }
}

function complexBinary(op: BinOp, a: Val, b: Val): Val {
  if (op === '//') throw unsupported(op, a, b);
  const x = toComplex(a);
  const y = toComplex(b);
  switch (op) {
    case '+':
      return { t: 'complex', re: x.re + y.re, im: x.im + y.im };
    case '-':
      return { t: 'complex', re: x.re - y.re, im: x.im - y.im };
    case '*': {
      const p = cProd(x, y);
      return { t: 'complex', re: p.re, im: p.im };
    }
    case '/': {
      const q = cQuot(x, y);
      if (q === undefined) throw new PyCalcError('complex division by zero');
      return { t: 'complex', re: q.re, im: q.im };
    }
    case '**':
      return complexPow(x, y);
  }
}

function unary(op: '+' | '-', v: Val): Val {
  switch (v.t) {
    case 'int':
      return op === '-' ? { t: 'int', v: -v.v } : v;
    case 'float':
      return op === '-' ? { t: 'float', v: -v.v } : v;
    case 'complex':
      return op === '-' ? { t: 'complex', re: -v.re, im: -v.im } : v;
    default:
      throw new PyCalcError(`bad operand type for unary ${op}: '${typeName(v)}'`);
  }
}

function evaluate(n: Node): Val {
  switch (n.t) {
    case 'num':
      if (n.text.includes('.')) return { t: 'float', v: Number(n.text) };
      return { t: 'int', v: BigInt(n.text) };
    case 'ellipsis':
      return { t: 'ellipsis' };
    case 'tuple':
      return { t: 'tuple' };
    case 'unary':
      return unary(n.op, evaluate(n.x));
    case 'bin': {
      const l = evaluate(n.l);
      const r = evaluate(n.r);
      return binary(n.op, l, r);
    }
    case 'call': {
      const f = evaluate(n.f);
      if (n.arg.kind !== 'none') {
        const x = evaluate(n.arg.x);
        if (n.arg.kind === 'star' && x.t !== 'tuple') {
          throw new PyCalcError(`${pyStr(f)} argument after * must be an iterable, not ${typeName(x)}`);
        }
        if (n.arg.kind === 'dstar') {
          throw new PyCalcError(`${pyStr(f)} argument after ** must be a mapping, not ${typeName(x)}`);
        }
      }
      throw new PyCalcError(`'${typeName(f)}' object is not callable`);
    }
  }
}

/**
 * Python `eval(expression)` restricted to the calculator alphabet, then
 * `str(round(float(value), 2))`. Throws {@link PyCalcError} whose message is Python's `str(e)`.
 * The caller applies the character filter first.
 */
export function pythonCalculate(expression: string): string {
  // eval() of a string ignores leading spaces and tabs.
  const src = expression.replace(/^[ \t]+/, '');
  let tree: Node;
  try {
    tree = new Parser(new Lexer(src)).parse();
  } catch (e) {
    if (e instanceof SyntaxErr) throw new PyCalcError(`${e.msg} (<string>, line ${e.line})`);
    throw e;
  }
  if (depth(tree) > MAX_AST_DEPTH) throw new PyCalcError('maximum recursion depth exceeded during compilation');
  const value = evaluate(tree);
  let f: number;
  if (value.t === 'int') f = intToFloat(value.v);
  else if (value.t === 'float') f = value.v;
  else throw new PyCalcError(`float() argument must be a string or a real number, not '${typeName(value)}'`);
  return formatPyFloat(roundHalfEven(f, 2));
}
