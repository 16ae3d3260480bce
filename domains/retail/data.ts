/**
 * Loads the retail database from a τ-bench v1 directory (`orders.json`, `products.json`,
 * `users.json`) or a τ² directory (`db.json` holding `{products, users, orders}`).
 * Every record is validated; a bad file fails with a {@link DataError} naming the file and the
 * JSON path of the first problem.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../src/core/errors.js';
import { isPyObject, type PyObject } from '../../src/core/py/py-value.js';
import { readJsonFile, readTable } from '../../src/env/data-files.js';
import { BaseDb } from '../../src/env/db-state.js';
import type { LoadedData, ToolVariant } from '../../src/env/domain.js';
import { RETAIL_RECORD_SCHEMAS, RETAIL_TABLES, type RetailTable } from './schema.js';
import { toTau2Record } from './tau2-model.js';

/** Options for {@link loadRetailDb}. */
export interface LoadRetailOptions {
  /**
   * Tool variant the database is meant for. Default: `v1` for the v1 layout, `tau2` for `db.json`.
   * With `tau2` every record is converted to τ²'s model form (see `tau2-model.ts`), as τ²'s own
   * loader does; with `v1` records stay exactly as in the files.
   */
  variant?: ToolVariant;
}

/** The retail data layout found in a directory, or undefined. */
export function detectRetailLayout(dir: string): 'tau-v1' | 'tau2' | undefined {
  if (existsSync(join(dir, 'db.json'))) return 'tau2';
  if (RETAIL_TABLES.every((t) => existsSync(join(dir, `${t}.json`)))) return 'tau-v1';
  return undefined;
}

/** Builds the retail {@link BaseDb} (tables orders, products, users) from validated records. */
export function retailDbFrom(tables: Iterable<readonly [RetailTable, Iterable<readonly [string, PyObject]>]>): BaseDb {
  const byName = new Map(tables);
  return new BaseDb(RETAIL_TABLES.map((t) => [t, byName.get(t) ?? []] as const));
}

/** Loads and validates the retail database in `dir` (layout detected). */
export function loadRetailDb(dir: string, options: LoadRetailOptions = {}): LoadedData {
  const format = detectRetailLayout(dir);
  if (format === undefined) {
    const missing = RETAIL_TABLES.filter((t) => !existsSync(join(dir, `${t}.json`))).map((t) => `${t}.json`);
    throw new DataError(`no retail database in ${dir}: expected db.json or ${missing.join(', ')}`, { code: 'data_not_found', path: dir });
  }
  const variant = options.variant ?? (format === 'tau2' ? 'tau2' : 'v1');
  const files: string[] = [];
  const tables: Array<[RetailTable, Array<[string, PyObject]>]> = [];
  if (format === 'tau-v1') {
    for (const t of RETAIL_TABLES) {
      const file = join(dir, `${t}.json`);
      files.push(file);
      tables.push([t, readTable(file, RETAIL_RECORD_SCHEMAS[t])]);
    }
  } else {
    const file = join(dir, 'db.json');
    files.push(file);
    const db = readJsonFile(file);
    if (!isPyObject(db)) throw new DataError(`${file}: $: expected an object with products, users and orders`, { path: file });
    for (const t of RETAIL_TABLES) {
      if (!Object.prototype.hasOwnProperty.call(db, t)) throw new DataError(`${file}: $: missing table "${t}"`, { path: `${file}#$.${t}` });
      tables.push([t, readTable(file, RETAIL_RECORD_SCHEMAS[t], db[t], [t])]);
    }
  }
  const rows = variant === 'tau2' ? tables.map(([t, recs]) => [t, recs.map(([id, rec]) => [id, toTau2Record(t, id, rec)] as [string, PyObject])] as const) : tables;
  return { base: retailDbFrom(rows), format, variant, files };
}
