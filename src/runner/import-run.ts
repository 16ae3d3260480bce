/**
 * Turns a published run (τ-bench v1 results file, τ² results JSON) into a run directory of this
 * harness: every trajectory is replayed on this harness's environment and scored by its reward
 * (an episode that never ended properly scores 0, as in τ-bench), the file's own reward is kept
 * beside ours on each record (`imported.reward`), and every disagreement is listed in `run.json`
 * (`metadata.imported.disagreements`). No model is called.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import type { RewardContext } from '../env/reward/score.js';
import { regrade } from '../env/reward/verify.js';
import { findTaskByRef } from '../env/tasks/lookup.js';
import { isSuccess } from '../metrics/pass-k.js';
import { summarizeRun, writeSummary } from './summary-file.js';
import type { RunSummary } from './summary.js';
import type { TerminationReason } from '../contract/agent.js';
import { DEFAULT_STEP_CAPS, RUN_DEFAULTS, type RunConfig } from './config.js';
import { semanticsOf } from './episode.js';
import type { PublishedFormat, PublishedRun } from './import-published.js';
import { gitCommit, harnessVersion, hashFiles, tasksSha256, type RunMetadata } from './metadata.js';
import { EPISODE_RECORD_VERSION, type EpisodeRecord } from '../contract/record.js';
import { EPISODES_FILE, RUN_FILE, dedupeEpisodes, episodeLine, writeFileAtomic, type RunManifest } from './results.js';
import { checkRunDir } from './run-dir.js';
import { acquireRunLock } from './run-lock.js';
import { episodeSeed } from './seeds.js';

/** A published reward that differs from ours. */
export interface ImportDisagreement {
  taskId: string;
  trial: number;
  /** The file's reward (null: the file has none). */
  published: number | null;
  /** This harness's reward (null: not scored, e.g. an NL assertion without a judge). */
  ours: number | null;
  /** Our reward's explanation (first database difference, missing outputs…). */
  note?: string;
  /** Where in the file: `file#[i]`. */
  origin: string;
}

/** `run.json` metadata of an imported run: what it is and where it came from. */
export interface ImportedFrom {
  /** Always true: the episodes were not run by this harness but read from a file and re-graded. */
  imported: true;
  format: PublishedFormat;
  /** The source file as given, and the sha256 of its bytes. */
  file: string;
  sha256: string;
  /** Entries read from the file, and those dropped as repeats of an earlier (task, trial). */
  entries: number;
  duplicates: number;
  /** Episodes whose published reward equals ours (within 1e-6), and the ones that do not. */
  agreements: number;
  disagreements: ImportDisagreement[];
}

/** Metadata of an imported run. */
export type ImportedRunMetadata = RunMetadata & { imported: ImportedFrom };

/** An episode record of an imported run: the published reward beside ours. */
export type ImportedEpisodeRecord = EpisodeRecord & { imported: { reward: number | null; agrees: boolean; origin: string } };

/** The import details of a run's metadata, when it is an imported run. */
export function importedFrom(metadata: RunMetadata): ImportedFrom | undefined {
  const m = (metadata as Partial<ImportedRunMetadata>).imported;
  return m !== undefined && m.imported === true ? m : undefined;
}

/** What an import needs besides the parsed file. */
export interface ImportOptions {
  /** The results file (hashed into the metadata). */
  file: string;
  /** Run directory to create; it must not already hold a run. */
  outDir: string;
  domain: string;
  split: string;
  /** `--data` and `--db` as given. */
  data: string;
  db: string | null;
  /** Every task of the split. */
  tasks: readonly Task[];
  /** Reward context of the domain's database and tools. */
  ctx: RewardContext;
  /** Database and task files read (hashed into the metadata). */
  files: readonly string[];
  /** Overrides of what the file (or its name) says; missing both is a ConfigError for agent and model. */
  agent?: string | undefined;
  model?: string | undefined;
  userModel?: string | undefined;
  /** Wall clock for `createdAt`. */
  now: () => Date;
  /** Where notices go (e.g. a stale run lock taken over). Default stderr. */
  warn?: (text: string) => void;
}

