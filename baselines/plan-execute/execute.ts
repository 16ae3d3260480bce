/**
 * Execution of a validated plan on a session, step by step, without re-planning. References are
 * resolved over the parsed observations of earlier steps; resolved arguments are checked against
 * the tool's schema before the call (a failing check fails the step, the tool is not called).
 */
import { isPyObject, orderedKeys, parsePyJson, pyDumps, pyObject, type AgentSession, type PyValue } from '../../src/index.js';
import { follow, looksLikeRef, parseReference, refText, ReferenceResolutionError, stepKind, type Plan, type PlanStep, type ToolStep } from './plan.js';

/** A trajectory note's kind for every plan-and-execute event. */
export const NOTE_KIND = 'plan-execute';

/** How a plan's execution ended. */
export type PlanOutcome =
  /** Every step ran; `replied` says whether the last step was the reply. */
  | { kind: 'done'; replied: boolean }
  /** A step failed (tool error, unresolvable reference, arguments rejected once resolved). */
  | { kind: 'failed'; step: string; tool?: string; error: string }
  /** The customer did not say an explicit yes to a confirmation; their answer is `reply`. */
  | { kind: 'declined'; step: string; reply: string }
  /** The episode ended during the plan (customer stop, terminating tool, step cap). */
  | { kind: 'ended' };

/** What executing a plan produced besides its outcome. */
export interface Execution {
  outcome: PlanOutcome;
  /** The customer's answer to the plan's reply or to the declined confirmation, when there was one. */
  reply?: string;
  /** Tool steps that ran, in order, with their results (for the reply and the next plan). */
  results: ExecutedStep[];
}

/** One tool call made by a plan. */
export interface ExecutedStep {
  step: string;
  tool: string;
  args: PyValue;
  output: string;
  error: boolean;
}

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
  /** Prefix of the tool call ids in the trajectory (e.g. `t2a1-`). */
  callIdPrefix: string;
  /** Records an event in the trajectory (a `plan-execute` note). */
  note: (data: Record<string, unknown>) => void;
  /** Is this answer an explicit yes? */
  isYes: (text: string) => boolean;
}

/** The confirmation question for a write: the tool and its resolved arguments, asking yes or no. */
export function confirmationText(tool: string, args: PyValue): string {
  return `To proceed I will call ${tool} with these details: ${pyDumps(args)}. Do you confirm? Please answer yes or no.`;
}

/** A tool observation as a value: Python JSON when it parses, else the text itself. */
export function outputValue(observation: string): PyValue {
  try {
    return parsePyJson(observation, 'observation');
  } catch {
    return observation;
  }
}

/** Resolves every `$ref` in a value over the outputs so far (key order and floats kept). */
export function resolveValue(value: PyValue, outputs: ReadonlyMap<string, PyValue>): PyValue {
  if (looksLikeRef(value)) {
    const text = refText(value);
    const ref = text === undefined ? { error: 'malformed reference' } : parseReference(text);
    if ('error' in ref) throw new ReferenceResolutionError(ref.error);
    const out = outputs.get(ref.step);
    if (out === undefined) throw new ReferenceResolutionError(`step "${ref.step}" has no output`);
    return follow(out, ref);
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, outputs));
  if (isPyObject(value)) return pyObject(orderedKeys(value).map((k) => [k, resolveValue(value[k] as PyValue, outputs)] as const));
  return value;
}

/** A respond text with its `{{…}}` placeholders filled (strings as they are, other values as JSON). */
export function fillPlaceholders(text: string, outputs: ReadonlyMap<string, PyValue>): string {
  // One pass with a callback: inserted values are never re-scanned, and `$` in them is literal.
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_, ref: string) => {
    const v = resolveValue({ $ref: ref }, outputs);
    return typeof v === 'string' ? v : pyDumps(v);
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs a validated plan. A failed step ends the plan at once (the caller replies to the customer);
 * a confirmation answered with anything but an explicit yes ends it too (the answer is the
 * customer's next turn). Never re-plans.
 */
export async function executePlan(session: AgentSession, plan: Plan, options: ExecuteOptions): Promise<Execution> {
  const outputs = new Map<string, PyValue>();
  const results: ExecutedStep[] = [];
  const registry = session.registry;
  const steps = plan.steps;
  const resolveArgs = (step: ToolStep): { ok: true; args: PyValue } | { ok: false; error: string } => {
    try {
      const args = resolveValue(step.args as unknown as PyValue, outputs);
      const tool = registry.get(step.tool);
      const check = tool?.schema.safeParse(args);
      if (check !== undefined && !check.success) {
        return { ok: false, error: `arguments of ${step.tool} once resolved: ${check.error.issues.map((i) => `${i.path.map(String).join('.') || '(arguments)'}: ${i.message}`).join('; ')}` };
      }
      return { ok: true, args };
    } catch (e) {
      if (e instanceof ReferenceResolutionError) return { ok: false, error: `reference: ${e.message}` };
      throw e;
    }
  };
  const fail = (step: PlanStep, error: string, tool?: string): Execution => {
    options.note({ event: 'step', step: step.id, kind: stepKind(step), status: 'failed', error });
    return { outcome: { kind: 'failed', step: step.id, ...(tool === undefined ? {} : { tool }), error }, results };
  };

  for (let i = 0; i < steps.length; i++) {
    if (session.ended) return { outcome: { kind: 'ended' }, results };
    const step = steps[i] as PlanStep;
    if ('tool' in step) {
      const resolved = resolveArgs(step);
      if (!resolved.ok) return fail(step, resolved.error, step.tool);
      const r = await session.callTool(step.tool, resolved.args as Parameters<AgentSession['callTool']>[1], { toolCallId: `${options.callIdPrefix}${step.id}` });
      results.push({ step: step.id, tool: step.tool, args: resolved.args, output: r.observation, error: r.error });
      if (r.error) return fail(step, r.observation, step.tool);
      outputs.set(step.id, outputValue(r.observation));
      options.note({ event: 'step', step: step.id, kind: 'tool', status: 'ok' });
      if (r.done) return { outcome: { kind: 'ended' }, results };
    } else if ('confirm' in step) {
      const next = steps[i + 1];
      if (next === undefined || !('tool' in next)) return fail(step, 'nothing to confirm');
      const resolved = resolveArgs(next);
      if (!resolved.ok) return fail(next, resolved.error, next.tool);
      const reply = await session.say(confirmationText(next.tool, resolved.args));
      if (reply.done) return { outcome: { kind: 'ended' }, results };
      const yes = options.isYes(reply.text);
      options.note({ event: 'step', step: step.id, kind: 'confirm', status: yes ? 'confirmed' : 'declined' });
      if (!yes) return { outcome: { kind: 'declined', step: step.id, reply: reply.text }, reply: reply.text, results };
    } else {
      let text: string;
      try {
        text = fillPlaceholders(step.respond, outputs);
      } catch (e) {
        if (e instanceof ReferenceResolutionError) return fail(step, `reference: ${messageOf(e)}`);
        throw e;
      }
      options.note({ event: 'step', step: step.id, kind: 'respond', status: 'ok' });
      const reply = await session.say(text);
      if (reply.done) return { outcome: { kind: 'ended' }, results };
      return { outcome: { kind: 'done', replied: true }, reply: reply.text, results };
    }
  }
  return { outcome: session.ended ? { kind: 'ended' } : { kind: 'done', replied: false }, results };
}
