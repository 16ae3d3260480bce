/**
 * The simulated model's answers to the plan-and-execute agent's sub-tasks (`baselines/plan-execute`):
 * the planning call (`plan-execute/plan`) and reply wording (`say:plan-execute/reply`). A plan is
 * built from the task's gold actions not yet executed in the episode, the way a careful model
 * would plan: ask for identity first when the next action looks the customer up, then every
 * remaining action in order, a confirm step before each write, an identity lookup's result passed
 * on by reference (`{"$ref": "s1.output"}`), and a final reply stating the requested facts. With
 * error probability p the answer is a plausible wrong plan instead (a wrong argument, a missing
 * confirmation, an early stop), as for blueprint sub-tasks. The plan format is documented in
 * docs/plan-execute.md; the planner's input is what the agent sends (conversation, executed calls,
 * write tools, step limit).
 */
import { jcsStringify } from '../../core/py/jcs.js';
import { pyDumps } from '../../core/py/py-json.js';
import { clonePy, isPyObject, type PyObject, type PyValue } from '../../core/py/py-value.js';
import type { GoldAction } from '../../core/task.js';
import type { SubtaskOracle, SubtaskQuestion } from './sim-model.js';

/** Sub-task name of the plan-and-execute agent's planning call. */
export const PLAN_EXECUTE_PLAN_TASK = 'plan-execute/plan';

/** Sub-task name of the plan-and-execute agent's reply wording (a `say:` task: the answer is the text). */
export const PLAN_EXECUTE_REPLY_TASK = 'say:plan-execute/reply';

/** What the oracles need from the simulated model. */
export interface PlanOracleDeps {
  texts: {
    askIdentityEmail: string;
    askIdentityId: string;
    final: (facts: string[]) => string;
    goodbye: string;
    earlyStop: string;
  };
  /** Write tools when the planner's input does not list them. */
  isWrite: (name: string) => boolean;
  identityTools: readonly string[];
  /** A plausible wrong version of some arguments. */
  perturb: (args: PyObject, key: string) => PyObject;
}

/** Text of a partial plan's reply (a plan longer than the agent's step limit is split). */
export const PARTIAL_PLAN_TEXT = 'I have completed the first part of your request. Shall I continue with the rest?';

interface PlannerInput {
  conversation: Array<{ from: string; text: string }>;
  executed: Array<{ tool: string; args: PyValue }>;
  writeTools: string[] | undefined;
  maxSteps: number;
}

function readInput(input: unknown): PlannerInput {
  const o = (isPyObject(input) ? input : {}) as Record<string, unknown>;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  return {
    conversation: list(o.conversation).filter((l): l is { from: string; text: string } => isPyObject(l) && typeof l.from === 'string' && typeof l.text === 'string'),
    executed: list(o.executed).filter((e): e is { tool: string; args: PyValue } => isPyObject(e) && typeof e.tool === 'string'),
    writeTools: Array.isArray(o.writeTools) ? o.writeTools.filter((t): t is string => typeof t === 'string') : undefined,
    maxSteps: typeof o.maxSteps === 'number' && o.maxSteps > 0 ? o.maxSteps : 20,
  };
}

type Step = { id: string; tool: string; args: PyValue } | { id: string; confirm: string } | { id: string; respond: string };

const respondOnly = (text: string): Step[] => [{ id: 's1', respond: text }];

/** The plan a perfect model drafts for the episode so far, and its plausible wrong versions. */
export function simPlan(q: SubtaskQuestion, deps: PlanOracleDeps): { answer: Step[]; wrong: Step[][] } {
  const input = readInput(q.input);
  const task = q.task;
  const gold = task.actions;
  let i = 0;
  for (const e of input.executed) {
    const g = gold[i];
    if (g === undefined) break;
    if (e.tool === g.name && jcsStringify(e.args, { typedFloats: true }) === jcsStringify(g.kwargs, { typedFloats: true })) i++;
  }
  const agentSaid = input.conversation.filter((l) => l.from === 'agent').map((l) => l.text);
  const last = agentSaid[agentSaid.length - 1];
  const facts = [...task.outputs, ...(task.evaluation?.communicateInfo ?? [])];
  const remaining = gold.slice(i);
  const earlyStop = respondOnly(deps.texts.earlyStop);
  if (remaining.length === 0) return { answer: respondOnly(last !== undefined && last === deps.texts.final(facts) ? deps.texts.goodbye : deps.texts.final(facts)), wrong: [] };
  const first = remaining[0] as GoldAction;
  const asked = agentSaid.some((t) => t === deps.texts.askIdentityEmail || t === deps.texts.askIdentityId);
  if (i === 0 && !asked && deps.identityTools.includes(first.name)) {
    return { answer: respondOnly(first.name === 'get_user_details' ? deps.texts.askIdentityId : deps.texts.askIdentityEmail), wrong: [earlyStop] };
  }
  const isWrite = (name: string): boolean => (input.writeTools === undefined ? deps.isWrite(name) : input.writeTools.includes(name));

  // Each action with its confirmation, as units that are never split.
  let n = 0;
  let lookup: string | undefined;
  const units: Step[][] = [];
  for (const g of remaining) {
    const args = clonePy(g.kwargs);
    // The customer's id found by an identity lookup earlier in this plan is passed on by reference.
    if (lookup !== undefined && task.userId !== undefined && args.user_id === task.userId) args.user_id = { $ref: `${lookup}.output` };
    const unit: Step[] = [];
    if (isWrite(g.name)) {
      unit.push({ id: `s${++n}`, confirm: `s${n + 1}` });
    }
    const id = `s${++n}`;
    unit.push({ id, tool: g.name, args });
    if (g.name.startsWith('find_user_id_by')) lookup = id;
    units.push(unit);
  }
  // Split a plan longer than the step limit: the first part, then ask to continue.
  const steps: Step[] = [];
  let partial = false;
  for (const unit of units) {
    if (steps.length + unit.length + 1 > input.maxSteps && steps.length > 0) {
      partial = true;
      break;
    }
    steps.push(...unit);
  }
  steps.push({ id: `s${++n}`, respond: partial ? PARTIAL_PLAN_TEXT : deps.texts.final(facts) });

  const wrong: Step[][] = [earlyStop];
  const target = steps.find((s) => 'tool' in s && isWrite(s.tool)) ?? steps.find((s) => 'tool' in s);
  if (target !== undefined && 'tool' in target && isPyObject(target.args)) {
    const bad = deps.perturb(target.args, `${task.id}:${target.id}`);
    if (jcsStringify(bad, { typedFloats: true }) !== jcsStringify(target.args, { typedFloats: true })) wrong.push(steps.map((s) => (s === target ? { ...target, args: bad } : s)));
  }
  if (steps.some((s) => 'confirm' in s)) wrong.push(steps.filter((s) => !('confirm' in s)));
  return { answer: steps, wrong };
}

/** The oracles of the plan-and-execute sub-tasks; plans are answered as Python JSON text (floats kept). */
export function planExecuteOracles(deps: PlanOracleDeps): Record<string, SubtaskOracle> {
  return {
    [PLAN_EXECUTE_PLAN_TASK]: (q) => {
      const { answer, wrong } = simPlan(q, deps);
      const text = (steps: Step[]): string => pyDumps({ steps } as unknown as PyValue);
      return { answer: text(answer), wrong: wrong.map(text), raw: true };
    },
    [PLAN_EXECUTE_REPLY_TASK]: (q) => {
      const draft = isPyObject(q.input) ? q.input.draft : undefined;
      return { answer: typeof draft === 'string' ? draft : '' };
    },
  };
}
