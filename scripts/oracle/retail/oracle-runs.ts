/**
 * Oracle-mode runs of the retail blueprint (and of the tool-calling baseline, for comparison)
 * through the real runner: the composition root's agents, the `sim` model provider with the
 * registered sub-task oracles, the scripted customer, `executeRun` and the real scorer. Used by
 * the tests and by `measure.ts`.
 */
import { AGENTS, USERS } from '../../../src/cli/registry.js';
import type { Task } from '../../../src/core/task.js';
import type { BaseDb } from '../../../src/env/db-state.js';
import type { ToolRegistry } from '../../../src/env/registry.js';
import { createModel } from '../../../src/models/create-model.js';
import { RUN_DEFAULTS } from '../../../src/runner/config.js';
import type { EpisodeRecord } from '../../../src/contract/record.js';
import { playTasks } from '../../../src/runner/in-process.js';

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
  const entry = AGENTS[agentName];
  const user = USERS.scripted;
  if (entry === undefined || user === undefined) throw new Error(`agent "${agentName}" or the scripted user is not registered`);
  const seed = options.seed ?? RUN_DEFAULTS.seed;
  const agentSettings = options.settings ?? {};
  const result = await playTasks({
    name: `retail-${agentName}-oracle`,
    domain: 'retail',
    ...data,
    agent: entry.create({ temperature: 0, seed, settings: agentSettings }),
    agentName,
    model: createModel(model),
    user: user.create,
    config: { agentSettings, trials: options.trials ?? 1, seed, concurrency: options.concurrency ?? 4 },
    simulated: true,
  });
  const order = new Map(data.tasks.map((t, i) => [t.id, i]));
  return [...result.records].sort((a, b) => (order.get(a.taskId) ?? 0) - (order.get(b.taskId) ?? 0) || a.trial - b.trial);
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
