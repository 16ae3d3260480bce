/**
 * Scoring whole trajectories without a model: the gold trajectory of a task (what `taubp verify`
 * and `npm run bench:env` check), or a stored one (re-grading), plus the JSON line verify prints.
 */
import { pyDumps } from '../../core/py/py-json.js';
import { fromPlain, pyObject, type PyValue } from '../../core/py/py-value.js';
import type { Task } from '../../core/task.js';
import { Environment, type Action, type LoggedAction } from '../environment.js';
import { applyInitialState, playGoldTrajectory, rulesFor } from './gold.js';
import { computeReward, type RewardContext } from './score.js';
import type { EpisodeTermination, RewardInfo } from './types.js';

/** A scored trajectory. */
export interface VerifiedTrajectory {
  task: Task;
  /** The environment after the trajectory: its database and action log with observations. */
  env: Environment;
  termination: EpisodeTermination;
  info: RewardInfo;
}

/** Plays a task's gold trajectory on a fresh database and scores it. */
export async function verifyGold(task: Task, ctx: RewardContext): Promise<VerifiedTrajectory> {
  const { env, termination } = playGoldTrajectory(task, ctx.base, ctx.registry, rulesFor(task));
  const info = await computeReward({ task, state: env, termination }, ctx);
  return { task, env, termination, info };
}

/**
 * Replays given actions on a fresh database and scores them. Under v1 rules a terminate tool
 * (`transfer_to_human_agents`) ends the episode: later actions never happened and are not
 * replayed. Without an explicit termination the episode is taken to have ended properly: by that
 * transfer, else by the user.
 */
export async function regrade(task: Task, actions: readonly Action[], ctx: RewardContext, termination?: string): Promise<VerifiedTrajectory> {
  const env = new Environment({ registry: ctx.registry, base: ctx.base, now: () => 0 });
  const v1 = rulesFor(task) === 'tau-v1';
  if (!v1) applyInitialState(env, task);
  let transferred = false;
  for (const a of actions) {
    if (env.step(a).done && v1) {
      transferred = true;
      break;
    }
  }
  const reason = termination ?? (transferred ? 'transfer' : 'user_stop');
  const term: EpisodeTermination = { reason };
  const info = await computeReward({ task, state: env, termination: term }, ctx);
  return { task, env, termination: term, info };
}

/** The `actions` of a verify line: every logged action with its observation. */
export function loggedActionsValue(actions: readonly LoggedAction[]): PyValue {
  return actions.map((a) => pyObject([['name', a.name], ['kwargs', a.kwargs], ['output', a.observation]]));
}

/** Extra keys of a verify line. */
export interface VerifyLineExtras {
  trial?: number;
  referenceReward?: number | null;
}

/**
 * One JSON line per task, in Python `json.dumps` form (so kwargs floats keep `.0`):
 * `{"task": 0, "reward": 1, "db_jcs_sha256": "...", "actions": [{"name", "kwargs", "output"}], ...}`
 * followed by `id` (τ² tasks), `trial`, `reference_reward` when given, and `reward_info`.
 */
export function verifyJsonLine(v: VerifiedTrajectory, extras: VerifyLineExtras = {}): string {
  const entries: Array<[string, PyValue]> = [
    ['task', v.task.index],
    ['reward', v.info.reward],
    ['db_jcs_sha256', v.env.db.jcsSha256()],
    ['actions', loggedActionsValue(v.env.actions)],
  ];
  if (v.task.format === 'tau2') entries.push(['id', v.task.id]);
  if (extras.trial !== undefined) entries.push(['trial', extras.trial]);
  if (extras.referenceReward !== undefined) entries.push(['reference_reward', extras.referenceReward]);
  entries.push(['reward_info', fromPlain(v.info)]);
  return pyDumps(pyObject(entries));
}
