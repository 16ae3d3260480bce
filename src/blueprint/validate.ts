/**
 * Validation of a blueprint before any step runs: graph structure (unique ids, known targets,
 * reachability, every node can end, every cycle bounded by a loop) and tools (registered,
 * approved, argument names accepted by the tool's schema, write tools guarded by a `pre` policy
 * check). Every problem is collected; {@link validateBlueprint} throws them all at once.
 */
import { z } from 'zod';
import { BlueprintValidationError, type BlueprintIssue } from '../core/errors.js';
import type { PyValue } from '../core/py/py-value.js';
import type { ToolRegistry } from '../env/registry.js';
import { describeIssues, jsonSchemaOf, type ToolDef } from '../env/tool.js';
import { graphOf } from './graph.js';
import type { AnyBlueprint, BlueprintNode, ToolNode } from './types.js';

/** Upper bound on `retry` and `maxAttempts`. */
export const MAX_ATTEMPTS_LIMIT = 10;

function isPositiveInt(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

function checkToolNode(node: ToolNode<unknown>, bp: AnyBlueprint, registry: ToolRegistry, issues: BlueprintIssue[]): void {
  const path = `${node.id}.tool`;
  const tool = registry.get(node.tool);
  if (tool === undefined) {
    issues.push({ code: 'unknown_tool', path, message: `tool "${node.tool}" is not in the domain's registry` });
  }
  if (!bp.approvedTools.includes(node.tool)) {
    issues.push({ code: 'unapproved_tool', path, message: `tool "${node.tool}" is not on the blueprint's approved list` });
  }
  if (tool === undefined) return;
  checkArgs(node, tool, issues);
  if (tool.kind === 'write' && (node.pre === undefined || Object.keys(node.pre).length === 0)) {
    issues.push({ code: 'invalid', path: `${node.id}.pre`, message: `write tool "${tool.name}" is called without a precondition (policy check)` });
  }
}

/** Argument names against the tool's JSON Schema; constant arguments against the field's zod schema. */
function checkArgs(node: ToolNode<unknown>, tool: ToolDef, issues: BlueprintIssue[]): void {
  const js = jsonSchemaOf(tool.schema);
  const props = js.properties;
  if (js.type !== 'object' || typeof props !== 'object' || props === null) {
    issues.push({ code: 'schema_mismatch', path: `${node.id}.args`, message: `tool "${tool.name}" does not take keyword arguments (its schema is not an object)` });
    return;
  }
  const known = new Set(Object.keys(props));
  const required = Array.isArray(js.required) ? (js.required as string[]) : [];
  const given = Object.keys(node.args);
  for (const key of given) {
    if (!known.has(key)) {
      issues.push({ code: 'schema_mismatch', path: `${node.id}.args.${key}`, message: `tool "${tool.name}" has no argument "${key}" (it takes ${[...known].join(', ') || 'none'})` });
    }
  }
  for (const key of required) {
    if (!given.includes(key)) {
      issues.push({ code: 'schema_mismatch', path: `${node.id}.args`, message: `required argument "${key}" of tool "${tool.name}" is not given` });
    }
  }
  if (tool.schema instanceof z.ZodObject) {
    const shape = tool.schema.shape as Record<string, z.ZodType>;
    for (const [key, value] of Object.entries(node.args)) {
      const field = shape[key];
      if (typeof value === 'function' || field === undefined) continue;
      const parsed = field.safeParse(value as PyValue);
      if (!parsed.success) {
        issues.push({ code: 'schema_mismatch', path: `${node.id}.args.${key}`, message: `constant argument rejected by tool "${tool.name}": ${describeIssues(parsed.error)}` });
      }
    }
  }
}

function checkNodeFields(node: BlueprintNode<unknown>, issues: BlueprintIssue[]): void {
  const bad = (field: string, message: string): void => {
    issues.push({ code: 'invalid', path: `${node.id}.${field}`, message });
  };
  if (node.retry !== undefined && !(Number.isInteger(node.retry) && node.retry >= 0 && node.retry <= MAX_ATTEMPTS_LIMIT)) {
    bad('retry', `retry must be an integer from 0 to ${MAX_ATTEMPTS_LIMIT}`);
  }
  if (node.timeoutMs !== undefined && !isPositiveInt(node.timeoutMs)) bad('timeoutMs', 'timeoutMs must be a positive integer');
  if (node.onPreFail !== undefined && node.pre === undefined) bad('onPreFail', 'onPreFail is declared but the node has no preconditions');
  if (node.onPostFail !== undefined && node.post === undefined) bad('onPostFail', 'onPostFail is declared but the node has no postconditions');
  if (node.retry !== undefined && node.kind !== 'code' && node.kind !== 'tool' && node.kind !== 'say') {
    bad('retry', node.kind === 'llm' ? 'llm nodes retry through maxAttempts, not retry' : `retry applies to code, tool and say nodes, not ${node.kind} nodes`);
  }
  switch (node.kind) {
    case 'llm': {
      if (node.onPostFail !== undefined) bad('onPostFail', 'an llm node whose postcondition keeps failing goes to its fallback, not onPostFail');
      if (node.task.trim() === '') bad('task', 'an llm node needs a sub-task name');
      const max = node.maxAttempts;
      if (max !== undefined && !(isPositiveInt(max) && max <= MAX_ATTEMPTS_LIMIT)) bad('maxAttempts', `maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}`);
      let type: unknown;
      try {
        type = (z.toJSONSchema(node.schema, { unrepresentable: 'any' }) as { type?: unknown }).type;
      } catch (e) {
        type = `unrepresentable (${(e as Error).message})`;
      }
      if (type !== 'object') bad('schema', `the output schema of an llm node must describe a JSON object (got ${String(type)})`);
      break;
    }
    case 'route':
      if (node.targets.length === 0) bad('targets', 'a route needs at least one target');
      break;
    case 'loop':
    case 'foreach':
      if (!isPositiveInt(node.maxIterations)) {
        issues.push({ code: 'unbounded_loop', path: `${node.id}.maxIterations`, message: 'maxIterations must be a positive integer' });
      }
      if (node.body === node.id) bad('body', 'a loop body cannot be the loop node itself');
      break;
    default:
      break;
  }
}

/**
 * Every problem of a blueprint, in a stable order (structure first, then per node). With a
 * registry, tool nodes are checked against it; without one, only the structure is checked.
 */
export function checkBlueprint(bp: AnyBlueprint, registry?: ToolRegistry): BlueprintIssue[] {
  const issues: BlueprintIssue[] = [];
  const g = graphOf(bp);
  const nodes = bp.nodes as readonly BlueprintNode<unknown>[];

  const seen = new Set<string>();
  for (const [i, node] of nodes.entries()) {
    if (typeof node.id !== 'string' || node.id === '') {
      issues.push({ code: 'invalid', path: `nodes[${i}]`, message: 'a node needs a non-empty id' });
    } else if (seen.has(node.id)) {
      issues.push({ code: 'duplicate_node', path: node.id, message: `node id "${node.id}" is used more than once (nodes[${i}])` });
    }
    seen.add(node.id);
  }
  if (!g.nodes.has(bp.start)) issues.push({ code: 'unknown_node', path: 'start', message: `start node "${bp.start}" does not exist` });

  for (const e of g.edges) {
    if (!g.nodes.has(e.to)) issues.push({ code: 'unknown_node', path: `${e.from}.${e.label}`, message: `"${e.from}" goes (${e.label}) to unknown node "${e.to}"` });
  }
  for (const node of g.nodes.values()) {
    checkNodeFields(node, issues);
    if (node.kind === 'tool' && registry !== undefined) checkToolNode(node, bp, registry, issues);
  }

  const reachable = g.reachable([bp.start]);
  const ends = [...g.nodes.values()].filter((n) => n.kind === 'end').map((n) => n.id);
  const canEnd = g.reachable(ends, 'backward');
  if (ends.length === 0) issues.push({ code: 'no_end', path: 'nodes', message: 'the blueprint has no end node' });
  for (const id of g.nodes.keys()) {
    if (g.nodes.has(bp.start) && !reachable.has(id)) issues.push({ code: 'unreachable_node', path: id, message: `node "${id}" cannot be reached from start "${bp.start}"` });
    if (ends.length > 0 && !canEnd.has(id)) issues.push({ code: 'no_end', path: id, message: `no end node can be reached from node "${id}"` });
  }
  for (const cycle of g.unboundedCycles()) {
    issues.push({
      code: 'unbounded_loop',
      path: cycle.join(' → '),
      message: `nodes ${cycle.map((id) => `"${id}"`).join(', ')} form a cycle that does not go through the body of a loop/foreach node (no maxIterations bounds it)`,
    });
  }
  return issues;
}

const validated = new WeakMap<AnyBlueprint, WeakSet<ToolRegistry>>();

/**
 * Throws a {@link BlueprintValidationError} listing every problem of the blueprint against the
 * domain's registry. Successful validations are memoised per (blueprint, registry).
 */
export function validateBlueprint(bp: AnyBlueprint, registry: ToolRegistry): void {
  if (validated.get(bp)?.has(registry) === true) return;
  const issues = checkBlueprint(bp, registry);
  if (issues.length > 0) throw new BlueprintValidationError(bp.id, issues);
  let set = validated.get(bp);
  if (set === undefined) {
    set = new WeakSet();
    validated.set(bp, set);
  }
  set.add(registry);
}