/** What {@link importPublishedRun} wrote. */
export interface ImportResult {
  dir: string;
  manifest: RunManifest;
  records: ImportedEpisodeRecord[];
  summary: RunSummary;
  from: ImportedFrom;
}

function sameReward(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < 1e-6;
}

/** `0-9,12` for sorted indices. */
export function rangesOf(indices: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < indices.length) {
    let j = i;
    while (j + 1 < indices.length && (indices[j + 1] as number) === (indices[j] as number) + 1) j++;
    parts.push(i === j ? String(indices[i]) : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function findTask(tasks: readonly Task[], ref: number | string, origin: string): Task {
  const t = findTaskByRef(tasks, ref);
  if (t === undefined) throw new ConfigError(`${origin}: task ${JSON.stringify(ref)} is not in the ${tasks[0]?.domain ?? ''} ${tasks[0]?.split ?? ''} tasks of --data (${tasks.length} tasks): wrong --domain, --split or --data?`, { path: origin });
  return t;
}

/**
 * Re-grades every published episode and writes `episodes.jsonl`, `run.json` and `summary.json` to
 * `outDir`, holding its run lock. Nothing is written when a task cannot be found, or `outDir`
 * already holds a run or any file the harness did not write.
 */
export async function importPublishedRun(run: PublishedRun, o: ImportOptions): Promise<ImportResult> {
  if (existsSync(join(o.outDir, RUN_FILE))) throw new ConfigError(`import: ${o.outDir} already holds a run (${RUN_FILE}); choose another --out`, { path: o.outDir });
  const agent = o.agent ?? run.info.agent;
  const model = o.model ?? run.info.model;
  if (agent === undefined) throw new ConfigError(`import: ${o.file} does not say which agent strategy produced it: pass --agent (e.g. tool-calling)`, { path: o.file });
  if (model === undefined) throw new ConfigError(`import: ${o.file} does not say which model produced it: pass --model (e.g. openai:gpt-4o)`, { path: o.file });
  // Resolve every task first: a wrong --data fails before any work.
  const located = run.episodes.map((e) => ({ e, task: findTask(o.tasks, e.given.task, e.given.origin) }));
  const semantics = [...new Set(located.map((l) => semanticsOf(l.task)))];
  const trials = Math.max(0, ...located.map((l) => (l.e.given.trial ?? 0) + 1));
  const seed = run.info.seed ?? RUN_DEFAULTS.seed;
  const config: RunConfig = {
    domain: o.domain,
    data: resolve(o.data),
    db: o.db === null ? null : resolve(o.db),
    split: o.split,
    tasks: null,
    agent,
    agentSettings: {},
    model,
    temperature: run.info.temperature ?? RUN_DEFAULTS.temperature,
    user: 'llm',
    userModel: o.userModel ?? run.info.userModel ?? null,
    userTemperature: null,
    trials,
    seed,
    maxSteps: run.info.maxSteps ?? (semantics.includes('tau2') ? DEFAULT_STEP_CAPS.tau2 : DEFAULT_STEP_CAPS.v1),
    policy: null,
    baseUrl: null,
    userBaseUrl: null,
    cache: 'off',
    cacheDir: RUN_DEFAULTS.cacheDir,
    concurrency: 1,
    providerConcurrency: null,
    shard: null,
    // The published run saw its own benchmark's prompts (τ-bench's or τ²'s), not this harness's.
    prompts: 'reference',
  };

  // Refuses a folder holding files the harness did not write (nothing is changed), then locks it.
  checkRunDir(o.outDir, { format: 'taubp-run', version: 1, name: '', config, metadata: {} as RunMetadata }, 'any-run', 'import');
  const lock = acquireRunLock(o.outDir, { command: 'taubp import', ...(o.warn === undefined ? {} : { warn: o.warn }) });
  try {
    return await regradeAndWrite(run, o, located, config, semantics);
  } finally {
    lock.release();
  }
}

async function regradeAndWrite(
  run: PublishedRun,
  o: ImportOptions,
  located: ReadonlyArray<{ e: PublishedRun['episodes'][number]; task: Task }>,
  config: RunConfig,
  semantics: string[],
): Promise<ImportResult> {
  const { agent, seed } = config;
  const records: ImportedEpisodeRecord[] = [];
  for (const { e, task } of located) {
    const v = await regrade(task, e.given.actions, o.ctx, e.given.termination);
    const trial = e.given.trial ?? 0;
    const published = e.given.referenceReward ?? null;
    const reward = v.info.reward;
    records.push({
      v: EPISODE_RECORD_VERSION,
      taskId: task.id,
      taskIndex: task.index,
      trial,
      seed: episodeSeed(seed, task.id, trial),
      domain: o.domain,
      semantics: semanticsOf(task),
      agent,
      user: config.user,
      reward,
      success: isSuccess(reward),
      rewardInfo: v.info,
      // The regrade's reason is one of the runner's (user_stop, transfer, max_steps, agent_error…) or τ²'s agent_stop.
      termination: { reason: v.termination.reason as TerminationReason, ...(e.terminationMessage === undefined ? {} : { message: e.terminationMessage }) },
      steps: e.turns + e.toolCalls,
      turns: e.turns,
      toolCalls: e.toolCalls,
      dbHash: v.env.db.jcsSha256(),
      startedAt: e.startedAt,
      endedAt: e.startedAt + e.durationMs,
      durationMs: e.durationMs,
      calls: e.calls,
      trajectory: e.trajectory,
      imported: { reward: published, agrees: sameReward(published, reward), origin: e.given.origin },
    });
  }
  const unique = dedupeEpisodes(records) as ImportedEpisodeRecord[];
  const disagreements: ImportDisagreement[] = unique
    .filter((r) => !r.imported.agrees)
    .map((r) => {
      const note = (r.rewardInfo as { note?: string } | undefined)?.note;
      return { taskId: r.taskId, trial: r.trial, published: r.imported.reward, ours: r.reward, ...(note === undefined ? {} : { note }), origin: r.imported.origin };
    });
  const covered = [...new Map(unique.map((r) => [r.taskId, located.find((l) => l.task.id === r.taskId)?.task as Task])).values()].sort((a, b) => a.index - b.index);
  if (covered.length < o.tasks.length) config.tasks = rangesOf(covered.map((t) => t.index));
  const from: ImportedFrom = {
    imported: true,
    format: run.info.format,
    file: o.file,
    sha256: createHash('sha256').update(readFileSync(o.file)).digest('hex'),
    entries: run.episodes.length,
    duplicates: records.length - unique.length,
    agreements: unique.length - disagreements.length,
    disagreements,
  };
  const metadata: ImportedRunMetadata = {
    harness: harnessVersion(),
    git: gitCommit(),
    node: process.version,
    createdAt: o.now().toISOString(),
    files: hashFiles(o.files),
    tasksSha256: tasksSha256(covered),
    taskCount: covered.length,
    taskIds: covered.map((t) => t.id),
    plannedEpisodes: unique.length,
    semantics: semantics.join(','),
    simulated: false,
    imported: from,
  };
  const name = resolve(o.outDir).split(/[\\/]/).filter(Boolean).at(-1) ?? o.outDir;
  const manifest: RunManifest = { format: 'taubp-run', version: 1, name, config, metadata };
  writeFileAtomic(join(o.outDir, EPISODES_FILE), unique.map(episodeLine).join(''));
  writeFileAtomic(join(o.outDir, RUN_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const summary = summarizeRun(o.outDir, manifest);
  if (unique.every((r) => r.calls.length === 0)) {
    summary.warnings.push('imported run: the file records no LLM calls, so calls, tokens, cost, latency and durations are unknown (shown as 0 here, not measured)');
  }
  writeSummary(o.outDir, summary);
  return { dir: o.outDir, manifest, records: unique, summary, from };
}
