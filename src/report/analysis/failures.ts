/**
 * Deterministic failure classification: every episode that did not succeed gets one category,
 * read from its trajectory against the task's gold actions and required outputs (in the spirit
 * of τ-bench's `auto_error_identification.py`, without an LLM). The first matching rule wins:
 *
 * 1. `infrastructure_error`: a model call failed after retries, or the user simulator failed
 *    (excluded from pass^k);
 * 2. `unscored`: the episode has no reward (e.g. NL assertions without a judge; excluded);
 * 3. `agent_error`: the agent failed (unrecoverable output, exception);
 * 4. `wrong_arguments`: a gold write was called with other arguments (and never with the gold ones);
 * 5. `wrong_tool`: a gold write was never called while another write was made instead;
 * 6. `extra_write`: every gold write was made, plus a write the gold actions do not have
 *    (a forbidden or duplicated change);
 * 7. `step_cap`: the agent reached the step cap;
 * 8. `transfer`: the agent transferred to a human and the gold actions do not;
 * 9. `user_stopped_early`: the user ended the conversation while the agent's last message asked
 *    them something (it ends with `?`) and gold writes were still missing;
 * 10. `missing_write`: a gold write was never called (and no other write was made);
 * 11. `missing_output`: the writes match but a required output (v1 `outputs`, τ² `communicate_info`)
 *    appears in no agent message (τ-bench's check: case-insensitive, commas removed);
 * 12. `other`: none of the above (the writes and outputs match the gold: order, reads, NL assertions).
 *
 * Without the task (the run's data could not be loaded) only 1–3 and 7 can be told; the rest are
 * `unclassified`. Writes are tools of kind `write` in the domain's registry (`isWrite`).
 */
import { stableJson } from '../../core/stable-json.js';
import { toJsonValue } from '../../blueprint/audit.js';
import type { GoldAction, Task } from '../../core/task.js';
import { isSuccess } from '../../metrics/pass-k.js';
import type { EpisodeRecord } from '../../contract/record.js';

/** Every failure category, in rule order (see the module comment). */
export const FAILURE_CATEGORIES = [
  'infrastructure_error',
  'unscored',
  'agent_error',
  'wrong_arguments',
  'wrong_tool',
  'extra_write',
  'step_cap',
  'transfer',
  'user_stopped_early',
  'missing_write',
  'missing_output',
  'other',
  'unclassified',
] as const;

/** A failure category. */
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

/** Short human labels of the categories (table headers, the page's legend). */
export const FAILURE_LABELS: Record<FailureCategory, string> = {
  infrastructure_error: 'infrastructure error',
  unscored: 'unscored',
  agent_error: 'agent error',
  wrong_arguments: 'wrong arguments on a write',
  wrong_tool: 'wrong tool',
  extra_write: 'extra or forbidden write',
  step_cap: 'step cap',
  transfer: 'transfer',
  user_stopped_early: 'user stopped early',
  missing_write: 'missing write',
  missing_output: 'missing required output',
  other: 'other',
  unclassified: 'unclassified (no gold data)',
};

/** Categories of episodes left out of pass^k (shown, but not failures of the agent). */
export const EXCLUDED_CATEGORIES: readonly FailureCategory[] = ['infrastructure_error', 'unscored'];

/** The category of one episode and the evidence for it. */
export interface EpisodeFailure {
  taskId: string;
  trial: number;
  category: FailureCategory;
  /** One line: which gold action, call or output, or the termination message. */
  detail: string;
}

/** What the classifier needs of an episode record. */
export type ClassifiableEpisode = Pick<EpisodeRecord, 'taskId' | 'trial' | 'reward' | 'success' | 'termination' | 'trajectory'>;

/** What the classifier needs of a task. */
export type GoldTask = Pick<Task, 'actions' | 'outputs'> & { evaluation?: Pick<NonNullable<Task['evaluation']>, 'communicateInfo'> | undefined };

/** Options of {@link classifyEpisode}. */
export interface ClassifyOptions {
  /** True for tools that change the database. */
  isWrite: (tool: string) => boolean;
  /** True for the tool that hands the customer to a human. Default: `transfer_to_human_agents`. */
  isTransfer?: (tool: string) => boolean;
}

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Gold arguments against a call's: all keys, or only `compareArgs` when the (τ²) action lists them. */
export function sameArguments(gold: Pick<GoldAction, 'kwargs' | 'compareArgs'>, callArgs: unknown): boolean {
  const kwargs = toJsonValue(gold.kwargs);
  if (typeof callArgs !== 'object' || callArgs === null || Array.isArray(callArgs) || typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs)) {
    return stableJson(kwargs) === stableJson(callArgs);
  }
  const keys = Array.isArray(gold.compareArgs) ? gold.compareArgs : [...new Set([...Object.keys(kwargs), ...Object.keys(callArgs)])];
  return keys.every((k) => stableJson((kwargs as Record<string, unknown>)[k] ?? null) === stableJson((callArgs as Record<string, unknown>)[k] ?? null));
}

