/**
 * `taubp run`: runs an agent against a user simulator on a domain's tasks, many trials at once,
 * resumably, writing `results/<run>/{run.json,episodes.jsonl,summary.json}` and printing the
 * summary table. Model failures that survive retries become infrastructure-error episodes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_SOURCE_OPTIONS, parseFlags, parseRanges, str, type Flags, type OptionSpec } from '../args.js';
import { ConfigError, UsageError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import type { ToolVariant } from '../../env/domain.js';
import { requirePolicy } from '../../env/policy.js';
import { makeScorer } from '../../env/reward/score.js';
import { loadTasksFrom, type TaskSource } from '../../env/tasks/source.js';
import { CACHE_MODES, type CacheMode } from '../../models/cache.js';
import { createModel as defaultCreateModel, type CreateModelOptions } from '../../models/create-model.js';
import type { ChatModel } from '../../models/types.js';
import type { AgentEntry } from '../../runner/agent.js';
import { defaultRunName, identityDifferences, parseShard, RUN_DEFAULTS, type RunConfig } from '../../runner/config.js';
import { semanticsOf } from '../../runner/episode.js';
import { gitCommit, harnessVersion, hashFiles, tasksSha256, type RunMetadata } from '../../runner/metadata.js';
import { readManifest, type RunManifest } from '../../runner/results.js';
import { executeRun, plannedPairs, type RunPlan } from '../../runner/run.js';
import { transcriptOf, type Scorer } from '../../runner/scoring.js';
import { formatSummary } from '../../report/summary.js';
import type { UserSimulatorEntry } from '../../users/types.js';
import { AGENTS, DOMAINS, domainTaskSource, getDomain, loadDomainData, lookup, USERS, type DomainMap } from '../registry.js';
import type { Command } from './command.js';
import { isBuiltinData, loadBuiltinSuite } from '../registry-builtin.js';
import { createLlmJudge } from '../../env/reward/llm-judge.js';
import { withRole } from '../../models/role.js';
import { parseSimSpec } from '../../models/sim/sim-model.js';

const OPTIONS: OptionSpec = {
  ...DATA_SOURCE_OPTIONS,
  agent: { type: 'string' },
  model: { type: 'string' },
  temperature: { type: 'string' },
  user: { type: 'string' },
  'user-model': { type: 'string' },
  'judge-model': { type: 'string' },
  'judge-base-url': { type: 'string' },
  'user-temperature': { type: 'string' },
  trials: { type: 'string' },
  concurrency: { type: 'string' },
  'provider-concurrency': { type: 'string' },
  seed: { type: 'string' },
  'max-steps': { type: 'string' },
  cache: { type: 'string' },
  'cache-dir': { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  shard: { type: 'string' },
  policy: { type: 'string' },
  'base-url': { type: 'string' },
  'user-base-url': { type: 'string' },
  'all-tool-calls': { type: 'boolean' },
  'few-shot': { type: 'string' },
  'few-shot-count': { type: 'string' },
  'agent-setting': { type: 'string', multiple: true },
};

const USAGE = `Usage: taubp run --domain <name> --data <dir> --model <spec> [options]

Runs an agent against a simulated customer on a domain's tasks and writes
results/<run>/run.json, episodes.jsonl (one line per finished episode) and summary.json.

Tasks and data:
  --domain <name>            retail, airline, … (required)
  --data <dir>               τ-bench v1 data dir, τ-bench checkout, τ² domain dir, or
                             builtin / builtin:<seed> (this project's offline suite) (required)
  --db <dir>                 database directory when not beside the tasks
  --split <name>             task split (default ${RUN_DEFAULTS.split})
  --tasks <ranges>           task indices, e.g. 0-9,12 (default: the whole split)
  --policy <file>            policy text (default: wiki.md / policy.md found with the data)
Agent and user:
  --agent <name>             ${Object.keys(AGENTS).sort().join(', ')} (default ${RUN_DEFAULTS.agent})
  --model <spec>             agent model: openai:<m>, anthropic:<m>, openai-compatible:<m>, sim[:p] (required)
  --temperature <t>          agent temperature (default ${RUN_DEFAULTS.temperature})
  --base-url <url>           agent model endpoint (default: provider default / environment)
  --all-tool-calls           tool-calling: run every tool call of a message (v1 runs the first)
  --few-shot <file.jsonl>    few-shot: example conversations ("messages_display" per line)
  --few-shot-count <n>       few-shot: examples shown (default 5)
  --agent-setting <k=v>      any agent setting (repeatable; values parsed as JSON when they can be)
  --user <name>              ${Object.keys(USERS).sort().join(', ')} (default ${RUN_DEFAULTS.user})
  --user-model <spec>        user model (default: the agent model)
  --judge-model <spec>       LLM judge for τ² NL assertions (default none: such tasks are unscored)
  --judge-base-url <url>     judge model endpoint (default: --base-url for the same provider)
  --user-temperature <t>     user temperature (default: the provider's, as τ-bench)
  --user-base-url <url>      user model endpoint (default: --base-url for the same provider)
Run:
  --trials <n>               trials per task (default ${RUN_DEFAULTS.trials})
  --concurrency <n>          episodes at once (default ${RUN_DEFAULTS.concurrency}; human user: 1)
  --provider-concurrency <n> requests at once per endpoint (default: --concurrency)
  --seed <n>                 run seed (default ${RUN_DEFAULTS.seed})
  --max-steps <n>            agent step cap (default 30 for v1 tasks, 100 for τ² tasks)
  --cache <mode>             ${CACHE_MODES.join(', ')} (default ${RUN_DEFAULTS.cache})
  --cache-dir <dir>          record/replay cache directory (default ${RUN_DEFAULTS.cacheDir})
  --out <dir>                run directory (default results/<domain>-<agent>-<model>-<user>-<time>)
  --resume                   continue --out: run missing (task, trial) pairs and infrastructure errors
  --shard <i/n>              run shard i of n (join shard directories with taubp merge)
  --config <file.json>       defaults for any option (keys are option names)

Ctrl-C stops starting episodes and writes those in flight; a second Ctrl-C aborts them.
API keys come from OPENAI_API_KEY / ANTHROPIC_API_KEY and are never written to results.`;

/** What `run` uses besides files: registries, model creation, streams, signals. Injectable for tests. */
export interface RunIo {
  domains: DomainMap;
  agents: Readonly<Record<string, AgentEntry>>;
  users: Readonly<Record<string, UserSimulatorEntry>>;
  createModel: (spec: string, options: CreateModelOptions) => ChatModel;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress rewrites one line). */
  tty: boolean;
  /** Subscribes to Ctrl-C; returns the unsubscribe function. */
  onInterrupt: (handler: () => void) => () => void;
  /** Model-creation defaults merged into every createModel call (e.g. a test's `env`). */
  modelOptions?: CreateModelOptions;
  now?: () => Date;
}

