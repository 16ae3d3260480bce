/**
 * The `reference` prompt pack of a τ² (τ³) checkout, read at run time (the repository holds none
 * of τ²'s text):
 *
 * - agent system prompt: `LLMAgent.system_prompt` of `src/tau2/agent/llm_agent.py`, i.e. the
 *   module's `SYSTEM_PROMPT` template (`.strip()`ped) formatted with `agent_instruction =
 *   AGENT_INSTRUCTION` (`.strip()`ped) and `domain_policy` = the domain's `policy.md` as read —
 *   kept as the pack placeholder `{{policy}}`;
 * - user-simulator system prompt: `UserSimulator.system_prompt` of
 *   `src/tau2/user/user_simulator.py`: its `SYSTEM_PROMPT` template formatted with
 *   `global_user_sim_guidelines_with_persona` = `data/tau2/user_simulator/simulation_guidelines.md`
 *   (the tool-less guidelines: retail and airline users have no tools) with `<PERSONA_GUIDELINES>`
 *   replaced by the default `PersonaConfig`'s nothing, and `instructions` = `str(user_scenario)`
 *   (the task's `instruction`) — kept as the placeholder `{{instructions}}`;
 * - tool schemas: src/prompts/tau2-tools.ts.
 *
 * τ² has one text agent (tool calling): the act/react/few-shot elements are the harness's.
 * Anything in an unexpected shape is a DataError naming the file.
 */
import { join } from 'node:path';
import { DataError, UsageError } from '../core/errors.js';
import { dottedName, type PyExpr } from '../core/py/py-expr.js';
import { pyStrip } from '../core/py/py-docstring.js';
import type { PyModule } from '../core/py/py-source.js';
import type { TaskSource } from '../env/tasks/source.js';
import { HARNESS_AGENT_PROMPTS, HARNESS_BEHAVIOUR } from './harness.js';
import type { PackBehaviour, PromptPack } from './pack.js';
import { PyModules } from './tau2-pydantic.js';
import { loadTau2Tools, tau2ToolsJson } from './tau2-tools.js';
import { readTextFile } from '../core/utf8.js';

/** Files of a τ² checkout the reference pack reads, relative to its root. */
export const TAU2_FILES = {
  agent: join('src', 'tau2', 'agent', 'llm_agent.py'),
  user: join('src', 'tau2', 'user', 'user_simulator.py'),
  guidelines: join('data', 'tau2', 'user_simulator', 'simulation_guidelines.md'),
} as const;

/** Element names of the τ² user prompt in a pack's `users` slot. */
export const TAU2_USER_KEYS = {
  /** The user simulator's system prompt; placeholder `{{instructions}}` (the task's scenario text). */
  system: 'tau2.system',
} as const;

/** The placeholder τ²'s persona guidelines go into (replaced by '' for the default persona). */
const PERSONA_MARK = '<PERSONA_GUIDELINES>';

/**
 * τ²'s behaviour where it changes what a model sees: no max-tokens (litellm gets none), tool
 * results without `name` (`to_litellm_messages`), `temperature: 0.0` on user calls (the CLI's
 * default user `llm_args`), tool-call arguments that are not JSON end the episode (`json.loads`
 * raises in `generate`). act/react/few-shot settings are the harness's (τ² has no such agents).
 */
export const TAU2_BEHAVIOUR: PackBehaviour = {
  ...HARNESS_BEHAVIOUR,
  defaultMaxTokens: false,
  toolMessageName: false,
  malformedToolArguments: 'end-episode',
  userTemperature: 0,
};

function readText(file: string): string {
  try {
    // Python's text mode reads universal newlines.
    return readTextFile(file).replace(/\r\n?/g, '\n');
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`τ² checkout: cannot read ${file}: ${(e as Error).message}`, { code: 'data_not_found', path: file, cause: e });
  }
}

/** Evaluates a module-level string expression: literals, names of other string assignments, `.strip()`. */
function stringValue(mod: PyModule, e: PyExpr, depth = 0): string {
  if (depth > 20) return mod.src.fail('string expression nested too deeply', e.at);
  if (e.k === 'const' && typeof e.value === 'string') return e.value;
  if (e.k === 'name') {
    const span = mod.assigns.get(e.id);
    if (span === undefined) return mod.src.fail(`${e.id} is not a module-level string`, e.at);
    return stringValue(mod, mod.expr(span), depth + 1);
  }
  if (e.k === 'call' && e.func.k === 'attr' && e.func.attr === 'strip' && e.args.length === 0 && e.kwargs.length === 0) {
    return pyStrip(stringValue(mod, e.func.value, depth + 1));
  }
  return mod.src.fail(`expected a string literal (optionally .strip()ped), found ${dottedName(e) ?? e.k}`, e.at);
}

/** The string a module assigns to `name`. */
function moduleString(mod: PyModule, name: string): string {
  const span = mod.assigns.get(name);
  if (span === undefined) throw new DataError(`${mod.src.source}: no module-level ${name} (the τ² reference reader expects it)`, { path: mod.src.source });
  return stringValue(mod, mod.expr(span));
}

/**
 * Python `str.format` with named fields only (`{name}`, `{{`, `}}`). A field not in `values`,
 * a positional or formatted field, or a lone brace is an error naming `where`.
 */
