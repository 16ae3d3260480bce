/**
 * Reading data files with errors that name the file and the JSON path of the first problem.
 */
import { existsSync } from 'node:fs';
import type { z } from 'zod';
import { DataError } from '../core/errors.js';
import { parsePyJson } from '../core/py/py-json.js';
import { readTextFile } from '../core/utf8.js';
import { isPyObject, orderedKeys, type PyObject, type PyValue } from '../core/py/py-value.js';

/** Reads and parses a JSON file (strict UTF-8) with Python number semantics. */
export function readJsonFile(file: string): PyValue {
  if (!existsSync(file)) throw new DataError(`file not found: ${file}`, { code: 'data_not_found', path: file });
  let text: string;
  try {
    text = readTextFile(file);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read ${file}: ${(e as Error).message}`, { path: file, cause: e });
  }
  return parsePyJson(text, file);
}

/** Formats a path as JSONPath: `$["#W1"].items[0].price`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) out += `.${p}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/**
 * Validates a value against a schema; on failure throws a {@link DataError} naming the file and
 * the JSON path of the first problem. `prefix` is prepended to the issue path.
 */
export function validateValue<S extends z.ZodType>(schema: S, value: unknown, file: string, prefix: readonly PropertyKey[] = []): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = jsonPath([...prefix, ...(issue?.path ?? [])]);
  throw new DataError(`${file}: ${path}: ${issue?.message ?? 'invalid'}`, { path: `${file}#${path}`, details: { issues: r.error.issues.length } });
}

/**
 * Reads a JSON object of records keyed by id (a v1 table file) and validates each record.
 * Returns the records in file order (validation does not copy them).
 */
export function readTable(file: string, recordSchema: z.ZodType, value?: PyValue, prefix: readonly PropertyKey[] = []): Array<[string, PyObject]> {
  const data = value ?? readJsonFile(file);
  if (!isPyObject(data)) throw new DataError(`${file}: ${jsonPath(prefix)}: expected an object of records keyed by id`, { path: file });
  const out: Array<[string, PyObject]> = [];
  for (const id of orderedKeys(data)) {
    const rec = data[id];
    validateValue(recordSchema, rec, file, [...prefix, id]);
    out.push([id, rec as PyObject]);
  }
  return out;
}
