/**
 * The built-in retail data source (`builtin`): this project's own generated database, policy and
 * tasks, needing no τ-bench files. The default seed and scale give the fixed built-in suite of 100
 * tasks; other seeds give fresh variants.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Seed } from '../../src/core/rng.js';
import type { Task } from '../../src/core/task.js';
import { validateValue } from '../../src/env/data-files.js';
import type { LoadedData } from '../../src/env/domain.js';
import { DEFAULT_RETAIL_SEED, retailBaseDb, generateRetailTables, type RetailTables } from './generator/data.js';
import { generateRetailTasks } from './generator/tasks.js';
import { retailRegistry } from './registry.js';
import { RETAIL_RECORD_SCHEMAS } from './schema.js';

/** Options of {@link loadBuiltin}. */
export interface BuiltinOptions {
  /** Seed of data and tasks. Default {@link DEFAULT_RETAIL_SEED} (the fixed suite). */
  seed?: Seed;
  /** Data scale (1: about 100 customers, 240 orders; the catalogue is fixed). Default 1. */
  scale?: number;
  /** Number of tasks. Default 100. */
  count?: number;
}

/** A loaded built-in suite. */
export interface BuiltinSuite {
  data: LoadedData;
  tasks: Task[];
  /** The policy text (`domains/retail/policy.md`). */
  policy: string;
}

/** Path of the retail policy document. */
export const POLICY_PATH = fileURLToPath(new URL('./policy.md', import.meta.url));

/** Validates every generated record against the retail record schemas (throws a DataError naming the record). */
export function validateRetailTables(tables: RetailTables, label: string): void {
  for (const name of ['orders', 'products', 'users'] as const) {
    for (const [id, rec] of tables[name]) validateValue(RETAIL_RECORD_SCHEMAS[name], rec, `${label}/${name}.json`, [id]);
  }
}

const cache = new Map<string, BuiltinSuite>();

/**
 * Generates (once per seed/scale/count, then memoised) the built-in retail database, its tasks
 * and the policy. The database uses the v1 tools (`variant: 'v1'`).
 */
export function loadBuiltin(options: BuiltinOptions = {}): BuiltinSuite {
  const seed = options.seed ?? DEFAULT_RETAIL_SEED;
  const scale = options.scale ?? 1;
  const count = options.count ?? 100;
  const key = JSON.stringify([String(seed), scale, count]);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const tables = generateRetailTables({ seed, scale });
  validateRetailTables(tables, `<builtin retail seed=${String(seed)} scale=${scale}>`);
  const base = retailBaseDb(tables);
  const tasks = generateRetailTasks({ base, registry: retailRegistry('v1'), seed, count });
  const suite: BuiltinSuite = { data: { base, format: 'builtin', variant: 'v1', files: [POLICY_PATH] }, tasks, policy: readFileSync(POLICY_PATH, 'utf8') };
  cache.set(key, suite);
  return suite;
}
