/**
 * The failure analysis of a set of runs as plain JSON ({@link FailureAnalysis}): each run's
 * episodes that did not succeed, classified by `failures.ts` (streamed from `episodes.jsonl`,
 * one record in memory at a time), with counts per category, and optionally the fault
 * assignment of an LLM judge (`fault-judge.ts`). The report renders it as tables
 * (`failureTables`); the report page reads it through {@link pageFailures}.
 */
import { join } from 'node:path';
import type { Task } from '../../core/task.js';
import { findTaskByRef } from '../../env/tasks/lookup.js';
import type { RunConfig } from '../../runner/config.js';
import { EPISODES_FILE, EpisodeDeduper, EpisodeStream } from '../../runner/results.js';
import type { Cell, Column, ReportTable } from '../table.js';
import { classifyEpisode, EXCLUDED_CATEGORIES, FAILURE_CATEGORIES, FAILURE_LABELS, type EpisodeFailure, type FailureCategory } from './failures.js';

/** Format version of {@link FailureAnalysis}. */
export const FAILURE_ANALYSIS_VERSION = 1;

/** Who a judge held responsible for a failure (τ-bench's three authors). */
export type FaultAuthor = 'user' | 'agent' | 'environment';

/** The judge's verdict on one failed episode. */
export interface FaultVerdict {
  taskId: string;
  trial: number;
  author: FaultAuthor;
  reason: string;
}

/** One run's failures. */
export interface RunFailures {
  /** Run name (directory name) and directory. */
  run: string;
  dir: string;
  /** Why the gold data could not be loaded (classification then limited), or null when it was. */
  goldUnavailable: string | null;
  /** Episodes read (each (task, trial) once). */
  episodes: number;
  /** Episodes that did not succeed (including the excluded ones: infrastructure errors, unscored). */
  notSucceeded: number;
  /** Category → episodes (every category present, 0 when none). */
  counts: Record<FailureCategory, number>;
  /** Each episode that did not succeed, in file order. */
  failures: EpisodeFailure[];
  /** Blueprints that ran (episode records' `blueprint`), sorted; empty for other agents. */
  blueprints: string[];
  /** Judge verdicts (with `--judge-model`), in the order of `failures`. */
  faults?: FaultVerdict[];
  /** Failed episodes the judge could not assign (its answer was unusable), with why. */
  faultErrors?: Array<{ taskId: string; trial: number; error: string }>;
}

/** The failure analysis of a report: JSON-able, for tables and the report page. */
export interface FailureAnalysis {
  format: 'taubp-failures';
  version: typeof FAILURE_ANALYSIS_VERSION;
  /** Categories in rule order, with their labels. */
  categories: FailureCategory[];
  labels: Record<FailureCategory, string>;
  runs: RunFailures[];
  /** The judge of the fault pass, when there was one: its model, calls (role `judge`) and spend (USD; null: unpriced; cached calls not counted). */
  judge?: { model: string; calls: number; cachedCalls: number; spendUsd: number | null };
}

/** Gold data of a run's tasks, and which tools write. */
export interface GoldData {
  tasks: readonly Task[];
  isWrite: (tool: string) => boolean;
}

/** Loads the gold data of a run's configuration (throws when the data cannot be read). */
export type GoldLoader = (config: RunConfig) => GoldData;

/** A run to analyse. */
export interface RunRef {
  dir: string;
  name: string;
  config: RunConfig;
}

const zeroCounts = (): Record<FailureCategory, number> => Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, 0])) as Record<FailureCategory, number>;

/** Caches one gold load per data source (domain, data, db, split), failures included. */
export function cachedGoldLoader(load: GoldLoader | undefined): (config: RunConfig) => GoldData | string {
  const cache = new Map<string, GoldData | string>();
  return (c) => {
    const key = JSON.stringify([c.domain, c.data, c.db, c.split]);
    let hit = cache.get(key);
    if (hit === undefined) {
      if (load === undefined) hit = 'no data source given for the gold actions';
      else {
        try {
          hit = load(c);
        } catch (e) {
          hit = `the tasks of ${c.domain} ${c.split} could not be loaded from ${c.data ?? 'the built-in data'} (${(e as Error).message})`;
        }
      }
      cache.set(key, hit);
    }
    return hit;
  };
}

/** Classifies the episodes of one run (streamed; the kept record of each (task, trial) as in summaries). */
export function analyseRun(run: RunRef, gold: GoldData | string): RunFailures {
  const byId = typeof gold === 'string' ? undefined : new Map(gold.tasks.map((t) => [t.id, t]));
  const taskOf = (id: string): Task | undefined => (typeof gold === 'string' ? undefined : (byId?.get(id) ?? findTaskByRef(gold.tasks, id)));
  const isWrite = typeof gold === 'string' ? () => false : gold.isWrite;
  const kept = new EpisodeDeduper<EpisodeFailure | null>();
  const blueprints = new Set<string>();
  for (const { record } of new EpisodeStream(join(run.dir, EPISODES_FILE))) {
    if (typeof record.blueprint === 'string') blueprints.add(record.blueprint);
    const task = taskOf(record.taskId);
    // A task missing from the loaded gold data is classified as without data.
    kept.add(record, classifyEpisode(record, task, { isWrite }));
  }
  const values = kept.values();
  const failures = values.filter((f): f is EpisodeFailure => f !== null);
  const counts = zeroCounts();
  for (const f of failures) counts[f.category]++;
  return { run: run.name, dir: run.dir, goldUnavailable: typeof gold === 'string' ? gold : null, episodes: values.length, notSucceeded: failures.length, counts, failures, blueprints: [...blueprints].sort() };
}

