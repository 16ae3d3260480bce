/**
 * The paper's tables from stored or imported runs (`taubp tables`, `scripts/paper-tables.ts`):
 * (a) τ-bench's leaderboard layout: Pass^1..Pass^k by strategy and model, one table per domain
 *     and split;
 * (b) the Source Code Agent table: per domain and averaged over domains, each architecture's
 *     Pass^1 with its 95% interval, Δ Pass^1 against the strongest baseline with a paired interval
 *     and permutation p-value, and per-episode turns, tool calls, LLM calls, tokens and cost with
 *     the relative reduction against that baseline;
 * (c) pass^k with intervals for every run and k (Δ pass^k against the same baseline), with the
 *     spread of pass^1 across trials.
 * Runs are paired only when they share domain, split, task set (tasksSha256), model, user
 * setup and prompt pack; every pairing declined is listed with its reason. Rendered by `./table.ts`.
 */
import { basename, join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { bootstrapMean, DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_STATS_SEED, passHatKIntervals, perTaskPassHatK, trialSpread, type ResampleOptions } from '../metrics/bootstrap.js';
import { comparePassHatK, pairingProblem, type PairedComparison } from '../metrics/paired.js';
import type { TaskCounts } from '../metrics/pass-k.js';
import { importedFrom } from '../runner/import-run.js';
import { agentSide, packKind, packLabel } from './compare.js';
import type { RunSummary } from '../runner/summary.js';
import { deltaCells, deltaColumns, pass1Cells, pass1Columns } from './stat-columns.js';
import { slugOf, toCsv, toLatex, toMarkdown, type Cell, type Column, type ReportTable } from './table.js';

/** τ-bench's agent strategies: the default baselines of the Source Code Agent table. */
export const DEFAULT_BASELINES: readonly string[] = ['tool-calling', 'act', 'react', 'few-shot'];

/** Options of {@link paperTables}. */
export interface PaperTablesOptions extends ResampleOptions {
  /** Agents that count as baselines (the strongest one on the same tasks is what others are compared with). Default {@link DEFAULT_BASELINES}. */
  baselines?: readonly string[];
}

/** A table with the file name stem it is written under. */
export interface NamedTable {
  slug: string;
  table: ReportTable;
}

/** Every paper table, and the comparisons that were declined (with why). */
export interface PaperTables {
  tables: NamedTable[];
  declined: string[];
}

const STRATEGY_LABELS: Record<string, string> = { 'tool-calling': 'TC', act: 'Act', react: 'ReAct', 'few-shot': 'Few-shot', blueprint: 'Blueprint' };

/** The model name without its provider (`openai:gpt-4o` → `gpt-4o`). */
export function modelName(spec: string): string {
  return spec.includes(':') ? spec.slice(spec.indexOf(':') + 1) : spec;
}

/** An architecture: the agent and its settings (`blueprint`, `tool-calling (allToolCalls=true)`). */
export function architectureOf(s: RunSummary): string {
  const settings = Object.entries(s.config.agentSettings ?? {}).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return settings.length === 0 ? s.config.agent : `${s.config.agent} (${settings.join(', ')})`;
}

/** τ-bench's leaderboard label: `TC (gpt-4o)`. */
export function strategyLabel(s: RunSummary): string {
  const settings = Object.keys(s.config.agentSettings ?? {}).length === 0 ? '' : ` [${architectureOf(s).slice(s.config.agent.length + 1).replace(/^\(|\)$/g, '')}]`;
  return `${STRATEGY_LABELS[s.config.agent] ?? s.config.agent}${settings} (${modelName(s.config.model)})`;
}

/** Where a run comes from: `imported <file>` or `run <name>`. */
export function sourceOf(s: RunSummary): string {
  const from = importedFrom(s.metadata);
  return from === undefined ? `run ${s.run}` : `imported ${basename(from.file)}`;
}

/** Per-task trial and success counts of a run summary. */
export function taskCountsOf(s: RunSummary): TaskCounts[] {
  return Object.entries(s.perTask).map(([taskId, t]) => ({ taskId, n: t.n, c: t.successes, excluded: t.excluded }));
}

function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const trialsOf = (s: RunSummary): number => Math.max(0, ...Object.values(s.perTask).map((t) => t.n));

/** Runs that can be paired share all of this. */
function pairingKey(s: RunSummary): string {
  const c = s.config;
  // By pack kind: an imported published run records no pack text but saw its benchmark's own.
  return JSON.stringify([c.domain, c.split, s.metadata.tasksSha256, c.model, c.user, c.userModel ?? null, packKind(s)]);
}

function describePairing(s: RunSummary): string {
  const c = s.config;
  return `${c.domain} ${c.split}, ${s.metadata.taskCount} tasks (${s.metadata.tasksSha256.slice(0, 8)}), model ${c.model}, user ${c.user}${c.userModel === null ? '' : ` (${c.userModel})`}, prompts ${packLabel(s)}`;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list === undefined) out.set(k, [it]);
    else list.push(it);
  }
  return out;
}

