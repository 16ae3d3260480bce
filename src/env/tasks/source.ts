/**
 * Finding a domain's tasks (and policy) in a data directory, whatever its layout:
 * - a τ-bench v1 data directory with `tasks_<split>.json` (as in `../shared/taubench/<domain>/`);
 * - a τ-bench checkout: `<checkout>/tau_bench/envs/<domain>/tasks_<split>.py` (+ `wiki.md`, `data/`);
 * - a τ² domain directory with `tasks.json` and `split_tasks.json` (+ `policy.md`, `db.json`);
 * - a τ² checkout: `<checkout>/data/tau2/domains/<domain>/` (a τ² domain directory) with the
 *   Python sources in `<checkout>/src/tau2/`, which the τ² reference prompt pack reads.
 * A directory holding `<domain>/` is searched one level down, so `--data ../shared/taubench` works.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DataError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { loadTau2Tasks, readTau2Splits } from './tau2.js';
import { loadTaubenchPyTasks, loadV1TasksJson } from './v1.js';

/** Layout of a task source. */
export type TaskSourceKind = 'tau-v1' | 'taubench-py' | 'tau2';

/** A detected task source. */
export interface TaskSource {
  kind: TaskSourceKind;
  domain: string;
  /** The directory holding the task files (for a checkout: `tau_bench/envs/<domain>`). */
  dir: string;
  /** The directory holding the database files (v1 tables or `db.json`); may not exist (τ² airline). */
  dataDir: string;
  /** Policy file this source ships, when present (`wiki.md` or `policy.md`). */
  policyFile?: string;
  /**
   * τ² sources only: the root of the τ² checkout the domain directory lies in
   * (`<root>/data/tau2/domains/<domain>` with `<root>/src/tau2/`), when it is one.
   */
  checkout?: string;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function filesMatching(dir: string, re: RegExp): string[] {
  try {
    return readdirSync(dir).filter((f) => re.test(f));
  } catch {
    return [];
  }
}

function firstExisting(dir: string, names: string[]): string | undefined {
  for (const n of names) if (existsSync(join(dir, n))) return join(dir, n);
  return undefined;
}

function withPolicy(src: Omit<TaskSource, 'policyFile'>, names: string[]): TaskSource {
  const policyFile = firstExisting(src.dir, names);
  return policyFile === undefined ? src : { ...src, policyFile };
}

/** The τ² checkout root of a domain directory laid out as `<root>/data/tau2/domains/<d>`, if any. */
export function tau2CheckoutOf(domainDir: string): string | undefined {
  const root = resolve(domainDir, '..', '..', '..', '..');
  return resolve(root, 'data', 'tau2', 'domains', basename(domainDir)) === resolve(domainDir) && isDir(join(root, 'src', 'tau2')) ? root : undefined;
}

function tau2Source(dir: string, domain: string): TaskSource {
  const src = withPolicy({ kind: 'tau2', domain, dir, dataDir: dir }, ['policy.md']);
  const checkout = tau2CheckoutOf(dir);
  return checkout === undefined ? src : { ...src, checkout };
}

function detectHere(dir: string, domain: string): TaskSource | undefined {
  const tau2Domain = join(dir, 'data', 'tau2', 'domains', domain);
  if (existsSync(join(tau2Domain, 'tasks.json'))) return tau2Source(tau2Domain, domain);
  const checkoutEnv = [join(dir, 'tau_bench', 'envs', domain), join(dir, 'envs', domain)].find(isDir);
  if (checkoutEnv !== undefined && filesMatching(checkoutEnv, /^tasks_\w+\.py$/).length > 0) {
    return withPolicy({ kind: 'taubench-py', domain, dir: checkoutEnv, dataDir: join(checkoutEnv, 'data') }, ['wiki.md']);
  }
  if (existsSync(join(dir, 'tasks.json'))) return tau2Source(dir, domain);
  if (filesMatching(dir, /^tasks_\w+\.json$/).length > 0) return withPolicy({ kind: 'tau-v1', domain, dir, dataDir: dir }, ['wiki.md', 'policy.md']);
  if (filesMatching(dir, /^tasks_\w+\.py$/).length > 0) {
    const dataDir = isDir(join(dir, 'data')) ? join(dir, 'data') : dir;
    return withPolicy({ kind: 'taubench-py', domain, dir, dataDir }, ['wiki.md']);
  }
  return undefined;
}

/**
 * Detects the task source of `domain` in `dir` (or in `dir/<domain>`). Throws a `data_not_found`
 * {@link DataError} saying what was looked for.
 */
export function detectTaskSource(dir: string, domain: string): TaskSource {
  const abs = resolve(dir);
  if (!isDir(abs)) throw new DataError(`data directory not found: ${dir}`, { code: 'data_not_found', path: dir });
  const found = detectHere(abs, domain) ?? (isDir(join(abs, domain)) ? detectHere(join(abs, domain), domain) : undefined);
  if (found === undefined) {
    throw new DataError(
      `no ${domain} tasks in ${dir}: expected tasks_<split>.json (τ-bench v1 data), tau_bench/envs/${domain}/tasks_<split>.py (τ-bench checkout), tasks.json (τ² domain directory) or data/tau2/domains/${domain}/tasks.json (τ² checkout)`,
      { code: 'data_not_found', path: dir },
    );
  }
  return found;
}

/** Splits a source offers, e.g. `['dev', 'test', 'train']` or τ²'s `['base', 'test', 'train']`. */
export function listSplits(source: TaskSource): string[] {
  if (source.kind === 'tau2') {
    const splits = readTau2Splits(source.dir);
    return [...new Set(['base', ...(splits?.keys() ?? [])])].sort();
  }
  const re = source.kind === 'tau-v1' ? /^tasks_(\w+)\.json$/ : /^tasks_(\w+)\.py$/;
  return filesMatching(source.dir, re)
    .map((f) => (re.exec(f) as RegExpExecArray)[1] as string)
    .sort();
}

/** Loads one split of a detected source. An unknown split is a `data_not_found` error listing the known ones. */
export function loadTasksFrom(source: TaskSource, split: string): Task[] {
  if (source.kind === 'tau2') return loadTau2Tasks(source.dir, source.domain, split);
  const file = join(source.dir, source.kind === 'tau-v1' ? `tasks_${split}.json` : `tasks_${split}.py`);
  if (!existsSync(file)) {
    throw new DataError(`no split "${split}" for ${source.domain} in ${source.dir} (available: ${listSplits(source).join(', ') || 'none'})`, {
      code: 'data_not_found',
      path: file,
    });
  }
  return source.kind === 'tau-v1' ? loadV1TasksJson(file, source.domain, split) : loadTaubenchPyTasks(file, source.domain, split);
}

/**
 * Loads the tasks of `split` for `domain` from a data directory in any supported layout.
 * Domains implement `Domain.loadTasks(dir, split)` by delegating here.
 */
export function loadTasks(domain: string, dir: string, split: string): Task[] {
  return loadTasksFrom(detectTaskSource(dir, domain), split);
}
