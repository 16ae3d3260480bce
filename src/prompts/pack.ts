/**
 * Prompt packs: everything a model sees that is not the conversation itself — tool schemas,
 * agent instructions (system-prompt templates, act/react instructions, the tool-list format, the
 * observation format, few-shot framing), user-simulator prompts and judge prompts — plus the few
 * behaviour switches that change what a model sees (parameters sent, parse-failure handling).
 *
 * One pack per run. Two kinds:
 * - `reference`: read at run time from a τ-bench checkout (src/prompts/v1-reference.ts) or a τ²
 *   checkout (src/prompts/tau2*.ts); the repository holds none of that text.
 * - `harness`: the project's own words (src/prompts/harness.ts).
 *
 * Every element is TEXT (a template with `{{name}}` placeholders, plain text, or JSON text), so a
 * pack has a stable identity: {@link packIdentity} hashes each element, and `run.json` records it.
 * This module is domain-agnostic and stable: extend it additively.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../core/errors.js';
import type { JsonSchema, ToolSpec } from '../models/types.js';

/** Where a pack's text comes from. */
export type PackKind = 'reference' | 'harness';

/** The `--prompts` values. */
export const PACK_KINDS: readonly PackKind[] = ['reference', 'harness'];

/**
 * What the agents see besides the conversation. Templates use `{{name}}` placeholders
 * (see {@link renderTemplate}); the placeholders each element accepts are listed per field.
 */
export interface AgentPrompts {
  /** Tool-calling system prompt. Placeholders: `policy`. */
  toolCallingSystem: string;
  /** act/react system prompt. Placeholders: `policy`, `tools` (the rendered tool list), `instruction`. */
  textActionSystem: string;
  /** Instruction inserted as `instruction` for `act` (no thought). Plain text. */
  actInstruction: string;
  /** Instruction inserted as `instruction` for `react` (a thought before each action). Plain text. */
  reactInstruction: string;
  /**
   * How the tool list of act/react is rendered, JSON text of a {@link ToolListFormat}.
   */
  toolListFormat: string;
  /** act/react: how a tool result comes back (as a user message). Placeholders: `tool`, `observation`. */
  toolObservation: string;
  /**
   * act/react: what the model is told when its reply has no usable action, when
   * {@link PackBehaviour.textActionParseFailure} is `retry`: JSON text
   * `{"template": "...{{problem}}...{{layout}}...", "layout": {"act": "...", "react": "..."}}`.
   * Empty in packs that never send it.
   */
  parseError: string;
  /** few-shot system prompt. Placeholders: `policy`, `examples`. */
  fewShotSystem: string;
  /** One few-shot example. Placeholders: `n` (1-based), `display`. */
  fewShotExample: string;
  /** Text between two rendered examples. Plain text. */
  fewShotSeparator: string;
  /** act/react: the marker the action follows (the text after its LAST occurrence is parsed). Default `Action:`. */
  actionMarker?: string;
  /** act/react: name of the pseudo-tool that messages the user. Default `respond`. */
  respondAction?: string;
  /** act/react: the respond action's argument holding the message. Default `content`. */
  respondField?: string;
}

/** Rendering of the act/react tool list. */
export type ToolListFormat =
  /** Python `json.dumps(tools)` (separators `, `/`: `, ASCII escapes) of the OpenAI tool objects. */
  | { style: 'py-json-dumps'; shape: 'openai' }
  /** `JSON.stringify(tools, null, indent)` of `{name, description, parameters}` objects. */
  | { style: 'json'; indent: number; shape: 'spec' };

/** Behaviour that changes what a model sees or how an episode is scored. JSON text in identity. */
export interface PackBehaviour {
  /** Send the provider adapter's default max tokens when the user sets none (harness: yes; τ-bench: no). */
  defaultMaxTokens: boolean;
  /** Send `name` on tool-result messages (OpenAI wire format; τ-bench does). */
  toolMessageName: boolean;
  /**
   * act/react reply without a parsable action: `respond` = the whole text after the last
   * `Action:` becomes a message to the user (τ-bench); `retry` = the model is told the problem
   * ({@link AgentPrompts.parseError}) and tries again (harness).
   */
  textActionParseFailure: 'respond' | 'retry';
  /**
   * Tool-call arguments that are not valid JSON: `end-episode` = reward 0 as an agent failure
   * (τ-bench); `error-observation` = the model sees an error observation and goes on (harness).
   */
  malformedToolArguments: 'end-episode' | 'error-observation';
  /**
   * Few-shot drawing: `per-episode-python-sample` = `random.sample(examples, count)` per episode
   * on a Python Mersenne Twister seeded like τ-bench's run.py (src/core/py-random.ts);
   * `once-in-file-order` = drawn once per run with the run seed, shown in file order (harness).
   */
  fewShotDraw: 'per-episode-python-sample' | 'once-in-file-order';
  /** Number of few-shot examples shown (default of `--few-shot-count`). */
  fewShotCount: number;
  /** Temperature the user simulator sends when the user sets none; `null` = none is sent. */
  userTemperature: number | null;
}

