/** The retail Source Code Agent blueprint and its sub-task names. */
export { retailBlueprint, retailContext, RETAIL_APPROVED_TOOLS } from './blueprint.js';
export { SUBTASK, SUBTASK_NAMES } from './subtasks.js';
export type { RetailCtx } from './types.js';
