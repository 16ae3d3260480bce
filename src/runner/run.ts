/**
 * Runs a benchmark: every (task, trial) of the run (or its shard) not yet recorded, at most
 * `concurrency` at once, each finished episode appended to `episodes.jsonl` the moment it ends,
 * then `summary.json`. A stop signal stops starting episodes and lets running ones finish and be
 * written; an abort signal ends running ones as `interrupted` (not written; `--resume` reruns them).
 */
import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { ConfigError, formatError } from '../core/errors.js';
import type { SecretScrubber } from '../core/secrets.js';
import type { Task } from '../core/task.js';
import type { BaseDb } from '../env/db-state.js';
import type { ToolRegistry } from '../env/registry.js';
import { slimEpisode, type EpisodeLike } from '../metrics/aggregate.js';
import { summarizeEpisodes } from './summary-file.js';
import type { RunSummary } from './summary.js';
import type { UserSimulatorFactory } from '../contract/user.js';
import type { Agent } from '../contract/agent.js';
import { DEFAULT_STEP_CAPS, type RunConfig } from './config.js';
import { runEpisode, semanticsOf } from './episode.js';
import { allPairs, missingPairs, shardPairs, type EpisodePair } from './pairs.js';
import { Progress } from './progress.js';
import { episodeKey, type EpisodeRecord } from '../contract/record.js';
import {
  dedupeEpisodes,
  EPISODES_FILE,
  EpisodeWriter,
  prepareForResume,
  readEpisodes,
  RUN_FILE,
  SUMMARY_FILE,
  writeFileAtomic,
  type RunManifest,
} from './results.js';
import { checkRunDir } from './run-dir.js';
import { acquireRunLock, type RunLock } from './run-lock.js';
import type { Scorer } from './scoring.js';
import { episodeSeed } from './seeds.js';
import type { ModelsByRole } from './session.js';

/** Everything a run needs, assembled by the CLI (or a test, or a benchmark script). */
export interface RunPlan {
  manifest: RunManifest;
  /** The selected tasks, in order. */
  tasks: readonly Task[];
  base: BaseDb;
  registry: ToolRegistry;
  policy: string;
  agent: Agent;
  user: { name: string; create: UserSimulatorFactory };
  /** Base models by role (`agent`, `user`, …). */
  models: ModelsByRole;
  scorer: Scorer;
}

/** Options of {@link executeRun}. */
export interface ExecuteOptions {
  /** The run directory. */
  outDir: string;
  /** Continue a run directory: run only missing (task, trial) pairs and infrastructure errors. */
  resume?: boolean;
  /** Stop starting new episodes (first Ctrl-C). */
  stop?: AbortSignal;
  /** Abort running episodes (second Ctrl-C); they are not written. */
  abort?: AbortSignal;
  /** Status lines and warnings (stderr). Default: nothing. */
  log?: (text: string) => void;
  /** Show progress through `log`; `tty` rewrites one line in place. Default: off. */
  progress?: { tty: boolean; intervalMs?: number } | false;
  /** Epoch-ms clock for records. Default `Date.now`. */
  now?: () => number;
  /** Run exactly these (task, trial) pairs instead of the plan's (`taubp replay`: the recorded ones). Default: the plan's. */
  pairs?: readonly EpisodePair[];
  /** Secrets (API keys) scrubbed from every string of run.json, episodes.jsonl and summary.json. Default: none. */
  secrets?: SecretScrubber;
  /**
   * Stop starting episodes after this many infrastructure errors in a row (in finishing order):
   * a dead endpoint, a wrong URL or an empty replay cache fails every episode alike. Default
   * {@link DEFAULT_MAX_CONSECUTIVE_ERRORS}; 0 turns the check off.
   */
  maxConsecutiveErrors?: number;
  /** Stop starting episodes once more than this many episodes of this call ended in infrastructure errors. Default: no limit. */
  maxErrors?: number;
  /**
   * The run directory's lock, when the caller holds it already (`taubp run` takes it before reading
   * the stored run). Default: `executeRun` takes it (refusing a directory another process writes)
   * and releases it when done.
   */
  lock?: RunLock;
  /**
   * Return every record of the directory in {@link ExecuteResult.records}. Default true; the CLI
   * passes false, so a run of any size is summarised without holding its records.
   */
  records?: boolean;
}

/** Default of {@link ExecuteOptions.maxConsecutiveErrors}. */
export const DEFAULT_MAX_CONSECUTIVE_ERRORS = 5;

