/**
 * `summary.json` of a run and its printed table: pass^k (unbiased estimator), average reward,
 * per-task successes, usage per role (tokens by bucket, cost, calls, latency), per-episode effort,
 * termination reasons, the run's config and provenance, and warnings.
 */
import { aggregate, type EpisodeLike, type RoleUsage } from '../metrics/aggregate.js';
import type { Distribution } from '../metrics/stats.js';
import type { RunConfig } from './config.js';
import type { RunMetadata } from './metadata.js';
import type { RunManifest } from './results.js';
import { formatCost, runCostOf, type RunCost } from './run-cost.js';

/** Version of the summary format. */
export const SUMMARY_VERSION = 1;

/** Contents of `summary.json`. */
export interface RunSummary {
  format: 'taubp-summary';
  version: typeof SUMMARY_VERSION;
  run: string;
  /** True when a simulated model played a role: the numbers do not measure a real LLM. */
  simulated: boolean;
  /** Every planned episode has a record. */
  complete: boolean;
  plannedEpisodes: number;
  config: RunConfig;
  metadata: RunMetadata;
  results: {
    episodes: number;
    /** Episodes in pass^k and the rewards (not infrastructure errors, scored). */
    counted: number;
    infrastructureErrors: number;
    unscored: number;
    terminations: Record<string, number>;
    /** `{"1": pass^1, "2": pass^2, …}` up to `maxK`. */
    passHatK: Record<string, number>;
    maxK: number;
    unequalTrials: boolean;
    tasksWithoutTrials: string[];
    averageReward: number | null;
    successRate: number | null;
  };
  /** taskId → counted trials, successes, excluded trials, reward by trial (null = not scored). */
  perTask: Record<string, { n: number; successes: number; excluded: number; rewards: Record<string, number | null> }>;
  usage: {
    /** Role → usage. Cost is null for a role when any of its calls had no price. */
    byRole: Record<string, Omit<RoleUsage, 'role'>>;
    total: Omit<RoleUsage, 'role'>;
  };
  /**
   * What the run spent, every role together (user simulator and judge included), cached calls and
   * replays not counted as spend (see `run-cost.ts`). Absent in summaries written before it
   * was kept (`report` then derives it from `usage`).
   */
  cost?: RunCost;
  perEpisode: { turns: Distribution; toolCalls: Distribution; steps: Distribution; durationMs: Distribution; llmCalls: Distribution };
  warnings: string[];
  /**
   * The files this summary was computed from, to tell when it no longer describes them (`report`
   * then rebuilds it). Absent in summaries built from records in memory and in older ones.
   */
  source?: SummarySource;
}

/** What `episodes.jsonl` and `run.json` were when a summary was computed from them. */
export interface SummarySource {
  /** Size of `episodes.jsonl` in bytes (0 when missing). */
  episodesBytes: number;
  /** Records read from it (before deduplication). */
  episodesLines: number;
  /** sha256 of its bytes. */
  episodesSha256: string;
  /** Its modification time (epoch ms): when unchanged with the size, the hash need not be recomputed. */
  episodesMtimeMs: number;
  /** sha256 of `run.json`'s bytes. */
  runSha256: string;
}

/**
 * Builds the summary of a run from its manifest and (deduplicated) episodes: records, or their
 * summary projections (`slimEpisode`), which is all it reads of them.
 */
export function buildSummary(manifest: RunManifest, records: readonly EpisodeLike[], source?: SummarySource): RunSummary {
  const a = aggregate(records);
  const planned = manifest.metadata.plannedEpisodes;
  const simulated = manifest.metadata.simulated || records.some((r) => r.calls.some((c) => c.model === 'sim' || c.model.startsWith('sim:')));
  const warnings: string[] = [];
  if (simulated) warnings.push('simulated model: these results come from the offline simulator, not a real LLM');
  if (records.length < planned) {
    warnings.push(`${planned - records.length} of ${planned} planned episodes have no record (interrupted?); \`taubp run --resume --out <dir>\` completes the run`);
  }
  if (a.infrastructureErrors > 0) {
    warnings.push(
      `${a.infrastructureErrors} episode(s) ended in infrastructure errors (model calls that failed after retries) and are left out of pass^k; \`taubp run --resume --out <dir>\` runs them again`,
    );
  }
  if (a.unscored > 0) warnings.push(`${a.unscored} episode(s) could not be scored (e.g. NL assertions without a judge) and are left out of pass^k`);
  if (a.passHatK.unequalTrials) {
    const counts = a.passHatK.tasks.filter((t) => t.n > 0).map((t) => t.n);
    warnings.push(`tasks have unequal counted trials (${Math.min(...counts)} to ${Math.max(...counts)}): pass^k is reported up to k = ${a.passHatK.maxK}`);
  }
  if (a.passHatK.tasksWithoutTrials.length > 0) {
    warnings.push(`task(s) ${a.passHatK.tasksWithoutTrials.join(', ')} have no counted trial and are left out of pass^k`);
  }
  const unpriced = a.roles.filter((r) => r.costUsd === null);
  if (unpriced.length > 0) {
    warnings.push(`cost unknown for role(s) ${unpriced.map((r) => r.role).join(', ')}: some models have no price entry (cost is null, not 0); add them with a pricing override file`);
  }
  const passHatK: Record<string, number> = {};
  a.passHatK.passHatK.forEach((v, i) => (passHatK[String(i + 1)] = v));
  const byRole: RunSummary['usage']['byRole'] = {};
  for (const { role, ...rest } of a.roles) byRole[role] = rest;
  return {
    format: 'taubp-summary',
    version: SUMMARY_VERSION,
    run: manifest.name,
    simulated,
    complete: records.length >= planned,
    plannedEpisodes: planned,
    config: manifest.config,
    metadata: manifest.metadata,
    results: {
      episodes: a.episodes,
      counted: a.counted,
      infrastructureErrors: a.infrastructureErrors,
      unscored: a.unscored,
      terminations: a.terminations,
      passHatK,
      maxK: a.passHatK.maxK,
      unequalTrials: a.passHatK.unequalTrials,
      tasksWithoutTrials: a.passHatK.tasksWithoutTrials,
      averageReward: a.averageReward,
      successRate: a.successRate,
    },
    perTask: a.perTask,
    usage: { byRole, total: a.total },
    cost: runCostOf(records, manifest.metadata),
    perEpisode: a.perEpisode,
    warnings,
    ...(source === undefined ? {} : { source }),
  };
}

