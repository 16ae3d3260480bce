/**
 * The `reference` prompt pack of a τ-bench v1 checkout, read at run time from its Python source
 * (the repository holds none of τ-bench's text):
 * - tool schemas: the dict literal each `get_info()` returns in `tau_bench/envs/<domain>/tools/*.py`,
 *   in the order `tools/__init__.py`'s `ALL_TOOLS` lists the classes (key order kept, nothing added);
 * - act/react: the `REACT_INSTRUCTION` / `ACT_INSTRUCTION` f-strings of
 *   `tau_bench/agents/chat_react_agent.py` (constants such as `RESPOND_ACTION_NAME` from
 *   `tau_bench/types.py`), the `self.prompt = (...)` concatenation that frames them, the
 *   observation prefix (`obs = "<prefix>" + obs`) and the action marker (`.split("<marker>")`);
 * - few-shot framing: the example f-string, the separator and the system f-string of
 *   `tau_bench/agents/few_shot_agent.py`.
 * A file that is missing or not in the shape this reader knows is a DataError naming the file:
 * there is no silent fallback to the harness's text.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataError } from '../core/errors.js';
import { parsePyLiteralAt } from '../core/py/py-literal.js';
import { readPyString } from '../core/py/py-string.js';
import { PyText } from '../core/py/py-tokens.js';
import { isPyObject, toPlain, type PyValue } from '../core/py/py-value.js';
import type { TaskSource } from '../env/tasks/source.js';
import type { AgentPrompts, PackBehaviour, PromptPack } from './pack.js';
import { readTextFile } from '../core/utf8.js';

/** How act/react replies are read, from chat_react_agent.py. */
export interface V1TextActionParsing {
  /** The marker the action follows (`.split("<marker>")[-1].strip()`). */
  actionMarker: string;
  /** Name and argument field of the respond action (types.py). */
  respondName: string;
  respondField: string;
}

/** Thrown when a checkout file is not in the shape the reader knows. */
function shapeError(file: string, what: string): DataError {
  return new DataError(`τ-bench checkout: ${file}: ${what} (this reader knows τ-bench v1's layout; the file may be from another version)`, {
    code: 'data_invalid',
    path: file,
  });
}

function readSource(file: string): string {
  if (!existsSync(file)) throw new DataError(`τ-bench checkout: ${file} not found`, { code: 'data_not_found', path: file });
  return readTextFile(file);
}

/** The `tau_bench` package directory of a checkout task source (`<pkg>/envs/<domain>` → `<pkg>`). */
export function v1PackageDir(source: Pick<TaskSource, 'kind' | 'dir'>): string {
  if (source.kind !== 'taubench-py') throw new DataError(`not a τ-bench checkout: ${source.dir}`, { code: 'data_invalid', path: source.dir });
  return dirname(dirname(source.dir));
}

// ---------------------------------------------------------------------------------------------
// Tool schemas

/** `from .module import ClassName` lines of tools/__init__.py → class → module file. */
function toolModules(initFile: string, text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^from\s+\.(\w+)\s+import\s+([\w\s,()]+?)\s*$/gm)) {
    for (const name of (m[2] as string).replace(/[()]/g, '').split(',').map((s) => s.trim()).filter(Boolean)) {
      out.set(name, m[1] as string);
    }
  }
  if (out.size === 0) throw shapeError(initFile, 'no `from .<module> import <Class>` lines');
  return out;
}

