/**
 * Gathers what the report page shows from run directories: each run's summary and metadata,
 * pass^k with bootstrap intervals, the tasks × runs matrix, and the episodes for the trajectory
 * viewer, streamed from `episodes.jsonl` (one record in memory at a time) and embedded up to a
 * size cap (the page says how many were left out). Gold actions come from the run's own data
 * source through an injected loader (the CLI passes one built on `loadGradingSetup`).
 */
import { basename, join } from 'node:path';
import type { Task } from '../../core/task.js';
import { findTaskByRef } from '../../env/tasks/lookup.js';
import { passHatKIntervals, type PassHatKInterval, type ResampleOptions } from '../../metrics/bootstrap.js';
import type { RunConfig } from '../../runner/config.js';
import { importedFrom } from '../../runner/import-run.js';
import { episodeKey } from '../../contract/record.js';
import { EPISODES_FILE, EpisodeStream } from '../../runner/results.js';
import { packLabel } from '../compare.js';
import { loadRunSummary } from '../load.js';
import { modelName, taskCountsOf } from '../paper-tables.js';
import type { RunSummary } from '../../runner/summary.js';
import type { PageCell, PageData, PageRun, ViewerEpisode } from './model.js';
import { viewerEpisode, type TrajectoryLimits } from './trajectory.js';

/** Characters of embedded episodes (as JSON) in a page unless told: about 24 MB. */
export const DEFAULT_MAX_EMBED_CHARS = 24_000_000;

/** Options of {@link collectPage}. */
export interface CollectOptions extends ResampleOptions {
  /**
   * The tasks of a run's data source (domain, data, db, split of its config), for the gold diff.
   * A throw is shown in the viewer as the reason gold actions are unavailable. Default: none
   * (the viewer says gold actions were not loaded).
   */
  loadTasks?: (config: RunConfig) => readonly Task[];
  /** Characters of embedded episodes for the whole page, shared equally by the runs. Default {@link DEFAULT_MAX_EMBED_CHARS}. */
  maxEmbedChars?: number;
  /** Limits of each embedded episode. */
  limits?: TrajectoryLimits;
  /** Where to say that a summary was rebuilt. Default stderr. */
  note?: (text: string) => void;
}

/** What the page is made of. */
export interface CollectedPage {
  data: PageData;
  summaries: RunSummary[];
  /** pass^k intervals per run (same order as `data.runs`). */
  intervals: PassHatKInterval[][];
  cells: PageCell[];
  /** Task ids in display order (union over runs, first-seen order). */
  taskIds: string[];
}

function shortCommit(s: RunSummary): string | null {
  const g = s.metadata.git;
  return g === null || g === undefined ? null : `${g.commit.slice(0, 10)}${g.dirty ? '+dirty' : ''}`;
}

function pageRun(s: RunSummary, dir: string, index: number): PageRun {
  const c = s.config;
  const from = importedFrom(s.metadata);
  return {
    index,
    name: s.run,
    label: '',
    dir,
    domain: c.domain,
    split: c.split,
    agent: c.agent,
    model: c.model,
    user: c.userModel === null ? c.user : `${c.user} (${c.userModel})`,
    trials: c.trials,
    tasks: Object.keys(s.perTask).length,
    createdAt: s.metadata.createdAt,
    commit: shortCommit(s),
    dataSource: from === undefined ? (c.data ?? 'unknown') : `imported ${basename(from.file)} (sha256 ${from.sha256.slice(0, 12)}) · data ${c.data ?? 'unknown'}`,
    tasksHash: s.metadata.tasksSha256.slice(0, 12),
    prompts: packLabel(s),
    simulated: s.simulated,
    complete: s.complete,
    episodes: s.results.episodes,
    counted: s.results.counted,
    infrastructureErrors: s.results.infrastructureErrors,
    unscored: s.results.unscored,
  };
}

/** Labels `agent · model`, with the domain when runs span several, and the run name when still ambiguous. */
function label(runs: PageRun[]): void {
  const domains = new Set(runs.map((r) => r.domain)).size > 1;
  for (const r of runs) r.label = `${r.agent} · ${modelName(r.model)}${domains ? ` · ${r.domain}` : ''}`;
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  for (const r of runs) if ((counts.get(r.label) ?? 0) > 1) r.label = `${r.label} [${r.name}]`;
  const seen = new Map<string, number>();
  for (const r of runs) {
    const n = (seen.get(r.label) ?? 0) + 1;
    seen.set(r.label, n);
    if (n > 1) r.label = `${r.label} #${n}`;
  }
}

function taskLoader(load: CollectOptions['loadTasks']): (c: RunConfig) => { tasks?: readonly Task[]; note?: string } {
  const cache = new Map<string, { tasks?: readonly Task[]; note?: string }>();
  return (c) => {
    const key = JSON.stringify([c.domain, c.data, c.db, c.split]);
    let hit = cache.get(key);
    if (hit === undefined) {
      if (load === undefined) hit = { note: 'gold actions were not loaded for this page' };
      else {
        try {
          hit = { tasks: load(c) };
        } catch (e) {
          hit = { note: `gold actions unavailable: the tasks of ${c.domain} ${c.split} could not be loaded from ${c.data ?? 'an unrecorded data source'} (${(e as Error).message})` };
        }
      }
      cache.set(key, hit);
    }
    return hit;
  };
}

