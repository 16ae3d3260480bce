/**
 * What a run cost: the spend of every role (agent, blueprint sub-tasks, user simulator, judge),
 * with calls served from the record/replay cache and replayed runs marked and not counted as
 * spend. A cache hit is priced at what it would have cost (`costUsd` of its record, the same
 * usage at list price): that value is shown as "cached", never added to the spend. A replayed
 * run (`taubp replay --out`, `metadata.replayOf`) called no provider: its spend is 0, and the
 * original run's cost is shown beside it.
 */
import type { CallLike } from '../metrics/aggregate.js';
import type { RunMetadata } from './metadata.js';

/** The cost of one role's calls. */
export interface RoleCost {
  role: string;
  calls: number;
  /** Calls answered from the cache (not paid for). */
  cachedCalls: number;
  /** USD paid for the calls not served from the cache; null when one of them had no price. */
  spendUsd: number | null;
  /** What the cached calls would have cost (USD; null when one had no price). Not spend. */
  cachedUsd: number | null;
}

/** The cost of a run (`summary.json` `cost`). */
export interface RunCost {
  /** Roles in first-seen order. */
  byRole: RoleCost[];
  calls: number;
  cachedCalls: number;
  /** Total spend of every role (USD); null when a paid call had no price. 0 for a replayed run. */
  spendUsd: number | null;
  /** What cached calls would have cost (USD); not spend. */
  cachedUsd: number | null;
  /** Set for a replayed run: the run it replays and that run's recorded cost (null: unpriced). */
  replayOf: { run: string; originalUsd: number | null } | null;
}

function add(total: number | null, v: number | null): number | null {
  return total === null || v === null ? null : total + v;
}

/** The cost of a run from its (deduplicated) episodes' calls and its metadata. */
export function runCostOf(episodes: ReadonlyArray<{ calls: readonly CallLike[] }>, metadata: Pick<RunMetadata, 'replayOf'>): RunCost {
  const roles = new Map<string, RoleCost>();
  for (const e of episodes) {
    for (const c of e.calls) {
      let r = roles.get(c.role);
      if (r === undefined) roles.set(c.role, (r = { role: c.role, calls: 0, cachedCalls: 0, spendUsd: 0, cachedUsd: 0 }));
      r.calls++;
      if (c.cached) {
        r.cachedCalls++;
        r.cachedUsd = add(r.cachedUsd, c.costUsd);
      } else r.spendUsd = add(r.spendUsd, c.costUsd);
    }
  }
  const replayOf = metadata.replayOf === undefined ? null : { run: metadata.replayOf.name, originalUsd: metadata.replayOf.costUsd };
  const byRole = [...roles.values()];
  // A replay's calls were answered from the recorded run: nothing was paid.
  if (replayOf !== null) for (const r of byRole) r.spendUsd = 0;
  return {
    byRole,
    calls: byRole.reduce((n, r) => n + r.calls, 0),
    cachedCalls: byRole.reduce((n, r) => n + r.cachedCalls, 0),
    spendUsd: byRole.reduce<number | null>((t, r) => add(t, r.spendUsd), 0),
    cachedUsd: byRole.reduce<number | null>((t, r) => add(t, r.cachedUsd), 0),
    replayOf,
  };
}

/**
 * The cost of a summary written before `cost` was kept: from its usage per role, where cached
 * calls are inside each role's cost, so a role with cached calls has an unknown spend (null).
 */
export function costFromUsage(
  byRole: Readonly<Record<string, { calls: number; costUsd: number | null; cachedCalls: number }>>,
  metadata: Pick<RunMetadata, 'replayOf'>,
): RunCost {
  const roles: RoleCost[] = Object.entries(byRole).map(([role, u]) => ({
    role,
    calls: u.calls,
    cachedCalls: u.cachedCalls,
    spendUsd: metadata.replayOf !== undefined ? 0 : u.cachedCalls === 0 ? u.costUsd : null,
    cachedUsd: u.cachedCalls === 0 ? 0 : null,
  }));
  return {
    byRole: roles,
    calls: roles.reduce((n, r) => n + r.calls, 0),
    cachedCalls: roles.reduce((n, r) => n + r.cachedCalls, 0),
    spendUsd: roles.reduce<number | null>((t, r) => add(t, r.spendUsd), 0),
    cachedUsd: roles.reduce<number | null>((t, r) => add(t, r.cachedUsd), 0),
    replayOf: metadata.replayOf === undefined ? null : { run: metadata.replayOf.name, originalUsd: metadata.replayOf.costUsd },
  };
}

const usd = (v: number | null): string => (v === null ? 'unknown' : `$${v.toFixed(4)}`);

/**
 * One line for the printed summary: `Cost: spend $1.2345 (agent $1.0000, user $0.2345) · 12
 * cached calls not counted (worth $0.1000)`, or for a replay `Cost: $0 (replay of <run>, which
 * cost $1.2345)`.
 */
export function formatCost(c: RunCost): string {
  if (c.replayOf !== null) return `Cost: $0.0000 spent (replay of ${c.replayOf.run}, which cost ${usd(c.replayOf.originalUsd)}; replayed calls are not spend)`;
  if (c.calls === 0) return 'Cost: no model calls recorded';
  const parts = c.byRole.map((r) => `${r.role} ${usd(r.spendUsd)}`).join(', ');
  const cached = c.cachedCalls === 0 ? '' : ` · ${c.cachedCalls} cached call(s) not counted (worth ${usd(c.cachedUsd)})`;
  return `Cost: spend ${usd(c.spendUsd)} (${parts})${cached}`;
}