/** The class names of `ALL_TOOLS = [...]`, in order. */
function allToolsOrder(initFile: string, text: string): string[] {
  const m = /^ALL_TOOLS\s*=\s*\[([^\]]*)\]/m.exec(text);
  if (m === null) throw shapeError(initFile, 'no `ALL_TOOLS = [...]` list');
  const names = (m[1] as string)
    .split(/[,\n]/)
    .map((s) => s.replace(/#.*$/, '').trim())
    .filter(Boolean);
  for (const n of names) if (!/^[A-Za-z_]\w*$/.test(n)) throw shapeError(initFile, `ALL_TOOLS entry "${n}" is not a class name`);
  if (names.length === 0) throw shapeError(initFile, 'ALL_TOOLS is empty');
  return names;
}

/** The dict literal `get_info()` returns in a tool module. */
function getInfoLiteral(file: string, text: string): PyValue {
  const def = /def\s+get_info\s*\([^)]*\)[^:]*:\s*\n\s*return\s+/m.exec(text);
  if (def === null) throw shapeError(file, 'no `def get_info(...): return {...}`');
  const { value } = parsePyLiteralAt(text, def.index + def[0].length, { source: file });
  if (!isPyObject(value)) throw shapeError(file, 'get_info() does not return a dict literal');
  const fn = value['function'];
  if (value['type'] !== 'function' || !isPyObject(fn) || typeof fn['name'] !== 'string') {
    throw shapeError(file, 'get_info() does not return {"type": "function", "function": {"name": ...}}');
  }
  return value;
}

