/** The airline Source Code Agent blueprint. */
export { airlineBlueprint, AIRLINE_TOOLS } from './blueprint.js';
export { rulesFor, BUILTIN_RULES, TAU_V1_RULES, TAU2_RULES, type AirlineRules } from './rules.js';
export { SUBTASKS, WORDING, requestSchema, type Request } from './requests.js';
export type { AirCtx, Outcome } from './context.js';
