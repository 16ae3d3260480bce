/**
 * The deterministic engine: runs a blueprint against an {@link AgentSession}, one node at a
 * time, and records the audit log. Tools go through `session.callTool`, messages through
 * `session.say`, sub-task questions through `session.model('subtask')`, LLM wording of replies
 * through `session.model('agent')`. The path is chosen by code only; nothing here reads the
 * clock or `Math.random` (timeouts use injected timers and only bound model calls).
 */
import { z } from 'zod';
import { HarnessError, ReplayDivergenceError } from '../core/errors.js';
import { parsePyJson, pyDumps } from '../core/py/py-json.js';
import { pyObject, type PyValue } from '../core/py/py-value.js';
import { describeIssues } from '../env/tool.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../models/types.js';
import type { AgentSession, ToolResult } from '../contract/agent.js';
import {
  BLUEPRINT_NOTE,
  blueprintHash,
  requestHash,
  toJsonValue,
  type AuditEvent,
  type AuditEventBody,
  type JsonValue,
  type RecordedOptions,
} from './audit.js';
import { BlueprintRuntimeError, NodeTimeoutError } from './errors.js';
import { DEFAULT_MAX_ATTEMPTS, graphOf, type BlueprintGraph } from './graph.js';
import type { Blueprint, BlueprintNode, Checks, LlmNode, RunInfo, SayNode, ToolNode, ToolOutcome } from './types.js';
import { validateBlueprint } from './validate.js';

/** Default cap on node visits per run (a safety net on top of loop bounds). */
export const DEFAULT_MAX_NODE_VISITS = 1000;

/** Timer functions for node timeouts (injected in tests). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Sampling settings of one kind of model call. */
export interface CallSettings {
  temperature?: number;
  maxTokens?: number;
}

/** Options of {@link runBlueprint}. */
export interface EngineOptions {
  /**
   * Who words `say` messages that declare a `word` task: `template` (default) uses the node's
   * text; `llm` asks `session.model('agent')` to word it from the facts (the template is the draft).
   */
  replies?: 'template' | 'llm';
  /** Defaults of sub-task calls. Default temperature 0, provider-default max tokens. */
  subtask?: CallSettings;
  /** Defaults of reply-wording calls. Default: provider defaults. */
  reply?: CallSettings;
  /** Node visits before the run fails. Default {@link DEFAULT_MAX_NODE_VISITS}. */
  maxNodeVisits?: number;
  /** Validate against `session.registry` first (default true; memoised per registry). */
  validate?: boolean;
  /** Write each event as `session.note('blueprint', event)` (default true). */
  note?: boolean;
  /** Sees each event before it is appended; throwing stops the run (replay uses this). */
  onEvent?: (event: AuditEvent) => void;
  /** Default: the global `setTimeout`/`clearTimeout`. */
  timers?: Timers;
}

/** How a run ended. */
export interface RunEnd {
  /** The `end` node, or the node during which the episode ended (user stop, terminating tool). */
  node: string | null;
  /** An end node's reason, or `user_stop`/`transfer`/`out_of_scope`/`max_steps`/`interrupted`/…. */
  reason: string;
}

/** What a finished run returns. */
export interface RunResult<Ctx> {
  events: AuditEvent[];
  ctx: Ctx;
  end: RunEnd;
}

/** The options a log records, from the engine options. */
export function recordedOptions(options: EngineOptions): RecordedOptions {
  return {
    replies: options.replies ?? 'template',
    subtaskTemperature: options.subtask?.temperature ?? 0,
    subtaskMaxTokens: options.subtask?.maxTokens ?? null,
    replyTemperature: options.reply?.temperature ?? null,
    replyMaxTokens: options.reply?.maxTokens ?? null,
    maxNodeVisits: options.maxNodeVisits ?? DEFAULT_MAX_NODE_VISITS,
  };
}

/** The system prompt of a sub-task call. */
export function subtaskSystemPrompt(node: LlmNode<unknown>, schema: JsonValue): string {
  return [
    `You answer one bounded sub-task of a customer-service workflow: "${node.task}".`,
    node.instructions,
    'Reply with a single JSON object matching this JSON Schema, and nothing else:',
    JSON.stringify(schema),
  ].join('\n');
}

