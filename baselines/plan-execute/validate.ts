/**
 * Static validation of a drafted plan, before any step runs. Everything that can be known
 * without running a tool is checked, and every problem is reported at once:
 * - the answer is JSON matching the plan schema, with 1 to `maxSteps` steps and unique ids;
 * - every tool exists in the domain's registry and is on the approved list;
 * - literal arguments parse against the tool's zod schema (argument names, types, required
 *   keys); values given by reference are checked once resolved, at execution;
 * - every reference names an earlier tool step, in the reference syntax (`plan.ts`);
 * - every write tool is immediately preceded by a `confirm` step naming it, and a `confirm`
 *   step names the step right after it;
 * - a `respond` step comes last.
 */
import type { z } from 'zod';
import { parsePyJson, type PyValue, type ToolRegistry } from '../../src/index.js';
import { PLAN_SCHEMA, parseReference, placeholdersIn, referencesIn, stepKind, type Plan, type PlanStep } from './plan.js';

/** Why a plan was rejected. */
export type PlanIssueCode =
  | 'not_json'
  | 'schema'
  | 'empty_plan'
  | 'too_long'
  | 'duplicate_id'
  | 'unknown_tool'
  | 'unapproved_tool'
  | 'invalid_arguments'
  | 'bad_reference'
  | 'unknown_reference'
  | 'forward_reference'
  | 'reference_to_non_tool'
  | 'write_without_confirmation'
  | 'confirm_mismatch'
  | 'respond_not_last';

/** One problem of a plan; `step` is the step id, when the problem is in a step. */
export interface PlanIssue {
  code: PlanIssueCode;
  step?: string;
  message: string;
}

/** Result of {@link validatePlan}: the plan (values as parsed, floats kept) or its problems. */
export type PlanValidation = { ok: true; plan: Plan } | { ok: false; issues: PlanIssue[] };

/** What a plan is checked against. */
export interface PlanRules {
  registry: ToolRegistry;
  /** Tools the plan may call (names of the registry). */
  approved: ReadonlySet<string>;
  /** Most steps in one plan. */
  maxSteps: number;
}

