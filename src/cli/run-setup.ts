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
import type { SecretScrubber } from '../core/secrets.js';
import type { CreateModelOptions } from '../models/create-model.js';
import { sanitizeBaseUrl, urlCredentials } from '../models/redact.js';
import { parseSimSpec } from '../models/sim/sim-model.js';
import type { CallRole, ChatModel } from '../models/types.js';
import type { AgentEntry } from '../contract/agent.js';
import { defaultRunName, type RunConfig } from '../runner/config.js';
import { semanticsOf } from '../runner/episode.js';
import { episodeJudgeModel } from '../runner/episode-models.js';
import { gitCommit, harnessVersion, hashFiles, tasksSha256, type RunMetadata } from '../runner/metadata.js';
import type { RunManifest } from '../runner/results.js';
import { checkResume } from '../runner/run-growth.js';
import { plannedPairs, type RunPlan } from '../runner/run.js';
import { packIdentity, samePack } from '../prompts/pack.js';
import { buildPromptPack, registryForPack } from '../prompts/select.js';
import { transcriptOf, type Scorer } from '../runner/scoring.js';
import type { UserSimulatorEntry } from '../contract/user.js';
import { parseTaskRange } from './args.js';
import { domainTaskSource, getDomain, isBuiltinData, loadBuiltinSuite, loadDomainData, loadedPlugins, lookup, type DomainMap } from './registry.js';

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
  /** API keys from flags (`--api-key`, `--user-api-key`, `--judge-api-key`); never stored. Default: from the environment. */
  apiKeys?: { agent?: string; user?: string; judge?: string };
  /** The run's secret scrubber: API keys and base-URL credentials are registered with it. */
  secrets?: SecretScrubber;
}

/** Whether a model spec names the offline simulated model (`sim`, `sim:<p>`). */
function isSimSpec(spec: string): boolean {
  return spec === 'sim' || spec.startsWith('sim:');
}

/** The config as stored in run.json and summary.json: base URLs without credentials ({@link sanitizeBaseUrl}). */
export function configWithoutCredentials(config: RunConfig): RunConfig {
  const clean = (url: string | null | undefined): string | null => (url === null || url === undefined ? null : sanitizeBaseUrl(url));
  return {
    ...config,
    baseUrl: clean(config.baseUrl),
    userBaseUrl: clean(config.userBaseUrl),
    ...(config.judgeBaseUrl === undefined ? {} : { judgeBaseUrl: clean(config.judgeBaseUrl) }),
  };
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

/**
 * Selects tasks (`--tasks`, comma-separated parts; null, `''` or `all`: every task). A part equal
 * to a task id selects that task. Otherwise a number `n` or range `a-b`: on τ² data (which has
 * task ids) the tasks whose id is a number in that range (at least one); on τ-bench v1 and built-in
 * data the task indices, each of which must be in the split. The split's order is kept.
 * @throws UsageError naming the part and saying what `--tasks` takes for this data.
 */
export function selectTasks(tasks: readonly Task[], spec: string | null): Task[] {
  if (spec === null || spec.trim() === '' || spec.trim() === 'all') return [...tasks];
  const tau2 = tasks.some((t) => t.format === 'tau2');
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const indices = new Set(tasks.map((t) => t.index));
  const chosen = new Set<Task>();
  const takes = tau2
    ? `on τ² data --tasks takes task ids, e.g. --tasks ${tasks.slice(0, 2).map((t) => t.id).join(',') || '5,9'} (a range a-b selects the numeric ids in it)`
    : 'here --tasks takes task indices, e.g. --tasks 0-9,12';
  const listing = tau2
    ? `${tasks.length} tasks; ids ${tasks.slice(0, 8).map((t) => t.id).join(', ')}${tasks.length > 8 ? ', …' : ''}`
    : `${tasks.length} tasks, indices ${tasks[0]?.index ?? '–'}..${tasks.at(-1)?.index ?? '–'}`;
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    const exact = byId.get(part);
    if (exact !== undefined) {
      chosen.add(exact);
      continue;
    }
    const range = parseTaskRange(part);
    if (range === undefined) throw new UsageError(`--tasks: no task with id "${part}" in this split (${listing}); ${takes}`);
    const [a, b] = range;
    if (tau2) {
      const hits = tasks.filter((t) => /^\d+$/.test(t.id) && Number(t.id) >= a && Number(t.id) <= b);
      if (hits.length === 0) throw new UsageError(`--tasks: no task ${a === b ? `with id "${a}"` : `id in ${a}-${b}`} in this split (${listing}); ${takes}`);
      for (const t of hits) chosen.add(t);
      continue;
    }
    const missing: number[] = [];
    for (let i = a; i <= b && missing.length < 5; i++) if (!indices.has(i)) missing.push(i);
    if (missing.length > 0) throw new UsageError(`--tasks: no task with index ${missing.join(', ')} in this split (${listing}); ${takes}`);
    for (const t of tasks) if (t.index >= a && t.index <= b) chosen.add(t);
  }
  return tasks.filter((t) => chosen.has(t));
}

