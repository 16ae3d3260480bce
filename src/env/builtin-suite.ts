/**
 * Shared loading logic of a domain's built-in data source (`builtin`): generated tables, validated
 * against the domain's record schemas, turned into a base database with generated tasks and the
 * policy text, memoised per seed/scale/count. Domain-agnostic: each domain passes its generators,
 * schemas and policy path (see `domains/<domain>/builtin.ts`).
 */
import { readTextFile } from '../core/utf8.js';
import type { z } from 'zod';
import type { Seed } from '../core/rng.js';
import type { Task } from '../core/task.js';
import { validateValue } from './data-files.js';
import type { BaseDb } from './db-state.js';
import type { LoadedData } from './domain.js';
import type { ToolRegistry } from './registry.js';

/** Options of a built-in suite loader (each default comes from the domain's {@link BuiltinSuiteSpec}; scale defaults to 1). */
export interface BuiltinSuiteOptions {
  seed?: Seed;
  scale?: number;
  count?: number;
}

/** A loaded built-in suite. */
export interface BuiltinSuite {
  data: LoadedData;
  tasks: Task[];
  /** The policy text (the domain's `policy.md`). */
  policy: string;
}

/** Generated tables: each table as `[id, record]` rows in file order. */
export type GeneratedTables<K extends string> = Record<K, Array<[string, unknown]>>;

/** What a domain supplies to {@link builtinSuiteLoader}. */
export interface BuiltinSuiteSpec<T> {
  /** Domain name, used in the validation label `<builtin NAME seed=… scale=…>`. */
  domain: string;
  /** Seed of the fixed built-in suite. */
  defaultSeed: Seed;
  /** Number of tasks by default. */
  defaultCount: number;
  /** Path of the policy document (read as the suite's policy, and recorded in `data.files`). */
  policyPath: string;
  generateTables(options: { seed: Seed; scale: number }): T;
  /** Throws a DataError naming the first invalid record. */
  validateTables(tables: T, label: string): void;
  baseDb(tables: T): BaseDb;
  /** The v1 tools the tasks' gold actions run with. */
  registry(): ToolRegistry;
  generateTasks(options: { base: BaseDb; registry: ToolRegistry; seed: Seed; count: number }): Task[];
}

/**
 * Validates every generated record against its table's schema, tables in the schemas' key order
 * (throws a DataError naming `LABEL/TABLE.json` and the record id).
 */
export function validateGeneratedTables<K extends string>(schemas: Readonly<Record<K, z.ZodType>>, tables: GeneratedTables<K>, label: string): void {
  for (const name of Object.keys(schemas) as K[]) {
    for (const [id, rec] of tables[name]) validateValue(schemas[name], rec, `${label}/${name}.json`, [id]);
  }
}

/**
 * Returns a loader that generates (once per seed/scale/count, then memoised in its own cache) the
 * domain's built-in database, its tasks and the policy. The database uses the v1 tools (`variant: 'v1'`).
 */
export function builtinSuiteLoader<T>(spec: BuiltinSuiteSpec<T>): (options?: BuiltinSuiteOptions) => BuiltinSuite {
  const cache = new Map<string, BuiltinSuite>();
  return (options = {}) => {
    const seed = options.seed ?? spec.defaultSeed;
    const scale = options.scale ?? 1;
    const count = options.count ?? spec.defaultCount;
    const key = JSON.stringify([String(seed), scale, count]);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const tables = spec.generateTables({ seed, scale });
    spec.validateTables(tables, `<builtin ${spec.domain} seed=${String(seed)} scale=${scale}>`);
    const base = spec.baseDb(tables);
    const tasks = spec.generateTasks({ base, registry: spec.registry(), seed, count });
    const suite: BuiltinSuite = { data: { base, format: 'builtin', variant: 'v1', files: [spec.policyPath] }, tasks, policy: readTextFile(spec.policyPath) };
    cache.set(key, suite);
    return suite;
  };
}