export function pyFormat(template: string, values: Readonly<Record<string, string>>, where: string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c === '{' && template[i + 1] === '{') {
      out += '{';
      i++;
    } else if (c === '}' && template[i + 1] === '}') {
      out += '}';
      i++;
    } else if (c === '{') {
      const close = template.indexOf('}', i);
      const field = close < 0 ? '' : template.slice(i + 1, close);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new DataError(`${where}: unsupported format field {${field}} (only {name} fields are read)`, { path: where });
      const v = values[field];
      if (v === undefined) throw new DataError(`${where}: template field {${field}} is not one τ² fills (expected ${Object.keys(values).join(', ')})`, { path: where });
      out += v;
      i = close;
    } else if (c === '}') {
      throw new DataError(`${where}: single '}' in a format string`, { path: where });
    } else out += c;
  }
  return out;
}

/** Fills a τ² template, keeping `placeholders` (field → pack placeholder name) for run time. */
function packTemplate(template: string, fixed: Readonly<Record<string, string>>, placeholders: Readonly<Record<string, string>>, where: string): string {
  const marks: Record<string, string> = {};
  for (const [field, name] of Object.entries(placeholders)) marks[field] = `\u0000${name}\u0000`;
  const filled = pyFormat(template, { ...fixed, ...marks }, where);
  // τ²'s own text must not look like a pack placeholder, or rendering would substitute into it.
  const clash = /\{\{[A-Za-z_][A-Za-z0-9_]*\}\}/.exec(filled);
  if (clash !== null) throw new DataError(`${where}: the text contains ${clash[0]}, which reads as a prompt-pack placeholder`, { path: where });
  let out = filled;
  for (const [field, name] of Object.entries(placeholders)) {
    const mark = marks[field] as string;
    if (!out.includes(mark)) throw new DataError(`${where}: the template has no {${field}} field`, { path: where });
    out = out.split(mark).join(`{{${name}}}`);
  }
  return out;
}

/** τ²'s agent system prompt as a pack template (placeholder `{{policy}}`). */
export function readTau2AgentSystem(checkoutDir: string, modules = new PyModules(join(checkoutDir, 'src'))): string {
  const file = join(checkoutDir, TAU2_FILES.agent);
  const mod = modules.byFile(file);
  const instruction = moduleString(mod, 'AGENT_INSTRUCTION');
  return packTemplate(moduleString(mod, 'SYSTEM_PROMPT'), { agent_instruction: instruction }, { domain_policy: 'policy' }, file);
}

/** τ²'s user-simulator system prompt as a pack template (placeholder `{{instructions}}`). */
export function readTau2UserSystem(checkoutDir: string, modules = new PyModules(join(checkoutDir, 'src'))): string {
  const file = join(checkoutDir, TAU2_FILES.user);
  const mod = modules.byFile(file);
  const guidelinesPath = mod.assigns.get('GLOBAL_USER_SIM_GUIDELINES_PATH');
  if (guidelinesPath === undefined || !mod.src.text.slice(guidelinesPath.start, guidelinesPath.end).includes('"simulation_guidelines.md"')) {
    throw new DataError(`${file}: expected GLOBAL_USER_SIM_GUIDELINES_PATH to name simulation_guidelines.md`, { path: file });
  }
  const guidelines = readText(join(checkoutDir, TAU2_FILES.guidelines)).split(PERSONA_MARK).join('');
  return packTemplate(moduleString(mod, 'SYSTEM_PROMPT'), { global_user_sim_guidelines_with_persona: guidelines }, { instructions: 'instructions' }, file);
}

/**
 * The reference pack of a τ² checkout for one domain.
 * @throws DataError naming the file when the checkout is incomplete or in an unknown shape.
 */
export function loadTau2ReferencePack(checkoutDir: string, domain: string): PromptPack {
  const modules = new PyModules(join(checkoutDir, 'src'));
  return {
    kind: 'reference',
    source: `τ² checkout at ${checkoutDir} (${domain})`,
    tools: tau2ToolsJson(loadTau2Tools(checkoutDir, domain)),
    agent: { ...HARNESS_AGENT_PROMPTS, toolCallingSystem: readTau2AgentSystem(checkoutDir, modules) },
    users: { [TAU2_USER_KEYS.system]: readTau2UserSystem(checkoutDir, modules) },
    behaviour: TAU2_BEHAVIOUR,
  };
}

/** The pack reader for τ² task sources: needs the source to lie in a checkout (`source.checkout`). */
export function tau2ReferenceReader(source: TaskSource, domain: string): PromptPack {
  if (source.checkout === undefined) {
    throw new UsageError(
      `--prompts reference on τ² data needs --data to be a τ² checkout (data/tau2/domains/${domain}/ and src/tau2/), whose prompts are read at run time; ${source.dir} is a bare domain directory. Use --prompts harness.`,
    );
  }
  return loadTau2ReferencePack(source.checkout, domain);
}

/** The τ² user system template of a pack's `users` slot, if it has one. */
export function tau2UserSystemOf(users: Readonly<Record<string, string>> | undefined): string | undefined {
  return users?.[TAU2_USER_KEYS.system];
}