/** τ-bench's output check: the output, lower-cased, within an agent message lower-cased with commas removed. */
export function outputFound(output: string, agentMessages: readonly string[]): boolean {
  const o = output.toLowerCase();
  return agentMessages.some((m) => m.toLowerCase().replace(/,/g, '').includes(o));
}

const short = (text: string, max = 160): string => (text.length <= max ? text : `${text.slice(0, max)}…`);

/**
 * The category of an episode that did not succeed (see the module comment), or null for a
 * success. `task` undefined: the gold data are unavailable.
 */
export function classifyEpisode(e: ClassifiableEpisode, task: GoldTask | undefined, options: ClassifyOptions): EpisodeFailure | null {
  const reason = e.termination.reason;
  const message = e.termination.message ?? '';
  const out = (category: FailureCategory, detail: string): EpisodeFailure => ({ taskId: e.taskId, trial: e.trial, category, detail: short(detail) });
  if (reason === 'infrastructure_error') return out('infrastructure_error', message || 'a model call failed after retries');
  if (reason === 'user_error') return out('infrastructure_error', `user simulator failed${message === '' ? '' : `: ${message}`}`);
  if (reason === 'interrupted') return out('infrastructure_error', 'interrupted before the episode finished');
  if (e.reward === null) return out('unscored', message || 'no reward (e.g. NL assertions without a judge)');
  if (e.success || isSuccess(e.reward)) return null;
  if (reason === 'agent_error') return out('agent_error', message || 'the agent failed');
  if (task === undefined) {
    if (reason === 'max_steps') return out('step_cap', message || 'step cap reached');
    return out('unclassified', `gold data unavailable (ended by ${reason})`);
  }

  const isTransfer = options.isTransfer ?? ((t: string) => t === 'transfer_to_human_agents');
  const calls = e.trajectory.flatMap((t) => (t.type === 'tool' ? [{ name: t.name, args: parseArgs(t.arguments), raw: t.arguments, error: t.error }] : []));
  const writes = calls.map((c, i) => ({ ...c, i })).filter((c) => options.isWrite(c.name));
  const gold = task.actions.filter((a) => a.requestor !== 'user' && options.isWrite(a.name));
  const used = new Set<number>();
  const status = gold.map((g) => {
    const hit = writes.find((c) => !used.has(c.i) && c.name === g.name && sameArguments(g, c.args));
    if (hit !== undefined) used.add(hit.i);
    return hit === undefined ? null : hit.i;
  });
  const differ: Array<{ gold: GoldAction; call: (typeof writes)[number] }> = [];
  const missing: GoldAction[] = [];
  gold.forEach((g, gi) => {
    if (status[gi] !== null) return;
    const call = writes.find((c) => !used.has(c.i) && c.name === g.name);
    if (call !== undefined) {
      used.add(call.i);
      differ.push({ gold: g, call });
    } else missing.push(g);
  });
  // Writes that failed (error observation) changed nothing; an extra one is not a change.
  const extra = writes.filter((c) => !used.has(c.i) && !c.error);
  const firstDiffer = differ[0];
  if (firstDiffer !== undefined) {
    return out('wrong_arguments', `${firstDiffer.gold.name}: called with ${firstDiffer.call.raw}, gold ${stableJson(toJsonValue(firstDiffer.gold.kwargs))}`);
  }
  const firstMissing = missing[0];
  const firstExtra = extra[0];
  if (firstMissing !== undefined && firstExtra !== undefined) return out('wrong_tool', `called ${firstExtra.name} where the gold calls ${firstMissing.name}`);
  if (firstExtra !== undefined) return out('extra_write', `${firstExtra.name} ${firstExtra.raw} is not among the gold actions`);
  if (reason === 'max_steps') return out('step_cap', message || 'step cap reached');
  const goldTransfers = task.actions.some((a) => isTransfer(a.name));
  const transferred = reason === 'transfer' || calls.some((c) => isTransfer(c.name));
  if (transferred && !goldTransfers) return out('transfer', `transferred to a human${missing.length > 0 ? ` with ${missing.length} gold write(s) not made` : ''}`);
  if (firstMissing !== undefined) {
    const lastAgent = [...e.trajectory].reverse().find((t) => t.type === 'tool' || (t.type === 'message' && t.from === 'agent'));
    const asked = lastAgent?.type === 'message' && lastAgent.text.trim().endsWith('?');
    if ((reason === 'user_stop' || reason === 'out_of_scope') && asked) return out('user_stopped_early', `the user ended the conversation after the agent asked a question; gold ${firstMissing.name} not made`);
    return out('missing_write', `gold ${firstMissing.name} ${stableJson(toJsonValue(firstMissing.kwargs))} was never called`);
  }
  const required = [...task.outputs, ...(task.evaluation?.communicateInfo ?? [])];
  const said = e.trajectory.flatMap((t) => (t.type === 'message' && t.from === 'agent' ? [t.text] : []));
  const absent = required.find((o) => !outputFound(o, said));
  if (absent !== undefined) return out('missing_output', `required output "${absent}" is in no agent message`);
  return out('other', 'writes and outputs match the gold actions (order, reads or other criteria)');
}
