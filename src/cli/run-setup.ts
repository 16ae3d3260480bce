/**
 * Builds what a run needs from its configuration: the domain's data, tasks and policy, the models
 * (a missing API key fails here, before any episode), the agent, the scorer and the run manifest.
 * Shared by `taubp run` and `taubp replay`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import type { ToolVariant } from '../env/domain.js';
import { requirePolicy } from '../env/policy.js';
import { createLlmJudge } from '../env/reward/llm-judge.js';
import { makeScorer } from '../env/reward/score.js';
import { loadTasksFrom, type TaskSource } from '../env/tasks/source.js';
import type { CreateModelOptions } from '../models/create-model.js';
import { parseSimSpec } from '../models/sim/sim-model.js';
import type { CallRole, ChatModel } from '../models/types.js';
import type { AgentEntry } from '../runner/agent.js';
import { defaultRunName, type RunConfig } from '../runner/config.js';
import { semanticsOf } from '../runner/episode.js';
import { episodeJudgeModel } from '../runner/episode-models.js';
import { gitCommit, harnessVersion, hashFiles, tasksSha256, type RunMetadata } from '../runner/metadata.js';
import type { RunManifest } from '../runner/results.js';
import { plannedPairs, type RunPlan } from '../runner/run.js';
import { transcriptOf, type Scorer } from '../runner/scoring.js';
import type { UserSimulatorEntry } from '../users/types.js';
import { parseRanges } from './args.js';
import { isBuiltinData, loadBuiltinSuite } from './registry-builtin.js';
import { domainTaskSource, getDomain, loadDomainData, lookup, type DomainMap } from './registry.js';

/** What building a run needs besides its configuration: registries and model creation. */
export interface RunSetupIo {
  domains: DomainMap;
  agents: Readonly<Record<string, AgentEntry>>;
  users: Readonly<Record<string, UserSimulatorEntry>>;
  /** Creates the base model of a role (`agent`, `user`, `judge`; called once each, in that order). */
  createModel: (spec: string, options: CreateModelOptions, role: CallRole) => ChatModel;
  stderr: (text: string) => void;
  /** Model-creation defaults merged into every createModel call (e.g. a test's `env`). */
  modelOptions?: CreateModelOptions;
}

/** Options of {@link prepareRun}. */
export interface PrepareRunOptions {
  /** The stored manifest of a run being resumed (its metadata is kept and checked). */
  stored?: RunManifest;
  /** Run directory; default `results/<defaultRunName>`. */
  outDir?: string;
  /** Wall clock. */
  now: () => Date;
}

/** A run ready for {@link executeRun}. */
export interface PreparedRun {
  plan: RunPlan;
  /** The final configuration (defaults applied, e.g. the human user's concurrency 1). */
  config: RunConfig;
  dir: string;
  tasks: Task[];
  /** Planned episodes (of the shard). */
  planned: number;
  /** True when a simulated model plays a role. */
  simulated: boolean;
}

/** Selects tasks by index (`--tasks 0-9,12`); an index not in the split is a usage error. */
export function selectTasks(tasks: readonly Task[], spec: string | null): Task[] {
  const wanted = parseRanges(spec ?? undefined);
  if (wanted === undefined) return [...tasks];
  const byIndex = new Map(tasks.map((t) => [t.index, t]));
  const missing = wanted.filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new UsageError(`--tasks: no task with index ${missing.slice(0, 5).join(', ')} in this split (${tasks.length} tasks, indices ${tasks[0]?.index ?? '–'}..${tasks.at(-1)?.index ?? '–'})`);
  }
  return wanted.map((i) => byIndex.get(i) as Task);
}

/** The task files of a source for a split (for metadata hashes). */
export function taskFiles(source: TaskSource, split: string): string[] {
  if (source.kind === 'tau2') return [join(source.dir, 'tasks.json'), join(source.dir, 'split_tasks.json')];
  return [join(source.dir, source.kind === 'tau-v1' ? `tasks_${split}.json` : `tasks_${split}.py`)];
}

function existing(paths: string[]): string[] {
  return paths.filter((p) => existsSync(p));
}

/**
 * Loads data, tasks and policy, creates the models, agent and scorer, and builds (or, for a
 * resumed run, checks and extends) the manifest.
 * @throws ConfigError when a resumed run's tasks or files changed; ProviderError for a missing key.
 */