const REPLY_SYSTEM =
  'You word one message of a customer-service agent to a customer. Convey exactly the given facts, ' +
  'with the draft as a guide; add no offers, promises or facts that are not given. Reply with the message text only.';

type Step = { next: string; iteration?: number } | { end: string };

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** An error thrown by the blueprint's own code (retryable by `retry`). */
class NodeCodeError extends BlueprintRuntimeError {}

const schemaCache = new WeakMap<z.ZodType, JsonValue>();

function outputSchema(schema: z.ZodType): JsonValue {
  let js = schemaCache.get(schema);
  if (js === undefined) {
    const raw = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
    delete raw.$schema;
    js = toJsonValue(raw);
    schemaCache.set(schema, js);
  }
  return js;
}

/** Parses a model's JSON answer: tolerates surrounding whitespace and a ```json fence. */
function parseAnswer(text: string | null): { ok: true; value: JsonValue } | { ok: false; error: string } {
  if (text === null || text.trim() === '') return { ok: false, error: 'the reply was empty; expected a JSON object' };
  let body = text.trim();
  const fence = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(body);
  if (fence !== null) body = fence[1] as string;
  try {
    return { ok: true, value: JSON.parse(body) as JsonValue };
  } catch (e) {
    return { ok: false, error: `the reply is not valid JSON (${(e as Error).message})` };
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class BlueprintRun<Ctx> {
  readonly events: AuditEvent[] = [];
  readonly #bp: Blueprint<Ctx>;
  readonly #graph: BlueprintGraph;
  readonly #session: AgentSession;
  readonly #options: EngineOptions;
  readonly #recorded: RecordedOptions;
  readonly #timers: Timers;
  readonly #approved: ReadonlySet<string>;
  readonly #snap = new Map<string, string>();
  readonly #loops = new Map<string, { count: number; items?: readonly unknown[] }>();
  #ctx!: Ctx;
  #info!: RunInfo;
  #current: string | null = null;

  constructor(bp: Blueprint<Ctx>, session: AgentSession, options: EngineOptions) {
    this.#bp = bp;
    this.#graph = graphOf(bp);
    this.#session = session;
    this.#options = options;
    this.#recorded = recordedOptions(options);
    this.#timers = options.timers ?? defaultTimers;
    this.#approved = new Set(bp.approvedTools);
  }

  #emit(body: AuditEventBody): void {
    const event = { seq: this.events.length, ...body } as AuditEvent;
    this.#options.onEvent?.(event);
    this.events.push(event);
    if (this.#options.note !== false) this.#session.note(BLUEPRINT_NOTE, event);
  }

  /** Runs blueprint code, turning what it throws into a {@link NodeCodeError} naming the node. */
  #call<T>(node: string | null, what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof HarnessError) throw e;
      const where = node === null ? what : `${what} of node "${node}"`;
      throw new NodeCodeError(`${where} threw: ${messageOf(e)}`, node, { cause: e });
    }
  }

  async execute(): Promise<RunResult<Ctx>> {
    try {
      return await this.#run();
    } catch (e) {
      if (e instanceof ReplayDivergenceError) throw e;
      this.#emit({ type: 'error', node: this.#current, error: messageOf(e), code: e instanceof HarnessError ? e.code : null });
      throw e;
    }
  }

  async #run(): Promise<RunResult<Ctx>> {
    const s = this.#session;
    this.#info = { domain: s.domain, semantics: s.semantics, trial: s.trial, seed: s.seed, firstUserMessage: s.firstUserMessage, policy: s.policy };
    const ctx = this.#call(null, 'context()', () => this.#bp.context(this.#info));
    if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) {
      throw new BlueprintRuntimeError(`context() of blueprint "${this.#bp.id}" must return an object`, null);
    }
    this.#ctx = ctx;
    this.#delta();
    this.#emit({
      type: 'run_started',
      blueprint: this.#bp.id,
      version: this.#bp.version,
      codeHash: blueprintHash(this.#bp),
      domain: s.domain,
      semantics: s.semantics,
      trial: s.trial,
      seed: s.seed,
      maxSteps: s.maxSteps,
      firstUserMessage: s.firstUserMessage,
      options: this.#recorded,
      context: toJsonValue(ctx),
    });
    let id = this.#bp.start;
    let prev: string | null = null;
    for (let visits = 1; ; visits++) {
      if (s.signal.aborted) return this.#finish(null, 'interrupted');
      if (visits > this.#recorded.maxNodeVisits) {
        throw new BlueprintRuntimeError(`the run reached the cap of ${this.#recorded.maxNodeVisits} node visits`, id);
      }
      const node = this.#graph.nodes.get(id) as BlueprintNode<Ctx> | undefined;
      if (node === undefined) throw new BlueprintRuntimeError(`unknown node "${id}"`, prev);
      this.#current = id;
      this.#emit({ type: 'node_entered', node: id, kind: node.kind });
      const step = await this.#node(node, prev);
      if ('end' in step) return this.#finish(id, step.end);
      prev = id;
      id = step.next;
    }
  }

  #finish(node: string | null, reason: string): RunResult<Ctx> {
    this.#emit({ type: 'end', node, reason });
    return { events: this.events, ctx: this.#ctx, end: { node, reason } };
  }

  #failing(node: BlueprintNode<Ctx>, checks: Checks<Ctx> | undefined, what: string): string | undefined {
    if (checks === undefined) return undefined;
    for (const [name, check] of Object.entries(checks)) {
      if (this.#call(node.id, `${what} "${name}"`, () => check(this.#ctx)) !== true) return name;
    }
    return undefined;
  }

  /** Top-level context keys changed since the last call (new values) and keys removed. */
  #delta(): { changes: { [key: string]: JsonValue }; removed: string[] } {
    const changes: { [key: string]: JsonValue } = {};
    const present = new Set<string>();
    const ctx = this.#ctx as Record<string, unknown>;
    for (const key of Object.keys(ctx)) {
      const v = ctx[key];
      if (v === undefined || typeof v === 'function') continue;
      present.add(key);
      const value = toJsonValue(v);
      const text = JSON.stringify(value);
      if (this.#snap.get(key) !== text) {
        this.#snap.set(key, text);
        changes[key] = value;
      }
    }
    const removed = [...this.#snap.keys()].filter((k) => !present.has(k));
    for (const k of removed) this.#snap.delete(k);
    return { changes, removed };
  }

  #exit(node: BlueprintNode<Ctx>, next: string | null, iteration?: number): void {
    const { changes, removed } = this.#delta();
    this.#emit({ type: 'node_exited', node: node.id, next, changes, removed, iteration: iteration ?? null });
  }

  async #node(node: BlueprintNode<Ctx>, prev: string | null): Promise<Step> {
    const failedPre = this.#failing(node, node.pre, 'precondition');
    if (failedPre !== undefined) {
      this.#emit({ type: 'precondition_failed', node: node.id, condition: failedPre, next: node.onPreFail ?? null });
      if (node.onPreFail === undefined) {
        throw new BlueprintRuntimeError(`precondition "${failedPre}" of node "${node.id}" failed and the node declares no onPreFail`, node.id);
      }
      this.#exit(node, node.onPreFail);
      return { next: node.onPreFail };
    }
    if (node.kind === 'end') return { end: node.reason };
    const step = node.kind === 'llm' ? await this.#llm(node) : await this.#attempts(node, () => this.#body(node, prev));
    if ('end' in step) {
      this.#exit(node, null);
      return step;
    }
    this.#exit(node, step.next, step.iteration);
    return step;
  }

  /** Runs a node's body with postconditions and `retry`. */
  async #attempts(node: BlueprintNode<Ctx>, body: () => Promise<Step> | Step): Promise<Step> {
    const max = (node.retry ?? 0) + 1;
    for (let attempt = 1; ; attempt++) {
      let step: Step;
      try {
        step = await body();
      } catch (e) {
        if (!(e instanceof NodeCodeError)) throw e;
        this.#emit({ type: 'node_failed', node: node.id, attempt, error: e.message });
        if (attempt < max) continue;
        throw e;
      }
      if ('end' in step) return step;
      const failed = this.#failing(node, node.post, 'postcondition');
      if (failed === undefined) return step;
      this.#emit({ type: 'postcondition_failed', node: node.id, condition: failed, attempt });
      if (attempt < max) continue;
      if (node.onPostFail !== undefined) return { next: node.onPostFail };
      throw new BlueprintRuntimeError(`postcondition "${failed}" of node "${node.id}" failed after ${attempt} attempt(s)`, node.id);
    }
  }

  async #body(node: BlueprintNode<Ctx>, prev: string | null): Promise<Step> {
    const ctx = this.#ctx;
    switch (node.kind) {
      case 'code': {
        const rt = { info: this.#info, random: () => this.#random(node.id) };
        this.#call(node.id, 'run', () => node.run(ctx, rt));
        return { next: node.next };
      }
      case 'tool':
        return this.#tool(node);
      case 'say':
        return this.#say(node);
      case 'route': {
        const target = this.#call(node.id, 'choose', () => node.choose(ctx));
        if (!node.targets.includes(target)) {
          throw new BlueprintRuntimeError(`route "${node.id}" chose "${String(target)}", which is not one of its targets (${node.targets.join(', ')})`, node.id);
        }
        return { next: target };
      }
      case 'branch':
        return { next: this.#call(node.id, 'test', () => node.test(ctx)) ? node.then : node.else };
      case 'loop': {
        const state = this.#loopState(node.id, prev);
        if (!this.#call(node.id, 'while', () => node.while(ctx))) {
          this.#loops.delete(node.id);
          return { next: node.exit, iteration: state.count };
        }
        if (state.count >= node.maxIterations) return this.#exhausted(node.id, node.maxIterations, node.onExhausted);
        state.count++;
        return { next: node.body, iteration: state.count };
      }
      case 'foreach': {
        const state = this.#loopState(node.id, prev);
        const items = (state.items ??= [...this.#call(node.id, 'items', () => node.items(ctx))]);
        if (state.count >= items.length) {
          this.#loops.delete(node.id);
          return { next: node.exit, iteration: state.count };
        }
        if (state.count >= node.maxIterations) return this.#exhausted(node.id, node.maxIterations, node.onExhausted);
        const index = state.count;
        this.#call(node.id, 'bind', () => node.bind(ctx, items[index], index));
        state.count++;
        return { next: node.body, iteration: state.count };
      }
      case 'llm':
      case 'end':
        throw new Error(`internal: ${node.kind} node "${node.id}" has no plain body`);
    }
  }

  /** The loop's state; a new activation unless entered from inside its body. */
  #loopState(id: string, prev: string | null): { count: number; items?: readonly unknown[] } {
    let state = this.#loops.get(id);
    if (state === undefined || prev === null || !this.#graph.loopBody(id).has(prev)) {
      state = { count: 0 };
      this.#loops.set(id, state);
    }
    return state;
  }

  #exhausted(id: string, max: number, target: string | undefined): Step {
    this.#loops.delete(id);
    if (target !== undefined) return { next: target, iteration: max };
    throw new BlueprintRuntimeError(`loop "${id}" ran out of its ${max} iteration(s) and declares no onExhausted`, id);
  }

  #random(node: string): number {
    const value = this.#session.random();
    this.#emit({ type: 'random', node, value });
    return value;
  }

  /** Why the episode ended during a tool call (the runner: a v1 terminating tool wins over the step cap). */
  #endReason(tool: string): string {
    const s = this.#session;
    if (s.semantics === 'v1' && s.registry.get(tool)?.terminate === true) return 'transfer';
    return s.steps >= s.maxSteps ? 'max_steps' : 'session_ended';
  }

  async #tool(node: ToolNode<Ctx>): Promise<Step> {
    if (!this.#approved.has(node.tool)) {
      throw new BlueprintRuntimeError(`refused to call tool "${node.tool}" from node "${node.id}": it is not on the blueprint's approved list`, node.id);
    }
    const ctx = this.#ctx;
    const args = this.#call(node.id, 'args', () => {
      const entries: Array<[string, PyValue]> = [];
      for (const [key, arg] of Object.entries(node.args)) {
        const value = typeof arg === 'function' ? arg(ctx) : arg;
        if (value !== undefined) entries.push([key, value]);
      }
      const obj = pyObject(entries);
      return { obj, text: pyDumps(obj) };
    });
    const res: ToolResult = await this.#session.callTool(node.tool, args.obj);
    this.#emit({ type: 'tool_call', node: node.id, tool: node.tool, args: args.text, observation: res.observation, error: res.error, done: res.done });
    if (node.onResult !== undefined) {
      const onResult = node.onResult;
      let parsed: { value: PyValue | undefined } | undefined;
      const outcome: ToolOutcome = {
        observation: res.observation,
        error: res.error,
        done: res.done,
        json: () => {
          if (parsed === undefined) {
            try {
              parsed = { value: parsePyJson(res.observation, `observation of ${node.tool}`) };
            } catch {
              parsed = { value: undefined };
            }
          }
          return parsed.value;
        },
      };
      this.#call(node.id, 'onResult', () => onResult(ctx, outcome));
    }
    if (res.done) return { end: this.#endReason(node.tool) };
    return { next: res.error && node.onError !== undefined ? node.onError : node.next };
  }

  async #say(node: SayNode<Ctx>): Promise<Step> {
    const ctx = this.#ctx;
    let text = this.#call(node.id, 'text', () => node.text(ctx));
    if (typeof text !== 'string') throw new NodeCodeError(`text of node "${node.id}" must return a string`, node.id);
    let worded = false;
    if (this.#recorded.replies === 'llm' && node.word !== undefined) {
      const wordedText = await this.#word(node, node.word, text);
      if (wordedText !== undefined) {
        text = wordedText;
        worded = true;
      }
    }
    this.#emit({ type: 'say', node: node.id, text, worded });
    const reply = await this.#session.say(text);
    this.#emit({ type: 'user_reply', node: node.id, text: reply.text, done: reply.done, reason: reply.reason ?? null });
    if (node.onReply !== undefined) {
      const onReply = node.onReply;
      this.#call(node.id, 'onReply', () => onReply(ctx, reply.text));
    }
    if (reply.done) return { end: reply.reason ?? 'user_stop' };
    return { next: node.next };
  }

  /** The agent model's wording of a message, or undefined (use the draft) on an empty reply or a timeout. */
  async #word(node: SayNode<Ctx>, word: NonNullable<SayNode<Ctx>['word']>, draft: string): Promise<string | undefined> {
    const facts = toJsonValue(this.#call(node.id, 'word.facts', () => word.facts(this.#ctx)));
    const input: JsonValue = { facts, draft };
    const task = `say:${word.task}`;
    const request: ChatRequest = {
      system: word.instructions === undefined ? REPLY_SYSTEM : `${REPLY_SYSTEM}\n${word.instructions}`,
      messages: [{ role: 'user', content: JSON.stringify(input, null, 2) }],
      trial: this.#session.trial,
      ...(this.#recorded.replyTemperature === null ? {} : { temperature: this.#recorded.replyTemperature }),
      ...(this.#recorded.replyMaxTokens === null ? {} : { maxTokens: this.#recorded.replyMaxTokens }),
      privileged: { subtask: { name: task, input }, blueprint: this.#bp.id },
    };
    this.#emit({ type: 'llm_request', node: node.id, role: 'agent', task, attempt: 1, hash: requestHash(request), input });
    let res: ChatResponse;
    try {
      res = await this.#complete(this.#session.model('agent'), request, node);
    } catch (e) {
      const timeout = e instanceof NodeTimeoutError;
      this.#emit({ type: 'llm_error', node: node.id, attempt: 1, error: messageOf(e), timeout, code: e instanceof HarnessError ? e.code : null });
      if (timeout) return undefined;
      throw e;
    }
    this.#emit({ type: 'llm_response', node: node.id, attempt: 1, text: res.text, answer: null });
    const text = res.text?.trim() ?? '';
    return text === '' ? undefined : text;
  }

  async #llm(node: LlmNode<Ctx, unknown>): Promise<Step> {
    const ctx = this.#ctx;
    const input = toJsonValue(this.#call(node.id, 'input', () => node.input(ctx)));
    const schema = outputSchema(node.schema);
    const system = subtaskSystemPrompt(node as LlmNode<unknown>, schema);
    const messages: ChatRequest['messages'] = [{ role: 'user', content: `Input:\n${JSON.stringify(input, null, 2)}` }];
    const temperature = node.temperature ?? this.#recorded.subtaskTemperature;
    const maxTokens = node.maxTokens ?? this.#recorded.subtaskMaxTokens;
    const model = this.#session.model('subtask');
    const maxAttempts = node.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    let lastError = 'no attempt was made';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const request: ChatRequest = {
        system,
        messages: [...messages],
        responseFormat: { name: node.task, schema: schema as Record<string, unknown> },
        trial: this.#session.trial,
        ...(temperature === null ? {} : { temperature }),
        ...(maxTokens === null ? {} : { maxTokens }),
        privileged: { subtask: { name: node.task, input }, blueprint: this.#bp.id },
      };
      this.#emit({ type: 'llm_request', node: node.id, role: 'subtask', task: node.task, attempt, hash: requestHash(request), input });
      let res: ChatResponse;
      try {
        res = await this.#complete(model, request, node);
      } catch (e) {
        const timeout = e instanceof NodeTimeoutError;
        this.#emit({ type: 'llm_error', node: node.id, attempt, error: messageOf(e), timeout, code: e instanceof HarnessError ? e.code : null });
        if (!timeout) throw e;
        lastError = messageOf(e);
        continue;
      }
      const parsed = parseAnswer(res.text);
      this.#emit({ type: 'llm_response', node: node.id, attempt, text: res.text, answer: parsed.ok ? parsed.value : null });
      const failure = this.#judge(node, parsed);
      if (failure === undefined) return { next: node.next };
      this.#emit({ type: 'validation_failed', node: node.id, attempt, stage: failure.stage, error: failure.error });
      lastError = failure.error;
      messages.push({ role: 'assistant', content: res.text ?? '' });
      messages.push({ role: 'user', content: `That answer is invalid: ${failure.error}\nReply again with only the corrected JSON object.` });
    }
    this.#emit({ type: 'fallback', node: node.id, next: node.fallback, error: lastError });
    if (node.onFallback !== undefined) {
      const onFallback = node.onFallback;
      this.#call(node.id, 'onFallback', () => onFallback(ctx, lastError));
    }
    return { next: node.fallback };
  }

  /** Schema, check, onResult and postconditions of one answer; the first failure, if any. */
  #judge(
    node: LlmNode<Ctx, unknown>,
    parsed: { ok: true; value: JsonValue } | { ok: false; error: string },
  ): { stage: 'parse' | 'schema' | 'check' | 'post'; error: string } | undefined {
    if (!parsed.ok) return { stage: 'parse', error: parsed.error };
    const result = node.schema.safeParse(parsed.value);
    if (!result.success) return { stage: 'schema', error: describeIssues(result.error) };
    const out = result.data;
    if (node.check !== undefined) {
      const check = node.check;
      const problem = this.#call(node.id, 'check', () => check(out, this.#ctx));
      if (problem !== undefined) return { stage: 'check', error: problem };
    }
    this.#call(node.id, 'onResult', () => node.onResult(this.#ctx, out));
    const failed = this.#failing(node, node.post, 'postcondition');
    if (failed !== undefined) return { stage: 'post', error: `postcondition "${failed}" does not hold for this answer` };
    return undefined;
  }

  /** One model call, bounded by the node's `timeoutMs` and aborted with the session. */
  async #complete(model: ChatModel, request: ChatRequest, node: BlueprintNode<Ctx>): Promise<ChatResponse> {
    const signal = this.#session.signal;
    const ms = node.timeoutMs;
    if (ms === undefined) return model.complete(request, { signal });
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let handle: unknown;
    const timeout = new Promise<never>((_, reject) => {
      handle = this.#timers.setTimeout(() => {
        reject(new NodeTimeoutError(node.id, ms));
        controller.abort();
      }, ms);
    });
    try {
      return await Promise.race([model.complete(request, { signal: controller.signal }), timeout]);
    } finally {
      this.#timers.clearTimeout(handle);
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Runs a blueprint for one episode. Validates it against `session.registry` first (unless
 * `validate: false`), so an invalid blueprint fails before any tool, model or user is touched.
 * Throws what ends the run abnormally (a {@link BlueprintRuntimeError}, a provider error) after
 * logging an `error` event; the events so far are in the session notes and `onEvent`.
 */
export async function runBlueprint<Ctx>(bp: Blueprint<Ctx>, session: AgentSession, options: EngineOptions = {}): Promise<RunResult<Ctx>> {
  if (options.validate !== false) validateBlueprint(bp, session.registry);
  return new BlueprintRun(bp, session, options).execute();
}
