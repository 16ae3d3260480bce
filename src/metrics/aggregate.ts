/**
 * Aggregation of finished episodes into the numbers a summary reports: pass^k and rewards,
 * usage per role (tokens by bucket, cost, calls, latency), and per-episode effort. Pure
 * functions over a minimal episode shape, so they can be tested without running anything.
 */
import type { CallRecord, Usage } from '../models/types.js';
import { addUsage } from '../models/usage.js';
import { isSuccess, passHatKCurve, type PassHatKResult } from './pass-k.js';
import { describe, type Distribution } from './stats.js';

/** Termination reason that marks an episode as an infrastructure failure (left out of pass^k). */
export const INFRASTRUCTURE_ERROR = 'infrastructure_error';

/** What aggregation needs of an LLM call record. */
export type CallLike = Pick<CallRecord, 'role' | 'model' | 'usage' | 'latencyMs' | 'costUsd' | 'retries' | 'retryWaitMs' | 'cached'>;

/** What aggregation needs of an episode record. */
export interface EpisodeLike {
  taskId: string;
  trial: number;
  /** null: not scored (e.g. a judge was needed and none configured). */
  reward: number | null;
  termination: { reason: string };
  calls: readonly CallLike[];
  steps: number;
  turns: number;
  toolCalls: number;
  durationMs: number;
}

/**
 * The part of an episode record aggregation needs, copied out of it: no trajectory, no texts, calls
 * reduced to their usage. Summaries of runs of any size keep these (a few hundred bytes per call)
 * instead of the records.
 */
export function slimEpisode(e: EpisodeLike): EpisodeLike {
  return {
    taskId: e.taskId,
    trial: e.trial,
    reward: e.reward,
    termination: { reason: e.termination.reason },
    calls: e.calls.map((c) => ({
      role: c.role,
      model: c.model,
      usage: { ...c.usage },
      latencyMs: c.latencyMs,
      costUsd: c.costUsd,
      retries: c.retries,
      retryWaitMs: c.retryWaitMs,
      cached: c.cached,
    })),
    steps: e.steps,
    turns: e.turns,
    toolCalls: e.toolCalls,
    durationMs: e.durationMs,
  };
}

/** Usage of one role (agent, user, subtask, judge…). */
export interface RoleUsage {
  role: string;
  /** Successful LLM calls. */
  calls: number;
  /** Tokens by bucket; a bucket no call reported is absent. */
  usage: Usage;
  /** input + cacheRead + cacheWrite + output. */
  totalTokens: number;
  /** USD, or null when any call of the role had no price. */
  costUsd: number | null;
  /** Calls without a price; `costUsd` is null when this is above 0. */
  unpricedCalls: number;
  /** Models that answered calls of this role, sorted. */
  models: string[];
  /** Per-call latency, ms. */
  latencyMs: Distribution;
  /** Retries summed over calls, and time spent waiting between them (ms). */
  retries: number;
  retryWaitMs: number;
  /** Calls served from the record/replay cache. */
  cachedCalls: number;
}

/** Everything a summary reports that is computed from episodes. */
export interface Aggregate {
  /** Episodes given (each (task, trial) once). */
  episodes: number;
  /** Episodes counted for pass^k and rewards (not infrastructure errors, scored). */
  counted: number;
  infrastructureErrors: number;
  unscored: number;
  /** Termination reason → episodes. */
  terminations: Record<string, number>;
  passHatK: PassHatKResult;
  /** Mean reward over counted episodes (null when none). */
  averageReward: number | null;
  /** Share of counted episodes that succeeded (null when none). */
  successRate: number | null;
  /** taskId → { trials counted, successes, rewards by trial }. */
  perTask: Record<string, { n: number; successes: number; excluded: number; rewards: Record<string, number | null> }>;
  /** Usage by role, roles in first-seen order. */
  roles: RoleUsage[];
  /** All roles together. */
  total: Omit<RoleUsage, 'role'>;
  /** Per counted episode. */
  perEpisode: { turns: Distribution; toolCalls: Distribution; steps: Distribution; durationMs: Distribution; llmCalls: Distribution };
}

