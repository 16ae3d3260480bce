/**
 * Stored trajectories to re-grade without any model call:
 * - JSONL, one object per line: `{"task": 12, "actions": [{"name", "kwargs"}, ...]}` in τ-bench's
 *   action format (`respond` with `kwargs.content` is a reply to the user); optional `trial`,
 *   `termination` (a termination reason) and `reward` (the reward recorded elsewhere, for comparison).
 *   `taubp verify --jsonl` output has this shape, so it can be fed back.
 * - τ-bench result files: a JSON array of `EnvRunResult {task_id, reward, info, traj, trial}` from
 *   the tool-calling agent; each assistant message becomes its FIRST tool call (the reference
 *   executes only that one) or, without tool calls, a reply.
 */
import { DataError } from '../../core/errors.js';
import { parsePyJson } from '../../core/py/py-json.js';
import { isPyObject, type PyObject, type PyValue } from '../../core/py/py-value.js';
import { readTextFile } from '../../core/utf8.js';
import { RESPOND, type Action } from '../environment.js';

/** One trajectory to re-grade. */
export interface GivenTrajectory {
  /** Task index (number) or τ² task id (string). */
  task: number | string;
  actions: Action[];
  trial?: number;
  /** How the episode ended, when the file says; otherwise inferred at grading time. */
  termination?: string;
  /** Reward the file recorded (τ-bench's own, or a previous verify), for comparison. */
  referenceReward?: number | null;
  /** Where it came from: `file:line` or `file#[i]`. */
  origin: string;
}

function fail(where: string, message: string): never {
  throw new DataError(`${where}: ${message}`, { code: 'data_invalid', path: where });
}

function taskRef(v: PyValue | undefined, where: string): number | string {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && v !== '') return v;
  return fail(where, 'expected "task" (a task index or τ² id)');
}

function actionsFrom(v: PyValue | undefined, where: string): Action[] {
  if (!Array.isArray(v)) return fail(`${where}.actions`, 'expected a list of actions');
  return v.map((a, i) => {
    if (!isPyObject(a) || typeof a.name !== 'string') return fail(`${where}.actions[${i}]`, 'expected {"name": string, "kwargs": object}');
    const kwargs = a.kwargs ?? {};
    if (!isPyObject(kwargs)) return fail(`${where}.actions[${i}].kwargs`, 'expected an object');
    if (a.name === RESPOND && typeof kwargs.content !== 'string') return fail(`${where}.actions[${i}].kwargs.content`, 'a respond action needs a string content');
    return { name: a.name, kwargs };
  });
}

function numberOrNull(v: PyValue | undefined): number | null | undefined {
  if (v === null) return null;
  if (v === undefined) return undefined;
  const n = Number(v.valueOf());
  return typeof v === 'boolean' || typeof v === 'string' || Number.isNaN(n) ? undefined : n;
}

/** Converts a τ-bench `traj` (OpenAI-style messages) into actions. */
export function actionsFromTaubenchTraj(traj: PyValue, where: string): { actions: Action[]; badArguments: boolean } {
  if (!Array.isArray(traj)) return fail(`${where}.traj`, 'expected a list of messages');
  const actions: Action[] = [];
  let badArguments = false;
  traj.forEach((m, i) => {
    if (!isPyObject(m) || m.role !== 'assistant') return;
    const calls = m.tool_calls;
    if (Array.isArray(calls) && calls.length > 0) {
      const call = calls[0];
      const fn = isPyObject(call) ? call.function : undefined;
      if (!isPyObject(fn) || typeof fn.name !== 'string') return fail(`${where}.traj[${i}].tool_calls[0]`, 'expected {"function": {"name", "arguments"}}');
      let kwargs: PyValue = {};
      if (typeof fn.arguments === 'string') {
        try {
          kwargs = fn.arguments.trim() === '' ? {} : parsePyJson(fn.arguments);
        } catch {
          badArguments = true;
          kwargs = {};
        }
      } else if (isPyObject(fn.arguments)) kwargs = fn.arguments;
      if (!isPyObject(kwargs)) badArguments = true;
      actions.push({ name: fn.name, kwargs: isPyObject(kwargs) ? kwargs : {} });
      return;
    }
    actions.push({ name: RESPOND, kwargs: { content: typeof m.content === 'string' ? m.content : '' } });
  });
  return { actions, badArguments };
}

/** One τ-bench `EnvRunResult`. */
function fromRunResult(r: PyObject, where: string): GivenTrajectory {
  const { actions, badArguments } = actionsFromTaubenchTraj(r.traj ?? null, where);
  const info = isPyObject(r.info) ? r.info : {};
  const out: GivenTrajectory = { task: taskRef(r.task_id, `${where}.task_id`), actions, origin: where };
  if (typeof r.trial === 'number') out.trial = r.trial;
  const reward = numberOrNull(r.reward);
  if (reward !== undefined) out.referenceReward = reward;
  // An exception in the reference run, unparsable arguments, or no reward info (the step cap) end improperly.
  if (info.error !== undefined || badArguments) out.termination = 'agent_error';
  else if (info.reward_info === undefined || info.reward_info === null) out.termination = 'max_steps';
  return out;
}

function fromLine(v: PyValue, where: string): GivenTrajectory {
  if (!isPyObject(v)) return fail(where, 'expected a JSON object');
  if (v.traj !== undefined) return fromRunResult(v, where);
  const out: GivenTrajectory = { task: taskRef(v.task ?? v.task_id, `${where}.task`), actions: actionsFrom(v.actions, where), origin: where };
  if (typeof v.trial === 'number') out.trial = v.trial;
  // `taubp verify --jsonl` lines carry it in reward_info.termination.
  const info = isPyObject(v.reward_info) ? v.reward_info : {};
  const term = v.termination ?? info.termination;
  if (typeof term === 'string') out.termination = term;
  else if (isPyObject(term) && typeof term.reason === 'string') out.termination = term.reason;
  const reward = numberOrNull(v.reward);
  if (reward !== undefined) out.referenceReward = reward;
  return out;
}

/** Parses trajectories from text (JSONL, or a JSON array of τ-bench results / trajectory objects). */
export function parseTrajectories(text: string, file = '<trajectories>'): GivenTrajectory[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    const arr = parsePyJson(text, file);
    if (!Array.isArray(arr)) return fail(file, 'expected a JSON array');
    return arr.map((r, i) => fromLine(r, `${file}#[${i}]`));
  }
  const out: GivenTrajectory[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    out.push(fromLine(parsePyJson(line, `${file}:${i + 1}`), `${file}:${i + 1}`));
  });
  return out;
}

/** Reads a trajectory file (see {@link parseTrajectories}). */
export function readTrajectories(file: string): GivenTrajectory[] {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read ${file}: ${(e as Error).message}`, { code: 'data_not_found', path: file, cause: e });
  }
  return parseTrajectories(text, file);
}
