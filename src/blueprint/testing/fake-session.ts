/**
 * A self-contained {@link AgentSession} for engine tests: a real Environment over the fake
 * domain, a scripted user, scripted models per role, a seeded RNG, and every call recorded.
 * It follows the runner's session rules (steps, step cap, v1 terminating tools, `###STOP###`).
 */
import type { PyObject } from '../../core/py/py-value.js';
import { seededRandom } from '../../core/rng.js';
import type { BaseDb } from '../../env/db-state.js';
import { Environment } from '../../env/environment.js';
import type { ToolRegistry } from '../../env/registry.js';
import type { CallRole, ChatModel, ChatRequest, ChatResponse } from '../../models/types.js';
import type { AgentSession, LoopSemantics, ToolResult, UserReply } from '../../contract/agent.js';

/** Answers a request: the reply text, or an Error to throw; a Promise to answer later. */
export type ScriptedAnswer = string | null | Error | Promise<string | null>;
export type ScriptedModel = (request: ChatRequest, role: CallRole, signal: AbortSignal | undefined) => ScriptedAnswer;

/** Options of {@link FakeSession}. */
export interface FakeSessionOptions {
  registry: ToolRegistry;
  base: BaseDb;
  firstUserMessage?: string | null;
  /** The user: reply to an agent message. `###STOP###` ends the conversation. */
  user?: (agentText: string) => string;
  model?: ScriptedModel;
  semantics?: LoopSemantics;
  maxSteps?: number;
  seed?: number;
  trial?: number;
}


export class FakeSession implements AgentSession {
  readonly policy = 'Be nice.';
  readonly registry: ToolRegistry;
  readonly tools;
  readonly domain = 'fake';
  readonly semantics: LoopSemantics;
  readonly firstUserMessage: string | null;
  readonly trial: number;
  readonly seed: number;
  readonly maxSteps: number;
  readonly signal: AbortSignal;
  readonly controller = new AbortController();
  readonly env: Environment;
  readonly random: () => number;
  /** Every model call, as the model received it. */
  readonly modelCalls: Array<{ role: CallRole; request: ChatRequest }> = [];
  readonly said: string[] = [];
  readonly notes: Array<{ kind: string; data: unknown }> = [];
  #steps = 0;
  #ended = false;
  readonly #o: FakeSessionOptions;

  constructor(options: FakeSessionOptions) {
    this.#o = options;
    this.registry = options.registry;
    this.tools = options.registry.specs();
    this.semantics = options.semantics ?? 'v1';
    this.firstUserMessage = options.firstUserMessage === undefined ? 'hello' : options.firstUserMessage;
    this.trial = options.trial ?? 0;
    this.seed = options.seed ?? 7;
    this.maxSteps = options.maxSteps ?? 30;
    this.signal = this.controller.signal;
    this.env = new Environment({ registry: options.registry, base: options.base, now: () => 0 });
    this.random = seededRandom(this.seed);
  }

  get steps(): number {
    return this.#steps;
  }

  get ended(): boolean {
    return this.#ended;
  }

  async callTool(name: string, args: string | PyObject): Promise<ToolResult> {
    if (this.#ended) return { observation: '', error: false, done: true };
    this.#steps++;
    const r = typeof args === 'string' ? this.env.stepRaw(name, args) : this.env.step({ name, kwargs: args });
    if ((r.done && this.semantics === 'v1') || this.#steps >= this.maxSteps) this.#ended = true;
    return { observation: r.observation, error: r.error, done: this.#ended };
  }

  async say(text: string): Promise<UserReply> {
    if (this.#ended) return { text: '', done: true };
    this.#steps++;
    this.said.push(text);
    this.env.respond(text);
    const user = this.#o.user;
    if (user === undefined) throw new Error('this test has no user');
    const reply = user(text);
    if (reply.includes('###STOP###')) {
      this.#ended = true;
      return { text: reply, done: true, reason: 'user_stop' };
    }
    if (this.#steps >= this.maxSteps) {
      this.#ended = true;
      return { text: reply, done: true, reason: 'max_steps' };
    }
    return { text: reply, done: false };
  }

  model(role: CallRole = 'agent'): ChatModel {
    const script = this.#o.model;
    const calls = this.modelCalls;
    return {
      id: 'scripted',
      async complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
        calls.push({ role, request });
        if (script === undefined) throw new Error('this test has no model');
        const answer = await script(request, role, options?.signal);
        if (answer instanceof Error) throw answer;
        return { text: answer, toolCalls: [], finishReason: 'stop', usage: { input: 10, output: 5 }, latencyMs: 1, costUsd: null, retries: 0, retryWaitMs: 0, model: 'scripted' };
      },
    };
  }

  note(kind: string, data: unknown): void {
    this.notes.push({ kind, data });
  }
}

/** The sub-task name and input of a request (what the offline simulated model would read). */
export function subtaskOf(request: ChatRequest): { name: string; input: unknown } {
  const s = request.privileged?.subtask;
  if (s === undefined) throw new Error('request has no privileged subtask');
  return s;
}
