/**
 * The offline simulated model (`sim`, `sim:<p>`): deterministic, seeded, no network. It receives
 * the episode's task as privileged context and, in the agent role, plays along the task's gold
 * actions the way a careful agent would (asks for identity, looks things up, asks for an explicit
 * yes before each write, writes, reports the requested facts). With per-decision error probability
 * `p` it errs like models do: a wrong tool, a wrong argument, a skipped confirmation, an early stop.
 * For blueprint sub-tasks it answers the bounded question from the task through registered
 * oracles, with the same error model, and drafts the plan-and-execute agent's plans from the gold
 * actions (`plan-oracle.ts`). Tokens are counted from the real prompts with o200k;
 * latency follows a fixed + per-token model and can be slept for real.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../../core/errors.js';
import type { GoldAction, Task } from '../../core/task.js';
import { jcsStringify } from '../../core/py/jcs.js';
import { parsePyJson, pyDumps } from '../../core/py/py-json.js';
import { clonePy, isPyObject, type PyObject, type PyValue } from '../../core/py/py-value.js';
import type { ChatMessage, ChatModel, ChatRequest, ChatResponse, ToolCall, Usage } from '../types.js';
import { keyedDraw as draw, keyedPick as pick } from '../../core/rng.js';
import { planExecuteOracles } from './plan-oracle.js';
import { loadTokenizer, tokens } from './token-counter.js';

/** Latency model of simulated calls. */
export interface SimLatency {
  /** Fixed part per call, ms. Default 250. */
  fixedMs: number;
  /** Per input token, ms. Default 0.02. */
  perInputTokenMs: number;
  /** Per output token, ms. Default 12. */
  perOutputTokenMs: number;
  /** Sleep for the modelled time (else only report it). Default false. */
  real: boolean;
}

/** What a sub-task oracle sees. */
export interface SubtaskQuestion {
  task: Task;
  name: string;
  input: unknown;
  /** Id of the blueprint asking (`privileged.blueprint`, set by the blueprint engine), when known. */
  blueprint?: string;
}

/**
 * Answers one kind of blueprint sub-task from the task (a perfect model's answer), and lists
 * plausible wrong answers used when the error model fires.
 */
export type SubtaskOracle = (q: SubtaskQuestion) => {
  answer: unknown;
  wrong?: unknown[];
  /** The answers (right and wrong) are the exact reply texts (e.g. Python JSON keeping floats), not values to serialise. Default false. */
  raw?: boolean;
};

/** Options of {@link createSimModel}. */
export interface SimModelOptions {
  /** Per-decision error probability in [0, 1]. Default 0 (oracle). */
  errorRate?: number;
  /** Run seed mixed into every draw. Default 0. */
  seed?: number;
  latency?: Partial<SimLatency>;
  sleep?: (ms: number) => Promise<void>;
  /** Tools that change the database (need confirmation). Default: names not starting with a read prefix. */
  isWriteTool?: (name: string) => boolean;
  /** Tools that look up the customer: the sim asks for identity before calling one first. */
  identityTools?: readonly string[];
  /** Oracles for blueprint sub-tasks by name (the plan-and-execute agent's are built in; these take precedence). */
  subtasks?: Readonly<Record<string, SubtaskOracle>>;
}

const READ_PREFIXES = ['get_', 'find_', 'list_', 'search_', 'think', 'calculate'];
const DEFAULT_IDENTITY = ['find_user_id_by_email', 'find_user_id_by_name_zip', 'get_user_details'];
const ERROR_KINDS = ['wrong_tool', 'wrong_argument', 'skip_confirmation', 'early_stop'] as const;
type ErrorKind = (typeof ERROR_KINDS)[number];

/** Texts the simulated agent says; recognisable so it can read its own history back. */
export const SIM_TEXT = {
  askIdentityEmail: 'Before I can help, I need to verify your identity. Could you please give me your email address, or your first name, last name and zip code?',
  askIdentityId: 'Before I can help, I need to verify your identity. Could you please give me your user id?',
  confirm: (g: GoldAction): string => `To proceed I will call ${g.name} with these details: ${pyDumps(g.kwargs)}. Do you confirm? Please answer yes or no.`,
  declined: 'Understood, I will not make that change.',
  final: (facts: string[]): string =>
    `Your request has been taken care of.${facts.length > 0 ? ` Here is what you asked for: ${facts.join('; ')}.` : ''} Is there anything else I can help you with?`,
  goodbye: 'Thank you for contacting us. Goodbye!',
  earlyStop: 'I am afraid that is all I can do for you today. Goodbye!',
} as const;

