/**
 * Oracle-mode runs of the retail blueprint (and of the tool-calling baseline, for comparison)
 * through the real runner: the composition root's agents, the `sim` model provider with the
 * registered sub-task oracles, the scripted customer, `executeRun` and the real scorer. Used by
 * the tests and by `measure.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENTS, USERS } from '../../src/cli/registry.js';
import type { Task } from '../../src/core/task.js';
import type { BaseDb } from '../../src/env/db-state.js';
import type { ToolRegistry } from '../../src/env/registry.js';
import { makeScorer } from '../../src/env/reward/score.js';
import { createModel } from '../../src/models/create-model.js';
import { RUN_DEFAULTS, type RunConfig } from '../../src/runner/config.js';
import { semanticsOf } from '../../src/runner/episode.js';
import { tasksSha256 } from '../../src/runner/metadata.js';
import type { EpisodeRecord } from '../../src/runner/record.js';
import type { RunManifest } from '../../src/runner/results.js';
import { executeRun } from '../../src/runner/run.js';
import { transcriptOf } from '../../src/runner/scoring.js';

/** What a suite run needs. */
export interface SuiteData {
  tasks: readonly Task[];
  base: BaseDb;
  registry: ToolRegistry;
  policy: string;
}

/** Options of {@link runSuite}. */
export interface SuiteOptions {
  /** `blueprint` (default) or a baseline name (`tool-calling`). */
  agent?: string;
  /** Model spec. Default `sim` (error probability 0: oracle mode). */
  model?: string;
  trials?: number;
  concurrency?: number;
  /** Run seed. Default the runner's. */
  seed?: number;
  /** Agent settings (e.g. `{ replies: 'llm' }` for the blueprint). */
  settings?: Record<string, unknown>;
}

/** LLM usage of a set of episodes (every role except the simulated user). */
export interface Effort {
  episodes: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  tokens: number;
}

/** Runs every task once (or `trials` times) and returns the episode records in task order. */
export async function runSuite(data: SuiteData, options: SuiteOptions = {}): Promise<EpisodeRecord[]> {
  const agentName = options.agent ?? 'blueprint';
  const model = options.model ?? 'sim';
  const config: RunConfig = {
    domain: 'retail',
    data: null,
    db: null,
    split: 'test',
    tasks: null,
    agent: agentName,
    agentSettings: options.settings ?? {},
    model,
    temperature: 0,
    user: 'scripted',
    userModel: null,
    userTemperature: null,
    trials: options.trials ?? 1,
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
  const manifest: RunManifest = {
    format: 'taubp-run',
    version: 1,
    name: `retail-${agentName}-oracle`,
    config,
    metadata: {
      harness: { name: 'tau-blueprint', version: '0.0.0' },
      git: null,
      node: process.version,
      createdAt: new Date(0).toISOString(),
      files: [],
      tasksSha256: tasksSha256(data.tasks),
      taskCount: data.tasks.length,
      plannedEpisodes: data.tasks.length * config.trials,
      semantics: [...new Set(data.tasks.map(semanticsOf))].join(','),
      simulated: true,
    },
  };
  const entry = AGENTS[agentName];
  const user = USERS.scripted;
  if (entry === undefined || user === undefined) throw new Error(`agent "${agentName}" or the scripted user is not registered`);
  const reward = makeScorer({ base: data.base, registry: data.registry });
  const dir = mkdtempSync(join(tmpdir(), 'retail-oracle-'));
  try {
    const result = await executeRun(
      {
        manifest,
        tasks: data.tasks,
        base: data.base,
        registry: data.registry,
        policy: data.policy,
        agent: entry.create({ temperature: 0, seed: config.seed, settings: config.agentSettings }),
        user: { name: 'scripted', create: user.create },
        models: { agent: createModel(model) },
        scorer: (input) => reward({ task: input.task, env: input.env, termination: input.termination, transcript: transcriptOf(input.trajectory) }),
      },
      { outDir: dir },
    );
    const order = new Map(data.tasks.map((t, i) => [t.id, i]));
    return [...result.records].sort((a, b) => (order.get(a.taskId) ?? 0) - (order.get(b.taskId) ?? 0) || a.trial - b.trial);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** LLM calls and tokens of episodes (the scripted user makes none). */
export function effortOf(records: readonly EpisodeRecord[]): Effort {
  const e: Effort = { episodes: records.length, calls: 0, inputTokens: 0, outputTokens: 0, tokens: 0 };
  for (const r of records) {
    for (const c of r.calls) {
      if (c.role === 'user') continue;
      e.calls++;
      e.inputTokens += (c.usage.input ?? 0) + (c.usage.cacheRead ?? 0) + (c.usage.cacheWrite ?? 0);
      e.outputTokens += c.usage.output ?? 0;
    }
  }
  e.tokens = e.inputTokens + e.outputTokens;
  return e;
}

/** Ids of the episodes that did not reach reward 1. */
export function missed(records: readonly EpisodeRecord[]): EpisodeRecord[] {
  return records.filter((r) => !r.success);
}
