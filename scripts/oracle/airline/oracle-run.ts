/**
 * Oracle-mode runs of the airline blueprint through the real runner (`executeRun`): the simulated
 * model at error probability 0 with the airline sub-task oracles, the scripted customer, and the
 * v1 reward. The same function runs the tool-calling baseline on the same tasks for the
 * efficiency comparison. Used by the tests and by `write-oracle-misses.ts`.
 */
import { createToolCallingAgent } from '../../../baselines/tool-calling.js';
import { airlineOracles } from '../../../blueprints/airline/subtask-oracles.js';
import { createBlueprintAgent, type AuditEvent } from '../../../src/blueprint/index.js';
import type { Task } from '../../../src/core/task.js';
import type { BaseDb } from '../../../src/env/db-state.js';
import type { ToolRegistry } from '../../../src/env/registry.js';
import { createSimModel } from '../../../src/models/sim/sim-model.js';
import type { Agent } from '../../../src/contract/agent.js';
import { RUN_DEFAULTS } from '../../../src/runner/config.js';
import type { EpisodeRecord } from '../../../src/contract/record.js';
import { playTasks } from '../../../src/runner/in-process.js';
import type { UserSimulatorFactory } from '../../../src/contract/user.js';
import { airlineBlueprint } from '../../../blueprints/airline/blueprint.js';
import type { AirCtx } from '../../../blueprints/airline/context.js';

/** What an oracle-mode run needs. */
export interface OracleRunOptions {
  tasks: readonly Task[];
  base: BaseDb;
  registry: ToolRegistry;
  policy: string;
  /** `blueprint` (default) or the `tool-calling` baseline. */
  agent?: 'blueprint' | 'tool-calling';
  trials?: number;
  concurrency?: number;
  /** Error probability of the simulated model. Default 0 (oracle). */
  errorRate?: number;
  seed?: number;
  /** Blueprint replies: templates (default) or worded by the model. */
  replies?: 'template' | 'llm';
  /** The customer. Default: the scripted user. */
  user?: UserSimulatorFactory;
}

/** One blueprint episode's audit log and final context. */
export interface BlueprintLog {
  taskId: string;
  trial: number;
  events: AuditEvent[];
  ctx: AirCtx | undefined;
  error: unknown;
}

/** Records of every episode, and the blueprint's logs (keyed `taskId#trial`). */
export interface OracleRunResult {
  records: EpisodeRecord[];
  logs: Map<string, BlueprintLog>;
}

/** Runs the tasks with the real runner in a temporary directory (removed afterwards). */
export async function runOracle(options: OracleRunOptions): Promise<OracleRunResult> {
  const { tasks, base, registry } = options;
  const bySeed = new Map<number, Omit<BlueprintLog, 'taskId'>>();
  const agentName = options.agent ?? 'blueprint';
  const agent: Agent =
    agentName === 'blueprint'
      ? createBlueprintAgent(airlineBlueprint, {
          replies: options.replies ?? 'template',
          onRun: (r) => {
            bySeed.set(r.session.seed, { trial: r.session.trial, events: r.events, ctx: r.ctx, error: r.error });
          },
        })
      : createToolCallingAgent({ temperature: 0, seed: options.seed ?? RUN_DEFAULTS.seed, settings: {} });
  const model = createSimModel({ errorRate: options.errorRate ?? 0, subtasks: airlineOracles, isWriteTool: (n) => registry.get(n)?.kind === 'write' });
  const result = await playTasks({
    name: `airline-oracle-${agentName}`,
    domain: 'airline',
    tasks,
    base,
    registry,
    policy: options.policy,
    agent,
    agentName,
    model,
    ...(options.user === undefined ? {} : { user: options.user }),
    config: { trials: options.trials ?? 1, seed: options.seed ?? RUN_DEFAULTS.seed, concurrency: options.concurrency ?? 4 },
    harnessVersion: 'test',
    semantics: 'v1',
  });
  const logs = new Map<string, BlueprintLog>();
  for (const r of result.records) {
    const log = bySeed.get(r.seed);
    if (log !== undefined) logs.set(`${r.taskId}#${r.trial}`, { taskId: r.taskId, ...log });
  }
  return { records: result.records, logs };
}
