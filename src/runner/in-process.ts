/**
 * The one in-process episode player, for tests, scripts and benchmarks, without the CLI: a complete
 * {@link RunConfig} and {@link RunManifest} from a few choices, {@link runInProcess}, which executes
 * a plan with the real runner, the real v1 scorer and the scripted customer in a temporary
 * directory, and {@link playTasks}, which does all three for an agent and a model. Used by the
 * runner's tests, the domains' generator tests, the oracle-mode scripts (`scripts/oracle/`) and
 * the runner benchmark.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Task } from '../core/task.js';
import { makeScorer } from '../env/reward/score.js';
import { scriptedUserEntry } from '../users/scripted-user.js';
import type { Agent } from '../contract/agent.js';
import type { UserSimulatorFactory } from '../contract/user.js';
import type { BaseDb } from '../env/db-state.js';
import type { ToolRegistry } from '../env/registry.js';
import type { ChatModel } from '../models/types.js';
import { RUN_DEFAULTS, type RunConfig } from './config.js';
import { semanticsOf } from './episode.js';
import { tasksSha256 } from './metadata.js';
import type { RunManifest } from './results.js';
import { executeRun, plannedPairs, type ExecuteResult, type RunPlan } from './run.js';
import { transcriptOf } from './scoring.js';

/** The run settings a caller must choose, and any others it overrides. */
export type InProcessConfigFields = Pick<RunConfig, 'domain' | 'agent' | 'model'> & Partial<RunConfig>;

/**
 * A run configuration for an in-process run: no data paths, split `test`, no agent settings,
 * temperature 0, the scripted user, 1 trial, the runner's default seed, cache off (default cache
 * dir), concurrency 4, no step cap, policy, endpoints or shard, except where `fields` say otherwise.
 * Keys are in the order `taubp run` writes them.
 */
export function inProcessRunConfig(fields: InProcessConfigFields): RunConfig {
  const { domain, agent, model, ...rest } = fields;
  return {
    domain,
    data: null,
    db: null,
    split: 'test',
    tasks: null,
    agent,
    agentSettings: {},
    model,
    temperature: 0,
    user: 'scripted',
    userModel: null,
    userTemperature: null,
    trials: 1,
    seed: RUN_DEFAULTS.seed,
    maxSteps: null,
    policy: null,
    baseUrl: null,
    userBaseUrl: null,
    cache: 'off',
    cacheDir: RUN_DEFAULTS.cacheDir,
    concurrency: 4,
    providerConcurrency: null,
    shard: null,
    ...rest,
  };
}

/** Options of {@link inProcessManifest}. */
export interface InProcessManifestOptions {
  name: string;
  config: RunConfig;
  tasks: readonly Task[];
  /** Whether a simulated model takes part. */
  simulated: boolean;
  /** Harness version recorded. Default `0.0.0`. */
  harnessVersion?: string;
  /** Loop semantics recorded. Default: the tasks' distinct semantics joined by `,` (as `taubp run`). */
  semantics?: string;
  /** Episodes planned. Default: the (task, trial) pairs the config plans (shard included). */
  plannedEpisodes?: number;
}

/** The manifest of an in-process run: created at the epoch, no git commit, no hashed files. */
export function inProcessManifest(options: InProcessManifestOptions): RunManifest {
  const { config, tasks } = options;
  return {
    format: 'taubp-run',
    version: 1,
    name: options.name,
    config,
    metadata: {
      harness: { name: 'tau-blueprint', version: options.harnessVersion ?? '0.0.0' },
      git: null,
      node: process.version,
      createdAt: new Date(0).toISOString(),
      files: [],
      tasksSha256: tasksSha256(tasks),
      taskCount: tasks.length,
      plannedEpisodes: options.plannedEpisodes ?? plannedPairs(tasks, config).length,
      semantics: options.semantics ?? [...new Set(tasks.map(semanticsOf))].join(','),
      simulated: options.simulated,
    },
  };
}

/** Options of {@link runInProcess}: a run plan without its user and scorer. */
export type InProcessRunOptions = Omit<RunPlan, 'user' | 'scorer'> & {
  /** The customer: a factory (recorded as user `scripted`) or a named one. Default: the scripted user. */
  user?: UserSimulatorFactory | { name: string; create: UserSimulatorFactory };
  /** Prefix of the temporary run directory's name. */
  tmpPrefix: string;
};

/**
 * Executes the plan with the v1 scorer (`makeScorer` over the plan's base and registry) in a fresh
 * temporary directory, removed afterwards (also when the run throws).
 */
export async function runInProcess(options: InProcessRunOptions): Promise<ExecuteResult> {
  const { user, tmpPrefix, ...rest } = options;
  const reward = makeScorer({ base: rest.base, registry: rest.registry });
  const plan: RunPlan = {
    ...rest,
    user: typeof user === 'object' ? user : { name: 'scripted', create: user ?? scriptedUserEntry.create },
    scorer: (i) => reward({ task: i.task, env: i.env, termination: i.termination, transcript: transcriptOf(i.trajectory) }),
  };
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  try {
    return await executeRun(plan, { outDir: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Options of {@link playTasks}. */
export interface PlayTasksOptions {
  /** Run name (manifest) and prefix of the temporary directory. */
  name: string;
  domain: string;
  tasks: readonly Task[];
  base: BaseDb;
  registry: ToolRegistry;
  policy: string;
  /** The agent, recorded under `agentName` (default: `agent.name`). */
  agent: Agent;
  agentName?: string;
  /** The agent's model (also the user's when `userModel` is absent and the user needs one). */
  model: ChatModel;
  userModel?: ChatModel;
  /** The customer. Default: the scripted user. */
  user?: InProcessRunOptions['user'];
  /** Overrides of the run configuration ({@link inProcessRunConfig}'s defaults otherwise). */
  config?: Partial<RunConfig>;
  /** Whether a simulated model takes part. Default: the model id starts with `sim`. */
  simulated?: boolean;
  /** Harness version and loop semantics recorded ({@link inProcessManifest}'s defaults otherwise). */
  harnessVersion?: string;
  semantics?: string;
}

/**
 * Plays `tasks` with `agent` and `model` through the real runner and the v1 scorer in a
 * temporary directory (see {@link runInProcess}); resolves to the records and summary.
 */
export async function playTasks(o: PlayTasksOptions): Promise<ExecuteResult> {
  const config = inProcessRunConfig({ domain: o.domain, agent: o.agentName ?? o.agent.name, model: o.model.id, ...o.config });
  const manifest = inProcessManifest({
    name: o.name,
    config,
    tasks: o.tasks,
    simulated: o.simulated ?? o.model.id.startsWith('sim'),
    ...(o.harnessVersion === undefined ? {} : { harnessVersion: o.harnessVersion }),
    ...(o.semantics === undefined ? {} : { semantics: o.semantics }),
  });
  return runInProcess({
    manifest,
    tasks: o.tasks,
    base: o.base,
    registry: o.registry,
    policy: o.policy,
    agent: o.agent,
    ...(o.user === undefined ? {} : { user: o.user }),
    models: o.userModel === undefined ? { agent: o.model } : { agent: o.model, user: o.userModel },
    tmpPrefix: `${o.name}-`,
  });
}