/**
 * A prompt pack. `tools` is the JSON text of the tool list exactly as the model gets it: an array
 * of OpenAI function tools `{"type":"function","function":{name, description, parameters}}`, in
 * registration order, parameters verbatim (no keys added or dropped).
 */
export interface PromptPack {
  kind: PackKind;
  /** Human-readable origin, e.g. `tau-bench v1 checkout at /x/tau-bench (retail)` or `harness`. */
  source: string;
  /** JSON text of the tool list (see above). */
  tools: string;
  agent: AgentPrompts;
  /**
   * User-simulator prompts, keyed by element name (templates or plain text). Filled by the user
   * simulators' pack builders (src/prompts/v1-users.ts for τ-bench v1, src/prompts/tau2*.ts);
   * an empty object means the simulators use their built-in harness text.
   */
  users: Readonly<Record<string, string>>;
  /** Judge prompts, keyed by element name. Optional. */
  judge?: Readonly<Record<string, string>>;
  behaviour: PackBehaviour;
  /**
   * Reference packs of Python checkouts: JSON text of the tools' call signatures
   * (`[{name, class, params: [{name, required}]}]`), so that arguments that do not fit a tool's
   * signature get the observation Python's TypeError gives (v1: `Error: <Class>.invoke() got an
   * unexpected keyword argument 'x'`). Optional.
   */
  toolSignatures?: string;
}

/** What `run.json` records about the pack: its kind, its source and a sha256 per element. */
export interface PackIdentity {
  kind: PackKind;
  source: string;
  /** Element name (`tools`, `agent.<field>`, `users.<key>`, `judge.<key>`, `behaviour`) → hex sha256. */
  sha256: Record<string, string>;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Every element of a pack as text, by element name (stable order: tools, agent, users, judge, behaviour). */
export function packElements(pack: PromptPack): Record<string, string> {
  const out: Record<string, string> = { tools: pack.tools };
  for (const [k, v] of Object.entries(pack.agent)) out[`agent.${k}`] = v as string;
  for (const k of Object.keys(pack.users).sort()) out[`users.${k}`] = pack.users[k] as string;
  if (pack.judge !== undefined) for (const k of Object.keys(pack.judge).sort()) out[`judge.${k}`] = pack.judge[k] as string;
  out['behaviour'] = JSON.stringify(pack.behaviour);
  if (pack.toolSignatures !== undefined) out['toolSignatures'] = pack.toolSignatures;
  return out;
}

/** The pack's identity for run metadata. */
export function packIdentity(pack: PromptPack): PackIdentity {
  const sha256: Record<string, string> = {};
  for (const [k, v] of Object.entries(packElements(pack))) sha256[k] = sha256Hex(v);
  return { kind: pack.kind, source: pack.source, sha256 };
}

/** True when two identities describe the same text (kind and every element hash equal; the source path may differ). */
export function samePack(a: PackIdentity, b: PackIdentity): boolean {
  if (a.kind !== b.kind) return false;
  const ka = Object.keys(a.sha256).sort();
  const kb = Object.keys(b.sha256).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a.sha256[k] === b.sha256[k]);
}

const PLACEHOLDER = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/**
 * Fills `{{name}}` placeholders in one pass (inserted values are not scanned again). A
 * placeholder without a value is a ConfigError naming the element.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>, element = 'template'): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new ConfigError(`prompt pack element ${element}: no value for placeholder {{${name}}}`);
    return v;
  });
}

/** One OpenAI function tool as the pack holds it. */
export interface PackTool {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema };
}

/** The pack's tool list parsed into {@link ToolSpec}s (parameters verbatim), in pack order. */
export function packToolSpecs(pack: PromptPack): ToolSpec[] {
  const list = JSON.parse(pack.tools) as PackTool[];
  return list.map((t) => ({ name: t.function.name, description: t.function.description, parameters: t.function.parameters }));
}

/** The tool list JSON text of a pack built from {@link ToolSpec}s (the harness's own tools). */
export function toolsJson(specs: readonly ToolSpec[]): string {
  const list: PackTool[] = specs.map((s) => ({
    type: 'function',
    function: { name: s.name, description: s.description, parameters: s.parameters },
  }));
  return JSON.stringify(list);
}

/** Parses {@link AgentPrompts.toolListFormat}. */
export function toolListFormatOf(pack: PromptPack): ToolListFormat {
  return JSON.parse(pack.agent.toolListFormat) as ToolListFormat;
}