/** True for an episode left out of pass^k and rewards. */
export function isExcluded(e: EpisodeLike): boolean {
  return e.termination.reason === INFRASTRUCTURE_ERROR || e.reward === null;
}

function totalTokens(u: Usage): number {
  return (u.input ?? 0) + (u.cacheRead ?? 0) + (u.cacheWrite ?? 0) + (u.output ?? 0);
}

/** Aggregates call records (any roles) into one usage block. */
export function usageOf(calls: readonly CallLike[]): Omit<RoleUsage, 'role'> {
  const usage = addUsage(...calls.map((c) => c.usage));
  let cost = 0;
  let unpriced = 0;
  let retries = 0;
  let retryWaitMs = 0;
  let cached = 0;
  const models = new Set<string>();
  for (const c of calls) {
    if (c.costUsd === null) unpriced++;
    else cost += c.costUsd;
    retries += c.retries;
    retryWaitMs += c.retryWaitMs;
    if (c.cached) cached++;
    models.add(c.model);
  }
  return {
    calls: calls.length,
    usage,
    totalTokens: totalTokens(usage),
    costUsd: unpriced > 0 ? null : cost,
    unpricedCalls: unpriced,
    models: [...models].sort(),
    latencyMs: describe(calls.map((c) => c.latencyMs)),
    retries,
    retryWaitMs,
    cachedCalls: cached,
  };
}

/** Usage per role, in first-seen role order. */
export function usageByRole(calls: readonly CallLike[]): RoleUsage[] {
  const byRole = new Map<string, CallLike[]>();
  for (const c of calls) {
    let list = byRole.get(c.role);
    if (list === undefined) byRole.set(c.role, (list = []));
    list.push(c);
  }
  return [...byRole].map(([role, list]) => ({ role, ...usageOf(list) }));
}

/**
 * Aggregates episodes. Infrastructure errors and unscored episodes are left out of pass^k,
 * rewards and per-episode effort, but their LLM calls still count in usage and cost (they were paid for).
 */
export function aggregate(episodes: readonly EpisodeLike[]): Aggregate {
  const counted = episodes.filter((e) => !isExcluded(e));
  const terminations: Record<string, number> = {};
  for (const e of episodes) terminations[e.termination.reason] = (terminations[e.termination.reason] ?? 0) + 1;
  const perTask: Aggregate['perTask'] = {};
  for (const e of episodes) {
    const t = (perTask[e.taskId] ??= { n: 0, successes: 0, excluded: 0, rewards: {} });
    t.rewards[String(e.trial)] = e.termination.reason === INFRASTRUCTURE_ERROR ? null : e.reward;
    if (isExcluded(e)) t.excluded++;
    else {
      t.n++;
      if (isSuccess(e.reward)) t.successes++;
    }
  }
  const rewards = counted.map((e) => e.reward as number);
  const allCalls = episodes.flatMap((e) => e.calls);
  return {
    episodes: episodes.length,
    counted: counted.length,
    infrastructureErrors: episodes.filter((e) => e.termination.reason === INFRASTRUCTURE_ERROR).length,
    unscored: episodes.filter((e) => e.termination.reason !== INFRASTRUCTURE_ERROR && e.reward === null).length,
    terminations,
    passHatK: passHatKCurve(
      episodes.map((e) => ({ taskId: e.taskId, trial: e.trial, reward: e.reward, excluded: isExcluded(e) })),
    ),
    averageReward: rewards.length === 0 ? null : rewards.reduce((a, b) => a + b, 0) / rewards.length,
    successRate: counted.length === 0 ? null : counted.filter((e) => isSuccess(e.reward)).length / counted.length,
    perTask,
    roles: usageByRole(allCalls),
    total: usageOf(allCalls),
    perEpisode: {
      turns: describe(counted.map((e) => e.turns)),
      toolCalls: describe(counted.map((e) => e.toolCalls)),
      steps: describe(counted.map((e) => e.steps)),
      durationMs: describe(counted.map((e) => e.durationMs)),
      llmCalls: describe(counted.map((e) => e.calls.length)),
    },
  };
}
