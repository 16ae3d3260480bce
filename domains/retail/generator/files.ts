/**
 * Writing generated tables in τ-bench v1 layout: one `<table>.json` per table, the text exactly
 * as Python's `json.dumps(table)` would write it (insertion key order, `", "`/`": "` separators).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pyDumps } from '../../../src/core/py/py-json.js';
import { pyObject, type PyObject } from '../../../src/core/py/py-value.js';

/** Table name → rows `[id, record]` in file order. */
export type TableRows = Record<string, ReadonlyArray<readonly [string, PyObject]>>;

/** The `json.dumps` text of one table (an object keyed by record id, in row order). */
export function tableText(rows: ReadonlyArray<readonly [string, PyObject]>): string {
  return pyDumps(pyObject(rows));
}

/** The `json.dumps` text of all tables as one object `{table: {id: record}}` (for hashing and comparisons). */
export function tablesText(tables: TableRows): string {
  return pyDumps(pyObject(Object.entries(tables).map(([name, rows]) => [name, pyObject(rows)] as const)));
}

/** Writes `<dir>/<table>.json` for every table; creates `dir`. Returns the files written. */
export function writeTablesDir(dir: string, tables: TableRows): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [name, rows] of Object.entries(tables)) {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, tableText(rows), 'utf8');
    files.push(file);
  }
  return files;
}
