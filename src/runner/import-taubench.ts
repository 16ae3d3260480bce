/**
 * τ-bench v1 results files (what its `run.py` writes, and the format of
 * `historical_trajectories/*.json`): a JSON array of `{task_id, reward, info, traj, trial}`. The
 * actions to replay, the ending and the file's reward come from `readTrajectories`' parser
 * (`src/env/reward/trajectory-file.ts`, shared with `taubp verify --actions`); this module adds the
 * conversation as trajectory events and what the file name says about the run.
 */
import { basename } from 'node:path';
import { DataError } from '../core/errors.js';
import { parsePyJson } from '../core/py/py-json.js';
import { isPyObject } from '../core/py/py-value.js';
import { RESPOND, type Action } from '../env/environment.js';
import { parseTrajectories } from '../env/reward/trajectory-file.js';
import type { PublishedEpisode, PublishedRun, PublishedRunInfo } from './import-published.js';
import type { TrajectoryEvent } from '../contract/record.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** τ-bench's agent strategies (`run.py --agent-strategy`). */
const STRATEGIES = ['tool-calling', 'act', 'react', 'few-shot'];

/** A model name with the provider this harness would use for it, when the name makes it plain. */
export function modelSpecOf(model: string): string {
  if (model.includes(':')) return model;
  if (/^(gpt-|o\d|chatgpt-)/.test(model)) return `openai:${model}`;
  if (model.startsWith('claude')) return `anthropic:${model}`;
  return model;
}

/**
 * What a results file's name says: `run.py`'s
 * `<strategy>-<model>-<temperature>_range_<start>-<end>_user-<user model>-<user strategy>_<time>.json`,
 * or `historical_trajectories`' `<model>-<domain>.json` (τ-bench's own tool-calling runs).
 */
export function infoFromFileName(file: string, domain: string): Partial<PublishedRunInfo> {
  const name = basename(file);
  const strategies = STRATEGIES.map((s) => s.replace(/-/g, '\\-')).join('|');
  const run = new RegExp(`^(${strategies})-(.+)-(\\d+(?:\\.\\d+)?)_range_-?\\d+--?\\d+_user-(.+)-(llm|react|verify|reflection|human)_.+\\.json$`).exec(name);
  if (run !== null) {
    return { agent: run[1] as string, model: modelSpecOf(run[2] as string), temperature: Number(run[3]), userModel: modelSpecOf(run[4] as string) };
  }
  const historical = new RegExp(`^(.+)-${domain}\\.json$`).exec(name);
  if (historical !== null) return { agent: 'tool-calling', model: modelSpecOf(historical[1] as string) };
  return {};
}

function text(v: Json | undefined): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);
}

/**
 * The conversation of a τ-bench `traj` as trajectory events: user messages, agent replies, and each
 * assistant tool call (the first of a message: the only one τ-bench executes) with the observation
 * of the tool message that follows it. The system prompt is left out.
 */
export function eventsFromTaubenchTraj(traj: Json | undefined): { events: TrajectoryEvent[]; turns: number; toolCalls: number } {
  const events: TrajectoryEvent[] = [];
  let turns = 0;
  let toolCalls = 0;
  const messages = Array.isArray(traj) ? traj : [];
  let pending: Extract<TrajectoryEvent, { type: 'tool' }> | undefined;
  for (const m of messages) {
    if (!isObject(m)) continue;
    if (m.role === 'tool') {
      if (pending !== undefined) {
        pending.observation = text(m.content);
        pending.error = /^(Error|Unknown action)/.test(pending.observation);
        pending = undefined;
      }
      continue;
    }
    if (m.role === 'user') events.push({ type: 'message', from: 'user', text: text(m.content), at: 0 });
    if (m.role !== 'assistant') continue;
    const calls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
    const first = calls[0];
    if (isObject(first)) {
      const fn = isObject(first.function) ? first.function : {};
      pending = { type: 'tool', name: text(fn.name), arguments: text(fn.arguments), observation: '', error: false, at: 0 };
      if (typeof first.id === 'string') pending.id = first.id;
      events.push(pending);
      if (calls.length > 1) events.push({ type: 'note', kind: 'ignored_tool_calls', data: calls.length - 1, at: 0 });
      toolCalls++;
    } else {
      events.push({ type: 'message', from: 'agent', text: text(m.content), at: 0 });
      turns++;
    }
  }
  return { events, turns, toolCalls };
}

/** τ-bench strategies whose actions are text (`Action: {"name", "arguments"}` in the assistant message). */
export const TEXT_ACTION_STRATEGIES: readonly string[] = ['act', 'react'];

