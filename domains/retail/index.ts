/**
 * The retail domain (τ-bench's mock online store): database loader, tools per variant, task loading.
 */
import type { Task } from '../../src/core/task.js';
import type { Domain, LoadedData, ToolVariant } from '../../src/env/domain.js';
import type { ToolRegistry } from '../../src/env/registry.js';
import { loadTasks } from '../../src/env/tasks/source.js';
import { loadRetailDb } from './data.js';
import { retailRegistry } from './registry.js';
import { RETAIL_TABLES } from './schema.js';

export { detectRetailLayout, loadRetailDb, retailDbFrom, type LoadRetailOptions } from './data.js';
export { retailRegistry } from './registry.js';
export { RETAIL_RECORD_SCHEMAS, RETAIL_TABLES, orderSchema, productSchema, userSchema, type RetailTable } from './schema.js';
export { toTau2Record } from './tau2-model.js';

/** The retail domain. */
export const retailDomain: Domain = {
  name: 'retail',
  tables: RETAIL_TABLES,
  loadDb(dir: string, options: { variant?: ToolVariant } = {}): LoadedData {
    return loadRetailDb(dir, options);
  },
  registry(variant: ToolVariant): ToolRegistry {
    return retailRegistry(variant);
  },
  loadTasks(dir: string, split: string): Task[] {
    return loadTasks('retail', dir, split);
  },
};
