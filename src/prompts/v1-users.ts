/**
 * τ-bench v1's user-simulator prompts, read at run time from a checkout's
 * `tau_bench/envs/user.py` (the repository holds none of that text):
 * - each strategy's system prompt: the body of `build_system_prompt` (resolved along the class
 *   hierarchy) evaluated with the instruction, kept as a template with `{{instruction}}`;
 * - the greeting each simulator's history starts with (the `user` turn of `reset()`);
 * - the supervisor prompts of `verify()` and `reflect()` (`{{transcript}}`, `{{response}}`), the
 *   transcript line (`{{role}}: {{content}}`) and separator, the role labels of `map_role_label`;
 * - the markers and counts the simulators act on: the react user's `parse_response` markers, the
 *   verdict token, the reflection's `Response:` marker, `max_attempts` of verify and reflection.
 *
 * The code that decides what reaches the agent (history handling, the verify loop, the reflection
 * flow and its quirks, reproduced in src/users/v1-reference-user.ts) must be the code this
 * harness reproduces: its structure is checked by a token fingerprint (string literals left
 * out). A file that is missing, does not parse, or whose code differs is a DataError naming the
 * file: there is no silent fallback to the harness's own simulators.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../core/errors.js';
import {
  isTok,
  parsePySource,
  pyClasses,
  pyFingerprint,
  pyFunctions,
  pyStrings,
  PySourceError,
  type PyStatement,
  type PyStatementToken as PyToken,
  type PyStringToken,
} from '../core/py/py-statements.js';
import { readTextFile } from '../core/utf8.js';

/** The v1 user strategies with an LLM (τ-bench's `--user-strategy`, less `human`). */
export type V1UserStrategy = 'llm' | 'react' | 'verify' | 'reflection';

export const V1_USER_STRATEGIES: readonly V1UserStrategy[] = ['llm', 'react', 'verify', 'reflection'];

/** τ-bench's class for each strategy (`load_user`). */
const STRATEGY_CLASS: Record<V1UserStrategy, string> = {
  llm: 'LLMUserSimulationEnv',
  react: 'ReactUserSimulationEnv',
  verify: 'VerifyUserSimulationEnv',
  reflection: 'ReflectionUserSimulationEnv',
};

/** Path of user.py inside the `tau_bench` package directory. */
export const V1_USER_FILE = join('envs', 'user.py');

/**
 * The react user's output handling (`parse_response`): when the text contains `stop`, the agent
 * gets `stopReply`; else the first marker the text contains splits it (exactly one occurrence
 * allowed, as Python's two-name unpacking) and the agent gets the stripped part after it; else
 * the episode fails.
 */
export interface V1ReactParsing {
  stop: string;
  stopReply: string;
  markers: Array<{ test: string; split: string }>;
}

/** Non-text mechanics of the v1 user simulators, the `v1.mechanics` element (JSON text). */
export interface V1UserMechanics {
  /** `map_role_label`: history role → transcript label; other roles are capitalised. */
  roleLabels: Record<string, string>;
  /** A check passes when the lower-cased answer contains this. */
  verdictToken: string;
  /** The reflection answer is split on this (exactly one occurrence) and the stripped rest used. */
  reflectMarker: string;
  react: V1ReactParsing;
  /** `max_attempts` defaults: candidates per turn (verify), generations per turn (reflection). */
  verifyAttempts: number;
  reflectionAttempts: number;
}

/** The user-simulator prompts in a usable form (see {@link v1UserPromptsOf}). */
export interface V1UserPrompts {
  /** System prompt templates (`{{instruction}}`) and greetings per strategy. */
  system: Record<V1UserStrategy, string>;
  greeting: Record<V1UserStrategy, string>;
  /** Template with `{{transcript}}` and `{{response}}`. */
  check: string;
  /** Template with `{{transcript}}` and `{{response}}`. */
  reflect: string;
  /** Template with `{{role}}` and `{{content}}`. */
  transcriptLine: string;
  transcriptSeparator: string;
  mechanics: V1UserMechanics;
}