/**
 * Reads the runs in `dirs` (their order is the page's run order). Each run gets an equal share
 * of `maxEmbedChars` for its episodes, filled in file order; once it is full, a failed episode
 * takes the place of successes of its own task, and a failed episode or a task's first one that of
 * successes of tasks that keep another episode. Episodes left out are counted in `data.omitted`.
 */
export function collectPage(dirs: readonly string[], options: CollectOptions = {}): CollectedPage {
  const note = options.note ?? ((t: string) => void process.stderr.write(t));
  const summaries = dirs.map((d) => loadRunSummary(d, { note }));
  const runs = summaries.map((s, i) => pageRun(s, dirs[i] as string, i));
  label(runs);
  const resample: ResampleOptions = {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.resamples === undefined ? {} : { resamples: options.resamples }),
    ...(options.confidence === undefined ? {} : { confidence: options.confidence }),
  };
  const intervals = summaries.map((s) => passHatKIntervals(taskCountsOf(s), resample));
  const taskIds: string[] = [];
  const seenTask = new Set<string>();
  const cells: PageCell[] = [];
  summaries.forEach((s, run) => {
    const order = s.metadata.taskIds?.filter((id) => id in s.perTask) ?? [];
    for (const id of [...order, ...Object.keys(s.perTask)]) {
      if (!seenTask.has(id)) {
        seenTask.add(id);
        taskIds.push(id);
      }
    }
    for (const [taskId, t] of Object.entries(s.perTask)) cells.push({ run, taskId, successes: t.successes, n: t.n, excluded: t.excluded });
  });

  const tasksOf = taskLoader(options.loadTasks);
  const budget = Math.floor((options.maxEmbedChars ?? DEFAULT_MAX_EMBED_CHARS) / Math.max(1, dirs.length));
  const episodes: ViewerEpisode[] = [];
  const omitted: PageData['omitted'] = [];
  const goldNotes: PageData['goldNotes'] = [];
  summaries.forEach((s, run) => {
    const loaded = tasksOf(s.config);
    if (loaded.note !== undefined) goldNotes.push({ run, note: loaded.note });
    const byId = new Map((loaded.tasks ?? []).map((t) => [t.id, t]));
    const taskOf = (id: string): Task | undefined => (loaded.tasks === undefined ? undefined : (byId.get(id) ?? findTaskByRef(loaded.tasks, id)));
    // Over the budget, a failed episode or a task's first one takes the place of successes: of its
    // own task (for a failure), else of tasks that keep another episode (latest first).
    const kept = new Map<string, { ep: ViewerEpisode; chars: number; infra: boolean }>();
    const perTask = new Map<string, number>();
    const successes = new Map<string, string[]>();
    const spare: string[] = [];
    const left = new Set<string>();
    let used = 0;
    /** Drops the latest kept success of `task` (when `keepOne`, only if the task keeps another); false if none. */
    const dropSuccessOf = (task: string, keepOne: boolean): boolean => {
      if (keepOne && (perTask.get(task) ?? 0) <= 1) return false;
      const list = successes.get(task) ?? [];
      while (list.length > 0) {
        const key = list.pop() as string;
        const k = kept.get(key);
        if (k === undefined || !k.ep.success) continue;
        kept.delete(key);
        used -= k.chars;
        perTask.set(task, (perTask.get(task) ?? 1) - 1);
        left.add(key);
        return true;
      }
      return false;
    };
    for (const { record } of new EpisodeStream(join(dirs[run] as string, EPISODES_FILE))) {
      const key = episodeKey(record);
      const infra = record.termination.reason === 'infrastructure_error';
      const prev = kept.get(key);
      if (prev !== undefined && infra && !prev.infra) continue;
      if (left.has(key)) continue;
      const ep = viewerEpisode(record, run, taskOf(record.taskId), options.limits);
      const chars = JSON.stringify(ep).length;
      if (prev === undefined && used + chars > budget) {
        if (!ep.success) while (used + chars > budget && dropSuccessOf(ep.taskId, false));
        if (!ep.success || (perTask.get(ep.taskId) ?? 0) === 0) {
          while (used + chars > budget && spare.length > 0) if (!dropSuccessOf(spare[spare.length - 1] as string, true)) spare.pop();
        }
        if (used + chars > budget) {
          left.add(key);
          continue;
        }
      }
      used += chars - (prev?.chars ?? 0);
      if (prev === undefined) perTask.set(ep.taskId, (perTask.get(ep.taskId) ?? 0) + 1);
      kept.set(key, { ep, chars, infra });
      if (ep.success) {
        const list = successes.get(ep.taskId);
        if (list === undefined) successes.set(ep.taskId, [key]);
        else list.push(key);
      }
      if ((perTask.get(ep.taskId) ?? 0) > 1) spare.push(ep.taskId);
    }
    if (left.size > 0) omitted.push({ run, episodes: left.size });
    const position = new Map(taskIds.map((id, i) => [id, i]));
    episodes.push(...[...kept.values()].map((k) => k.ep).sort((a, b) => (position.get(a.taskId) ?? 0) - (position.get(b.taskId) ?? 0) || a.trial - b.trial));
  });
  return { data: { runs, episodes, omitted, goldNotes }, summaries, intervals, cells, taskIds };
}
