/**
 * Tool definitions. One zod schema per tool is the single contract: it yields the JSON Schema
 * the model sees ({@link toolSpec}) and validates the model's arguments before `invoke` runs.
 * Tools return the observation text; returning or throwing {@link ToolFailure} gives an
 * `Error: ...` observation exactly like the reference's `f"Error: {e}"`.
 */
import { z } from 'zod';
import { PyFloat, type PyNum } from '../core/py/py-float.js';
import type { ToolSpec, JsonSchema } from '../models/types.js';
import type { DbState } from './db-state.js';

/** What a tool does to the world: `write` tools change the database and are replayed for rewards. */
export type ToolKind = 'read' | 'write' | 'think' | 'generic';

/** A tool of a domain. `Args` is the zod schema of its keyword arguments (a `z.strictObject`). */
export interface ToolDef<S extends z.ZodType = z.ZodType> {
  name: string;
  /** Description the model sees (our own words). */
  description: string;
  /** Argument schema; no transforms or defaults (validated values are passed through unchanged). */
  schema: S;
  kind: ToolKind;
  /** Calling it ends the episode (v1 `transfer_to_human_agents`). Default false. */
  terminate?: boolean;
  /**
   * Runs the tool on the episode's database and returns the observation text. Arguments are the
   * parsed JSON values (floats as {@link PyFloat}), already validated against `schema`.
   */
  invoke(db: DbState, args: z.output<S>): string;
}

/** Thrown by a tool to produce the observation `Error: <message>`. */
export class ToolFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolFailure';
  }
}

/** Defines a tool with its argument types inferred from the schema. */
export function defineTool<S extends z.ZodType>(def: ToolDef<S>): ToolDef<S> {
  return def;
}

/** A number argument that accepts Python ints and floats (JSON Schema `number`). */
export function pyNumber(): z.ZodType<PyNum> {
  return z
    .custom<PyNum>((v) => (typeof v === 'number' && Number.isFinite(v)) || v instanceof PyFloat, { message: 'expected a number' })
    .meta({ type: 'number' });
}

/** An integer argument (JSON Schema `integer`): a Python int. */
export function pyInt(): z.ZodType<number> {
  return z.custom<number>((v) => typeof v === 'number' && Number.isInteger(v), { message: 'expected an integer' }).meta({ type: 'integer' });
}

/** The JSON Schema of a zod schema as providers expect it (input mode, no `$schema`). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete js.$schema;
  return js;
}

/** The provider-facing spec of a tool. */
export function toolSpec(tool: ToolDef): ToolSpec {
  return { name: tool.name, description: tool.description, parameters: jsonSchemaOf(tool.schema) };
}

/** Formats zod issues as one line naming each argument: `order_id: expected string, received number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length === 0 ? '(arguments)' : i.path.map(String).join('.');
      return `${where}: ${i.message}`;
    })
    .join('; ');
}