const pass1 = (s: RunSummary): number | null => s.results.passHatK['1'] ?? null;

/** τ-bench's leaderboard layout per domain and split: Pass^1..Pass^K by strategy and model, best first. */
export function leaderboardTables(summaries: readonly RunSummary[]): NamedTable[] {
  const groups = groupBy(summaries, (s) => `${s.config.domain}\u0000${s.config.split}`);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, runs]) => {
      const { domain, split } = (runs[0] as RunSummary).config;
      const maxK = Math.max(1, ...runs.map((s) => s.results.maxK));
      const columns: Column[] = [
        { key: 'strategy', header: 'Strategy' },
        ...Array.from({ length: maxK }, (_, i) => ({ key: `p${i + 1}`, header: `Pass^${i + 1}`, digits: 3 })),
        { key: 'tasks', header: 'Tasks' },
        { key: 'trials', header: 'Trials' },
        { key: 'source', header: 'Source' },
      ];
      const rows = [...runs]
        .sort((a, b) => (pass1(b) ?? -1) - (pass1(a) ?? -1) || a.run.localeCompare(b.run))
        .map((s) => {
          const row: Record<string, Cell> = { strategy: strategyLabel(s), tasks: s.metadata.taskCount, trials: trialsOf(s), source: sourceOf(s) };
          for (let k = 1; k <= maxK; k++) row[`p${k}`] = s.results.passHatK[String(k)] ?? null;
          return row;
        });
      const notes = ['TC = tool-calling strategy (as in the τ-bench leaderboard). Pass^k: mean over tasks of C(c,k)/C(n,k).'];
      if (runs.some((s) => s.simulated)) notes.push('simulated model: numbers from the offline simulator, not a real LLM');
      return { slug: slugOf('leaderboard', domain, split), table: { title: `${titleCase(domain)} (${split}): Pass^k by strategy and model`, columns, rows, notes } };
    });
}

/** Per-episode effort of a run: agent-side LLM calls, tokens and cost are unknown (null) when the run records no calls (imported τ-bench files). */
function effortOf(s: RunSummary): Record<'turns' | 'toolCalls' | 'llmCalls' | 'tokens' | 'cost', number | null> {
  const episodes = s.results.counted + s.results.infrastructureErrors + s.results.unscored;
  const known = s.usage.total.calls > 0 && episodes > 0;
  const a = agentSide(s);
  return {
    turns: s.perEpisode.turns.mean,
    toolCalls: s.perEpisode.toolCalls.mean,
    llmCalls: known ? a.calls / episodes : null,
    tokens: known ? a.tokens / episodes : null,
    cost: known && a.cost !== null ? a.cost / episodes : null,
  };
}

const EFFORT: ReadonlyArray<{ key: 'turns' | 'toolCalls' | 'llmCalls' | 'tokens' | 'cost'; header: string; digits: number }> = [
  { key: 'turns', header: 'Turns/ep', digits: 1 },
  { key: 'toolCalls', header: 'Tool calls/ep', digits: 1 },
  { key: 'llmCalls', header: 'LLM calls/ep', digits: 1 },
  { key: 'tokens', header: 'Tokens/ep', digits: 0 },
  { key: 'cost', header: 'Cost/ep $', digits: 4 },
];