const defaultIo: RunIo = {
  domains: DOMAINS,
  agents: AGENTS,
  users: USERS,
  createModel: defaultCreateModel,
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  tty: process.stderr.isTTY === true,
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    return () => void process.off('SIGINT', handler);
  },
};

function intFlag(flags: Flags, name: string, min: number): number | undefined {
  const v = str(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

function numFlag(flags: Flags, name: string): number | undefined {
  const v = str(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number ≥ 0, got "${v}"`);
  return n;
}

function cacheFlag(flags: Flags): CacheMode | undefined {
  const v = str(flags, 'cache');
  if (v === undefined) return undefined;
  if (!(CACHE_MODES as readonly string[]).includes(v)) throw new UsageError(`--cache must be one of ${CACHE_MODES.join(', ')}, got "${v}"`);
  return v as CacheMode;
}

/** Agent settings from `--all-tool-calls`, `--few-shot*` and `--agent-setting k=v`. */
function agentSettingsFrom(flags: Flags): Record<string, unknown> | undefined {
  const settings: Record<string, unknown> = {};
  if (flags['all-tool-calls'] === true) settings['allToolCalls'] = true;
  const fewShot = str(flags, 'few-shot');
  if (fewShot !== undefined) settings['fewShotFile'] = fewShot;
  const count = intFlag(flags, 'few-shot-count', 1);
  if (count !== undefined) settings['fewShotCount'] = count;
  const extra = flags['agent-setting'];
  for (const kv of Array.isArray(extra) ? extra : typeof extra === 'string' ? [extra] : []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--agent-setting must be key=value, got "${kv}"`);
    const raw = kv.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    settings[kv.slice(0, eq)] = value;
  }
  return Object.keys(settings).length === 0 ? undefined : settings;
}

/** The settings given on the command line (or config file), without defaults. */
function explicitSettings(flags: Flags): Partial<RunConfig> {
  const c: Partial<RunConfig> = {};
  const set = <K extends keyof RunConfig>(key: K, value: RunConfig[K] | undefined): void => {
    if (value !== undefined) c[key] = value;
  };
  set('domain', str(flags, 'domain'));
  set('data', str(flags, 'data'));
  set('db', str(flags, 'db'));
  set('split', str(flags, 'split'));
  set('tasks', str(flags, 'tasks'));
  set('agent', str(flags, 'agent'));
  set('agentSettings', agentSettingsFrom(flags));
  set('model', str(flags, 'model'));
  set('temperature', numFlag(flags, 'temperature'));
  set('user', str(flags, 'user'));
  set('userModel', str(flags, 'user-model'));
  set('judgeModel', str(flags, 'judge-model'));
  set('judgeBaseUrl', str(flags, 'judge-base-url'));
  set('userTemperature', numFlag(flags, 'user-temperature'));
  set('trials', intFlag(flags, 'trials', 1));
  set('seed', intFlag(flags, 'seed', 0));
  set('maxSteps', intFlag(flags, 'max-steps', 1));
  set('policy', str(flags, 'policy'));
  set('baseUrl', str(flags, 'base-url'));
  set('userBaseUrl', str(flags, 'user-base-url'));
  set('cache', cacheFlag(flags));
  set('cacheDir', str(flags, 'cache-dir'));
  set('concurrency', intFlag(flags, 'concurrency', 1));
  set('providerConcurrency', intFlag(flags, 'provider-concurrency', 1));
  const shard = str(flags, 'shard');
  if (shard !== undefined) c.shard = parseShard(shard);
  return c;
}

function newConfig(given: Partial<RunConfig>, users: RunIo['users']): RunConfig {
  if (given.domain === undefined) throw new UsageError('run: --domain is required');
  if (given.data === undefined) throw new UsageError('run: --data is required');
  if (given.model === undefined) throw new UsageError('run: --model is required (e.g. openai:gpt-4o, anthropic:claude-sonnet-4-5, sim)');
  const user = given.user ?? RUN_DEFAULTS.user;
  const needsModel = lookup('user simulator', users, user).needsModel;
  return {
    domain: given.domain,
    data: given.data,
    db: given.db ?? null,
    split: given.split ?? RUN_DEFAULTS.split,
    tasks: given.tasks ?? null,
    agent: given.agent ?? RUN_DEFAULTS.agent,
    agentSettings: given.agentSettings ?? {},
    model: given.model,
    temperature: given.temperature ?? RUN_DEFAULTS.temperature,
    user,
    userModel: needsModel ? (given.userModel ?? given.model) : null,
    userTemperature: given.userTemperature ?? null,
    trials: given.trials ?? RUN_DEFAULTS.trials,
    seed: given.seed ?? RUN_DEFAULTS.seed,
    maxSteps: given.maxSteps ?? null,
    policy: given.policy ?? null,
    baseUrl: given.baseUrl ?? null,
    userBaseUrl: given.userBaseUrl ?? null,
    judgeModel: given.judgeModel ?? null,
    judgeBaseUrl: given.judgeBaseUrl ?? null,
    cache: given.cache ?? RUN_DEFAULTS.cache,
    cacheDir: given.cacheDir ?? RUN_DEFAULTS.cacheDir,
    concurrency: given.concurrency ?? RUN_DEFAULTS.concurrency,
    providerConcurrency: given.providerConcurrency ?? null,
    shard: given.shard ?? null,
  };
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
function taskFiles(source: TaskSource, split: string): string[] {
  if (source.kind === 'tau2') return [join(source.dir, 'tasks.json'), join(source.dir, 'split_tasks.json')];
  return [join(source.dir, source.kind === 'tau-v1' ? `tasks_${split}.json` : `tasks_${split}.py`)];
}

function existing(paths: string[]): string[] {
  return paths.filter((p) => existsSync(p));
}

/** Runs `taubp run` with the given argv; resolves to the exit status. */
export async function runRun(argv: string[], io: RunIo = defaultIo): Promise<number> {
  const { flags, positionals } = parseFlags(argv, OPTIONS, 'run');
  if (positionals.length > 0) throw new UsageError(`run: unexpected argument "${positionals[0]}"`);
  const given = explicitSettings(flags);
  const resume = flags.resume === true;
  const now = io.now ?? (() => new Date());

  // ---- configuration (a resumed run keeps its stored identity) ----
  let config: RunConfig;
  let stored: RunManifest | undefined;
  let outDir = str(flags, 'out');
  if (resume) {
    if (outDir === undefined) throw new UsageError('run: --resume needs --out <run directory>');
    stored = readManifest(outDir);
    config = { ...stored.config, ...given };
    const diffs = identityDifferences(stored.config, config);
    if (JSON.stringify(stored.config.shard) !== JSON.stringify(config.shard)) diffs.push(`shard: ${JSON.stringify(stored.config.shard)} ≠ ${JSON.stringify(config.shard)}`);
    if (diffs.length > 0) throw new ConfigError(`run --resume: settings differ from ${outDir}/run.json:\n  ${diffs.join('\n  ')}`, { path: outDir });
  } else {
    config = newConfig(given, io.users);
  }
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
  const agentModel = io.createModel(config.model, modelOptions(config.baseUrl));
  let userModel: ChatModel | undefined;
  if (config.userModel !== null && userEntry.needsModel) {
    const sameProvider = config.userModel.split(':')[0] === config.model.split(':')[0];
    userModel = io.createModel(config.userModel, modelOptions(config.userBaseUrl ?? (sameProvider ? config.baseUrl : null)));
  }
  const agent = agentEntry.create({ temperature: config.temperature, seed: config.seed, settings: config.agentSettings });

  // ---- scoring ----
  const judgeSpec = config.judgeModel ?? null;
  if (judgeSpec !== null && parseSimSpec(judgeSpec) !== undefined) throw new ConfigError('run: --judge-model cannot be the simulated model (it has no answers for NL assertions)');
  const judgeBase =
    judgeSpec === null
      ? undefined
      : io.createModel(judgeSpec, modelOptions(config.judgeBaseUrl ?? (judgeSpec.split(':')[0] === config.model.split(':')[0] ? config.baseUrl : null)));
  const reward = makeScorer({ base: loaded.base, registry });
  const scorer: Scorer = (input) =>
    reward({
      task: input.task,
      env: input.env,
      termination: input.termination,
      transcript: transcriptOf(input.trajectory),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
      ...(judgeBase === undefined ? {} : { judge: createLlmJudge(withRole(judgeBase, 'judge', input.record ?? (() => {}))) }),
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

  // ---- Ctrl-C: first stops new episodes, second aborts running ones ----
  const stop = new AbortController();
  const abort = new AbortController();
  let interrupts = 0;
  const off = io.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      stop.abort();
      io.stderr('\nstopping: no new episodes; waiting for the running ones to finish and be written (Ctrl-C again to abort them)\n');
    } else {
      abort.abort();
      io.stderr('\naborting the running episodes (they are not written; --resume runs them again)\n');
    }
  });
  io.stderr(
    `${resume ? 'resuming' : 'run'} ${dir}: ${tasks.length} task(s) × ${config.trials} trial(s)${config.shard === null ? '' : `, shard ${config.shard.index}/${config.shard.count}`} = ${planned} episode(s), concurrency ${config.concurrency}${simulated ? ' [simulated model]' : ''}\n`,
  );
  let result;
  try {
    result = await executeRun(plan, { outDir: dir, resume, stop: stop.signal, abort: abort.signal, log: io.stderr, progress: { tty: io.tty } });
  } finally {
    off();
  }
  io.stdout(`${formatSummary(result.summary)}\n\nResults: ${dir}\n`);
  if (interrupts > 0) {
    io.stderr(`interrupted: ${result.written} episode(s) written this time; continue with: taubp run --resume --out ${dir}\n`);
    return 130;
  }
  return 0;
}

/** The `run` command. */
export const runCommand: Command = {
  summary: 'Run an agent against a user simulator on a domain’s tasks (trials, concurrency, resume)',
  usage: USAGE,
  run: (argv) => runRun(argv),
};
