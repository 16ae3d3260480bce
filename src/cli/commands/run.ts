/**
 * `taubp run`: runs an agent against a user simulator on a domain's tasks, many trials at once,
 * resumably, writing `results/<run>/{run.json,episodes.jsonl,summary.json}` and printing the
 * summary table. Model failures that survive retries become infrastructure-error episodes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_SOURCE_OPTIONS, flagName, parseFlags, str, type Flags, type OptionSpec } from '../args.js';
import { ConfigError, HarnessError, UsageError } from '../../core/errors.js';
import { SecretScrubber } from '../../core/secrets.js';
import { didYouMean } from '../../core/suggest.js';
import { CACHE_MODES, type CacheMode } from '../../models/cache.js';
import { createModel as defaultCreateModel } from '../../models/create-model.js';
import { identityDifferences, parseShard, RUN_DEFAULTS, type RunConfig } from '../../runner/config.js';
import { readManifest, RUN_FILE, type RunManifest } from '../../runner/results.js';
import { acquireRunLock, type RunLock } from '../../runner/run-lock.js';
import { DEFAULT_MAX_CONSECUTIVE_ERRORS, executeRun } from '../../runner/run.js';
import { formatSummary, type RunSummary } from '../../runner/summary.js';
import { AGENTS, DOMAINS, lookup, USERS } from '../registry.js';
import { parsePackKind } from '../../prompts/select.js';
import { prepareRun, type RunSetupIo } from '../run-setup.js';
import { DEFAULT_GRACE_SECONDS, processSignals, stopOnSignals, type OnInterrupt } from '../run-signals.js';
import type { Command } from './command.js';

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
  'max-tokens': { type: 'string' },
  cache: { type: 'string' },
  'cache-dir': { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  shard: { type: 'string' },
  'grace-period': { type: 'string' },
  policy: { type: 'string' },
  'base-url': { type: 'string' },
  'user-base-url': { type: 'string' },
  'all-tool-calls': { type: 'boolean' },
  'few-shot': { type: 'string' },
  'few-shot-count': { type: 'string' },
  prompts: { type: 'string' },
  'agent-setting': { type: 'string', multiple: true },
  'api-key': { type: 'string' },
  'user-api-key': { type: 'string' },
  'judge-api-key': { type: 'string' },
  'request-timeout': { type: 'string' },
  'max-retries': { type: 'string' },
  'max-response-bytes': { type: 'string' },
  'max-errors': { type: 'string' },
  'max-consecutive-errors': { type: 'string' },
  pricing: { type: 'string' },
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
  --tasks <list>             task indices, e.g. 0-9,12; on τ² data task ids, e.g. 5,9
                             (default: the whole split)
  --policy <file>            policy text (default: wiki.md / policy.md found with the data)
  --prompts <pack>           reference: the prompts, tool schemas and request settings of the
                             τ-bench or τ² checkout given as --data, read from it (default for
                             a checkout); harness: this project's own (default otherwise)
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
Models and failures:
  --api-key <key>            agent model key (default OPENAI_API_KEY / ANTHROPIC_API_KEY)
  --user-api-key <key>       user model key (default: --api-key for the same provider)
  --judge-api-key <key>      judge model key (default: --api-key for the same provider)
  --pricing <file.json>      price overrides (USD per 1M tokens) merged over the built-in table
  --request-timeout <s>      seconds per model request attempt (default 120)
  --max-retries <n>          retries of a failed model request: 429, 5xx, timeouts,
                             connection errors (default 6)
  --max-response-bytes <n>   largest model response accepted (default 8388608 = 8 MiB)
  --max-consecutive-errors <n>
                             stop starting episodes after n infrastructure errors in a
                             row (default ${DEFAULT_MAX_CONSECUTIVE_ERRORS}; 0: never)
  --max-errors <n>           stop, and exit 1, once more than n episodes ended in
                             infrastructure errors (default: no limit)
Run:
  --trials <n>               trials per task (default ${RUN_DEFAULTS.trials})
  --concurrency <n>          episodes at once (default ${RUN_DEFAULTS.concurrency}; human user: 1)
  --provider-concurrency <n> requests at once per endpoint (default: --concurrency)
  --seed <n>                 run seed (default ${RUN_DEFAULTS.seed})
  --max-steps <n>            agent step cap (default 30 for v1 tasks, 100 for τ² tasks)
  --max-tokens <n>           output-token limit of every model call (default: none with the
                             reference prompts, as τ-bench; 4096 with the harness's)
  --cache <mode>             ${CACHE_MODES.join(', ')} (default ${RUN_DEFAULTS.cache})
  --cache-dir <dir>          record/replay cache directory (default ${RUN_DEFAULTS.cacheDir})
  --out <dir>                run directory (default results/<domain>-<agent>-<model>-<user>-<time>)
  --resume                   continue --out: run missing (task, trial) pairs and infrastructure errors;
                             with more --trials or a --tasks that includes the run's, grow the run
  --shard <i/n>              run shard i of n (join shard directories with taubp merge)
  --config <file.json>       defaults for any option (keys are option names)

  --grace-period <s>         after Ctrl-C / SIGTERM, how long running episodes may take to finish
                             and be written before they are abandoned (default ${DEFAULT_GRACE_SECONDS})

Ctrl-C or SIGTERM stops starting episodes; running ones finish within --grace-period or are
abandoned (not written; --resume runs them again); a second signal abandons them at once. The
summary is written and the exit status is 130 (SIGINT) or 143 (SIGTERM).
Exit status 1 when the run stopped on errors (authentication, too many infrastructure
errors) or counted no episode; fix the cause, then continue with --resume --out <dir>.
A 400/413/422 answer later in a conversation (e.g. context length exceeded) is the
agent's failure: the episode scores 0 and is counted (on an episode's first request it is
an infrastructure error: a configuration problem). API keys (flags or environment) are never written
anywhere, and base URLs are stored without credentials (user:key@, ?api-key=…).`;

/** What `run` uses besides files: registries, model creation, streams, signals. Injectable for tests. */
export interface RunIo extends RunSetupIo {
  stdout: (text: string) => void;
  /** Whether stderr is a terminal (progress rewrites one line). */
  tty: boolean;
  /** Subscribes to SIGINT / SIGTERM (the handler gets the signal's name); returns the unsubscribe function. */
  onInterrupt: OnInterrupt;
  now?: () => Date;
  /** Receives the run's summary and directory once written (the library's `runBenchmark` resolves to it). */
  onSummary?: (summary: RunSummary, dir: string) => void;
}

