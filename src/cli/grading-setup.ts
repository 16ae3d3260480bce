/**
 * What re-grading stored trajectories needs, without any model: a domain's tasks of a split (from a
 * τ-bench checkout or data dir, a τ² domain dir, or the built-in suite), its database, the tool
 * variant, and a reward context. Shared by `taubp verify` and `taubp import`.
 */
import { existsSync } from 'node:fs';
import { DataError, UsageError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import type { LoadedData, ToolVariant } from '../env/domain.js';
import { GoldCache } from '../env/reward/gold.js';
import type { RewardContext } from '../env/reward/score.js';
import { findTaskByRef } from '../env/tasks/lookup.js';
import { loadTasksFrom, type TaskSource } from '../env/tasks/source.js';
import { domainTaskSource, getDomain, isBuiltinData, loadBuiltinSuite, loadDomainData, type DomainMap } from './registry.js';
import { taskFiles } from './run-setup.js';

/** Where the tasks and database come from. */
export interface GradingSourceOptions {
  domain: string;
  /** τ-bench v1 data dir, τ-bench checkout, τ² domain dir, or `builtin[:seed]`. */
  data: string;
  /** Database directory when it is not beside the tasks. */
  db?: string | undefined;
  /** Task split. */
  split: string;
  /** Tool variant; default `tau2` for τ² tasks, else the data's own. */
  variant?: ToolVariant | undefined;
}

/** Tasks, database and reward context for re-grading. */
export interface GradingSetup {
  /** Every task of the split, in order. */
  tasks: Task[];
  /** Where the tasks came from, for messages (`taubench-py in <dir>`, `built-in suite builtin`). */
  tasksFrom: string;
  /** The task source (undefined for the built-in suite). */
  source: TaskSource | undefined;
  loaded: LoadedData;
  toolVariant: ToolVariant;
  /** Base database, tools of the variant, and a gold cache shared by every trajectory. */
  ctx: RewardContext;
  /** Database and task files read (for run metadata hashes). */
  files: string[];
}

/** Loads the database; without `db`, a missing database says how to point at one. */
function loadDb(name: string, db: string | undefined, data: string, variant: ToolVariant | undefined, domains: DomainMap): LoadedData {
  try {
    return loadDomainData(name, db ?? data, variant, domains);
  } catch (e) {
    if (db === undefined && e instanceof DataError && e.code === 'data_not_found') {
      throw new DataError(`${e.message}. The tasks in ${data} have no database beside them: pass --db <dir> (e.g. τ² airline tasks on the v1 tables of a τ-bench checkout: --db ~/src/tau-bench)`, {
        code: 'data_not_found',
        path: e.path ?? data,
        cause: e,
      });
    }
    throw e;
  }
}

/** Loads a domain's tasks of a split, its database and a reward context (no model). */
export function loadGradingSetup(o: GradingSourceOptions, domains: DomainMap): GradingSetup {
  const domain = getDomain(o.domain, domains);
  const builtin = isBuiltinData(o.data) ? loadBuiltinSuite(o.domain, o.data) : undefined;
  const source = builtin === undefined ? domainTaskSource(o.domain, o.data, domains) : undefined;
  const tasks = builtin?.tasks ?? loadTasksFrom(source as TaskSource, o.split);
  const tasksFrom = source === undefined ? `built-in suite ${o.data}` : `${source.kind} in ${source.dir}`;
  const variant = o.variant ?? (tasks.some((t) => t.format === 'tau2') ? 'tau2' : undefined);
  const loaded = builtin?.data ?? loadDb(o.domain, o.db, o.data, variant, domains);
  const toolVariant = variant ?? loaded.variant;
  const files = [...loaded.files, ...(source === undefined ? [] : taskFiles(source, o.split).filter((f) => existsSync(f)))];
  return { tasks, tasksFrom, source, loaded, toolVariant, ctx: { base: loaded.base, registry: domain.registry(toolVariant), gold: new GoldCache() }, files };
}

/** The task a stored trajectory names: a v1 index (number), or a τ² id / index as text. */
export function findTask(tasks: readonly Task[], ref: number | string, origin: string): Task {
  const t = findTaskByRef(tasks, ref);
  if (t === undefined) throw new UsageError(`${origin}: task ${JSON.stringify(ref)} is not in the selected tasks`);
  return t;
}
