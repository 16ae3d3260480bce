/**
 * τ² reward (`src/tau2/evaluator/`): the product over the task's `reward_basis` of
 * - DB: the agent's final database equals the gold database (fresh database + initial state +
 *   every gold action, errors ignored). τ² rebuilds the agent's database by replaying the
 *   trajectory's write calls on a fresh environment; this port compares the episode's own final
 *   database directly, which is the same thing because tools are deterministic and read tools do
 *   not write. Numbers compare by value (`250` = `250.0`), as τ²'s typed pydantic models coerce
 *   them before hashing.
 * - ACTION: every gold action is matched by some tool call (name, and the `compare_args` keys, or
 *   when absent every key of the call; Python `==` on the values).
 * - COMMUNICATE: every `communicate_info` string is in some reply (lower-cased, commas removed).
 * - ENV_ASSERTION: every env assertion holds on the agent's database (through a runner).
 * - NL_ASSERTION: a {@link Judge} says every assertion is met.
 * A gating component that cannot be evaluated (no judge, no env-assertion runner) makes the
 * episode unscored (reward null), never passed. Improper endings score 0.
 */
import type { PyObject, PyValue } from '../../core/py/py-value.js';
import type { GoldAction, Task } from '../../core/task.js';
import { RESPOND, type Action } from '../environment.js';
import { GoldCache } from './gold.js';
import { normalizeArg, pyEqual } from './py-equal.js';
import { PROPER_ENDINGS, type EnvAssertionRunner, type Episode, type Judge, type RewardInfo, type TranscriptMessage } from './types.js';
import { outputFound, repliesOf, type V1ScoreContext } from './v1.js';

/** What the τ² reward needs besides the episode. */
export interface Tau2ScoreContext extends V1ScoreContext {
  /** Judge for NL_ASSERTION; without one such tasks are unscored. */
  judge?: Judge;
  /** Runs env assertions; without one, tasks gated by ENV_ASSERTION (with assertions) are unscored. */
  envAssertions?: EnvAssertionRunner;
}

/** τ²'s `Action.compare_with_tool_call`. */
export function actionMatches(gold: GoldAction, call: Action): boolean {
  if (gold.name !== call.name) return false;
  const keys = gold.compareArgs ?? Object.keys(call.kwargs);
  if (keys.length === 0) return true;
  const pick = (o: PyObject): PyObject => {
    const out: PyObject = {};
    for (const k of keys) if (Object.prototype.hasOwnProperty.call(o, k)) out[k] = normalizeArg(o[k] as PyValue);
    return out;
  };
  return pyEqual(pick(call.kwargs), pick(gold.kwargs));
}

/** A transcript built from the action log: replies and tool calls (the user's side is not logged there). */
export function transcriptFromActions(actions: readonly Action[]): TranscriptMessage[] {
  return actions.map((a) =>
    a.name === RESPOND
      ? { role: 'assistant', content: typeof a.kwargs.content === 'string' ? a.kwargs.content : '' }
      : { role: 'assistant', content: '', toolCall: { name: a.name, kwargs: a.kwargs } },
  );
}

function improper(task: Task, episode: Episode, basis: string[]): RewardInfo {
  const t = episode.termination;
  return {
    reward: 0,
    rules: 'tau2',
    termination: t,
    basis,
    components: {},
    note: `episode did not end properly (${t.reason}${t.message === undefined ? '' : `: ${t.message}`})`,
  };
}

