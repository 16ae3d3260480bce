/**
 * τ-bench v1 tasks: `tasks_<split>.json` (an array of `{user_id, instruction, actions, outputs}`)
 * and the reference's own `tasks_<split>.py` files (`TASKS_TEST = [Task(...), ...]`, parsed as
 * Python literals). Both go through {@link v1TasksFromValue}, so they give identical tasks.
 */
import { z } from 'zod';
import { DataError } from '../../core/errors.js';
import { parsePyModule, type PyCall } from '../../core/py/py-literal.js';
import { isPyObject, type PyObject, type PyValue } from '../../core/py/py-value.js';
import type { Task } from '../../core/task.js';
import { readTextFile } from '../../core/utf8.js';
import { jsonPath, readJsonFile } from '../data-files.js';

const pyObjectSchema = z.custom<PyObject>((v) => isPyObject(v), { message: 'expected an object' });

/** One v1 gold action (`{name, kwargs}`). */
export const v1ActionSchema = z.object({ name: z.string().min(1), kwargs: pyObjectSchema });

/** One v1 task. Extra keys (`annotator`…) are allowed and ignored; `outputs` defaults to `[]`. */
export const v1TaskSchema = z.object({
  user_id: z.string(),
  instruction: z.string(),
  actions: z.array(v1ActionSchema),
  outputs: z.array(z.string()).optional(),
});

/** Where a v1 task list came from, for task fields and error messages. */
export interface V1Origin {
  file: string;
  domain: string;
  split: string;
  /** JSON path prefix of the list inside the file (`$` for a JSON file, `TASKS_TEST` for Python). */
  root?: string;
  /** Source line of containers (Python files), to name the line of the first problem. */
  lines?: WeakMap<object, number>;
}

/**
 * Converts a parsed task list into {@link Task}s (format `tau-v1`, id = index as a string).
 * Throws a {@link DataError} naming the file and the JSON path (and line, when known) of the
 * first problem.
 */
export function v1TasksFromValue(value: PyValue, origin: V1Origin): Task[] {
  const root = origin.root ?? '$';
  if (!Array.isArray(value)) throw taskError(origin, root, [], 'expected a list of tasks', value);
  return value.map((raw, index) => {
    const r = v1TaskSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      const path = [index, ...(issue?.path ?? [])];
      throw taskError(origin, root, path, issue?.message ?? 'invalid task', value);
    }
    const t = raw as PyObject;
    const actions = (t.actions as PyObject[]).map((a) => ({ name: a.name as string, kwargs: a.kwargs as PyObject }));
    const task: Task = {
      id: String(index),
      index,
      format: 'tau-v1',
      domain: origin.domain,
      split: origin.split,
      userId: t.user_id as string,
      instruction: t.instruction as string,
      actions,
      outputs: [...((t.outputs as string[] | undefined) ?? [])],
    };
    return task;
  });
}

/** Error naming `file`, the JSON path under `root`, and the line of the nearest container. */
function taskError(origin: V1Origin, root: string, path: PropertyKey[], message: string, top: PyValue): DataError {
  const where = `${root}${jsonPath(path).slice(1)}`;
  let line: number | undefined;
  if (origin.lines !== undefined) {
    // Walk down the path and keep the line of the deepest container we know.
    let node: unknown = top;
    line = origin.lines.get(top as object);
    for (const p of path) {
      if (node === null || typeof node !== 'object') break;
      node = (node as Record<PropertyKey, unknown>)[p as string];
      if (node !== null && typeof node === 'object') line = origin.lines.get(node) ?? line;
    }
  }
  const at = line === undefined ? origin.file : `${origin.file}:${line}`;
  return new DataError(`${at}: ${where}: ${message}`, { code: 'task_invalid', path: `${at}#${where}` });
}

/** Loads `tasks_<split>.json` (v1 JSON layout). */
export function loadV1TasksJson(file: string, domain: string, split: string): Task[] {
  return v1TasksFromValue(readJsonFile(file), { file, domain, split });
}

/**
 * Loads a τ-bench `tasks_<split>.py` file: the list assigned to `TASKS_<SPLIT>` (retail), or to
 * `TASKS` (airline), or the only list in the file. `Task(...)`/`Action(...)` calls become their
 * keyword arguments; other calls are errors.
 */
export function loadTaubenchPyTasks(file: string, domain: string, split: string): Task[] {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read ${file}: ${(e as Error).message}`, { code: 'data_not_found', path: file, cause: e });
  }
  const lines = new WeakMap<object, number>();
  const call = (c: PyCall): PyValue => {
    const name = c.name.split('.').pop();
    if (name !== 'Task' && name !== 'Action') throw new Error(`unsupported call ${c.name}(...) (only Task and Action)`);
    if (c.args.length > 0) throw new Error(`${c.name}(...) takes keyword arguments only`);
    return c.kwargs;
  };
  const names = parsePyModule(text, { source: file, call, lines });
  const wanted = [`TASKS_${split.toUpperCase()}`, 'TASKS'];
  let root = wanted.find((n) => names.has(n));
  if (root === undefined) {
    const lists = [...names].filter(([, v]) => Array.isArray(v));
    if (lists.length === 1) root = (lists[0] as [string, PyValue])[0];
  }
  if (root === undefined) {
    throw new DataError(`${file}: no task list (expected ${wanted.join(' or ')}; found ${[...names.keys()].join(', ') || 'no assignments'})`, {
      code: 'task_invalid',
      path: file,
    });
  }
  return v1TasksFromValue(names.get(root) as PyValue, { file, domain, split, root, lines });
}
