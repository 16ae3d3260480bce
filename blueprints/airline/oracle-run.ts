/**
 * Oracle-mode runs of the airline blueprint through the real runner (`executeRun`): the simulated
 * model at error probability 0 with the airline sub-task oracles, the scripted customer, and the
 * v1 reward. The same function runs the tool-calling baseline on the same tasks for the
 * efficiency comparison. Used by the tests and by `write-oracle-misses.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToolCallingAgent } from '../../baselines/tool-calling.js';
import { airlineOracles } from '../../domains/airline/subtask-oracles.js';
import { createBlueprintAgent, type AuditEvent } from '../../src/blueprint/index.js';
import type { Task } from '../../src/core/task.js';
import type { BaseDb } from '../../src/env/db-state.js';
import type { ToolRegistry } from '../../src/env/registry.js';
import { makeScorer } from '../../src/env/reward/score.js';
import { createSimModel } from '../../src/models/sim/sim-model.js';
import type { Agent } from '../../src/runner/agent.js';
import { RUN_DEFAULTS, type RunConfig } from '../../src/runner/config.js';
import { tasksSha256 } from '../../src/runner/metadata.js';
import type { EpisodeRecord } from '../../src/runner/record.js';
import { executeRun, plannedPairs, type RunPlan } from '../../src/runner/run.js';
import { transcriptOf } from '../../src/runner/scoring.js';
import { scriptedUserEntry } from '../../src/users/scripted-user.js';
import type { UserSimulatorFactory } from '../../src/users/types.js';
import { airlineBlueprint } from './blueprint.js';
import type { AirCtx } from './context.js';

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
  const trials = options.trials ?? 1;
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
  const config: RunConfig = {
    domain: 'airline',
    data: null,
    db: null,
    split: 'test',
    tasks: null,
    agent: agentName,
    agentSettings: {},
    model: model.id,
    temperature: 0,
    user: 'scripted',
    userModel: null,
    userTemperature: null,
    trials,
    seed: options.seed ?? RUN_DEFAULTS.seed,
    maxSteps: null,
    policy: null,
    baseUrl: null,
    userBaseUrl: null,
    cache: 'off',
    cacheDir: RUN_DEFAULTS.cacheDir,
    concurrency: options.concurrency ?? 4,
    providerConcurrency: null,
    shard: null,
  };
  const reward = makeScorer({ base, registry });
  const plan: RunPlan = {
    manifest: {
      format: 'taubp-run',
      version: 1,
      name: `airline-oracle-${agentName}`,
      config,
      metadata: {
        harness: { name: 'tau-blueprint', version: 'test' },
        git: null,
        node: process.version,
        createdAt: new Date(0).toISOString(),
        files: [],
        tasksSha256: tasksSha256(tasks),
        taskCount: tasks.length,
        plannedEpisodes: plannedPairs(tasks, config).length,
        semantics: 'v1',
        simulated: true,
      },
    },
    tasks,
    base,
    registry,
    policy: options.policy,
    agent,
    user: { name: 'scripted', create: options.user ?? scriptedUserEntry.create },
    models: { agent: model },
    scorer: (i) => reward({ task: i.task, env: i.env, termination: i.termination, transcript: transcriptOf(i.trajectory) }),
  };
  const dir = mkdtempSync(join(tmpdir(), 'airline-oracle-'));
  try {
    const result = await executeRun(plan, { outDir: dir });
    const logs = new Map<string, BlueprintLog>();
    for (const r of result.records) {
      const log = bySeed.get(r.seed);
      if (log !== undefined) logs.set(`${r.taskId}#${r.trial}`, { taskId: r.taskId, ...log });
    }
    return { records: result.records, logs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
