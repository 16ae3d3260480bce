/**
 * Test fixtures for the runner, user simulators and baselines: a toy domain (one table, a read
 * tool, a write tool, a terminating transfer tool), scriptable in-process chat models and users.
 * Used only by tests and benchmarks.
 */
import { z } from 'zod';
import { ProviderError } from '../../core/errors.js';
import { pyDumps } from '../../core/py/py-json.js';
import type { Task } from '../../core/task.js';
import { BaseDb } from '../../env/db-state.js';
import { ToolRegistry } from '../../env/registry.js';
import { defineTool, pyInt, ToolFailure } from '../../env/tool.js';
import type { ChatModel, ChatRequest, ChatResponse, ToolCall } from '../../models/types.js';
import type { UserReply } from '../../contract/agent.js';
import type { Scorer } from '../scoring.js';
import type { UserSimulator, UserSimulatorEntry } from '../../contract/user.js';

/** The toy domain's tools: `get_balance`, `deposit`, `transfer_to_human_agents`. */
export function toyRegistry(): ToolRegistry {
  return new ToolRegistry([
    defineTool({
      name: 'get_balance',
      description: 'Balance of an account.',
      schema: z.strictObject({ account_id: z.string() }),
      kind: 'read',
      invoke(db, args) {
        const acct = db.table('accounts').get(args.account_id);
        if (acct === undefined) throw new ToolFailure('account not found');
        return pyDumps(acct);
      },
    }),
    defineTool({
      name: 'deposit',
      description: 'Adds an amount to an account.',
      schema: z.strictObject({ account_id: z.string(), amount: pyInt() }),
      kind: 'write',
      invoke(db, args) {
        const acct = db.table('accounts').mut(args.account_id);
        if (acct === undefined) throw new ToolFailure('account not found');
        acct['balance'] = (acct['balance'] as number) + args.amount;
        return pyDumps(acct);
      },
    }),
    defineTool({
      name: 'transfer_to_human_agents',
      description: 'Hands the customer to a human.',
      schema: z.strictObject({ summary: z.string() }),
      kind: 'generic',
      terminate: true,
      invoke: () => 'Transfer successful',
    }),
  ]);
}

/** The toy database: two accounts. */
export function toyBase(): BaseDb {
  return new BaseDb([
    [
      'accounts',
      [
        ['A1', { id: 'A1', balance: 10 }],
        ['A2', { id: 'A2', balance: 5 }],
      ],
    ],
  ]);
}

/** A toy task: deposit 5 into A1. */
export function toyTask(overrides: Partial<Task> = {}): Task {
  return {
    id: '0',
    index: 0,
    format: 'tau-v1',
    domain: 'toy',
    instruction: 'You are Ann with account A1. You want to deposit 5.',
    actions: [{ name: 'deposit', kwargs: { account_id: 'A1', amount: 5 } }],
    outputs: [],
    ...overrides,
  };
}

/** Reward 1 when the final database equals the gold replay (toy v1-style scorer). */
export const toyScorer: Scorer = ({ task, env }) => {
  const gold = env.db.base.fork();
  for (const a of task.actions) {
    const acct = gold.table('accounts').mut(String(a.kwargs['account_id']));
    if (acct !== undefined) acct['balance'] = (acct['balance'] as number) + (a.kwargs['amount'] as number);
  }
  const diff = env.db.firstDifference(gold);
  return { reward: diff === undefined ? 1 : 0, info: { diff: diff ?? null } };
};

/** What a scripted model step answers: text, tool calls, or an error to throw. */
export type ScriptStep =
  | { text?: string | null; toolCalls?: Array<{ name: string; arguments: unknown; raw?: string }> }
  | { throw: Error };

/** A chat model answering from a function of (request, call index); records requests. */
export class ScriptedModel implements ChatModel {
  readonly id: string;
  readonly requests: ChatRequest[] = [];
  readonly #step: (request: ChatRequest, index: number) => ScriptStep | Promise<ScriptStep>;
  readonly #latencyMs: number;

  constructor(step: (request: ChatRequest, index: number) => ScriptStep | Promise<ScriptStep>, options: { id?: string; latencyMs?: number } = {}) {
    this.id = options.id ?? 'test:scripted';
    this.#step = step;
    this.#latencyMs = options.latencyMs ?? 0;
  }

  async complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse> {
    const index = this.requests.length;
    // Snapshot: callers keep appending to the same history array.
    this.requests.push({ ...request, messages: [...request.messages] });
    if (this.#latencyMs > 0) await new Promise((r) => setTimeout(r, this.#latencyMs));
    if (options?.signal?.aborted === true) throw new ProviderError(`${this.id}: request aborted`);
    const step = await this.#step(request, index);
    if ('throw' in step) throw step.throw;
    const toolCalls: ToolCall[] = (step.toolCalls ?? []).map((c, i) => {
      const raw = c.raw ?? JSON.stringify(c.arguments);
      let parsed: unknown;
      let parseError: string | undefined;
      try {
        parsed = JSON.parse(raw);
      } catch (e) {
        parseError = (e as Error).message;
      }
      return { id: `call_${index}_${i}`, name: c.name, rawArguments: raw, arguments: parsed, ...(parseError === undefined ? {} : { parseError }) };
    });
    return {
      text: step.text ?? (toolCalls.length > 0 ? null : ''),
      toolCalls,
      finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      usage: { input: 100, output: 10 },
      latencyMs: this.#latencyMs,
      costUsd: 0.001,
      retries: 0,
      retryWaitMs: 0,
      model: this.id,
    };
  }
}

/** A model that plays a fixed list of steps in order (then repeats the last one). */
export function sequenceModel(steps: ScriptStep[], options: { id?: string; latencyMs?: number } = {}): ScriptedModel {
  return new ScriptedModel((_, i) => steps[Math.min(i, steps.length - 1)] as ScriptStep, options);
}

/** A user that says `opening` first (or waits, when null) and then the given replies in order. */
export function scriptedUser(opening: string | null, replies: string[]): UserSimulatorEntry & { heard: string[] } {
  const heard: string[] = [];
  return {
    heard,
    needsModel: false,
    summary: 'test user',
    create: (): UserSimulator => {
      let i = 0;
      return {
        start: () => Promise.resolve(opening),
        reply: (text: string): Promise<UserReply> => {
          heard.push(text);
          const next = replies[Math.min(i++, replies.length - 1)] ?? '###STOP###';
          return Promise.resolve({ text: next, done: false });
        },
      };
    },
  };
}

/** A model that plays the toy gold trajectory for any task: deposit, then a final reply. */
export function toyGoldAgentModel(options: { latencyMs?: number; id?: string } = {}): ScriptedModel {
  return new ScriptedModel((request) => {
    const task = request.privileged?.task as Task | undefined;
    const gold = task?.actions[0];
    const calledAlready = request.messages.some((m) => m.role === 'tool');
    if (!calledAlready && gold !== undefined) return { toolCalls: [{ name: gold.name, arguments: gold.kwargs }] };
    return { text: 'All done.' };
  }, options);
}

/** Toy tasks `t0`…: deposit `i + 1` into A1 (distinct gold states). */
export function toyTasks(n: number): Task[] {
  return Array.from({ length: n }, (_, i) =>
    toyTask({ id: `t${i}`, index: i, actions: [{ name: 'deposit', kwargs: { account_id: 'A1', amount: i + 1 } }] }),
  );
}
