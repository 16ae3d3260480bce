/**
 * In-process runs for tests and benchmarks, without the CLI: a complete {@link RunConfig} and
 * {@link RunManifest} from a few choices, and {@link runInProcess}, which executes a plan with the
 * real runner, the real v1 scorer and the scripted customer in a temporary directory. Used by the
 * runner's tests and the blueprints' oracle-mode runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Task } from '../core/task.js';
import { makeScorer } from '../env/reward/score.js';
import { scriptedUserEntry } from '../users/scripted-user.js';
import type { UserSimulatorFactory } from '../contract/user.js';
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
  /** The customer (recorded as user `scripted`). Default: the scripted user. */
  user?: UserSimulatorFactory;
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
    user: { name: 'scripted', create: user ?? scriptedUserEntry.create },
    scorer: (i) => reward({ task: i.task, env: i.env, termination: i.termination, transcript: transcriptOf(i.trajectory) }),
  };
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  try {
    return await executeRun(plan, { outDir: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
