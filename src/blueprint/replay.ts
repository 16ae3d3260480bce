/**
 * Replay of a recorded run: the blueprint is executed again with sub-task answers, worded replies,
 * user replies and random draws taken from the log (no model, no user), tools executed for real
 * on a fresh database (or served from the log), and every event it produces compared with the
 * logged one as it is produced. The first difference throws a {@link ReplayDivergenceError}
 * naming its `seq`, the logged event and the replayed one.
 */
import { stableJson } from '../core/stable-json.js';
import { HarnessError, ReplayDivergenceError, type ErrorCode } from '../core/errors.js';
import type { PyObject } from '../core/py/py-value.js';
import type { BaseDb } from '../env/db-state.js';
import { Environment, type StepResult } from '../env/environment.js';
import type { ToolRegistry } from '../env/registry.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../models/types.js';
import type { AgentSession, LoopSemantics, TerminationReason, ToolResult, UserReply } from '../contract/agent.js';
import { type AuditEvent, type AuditEventType } from './audit.js';
import { runBlueprint, type CallSettings, type RunEnd, type Timers } from './engine.js';
import { NodeTimeoutError } from './errors.js';
import type { Blueprint } from './types.js';

/** Options of {@link replayRun}. */
export interface ReplayOptions {
  /** The domain's registry (the same tools the run used). */
  registry: ToolRegistry;
  /** Base database: tools are executed on a fresh fork of it and their observations compared. */
  base?: BaseDb;
  /**
   * `execute` (default when `base` is given) runs tools for real; `log` serves their
   * observations from the log (then only the calls themselves are checked).
   */
  tools?: 'execute' | 'log';
  /** Accept a log recorded by a different version of the blueprint's code (default false). */
  allowCodeChange?: boolean;
  /** Policy text the session exposes (blueprints rarely read it). Default ''. */
  policy?: string;
  /** Whether a terminating tool ends the episode. Default: true for v1 semantics (as the runner). */
  endOnTerminateTool?: boolean;
}

/** What a successful replay returns. */
export interface ReplayResult<Ctx> {
  /** The replayed events (equal to the log). */
  events: AuditEvent[];
  ctx: Ctx | undefined;
  /** How the run ended, or undefined when it ended with an error that the log also recorded. */
  end: RunEnd | undefined;
  /** The fresh environment the tools ran on (`execute` mode), to inspect the final database. */
  env: Environment | undefined;
}