/** Element names in the pack's `users` slot. */
export const V1_USER_KEYS = {
  system: (s: V1UserStrategy) => `v1.${s}.system`,
  greeting: (s: V1UserStrategy) => `v1.${s}.greeting`,
  check: 'v1.check',
  reflect: 'v1.reflect',
  transcriptLine: 'v1.transcriptLine',
  transcriptSeparator: 'v1.transcriptSeparator',
  mechanics: 'v1.mechanics',
} as const;

/**
 * Token fingerprints (sha256 of {@link pyFingerprint}, first 16 hex digits) of the user.py code
 * whose behaviour src/users/v1-reference-user.ts reproduces (τ-bench v1, commit 59a200c).
 * Hashes of structure only: no τ-bench text is stored here.
 */
const KNOWN_CODE: ReadonlyArray<readonly [where: string, fingerprint: string]> = [
  ['LLMUserSimulationEnv.generate_next_message', 'd55430cc48d80c7d'],
  ['LLMUserSimulationEnv.reset', 'aa61eaf189ee5175'],
  ['LLMUserSimulationEnv.step', 'ecebf9102549fccc'],
  ['ReactUserSimulationEnv.generate_next_message', '8176669bbcf0c83a'],
  ['ReactUserSimulationEnv.parse_response', '12d9d88808bd6de2'],
  ['ReactUserSimulationEnv.reset', 'aa61eaf189ee5175'],
  ['ReactUserSimulationEnv.step', 'ecebf9102549fccc'],
  ['VerifyUserSimulationEnv.generate_next_message', '61b4c8535af5a8f7'],
  ['VerifyUserSimulationEnv.reset', 'aa61eaf189ee5175'],
  ['VerifyUserSimulationEnv.step', 'ecebf9102549fccc'],
  ['ReflectionUserSimulationEnv.generate_next_message', 'bd02eea97c4f70ca'],
  ['ReflectionUserSimulationEnv.reset', 'aa61eaf189ee5175'],
  ['ReflectionUserSimulationEnv.step', 'ecebf9102549fccc'],
  ['map_role_label', '79787444128b1ae3'],
  ['verify', 'a7a930987e7ff7fc'],
  ['reflect', '834b070dd18e2b00'],
];

/** The fingerprint of a statement as {@link KNOWN_CODE} stores it. */
export function codeFingerprint(stmt: PyStatement): string {
  return createHash('sha256').update(pyFingerprint(stmt), 'utf8').digest('hex').slice(0, 16);
}

function shapeError(file: string, what: string, line?: number): DataError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new DataError(
    `τ-bench checkout: ${where}: ${what} (this reader knows τ-bench v1's user.py, commit 59a200c; the file may be from another version; --prompts harness runs the harness's own simulators instead)`,
    { code: 'data_invalid', path: where },
  );
}

/** Text that prompt-pack templates would take for a placeholder (see `renderTemplate`). */
const PLACEHOLDER_LIKE = /\{\{[A-Za-z_][A-Za-z0-9_]*\}\}/;

/** Builds a `{{field}}` template from literal parts; literal text must not look like a placeholder. */
function template(file: string, what: string, parts: readonly string[], fields: readonly string[]): string {
  if (parts.some((p) => PLACEHOLDER_LIKE.test(p))) throw shapeError(file, `${what} contains "{{name}}" text, which prompt-pack templates reserve`);
  let out = parts[0] ?? '';
  fields.forEach((f, k) => (out += `{{${f}}}${parts[k + 1] ?? ''}`));
  return out;
}

/** Reads and parses `<pkg>/envs/user.py` into the pack's `users` elements. */
export function readV1UserPrompts(packageDir: string): Record<string, string> {
  const file = join(packageDir, V1_USER_FILE);
  if (!existsSync(file)) throw new DataError(`τ-bench checkout: ${file} not found`, { code: 'data_not_found', path: file });
  return parseV1UserPrompts(readTextFile(file), file);
}

/**
 * Parses the text of τ-bench v1's user.py (`file` names it in errors) into the pack's `users`
 * elements ({@link V1_USER_KEYS}).
 * @throws DataError naming the file when it does not parse or is not the known code.
 */
