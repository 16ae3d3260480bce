/**
 * The plan-and-execute agent (`--agent plan-execute`), built on the package's public API only:
 * per customer message the model drafts one plan of tool calls (arguments may refer to earlier
 * results), the plan is validated before anything runs, then executed without re-planning.
 * See docs/plan-execute.md.
 */
import { defineAgent } from '../../src/index.js';
import { planExecuteAgentFromOptions } from './agent.js';

export { createPlanExecuteAgent, planExecuteSettings, isExplicitYes, PLAN_EXECUTE_AGENT, DEFAULT_MAX_PLAN_STEPS, MAX_DRAFTS_PER_TURN, type PlanExecuteSettings, type PlanExecuteAgentOptions } from './agent.js';
export { PLAN_SCHEMA, PLAN_JSON_SCHEMA, PLAN_SUBTASK, REPLY_SUBTASK, parseReference, type Plan, type PlanStep } from './plan.js';
export { validatePlan, type PlanIssue, type PlanIssueCode, type PlanRules, type PlanValidation } from './validate.js';
export { executePlan, confirmationText, NOTE_KIND } from './execute.js';

/** The registry entry of `--agent plan-execute` (settings: approvedTools, maxPlanSteps). */
export const planExecuteAgentEntry = defineAgent({
  summary: 'plan-and-execute: the model drafts one validated plan per customer message (tools, references, confirmations), executed as written',
  create: planExecuteAgentFromOptions,
});