export function prepareRun(initial: RunConfig, io: RunSetupIo, options: PrepareRunOptions): PreparedRun {
  let config = initial;
  const { stored, now } = options;
  let outDir = options.outDir;
  const domain = getDomain(config.domain, io.domains);
  const agentEntry = lookup('agent', io.agents, config.agent);
  const userEntry = lookup('user simulator', io.users, config.user);
  if (config.user === 'human' && config.concurrency > 1) {
    io.stderr(`note: the human user runs one episode at a time (--concurrency ${config.concurrency} → 1)\n`);
    config = { ...config, concurrency: 1 };
  }
  if (userEntry.needsModel && config.userModel === null) config = { ...config, userModel: config.model };

  // ---- data, tasks, policy ----
  const data = config.data as string;
  const builtin = isBuiltinData(data) ? loadBuiltinSuite(config.domain, data) : undefined;
  const source = builtin === undefined ? domainTaskSource(config.domain, data, io.domains) : undefined;
  const all = builtin?.tasks ?? loadTasksFrom(source as TaskSource, config.split);
  const tasks = selectTasks(all, config.tasks);
  if (tasks.length === 0) throw new ConfigError(`run: no tasks selected in ${config.domain} ${config.split}`);
  const tau2 = tasks.some((t) => semanticsOf(t) === 'tau2');
  const variant: ToolVariant | undefined = tau2 ? 'tau2' : undefined;
  const loaded = builtin?.data ?? loadDomainData(config.domain, config.db ?? data, variant, io.domains);
  const registry = domain.registry(variant ?? loaded.variant);
  const policy =
    config.policy === null && builtin !== undefined
      ? builtin.policy
      : requirePolicy(config.domain, { ...(builtin === undefined ? { dataDir: data } : {}), ...(config.policy === null ? {} : { policyFile: config.policy }) });

  // ---- models (a missing API key fails here, before any episode) ----
  const warn = (m: string): void => io.stderr(`warning: ${m}\n`);
  const modelOptions = (baseUrl: string | null): CreateModelOptions => ({
    ...io.modelOptions,
    ...(baseUrl === null ? {} : { baseUrl }),
    ...(config.cache === 'off' ? {} : { cache: { mode: config.cache, dir: config.cacheDir } }),
    concurrency: config.providerConcurrency ?? config.concurrency,
    warn,
  });
  const agentModel = io.createModel(config.model, modelOptions(config.baseUrl), 'agent');
  let userModel: ChatModel | undefined;
  if (config.userModel !== null && userEntry.needsModel) {
    const sameProvider = config.userModel.split(':')[0] === config.model.split(':')[0];
    userModel = io.createModel(config.userModel, modelOptions(config.userBaseUrl ?? (sameProvider ? config.baseUrl : null)), 'user');
  }
  const agent = agentEntry.create({ temperature: config.temperature, seed: config.seed, settings: config.agentSettings });

  // ---- scoring ----
  const judgeSpec = config.judgeModel ?? null;
  if (judgeSpec !== null && parseSimSpec(judgeSpec) !== undefined) throw new ConfigError('run: --judge-model cannot be the simulated model (it has no answers for NL assertions)');
  const judgeBase =
    judgeSpec === null
      ? undefined
      : io.createModel(judgeSpec, modelOptions(config.judgeBaseUrl ?? (judgeSpec.split(':')[0] === config.model.split(':')[0] ? config.baseUrl : null)), 'judge');
  const reward = makeScorer({ base: loaded.base, registry });
  const scorer: Scorer = (input) =>
    reward({
      task: input.task,
      env: input.env,
      termination: input.termination,
      transcript: transcriptOf(input.trajectory),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
      ...(judgeBase === undefined ? {} : { judge: createLlmJudge(episodeJudgeModel(judgeBase, { taskId: input.task.id, trial: input.trial ?? 0 }, input.record ?? (() => {}))) }),
    });

  // ---- metadata and run directory ----
  const files = hashFiles(existing([...loaded.files, ...(source === undefined ? [] : taskFiles(source, config.split)), policy.file]));
  const simulated = agentModel.simulated === true || userModel?.simulated === true;
  const planned = plannedPairs(tasks, config).length;
  let manifest: RunManifest;
  if (stored !== undefined) {
    const problems: string[] = [];
    if (stored.metadata.tasksSha256 !== tasksSha256(tasks)) problems.push('the selected tasks changed (tasksSha256)');
    const sums = (l: { sha256: string }[]): string => l.map((f) => f.sha256).sort().join(',');
    if (sums(stored.metadata.files) !== sums(files)) problems.push('data, task or policy files changed (sha256)');
    if (problems.length > 0) throw new ConfigError(`run --resume: ${problems.join('; ')} since ${outDir} was started`, { path: outDir as string });
    manifest = {
      ...stored,
      config,
      metadata: { ...stored.metadata, resumed: [...(stored.metadata.resumed ?? []), { at: now().toISOString(), git: gitCommit() }] },
    };
  } else {
    outDir ??= join('results', defaultRunName(config, now()));
    const metadata: RunMetadata = {
      harness: harnessVersion(),
      git: gitCommit(),
      node: process.version,
      createdAt: now().toISOString(),
      files,
      tasksSha256: tasksSha256(tasks),
      taskCount: tasks.length,
      plannedEpisodes: planned,
      semantics: [...new Set(tasks.map(semanticsOf))].join(','),
      simulated,
    };
    manifest = { format: 'taubp-run', version: 1, name: outDir.split(/[\\/]/).filter(Boolean).at(-1) ?? outDir, config, metadata };
  }
  const dir = outDir as string;

  const plan: RunPlan = {
    manifest,
    tasks,
    base: loaded.base,
    registry,
    policy: policy.text,
    agent,
    user: { name: config.user, create: userEntry.create },
    models: { agent: agentModel, ...(userModel === undefined ? {} : { user: userModel }) },
    scorer,
  };

  return { plan, config, dir, tasks, planned, simulated };
}