export function parseV1UserPrompts(source: string, file: string): Record<string, string> {
  let module: PyStatement[];
  try {
    module = parsePySource(source, file);
  } catch (err) {
    // The message already starts with `file:line:col`.
    if (err instanceof PySourceError) throw new DataError(`τ-bench checkout: ${err.message}`, { code: 'data_invalid', path: err.path ?? file });
    throw err;
  }
  const classes = pyClasses(module);
  const functions = pyFunctions(module);

  /** A method along single inheritance (the first base), like Python's lookup for these classes. */
  const method = (cls: string, name: string): PyStatement => {
    const seen = new Set<string>();
    for (let c: string | undefined = cls; c !== undefined && !seen.has(c); ) {
      seen.add(c);
      const entry = classes.get(c);
      if (entry === undefined) break;
      const fn = pyFunctions(entry.stmt.body).get(name);
      if (fn !== undefined) return fn;
      c = entry.bases[0];
    }
    throw shapeError(file, `no method ${cls}.${name}`);
  };
  const fn = (name: string): PyStatement => {
    const f = functions.get(name);
    if (f === undefined) throw shapeError(file, `no function ${name}()`);
    return f;
  };
  for (const cls of Object.values(STRATEGY_CLASS)) if (!classes.has(cls)) throw shapeError(file, `no class ${cls}`);

  for (const [where, expected] of KNOWN_CODE) {
    const [cls, name] = where.includes('.') ? (where.split('.') as [string, string]) : [undefined, where];
    const stmt = cls === undefined ? fn(name) : method(cls, name);
    if (codeFingerprint(stmt) !== expected) {
      throw shapeError(file, `${where} differs from τ-bench v1's code, whose behaviour the reference user simulators reproduce`, stmt.line);
    }
  }

  const out: Record<string, string> = {};
  for (const s of V1_USER_STRATEGIES) {
    const cls = STRATEGY_CLASS[s];
    out[V1_USER_KEYS.system(s)] = systemTemplate(file, method(cls, 'build_system_prompt'), `${cls}.build_system_prompt`);
    out[V1_USER_KEYS.greeting(s)] = greeting(file, method(cls, 'reset'), `${cls}.reset`);
  }

  // verify() and reflect(): strings are [join separator, line f-string, prompt f-string, …, verdict token or marker].
  const verifyStrings = pyStrings(fn('verify'));
  const reflectStrings = pyStrings(fn('reflect'));
  const sep = verifyStrings[0] as PyStringToken;
  const line = fString(file, verifyStrings[1], 'the transcript line of verify()');
  const checkPrompt = fString(file, verifyStrings[2], 'the prompt of verify()');
  const reflectPrompt = fString(file, reflectStrings[2], 'the prompt of reflect()');
  if (reflectStrings[0]?.value !== sep.value || reflectStrings[1]?.value !== verifyStrings[1]?.value) {
    throw shapeError(file, 'verify() and reflect() build their transcripts differently');
  }
  out[V1_USER_KEYS.transcriptSeparator] = sep.value;
  out[V1_USER_KEYS.transcriptLine] = template(file, 'the transcript line', line.parts, ['role', 'content']);
  out[V1_USER_KEYS.check] = template(file, 'the prompt of verify()', checkPrompt.parts, checkPrompt.fields);
  out[V1_USER_KEYS.reflect] = template(file, 'the prompt of reflect()', reflectPrompt.parts, reflectPrompt.fields);

  const labels = pyStrings(fn('map_role_label')).map((t) => t.value);
  const react = pyStrings(method(STRATEGY_CLASS.react, 'parse_response')).map((t) => t.value);
  const mechanics: V1UserMechanics = {
    roleLabels: { [labels[0] as string]: labels[1] as string, [labels[2] as string]: labels[3] as string },
    verdictToken: (verifyStrings[verifyStrings.length - 1] as PyStringToken).value,
    reflectMarker: (reflectStrings[reflectStrings.length - 1] as PyStringToken).value,
    react: {
      stop: react[0] as string,
      stopReply: react[1] as string,
      markers: [
        { test: react[2] as string, split: react[3] as string },
        { test: react[4] as string, split: react[5] as string },
      ],
    },
    verifyAttempts: maxAttempts(file, method(STRATEGY_CLASS.verify, '__init__'), STRATEGY_CLASS.verify),
    reflectionAttempts: maxAttempts(file, method(STRATEGY_CLASS.reflection, '__init__'), STRATEGY_CLASS.reflection),
  };
  for (const m of [mechanics.reflectMarker, ...mechanics.react.markers.flatMap((k) => [k.test, k.split])]) {
    if (m === '') throw shapeError(file, 'an empty split marker (Python rejects it)');
  }
  out[V1_USER_KEYS.mechanics] = JSON.stringify(mechanics);
  return out;
}

