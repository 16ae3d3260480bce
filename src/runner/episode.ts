/**
 * One episode: environment over the shared base database, user simulator, agent session, the
 * conversation loop's end conditions, scoring, and the record written to `episodes.jsonl`.
 */
import type { Task } from '../core/task.js';
import type { BaseDb } from '../env/db-state.js';
import { Environment } from '../env/environment.js';
import { applyInitialState } from '../env/reward/gold.js';
import type { ToolRegistry } from '../env/registry.js';
import type { CallRecord } from '../models/types.js';
import { isSuccess } from '../metrics/pass-k.js';
import type { UserSimulatorFactory } from '../contract/user.js';
import type { Agent, LoopSemantics } from '../contract/agent.js';
import { episodeModel } from './episode-models.js';
import { EPISODE_RECORD_VERSION, type EpisodeRecord, type Termination, type TrajectoryEvent } from '../contract/record.js';
import { scoreEpisode, type RewardResult, type Scorer } from './scoring.js';
import { seededRandom } from '../core/rng.js';
import { EpisodeSession, terminationForError, type ModelsByRole } from './session.js';

/** Default agent step cap (τ-bench v1's `max_num_steps`). */
export const DEFAULT_MAX_STEPS = 30;

/** The loop semantics a task implies: τ² for τ² sources, v1 otherwise. */
export function semanticsOf(task: Task): LoopSemantics {
  return task.format === 'tau2' ? 'tau2' : 'v1';
}

/** Everything one episode needs. */
export interface EpisodeOptions {
  task: Task;
  trial: number;
  /** Per-episode seed (see `episodeSeed`). */
  seed: number;
  domain: string;
  registry: ToolRegistry;
  /** Shared, frozen base database; the episode forks it. */
  base: BaseDb;
  policy: string;
  /** Default: {@link semanticsOf}(task). */
  semantics?: LoopSemantics;
  /** Default {@link DEFAULT_MAX_STEPS}. */
  maxSteps?: number;
  agent: Agent;
  user: { name: string; create: UserSimulatorFactory };
  /** Base models by role (`agent`, `user`, `judge`…); the episode wraps them per role. */
  models: ModelsByRole;
  /** Temperature of user model calls; default: the provider's (as τ-bench v1). */
  userTemperature?: number;
  scorer: Scorer;
  /** Aborting it ends the episode as `interrupted`. */
  signal?: AbortSignal;
  /** Epoch-ms clock. Default `Date.now`. */
  now?: () => number;
}

/**
 * Plays one episode to its end and scores it. Never throws for agent, user or model failures:
 * they become the record's termination (`agent_error`, `user_error`, `infrastructure_error`,
 * `interrupted`); a scorer that throws leaves the episode unscored.
 */
export async function runEpisode(options: EpisodeOptions): Promise<EpisodeRecord> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const { task } = options;
  const semantics = options.semantics ?? semanticsOf(task);
  const signal = options.signal ?? new AbortController().signal;
  const env = new Environment({ registry: options.registry, base: options.base, now });
  applyInitialActions(env, task);

  const calls: CallRecord[] = [];
  const trajectory: TrajectoryEvent[] = [];
  const note = (kind: string, data: unknown): void => void trajectory.push({ type: 'note', kind, data, at: now() });
  const userBase = options.models.user;
  const user = options.user.create({
    semantics,
    ...(userBase === undefined ? {} : { model: episodeModel(userBase, 'user', { task, trial: options.trial, sink: calls, signal, now }) }),
    ...(options.userTemperature === undefined ? {} : { temperature: options.userTemperature }),
    trial: options.trial,
    seed: options.seed,
    random: seededRandom(options.seed ^ 0x5bd1e995),
    signal,
    note,
    environment: { actions: () => env.actions, db: env.db, registry: env.registry },
  });

  let termination: Termination | undefined;
  let firstUserMessage: string | null = null;
  try {
    firstUserMessage = await user.start(task);
    if (firstUserMessage !== null) trajectory.push({ type: 'message', from: 'user', text: firstUserMessage, at: now() });
  } catch (err) {
    termination = terminationForError(err, signal, 'user_error', calls);
  }

  const session = new EpisodeSession({
    task,
    env,
    user,
    policy: options.policy,
    domain: options.domain,
    semantics,
    firstUserMessage,
    trial: options.trial,
    seed: options.seed,
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    models: options.models,
    calls,
    trajectory,
    signal,
    now,
  });
  if (termination === undefined) {
    try {
      await options.agent.run(session);
    } catch (err) {
      session.end(terminationForError(err, signal, 'agent_error', calls));
    }
    if (!session.ended) {
      session.end(signal.aborted ? { reason: 'interrupted' } : { reason: 'agent_error', message: 'the agent stopped before the conversation ended' });
    }
    termination = session.termination as Termination;
  }

  let result: RewardResult;
  try {
    result = await scoreEpisode(options.scorer, { task, env, termination, trajectory, signal, trial: options.trial, record: (call) => void calls.push(call) });
  } catch (err) {
    // A judge model failing after retries is an infrastructure problem; any other scoring
    // failure leaves the episode unscored (reward null) with the error, never lost or passed.
    const t = terminationForError(err, signal, termination.reason);
    termination = t.reason === termination.reason ? termination : t;
    result = { reward: null, info: { scoringError: err instanceof Error ? err.message : String(err) } };
  }
  const endedAt = now();
  return {
    v: EPISODE_RECORD_VERSION,
    taskId: task.id,
    taskIndex: task.index,
    trial: options.trial,
    seed: options.seed,
    domain: options.domain,
    semantics,
    agent: options.agent.name,
    ...blueprintThatRan(trajectory),
    user: options.user.name,
    reward: result.reward,
    success: isSuccess(result.reward),
    ...(result.info === undefined ? {} : { rewardInfo: result.info }),
    termination,
    steps: session.steps,
    turns: session.turns,
    toolCalls: session.toolCalls,
    dbHash: env.db.jcsSha256(),
    startedAt,
    endedAt,
    durationMs: endedAt - startedAt,
    calls,
    trajectory,
  };
}

/**
 * `{ blueprint: id }` when a blueprint agent played: the `run_started` event of its audit log
 * (notes of kind `blueprint`, see src/blueprint/audit.ts) names it. Empty for other agents.
 */
function blueprintThatRan(trajectory: readonly TrajectoryEvent[]): { blueprint?: string } {
  for (const e of trajectory) {
    if (e.type !== 'note' || e.kind !== 'blueprint') continue;
    const data = e.data as { type?: unknown; blueprint?: unknown } | null;
    if (data?.type === 'run_started' && typeof data.blueprint === 'string') return { blueprint: data.blueprint };
  }
  return {};
}

/** Runs a τ² task's initialization actions (as the reward's gold side does), then clears them from the action log. */
function applyInitialActions(env: Environment, task: Task): void {
  if ((task.initialActions ?? []).length === 0 && task.meta === undefined) return;
  applyInitialState(env, task);
  env.actions.length = 0;
}