/** (baseline − x) / baseline: the share by which x is smaller; null when unknown or the baseline is 0. */
export function reduction(x: number | null, baseline: number | null): number | null {
  return x === null || baseline === null || baseline === 0 ? null : (baseline - x) / baseline;
}

function scaColumns(): Column[] {
  return [
    { key: 'domain', header: 'Domain' },
    { key: 'architecture', header: 'Architecture' },
    { key: 'model', header: 'Model' },
    { key: 'tasks', header: 'Tasks' },
    { key: 'trials', header: 'Trials' },
    ...pass1Columns('Pass^1'),
    ...deltaColumns('Pass^1'),
    ...EFFORT.flatMap((e) => [
      { key: e.key, header: e.header, digits: e.digits },
      { key: `${e.key}Red`, header: `${e.header.replace(/\/ep.*$/, '')} fewer`, percent: true, digits: 1 },
    ]),
  ];
}

interface DomainGroup {
  runs: RunSummary[];
  strongest: RunSummary | undefined;
}

/** Groups runs that can be paired and finds each group's strongest baseline (highest Pass^1). */
function pairingGroups(summaries: readonly RunSummary[], baselines: readonly string[]): DomainGroup[] {
  return [...groupBy(summaries, pairingKey).values()].map((runs) => {
    const candidates = runs.filter((s) => baselines.includes(s.config.agent) && pass1(s) !== null);
    const strongest = [...candidates].sort((a, b) => (pass1(b) as number) - (pass1(a) as number) || a.run.localeCompare(b.run))[0];
    return { runs, strongest };
  });
}