function fString(file: string, tok: PyStringToken | undefined, what: string): { parts: string[]; fields: string[] } {
  if (tok?.parts === undefined || tok.fields === undefined) throw shapeError(file, `${what} is not an f-string`, tok?.line);
  return { parts: tok.parts, fields: tok.fields };
}

/** `reset()`'s greeting: the content of the `{"role": "user", "content": "<greeting>"}` entry. */
function greeting(file: string, reset: PyStatement, where: string): string {
  const strings = pyStrings(reset);
  for (let k = 0; k + 3 < strings.length; k++) {
    const [role, user, content, text] = strings.slice(k, k + 4) as [PyStringToken, PyStringToken, PyStringToken, PyStringToken];
    if (role.value === 'role' && user.value === 'user' && content.value === 'content' && text.fields === undefined) return text.value;
  }
  throw shapeError(file, `${where} has no {"role": "user", "content": "…"} greeting`, reset.line);
}

/** The default of the `max_attempts` parameter of an `__init__`. */
function maxAttempts(file: string, init: PyStatement, cls: string): number {
  const t = init.tokens;
  for (let k = 0; k < t.length; k++) {
    if (t[k]?.kind === 'name' && t[k]?.value === 'max_attempts') {
      for (let j = k + 1; j < t.length && !isTok(t[j], ',') && !isTok(t[j], ')'); j++) {
        const next = t[j + 1];
        if (isTok(t[j], '=') && next?.kind === 'number' && /^\d+$/.test(next.value)) return Number(next.value);
      }
    }
  }
  throw shapeError(file, `${cls}.__init__ has no integer default for max_attempts`, init.line);
}

// ---------------------------------------------------------------------------------------------
// build_system_prompt: a tiny evaluator for `NAME = <expr>` / `return <expr>` over string
// literals, f-strings with plain-name fields, `+`, parentheses, and `a if NAME is [not] None else b`.

const SENTINEL = '\u0000instruction\u0000';

function systemTemplate(file: string, def: PyStatement, where: string): string {
  const param = firstParameter(def);
  if (param === undefined) throw shapeError(file, `${where} takes no instruction parameter`, def.line);
  const env = new Map<string, string | null>([[param, SENTINEL]]);
  let result: string | null | undefined;
  for (const stmt of def.body) {
    const t = stmt.tokens;
    if (stmt.body.length > 0) throw shapeError(file, `${where}: unsupported statement`, stmt.line);
    if (isTok(t[0], 'return')) {
      result = new ExprReader(file, where, t.slice(1), env, stmt.line).whole();
      break;
    }
    if (t[0]?.kind === 'name' && isTok(t[1], '=')) {
      env.set(t[0].value, new ExprReader(file, where, t.slice(2), env, stmt.line).whole());
      continue;
    }
    if (t.length === 1 && t[0]?.kind === 'string') continue; // docstring
    throw shapeError(file, `${where}: unsupported statement`, stmt.line);
  }
  if (typeof result !== 'string') throw shapeError(file, `${where} does not return a string`, def.line);
  const parts = result.split(SENTINEL);
  if (parts.length < 2) throw shapeError(file, `${where} does not use the instruction`, def.line);
  return template(file, where, parts, parts.slice(1).map(() => 'instruction'));
}

/** The first parameter after `self` of a `def`. */
function firstParameter(def: PyStatement): string | undefined {
  const t = def.tokens;
  const open = t.findIndex((x) => isTok(x, '('));
  if (open < 0 || !isTok(t[open + 1], 'self') || !isTok(t[open + 2], ',')) return undefined;
  const p = t[open + 3];
  return p?.kind === 'name' ? p.value : undefined;
}

class ExprReader {
  k = 0;
  constructor(
    readonly file: string,
    readonly where: string,
    readonly t: PyToken[],
    readonly env: Map<string, string | null>,
    readonly line: number,
  ) {}

  fail(what: string): never {
    throw shapeError(this.file, `${this.where}: ${what}`, this.line);
  }