/** Splits a parameter list at top-level commas (brackets and strings respected). */
function splitParams(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== undefined) {
      cur += c;
      if (c === '\\') cur += text[++i] ?? '';
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') out.push(cur);
  return out.map((p) => p.replace(/#[^\n]*/g, '').trim()).filter((p) => p !== '');
}

/** `def invoke(data, a: T, b: T = x) -> str`: the keyword parameters after `data`. */
function invokeSignature(file: string, text: string, cls: string, name: string): V1ToolSignature {
  const m = /def\s+invoke\s*\(/.exec(text);
  if (m === null) throw shapeError(file, 'no `def invoke(...)`');
  let depth = 1;
  let i = m.index + m[0].length;
  const start = i;
  for (; i < text.length && depth > 0; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
  }
  const params = splitParams(text.slice(start, i - 1)).map((p) => {
    if (p.startsWith('*')) throw shapeError(file, `invoke(): parameter "${p}" (* or **) is not a shape this reader knows`);
    const pname = /^[A-Za-z_]\w*/.exec(p)?.[0];
    if (pname === undefined) throw shapeError(file, `invoke(): cannot read parameter "${p}"`);
    return { name: pname, required: !/=/.test(p.replace(/[:]\s*[^=]*/, '')) };
  });
  if (params[0]?.name !== 'data') throw shapeError(file, 'invoke(): the first parameter is not `data`');
  return { name, class: cls, params: params.slice(1) };
}

/** A tool's Python call signature: τ-bench calls `<class>.invoke(data=..., **arguments)`. */
export interface V1ToolSignature {
  /** Tool name (get_info's function name). */
  name: string;
  /** Class name (the TypeError messages name `<class>.invoke()`). */
  class: string;
  /** Keyword parameters after `data`, in order; `required` when they have no default. */
  params: Array<{ name: string; required: boolean }>;
}

/** The tools of a domain as τ-bench registers them: get_info() values and invoke() signatures. */
export function readV1Tools(pkgDir: string, domain: string): { infos: unknown[]; signatures: V1ToolSignature[] } {
  const toolsDir = join(pkgDir, 'envs', domain, 'tools');
  const initFile = join(toolsDir, '__init__.py');
  const init = readSource(initFile);
  const modules = toolModules(initFile, init);
  const infos: unknown[] = [];
  const signatures: V1ToolSignature[] = [];
  for (const cls of allToolsOrder(initFile, init)) {
    const mod = modules.get(cls);
    if (mod === undefined) throw shapeError(initFile, `ALL_TOOLS lists ${cls}, which no \`from .<module> import\` line imports`);
    const file = join(toolsDir, `${mod}.py`);
    const text = readSource(file);
    const info = getInfoLiteral(file, text);
    infos.push(toPlain(info));
    const fn = (info as { function: { name: string } }).function;
    signatures.push(invokeSignature(file, text, cls, fn.name));
  }
  return { infos, signatures };
}

function quoteList(names: readonly string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length <= 1) return q.join('');
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q.at(-1)}`;
}

/**
 * The TypeError message Python gives for `<class>.invoke(data=..., **kwargs)` when the keyword
 * arguments do not fit the signature (an unexpected keyword first, in argument order, then the
 * missing required ones, as CPython checks them), or undefined when they fit.
 */
export function pythonCallError(sig: V1ToolSignature, keys: readonly string[]): string | undefined {
  const fn = `${sig.class}.invoke()`;
  const known = new Set(sig.params.map((p) => p.name));
  for (const k of keys) {
    if (k === 'data') return `${fn} got multiple values for argument 'data'`;
    if (!known.has(k)) return `${fn} got an unexpected keyword argument '${k}'`;
  }
  const given = new Set(keys);
  const missing = sig.params.filter((p) => p.required && !given.has(p.name)).map((p) => p.name);
  if (missing.length === 0) return undefined;
  return `${fn} missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${quoteList(missing)}`;
}

// ---------------------------------------------------------------------------------------------
// f-strings and constants

/** String constants `NAME = "..."` at the top level of a module (types.py). */
function stringConstants(file: string, text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^([A-Z_][A-Z0-9_]*)\s*=\s*(?=["'])/gm)) {
    const { value } = parsePyLiteralAt(text, (m.index ?? 0) + m[0].length, { source: file });
    if (typeof value === 'string') out.set(m[1] as string, value);
  }
  return out;
}

/**
 * The text of an f-string literal at `at` (pointing at the `f`): escapes decoded, `{{`/`}}`
 * unescaped, each `{expr}` replaced by `fields(expr)` (which throws for an unknown expression).
 */
function fString(file: string, text: string, at: number, fields: (expr: string) => string): { value: string; end: number } {
  const prefix = /[fF][rR]?(?=["'])/y;
  prefix.lastIndex = at;
  const p = prefix.exec(text)?.[0];
  if (p === undefined) throw shapeError(file, 'expected an f-string');
  const src = new PyText(text, file);
  const { parts, fields: exprs, end } = readPyString(text, at + p.length, p, (message, pos) => src.fail(message, pos));
  let out = parts?.[0] ?? '';
  (exprs ?? []).forEach((expr, k) => {
    if (/[!:=]/.test(expr.replace(/==/g, ''))) throw shapeError(file, `f-string field {${expr}} has a conversion or format spec`);
    out += fields(expr) + (parts?.[k + 1] as string);
  });
  return { value: out, end };
}

/** `NAME = f"""..."""` at the top level: the evaluated text, fields from `constants`. */
function fStringConstant(file: string, text: string, name: string, constants: ReadonlyMap<string, string>): string {
  const m = new RegExp(`^${name}\\s*=\\s*(?=[fF]["'])`, 'm').exec(text);
  if (m === null) throw shapeError(file, `no \`${name} = f"""..."""\``);
  return fString(file, text, m.index + m[0].length, (expr) => {
    const v = constants.get(expr);
    if (v === undefined) throw shapeError(file, `${name}: f-string field {${expr}} is not a known string constant`);
    return v;
  }).value;
}

// ---------------------------------------------------------------------------------------------
// Agents

/** What the reader takes from chat_react_agent.py and few_shot_agent.py. */
export interface V1AgentText {
  prompts: AgentPrompts;
  parsing: V1TextActionParsing;
  /** `num_few_shots` default of FewShotToolCallingAgent. */
  fewShotCount: number;
}

/**
 * Parses `self.prompt = (a + "..." + json.dumps(tools_info) + b)` into a template: the policy
 * argument → `{{policy}}`, `json.dumps(<tools>)` → `{{tools}}`, the instruction → `{{instruction}}`.
 */
function textActionFrame(file: string, text: string): string {
  const init = /def\s+__init__\s*\(([\s\S]*?)\)\s*(?:->[^:]*)?:/.exec(text);
  if (init === null) throw shapeError(file, 'no __init__');
  const params = (init[1] as string).split(',').map((p) => p.split(/[:=]/)[0]?.trim() ?? '');
  const m = /self\.prompt\s*=\s*\(?/.exec(text);
  if (m === null) throw shapeError(file, 'no `self.prompt = ...` assignment');
  let i = m.index + m[0].length;
  const paren = m[0].endsWith('(');
  const parts: string[] = [];
  const skip = (): void => {
    while (i < text.length && /[ \t\r\n\\]/.test(text[i] as string)) i++;
  };
  while (true) {
    skip();
    const c = text[i];
    if (c === '"' || c === "'") {
      const { value, end } = parsePyLiteralAt(text, i, { source: file });
      if (typeof value !== 'string') throw shapeError(file, 'self.prompt: expected a string');
      parts.push(value.replace(/\{\{/g, '{\u0000').replace(/\}\}/g, '}\u0000'));
      i = end;
    } else {
      const call = /^json\.dumps\(\s*(\w+)\s*\)/.exec(text.slice(i));
      const word = /^\w+/.exec(text.slice(i));
      if (call !== null) {
        parts.push('{{tools}}');
        i += call[0].length;
      } else if (word !== null && word[0] === 'instruction') {
        parts.push('{{instruction}}');
        i += word[0].length;
      } else if (word !== null && params.includes(word[0]) && word[0] !== 'tools_info') {
        parts.push('{{policy}}');
        i += word[0].length;
      } else {
        throw shapeError(file, `self.prompt: unexpected term at "${text.slice(i, i + 30).split('\n')[0] ?? ''}"`);
      }
    }
    skip();
    if (text[i] === '+') {
      i++;
      continue;
    }
    if (paren && text[i] !== ')') throw shapeError(file, 'self.prompt: expected + or )');
    break;
  }
  const frame = parts.join('');
  for (const p of ['{{policy}}', '{{tools}}', '{{instruction}}']) if (!frame.includes(p)) throw shapeError(file, `self.prompt: no ${p.slice(2, -2)} term`);
  if (frame.includes('\u0000')) throw shapeError(file, 'self.prompt: a literal contains "{{" or "}}"');
  return frame;
}

/** The string literal in `<lhs> = "<prefix>" + <lhs>` (observation prefix). */
function observationPrefix(file: string, text: string): string {
  const m = /\b(\w+)\s*=\s*(?=["'])/g;
  for (const hit of text.matchAll(m)) {
    const start = (hit.index ?? 0) + hit[0].length;
    let parsed;
    try {
      parsed = parsePyLiteralAt(text, start, { source: file });
    } catch {
      continue;
    }
    const rest = /^\s*\+\s*(\w+)\b/.exec(text.slice(parsed.end));
    if (typeof parsed.value === 'string' && rest !== null && rest[1] === hit[1]) return parsed.value;
  }
  throw shapeError(file, 'no `obs = "<prefix>" + obs` line (observation format)');
}

/** Reads the act/react and few-shot texts of a checkout's `tau_bench/agents/`. */
export function readV1AgentText(pkgDir: string): V1AgentText {
  const typesFile = join(pkgDir, 'types.py');
  const constants = stringConstants(typesFile, readSource(typesFile));
  const respondName = constants.get('RESPOND_ACTION_NAME');
  const respondField = constants.get('RESPOND_ACTION_FIELD_NAME');
  if (respondName === undefined || respondField === undefined) throw shapeError(typesFile, 'no RESPOND_ACTION_NAME / RESPOND_ACTION_FIELD_NAME string constants');

  const reactFile = join(pkgDir, 'agents', 'chat_react_agent.py');
  const react = readSource(reactFile);
  const reactInstruction = fStringConstant(reactFile, react, 'REACT_INSTRUCTION', constants);
  const actInstruction = fStringConstant(reactFile, react, 'ACT_INSTRUCTION', constants);
  const textActionSystem = textActionFrame(reactFile, react);
  const prefix = observationPrefix(reactFile, react);
  const marker = /\.split\(\s*(["'])((?:(?!\1).)+)\1\s*\)\s*\[\s*-1\s*\]\s*\.strip\(\)/.exec(react);
  if (marker === null) throw shapeError(reactFile, 'no `.split("<marker>")[-1].strip()` (action parsing)');

  const fewFile = join(pkgDir, 'agents', 'few_shot_agent.py');
  const few = readSource(fewFile);
  const join_ = /few_shots\s*=\s*(?=["'])/.exec(few);
  if (join_ === null) throw shapeError(fewFile, 'no `few_shots = "<sep>".join([...])`');
  const sep = parsePyLiteralAt(few, join_.index + join_[0].length, { source: fewFile });
  if (typeof sep.value !== 'string') throw shapeError(fewFile, 'few_shots separator is not a string');
  const after = /^\.join\(\s*\[\s*(?=[fF]["'])/.exec(few.slice(sep.end));
  if (after === null) throw shapeError(fewFile, 'few_shots: expected .join([f"..." for i, display in enumerate(...)])');
  const loop = /for\s+(\w+)\s*,\s*(\w+)\s+in\s+enumerate\(/.exec(few.slice(sep.end));
  if (loop === null) throw shapeError(fewFile, 'few_shots: expected `for <i>, <display> in enumerate(...)`');
  const [, idx, disp] = loop as unknown as [string, string, string];
  const example = fString(fewFile, few, sep.end + after[0].length, (expr) => {
    const e = expr.replace(/\s+/g, '');
    if (e === `${idx}+1`) return '{{n}}';
    if (e === disp) return '{{display}}';
    throw shapeError(fewFile, `few-shot example: unknown f-string field {${expr}}`);
  }).value;
  const sys = /["']role["']\s*:\s*["']system["']\s*,\s*["']content["']\s*:\s*(?=[fF]["'])/.exec(few);
  if (sys === null) throw shapeError(fewFile, 'no {"role": "system", "content": f"..."} message');
  const fewShotSystem = fString(fewFile, few, sys.index + sys[0].length, (expr) => {
    if (expr === 'few_shots') return '{{examples}}';
    if (/^(self\.)?wiki$/.test(expr)) return '{{policy}}';
    throw shapeError(fewFile, `few-shot system prompt: unknown f-string field {${expr}}`);
  }).value;
  const count = /num_few_shots\s*:\s*int\s*=\s*(\d+)/.exec(few);
  if (count === null) throw shapeError(fewFile, 'no `num_few_shots: int = <n>` default');

  return {
    prompts: {
      toolCallingSystem: '{{policy}}',
      textActionSystem,
      actInstruction,
      reactInstruction,
      toolListFormat: JSON.stringify({ style: 'py-json-dumps', shape: 'openai' }),
      toolObservation: `${prefix}{{observation}}`,
      parseError: '',
      fewShotSystem,
      fewShotExample: example,
      fewShotSeparator: sep.value,
      actionMarker: marker[2] as string,
      respondAction: respondName,
      respondField,
    },
    parsing: { actionMarker: marker[2] as string, respondName, respondField },
    fewShotCount: Number(count[1]),
  };
}

/** τ-bench v1's behaviour switches (see {@link PackBehaviour}). */
export function v1Behaviour(fewShotCount: number): PackBehaviour {
  return {
    defaultMaxTokens: false,
    toolMessageName: true,
    textActionParseFailure: 'respond',
    malformedToolArguments: 'end-episode',
    fewShotDraw: 'per-episode-python-sample',
    fewShotCount,
    userTemperature: null,
  };
}

/** Options of {@link v1ReferencePack}. */
export interface V1PackOptions {
  /** User-simulator prompts (src/prompts/v1-users.ts); default none. */
  users?: Readonly<Record<string, string>>;
}

/**
 * The `reference` pack of a τ-bench v1 checkout for one domain.
 * @throws DataError naming the checkout file that is missing or not in the known shape.
 */
export function v1ReferencePack(source: Pick<TaskSource, 'kind' | 'dir'>, domain: string, options: V1PackOptions = {}): PromptPack {
  const pkg = v1PackageDir(source);
  const agent = readV1AgentText(pkg);
  const tools = readV1Tools(pkg, domain);
  return {
    kind: 'reference',
    source: `tau-bench v1 checkout ${dirname(pkg)} (${domain})`,
    tools: JSON.stringify(tools.infos),
    toolSignatures: JSON.stringify(tools.signatures),
    agent: agent.prompts,
    users: options.users ?? {},
    behaviour: v1Behaviour(agent.fewShotCount),
  };
}