/**
 * The actions and conversation of a τ-bench `act`/`react` `traj`, as its chat ReAct agent reads
 * them: the JSON after the last `Action:` of each assistant message is `{"name", "arguments"}`
 * (text that does not parse is a reply to the user, as τ-bench does); the user message that
 * follows is the observation (`API output: …` after a tool call) or the user's answer.
 */
export function fromTextActionTraj(traj: Json | undefined, where: string): { actions: Action[]; events: TrajectoryEvent[]; turns: number; toolCalls: number } {
  const actions: Action[] = [];
  const events: TrajectoryEvent[] = [];
  let turns = 0;
  let toolCalls = 0;
  let pending: Extract<TrajectoryEvent, { type: 'tool' }> | undefined;
  const messages = Array.isArray(traj) ? traj : [];
  messages.forEach((m, i) => {
    if (!isObject(m)) return;
    if (m.role === 'user') {
      const content = text(m.content);
      if (pending !== undefined) {
        pending.observation = content.replace(/^API output: /, '');
        pending.error = /^(Error|Unknown action)/.test(pending.observation);
        pending = undefined;
      } else events.push({ type: 'message', from: 'user', text: content, at: 0 });
      return;
    }
    if (m.role !== 'assistant') return;
    const actionText = text(m.content).split('Action:').at(-1)?.trim() ?? '';
    let parsed: unknown;
    try {
      parsed = parsePyJson(actionText, `${where}.traj[${i}]`);
    } catch {
      parsed = undefined;
    }
    if (isPyObject(parsed) && typeof parsed.name === 'string' && isPyObject(parsed.arguments) && parsed.name !== RESPOND) {
      actions.push({ name: parsed.name, kwargs: parsed.arguments });
      pending = { type: 'tool', name: parsed.name, arguments: actionText, observation: '', error: false, at: 0 };
      events.push(pending);
      toolCalls++;
      return;
    }
    const content = isPyObject(parsed) && parsed.name === RESPOND && isPyObject(parsed.arguments) && typeof parsed.arguments.content === 'string' ? parsed.arguments.content : actionText;
    actions.push({ name: RESPOND, kwargs: { content } });
    events.push({ type: 'message', from: 'agent', text: content, at: 0 });
    turns++;
  });
  return { actions, events, turns, toolCalls };
}

/**
 * Parses a τ-bench v1 results file. Each entry's trial is its `trial` field, or else its occurrence
 * number among the entries of the same task.
 * @throws DataError naming the entry when the file is not such a list.
 */
export function parseTaubenchResults(content: string, file: string, domain: string, strategy?: string): PublishedRun {
  const info: PublishedRunInfo = { format: 'tau-bench-v1', ...infoFromFileName(file, domain) };
  if (strategy !== undefined) info.agent = strategy;
  const textActions = info.agent !== undefined && TEXT_ACTION_STRATEGIES.includes(info.agent);
  let raw: Json;
  try {
    raw = JSON.parse(content) as Json;
  } catch (e) {
    throw new DataError(`${file}: not valid JSON (${(e as Error).message})`, { code: 'data_invalid', path: file });
  }
  if (!Array.isArray(raw)) throw new DataError(`${file}: expected a JSON array of τ-bench results ({task_id, reward, info, traj, trial})`, { code: 'data_invalid', path: file });
  raw.forEach((r, i) => {
    if (!isObject(r) || r.traj === undefined || r.task_id === undefined) {
      throw new DataError(`${file}#[${i}]: not a τ-bench result (needs task_id and traj)`, { code: 'data_invalid', path: `${file}#[${i}]` });
    }
  });
  const givens = parseTrajectories(content, file);
  const seen = new Map<string, number>();
  const episodes = givens.map((given, i): PublishedEpisode => {
    const r = raw[i] as { [key: string]: Json };
    const key = String(given.task);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    if (given.trial === undefined) given.trial = occurrence;
    let conversation: { events: TrajectoryEvent[]; turns: number; toolCalls: number };
    if (textActions) {
      // The shared parser reads tool-calling messages; text actions replace its (reply-only) actions.
      const t = fromTextActionTraj(r.traj, given.origin);
      given.actions = t.actions;
      conversation = t;
    } else conversation = eventsFromTaubenchTraj(r.traj);
    const { events, turns, toolCalls } = conversation;
    const entryInfo = isObject(r.info) ? r.info : {};
    const out: PublishedEpisode = { given, trajectory: events, turns, toolCalls, calls: [], startedAt: 0, durationMs: 0 };
    if (entryInfo.error !== undefined) out.terminationMessage = `error in the published run: ${text(entryInfo.error)}`;
    else if (given.termination === 'max_steps') out.terminationMessage = 'no reward_info in the published run (the step cap ended it)';
    else if (given.termination === 'agent_error') out.terminationMessage = 'unparsable tool arguments in the published run';
    return out;
  });
  return { info, episodes };
}
