/**
 * tau-blueprint as a library (`import { … } from 'tau-blueprint'`): define agents, blueprints,
 * user simulators, domains and model providers, bundle them as a plug-in (`definePlugin`, loaded
 * with `taubp run --plugin <file>`), and run benchmarks from code (`runBenchmark`, the same run
 * as `taubp run`). Guides: docs/writing-an-agent.md, docs/writing-a-blueprint.md.
 */

// ---- Plug-ins and running ---------------------------------------------------------------------

/** `definePlugin` (a plug-in module's default export) and `defineAgent` (an agent architecture). */
export { definePlugin, defineAgent } from './plugin/define.js';
/** What a plug-in contributes, and the shapes of its registrations. */
export type {
  PluginDefinition,
  BlueprintRegistration,
  DomainRegistration,
  BuiltinSuiteDefinition,
  ProviderDefinition,
  ReportFormatDefinition,
} from './plugin/types.js';
/** `runBenchmark(options)`: `taubp run` from code, resolving to the run's summary; `benchmarkArgv`: its argument list. */
export { runBenchmark, benchmarkArgv, type BenchmarkOptions } from './cli/run-benchmark.js';
/** The summary a run writes (`summary.json`) and `runBenchmark` resolves to. */
export type { RunSummary } from './runner/summary.js';
/** The report tables a plug-in report format renders. */
export type { ReportTable, Column as ReportColumn } from './report/table.js';

// ---- Agents ---------------------------------------------------------------------------------------

/** The agent contract: an {@link Agent} plays episodes through an {@link AgentSession}. */
export {
  AGENT_GREETING,
  type Agent,
  type AgentEntry,
  type AgentOptions,
  type AgentSession,
  type LoopSemantics,
  type TerminationReason,
  type ToolResult,
  type UserReply,
} from './contract/agent.js';

// ---- Blueprints -----------------------------------------------------------------------------------

/** `defineBlueprint`: a Source Code Agent workflow as a typed graph of nodes. */
export { defineBlueprint, type BlueprintDefinition, type NodeFactory } from './blueprint/define.js';
/** Node, context and run types of blueprints (RunInfo, CodeRuntime, ToolOutcome, the node kinds…). */
export type * from './blueprint/types.js';
/** Validation before a run: every problem at once (`checkBlueprint`) or thrown (`validateBlueprint`). */
export { checkBlueprint, validateBlueprint } from './blueprint/validate.js';
/** Graph exports of a blueprint (Mermaid text, JSON). */
export { toMermaid, toGraphJson } from './blueprint/graph.js';
/** A blueprint as an agent, and exact replay of a blueprint run from its audit log. */
export { createBlueprintAgent, type BlueprintAgent, type BlueprintAgentOptions } from './blueprint/agent.js';
export { replayRun, type ReplayOptions, type ReplayResult } from './blueprint/replay.js';
export { auditLogFromNotes, type AuditEvent } from './blueprint/audit.js';
/** zod (the version the engine uses): blueprint sub-task schemas and tool argument schemas. */
export { z } from 'zod';
/** Oracles of the simulated model for a blueprint's sub-tasks (oracle mode). */
export type { SubtaskOracle, SubtaskQuestion } from './models/sim/sim-model.js';

// ---- Tools and domains ----------------------------------------------------------------------------

/** `defineTool` and its helpers: one zod schema per tool, Python-compatible numbers. */
export { defineTool, ToolFailure, pyNumber, pyInt, toolSpec, type ToolDef, type ToolKind } from './env/tool.js';
/** A domain's tools by name, per variant. */
export { ToolRegistry } from './env/registry.js';
/** The domain contract. */
export type { Domain, LoadedData, ToolVariant } from './env/domain.js';
/** The episode's database as tools see it. */
export type { DbState, BaseDb } from './env/db-state.js';
/** The task model (instruction, gold actions, outputs). */
export type { Task } from './core/task.js';
/** Python-compatible values (floats, ordered objects) tools read and return. */
export { PyFloat, pyFloat, pyDumps, type PyNum, type PyValue, type PyObject } from './core/py/index.js';
/** Python `json.loads` (floats stay {@link PyFloat}, key order kept) and ordered-object helpers. */
export { parsePyJson, isPyObject, pyObject, orderedKeys } from './core/py/index.js';

// ---- User simulators --------------------------------------------------------------------------------

/** The user-simulator contract and the conversation's end tokens. */
export {
  STOP_TOKEN,
  TRANSFER_TOKEN,
  OUT_OF_SCOPE_TOKEN,
  type UserSimulator,
  type UserSimulatorContext,
  type UserSimulatorEntry,
  type UserSimulatorFactory,
} from './contract/user.js';

// ---- Models -------------------------------------------------------------------------------------

/** Model providers: `registerProvider(name, factory)` makes `--model <name>:<model>` work. */
export {
  createModel,
  registerProvider,
  type CreateModelOptions,
  type ProviderFactory,
  type ProviderModel,
  type ProviderRegistration,
  type ResolvedModelOptions,
} from './models/create-model.js';
export type { ModelSpec } from './models/spec.js';
/** The chat-model contract every provider implements. */
export type {
  CallRole,
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse,
  JsonSchema,
  PrivilegedContext,
  ToolCall,
  ToolSpec,
  Usage,
} from './models/types.js';

// ---- Errors -------------------------------------------------------------------------------------

/** The error root and its typed subclasses (`code`, `path`), and their text for people. */
export { HarnessError, ConfigError, DataError, UsageError, BlueprintValidationError, formatError } from './core/errors.js';
