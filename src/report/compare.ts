/**
 * The comparison tables of `taubp report`, built from stored run summaries: pass^k per run with
 * what it measured (comparability guard, `analysis/comparability.ts`), pass^1 intervals and Δ
 * pass^1 against a baseline run on the same tasks; the agent-side effort of an episode (LLM
 * calls, tokens, turns, tool calls, latency, dollars); ratios against the baseline; the pairs
 * declined and why; tasks × runs; cost; and the failure analysis. Rendered by `./table.ts`.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_STATS_SEED, passHatKIntervals, type PassHatKInterval, type ResampleOptions } from '../metrics/bootstrap.js';
import { comparePassHatK, type PairedComparison } from '../metrics/paired.js';
import { importedFrom } from '../runner/import-run.js';
import { chooseBaseline, dataLabel, pairRuns, runIdentity, userLabel, type DeclinedPair, type Pairing, type RunIdentity, type RunPair } from './analysis/comparability.js';
import { costFromUsage } from '../runner/run-cost.js';
import { failureTables, type FailureAnalysis } from './analysis/failure-analysis.js';
import { taskCountsOf } from './paper-tables.js';
import type { RunSummary } from '../runner/summary.js';
import { deltaCells, deltaColumns, pass1Cells, pass1Columns } from './stat-columns.js';
import type { Cell, Column, ReportTable } from './table.js';

/** Roles counted as the agent side (everything but the user simulator and the judge). */
function agentRoles(s: RunSummary): string[] {
  return Object.keys(s.usage.byRole).filter((r) => r !== 'user' && r !== 'judge');
}

/** Agent-side totals of a run: calls, tokens by bucket, cost, call latency. */
export function agentSide(s: RunSummary): { calls: number; tokens: number; input: number; output: number; cost: number | null; latencyP50: number | null; latencyP95: number | null } {
  let calls = 0;
  let tokens = 0;
  let input = 0;
  let output = 0;
  let cost: number | null = 0;
  let p50: number | null = null;
  let p95: number | null = null;
  for (const role of agentRoles(s)) {
    const u = s.usage.byRole[role];
    if (u === undefined) continue;
    calls += u.calls;
    tokens += u.totalTokens;
    input += (u.usage.input ?? 0) + (u.usage.cacheRead ?? 0) + (u.usage.cacheWrite ?? 0);
    output += u.usage.output ?? 0;
    cost = cost === null || u.costUsd === null ? null : cost + u.costUsd;
    if (role === 'agent' || p50 === null) {
      p50 = u.latencyMs.p50;
      p95 = u.latencyMs.p95;
    }
  }
  return { calls, tokens, input, output, cost, latencyP50: p50, latencyP95: p95 };
}

/**
 * The prompt pack of a run as a short label: its kind and the first 8 hex digits of a hash over
 * its element hashes (`reference 1a2b3c4d`), so that packs of the same kind with different text
 * differ too. Runs recorded before packs existed used the harness text: `harness (unrecorded)`.
 */
export function packLabel(s: Pick<RunSummary, 'metadata' | 'config'>): string {
  const id = s.metadata.prompts;
  if (id === undefined) return s.config.prompts === 'reference' ? 'reference (unrecorded)' : 'harness (unrecorded)';
  const keys = Object.keys(id.sha256).sort();
  const digest = createHash('sha256')
    .update(keys.map((k) => `${k}=${id.sha256[k] ?? ''}`).join('\n'))
    .digest('hex');
  return `${id.kind} ${digest.slice(0, 8)}`;
}

/**
 * The prompt pack kind of a run: recorded, else the configured kind (imported published runs say
 * `reference`: they saw their benchmark's own prompts), else `harness` (runs from before packs).
 */
export function packKind(s: Pick<RunSummary, 'metadata' | 'config'>): 'reference' | 'harness' {
  return s.metadata.prompts?.kind ?? s.config.prompts ?? 'harness';
}

/** Whether two runs' packs may be compared: same kind, and the same text where both recorded it. */
export function samePackSetup(a: Pick<RunSummary, 'metadata' | 'config'>, b: Pick<RunSummary, 'metadata' | 'config'>): boolean {
  if (packKind(a) !== packKind(b)) return false;
  return a.metadata.prompts === undefined || b.metadata.prompts === undefined || packLabel(a) === packLabel(b);
}

const per = (total: number, episodes: number): number | null => (episodes === 0 ? null : total / episodes);

