/**
 * Loads the airline database from a τ-bench v1 directory (`flights.json`, `reservations.json`,
 * `users.json`) or a τ² directory (`db.json` holding `{flights, users, reservations}`).
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
import { AIRLINE_RECORD_SCHEMAS, AIRLINE_TABLES, type AirlineTable } from './schema.js';
import { toTau2Record } from './tau2-model.js';

/** Options for {@link loadAirlineDb}. */
export interface LoadAirlineOptions {
  /**
   * Tool variant the database is meant for. Default: `v1` for the v1 layout, `tau2` for `db.json`.
   * Choosing `tau2` for v1 files (τ²'s airline `db.json` is not public in full) converts every
   * record to τ²'s model form, as τ²'s own loader would (see `tau2-model.ts`).
   */
  variant?: ToolVariant;
}

/** The airline data layout found in a directory, or undefined. */
export function detectAirlineLayout(dir: string): 'tau-v1' | 'tau2' | undefined {
  if (existsSync(join(dir, 'db.json'))) return 'tau2';
  if (AIRLINE_TABLES.every((t) => existsSync(join(dir, `${t}.json`)))) return 'tau-v1';
  return undefined;
}

/** Loads and validates the airline database in `dir` (layout detected). */
export function loadAirlineDb(dir: string, options: LoadAirlineOptions = {}): LoadedData {
  const format = detectAirlineLayout(dir);
  if (format === undefined) {
    const missing = AIRLINE_TABLES.filter((t) => !existsSync(join(dir, `${t}.json`))).map((t) => `${t}.json`);
    throw new DataError(`no airline database in ${dir}: expected db.json or ${missing.join(', ')}`, {
      code: 'data_not_found',
      path: dir,
    });
  }
  const variant = options.variant ?? (format === 'tau2' ? 'tau2' : 'v1');
  const files: string[] = [];
  const tables: Array<[AirlineTable, Array<[string, PyObject]>]> = [];
  if (format === 'tau-v1') {
    for (const t of AIRLINE_TABLES) {
      const file = join(dir, `${t}.json`);
      files.push(file);
      tables.push([t, readTable(file, AIRLINE_RECORD_SCHEMAS[t])]);
    }
  } else {
    const file = join(dir, 'db.json');
    files.push(file);
    const db = readJsonFile(file);
    if (!isPyObject(db)) throw new DataError(`${file}: $: expected an object with flights, reservations and users`, { path: file });
    for (const t of AIRLINE_TABLES) {
      if (!Object.prototype.hasOwnProperty.call(db, t)) throw new DataError(`${file}: $: missing table "${t}"`, { path: `${file}#$.${t}` });
      tables.push([t, readTable(file, AIRLINE_RECORD_SCHEMAS[t], db[t], [t])]);
    }
  }
  const rows =
    variant === 'tau2'
      ? tables.map(([t, recs]) => [t, recs.map(([id, rec]) => [id, toTau2Record(t, id, rec)] as [string, PyObject])] as const)
      : tables;
  return { base: new BaseDb(rows), format, variant, files };
}
