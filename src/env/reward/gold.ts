/**
 * Gold replays: the database a task's gold actions produce (what rewards compare against), and
 * the full gold trajectory `taubp verify` and the environment benchmark score.
 */
import { DataError } from '../../core/errors.js';
import { clonePy } from '../../core/py/py-value.js';
import type { GoldAction, Task } from '../../core/task.js';
import type { BaseDb, DbState } from '../db-state.js';
import { Environment, RESPOND } from '../environment.js';
import type { ToolRegistry } from '../registry.js';
import type { EpisodeTermination, GoldError } from './types.js';

/** Which reference's reward rules (and gold replay rules) apply. */
export type RewardRules = 'tau-v1' | 'tau2';

/** The rules a task is scored by: τ² tasks by τ²'s, everything else by v1's. */
export function rulesFor(task: Task): RewardRules {
  return task.format === 'tau2' ? 'tau2' : 'tau-v1';
}

/** The result of replaying a task's gold actions on a fresh database. */
export interface GoldState {
  db: DbState;
  /** Gold actions whose observation was an error (kept: the reference replays them the same way). */
  errors: GoldError[];
}

/**
 * Applies a τ² task's initial state to a fresh environment (initialization actions, run as tool
 * calls). Retail and airline tasks have none. Initialization data and message histories are not
 * supported: such a task is rejected rather than scored against the wrong state.
 */
export function applyInitialState(env: Environment, task: Task): void {
  if (task.meta?.initializationData !== undefined || task.meta?.messageHistory !== undefined) {
    throw new DataError(`task ${task.id}: τ² initialization_data / message_history are not supported`, { code: 'task_invalid', path: `task ${task.id}` });
  }
  for (const [i, a] of (task.initialActions ?? []).entries()) {
    const r = env.step({ name: a.name, kwargs: clonePy(a.kwargs) });
    if (r.error) {
      throw new DataError(`task ${task.id}: initialization action ${i} (${a.name}) failed: ${r.observation}`, { code: 'task_invalid', path: `task ${task.id}` });
    }
  }
}

/** True when a gold action is not executed by the reference's gold replay. */
function skippedInReplay(a: GoldAction, registry: ToolRegistry, rules: RewardRules): boolean {
  if (a.name === RESPOND) return true;
  // v1 `calculate_reward` skips terminate tools (transfer_to_human_agents).
  if (rules === 'tau-v1' && registry.get(a.name)?.terminate === true) return true;
  return false;
}

function goldError(index: number, a: GoldAction, observation: string, registry: ToolRegistry): GoldError {
  return { index, name: a.name, observation, write: registry.get(a.name)?.kind === 'write' };
}

/**
 * Replays the gold actions on a fresh database the way the reference's reward does.
 * v1: every gold action except terminate tools, errors included as observations.
 * τ²: initial state, then every gold action (reads too); errors are ignored; user-side actions
 * (`requestor: "user"`) need user tools, which retail and airline do not have, so they are
 * recorded as errors.
 */
export function replayGold(task: Task, base: BaseDb, registry: ToolRegistry, rules: RewardRules = rulesFor(task)): GoldState {
  const env = new Environment({ registry, base, now: () => 0 });
  if (rules === 'tau2') applyInitialState(env, task);
  const errors: GoldError[] = [];
  task.actions.forEach((a, i) => {
    if (skippedInReplay(a, registry, rules)) return;
    if (a.requestor === 'user') {
      errors.push(goldError(i, a, 'Error: user tools are not available in this domain', registry));
      return;
    }
    // Clone: a tool may store argument objects in the database (e.g. passengers).
    const r = env.step({ name: a.name, kwargs: clonePy(a.kwargs) });
    if (r.error) errors.push(goldError(i, a, r.observation, registry));
  });
  return { db: env.db, errors };
}

/**
 * Memoises gold states per (task, base, registry, rules). A gold state is never written after
 * it is built, so trials and concurrent episodes share it.
 */
export class GoldCache {
  readonly #cache = new WeakMap<Task, Array<{ base: BaseDb; registry: ToolRegistry; rules: RewardRules; state: GoldState }>>();

  get(task: Task, base: BaseDb, registry: ToolRegistry, rules: RewardRules = rulesFor(task)): GoldState {
    let list = this.#cache.get(task);
    const hit = list?.find((e) => e.base === base && e.registry === registry && e.rules === rules);
    if (hit !== undefined) return hit.state;
    const state = replayGold(task, base, registry, rules);
    if (list === undefined) {
      list = [];
      this.#cache.set(task, list);
    }
    list.push({ base, registry, rules, state });
    return state;
  }
}

/** The reply a gold trajectory ends with: it states the required outputs (v1) or `communicate_info` (τ²). */
export function goldReply(task: Task): string {
  const items = task.format === 'tau2' ? (task.evaluation?.communicateInfo ?? []) : task.outputs;
  if (items.length === 0) return 'Your request has been taken care of. Is there anything else I can help with?';
  return `Here is what you asked about:\n${items.map((o) => `- ${o}`).join('\n')}`;
}

/** A gold trajectory played on a fresh environment. */
export interface GoldTrajectory {
  env: Environment;
  termination: EpisodeTermination;
}

/**
 * Plays a task's gold actions as an agent would, then one reply stating the required outputs
 * (placed before a terminating transfer, which would end the episode), on a fresh environment.
 * Ends with `transfer` when a terminate tool was called under v1 rules, else `user_stop`.
 */
export function playGoldTrajectory(task: Task, base: BaseDb, registry: ToolRegistry, rules: RewardRules = rulesFor(task)): GoldTrajectory {
  const env = new Environment({ registry, base, now: () => 0 });
  if (rules === 'tau2') applyInitialState(env, task);
  let replied = false;
  let reason: EpisodeTermination['reason'] = 'user_stop';
  for (const a of task.actions) {
    if (a.name === RESPOND || a.requestor === 'user') continue;
    const terminates = registry.get(a.name)?.terminate === true;
    if (terminates && !replied) {
      env.respond(goldReply(task));
      replied = true;
    }
    env.step({ name: a.name, kwargs: clonePy(a.kwargs) });
    if (terminates && rules === 'tau-v1') {
      reason = 'transfer';
      break;
    }
  }
  if (!replied) env.respond(goldReply(task));
  return { env, termination: { reason } };
}