const defaultIo: RunIo = {
  domains: DOMAINS,
  agents: AGENTS,
  users: USERS,
  createModel: defaultCreateModel,
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  tty: process.stderr.isTTY === true,
  onInterrupt: processSignals,
};

/**
 * A run I/O for a run in process (the library's `runBenchmark`, scripts, tests): the installed
 * registries and the real models, not a terminal, no signal handling; `parts` give the output
 * sinks and replace anything else.
 */
export function inProcessRunIo(parts: Pick<RunIo, 'stdout' | 'stderr'> & Partial<RunIo>): RunIo {
  return { domains: DOMAINS, agents: AGENTS, users: USERS, createModel: defaultCreateModel, tty: false, onInterrupt: () => () => {}, ...parts };
}

function intFlag(flags: Flags, name: string, min: number): number | undefined {
  const v = str(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flagName(flags, name)} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

function numFlag(flags: Flags, name: string): number | undefined {
  const v = str(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${flagName(flags, name)} must be a number ≥ 0, got "${v}"`);
  return n;
}

function cacheFlag(flags: Flags): CacheMode | undefined {
  const v = str(flags, 'cache');
  if (v === undefined) return undefined;
  if (!(CACHE_MODES as readonly string[]).includes(v)) throw new UsageError(`${flagName(flags, 'cache')} must be one of ${CACHE_MODES.join(', ')}, got "${v}"${didYouMean(v, CACHE_MODES)}`);
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
  set('maxTokens', intFlag(flags, 'max-tokens', 1));
  set('policy', str(flags, 'policy'));
  set('baseUrl', str(flags, 'base-url'));
  set('userBaseUrl', str(flags, 'user-base-url'));
  set('cache', cacheFlag(flags));
  set('cacheDir', str(flags, 'cache-dir'));
  set('concurrency', intFlag(flags, 'concurrency', 1));
  set('providerConcurrency', intFlag(flags, 'provider-concurrency', 1));
  const timeout = numFlag(flags, 'request-timeout');
  if (timeout === 0) throw new UsageError('--request-timeout must be a number of seconds > 0, got "0"');
  set('requestTimeout', timeout);
  set('maxRetries', intFlag(flags, 'max-retries', 0));
  set('maxResponseBytes', intFlag(flags, 'max-response-bytes', 1));
  set('maxErrors', intFlag(flags, 'max-errors', 0));
  set('maxConsecutiveErrors', intFlag(flags, 'max-consecutive-errors', 0));
  set('pricing', str(flags, 'pricing'));
  const prompts = str(flags, 'prompts');
  if (prompts !== undefined) c.prompts = parsePackKind(prompts);
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
    maxTokens: given.maxTokens ?? null,
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
    requestTimeout: given.requestTimeout ?? null,
    maxRetries: given.maxRetries ?? null,
    maxResponseBytes: given.maxResponseBytes ?? null,
    maxErrors: given.maxErrors ?? null,
    maxConsecutiveErrors: given.maxConsecutiveErrors ?? null,
    pricing: given.pricing ?? null,
    prompts: given.prompts ?? null,
  };
}

/**
 * Runs `taubp run` with the given argv; resolves to the exit status: 0, 1 when the run stopped
 * on errors or counted no episode, 130 after Ctrl-C. Everything printed, and the message of an
 * error thrown, has the run's API keys scrubbed.
 */
export async function runRun(argv: string[], io: RunIo = defaultIo): Promise<number> {
  const secrets = new SecretScrubber();
  const locks: RunLock[] = [];
  try {
    return await runScrubbed(argv, { ...io, stdout: secrets.wrap(io.stdout), stderr: secrets.wrap(io.stderr) }, secrets, locks);
  } catch (err) {
    if (err instanceof HarnessError || err instanceof Error) err.message = secrets.scrub(err.message);
    throw err;
  } finally {
    for (const lock of locks) lock.release();
  }
}

/** `locks`: the run directory's lock once taken (released by the caller). */
async function runScrubbed(argv: string[], io: RunIo, secrets: SecretScrubber, locks: RunLock[]): Promise<number> {
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
    if (!existsSync(join(outDir, RUN_FILE))) readManifest(outDir); // "not a run directory", before a lock creates anything
    locks.push(acquireRunLock(outDir, { command: 'taubp run --resume', warn: io.stderr }));
    stored = readManifest(outDir);
    config = { ...stored.config, ...given };
    // More trials or tasks grow the run (checked in prepareRun); any other change is refused.
    const diffs = identityDifferences(stored.config, config, ['trials', 'tasks']);
    if (JSON.stringify(stored.config.shard) !== JSON.stringify(config.shard)) diffs.push(`shard: ${JSON.stringify(stored.config.shard)} ≠ ${JSON.stringify(config.shard)}`);
    if (diffs.length > 0) throw new ConfigError(`run --resume: settings differ from ${outDir}/run.json:\n  ${diffs.join('\n  ')}`, { path: outDir });
  } else {
    config = newConfig(given, io.users);
    if (outDir !== undefined) locks.push(acquireRunLock(outDir, { command: 'taubp run', warn: io.stderr }));
  }
  const apiKeys = { agent: str(flags, 'api-key'), user: str(flags, 'user-api-key'), judge: str(flags, 'judge-api-key') };
  for (const [flag, key] of Object.entries(apiKeys)) {
    if (key !== undefined && key.trim() === '') throw new UsageError(`run: --${flag === 'agent' ? '' : `${flag}-`}api-key is empty`);
  }
  const prepared = prepareRun(config, io, {
    ...(stored === undefined ? {} : { stored }),
    ...(outDir === undefined ? {} : { outDir }),
    now,
    apiKeys: Object.fromEntries(Object.entries(apiKeys).filter(([, v]) => v !== undefined)),
    secrets,
  });
  const { plan, dir, tasks, planned, simulated } = prepared;
  config = prepared.config;
  if (locks.length === 0) locks.push(acquireRunLock(dir, { command: 'taubp run', warn: io.stderr }));

  // ---- SIGINT / SIGTERM: stop new episodes, finish or abandon running ones (run-signals.ts) ----
  const grace = numFlag(flags, 'grace-period');
  const signals = stopOnSignals({ onInterrupt: io.onInterrupt, log: io.stderr, ...(grace === undefined ? {} : { graceMs: grace * 1000 }) });
  io.stderr(
    `${resume ? 'resuming' : 'run'} ${dir}: ${tasks.length} task(s) × ${config.trials} trial(s)${config.shard === null ? '' : `, shard ${config.shard.index}/${config.shard.count}`} = ${planned} episode(s), concurrency ${config.concurrency}${simulated ? ' [simulated model]' : ''}\n`,
  );
  let result;
  try {
    result = await signals.bound(executeRun(plan, {
      outDir: dir,
      resume,
      lock: locks[0] as RunLock,
      records: false,
      stop: signals.stop,
      abort: signals.abort,
      log: io.stderr,
      progress: { tty: io.tty },
      secrets,
      ...(config.maxErrors === null || config.maxErrors === undefined ? {} : { maxErrors: config.maxErrors }),
      ...(config.maxConsecutiveErrors === null || config.maxConsecutiveErrors === undefined ? {} : { maxConsecutiveErrors: config.maxConsecutiveErrors }),
    }));
  } finally {
    signals.dispose();
  }
  if ('abandoned' in result) {
    io.stderr(`the running episodes did not end after being aborted; exiting without a new summary. Continue with: taubp run --resume --out ${dir}\n`);
    return signals.exitCode ?? 130;
  }
  const first = result.firstInfrastructureError;
  io.onSummary?.(result.summary, dir);
  io.stdout(`${formatSummary(result.summary, first === undefined ? {} : { firstInfrastructureError: first })}\n\nResults: ${dir}\n`);
  if (signals.exitCode !== undefined) {
    io.stderr(`interrupted (${signals.received}): ${result.written} episode(s) written this time; continue with: taubp run --resume --out ${dir}\n`);
    return signals.exitCode;
  }
  if (result.haltedBy !== undefined) {
    io.stderr(
      `error: the run stopped: ${result.haltedBy}. ${result.notStarted} episode(s) were not started. ` +
        `Fix the cause (endpoint, key, model name, --request-timeout), then continue with: taubp run --resume --out ${dir}\n`,
    );
    return 1;
  }
  if (result.summary.results.counted === 0) {
    const why = first === undefined ? 'every episode was left out of pass^k (unscored)' : `every episode failed (first: ${first.message})`;
    io.stderr(`error: no episode was counted: ${why}; after fixing the cause, continue with: taubp run --resume --out ${dir}\n`);
    return 1;
  }
  return 0;
}

/** The `run` command. */
export const runCommand: Command = {
  summary: 'Run an agent against a user simulator on a domain’s tasks (trials, concurrency, resume)',
  usage: USAGE,
  run: (argv) => runRun(argv),
};