/** Options of {@link compareRuns}. */
export interface ComparisonOptions extends ResampleOptions {
  /** The agent the other runs are compared with (any agent). Default: tool-calling when a run has it, else the first run's agent. */
  baseline?: string;
  /** The failure analysis of the same runs (adds its tables). */
  failures?: FailureAnalysis;
  /** Add the tasks × runs matrix of successes. Default true. */
  taskMatrix?: boolean;
}

/** pass^1 with its interval and, for a run paired with a baseline run, Δ pass^1 against it. */
export interface RunStats {
  pass1: PassHatKInterval | undefined;
  /** The baseline run it is compared with (undefined: it is a baseline run, or it was not paired). */
  baseline: RunSummary | undefined;
  delta: PairedComparison | undefined;
  isBaseline: boolean;
  /** Blueprints that ran in the run's episodes (from the failure analysis), when known. */
  blueprints?: string[];
}

/** The comparison of a set of runs: its tables, the pairing behind them, and each run's statistics. */
export interface Comparison {
  tables: ReportTable[];
  pairing: Pairing;
  stats: Map<RunSummary, RunStats>;
  /** The runs in table order. */
  runs: RunSummary[];
}

const STAT_COLUMNS: readonly Column[] = [...pass1Columns('pass^1'), ...deltaColumns('pass^1')];

/** The statistics cells of a row (see {@link STAT_COLUMNS}). */
function statCells(st: RunStats | undefined): Record<string, Cell> {
  return {
    ...pass1Cells(st?.pass1),
    ...deltaCells(st?.delta, st === undefined ? null : st.isBaseline ? '(baseline)' : st.baseline === undefined ? 'not paired (see declined pairs)' : st.baseline.run, 'covers 0: no clear difference'),
  };
}

function agentLabel(id: RunIdentity, st?: RunStats): string {
  const names = id.blueprint !== null ? [id.blueprint] : (st?.blueprints ?? []);
  return names.length === 0 ? id.architecture : `${id.architecture} [${names.join(', ')}]`;
}

/**
 * pass^k table: one row per run with what it measured (domain, data identity, prompt pack, agent,
 * model, user setup, trials), its unscored and infrastructure-excluded episodes, pass^1 with its
 * interval and Δ against its baseline run, then pass^2..pass^K and the average reward.
 */
export function passHatKTable(runs: readonly RunSummary[], stats: ReadonlyMap<RunSummary, RunStats> = new Map()): ReportTable {
  const maxK = Math.max(0, ...runs.map((s) => s.results.maxK));
  const columns: Column[] = [
    { key: 'run', header: 'Run' },
    { key: 'domain', header: 'Domain' },
    { key: 'data', header: 'Data (split · tasks · hash)', align: 'left' },
    { key: 'source', header: 'Source', align: 'left' },
    { key: 'prompts', header: 'Prompts' },
    { key: 'agent', header: 'Agent' },
    { key: 'model', header: 'Model' },
    { key: 'user', header: 'User' },
    { key: 'trials', header: 'Trials' },
    { key: 'counted', header: 'Counted' },
    { key: 'unscored', header: 'Unscored' },
    { key: 'infra', header: 'Infra excluded' },
    ...STAT_COLUMNS,
    ...Array.from({ length: Math.max(0, maxK - 1) }, (_, i) => ({ key: `p${i + 2}k`, header: `pass^${i + 2}`, digits: 3 })),
    { key: 'reward', header: 'Avg reward', digits: 3 },
  ];
  const rows = runs.map((s) => {
    const id = runIdentity(s);
    const row: Record<string, Cell> = {
      run: s.run,
      domain: id.domain,
      data: dataLabel(id),
      source: id.data,
      prompts: id.prompts,
      agent: agentLabel(id, stats.get(s)),
      model: id.model,
      user: userLabel(id),
      trials: id.trials,
      counted: s.results.counted,
      unscored: s.results.unscored,
      infra: s.results.infrastructureErrors,
      ...statCells(stats.get(s)),
      reward: s.results.averageReward,
    };
    for (let k = 2; k <= maxK; k++) row[`p${k}k`] = s.results.passHatK[String(k)] ?? null;
    return row;
  });
  return { title: 'pass^k by domain and agent', columns, rows, notes: notesOf(runs) };
}