/** Scores an episode by the τ² rules. */
export async function scoreTau2(episode: Episode, ctx: Tau2ScoreContext): Promise<RewardInfo> {
  const { task, state, termination } = episode;
  const ev = task.evaluation;
  const basis: string[] = ev === undefined ? [] : [...ev.rewardBasis];
  if (!PROPER_ENDINGS.has(termination.reason)) return improper(task, episode, basis);
  if (ev === undefined) return { reward: 1, rules: 'tau2', termination, basis, components: {}, note: 'no evaluation criteria' };

  const info: RewardInfo = { reward: null, rules: 'tau2', termination, basis, components: {} };
  const notes: string[] = [];

  // DB
  if (ev.envCheck === false) {
    info.components.DB = 1;
    info.db = { match: true, goldErrors: [] };
  } else {
    const gold = (ctx.gold ?? new GoldCache()).get(task, ctx.base, ctx.registry, 'tau2');
    const diff = state.db.firstDifference(gold.db, { typedFloats: false });
    info.db = { match: diff === undefined, ...(diff === undefined ? {} : { firstDifference: diff }), goldErrors: gold.errors };
    info.components.DB = diff === undefined ? 1 : 0;
    if (diff !== undefined) notes.push(`database differs from the gold database at ${diff}`);
  }

  // ENV_ASSERTION
  if (ev.envAssertions.length > 0) {
    const runner = ctx.envAssertions;
    info.envAssertions = ev.envAssertions.map((a) => ({
      funcName: a.funcName,
      met: runner === undefined ? null : runner(state.db, a) === a.assertValue,
    }));
    const checks = info.envAssertions;
    info.components.ENV_ASSERTION = checks.some((c) => c.met === null) ? null : checks.every((c) => c.met === true) ? 1 : 0;
    if (info.components.ENV_ASSERTION === 0) notes.push(`env assertion failed: ${checks.filter((c) => c.met === false).map((c) => c.funcName).join(', ')}`);
  } else info.components.ENV_ASSERTION = 1;

  // ACTION
  const calls = state.actions.filter((a) => a.name !== RESPOND);
  info.actions = task.actions.map((g) => ({ ...(g.id === undefined ? {} : { id: g.id }), name: g.name, met: calls.some((c) => actionMatches(g, c)) }));
  info.components.ACTION = info.actions.every((a) => a.met) ? 1 : 0;
  if (basis.includes('ACTION') && info.components.ACTION === 0) notes.push(`gold action not performed: ${info.actions.filter((a) => !a.met).map((a) => a.id ?? a.name).join(', ')}`);

  // COMMUNICATE
  const replies = repliesOf(state.actions);
  info.communicate = ev.communicateInfo.map((s) => ({ info: s, met: outputFound(s, replies) }));
  info.components.COMMUNICATE = info.communicate.every((c) => c.met) ? 1 : 0;
  if (basis.includes('COMMUNICATE') && info.components.COMMUNICATE === 0) {
    notes.push(`not communicated: ${info.communicate.filter((c) => !c.met).map((c) => JSON.stringify(c.info)).join(', ')}`);
  }

  // NL_ASSERTION: only called when it gates the reward, like τ².
  if (basis.includes('NL_ASSERTION')) {
    if (ev.nlAssertions.length === 0) {
      info.components.NL_ASSERTION = 1;
      info.nlAssertions = { met: true, results: [] };
    } else if (ctx.judge === undefined) {
      info.components.NL_ASSERTION = null;
      info.nlAssertions = null;
    } else {
      const verdict = await ctx.judge.judge(task, episode.transcript ?? transcriptFromActions(state.actions), episode.signal);
      info.nlAssertions = verdict;
      info.components.NL_ASSERTION = verdict.met ? 1 : 0;
      if (!verdict.met) notes.push(`NL assertion not met: ${verdict.results.filter((r) => !r.met).map((r) => JSON.stringify(r.assertion)).join(', ')}`);
    }
  }

  const gating = basis.map((c) => info.components[c]);
  if (gating.some((v) => v === 0)) info.reward = 0;
  else if (gating.some((v) => v === null || v === undefined)) {
    info.reward = null;
    const missing = basis.filter((c) => info.components[c] === null || info.components[c] === undefined);
    notes.push(`unscored: ${missing.join(', ')} could not be evaluated (${missing.includes('NL_ASSERTION') ? 'no judge configured' : 'no evaluator'})`);
  } else info.reward = gating.reduce<number>((p, v) => p * (v as number), 1);
  if (notes.length > 0) info.note = notes.join('; ');
  return info;
}
