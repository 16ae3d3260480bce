/**
 * Finding stored runs for reports: a directory is a run when it holds `run.json`; its summary is
 * `summary.json` when present, else rebuilt from `run.json` + `episodes.jsonl` (so a run cut short
 * still reports what it has). Directories of runs are searched one level down.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../core/errors.js';
import { EPISODES_FILE, RUN_FILE, SUMMARY_FILE, dedupeEpisodes, readEpisodes, readManifest } from '../runner/results.js';
import { buildSummary, type RunSummary } from './summary.js';

/**
 * Run directories under each path: the path itself if it is a run, else runs found below it up
 * to `depth` levels down (default 1: its children). Sorted, each once.
 */
export function findRunDirs(paths: readonly string[], depth = 1): string[] {
  const out = new Set<string>();
  const walk = (dir: string, left: number): void => {
    if (existsSync(join(dir, RUN_FILE))) {
      out.add(dir);
      return;
    }
    if (left === 0) return;
    for (const name of readdirSync(dir).sort()) {
      const child = join(dir, name);
      if (statSync(child).isDirectory()) walk(child, left - 1);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new DataError(`no such results directory: ${p}`, { code: 'data_not_found', path: p });
    walk(p, depth);
  }
  return [...out];
}

/** The summary of a run directory (stored, or rebuilt from its episodes). */
export function loadSummary(dir: string): RunSummary {
  const stored = join(dir, SUMMARY_FILE);
  if (existsSync(stored)) {
    try {
      const s = JSON.parse(readFileSync(stored, 'utf8')) as RunSummary;
      if (s.format === 'taubp-summary') return s;
    } catch (e) {
      throw new DataError(`${stored}: not valid JSON (${(e as Error).message})`, { path: stored });
    }
    throw new DataError(`${stored}: not a taubp summary`, { path: stored });
  }
  const manifest = readManifest(dir);
  const { records } = readEpisodes(join(dir, EPISODES_FILE));
  return buildSummary(manifest, dedupeEpisodes(records));
}