/** Agent-side effort per episode (LLM calls, tokens, turns, tool calls, latency, cost) with the pass^1 statistics. */
export function effortTable(runs: readonly RunSummary[], stats: ReadonlyMap<RunSummary, RunStats> = new Map()): ReportTable {
  const columns: Column[] = [
    { key: 'run', header: 'Run' },
    { key: 'domain', header: 'Domain' },
    { key: 'agent', header: 'Agent' },
    { key: 'model', header: 'Model' },
    { key: 'prompts', header: 'Prompts' },
    { key: 'calls', header: 'LLM calls/ep', digits: 1 },
    { key: 'tokens', header: 'Tokens/ep', digits: 0 },
    { key: 'input', header: 'Input tok/ep', digits: 0 },
    { key: 'output', header: 'Output tok/ep', digits: 0 },
    { key: 'turns', header: 'Turns/ep', digits: 1 },
    { key: 'toolCalls', header: 'Tool calls/ep', digits: 1 },
    { key: 'p50', header: 'Call p50 ms', digits: 0 },
    { key: 'p95', header: 'Call p95 ms', digits: 0 },
    { key: 'cost', header: 'Cost/ep $', digits: 4 },
    ...STAT_COLUMNS,
  ];
  const rows = runs.map((s) => {
    const a = agentSide(s);
    const n = s.results.episodes;
    const id = runIdentity(s);
    return {
      run: s.run,
      domain: id.domain,
      agent: agentLabel(id, stats.get(s)),
      model: id.model,
      prompts: id.prompts,
      calls: per(a.calls, n),
      tokens: per(a.tokens, n),
      input: per(a.input, n),
      output: per(a.output, n),
      turns: s.perEpisode.turns.mean,
      toolCalls: s.perEpisode.toolCalls.mean,
      p50: a.latencyP50,
      p95: a.latencyP95,
      cost: a.cost === null ? null : per(a.cost, n),
      ...statCells(stats.get(s)),
    };
  });
  const notes = notesOf(runs);
  notes.push('Cost/ep prices every agent-side call at list price, cached calls included; the cost table shows what was spent.');
  return { title: 'Agent-side effort per episode (user simulator and judge excluded)', columns, rows, notes };
}

/**
 * Each run relative to the baseline run it is paired with: ratios of agent-side LLM calls,
 * tokens, turns and tool calls per episode, with the pass^1 statistics (Δ with its paired
 * interval and p-value). `pairs` default: the runs of agent `candidate` paired with runs of agent
 * `baseline` by {@link pairRuns}.
 */
export function ratioTable(summaries: readonly RunSummary[], candidate = 'blueprint', baseline = 'tool-calling', options: { pairs?: readonly RunPair[]; stats?: ReadonlyMap<RunSummary, RunStats> } = {}): ReportTable {
  const pairs = options.pairs ?? pairRuns(summaries, baseline).pairs.filter((p) => p.candidate.config.agent === candidate);
  const stats = options.stats ?? new Map();
  const columns: Column[] = [
    { key: 'run', header: 'Run' },
    { key: 'domain', header: 'Domain' },
    { key: 'agent', header: 'Agent' },
    { key: 'model', header: 'Model' },
    { key: 'calls', header: 'LLM calls ratio', percent: true },
    { key: 'tokens', header: 'Tokens ratio', percent: true },
    { key: 'turns', header: 'Turns ratio', percent: true },
    { key: 'toolCalls', header: 'Tool calls ratio', percent: true },
    ...deltaColumns('pass^1'),
  ];
  const ratio = (x: number | null, y: number | null): number | null => (x === null || y === null || y === 0 ? null : x / y);
  const rows = pairs.map(({ candidate: c, baseline: b }) => {
    const ca = agentSide(c);
    const ba = agentSide(b);
    const st = stats.get(c);
    return {
      run: c.run,
      domain: c.config.domain,
      agent: agentLabel(runIdentity(c), st),
      model: c.config.model,
      calls: ratio(per(ca.calls, c.results.episodes), per(ba.calls, b.results.episodes)),
      tokens: ratio(per(ca.tokens, c.results.episodes), per(ba.tokens, b.results.episodes)),
      turns: ratio(c.perEpisode.turns.mean, b.perEpisode.turns.mean),
      toolCalls: ratio(c.perEpisode.toolCalls.mean, b.perEpisode.toolCalls.mean),
      ...statCells(st ?? { pass1: undefined, baseline: b, delta: comparePassHatK([{ a: taskCountsOf(c), b: taskCountsOf(b) }], 1), isBaseline: false }),
    };
  });
  const title = options.pairs === undefined ? `${candidate} relative to ${baseline} (per episode, agent side)` : `Each run relative to its ${baseline} baseline run (per episode, agent side)`;
  return { title, columns, rows, notes: notesOf(pairs.flatMap((p) => [p.candidate, p.baseline])) };
}

