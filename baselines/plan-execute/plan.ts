/**
 * The plan a model drafts for one customer request, and its reference syntax. One zod schema
 * ({@link PLAN_SCHEMA}) is both the parser of the model's answer and the JSON Schema the model is
 * shown ({@link PLAN_JSON_SCHEMA}).
 *
 * A plan is an ordered list of steps, each with an `id` unique in the plan:
 * - `{ "id": "s1", "tool": "<name>", "args": { … } }` calls a tool;
 * - `{ "id": "s2", "confirm": "s3" }` asks the customer for an explicit yes before step `s3`
 *   (the next step, a tool step: every write tool needs one);
 * - `{ "id": "s4", "respond": "<text>" }` sends the reply to the customer (last step only).
 *
 * An argument value (at any depth) may be a reference to an earlier tool step's result:
 * `{ "$ref": "s1.output" }`, `{ "$ref": "s2.output.orders.0" }` or `{ "$ref": "s2.output.orders[0].id" }`.
 * The output is the step's observation parsed as JSON (Python `json.loads` semantics: floats stay
 * floats), or the observation text when it is not JSON; each further segment is an object key or
 * an array index (keys containing `.`, `[` or `]` cannot be named). A `respond` text may embed the
 * same paths as `{{s2.output.status}}`: strings are inserted as they are, other values as JSON.
 */
import { z } from 'zod';
import { isPyObject, type PyObject, type PyValue } from '../../src/index.js';

/** Sub-task name of the planning call (the simulated model answers it from the task's gold actions). */
export const PLAN_SUBTASK = 'plan-execute/plan';

/** Sub-task name of a reply the model words (a `say:` task: the answer is the message text). */
export const REPLY_SUBTASK = 'say:plan-execute/reply';

const stepId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a step id is a letter followed by letters, digits, _ or -');

/** A tool step. `args` values may hold `{"$ref": "<step>.output…"}` references. */
export const ToolStepSchema = z.strictObject({
  id: stepId,
  tool: z.string().min(1),
  args: z.record(z.string(), z.unknown()).describe('keyword arguments; a value may be {"$ref": "<earlier step id>.output[.<key or index>]*"}'),
});

/** A confirmation step: ask the customer for an explicit yes before the named (next) step. */
export const ConfirmStepSchema = z.strictObject({
  id: stepId,
  confirm: stepId.describe('id of the write step that follows immediately'),
});

/** The reply to the customer (last step only); `{{<step>.output…}}` inserts a result. */
export const RespondStepSchema = z.strictObject({
  id: stepId,
  respond: z.string().min(1),
});

/** One plan step. */
export const PlanStepSchema = z.union([ToolStepSchema, ConfirmStepSchema, RespondStepSchema]);

/** The plan: what the planning sub-task answers. */
export const PLAN_SCHEMA = z.strictObject({ steps: z.array(PlanStepSchema) });

export type ToolStep = z.output<typeof ToolStepSchema>;
export type ConfirmStep = z.output<typeof ConfirmStepSchema>;
export type RespondStep = z.output<typeof RespondStepSchema>;
export type PlanStep = z.output<typeof PlanStepSchema>;
export type Plan = z.output<typeof PLAN_SCHEMA>;

/** The JSON Schema of a plan as the model sees it (input mode, no `$schema`). */
export const PLAN_JSON_SCHEMA: Record<string, unknown> = (() => {
  const js = z.toJSONSchema(PLAN_SCHEMA, { io: 'input' }) as Record<string, unknown>;
  delete js.$schema;
  return js;
})();

/** Which kind a step is. */
export function stepKind(step: PlanStep): 'tool' | 'confirm' | 'respond' {
  return 'tool' in step ? 'tool' : 'confirm' in step ? 'confirm' : 'respond';
}

/** A parsed reference: the step it reads and the path into that step's output. */
export interface Reference {
  /** The reference text, e.g. `s2.output.orders[0]`. */
  text: string;
  step: string;
  path: Array<string | number>;
}

/**
 * Parses a reference text (`s2.output`, `s2.output.orders.0`, `s2.output.orders[0].id`).
 * Numeric segments are array indices (and also match an object key of the same digits).
 * @returns the reference, or an error message saying what is wrong
 */
export function parseReference(text: string): Reference | { error: string } {
  const m = /^([A-Za-z][A-Za-z0-9_-]*)\.output((?:\.[^.[\]]+|\[\d+\])*)$/.exec(text);
  if (m === null) return { error: `"${text}" is not a reference (expected <step id>.output, then .<key> or [<index>] segments)` };
  const path: Array<string | number> = [];
  for (const seg of (m[2] ?? '').match(/\.[^.[\]]+|\[\d+\]/g) ?? []) {
    if (seg.startsWith('[')) path.push(Number(seg.slice(1, -1)));
    else {
      const key = seg.slice(1);
      path.push(/^\d+$/.test(key) ? Number(key) : key);
    }
  }
  return { text, step: m[1] as string, path };
}

/** The `$ref` text of a reference object (`{"$ref": "…"}`, nothing else), else undefined. */
export function refText(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const ref = (value as Record<string, unknown>)['$ref'];
  return keys.length === 1 && typeof ref === 'string' ? ref : undefined;
}

/** True for an object with a `$ref` key (well-formed or not). */
export function looksLikeRef(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, '$ref');
}

/** Every `$ref` in an argument value with its location (key path inside the arguments). */
export function referencesIn(value: unknown, at: Array<string | number> = []): Array<{ at: Array<string | number>; text: string | undefined }> {
  if (looksLikeRef(value)) return [{ at, text: refText(value) }];
  if (Array.isArray(value)) return value.flatMap((v, i) => referencesIn(v, [...at, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => referencesIn(v, [...at, k]));
  return [];
}

/** `{{ … }}` placeholders of a respond text, in order. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1] ?? '');
}

/** Thrown when a reference cannot be resolved at execution time. */
export class ReferenceResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceResolutionError';
  }
}

/** Follows a reference's path into a step output; throws {@link ReferenceResolutionError} when a segment is missing. */
export function follow(output: PyValue, ref: Reference): PyValue {
  let cur: PyValue = output;
  let where = `${ref.step}.output`;
  for (const seg of ref.path) {
    if (Array.isArray(cur) && typeof seg === 'number') {
      if (seg >= cur.length) throw new ReferenceResolutionError(`${where} has ${cur.length} element(s), no index ${seg}`);
      cur = cur[seg] as PyValue;
    } else if (isPyObject(cur) && Object.prototype.hasOwnProperty.call(cur, String(seg))) {
      cur = (cur as PyObject)[String(seg)] as PyValue;
    } else {
      const what = cur === null ? 'null' : Array.isArray(cur) ? 'a list' : isPyObject(cur) ? 'an object without that key' : `a ${typeof cur === 'object' ? 'number' : typeof cur}`;
      throw new ReferenceResolutionError(`${where} is ${what}: cannot take "${seg}"`);
    }
    where += typeof seg === 'number' ? `[${seg}]` : `.${seg}`;
  }
  return cur;
}