const fmt = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined ? '–' : v.toFixed(digits));
const int = (v: number | undefined): string => (v === undefined ? '–' : String(v));
const money = (v: number | null): string => (v === null ? 'n/a' : `$${v.toFixed(4)}`);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ')).join('\n');
}

/** What a run just saw, printed with its summary (not stored in summary.json). */
export interface SummaryNotes {
  /** The first infrastructure error of the run: its cause (message and endpoint, no secrets). */
  firstInfrastructureError?: { taskId: string; trial: number; message: string };
}

/**
 * The printed summary: results (with the first infrastructure error's cause when `notes` has
 * it), usage per role, per-episode effort, terminations, warnings.
 */
export function formatSummary(s: RunSummary, notes: SummaryNotes = {}): string {
  const r = s.results;
  const lines: string[] = [];
  lines.push(`Run ${s.run}${s.simulated ? '  [simulated model]' : ''}`);
  lines.push(
    `${s.config.domain} ${s.config.split} · agent ${s.config.agent} (${s.config.model}) · user ${s.config.user}${s.config.userModel === null ? '' : ` (${s.config.userModel})`} · ${s.config.trials} trial(s)`,
  );
  lines.push(`Episodes ${r.episodes}/${s.plannedEpisodes} · counted ${r.counted} · infrastructure errors ${r.infrastructureErrors} · unscored ${r.unscored}`);
  const first = notes.firstInfrastructureError;
  if (first !== undefined) lines.push(`First infrastructure error (task ${first.taskId}, trial ${first.trial}): ${first.message}`);
  lines.push('');
  const ks = Object.keys(r.passHatK);
  lines.push(
    table([
      ['metric', ...ks.map((k) => `pass^${k}`), 'avg reward'],
      ['value', ...ks.map((k) => fmt(r.passHatK[k])), fmt(r.averageReward)],
    ]),
  );
  lines.push('');
  const roleRows = Object.entries(s.usage.byRole).map(([role, u]) => [
    role,
    String(u.calls),
    int(u.usage.input),
    int(u.usage.cacheRead),
    int(u.usage.cacheWrite),
    int(u.usage.output),
    money(u.costUsd),
    `${fmt(u.latencyMs.mean, 0)}/${fmt(u.latencyMs.p50, 0)}/${fmt(u.latencyMs.p95, 0)}`,
  ]);
  const t = s.usage.total;
  lines.push(
    table([
      ['role', 'calls', 'input', 'cache read', 'cache write', 'output', 'cost', 'latency ms mean/p50/p95'],
      ...roleRows,
      ['total', String(t.calls), int(t.usage.input), int(t.usage.cacheRead), int(t.usage.cacheWrite), int(t.usage.output), money(t.costUsd), `${fmt(t.latencyMs.mean, 0)}/${fmt(t.latencyMs.p50, 0)}/${fmt(t.latencyMs.p95, 0)}`],
    ]),
  );
  if (s.cost !== undefined) lines.push(formatCost(s.cost));
  lines.push('');
  const e = s.perEpisode;
  const dist = (name: string, d: Distribution, digits = 1): string[] => [name, fmt(d.mean, digits), fmt(d.p50, digits), fmt(d.p95, digits)];
  lines.push(
    table([
      ['per episode', 'mean', 'p50', 'p95'],
      dist('turns', e.turns),
      dist('tool calls', e.toolCalls),
      dist('steps', e.steps),
      dist('LLM calls', e.llmCalls),
      dist('seconds', { ...e.durationMs, mean: e.durationMs.mean === null ? null : e.durationMs.mean / 1000, p50: e.durationMs.p50 === null ? null : e.durationMs.p50 / 1000, p95: e.durationMs.p95 === null ? null : e.durationMs.p95 / 1000 }, 2),
    ]),
  );
  lines.push('');
  lines.push(`Terminations: ${Object.entries(r.terminations).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