  whole(): string | null {
    const v = this.conditional();
    if (this.k !== this.t.length) this.fail('unsupported expression');
    return v;
  }

  conditional(): string | null {
    const value = this.sum();
    if (!isTok(this.t[this.k], 'if')) return value;
    this.k++;
    const name = this.t[this.k++];
    if (name?.kind !== 'name' || !isTok(this.t[this.k++], 'is')) this.fail('unsupported condition');
    let negate = false;
    if (isTok(this.t[this.k], 'not')) {
      negate = true;
      this.k++;
    }
    if (!isTok(this.t[this.k++], 'None') || !isTok(this.t[this.k++], 'else')) this.fail('unsupported condition');
    const otherwise = this.conditional();
    if (!this.env.has(name.value)) this.fail(`unknown name ${name.value}`);
    const isNone = this.env.get(name.value) === null;
    return isNone !== negate ? value : otherwise;
  }

  sum(): string | null {
    let value = this.atom();
    while (isTok(this.t[this.k], '+')) {
      this.k++;
      const right = this.atom();
      if (value === null || right === null) this.fail('adds None');
      value += right;
    }
    return value;
  }

  atom(): string | null {
    const tok = this.t[this.k];
    if (tok === undefined) return this.fail('unexpected end of expression');
    if (tok.kind === 'string') {
      let out = '';
      // Adjacent literals concatenate.
      while (this.t[this.k]?.kind === 'string') out += this.literal(this.t[this.k++] as PyStringToken);
      return out;
    }
    if (isTok(tok, '(')) {
      this.k++;
      const v = this.conditional();
      if (!isTok(this.t[this.k++], ')')) this.fail("expected ')'");
      return v;
    }
    if (isTok(tok, 'None')) {
      this.k++;
      return null;
    }
    if (tok.kind === 'name') {
      this.k++;
      if (!this.env.has(tok.value)) this.fail(`unknown name ${tok.value}`);
      return this.env.get(tok.value) as string | null;
    }
    return this.fail(`unsupported token ${tok.value}`);
  }

  literal(tok: PyStringToken): string {
    if (tok.prefix.includes('b')) this.fail('bytes literal');
    if (tok.fields === undefined || tok.parts === undefined) return tok.value;
    let out = tok.parts[0] as string;
    tok.fields.forEach((f, i) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f) || !this.env.has(f)) this.fail(`unsupported f-string field {${f}}`);
      out += (this.env.get(f) ?? 'None') + (tok.parts?.[i + 1] as string);
    });
    return out;
  }
}

/**
 * The user-simulator prompts of a pack's `users` slot, or undefined when the slot holds no v1
 * user prompts (harness packs, τ² packs): the simulators then keep their own behaviour.
 * @throws DataError when the slot holds some v1 elements but not all, or unreadable mechanics.
 */
export function v1UserPromptsOf(users: Readonly<Record<string, string>> | undefined): V1UserPrompts | undefined {
  if (users === undefined || !Object.keys(users).some((k) => k.startsWith('v1.'))) return undefined;
  const get = (key: string): string => {
    const v = users[key];
    if (v === undefined) throw new DataError(`prompt pack: the users slot has v1 elements but lacks ${key}`, { code: 'data_invalid', path: `users.${key}` });
    return v;
  };
  let mechanics: V1UserMechanics;
  try {
    mechanics = JSON.parse(get(V1_USER_KEYS.mechanics)) as V1UserMechanics;
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`prompt pack: users.${V1_USER_KEYS.mechanics} is not JSON`, { code: 'data_invalid', path: `users.${V1_USER_KEYS.mechanics}` });
  }
  const per = (f: (s: V1UserStrategy) => string): Record<V1UserStrategy, string> =>
    Object.fromEntries(V1_USER_STRATEGIES.map((s) => [s, get(f(s))])) as Record<V1UserStrategy, string>;
  return {
    system: per(V1_USER_KEYS.system),
    greeting: per(V1_USER_KEYS.greeting),
    check: get(V1_USER_KEYS.check),
    reflect: get(V1_USER_KEYS.reflect),
    transcriptLine: get(V1_USER_KEYS.transcriptLine),
    transcriptSeparator: get(V1_USER_KEYS.transcriptSeparator),
    mechanics,
  };
}
