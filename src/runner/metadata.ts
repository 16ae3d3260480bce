/**
 * Provenance of a run: package version, git commit, Node version, and sha256 of every data,
 * task and policy file it read, plus a hash of the selected tasks themselves.
 */
import { execFileSync } from 'node:child_process';
import type { PackIdentity } from '../prompts/pack.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { PyFloat } from '../core/py/py-float.js';
import type { Task } from '../core/task.js';
import type { RunExtension, TaskPart } from './run-growth.js';

const REPO_ROOT = PACKAGE_ROOT;

/** A file a run read, with its content hash. */
export interface FileHash {
  path: string;
  sha256: string;
}

/** Provenance kept in `run.json`. */
export interface RunMetadata {
  /** Plug-ins the run was made with (`--plugin`), by name and where they were loaded from; absent: none. */
  plugins?: Array<{ name: string; source: string }>;
  harness: { name: string; version: string };
  /** Commit of the harness checkout, with `dirty` when it had uncommitted changes; null outside git. */
  git: { commit: string; dirty: boolean } | null;
  node: string;
  /** When the run directory was created (ISO 8601). */
  createdAt: string;
  /** Data, task and policy files read, with sha256. */
  files: FileHash[];
  /** sha256 of the selected tasks as loaded (stable across paths and machines). */
  tasksSha256: string;
  taskCount: number;
  /** Episodes the run (or shard) consists of. */
  plannedEpisodes: number;
  /** Loop semantics of the tasks (`v1`, `tau2`). */
  semantics: string;
  /** True when a model is simulated: outputs must say "simulated model". */
  simulated: boolean;
  /** Shard runs merged into this directory (by `taubp merge`). */
  mergedFrom?: string[];
  /** When the run was resumed (ISO 8601), with the harness commit of each resume. */
  resumed?: Array<{ at: string; git: { commit: string; dirty: boolean } | null }>;
  /** Ids of the selected tasks, in order (absent in runs made before they were recorded). */
  taskIds?: string[];
  /** A run merged from runs of different task selections: each selection and its tasks' hash (checked by `--resume`). */
  taskParts?: TaskPart[];
  /** Each time `--resume` grew the run (more trials, more tasks). */
  extended?: RunExtension[];
  /**
   * The prompt pack the models saw (src/prompts/pack.ts): kind, source and a sha256 per element.
   * Absent in runs recorded before packs existed (they used the harness text).
   */
  prompts?: PackIdentity;
  /** A replayed run (`taubp replay --out`): the run it replays, and that run's recorded cost (USD; null when a model was unpriced). */
  replayOf?: { dir: string; name: string; createdAt: string; costUsd: number | null };
}

/** sha256 hex of a file's bytes. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Hashes each file (deduplicated, in order). */
export function hashFiles(paths: readonly string[]): FileHash[] {
  return [...new Set(paths.map((p) => resolve(p)))].map((path) => ({ path, sha256: sha256File(path) }));
}

/** sha256 of the selected tasks (ids, instructions, gold actions…) in order; floats are marked as such. */
export function tasksSha256(tasks: readonly Task[]): string {
  const text = JSON.stringify(tasks, (_key, value: unknown) => (value instanceof PyFloat ? { float: value.value } : value));
  return createHash('sha256').update(text).digest('hex');
}

/** The harness's package name and version. */
export function harnessVersion(root = REPO_ROOT): { name: string; version: string } {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string; version?: string };
    return { name: pkg.name ?? 'unknown', version: pkg.version ?? 'unknown' };
  } catch {
    return { name: 'unknown', version: 'unknown' };
  }
}

/** The harness checkout's git commit, or null when git or the repository is unavailable. */
export function gitCommit(root = REPO_ROOT): { commit: string; dirty: boolean } | null {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return null;
  }
}
