/** Source Code Agent blueprints: definition, validation, graph export, engine, audit log, replay. */
export * from './types.js';
export { defineBlueprint, type BlueprintDefinition, type NodeFactory } from './define.js';
export { checkBlueprint, validateBlueprint, MAX_ATTEMPTS_LIMIT } from './validate.js';
export { toMermaid, toGraphJson, graphOf, edgesOf, DEFAULT_MAX_ATTEMPTS, type GraphEdge, type EdgeLabel, type GraphJson, type GraphNodeJson } from './graph.js';
export {
  auditLogFromNotes,
  BLUEPRINT_NOTE,
  blueprintHash,
  requestHash,
  toJsonValue,
  type AuditEvent,
  type AuditEventBody,
  type AuditEventType,
  type JsonValue,
  type RecordedOptions,
} from './audit.js';
export {
  runBlueprint,
  recordedOptions,
  DEFAULT_MAX_NODE_VISITS,
  type EngineOptions,
  type CallSettings,
  type RunEnd,
  type RunResult,
  type Timers,
} from './engine.js';
export { replayRun, type ReplayOptions, type ReplayResult } from './replay.js';
export { createBlueprintAgent, blueprintAgentEntry, engineOptionsFrom, type BlueprintAgent, type BlueprintAgentOptions, type BlueprintRunRecord } from './agent.js';
export { BlueprintRuntimeError, NodeTimeoutError } from './errors.js';
