/**
 * An episode record made small enough to embed in the report page: the conversation with tool
 * calls and observations (each text cut at a limit), a blueprint's node path and sub-task calls
 * (from its `blueprint` trajectory notes), and the diff of its tool calls against the task's gold
 * actions. All text stays text: the page escapes it when it shows it.
 */
import { stableJson } from '../../core/stable-json.js';
import { BLUEPRINT_NOTE, toJsonValue, type AuditEvent } from '../../blueprint/audit.js';
import type { GoldAction, Task } from '../../core/task.js';
import type { EpisodeRecord } from '../../contract/record.js';
import type { GoldDiff, GoldStatus, ViewerEpisode, ViewerEvent, ViewerSubtask } from './model.js';

/** Size limits of an embedded episode. */
export interface TrajectoryLimits {
  /** Characters kept of each message, argument list, observation or sub-task text. Default 4000. */
  maxText?: number;
  /** Conversation events kept per episode. Default 400. */
  maxEvents?: number;
  /** Blueprint sub-task calls kept per episode. Default 200. */
  maxSubtasks?: number;
}

const DEFAULT_LIMITS: Required<TrajectoryLimits> = { maxText: 4000, maxEvents: 400, maxSubtasks: 200 };

/** `text` cut to `max` characters with a marker saying how much was left out. */
export function clip(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  return { text: `${text.slice(0, max)}… [${text.length - max} more characters not shown]`, cut: true };
}

function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : stableJson(value);
}

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function argsEqual(gold: GoldAction, callArgs: unknown): boolean {
  const kwargs = toJsonValue(gold.kwargs);
  if (typeof callArgs !== 'object' || callArgs === null || Array.isArray(callArgs) || typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs)) {
    return stableJson(kwargs) === stableJson(callArgs);
  }
  const keys = Array.isArray(gold.compareArgs) ? gold.compareArgs : [...new Set([...Object.keys(kwargs), ...Object.keys(callArgs)])];
  return keys.every((k) => stableJson((kwargs as Record<string, unknown>)[k] ?? null) === stableJson((callArgs as Record<string, unknown>)[k] ?? null));
}

/**
 * Diffs tool calls against gold actions: each gold action (in order) takes the first unused call
 * with its name and equal arguments (only `compareArgs` when the task lists them) → `matched`;
 * then each unmatched one takes the first unused call with its name → `arguments differ`; else
 * `missing`. Calls left over are `extra` (not in the gold actions: reads, or wrong writes).
 * τ² actions requested of the user are left out (the agent does not make them).
 */
export function diffGold(task: Pick<Task, 'actions' | 'outputs'>, calls: ReadonlyArray<{ name: string; arguments: string }>, outputsFound?: Readonly<Record<string, boolean>>): GoldDiff {
  const gold = task.actions.filter((a) => a.requestor !== 'user');
  const parsed = calls.map((c) => parseArgs(c.arguments));
  const used = new Set<number>();
  const assigned: Array<{ status: GoldStatus; call: number | null }> = gold.map(() => ({ status: 'missing', call: null }));
  gold.forEach((g, gi) => {
    const i = calls.findIndex((c, ci) => !used.has(ci) && c.name === g.name && argsEqual(g, parsed[ci]));
    if (i >= 0) {
      used.add(i);
      assigned[gi] = { status: 'matched', call: i };
    }
  });
  gold.forEach((g, gi) => {
    if (assigned[gi]?.status !== 'missing') return;
    const i = calls.findIndex((c, ci) => !used.has(ci) && c.name === g.name);
    if (i >= 0) {
      used.add(i);
      assigned[gi] = { status: 'arguments differ', call: i };
    }
  });
  return {
    actions: gold.map((g, gi) => ({ name: g.name, kwargs: stableJson(toJsonValue(g.kwargs)), status: assigned[gi]?.status ?? 'missing', call: assigned[gi]?.call ?? null })),
    extra: calls.map((_, i) => i).filter((i) => !used.has(i)),
    outputs: task.outputs.map((text) => ({ text, found: outputsFound === undefined ? null : (outputsFound[text] ?? null) })),
  };
}

function outputsOf(rewardInfo: unknown): Record<string, boolean> | undefined {
  const o = (rewardInfo as { outputs?: unknown } | null | undefined)?.outputs;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  const out: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'boolean') out[k] = v;
  return out;
}

/**
 * The viewer's form of an episode record. `task` is its task (for the gold diff), or undefined
 * when the run's tasks could not be loaded (`gold` is then null).
 */
export function viewerEpisode(record: EpisodeRecord, run: number, task: Task | undefined, limits: TrajectoryLimits = {}): ViewerEpisode {
  const { maxText, maxEvents, maxSubtasks } = { ...DEFAULT_LIMITS, ...limits };
  let truncated = false;
  const cut = (s: string): string => {
    const c = clip(s, maxText);
    if (c.cut) truncated = true;
    return c.text;
  };
  const events: ViewerEvent[] = [];
  const calls: Array<{ name: string; arguments: string }> = [];
  const nodePath: Array<{ node: string; kind: string; count: number }> = [];
  const subtasks: ViewerSubtask[] = [];
  let blueprint = false;
  let node: string | undefined;
  const push = (e: ViewerEvent): void => {
    if (events.length < maxEvents) events.push(e);
    else truncated = true;
  };
  for (const e of record.trajectory) {
    if (e.type === 'message') push({ type: 'message', from: e.from, text: cut(e.text), ...(node === undefined ? {} : { node }) });
    else if (e.type === 'tool') {
      calls.push({ name: e.name, arguments: e.arguments });
      push({ type: 'tool', name: e.name, arguments: cut(e.arguments), observation: cut(e.observation), error: e.error, ...(node === undefined ? {} : { node }) });
    } else if (e.kind === BLUEPRINT_NOTE && typeof e.data === 'object' && e.data !== null) {
      blueprint = true;
      const a = e.data as AuditEvent;
      if (a.type === 'node_entered') {
        node = a.node;
        const last = nodePath[nodePath.length - 1];
        if (last !== undefined && last.node === a.node) last.count++;
        else nodePath.push({ node: a.node, kind: a.kind, count: 1 });
      } else if (a.type === 'llm_request') {
        if (subtasks.length < maxSubtasks) subtasks.push({ node: a.node, task: a.task, attempt: a.attempt, input: cut(jsonText(a.input)), answer: null, error: null });
        else truncated = true;
      } else if (a.type === 'llm_response' || a.type === 'llm_error') {
        const s = [...subtasks].reverse().find((x) => x.node === a.node && x.attempt === a.attempt && x.answer === null && x.error === null);
        if (s !== undefined) {
          if (a.type === 'llm_response') s.answer = cut(a.answer === null ? (a.text ?? '') : jsonText(a.answer));
          else s.error = cut(a.error);
        }
      } else if (a.type === 'validation_failed' || a.type === 'node_failed' || a.type === 'fallback' || a.type === 'error') {
        push({ type: 'note', kind: `blueprint ${a.type}`, text: cut(`${a.node ?? ''}: ${a.error}`) });
      }
    } else push({ type: 'note', kind: e.kind, text: cut(jsonText(e.data)) });
  }
  const termination = record.termination.message === undefined ? record.termination.reason : `${record.termination.reason}: ${record.termination.message}`;
  return {
    run,
    taskId: record.taskId,
    trial: record.trial,
    reward: record.reward,
    success: record.success,
    termination: cut(termination),
    events,
    ...(blueprint ? { nodePath, subtasks } : {}),
    gold: task === undefined ? null : diffGold(task, calls, outputsOf(record.rewardInfo)),
    truncated,
  };
}
