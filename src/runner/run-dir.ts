/**
 * Whether a folder may receive a run: the harness never overwrites a file it did not write. A new
 * path or an empty folder is fine; so is a run directory of the same configuration (its files are
 * the harness's own). A folder holding anything else — a `run.json` that is not a taubp manifest,
 * a different run, a `summary.json` or `episodes.jsonl` without a `run.json`, any other file — is
 * refused before anything is written, and its files stay as they are.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, HarnessError } from '../core/errors.js';
import { identityDifferences } from './config.js';
import { readManifest, RUN_FILE, type RunManifest } from './results.js';
import { LOCK_FILE } from './run-lock.js';

/** How a run directory's stored run must relate to the one about to be written. */
export type RunDirMatch =
  /** `run`: the same identity settings and shard. */
  | 'same-config'
  /** `merge`: the same identity settings except the task selection, and the same data files. */
  | 'same-data'
  /** `run --resume` (checked by the caller): any taubp run. */
  | 'any-run';

const TEMPORARY = /^(run\.json|episodes\.jsonl|summary\.json)\.tmp-\d+$/;

/** True for the names of files only the harness writes and that belong to no run: the lock and temporaries. */
function isBookkeeping(name: string): boolean {
  return name === LOCK_FILE || name === `${LOCK_FILE}.takeover` || TEMPORARY.test(name);
}

function fileSums(m: RunManifest): string {
  return m.metadata.files
    .map((f) => f.sha256)
    .sort()
    .join(',');
}

/**
 * Checks that `dir` may receive `manifest`'s run (see the module comment); returns the stored
 * manifest when `dir` already is a run.
 * @throws ConfigError naming what is in the way; nothing is changed.
 */
export function checkRunDir(dir: string, manifest: RunManifest, match: RunDirMatch, command: string): RunManifest | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) throw new ConfigError(`${command}: --out ${dir} is a file, not a directory`, { path: dir });
  const names = readdirSync(dir).sort();
  if (!names.includes(RUN_FILE)) {
    const foreign = names.filter((n) => !isBookkeeping(n));
    if (foreign.length === 0) return undefined;
    const shown = foreign.slice(0, 6).join(', ') + (foreign.length > 6 ? `, … (${foreign.length} in all)` : '');
    throw new ConfigError(
      `${command}: --out ${dir} is not empty and not a taubp run (no ${RUN_FILE}; it holds ${shown}); the harness does not overwrite files it did not write: choose a new or empty --out (nothing was changed)`,
      { path: dir },
    );
  }
  let stored: RunManifest;
  try {
    stored = readManifest(dir);
  } catch (e) {
    const why = e instanceof HarnessError ? e.message : String(e);
    throw new ConfigError(`${command}: --out ${dir} holds a ${RUN_FILE} that taubp did not write (${why}); choose a new or empty --out (nothing was changed)`, { path: join(dir, RUN_FILE) });
  }
  if (match === 'any-run') return stored;
  const diffs = identityDifferences(stored.config, manifest.config, match === 'same-data' ? ['tasks'] : []);
  if (match === 'same-config' && JSON.stringify(stored.config.shard) !== JSON.stringify(manifest.config.shard)) {
    diffs.push(`shard: ${JSON.stringify(stored.config.shard)} ≠ ${JSON.stringify(manifest.config.shard)}`);
  }
  if (match === 'same-data' && fileSums(stored) !== fileSums(manifest)) diffs.push('data, task or policy files differ (sha256)');
  if (diffs.length > 0) {
    throw new ConfigError(
      `${command}: --out ${dir} holds a different run (${diffs.join('; ')}); choose a new or empty --out${match === 'same-config' ? ', or continue that run with --resume and its own settings' : ''} (nothing was changed)`,
      { path: dir },
    );
  }
  return stored;
}