/** The first field (dotted path) where two JSON values differ, or undefined when equal. */
function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (stableJson(a) === stableJson(b)) return undefined;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`);
      if (d !== undefined) return d;
    }
  }
  return path === '' ? '(value)' : path;
}

function summary(event: unknown): string {
  const text = stableJson(event);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Compares replayed events with the log as they are produced; serves logged answers by position. */
class LogCursor {
  /** seq of the last replayed event (-1 before the first). */
  last = -1;

  constructor(
    readonly log: readonly AuditEvent[],
    readonly blueprint: string,
    readonly allowCodeChange: boolean,
  ) {}

  compare(actual: AuditEvent): void {
    const expected = this.log[actual.seq];
    if (expected === undefined) {
      throw new ReplayDivergenceError(`replay of "${this.blueprint}" diverged at step ${actual.seq}: the log ends before it, but replay produced ${summary(actual)}`, actual.seq, null, actual, this.blueprint);
    }
    let a: unknown = actual;
    let e: unknown = expected;
    if (this.allowCodeChange && expected.type === 'run_started' && actual.type === 'run_started') {
      a = { ...actual, codeHash: null };
      e = { ...expected, codeHash: null };
    }
    const field = firstDifference(e, a);
    if (field !== undefined) {
      throw new ReplayDivergenceError(
        `replay of "${this.blueprint}" diverged at step ${actual.seq} (${expected.type}, field ${field}): expected ${summary(expected)}, got ${summary(actual)}`,
        actual.seq,
        expected,
        actual,
        this.blueprint,
      );
    }
    this.last = actual.seq;
  }

  /** The logged event that must come next, of one of the given types (what the engine is about to record). */
  served<T extends AuditEventType>(what: string, ...types: T[]): Extract<AuditEvent, { type: T }> {
    const seq = this.last + 1;
    const event = this.log[seq];
    if (event === undefined || !(types as string[]).includes(event.type)) {
      throw new ReplayDivergenceError(
        `replay of "${this.blueprint}" diverged at step ${seq}: the run asks for ${what}, but the log has ${event === undefined ? 'no more events' : summary(event)}`,
        seq,
        event ?? null,
        { request: what },
        this.blueprint,
      );
    }
    return event as Extract<AuditEvent, { type: T }>;
  }
}

/** An {@link AgentSession} whose user, models and RNG are the log. */
class ReplaySession implements AgentSession {
  readonly policy: string;
  readonly tools;
  readonly registry: ToolRegistry;
  readonly domain: string;
  readonly semantics: LoopSemantics;
  readonly firstUserMessage: string | null;
  readonly trial: number;
  readonly seed: number;
  readonly maxSteps: number;
  readonly #abort = new AbortController();
  readonly env: Environment | undefined;
  #steps = 0;
  #ended = false;
  readonly #cursor: LogCursor;
  readonly #endOnTerminate: boolean;

  constructor(start: Extract<AuditEvent, { type: 'run_started' }>, cursor: LogCursor, options: ReplayOptions) {
    this.policy = options.policy ?? '';
    this.registry = options.registry;
    this.tools = options.registry.specs();
    this.domain = start.domain;
    this.semantics = start.semantics as LoopSemantics;
    this.firstUserMessage = start.firstUserMessage;
    this.trial = start.trial;
    this.seed = start.seed;
    this.maxSteps = start.maxSteps;
    this.#cursor = cursor;
    this.#endOnTerminate = options.endOnTerminateTool ?? start.semantics === 'v1';
    const mode = options.tools ?? (options.base === undefined ? 'log' : 'execute');
    if (mode === 'execute') {
      if (options.base === undefined) throw new TypeError('replay with tools: "execute" needs a base database');
      this.env = new Environment({ registry: options.registry, base: options.base, now: () => 0 });
    }
  }

  get steps(): number {
    return this.#steps;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Aborted exactly where the recorded run was interrupted. */
  get signal(): AbortSignal {
    const next = this.#cursor.log[this.#cursor.last + 1];
    if (next?.type === 'end' && next.node === null && next.reason === 'interrupted') this.#abort.abort();
    return this.#abort.signal;
  }

  random(): number {
    return this.#cursor.served('a random draw', 'random').value;
  }

  async callTool(name: string, args: string | PyObject): Promise<ToolResult> {
    if (this.#ended) return { observation: '', error: false, done: true };
    this.#steps++;
    if (this.env === undefined) {
      const logged = this.#cursor.served(`a call of tool "${name}"`, 'tool_call');
      if (logged.done) this.#ended = true;
      return { observation: logged.observation, error: logged.error, done: logged.done };
    }
    const result: StepResult = typeof args === 'string' ? this.env.stepRaw(name, args) : this.env.step({ name, kwargs: args });
    if ((result.done && this.#endOnTerminate) || this.#steps >= this.maxSteps) this.#ended = true;
    return { observation: result.observation, error: result.error, done: this.#ended };
  }

  async say(text: string): Promise<UserReply> {
    if (this.#ended) return { text: '', done: true };
    this.#steps++;
    this.env?.respond(text);
    const logged = this.#cursor.served('a user reply', 'user_reply');
    if (logged.done) this.#ended = true;
    return logged.done ? { text: logged.text, done: true, ...(logged.reason === null ? {} : { reason: logged.reason as TerminationReason }) } : { text: logged.text, done: false };
  }

  model(): ChatModel {
    const cursor = this.#cursor;
    return {
      id: 'replay',
      async complete(_request: ChatRequest): Promise<ChatResponse> {
        const logged = cursor.served('a model answer', 'llm_response', 'llm_error');
        if (logged.type === 'llm_error') {
          if (logged.timeout) throw new NodeTimeoutError(logged.node, 0, logged.error);
          throw logged.code === null ? new Error(logged.error) : new HarnessError(logged.code as ErrorCode, logged.error);
        }
        return { text: logged.text, toolCalls: [], finishReason: 'stop', usage: {}, latencyMs: 0, costUsd: null, retries: 0, retryWaitMs: 0, model: 'replay' };
      },
    };
  }

  note(): void {}
}

function settings(temperature: number | null, maxTokens: number | null): CallSettings {
  return { ...(temperature === null ? {} : { temperature }), ...(maxTokens === null ? {} : { maxTokens }) };
}

const noTimers: Timers = { setTimeout: () => undefined, clearTimeout: () => undefined };

/**
 * Replays a run from its audit log and checks that it reproduces it event for event: node path,
 * context changes, sub-task requests (by hash) and parsed answers, tool calls (name, arguments,
 * and observations when tools are executed), messages and the end. Engine options are taken from
 * the log. A run that ended with an error replays successfully when the replay ends with the
 * same error event.
 *
 * @throws ReplayDivergenceError at the first differing step (its `step` is the event's `seq`).
 */
export async function replayRun<Ctx>(bp: Blueprint<Ctx>, log: readonly AuditEvent[], options: ReplayOptions): Promise<ReplayResult<Ctx>> {
  const start = log[0];
  if (start === undefined || start.type !== 'run_started' || start.seq !== 0) {
    throw new ReplayDivergenceError(`the log of "${bp.id}" does not begin with a run_started event`, 0, start ?? null, null, bp.id);
  }
  const cursor = new LogCursor(log, bp.id, options.allowCodeChange === true);
  const session = new ReplaySession(start, cursor, options);
  const recorded = start.options;
  const events: AuditEvent[] = [];
  let ctx: Ctx | undefined;
  let end: RunEnd | undefined;
  try {
    const result = await runBlueprint(bp, session, {
      replies: recorded.replies,
      subtask: settings(recorded.subtaskTemperature, recorded.subtaskMaxTokens),
      reply: settings(recorded.replyTemperature, recorded.replyMaxTokens),
      maxNodeVisits: recorded.maxNodeVisits,
      note: false,
      timers: noTimers,
      onEvent: (event) => {
        cursor.compare(event);
        events.push(event);
      },
    });
    ctx = result.ctx;
    end = result.end;
  } catch (e) {
    if (e instanceof ReplayDivergenceError) throw e;
    // The replay failed like the recorded run did (its error event matched): that is a faithful replay.
    if (events.at(-1)?.type !== 'error' || events.length !== log.length) throw e;
  }
  if (events.length < log.length) {
    const expected = log[events.length] as AuditEvent;
    throw new ReplayDivergenceError(
      `replay of "${bp.id}" diverged at step ${events.length}: the replay ended, but the log goes on with ${summary(expected)}`,
      events.length,
      expected,
      null,
      bp.id,
    );
  }
  return { events, ctx, end, env: session.env };
}