/** The pairs the report did not compare, and why. */
export function declinedTable(declined: readonly DeclinedPair[], baselineAgent: string): ReportTable {
  return {
    title: `Pairs not compared with the ${baselineAgent} baseline`,
    columns: [
      { key: 'run', header: 'Run' },
      { key: 'baseline', header: 'Baseline run' },
      { key: 'reason', header: 'Why not', align: 'left' },
    ],
    rows: declined.map((d) => ({ run: d.candidate, baseline: d.baseline ?? '(none)', reason: d.reasons.join('; ') })),
    notes: ['Runs are compared only when they share domain, split, task set (hash), counted tasks, user simulator and its model, agent model and prompt pack.'],
  };
}

/** Tasks × runs: successes over counted trials of each task in each run (`—`: not in the run). */
export function taskMatrixTable(runs: readonly RunSummary[]): ReportTable {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const s of runs) {
    for (const id of [...(s.metadata.taskIds ?? []).filter((t) => t in s.perTask), ...Object.keys(s.perTask)]) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }
  const columns: Column[] = [{ key: 'task', header: 'Task' }, ...runs.map((s, i) => ({ key: `r${i}`, header: s.run, align: 'right' as const }))];
  const rows = ids.map((task) => {
    const row: Record<string, Cell> = { task };
    runs.forEach((s, i) => {
      const t = s.perTask[task];
      row[`r${i}`] = t === undefined ? null : `${t.successes}/${t.n}${t.excluded > 0 ? ` (+${t.excluded} excl.)` : ''}`;
    });
    return row;
  });
  return { title: 'Successes per task (successes / counted trials)', columns, rows, notes: ['excl.: trials left out of pass^k (infrastructure errors, unscored).'] };
}

/** What each run spent (user simulator and judge included), cached and replayed calls not counted. */
export function costTable(runs: readonly RunSummary[], reportJudgeUsd?: number | null): ReportTable {
  const rows = runs.map((s) => {
    const c = s.cost ?? costFromUsage(s.usage.byRole, s.metadata);
    // null (shown as —) when the run has no call of such a role
    const role = (pred: (r: string) => boolean): number | null => {
      const list = c.byRole.filter((r) => pred(r.role));
      return list.length === 0 ? null : list.reduce<number | null>((t, r) => (t === null || r.spendUsd === null ? null : t + r.spendUsd), 0);
    };
    const notes: string[] = [];
    if (c.replayOf !== null) notes.push(`replay of ${c.replayOf.run} (which cost ${c.replayOf.originalUsd === null ? 'unknown' : `$${c.replayOf.originalUsd.toFixed(4)}`})`);
    if (importedFrom(s.metadata) !== undefined && c.calls === 0) notes.push('imported: no calls recorded');
    if (s.cost === undefined && c.cachedCalls > 0) notes.push('summary predates the cost split: spend of roles with cached calls unknown');
    return {
      run: s.run,
      agent: s.config.agent,
      model: s.config.model,
      agentSide: role((r) => r !== 'user' && r !== 'judge'),
      user: role((r) => r === 'user'),
      judge: role((r) => r === 'judge'),
      spend: c.spendUsd,
      calls: c.calls,
      cached: c.cachedCalls,
      cachedUsd: c.cachedUsd,
      note: notes.join('; '),
    };
  });
  const tableNotes = ['Spend counts calls paid for; calls served from the cache (worth what they would have cost) and replayed runs are not spend.'];
  if (reportJudgeUsd !== undefined) tableNotes.push(`The fault-assignment judge of this report spent ${reportJudgeUsd === null ? 'an unknown amount (unpriced model)' : `$${reportJudgeUsd.toFixed(4)}`} (not part of any run).`);
  return {
    title: 'Cost per run (USD)',
    columns: [
      { key: 'run', header: 'Run' },
      { key: 'agent', header: 'Agent' },
      { key: 'model', header: 'Model' },
      { key: 'agentSide', header: 'Agent side $', digits: 4 },
      { key: 'user', header: 'User sim $', digits: 4 },
      { key: 'judge', header: 'Judge $', digits: 4 },
      { key: 'spend', header: 'Total spend $', digits: 4 },
      { key: 'calls', header: 'Calls' },
      { key: 'cached', header: 'Cached calls' },
      { key: 'cachedUsd', header: 'Cached worth $', digits: 4 },
      { key: 'note', header: 'Note', align: 'left' },
    ],
    rows,
    notes: tableNotes,
  };
}

function blueprintsOf(failures: FailureAnalysis | undefined, run: string): { blueprints?: string[] } {
  const b = failures?.runs.find((r) => r.run === run)?.blueprints;
  return b === undefined || b.length === 0 ? {} : { blueprints: b };
}

