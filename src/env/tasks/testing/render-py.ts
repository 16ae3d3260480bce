/**
 * Test helper: renders v1 task JSON as τ-bench-style Python source (`Task(...)`/`Action(...)`
 * calls and Python literals), alternating quote styles and splitting long strings into adjacent
 * literals. CPython evaluates the output to the same data; the `.py` loader must too.
 */
import { PyFloat } from '../../../core/py/py-float.js';
import { pyDumps } from '../../../core/py/py-json.js';
import { orderedKeys, type PyObject, type PyValue } from '../../../core/py/py-value.js';

function pyRepr(v: PyValue, depth: number): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (v instanceof PyFloat) return pyDumps(v);
  if (typeof v === 'string') {
    const quote = depth % 2 === 0 ? '"' : "'";
    const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(new RegExp(quote, 'g'), `\\${quote}`);
    if (v.length <= 60) return quote + esc(v) + quote;
    const parts = v.match(/[\s\S]{1,60}/g) ?? [];
    return parts.map((p) => quote + esc(p) + quote).join('\n        ');
  }
  if (Array.isArray(v)) return `[${v.map((x) => pyRepr(x, depth + 1)).join(', ')}${v.length === 1 && depth % 3 === 0 ? ',' : ''}]`;
  return `{${orderedKeys(v).map((k) => `${pyRepr(k, depth + 1)}: ${pyRepr(v[k] as PyValue, depth + 1)}`).join(', ')}}`;
}

/** Python source assigning the tasks to `listName`. */
export function renderTasksPy(tasks: PyValue[], listName: string): string {
  const body = tasks.map((t, i) => {
    const o = t as PyObject;
    const actions = (o.actions as PyObject[]).map((a) => `Action(name=${pyRepr(a.name as string, 0)}, kwargs=${pyRepr(a.kwargs as PyObject, 1)})`);
    return `    Task(  # task ${i}\n        annotator="${i % 4}",\n        user_id=${pyRepr(o.user_id as string, i)},\n        instruction=${pyRepr(o.instruction as string, i)},\n        actions=[\n            ${actions.join(',\n            ')}\n        ],\n        outputs=${pyRepr(o.outputs as PyValue, 2)},\n    ),`;
  });
  return `from tau_bench.types import Action, Task\n\n${listName} = [\n${body.join('\n')}\n]\n`;
}