/** What {@link executeRun} did. */
export interface ExecuteResult {
  summary: RunSummary;
  /** Episodes run and written by this call. */
  written: number;
  /** Episodes aborted while running (not written). */
  interrupted: number;
  /** Pairs never started because the run was stopped. */
  notStarted: number;
  /** True when the run was stopped or aborted before finishing its work list. */
  stopped: boolean;
  /** Why the run stopped starting episodes on its own (auth failure, too many infrastructure errors); undefined otherwise. */
  haltedBy?: string;
  /** Infrastructure errors among the episodes of this call. */
  infrastructureErrors: number;
  /** The first infrastructure error of this call (its termination message says the cause and the endpoint). */
  firstInfrastructureError?: { taskId: string; trial: number; message: string; code?: string };
  /** Every record of the directory after this call (deduplicated); empty with `records: false`. */
  records: EpisodeRecord[];
}

/** The planned (task, trial) pairs of a run (its shard when sharded). */
export function plannedPairs(tasks: readonly Task[], config: RunConfig): EpisodePair[] {
  return shardPairs(allPairs(tasks, config.trials), config.shard);
}

/**
 * Runs the plan's missing episodes into `outDir` and writes the summary, holding the directory's
 * lock (see {@link ExecuteOptions.lock}). Throws RunLockedError when another process writes
 * `outDir`; ConfigError when `outDir` holds files the harness did not write or another run, or
 * already holds episodes and `resume` is not set. An unexpected error inside an episode (a bug,
 * not a model or agent failure) stops new episodes, lets running ones finish, then is thrown.
 */
export async function executeRun(plan: RunPlan, options: ExecuteOptions): Promise<ExecuteResult> {
  const lock = options.lock ?? acquireRunLock(options.outDir, { command: options.resume === true ? 'taubp run --resume' : 'taubp run', ...(options.log === undefined ? {} : { warn: options.log }) });
  try {
    checkRunDir(options.outDir, plan.manifest, options.resume === true ? 'any-run' : 'same-config', 'run');
    return await executeLocked(plan, options);
  } finally {
    if (options.lock === undefined) lock.release();
  }
}

