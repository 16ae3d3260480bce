/**
 * The built-in retail data source (`builtin`): this project's own generated database, policy and
 * tasks, needing no τ-bench files. The default seed and scale give the fixed built-in suite of 100
 * tasks; other seeds give fresh variants.
 */
import { packagePath } from '../../src/core/package-root.js';
import type { Seed } from '../../src/core/rng.js';
import { builtinSuiteLoader, validateGeneratedTables, type BuiltinSuite } from '../../src/env/builtin-suite.js';
import { DEFAULT_RETAIL_SEED, retailBaseDb, generateRetailTables, type RetailTables } from './generator/data.js';
import { generateRetailTasks } from './generator/tasks.js';
import { retailRegistry } from './registry.js';
import { RETAIL_RECORD_SCHEMAS } from './schema.js';

export type { BuiltinSuite } from '../../src/env/builtin-suite.js';

/** Options of {@link loadBuiltin}. */
export interface BuiltinOptions {
  /** Seed of data and tasks. Default {@link DEFAULT_RETAIL_SEED} (the fixed suite). */
  seed?: Seed;
  /** Data scale (1: about 100 customers, 240 orders; the catalogue is fixed). Default 1. */
  scale?: number;
  /** Number of tasks. Default 100. */
  count?: number;
}

/** Path of the retail policy document. */
export const POLICY_PATH = packagePath('domains', 'retail', 'policy.md');

/** Validates every generated record against the retail record schemas (throws a DataError naming the record). */
export function validateRetailTables(tables: RetailTables, label: string): void {
  validateGeneratedTables(RETAIL_RECORD_SCHEMAS, tables, label);
}

const load = builtinSuiteLoader({
  domain: 'retail',
  defaultSeed: DEFAULT_RETAIL_SEED,
  defaultCount: 100,
  policyPath: POLICY_PATH,
  generateTables: generateRetailTables,
  validateTables: validateRetailTables,
  baseDb: retailBaseDb,
  registry: () => retailRegistry('v1'),
  generateTasks: generateRetailTasks,
});

/**
 * Generates (once per seed/scale/count, then memoised) the built-in retail database, its tasks
 * and the policy. The database uses the v1 tools (`variant: 'v1'`).
 */
export function loadBuiltin(options: BuiltinOptions = {}): BuiltinSuite {
  return load(options);
}