/** The task files of a source for a split (for metadata hashes). */
export function taskFiles(source: TaskSource, split: string): string[] {
  if (source.kind === 'tau2') return [join(source.dir, 'tasks.json'), join(source.dir, 'split_tasks.json')];
  return [join(source.dir, source.kind === 'tau-v1' ? `tasks_${split}.json` : `tasks_${split}.py`)];
}

function existing(paths: string[]): string[] {
  return paths.filter((p) => existsSync(p));
}

/** Metadata without `taskParts` (a resumed merged run has checked them and records one task hash again). */
function withoutTaskParts(m: RunMetadata): RunMetadata {
  const { taskParts: _verified, ...rest } = m;
  return rest;
}

/**
 * Refuses to rebuild a stored run (resume, replay) without the plug-ins it was made with, naming
 * the `--plugin` arguments to add.
 * @throws UsageError listing the missing plug-ins.
 */
export function requireRecordedPlugins(stored: RunManifest, command: string): void {
  const loaded = new Set(loadedPlugins().map((p) => p.name));
  const missing = (stored.metadata.plugins ?? []).filter((p) => !loaded.has(p.name));
  if (missing.length > 0) {
    throw new UsageError(
      `${command}: this run was made with plug-in(s) ${missing.map((p) => `"${p.name}"`).join(', ')}; pass them again: ${missing.map((p) => `--plugin ${p.source}`).join(' ')}`,
    );
  }
}

/**
 * Loads data, tasks and policy, creates the models, agent and scorer, and builds (or, for a
 * resumed run, checks and extends) the manifest. A resumed run may grow: more trials, or a task
 * selection that includes its tasks (not for a sharded run's tasks), recorded in `metadata.extended`.
 * @throws ConfigError when a resumed run's tasks or files changed, or it would shrink; ProviderError for a missing key.
 */
