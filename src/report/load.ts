/**
 * Finding stored runs for reports: a directory is a run when it holds `run.json`; its summary is
 * `summary.json` when it still describes the run, else rebuilt from `run.json` + `episodes.jsonl`
 * by streaming (so a run cut short, or resumed and killed, reports what it has). Directories of
 * runs are searched one level down.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError } from '../core/errors.js';
import { EPISODES_FILE, RUN_FILE, SUMMARY_FILE, readManifest } from '../runner/results.js';
import { acquireRunLock, describeHolder, RunLockedError, type RunLock } from '../runner/run-lock.js';
import { summarizeRun, summaryStaleness, writeSummary } from '../runner/summary-file.js';
import type { RunSummary } from '../runner/summary.js';

/**
 * Run directories under each path: the path itself if it is a run, else runs found below it up
 * to `depth` levels down (default 1: its children). Sorted, each once.
 * @throws DataError for a path that does not exist, is a file, or holds no run within `depth`
 * levels (saying where deeper runs are, when there are some).
 */
export function findRunDirs(paths: readonly string[], depth = 1): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    if (!existsSync(p)) throw new DataError(`no such results directory: ${p}`, { code: 'data_not_found', path: p });
    if (!statSync(p).isDirectory()) {
      const name = basename(p);
      const inRun = [RUN_FILE, SUMMARY_FILE, EPISODES_FILE].includes(name) ? ` (for this file: ${dirname(p)})` : '';
      throw new DataError(`${p} is a file: give a run directory (a folder holding ${RUN_FILE}) or a folder of runs${inRun}`, { code: 'data_not_found', path: p });
    }
    const found = runsBelow(p, depth);
    if (found.length === 0) {
      const deeper = runsBelow(p, depth + DEEPER_LEVELS, 1)[0];
      const levels = `${depth} level${depth === 1 ? '' : 's'}`;
      throw new DataError(
        deeper === undefined
          ? `no runs in ${p}: no folder holding ${RUN_FILE} there or below`
          : `no runs within ${levels} of ${p}; runs sit deeper, e.g. ${deeper}: give ${dirname(deeper)} (or the run itself)`,
        { code: 'data_not_found', path: p },
      );
    }
    for (const d of found) out.add(d);
  }
  return [...out];
}

/** How much deeper than asked {@link findRunDirs} looks to say where runs are. */
const DEEPER_LEVELS = 5;

/** Run folders at or below `dir` (up to `depth` levels), sorted; at most `limit`. Skips dot folders and node_modules. */
function runsBelow(dir: string, depth: number, limit = Infinity): string[] {
  const out: string[] = [];
  const walk = (d: string, left: number): void => {
    if (out.length >= limit) return;
    if (existsSync(join(d, RUN_FILE))) {
      out.push(d);
      return;
    }
    if (left === 0) return;
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const child = join(d, name);
      if (statSync(child).isDirectory()) walk(child, left - 1);
    }
  };
  walk(dir, depth);
  return out;
}

/** Options of {@link loadRunSummary}. */
export interface LoadSummaryOptions {
  /** Where to say that a summary was rebuilt (and why). Default stderr. */
  note?: (text: string) => void;
  /**
   * Write a rebuilt summary back to `summary.json` (under the run lock; skipped while another
   * process writes the run, or when the directory is read-only). Default true.
   */
  save?: boolean;
}

/** The summary of a run directory: {@link loadRunSummary} with notes on stderr. */
export function loadSummary(dir: string): RunSummary {
  return loadRunSummary(dir);
}

/**
 * The summary of a run directory: `summary.json` when it still describes `run.json` and
 * `episodes.jsonl` (its stamp matches), else rebuilt from them by streaming — saying so, and
 * saving it unless a writer holds the run.
 * @throws DataError when `summary.json` is not valid JSON and there is no run to rebuild it from.
 */
export function loadRunSummary(dir: string, options: LoadSummaryOptions = {}): RunSummary {
  const note = options.note ?? ((t: string) => void process.stderr.write(t));
  const stored = join(dir, SUMMARY_FILE);
  let reason = `no ${SUMMARY_FILE}`;
  let ours = true;
  if (existsSync(stored)) {
    let s: RunSummary | undefined;
    try {
      s = JSON.parse(readFileSync(stored, 'utf8')) as RunSummary;
    } catch (e) {
      if (!existsSync(join(dir, RUN_FILE))) throw new DataError(`${stored}: not valid JSON (${(e as Error).message})`, { path: stored });
      reason = `${SUMMARY_FILE} is not valid JSON (${(e as Error).message})`;
      ours = false; // the harness writes it atomically: a broken one is someone else's
    }
    if (s !== undefined && s.format !== 'taubp-summary') {
      if (!existsSync(join(dir, RUN_FILE))) throw new DataError(`${stored}: not a taubp summary`, { path: stored });
      reason = `${SUMMARY_FILE} is not a taubp summary`;
      ours = false;
    } else if (s !== undefined) {
      // A summary kept without its episodes (e.g. the stored reference runs) is all there is.
      if (!existsSync(join(dir, EPISODES_FILE))) return s;
      const stale = summaryStaleness(dir, s);
      if (stale === null) return s;
      reason = `${SUMMARY_FILE} is stale: ${stale}`;
    }
  }
  const manifest = readManifest(dir);
  let summary: RunSummary;
  let saved = '';
  if (options.save === false || !ours) {
    summary = summarizeRun(dir, manifest);
    if (!ours) saved = ` (not saved: the harness does not overwrite a file it did not write)`;
  } else {
    let lock: RunLock | undefined;
    try {
      lock = acquireRunLock(dir, { command: 'taubp report (rebuilding summary.json)', warn: note });
    } catch (e) {
      saved = e instanceof RunLockedError && e.holder !== undefined ? ` (not saved: ${describeHolder(e.holder)} is writing this run)` : ` (not saved: ${(e as Error).message})`;
    }
    try {
      summary = summarizeRun(dir, manifest);
      if (lock !== undefined) {
        try {
          writeSummary(dir, summary);
          saved = ` and saved it`;
        } catch (e) {
          saved = ` (not saved: ${(e as Error).message})`;
        }
      }
    } finally {
      lock?.release();
    }
  }
  note(`${dir}: ${reason}; rebuilt the summary from ${EPISODES_FILE} (${summary.results.episodes} episodes)${saved}\n`);
  return summary;
}
