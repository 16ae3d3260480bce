/**
 * What one finished episode looks like on disk: one JSON line of `episodes.jsonl`. Timestamps
 * (`at`, `startedAt`, `endedAt`, `durationMs`, call latencies) are the only fields allowed to
 * differ between two runs of the same episode, besides what provider faults, the cache and
 * prices change in call records (`retries`, `retryWaitMs`, `cached`, `costUsd`, `requestId`):
 * `taubp replay` compares everything else byte for byte (`src/runner/replay.ts`).
 */
import type { CallRecord } from '../models/types.js';
import type { LoopSemantics, TerminationReason } from './agent.js';

/** Version of the episode record format. */
export const EPISODE_RECORD_VERSION = 1;

/** One event of an episode's trajectory, in order. `at` is epoch ms. */
export type TrajectoryEvent =
  /** A message in the conversation: from the agent to the user, or the user's reply. */
  | { type: 'message'; from: 'agent' | 'user'; text: string; at: number }
  /**
   * A tool call and its observation. `arguments` is the model's raw text verbatim (or the
   * Python `json.dumps` of arguments an agent built as an object).
   */
  | { type: 'tool'; id?: string; name: string; arguments: string; observation: string; error: boolean; at: number }
  /** A free-form note from the agent or the runner (parse errors, blueprint node path…). */
  | { type: 'note'; kind: string; data: unknown; at: number };

/** How an episode ended. */
export interface Termination {
  reason: TerminationReason;
  /** Human-readable detail: the error message, the step cap, the stop token. */
  message?: string;
  /** Error code of the failure behind it (e.g. `provider_auth`, `cache_miss`), when known. */
  code?: string;
}

/** One finished episode (a line of `episodes.jsonl`). */
export interface EpisodeRecord {
  v: typeof EPISODE_RECORD_VERSION;
  taskId: string;
  taskIndex: number;
  trial: number;
  /** Per-episode seed derived from the run seed, task id and trial. */
  seed: number;
  domain: string;
  semantics: LoopSemantics;
  agent: string;
  /**
   * Blueprint agents: the id of the blueprint that ran (from its audit log's `run_started`), so
   * that `--agent blueprint` records which domain default played. Absent for other agents.
   */
  blueprint?: string;
  user: string;
  /** Reward in [0, 1]; null when the episode was not scored (infrastructure error, no judge). */
  reward: number | null;
  /** Reward within 1e-6 of 1. */
  success: boolean;
  /** Breakdown from the reward function (v1: r_actions / r_outputs; τ²: per component). */
  rewardInfo?: unknown;
  termination: Termination;
  /** Agent steps (tool calls + messages to the user). */
  steps: number;
  /** Messages from the agent to the user. */
  turns: number;
  toolCalls: number;
  /** JCS sha256 of the final database. */
  dbHash: string;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  /**
   * Every successful LLM call, with its role and usage, and what exact replay needs: its per-role
   * position in start order (`seq`), request hash and response (`taubp replay`). Records written
   * before responses were kept (same format version, fields absent) cannot be replayed.
   */
  calls: CallRecord[];
  trajectory: TrajectoryEvent[];
}

/** The (task, trial) key of an episode. */
export function episodeKey(e: { taskId: string; trial: number }): string {
  return `${e.taskId}#${e.trial}`;
}
