/**
 * Published runs as this harness reads them before re-grading: what `taubp import` takes from a
 * τ-bench v1 results file (`import-taubench.ts`) or a τ² results JSON (`import-tau2.ts`).
 */
import type { GivenTrajectory } from '../env/reward/trajectory-file.js';
import type { CallRecord } from '../models/types.js';
import type { TrajectoryEvent } from '../contract/record.js';

/** Formats `taubp import` reads. */
export type PublishedFormat = 'tau-bench-v1' | 'tau2';

/** One episode of a published results file. */
export interface PublishedEpisode {
  /** Task reference, the actions to replay, trial, how it ended (when the file says), the file's reward. */
  given: GivenTrajectory;
  /** The conversation as the file has it (user and agent messages, tool calls with their observations). */
  trajectory: TrajectoryEvent[];
  /** Agent messages to the user. */
  turns: number;
  /** Tool calls the agent made (executed ones). */
  toolCalls: number;
  /** LLM calls with usage and cost, when the file records them (τ²); empty otherwise. */
  calls: CallRecord[];
  /** Detail of the ending (the file's own termination reason or error). */
  terminationMessage?: string;
  /** Epoch ms and duration when the file records them; 0 otherwise. */
  startedAt: number;
  durationMs: number;
}

/** What a results file says about its run, besides the episodes. */
export interface PublishedRunInfo {
  format: PublishedFormat;
  /** Agent strategy (`tool-calling`, `act`, `react`, `few-shot`, τ² `llm_agent`…), when known. */
  agent?: string;
  /** Agent model, when known. */
  model?: string;
  userModel?: string;
  temperature?: number;
  maxSteps?: number;
  seed?: number;
  domain?: string;
}

/** A parsed results file. */
export interface PublishedRun {
  info: PublishedRunInfo;
  episodes: PublishedEpisode[];
}
