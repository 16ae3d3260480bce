/**
 * The airline domain (τ-bench's mock airline): database loader, tools per variant, task loading.
 */
import type { Task } from '../../src/core/task.js';
import type { Domain, LoadedData, ToolVariant } from '../../src/env/domain.js';
import type { ToolRegistry } from '../../src/env/registry.js';
import { loadTasks } from '../../src/env/tasks/source.js';
import { loadAirlineDb } from './data.js';
import { airlineRegistry } from './registry.js';
import { AIRLINE_TABLES } from './schema.js';

export { loadAirlineDb, detectAirlineLayout, type LoadAirlineOptions } from './data.js';
export { airlineRegistry } from './registry.js';
export { AIRLINE_TABLES, AIRLINE_RECORD_SCHEMAS, CABINS, flightSchema, reservationSchema, userSchema } from './schema.js';

/** The airline domain. */
export const airlineDomain: Domain = {
  name: 'airline',
  tables: AIRLINE_TABLES,
  loadDb(dir: string, options: { variant?: ToolVariant } = {}): LoadedData {
    return loadAirlineDb(dir, options);
  },
  registry(variant: ToolVariant): ToolRegistry {
    return airlineRegistry(variant);
  },
  loadTasks(dir: string, split: string): Task[] {
    return loadTasks('airline', dir, split);
  },
};