/** Classifies every run's episodes; `load` gives each run's gold data (none: classification limited to what needs no gold). */
export function analyseFailures(runs: readonly RunRef[], load?: GoldLoader): FailureAnalysis {
  const gold = cachedGoldLoader(load);
  return {
    format: 'taubp-failures',
    version: FAILURE_ANALYSIS_VERSION,
    categories: [...FAILURE_CATEGORIES],
    labels: { ...FAILURE_LABELS },
    runs: runs.map((r) => analyseRun(r, gold(r.config))),
  };
}

/** Categories that occur in some run, in rule order. */
function presentCategories(a: FailureAnalysis): FailureCategory[] {
  return a.categories.filter((c) => a.runs.some((r) => r.counts[c] > 0));
}

/**
 * Tables of the analysis: failure categories per run (counts of episodes), and the judge's fault
 * assignment per run when it ran. `labelOf` names a run in the tables (default its name).
 */
export function failureTables(a: FailureAnalysis, labelOf: (r: RunFailures) => string = (r) => r.run): ReportTable[] {
  const cats = presentCategories(a);
  const columns: Column[] = [
    { key: 'run', header: 'Run' },
    { key: 'episodes', header: 'Episodes' },
    { key: 'failed', header: 'Failed' },
    ...cats.map((c) => ({ key: c, header: a.labels[c] })),
    { key: 'gold', header: 'Gold data', align: 'left' as const },
  ];
  const rows = a.runs.map((r) => {
    const row: Record<string, Cell> = {
      run: labelOf(r),
      episodes: r.episodes,
      failed: r.notSucceeded - EXCLUDED_CATEGORIES.reduce((n, c) => n + r.counts[c], 0),
      gold: r.goldUnavailable === null ? 'loaded' : `unavailable: ${r.goldUnavailable}`,
    };
    for (const c of cats) row[c] = r.counts[c];
    return row;
  });
  const notes = [
    'Each episode that did not succeed gets the first matching category: infrastructure error, unscored, agent error, wrong arguments on a write, wrong tool, extra or forbidden write, step cap, transfer, user stopped early, missing write, missing required output, other. "Failed" counts the episodes in pass^k (infrastructure errors and unscored episodes are left out of it).',
  ];
  if (a.runs.some((r) => r.goldUnavailable !== null)) notes.push('Runs whose gold data could not be loaded are classified only by how episodes ended; the rest are "unclassified (no gold data)".');
  const tables: ReportTable[] = [{ title: 'Failure categories per run (episodes)', columns, rows, notes }];
  if (a.judge !== undefined) {
    tables.push({
      title: `Fault assignment by the judge (${a.judge.model})`,
      columns: [
        { key: 'run', header: 'Run' },
        { key: 'judged', header: 'Judged' },
        { key: 'user', header: 'User' },
        { key: 'agent', header: 'Agent' },
        { key: 'environment', header: 'Environment' },
        { key: 'errors', header: 'No verdict' },
      ],
      rows: a.runs.map((r) => {
        const f = r.faults ?? [];
        return {
          run: labelOf(r),
          judged: f.length,
          user: f.filter((v) => v.author === 'user').length,
          agent: f.filter((v) => v.author === 'agent').length,
          environment: f.filter((v) => v.author === 'environment').length,
          errors: r.faultErrors?.length ?? 0,
        };
      }),
      notes: ['Failed episodes counted in pass^k, judged by an LLM from the task, its gold actions and outputs, and the conversation. The LLM verdicts are not deterministic; the categories above are.'],
    });
  }
  return tables;
}

/**
 * The report page's failure data (`PageAnalysis['failures']` of `src/report/page/model.ts`):
 * counts per run by page run index, and each failed episode's category label keyed
 * `<run index>#<taskId>#<trial>`. `indexOf` maps a run directory to its page index (runs the
 * page does not show are left out).
 */
export function pageFailures(
  a: FailureAnalysis,
  indexOf: (dir: string) => number | undefined,
): { categories: string[]; perRun: Array<{ run: number; counts: Record<string, number> }>; perEpisode: Record<string, string> } {
  const cats = presentCategories(a);
  const perRun: Array<{ run: number; counts: Record<string, number> }> = [];
  const perEpisode: Record<string, string> = {};
  for (const r of a.runs) {
    const run = indexOf(r.dir);
    if (run === undefined) continue;
    perRun.push({ run, counts: Object.fromEntries(cats.map((c) => [a.labels[c], r.counts[c]])) });
    for (const f of r.failures) perEpisode[`${run}#${f.taskId}#${f.trial}`] = a.labels[f.category];
  }
  return { categories: cats.map((c) => a.labels[c]), perRun, perEpisode };
}