/**
 * Compares runs: pairs each with the baseline run it can be compared with (see
 * `analysis/comparability.ts`), computes pass^1 intervals and paired Δ (seeded bootstrap and
 * permutation test, `src/metrics/`), and builds every table: pass^k, effort, ratios against the
 * baseline, declined pairs, tasks × runs, cost, and the failure tables when `failures` is given.
 * @throws UsageError when `baseline` is the agent of no run.
 */
export function compareRuns(summaries: readonly RunSummary[], options: ComparisonOptions = {}): Comparison {
  const runs = [...summaries].sort(
    (a, b) => a.config.domain.localeCompare(b.config.domain) || a.config.agent.localeCompare(b.config.agent) || a.config.model.localeCompare(b.config.model) || a.run.localeCompare(b.run),
  );
  const resample: ResampleOptions = {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.resamples === undefined ? {} : { resamples: options.resamples }),
    ...(options.confidence === undefined ? {} : { confidence: options.confidence }),
  };
  const baselineAgent = chooseBaseline(runs, options.baseline);
  const pairing = pairRuns(runs, baselineAgent);
  const stats = new Map<RunSummary, RunStats>();
  for (const s of runs) {
    const pair = pairing.pairs.find((p) => p.candidate === s);
    stats.set(s, {
      pass1: passHatKIntervals(taskCountsOf(s), resample)[0],
      baseline: pair?.baseline,
      delta: pair === undefined ? undefined : comparePassHatK([{ a: taskCountsOf(s), b: taskCountsOf(pair.baseline) }], 1, resample),
      isBaseline: s.config.agent === baselineAgent,
      ...blueprintsOf(options.failures, s.run),
    });
  }
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const method = `pass^1: ${Math.round(confidence * 100)}% percentile bootstrap over tasks (${resample.resamples ?? DEFAULT_RESAMPLES} resamples, seed ${String(resample.seed ?? DEFAULT_STATS_SEED)}); Δ pass^1 against the ${baselineAgent} run on the same tasks, data and user setup, with a paired bootstrap interval and a sign-flip permutation p-value (exact up to 16 tasks).`;
  const pass = passHatKTable(runs, stats);
  pass.notes = [method, ...(pass.notes ?? [])];
  const tables: ReportTable[] = [pass, effortTable(runs, stats)];
  if (pairing.pairs.length > 0) tables.push(ratioTable(runs, '', baselineAgent, { pairs: pairing.pairs, stats }));
  if (pairing.declined.length > 0) tables.push(declinedTable(pairing.declined, baselineAgent));
  if (options.taskMatrix !== false) tables.push(taskMatrixTable(runs));
  tables.push(costTable(runs, options.failures?.judge === undefined ? undefined : (options.failures.judge.spendUsd ?? null)));
  if (options.failures !== undefined) tables.push(...failureTables(options.failures));
  return { tables, pairing, stats, runs };
}

function notesOf(summaries: readonly RunSummary[]): string[] {
  const notes: string[] = [];
  if (summaries.some((s) => s.simulated)) notes.push('simulated model: numbers from the offline simulator, not a real LLM');
  if (summaries.some((s) => !s.complete)) notes.push('some runs are incomplete (missing episodes)');
  if (summaries.some((s) => s.results.infrastructureErrors > 0)) notes.push('infrastructure errors are excluded from pass^k');
  // Packs differ by domain (each has its own tools); within a domain, or in kind, they must not.
  // Runs that recorded no pack (older runs, imported published runs) count by kind only.
  const kinds = [...new Set(summaries.map(packKind))].sort();
  const mixed: string[] = [];
  for (const domain of [...new Set(summaries.map((s) => s.config.domain))].sort()) {
    const recorded = summaries.filter((s) => s.config.domain === domain && s.metadata.prompts !== undefined);
    const packs = [...new Set(recorded.map(packLabel))].sort();
    if (packs.length > 1) mixed.push(`${domain}: ${packs.join(', ')}`);
  }
  if (mixed.length > 0 || kinds.length > 1) {
    const what = mixed.length > 0 ? mixed.join('; ') : kinds.join(', ');
    notes.push(
      `WARNING: these runs used different prompt packs (${what}; see the Prompts column): the models saw different prompts and tool descriptions, so their numbers are not directly comparable`,
    );
  }
  return notes;
}

/** All comparison tables for a set of runs (see {@link compareRuns}). */
export function comparisonTables(summaries: readonly RunSummary[], options: ComparisonOptions = {}): ReportTable[] {
  return compareRuns(summaries, options).tables;
}