export function prepareRun(initial: RunConfig, io: RunSetupIo, options: PrepareRunOptions): PreparedRun {
  let config = initial;
  const { stored, now } = options;
  let outDir = options.outDir;
  if (stored !== undefined) requireRecordedPlugins(stored, 'run --resume');
  const domain = getDomain(config.domain, io.domains);
  const agentEntry = lookup('agent', io.agents, config.agent);
  if (agentEntry.domains !== undefined && !agentEntry.domains.includes(config.domain)) {
    throw new ConfigError(`agent "${config.agent}" plays ${agentEntry.domains.join(', ')}, not domain "${config.domain}"`, { path: 'agent' });
  }
  const userEntry = lookup('user simulator', io.users, config.user);
  if (config.user === 'human' && config.concurrency > 1) {
    io.stderr(`note: the human user runs one episode at a time (--concurrency ${config.concurrency} → 1)\n`);
    config = { ...config, concurrency: 1 };
  }
  if (userEntry.needsModel && config.userModel === null) config = { ...config, userModel: config.model };
  if (userEntry.needsModel && config.userModel !== null && isSimSpec(config.userModel)) {
    throw new UsageError(
      `run: the "${config.user}" user simulator needs a language model to play the customer, and it would be ${config.userModel}, the simulated model, ` +
        `which only plays agents (its replies are "Thought: … Action: …" lines: every episode would hit the step cap and score 0); ` +
        `pass --user scripted for the offline scripted customer, or --user-model <a real model>`,
      { path: 'user' },
    );
  }

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
  const domainRegistry = domain.registry(variant ?? loaded.variant);
  // The prompt pack: τ-bench's own text from a checkout (reference) or this project's (harness).
  const pack = buildPromptPack({ kind: config.prompts ?? null, source, domain: config.domain, tools: domainRegistry.specs() });
  const registry = registryForPack(domainRegistry, pack);
  agentEntry.check?.({ domain: config.domain, registry });
  config = { ...config, prompts: pack.kind };
  // The pack's user temperature (τ²: 0.0, its CLI default) when none is set; recorded in run.json.
  if (config.userTemperature === null && pack.behaviour.userTemperature !== null) config = { ...config, userTemperature: pack.behaviour.userTemperature };
  const packModelOptions: CreateModelOptions = {
    ...(config.maxTokens !== null && config.maxTokens !== undefined
      ? { defaultMaxTokens: config.maxTokens }
      : pack.behaviour.defaultMaxTokens
        ? {}
        : { defaultMaxTokens: null }),
    ...(pack.behaviour.toolMessageName ? { toolMessageName: true } : {}),
  };
  const policy =
    config.policy === null && builtin !== undefined
      ? builtin.policy
      : requirePolicy(config.domain, { ...(builtin === undefined ? { dataDir: data } : {}), ...(config.policy === null ? {} : { policyFile: config.policy }) });

  // ---- models (a missing API key fails here, before any episode) ----
  const warn = (m: string): void => io.stderr(`warning: ${m}\n`);
  const keys = options.apiKeys ?? {};
  for (const secret of [keys.agent, keys.user, keys.judge]) options.secrets?.add(secret);
  for (const url of [config.baseUrl, config.userBaseUrl, config.judgeBaseUrl]) for (const c of urlCredentials(url ?? '')) options.secrets?.add(c);
  const provider = (spec: string): string => spec.split(':')[0] ?? spec;
  /** A role's key: its own flag, else the agent's when the role uses the agent's provider. */
  const keyFor = (spec: string, own: string | undefined): string | undefined => own ?? (provider(spec) === provider(config.model) ? keys.agent : undefined);
  const modelOptions = (baseUrl: string | null, apiKey?: string): CreateModelOptions => ({
    ...packModelOptions,
    ...io.modelOptions,
    ...(baseUrl === null ? {} : { baseUrl }),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(config.requestTimeout === null || config.requestTimeout === undefined ? {} : { timeoutMs: Math.round(config.requestTimeout * 1000) }),
    ...(config.maxRetries === null || config.maxRetries === undefined ? {} : { maxRetries: config.maxRetries }),
    ...(config.maxResponseBytes === null || config.maxResponseBytes === undefined ? {} : { maxResponseBytes: config.maxResponseBytes }),
    ...(config.pricing === null || config.pricing === undefined ? {} : { pricingFile: config.pricing }),
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    ...(config.cache === 'off' ? {} : { cache: { mode: config.cache, dir: config.cacheDir } }),
    concurrency: config.providerConcurrency ?? config.concurrency,
    warn,
  });
  const agentModel = io.createModel(config.model, modelOptions(config.baseUrl, keys.agent), 'agent');
  let userModel: ChatModel | undefined;
  if (config.userModel !== null && userEntry.needsModel) {
    const sameProvider = config.userModel.split(':')[0] === config.model.split(':')[0];
    userModel = io.createModel(config.userModel, modelOptions(config.userBaseUrl ?? (sameProvider ? config.baseUrl : null), keyFor(config.userModel, keys.user)), 'user');
  }
  const agent = agentEntry.create({ temperature: config.temperature, seed: config.seed, settings: config.agentSettings, pack, splitTaskCount: all.length });

  // ---- scoring ----
  const judgeSpec = config.judgeModel ?? null;
  if (judgeSpec !== null && parseSimSpec(judgeSpec) !== undefined) throw new ConfigError('run: --judge-model cannot be the simulated model (it has no answers for NL assertions)');
  const judgeBase =
    judgeSpec === null
      ? undefined
      : io.createModel(judgeSpec, modelOptions(config.judgeBaseUrl ?? (judgeSpec.split(':')[0] === config.model.split(':')[0] ? config.baseUrl : null), keyFor(judgeSpec, keys.judge)), 'judge');
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

  // ---- metadata and run directory (the models above keep the URLs with their credentials) ----
  config = configWithoutCredentials(config);
  const files = hashFiles(existing([...loaded.files, ...(source === undefined ? [] : taskFiles(source, config.split)), policy.file]));
  const simulated = agentModel.simulated === true || userModel?.simulated === true;
  const planned = plannedPairs(tasks, config).length;
  let manifest: RunManifest;
  if (stored !== undefined) {
    // The stored tasks must be unchanged and selected again; more tasks or trials grow the run.
    const { problems, extension } = checkResume(stored, { tasks, trials: config.trials, selection: config.tasks }, (spec) => selectTasks(all, spec), now().toISOString());
    const sums = (l: { sha256: string }[]): string => l.map((f) => f.sha256).sort().join(',');
    if (sums(stored.metadata.files) !== sums(files)) problems.push('data, task or policy files changed (sha256)');
    if (stored.metadata.prompts === undefined && pack.kind !== 'harness') problems.push('the run was started with the harness prompts (before prompt packs were recorded): resume it with --prompts harness');
    if (stored.metadata.prompts !== undefined && !samePack(stored.metadata.prompts, packIdentity(pack))) problems.push(`the prompt pack changed (${stored.metadata.prompts.kind} → ${pack.kind}, or its text)`);
    if (problems.length > 0) throw new ConfigError(`run --resume: ${problems.join('; ')} since ${outDir} was started`, { path: outDir as string });
    manifest = {
      ...stored,
      config,
      metadata: {
        ...withoutTaskParts(stored.metadata),
        tasksSha256: tasksSha256(tasks),
        taskCount: tasks.length,
        taskIds: tasks.map((t) => t.id),
        plannedEpisodes: planned,
        resumed: [...(stored.metadata.resumed ?? []), { at: now().toISOString(), git: gitCommit() }],
        ...(extension === undefined ? {} : { extended: [...(stored.metadata.extended ?? []), extension] }),
      },
    };
    if (extension !== undefined) {
      io.stderr(
        `growing ${outDir}: ${extension.taskCount.from} → ${extension.taskCount.to} task(s), ${extension.trials.from} → ${extension.trials.to} trial(s) (recorded in run.json)\n`,
      );
    }
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
      taskIds: tasks.map((t) => t.id),
      plannedEpisodes: planned,
      semantics: [...new Set(tasks.map(semanticsOf))].join(','),
      simulated,
      prompts: packIdentity(pack),
      ...(loadedPlugins().length === 0 ? {} : { plugins: [...loadedPlugins()] }),
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
    user: { name: config.user, create: (context) => userEntry.create({ ...context, pack }) },
    models: { agent: agentModel, ...(userModel === undefined ? {} : { user: userModel }) },
    scorer,
  };

  return { plan, config, dir, tasks, planned, simulated };
}
