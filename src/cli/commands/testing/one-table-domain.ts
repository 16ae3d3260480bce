/**
 * A hand-made domain in τ-bench v1 layout with one table (`<table>.json`, `tasks_<split>.json`,
 * `wiki.md`), for tests that run the CLI's commands in process on a domain of their own.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import { readTable } from '../../../env/data-files.js';
import { BaseDb } from '../../../env/db-state.js';
import type { Domain } from '../../../env/domain.js';
import type { ToolRegistry } from '../../../env/registry.js';
import { loadTasks } from '../../../env/tasks/source.js';

/** What {@link oneTableDomain} is made of. */
export interface OneTableDomainOptions {
  /** The domain's name (also the name its tasks are loaded under). */
  name: string;
  /** The one table, read from `<table>.json` in the data folder. */
  table: string;
  /** The schema of one record of the table. */
  row: z.ZodType;
  /** The domain's tools (one registry, handed out on every call). */
  registry: ToolRegistry;
}

/** A v1-layout domain whose database is the one table `<table>.json` of its data folder. */
export function oneTableDomain({ name, table, row, registry }: OneTableDomainOptions): Domain {
  return {
    name,
    tables: [table],
    loadDb: (dir) => {
      const file = join(dir, `${table}.json`);
      return { base: new BaseDb([[table, readTable(file, row)]]), format: 'tau-v1', variant: 'v1', files: [file] };
    },
    registry: () => registry,
    loadTasks: (dir, split) => loadTasks(name, dir, split),
  };
}