/** Builds every paper table from run summaries (the intervals are seeded: the same runs give the same tables). */
export function paperTables(summaries: readonly RunSummary[], options: PaperTablesOptions = {}): PaperTables {
  const baselines = options.baselines ?? DEFAULT_BASELINES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const resample = { seed: options.seed ?? DEFAULT_STATS_SEED, resamples: options.resamples ?? DEFAULT_RESAMPLES, confidence };
  const declined: string[] = [];
  const sorted = [...summaries].sort((a, b) => a.config.domain.localeCompare(b.config.domain) || a.config.split.localeCompare(b.config.split) || a.run.localeCompare(b.run));
  const groups = pairingGroups(sorted, baselines);
  const compare = (a: RunSummary, b: RunSummary, k: number): PairedComparison | undefined => {
    const problem = pairingProblem(taskCountsOf(a), taskCountsOf(b), k);
    if (problem !== null) {
      declined.push(`${a.run} vs ${b.run} (pass^${k}): ${problem}`);
      return undefined;
    }
    return comparePassHatK([{ a: taskCountsOf(a), b: taskCountsOf(b) }], k, resample);
  };

  // (b) per domain
  const scaRows: Array<Record<string, Cell>> = [];
  const passRows: Array<Record<string, Cell>> = [];
  for (const g of groups) {
    const base = g.strongest;
    if (base === undefined) {
      for (const s of g.runs) declined.push(`${s.run}: no baseline run (${baselines.join(', ')}) on the same setup (${describePairing(s)})`);
    }
    const baseEffort = base === undefined ? undefined : effortOf(base);
    for (const s of [...g.runs].sort((a, b) => (pass1(b) ?? -1) - (pass1(a) ?? -1))) {
      const counts = taskCountsOf(s);
      const intervals = passHatKIntervals(counts, resample);
      const p1 = intervals[0];
      const isBase = base !== undefined && s === base;
      const c = base === undefined || isBase ? undefined : compare(s, base, 1);
      const effort = effortOf(s);
      const row: Record<string, Cell> = {
        domain: s.config.domain,
        architecture: architectureOf(s),
        model: modelName(s.config.model),
        tasks: p1?.tasks ?? 0,
        trials: trialsOf(s),
        ...pass1Cells(p1),
        ...deltaCells(c, base === undefined ? '' : isBase ? '(baseline)' : architectureOf(base)),
      };
      for (const e of EFFORT) {
        row[e.key] = effort[e.key];
        row[`${e.key}Red`] = baseEffort === undefined || isBase ? null : reduction(effort[e.key], baseEffort[e.key]);
      }
      scaRows.push(row);

      // (c) pass^k with intervals, Δ pass^k against the same baseline
      const spread = trialSpread(Object.fromEntries(Object.entries(s.perTask).map(([id, t]) => [id, t.rewards])));
      for (const iv of intervals) {
        const ck = base === undefined || isBase || iv.k > base.results.maxK ? undefined : iv.k === 1 ? c : compare(s, base, iv.k);
        passRows.push({
          domain: s.config.domain,
          split: s.config.split,
          architecture: architectureOf(s),
          model: modelName(s.config.model),
          run: sourceOf(s),
          tasks: iv.tasks,
          trials: iv.trials.min === iv.trials.max ? iv.trials.min : `${iv.trials.min}-${iv.trials.max}`,
          k: iv.k,
          estimate: iv.estimate,
          low: iv.low,
          high: iv.high,
          ...deltaCells(ck, base === undefined ? '' : isBase ? '(baseline)' : architectureOf(base)),
          sd: spread.std,
        });
      }
    }
  }

  // (b) averaged over domains: architectures (same model, user) present on every domain of the
  // table, taking runs on the task sets that have a baseline (when any has one)
  const withBaseline = groups.filter((g) => g.strongest !== undefined).flatMap((g) => g.runs);
  const eligible = withBaseline.length > 0 ? sorted.filter((s) => withBaseline.includes(s)) : sorted;
  const domains = [...new Set(eligible.map((s) => s.config.domain))].sort();
  if (domains.length > 1) {
    const byArch = groupBy(eligible, (s) => JSON.stringify([architectureOf(s), s.config.model, s.config.user, s.config.userModel ?? null]));
    const complete = new Map<string, RunSummary[]>();
    for (const [key, runs] of byArch) {
      const perDomain = domains.map((d) => runs.filter((s) => s.config.domain === d));
      const label = `${architectureOf(runs[0] as RunSummary)} (${modelName((runs[0] as RunSummary).config.model)})`;
      if (perDomain.some((l) => l.length === 0)) declined.push(`average over domains: ${label} has no run on ${domains.filter((_, i) => perDomain[i]?.length === 0).join(', ')}`);
      else if (perDomain.some((l) => l.length > 1)) declined.push(`average over domains: ${label} has several runs on ${domains.filter((_, i) => (perDomain[i]?.length ?? 0) > 1).join(', ')} (keep one per domain)`);
      else complete.set(key, perDomain.map((l) => l[0] as RunSummary));
    }
    const avgP1 = (runs: RunSummary[]): number => runs.reduce((a, s) => a + (pass1(s) ?? 0), 0) / runs.length;
    const entries = [...complete.values()];
    for (const model of [...new Set(entries.map((r) => (r[0] as RunSummary).config.model))]) {
      const forModel = entries.filter((r) => (r[0] as RunSummary).config.model === model);
      const base = forModel.filter((r) => baselines.includes((r[0] as RunSummary).config.agent)).sort((a, b) => avgP1(b) - avgP1(a))[0];
      const baseEffort = base === undefined ? undefined : base.map(effortOf);
      for (const runs of forModel.sort((a, b) => avgP1(b) - avgP1(a))) {
        const strata = runs.map((s) => perTaskPassHatK(taskCountsOf(s), 1));
        const iv = bootstrapMean(strata, resample);
        const isBase = runs === base;
        let c: PairedComparison | undefined;
        if (base !== undefined && !isBase) {
          const problems = runs.map((s, i) => pairingProblem(taskCountsOf(s), taskCountsOf(base[i] as RunSummary), 1));
          const bad = problems.findIndex((p) => p !== null);
          if (bad >= 0) declined.push(`average over domains: ${architectureOf(runs[0] as RunSummary)} vs ${architectureOf(base[0] as RunSummary)} on ${domains[bad]}: ${problems[bad]}`);
          else c = comparePassHatK(runs.map((s, i) => ({ a: taskCountsOf(s), b: taskCountsOf(base[i] as RunSummary) })), 1, resample);
        }
        const effort = runs.map(effortOf);
        const row: Record<string, Cell> = {
          domain: `average (${domains.join(', ')})`,
          architecture: architectureOf(runs[0] as RunSummary),
          model: modelName(model),
          tasks: strata.reduce((n, v) => n + v.length, 0),
          trials: Math.max(...runs.map(trialsOf)),
          ...pass1Cells(iv),
          ...deltaCells(c, base === undefined ? '' : isBase ? '(baseline)' : architectureOf(base[0] as RunSummary)),
        };
        for (const e of EFFORT) {
          const values = effort.map((x) => x[e.key]);
          const mean = values.some((v) => v === null) ? null : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
          const baseValues = baseEffort?.map((x) => x[e.key]);
          const baseMean = baseValues === undefined || baseValues.some((v) => v === null) ? null : (baseValues as number[]).reduce((a, b) => a + b, 0) / baseValues.length;
          row[e.key] = mean;
          row[`${e.key}Red`] = isBase ? null : reduction(mean, baseMean);
        }
        scaRows.push(row);
      }
    }
  }

  const method = `Pass^1 and Δ: ${Math.round(confidence * 100)}% percentile bootstrap over tasks (${resample.resamples} resamples, seed ${String(resample.seed)}; averages resample within each domain); p: paired sign-flip permutation test over tasks (exact up to 16 tasks). Δ is against the strongest baseline (${baselines.join(', ')}) on the same tasks, model and user; "fewer" = (baseline − x) / baseline.`;
  const scaNotes = [method];
  if (sorted.some((s) => s.usage.total.calls === 0)) scaNotes.push('LLM calls, tokens and cost are unknown (—) for runs that record no calls (imported τ-bench files).');
  if (sorted.some((s) => s.simulated)) scaNotes.push('simulated model: numbers from the offline simulator, not a real LLM');
  const tables: NamedTable[] = [...leaderboardTables(sorted)];
  tables.push({ slug: 'source-code-agent', table: { title: 'Source Code Agent vs baselines: Pass^1, Δ against the strongest baseline, effort per episode', columns: scaColumns(), rows: scaRows, notes: scaNotes } });
  tables.push({
    slug: 'pass-k-intervals',
    table: {
      title: 'Pass^k with 95% intervals, Δ Pass^k against the baseline, and the spread of Pass^1 across trials',
      columns: [
        { key: 'domain', header: 'Domain' },
        { key: 'split', header: 'Split' },
        { key: 'architecture', header: 'Architecture' },
        { key: 'model', header: 'Model' },
        { key: 'run', header: 'Run' },
        { key: 'tasks', header: 'Tasks' },
        { key: 'trials', header: 'Trials', align: 'right' },
        { key: 'k', header: 'k' },
        { key: 'estimate', header: 'Pass^k', digits: 3 },
        { key: 'low', header: '95% low', digits: 3 },
        { key: 'high', header: '95% high', digits: 3 },
        ...deltaColumns('Pass^k'),
        { key: 'sd', header: 'Pass^1 SD across trials', digits: 3 },
      ],
      rows: passRows,
      notes: [method],
    },
  });
  if (declined.length > 0) {
    tables.push({
      slug: 'declined-comparisons',
      table: { title: 'Comparisons not made', columns: [{ key: 'reason', header: 'Comparison and reason' }], rows: declined.map((reason) => ({ reason })) },
    });
  }
  return { tables, declined };
}

/** All tables as one Markdown document. */
export function paperTablesMarkdown(t: PaperTables): string {
  return t.tables.map((n) => toMarkdown(n.table)).join('\n');
}

/**
 * Writes `tables.md`, `tables.tex` (booktabs `table` environments) and one rounded, tidy
 * `<slug>.csv` per table into `dir`; returns the paths written.
 */
export function writePaperTables(dir: string, t: PaperTables): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, text: string): void => {
    const file = join(dir, name);
    writeFileSync(file, text);
    files.push(file);
  };
  write('tables.md', paperTablesMarkdown(t));
  write('tables.tex', t.tables.map((n) => toLatex(n.table)).join('\n'));
  for (const n of t.tables) write(`${n.slug}.csv`, toCsv(n.table, { round: true }));
  return files;
}