function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length === 0 ? '(arguments)' : i.path.map(String).join('.')}: ${i.message}`).join('; ');
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => String(p) === String(path[i]));
}

/**
 * The argument problems that are certain before references are resolved: zod issues of the
 * literal arguments, ignoring issues at or under a reference and issues about a value that holds
 * a reference (except unknown argument names).
 */
export function literalArgumentIssues(schema: z.ZodType, args: Readonly<Record<string, unknown>>): string | undefined {
  const refs = referencesIn(args).map((r) => r.at);
  const r = schema.safeParse(args);
  if (r.success) return undefined;
  const certain = r.error.issues.filter((i) => {
    if (refs.some((at) => startsWith(i.path, at))) return false;
    if (i.code !== 'unrecognized_keys' && refs.some((at) => startsWith(at, i.path))) return false;
    return true;
  });
  return certain.length === 0 ? undefined : formatZodIssues(certain);
}

/** Parses the model's answer text as a plan (Python JSON: floats stay floats). */
export function parsePlanText(text: string | null): { ok: true; value: PyValue } | { ok: false; issue: PlanIssue } {
  const body = (text ?? '').trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1');
  try {
    return { ok: true, value: parsePyJson(body, 'plan') };
  } catch (e) {
    return { ok: false, issue: { code: 'not_json', message: `the plan is not JSON: ${(e as Error).message}` } };
  }
}

/** Validates a plan (the model's answer text, or a value already parsed) against the rules. */
export function validatePlan(answer: string | null | { value: PyValue }, rules: PlanRules): PlanValidation {
  let value: PyValue;
  if (answer !== null && typeof answer === 'object') value = answer.value;
  else {
    const parsed = parsePlanText(answer);
    if (!parsed.ok) return { ok: false, issues: [parsed.issue] };
    value = parsed.value;
  }
  const shape = PLAN_SCHEMA.safeParse(value);
  if (!shape.success) return { ok: false, issues: [{ code: 'schema', message: `the plan does not match the plan schema: ${formatZodIssues(shape.error.issues)}` }] };
  // Keep the parsed values (Python key order, floats) rather than zod's copies.
  const plan = value as unknown as Plan;
  const steps = plan.steps;
  const issues: PlanIssue[] = [];
  if (steps.length === 0) issues.push({ code: 'empty_plan', message: 'the plan has no steps' });
  if (steps.length > rules.maxSteps) issues.push({ code: 'too_long', message: `the plan has ${steps.length} steps; at most ${rules.maxSteps} are allowed` });

  const position = new Map<string, number>();
  steps.forEach((s, i) => {
    if (position.has(s.id)) issues.push({ code: 'duplicate_id', step: s.id, message: `step id "${s.id}" is used more than once` });
    else position.set(s.id, i);
  });

  const checkRef = (step: PlanStep, index: number, text: string | undefined, where: string): void => {
    if (text === undefined) {
      issues.push({ code: 'bad_reference', step: step.id, message: `${where}: a reference is an object {"$ref": "<step id>.output…"} with nothing else` });
      return;
    }
    const ref = parseReference(text);
    if ('error' in ref) {
      issues.push({ code: 'bad_reference', step: step.id, message: `${where}: ${ref.error}` });
      return;
    }
    const at = position.get(ref.step);
    if (at === undefined) issues.push({ code: 'unknown_reference', step: step.id, message: `${where}: "${text}" names step "${ref.step}", which is not in the plan` });
    else if (at >= index) issues.push({ code: 'forward_reference', step: step.id, message: `${where}: "${text}" names step "${ref.step}", which does not come before step "${step.id}"` });
    else {
      const target = steps[at] as PlanStep;
      if (stepKind(target) !== 'tool') issues.push({ code: 'reference_to_non_tool', step: step.id, message: `${where}: "${text}" names step "${ref.step}", a ${stepKind(target)} step with no output` });
    }
  };

  steps.forEach((step, i) => {
    const kind = stepKind(step);
    if (kind === 'tool' && 'tool' in step) {
      const tool = rules.registry.get(step.tool);
      if (tool === undefined) {
        issues.push({ code: 'unknown_tool', step: step.id, message: `tool "${step.tool}" does not exist in this domain` });
      } else if (!rules.approved.has(step.tool)) {
        issues.push({ code: 'unapproved_tool', step: step.id, message: `tool "${step.tool}" is not on the approved list` });
      } else {
        const problem = literalArgumentIssues(tool.schema, step.args);
        if (problem !== undefined) issues.push({ code: 'invalid_arguments', step: step.id, message: `arguments of ${step.tool}: ${problem}` });
        if (tool.kind === 'write') {
          const prev = steps[i - 1];
          if (prev === undefined || !('confirm' in prev) || prev.confirm !== step.id) {
            issues.push({ code: 'write_without_confirmation', step: step.id, message: `write tool "${step.tool}" is not immediately preceded by a confirm step naming "${step.id}"` });
          }
        }
      }
      for (const r of referencesIn(step.args)) checkRef(step, i, r.text, `argument ${r.at.length === 0 ? '(arguments)' : r.at.map(String).join('.')}`);
    } else if (kind === 'confirm' && 'confirm' in step) {
      const next = steps[i + 1];
      if (next === undefined || next.id !== step.confirm || !('tool' in next)) {
        issues.push({ code: 'confirm_mismatch', step: step.id, message: `confirm step "${step.id}" names "${step.confirm}", but the next step ${next === undefined ? 'does not exist' : `is "${next.id}"${'tool' in next ? '' : ' (not a tool step)'}`}` });
      }
    } else if ('respond' in step) {
      if (i !== steps.length - 1) issues.push({ code: 'respond_not_last', step: step.id, message: `respond step "${step.id}" is not the last step (the customer's answer starts a new plan)` });
      for (const p of placeholdersIn(step.respond)) checkRef(step, i, p, `placeholder {{${p}}}`);
    }
  });
  return issues.length === 0 ? { ok: true, plan } : { ok: false, issues };
}
