/**
 * The built-in airline data source (`builtin`): this project's own generated database, policy and
 * tasks, needing no τ-bench files. The default seed and scale give the fixed built-in suite of 50
 * tasks; other seeds give fresh variants.
 */
import { packagePath } from '../../src/core/package-root.js';
import type { Seed } from '../../src/core/rng.js';
import { builtinSuiteLoader, validateGeneratedTables, type BuiltinSuite } from '../../src/env/builtin-suite.js';
import { DEFAULT_AIRLINE_SEED, airlineBaseDb, generateAirlineTables, type AirlineTables } from './generator/data.js';
import { generateAirlineTasks } from './generator/tasks.js';
import { airlineRegistry } from './registry.js';
import { AIRLINE_RECORD_SCHEMAS } from './schema.js';

export type { BuiltinSuite } from '../../src/env/builtin-suite.js';

/** Options of {@link loadBuiltin}. */
export interface BuiltinOptions {
  /** Seed of data and tasks. Default {@link DEFAULT_AIRLINE_SEED} (the fixed suite). */
  seed?: Seed;
  /** Data scale (1: about 100 members, 250 reservations). Default 1. */
  scale?: number;
  /** Number of tasks. Default 50. */
  count?: number;
}

/** Path of the airline policy document. */
export const POLICY_PATH = packagePath('domains', 'airline', 'policy.md');

/** Validates every generated record against the airline record schemas (throws a DataError naming the record). */
export function validateAirlineTables(tables: AirlineTables, label: string): void {
  validateGeneratedTables(AIRLINE_RECORD_SCHEMAS, tables, label);
}

const load = builtinSuiteLoader({
  domain: 'airline',
  defaultSeed: DEFAULT_AIRLINE_SEED,
  defaultCount: 50,
  policyPath: POLICY_PATH,
  generateTables: generateAirlineTables,
  validateTables: validateAirlineTables,
  baseDb: airlineBaseDb,
  registry: () => airlineRegistry('v1'),
  generateTasks: generateAirlineTasks,
});

/**
 * Generates (once per seed/scale/count, then memoised) the built-in airline database, its tasks
 * and the policy. The database uses the v1 tools (`variant: 'v1'`).
 */
export function loadBuiltin(options: BuiltinOptions = {}): BuiltinSuite {
  return load(options);
}