async function executeLocked(plan: RunPlan, options: ExecuteOptions): Promise<ExecuteResult> {
  const { manifest } = plan;
  const config = manifest.config;
  const log = options.log ?? (() => undefined);
  const now = options.now ?? Date.now;
  const episodesFile = join(options.outDir, EPISODES_FILE);
  mkdirSync(options.outDir, { recursive: true });

  let previous: EpisodeLike[] = [];
  const appended: EpisodeLike[] = [];
  if (options.resume === true) {
    const prepared = prepareForResume(episodesFile);
    previous = prepared.kept;
    if (prepared.truncated) log(`resume: dropped a partial last line of ${episodesFile} (a write cut short)\n`);
    if (prepared.droppedDuplicates > 0) log(`resume: dropped ${prepared.droppedDuplicates} duplicate (task, trial) line(s) of ${episodesFile}\n`);
    if (prepared.droppedInfra > 0) log(`resume: running ${prepared.droppedInfra} infrastructure-error episode(s) again\n`);
  } else if (existsSync(episodesFile) && statSync(episodesFile).size > 0) {
    throw new ConfigError(`${options.outDir} already holds episodes; pass --resume to continue it or choose another --out`, { path: options.outDir });
  }
  const stringify = (value: unknown): string => (options.secrets === undefined ? JSON.stringify(value, null, 2) : options.secrets.stringify(value, 2));
  writeFileAtomic(join(options.outDir, RUN_FILE), `${stringify(manifest)}\n`);

  const planned = options.pairs ?? plannedPairs(plan.tasks, config);
  const done = new Set(previous.map(episodeKey));
  const todo = missingPairs(planned, done);
  if (previous.length > 0) log(`resume: ${previous.length} episode(s) already done, ${todo.length} to run\n`);

  const halt = new AbortController();
  const onStop = (): void => halt.abort();
  options.stop?.addEventListener('abort', onStop, { once: true });
  if (options.stop?.aborted === true) halt.abort();
  const abortSignal = options.abort ?? new AbortController().signal;
  // Every in-flight model request listens on the abort signal: more than Node's default 10.
  setMaxListeners(0, abortSignal);

  const progress =
    options.progress === undefined || options.progress === false
      ? undefined
      : new Progress({ total: planned.length, previous, write: log, tty: options.progress.tty, ...(options.progress.intervalMs === undefined ? {} : { intervalMs: options.progress.intervalMs }) });
  const writer = new EpisodeWriter(episodesFile);
  const limit = pLimit(Math.max(1, config.concurrency));
  let written = 0;
  let interrupted = 0;
  let notStarted = 0;
  let failure: unknown;
  let haltedBy: string | undefined;
  let infraErrors = 0;
  let firstInfra: ExecuteResult['firstInfrastructureError'];
  let consecutive = 0;
  const maxConsecutive = options.maxConsecutiveErrors ?? DEFAULT_MAX_CONSECUTIVE_ERRORS;
  const haltFor = (why: string): void => {
    if (halt.signal.aborted) return;
    haltedBy = why;
    log(`\nerror: ${why}; not starting new episodes (the running ones finish and are written)\n`);
    halt.abort();
  };

  const runOne = async (pair: EpisodePair): Promise<void> => {
    if (halt.signal.aborted) {
      notStarted++;
      return;
    }
    let record: EpisodeRecord;
    try {
      record = await runEpisode({
        task: pair.task,
        trial: pair.trial,
        seed: episodeSeed(config.seed, pair.task.id, pair.trial),
        domain: config.domain,
        registry: plan.registry,
        base: plan.base,
        policy: plan.policy,
        maxSteps: config.maxSteps ?? DEFAULT_STEP_CAPS[semanticsOf(pair.task)],
        agent: plan.agent,
        user: plan.user,
        models: plan.models,
        ...(config.userTemperature === null ? {} : { userTemperature: config.userTemperature }),
        scorer: plan.scorer,
        signal: abortSignal,
        now,
      });
    } catch (err) {
      failure ??= err;
      log(`\nerror: task ${pair.task.id} trial ${pair.trial}: ${formatError(err)}; not starting new episodes\n`);
      halt.abort();
      return;
    }
    if (record.termination.reason === 'interrupted') {
      interrupted++;
      return;
    }
    // Scrubbed as a value (not as text) so the line stays valid JSON whatever a key looks like.
    writer.append(options.secrets === undefined || options.secrets.size === 0 ? record : (JSON.parse(options.secrets.stringify(record)) as EpisodeRecord));
    appended.push(slimEpisode(record));
    written++;
    progress?.update(record);
    if (record.termination.reason === 'infrastructure_error') {
      infraErrors++;
      consecutive++;
      const cause = options.secrets?.scrub(record.termination.message ?? '') ?? record.termination.message ?? 'unknown cause';
      firstInfra ??= { taskId: record.taskId, trial: record.trial, message: cause, ...(record.termination.code === undefined ? {} : { code: record.termination.code }) };
      if (record.termination.code === 'provider_auth') haltFor(`authentication failed: ${cause}`);
      else if (options.maxErrors !== undefined && infraErrors > options.maxErrors) haltFor(`${infraErrors} infrastructure errors, more than --max-errors ${options.maxErrors} (last: ${cause})`);
      else if (maxConsecutive > 0 && consecutive >= maxConsecutive) haltFor(`${consecutive} infrastructure errors in a row (last: ${cause})`);
    } else consecutive = 0;
  };

  try {
    // Each slot gives the event loop a turn before taking the next episode: with a model that
    // answers at once (sim) a whole run would otherwise be one chain of microtasks, and SIGINT /
    // SIGTERM would only be handled once it had ended.
    const runThenYield = async (pair: EpisodePair): Promise<void> => {
      await runOne(pair);
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    await Promise.all(todo.map((pair) => limit(() => runThenYield(pair))));
  } finally {
    await writer.close();
    progress?.finish();
    options.stop?.removeEventListener('abort', onStop);
  }

  // The file now holds the kept lines then the appended ones: summarise their projections (no
  // re-reading of the records), stamped with the file's hash.
  const episodes = dedupeEpisodes([...previous, ...appended]);
  const summary = summarizeEpisodes(options.outDir, manifest, episodes, previous.length + appended.length);
  writeFileAtomic(join(options.outDir, SUMMARY_FILE), `${stringify(summary)}\n`);
  const records = options.records === false ? [] : dedupeEpisodes(readEpisodes(episodesFile).records);
  if (failure !== undefined) throw failure;
  return {
    summary,
    written,
    interrupted,
    notStarted,
    stopped: halt.signal.aborted || abortSignal.aborted,
    ...(haltedBy === undefined ? {} : { haltedBy }),
    infrastructureErrors: infraErrors,
    ...(firstInfra === undefined ? {} : { firstInfrastructureError: firstInfra }),
    records,
  };
}