/** One agent action read back from the conversation. */
interface PastAction {
  kind: 'tool' | 'respond';
  name: string;
  args: PyObject;
  text: string;
  /** The user's answer to a respond action. */
  reply?: string;
}

const AFFIRMATIVE = /\b(yes|yeah|yep|sure|confirm|confirmed|correct|go ahead|please do|ok|okay|proceed)\b/i;
const NEGATIVE = /\b(no|nope|don't|do not|cancel that|stop)\b/i;

/** True when a user's reply is a yes. */
export function isAffirmative(text: string): boolean {
  return AFFIRMATIVE.test(text) && !/^\s*no\b/i.test(text) && !(NEGATIVE.test(text) && !/\byes\b/i.test(text));
}

function argsOf(raw: string): PyObject {
  try {
    const v = parsePyJson(raw);
    return isPyObject(v) ? v : {};
  } catch {
    return {};
  }
}

function actionFromText(text: string): { name: string; args: PyObject } | undefined {
  const at = text.lastIndexOf('Action:');
  if (at < 0) return undefined;
  try {
    const v = parsePyJson(text.slice(at + 'Action:'.length).trim());
    if (!isPyObject(v) || typeof v.name !== 'string') return undefined;
    const a = v.arguments;
    return { name: v.name, args: isPyObject(a) ? a : {} };
  } catch {
    return undefined;
  }
}

/** Reads the agent's past actions (tool calls and replies) back from a request's messages. */
function readHistory(messages: ChatMessage[], textMode: boolean): PastAction[] {
  const out: PastAction[] = [];
  let last: PastAction | undefined;
  for (const m of messages) {
    if (m.role === 'assistant') {
      if (!textMode && m.toolCalls !== undefined && m.toolCalls.length > 0) {
        for (const tc of m.toolCalls) out.push((last = { kind: 'tool', name: tc.name, args: argsOf(tc.arguments), text: '' }));
      } else if (textMode) {
        const a = actionFromText(m.content ?? '');
        if (a === undefined) out.push((last = { kind: 'respond', name: 'respond', args: {}, text: m.content ?? '' }));
        else if (a.name === 'respond') out.push((last = { kind: 'respond', name: 'respond', args: a.args, text: String(a.args.content ?? '') }));
        else out.push((last = { kind: 'tool', name: a.name, args: a.args, text: '' }));
      } else {
        out.push((last = { kind: 'respond', name: 'respond', args: {}, text: m.content ?? '' }));
      }
    } else if (m.role === 'user' && last !== undefined && last.kind === 'respond' && last.reply === undefined) {
      last.reply = m.content;
    }
  }
  return out;
}

function sameAction(a: PastAction, g: GoldAction): boolean {
  return a.kind === 'tool' && a.name === g.name && jcsStringify(a.args, { typedFloats: true }) === jcsStringify(g.kwargs, { typedFloats: true });
}

function perturb(args: PyObject, key: string): PyObject {
  const out = clonePy(args);
  const keys = Object.keys(out).sort();
  const change = (s: string): string => {
    const m = /(\d)$/.exec(s);
    return m === null ? `${s}x` : `${s.slice(0, -1)}${(Number(m[1]) + 1 + Math.floor(draw(key, s) * 8)) % 10}`;
  };
  for (const k of keys) {
    const v = out[k];
    if (typeof v === 'string' && v.length > 0) {
      out[k] = change(v);
      return out;
    }
    if (Array.isArray(v) && typeof v[0] === 'string') {
      out[k] = [change(v[0]), ...v.slice(1)] as PyValue[];
      return out;
    }
  }
  return out;
}

function requestHash(req: ChatRequest): string {
  const { privileged: _p, ...rest } = req;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}

function countInput(req: ChatRequest): number {
  let n = 3 + tokens(req.system ?? '') + (req.system === undefined ? 0 : 4);
  if (req.tools !== undefined && req.tools.length > 0) n += tokens(JSON.stringify(req.tools));
  if (req.responseFormat !== undefined) n += tokens(JSON.stringify(req.responseFormat.schema));
  for (const m of req.messages) {
    n += 4;
    if (m.role === 'assistant') {
      n += tokens(m.content ?? '');
      for (const tc of m.toolCalls ?? []) n += tokens(tc.name) + tokens(tc.arguments) + 3;
    } else n += tokens(m.content);
  }
  return n;
}

/** Output of one simulated decision. */
type Decision = { kind: 'say'; text: string } | { kind: 'call'; name: string; args: PyObject; thought: string };

/** Creates the simulated model. `id` is `sim:<p>`. */
export function createSimModel(options: SimModelOptions = {}): ChatModel {
  const p = options.errorRate ?? 0;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`sim error probability must be in [0, 1], got ${p}`);
  const seed = options.seed ?? 0;
  const latency: SimLatency = { fixedMs: 250, perInputTokenMs: 0.02, perOutputTokenMs: 12, real: false, ...options.latency };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const isWrite = options.isWriteTool ?? ((name: string) => !READ_PREFIXES.some((pre) => name.startsWith(pre)) && name !== 'transfer_to_human_agents');
  const identity = options.identityTools ?? DEFAULT_IDENTITY;
  const oracles = { ...planExecuteOracles({ texts: SIM_TEXT, isWrite, identityTools: identity, perturb }), ...options.subtasks };

  /** The episode seed when the runner attaches one (privileged.seed), else the model's seed. */
  const episodeSeed = (req: ChatRequest): number => (typeof req.privileged?.seed === 'number' ? req.privileged.seed : seed);

  const errorAt = (key: Array<string | number>, applicable: readonly ErrorKind[]): ErrorKind | undefined => {
    if (p === 0 || draw(...key, 'err') >= p) return undefined;
    const kind = pick(ERROR_KINDS, ...key, 'kind') as ErrorKind;
    return applicable.includes(kind) ? kind : applicable[0];
  };

  const decideAgent = (req: ChatRequest, task: Task, textMode: boolean): Decision => {
    const gold = task.actions;
    const history = readHistory(req.messages, textMode);
    const key = [episodeSeed(req), req.trial ?? 0, task.id, history.length];
    let i = 0;
    for (const a of history) {
      const g = gold[i];
      if (g === undefined) break;
      if (sameAction(a, g)) i++;
      else if (a.kind === 'respond' && a.text === SIM_TEXT.confirm(g) && a.reply !== undefined && !isAffirmative(a.reply)) i++;
    }
    const last = history[history.length - 1];
    const asked = history.some((a) => a.kind === 'respond' && (a.text === SIM_TEXT.askIdentityEmail || a.text === SIM_TEXT.askIdentityId));
    const next = gold[i];
    if (next === undefined) {
      if (last?.kind === 'respond' && last.text.startsWith('Your request has been taken care of')) return { kind: 'say', text: SIM_TEXT.goodbye };
      const facts = [...task.outputs, ...(task.evaluation?.communicateInfo ?? [])];
      return { kind: 'say', text: SIM_TEXT.final(facts) };
    }
    if (i === 0 && !asked && identity.includes(next.name)) {
      return { kind: 'say', text: next.name === 'get_user_details' ? SIM_TEXT.askIdentityId : SIM_TEXT.askIdentityEmail };
    }
    const tools = (req.tools ?? []).map((t) => t.name);
    const write = isWrite(next.name);
    const confirmed = !write || (last?.kind === 'respond' && last.text === SIM_TEXT.confirm(next) && last.reply !== undefined && isAffirmative(last.reply));
    const applicable: ErrorKind[] = ['wrong_tool', 'early_stop'];
    if (Object.values(next.kwargs).some((v) => typeof v === 'string' || Array.isArray(v))) applicable.unshift('wrong_argument');
    if (write && !confirmed) applicable.unshift('skip_confirmation');
    const err = errorAt(key, applicable);
    if (err === 'early_stop') return { kind: 'say', text: SIM_TEXT.earlyStop };
    if (!confirmed && err !== 'skip_confirmation') return { kind: 'say', text: SIM_TEXT.confirm(next) };
    if (err === 'wrong_tool') {
      const other = pick(tools.filter((t) => t !== next.name && !isWrite(t)), ...key, 'tool');
      if (other !== undefined) return { kind: 'call', name: other, args: next.kwargs, thought: `I should call ${other}.` };
    }
    const args = err === 'wrong_argument' ? perturb(next.kwargs, key.join(':')) : next.kwargs;
    return { kind: 'call', name: next.name, args, thought: `Next I need to call ${next.name}.` };
  };

  const answerSubtask = (req: ChatRequest, task: Task, sub: { name: string; input: unknown }): string => {
    const oracle = oracles[sub.name];
    if (oracle === undefined) return '{}';
    const blueprint = req.privileged?.blueprint;
    const { answer, wrong = [], raw = false } = oracle({ task, name: sub.name, input: sub.input, ...(typeof blueprint === 'string' ? { blueprint } : {}) });
    const key = [episodeSeed(req), req.trial ?? 0, task.id, 'subtask', sub.name, createHash('sha256').update(JSON.stringify(sub.input ?? null)).digest('hex')];
    const chosen = p > 0 && wrong.length > 0 && draw(...key, 'err') < p ? pick(wrong, ...key, 'wrong') : answer;
    if (raw && typeof chosen === 'string') return chosen;
    // A reply-wording task (`say:<task>`) answered with a string gets that text itself; anything else is sent as JSON.
    return typeof chosen === 'string' && sub.name.startsWith('say:') ? chosen : JSON.stringify(chosen ?? null);
  };

  const model: ChatModel = {
    id: `sim:${p}`,
    simulated: true,
    async complete(req: ChatRequest): Promise<ChatResponse> {
      const task = req.privileged?.task as Task | undefined;
      if (task === undefined || !Array.isArray(task.actions)) {
        throw new Error('the simulated model needs the episode task as privileged context (it plays the agent and blueprint sub-tasks only)');
      }
      let text: string | null = null;
      const toolCalls: ToolCall[] = [];
      const sub = req.privileged?.subtask;
      const callId = `call_${requestHash(req)}`;
      if (sub !== undefined) {
        const answer = answerSubtask(req, task, sub);
        const forced = req.toolChoice;
        if (typeof forced === 'object') toolCalls.push({ id: callId, name: forced.name, rawArguments: answer, arguments: JSON.parse(answer) as unknown });
        else text = answer;
      } else {
        const native = (req.tools?.length ?? 0) > 0;
        const textMode = !native && (req.system ?? '').includes('Action:');
        const d = decideAgent(req, task, textMode);
        if (native) {
          if (d.kind === 'say') text = d.text;
          else {
            const raw = pyDumps(d.args);
            toolCalls.push({ id: callId, name: d.name, rawArguments: raw, arguments: JSON.parse(raw) as unknown });
          }
        } else {
          const action = d.kind === 'say' ? { name: 'respond', args: { content: d.text } as PyObject } : { name: d.name, args: d.args };
          const thought = d.kind === 'say' ? 'I should reply to the customer.' : d.thought;
          text = `Thought: ${thought}\nAction: ${pyDumps({ name: action.name, arguments: action.args })}`;
        }
      }
      await loadTokenizer();
      const input = countInput(req);
      const output = tokens(text ?? '') + toolCalls.reduce((n, tc) => n + tokens(tc.name) + tokens(tc.rawArguments) + 3, 0);
      const usage: Usage = { input, cacheRead: 0, cacheWrite: 0, output };
      const latencyMs = Math.round((latency.fixedMs + latency.perInputTokenMs * input + latency.perOutputTokenMs * output) * 1000) / 1000;
      if (latency.real) await sleep(latencyMs);
      return {
        text,
        toolCalls,
        finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
        usage,
        latencyMs,
        costUsd: 0,
        requestId: `sim-${requestHash(req)}`,
        retries: 0,
        retryWaitMs: 0,
        model: `sim:${p}`,
      };
    },
  };
  return model;
}

/**
 * Parses `sim` or `sim:<p>` into the error probability; undefined if not a sim spec.
 * @throws ConfigError for `sim:<p>` whose p is not a number from 0 to 1 (saying what is allowed).
 */
export function parseSimSpec(spec: string): number | undefined {
  if (spec === 'sim') return 0;
  if (!spec.startsWith('sim:')) return undefined;
  const text = spec.slice('sim:'.length);
  const p = /^[0-9]*\.?[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!(p >= 0 && p <= 1)) {
    throw new ConfigError(`model spec "${spec}": the simulated model's error probability must be a number from 0 to 1 (sim = sim:0, e.g. sim:0.05), got "${text}"`, {
      path: spec,
    });
  }
  return p;
}
