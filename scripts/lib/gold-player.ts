/**
 * A fake-server handler that plays τ-bench tasks' gold trajectories over the OpenAI or Anthropic
 * wire format, for end-to-end tests and benchmarks through the real SDKs. It answers both sides:
 * - customer requests (system prompt of the LLM user): an opening naming the task, then `###STOP###`;
 * - agent requests: the next gold action (native tool call, or a ReAct `Action:` text), counted
 *   from the tool results already in the request, then a final reply stating the task's outputs
 *   (v1 `outputs`, τ² `communicate_info`).
 * Real providers never see the task, so the opening message carries its index.
 */
import { pyDumps } from '../../src/core/py/py-json.js';
import type { Task } from '../../src/core/task.js';
import type { FakeHandler, FakeReply } from '../../src/models/fake/fake-server.js';
import { situationOf } from '../../src/users/prompts.js';

/** How the agent under test acts: native tool calls, or ReAct text actions. */
export type GoldAgentStyle = 'tool-calling' | 'react';

/** Options of {@link goldPlayer}. */
export interface GoldPlayerOptions {
  /** Tasks by index (the customer's opening names the index). */
  tasks: readonly Task[];
  style?: GoldAgentStyle;
  /** Latency of every reply, ms. Default 0. */
  delayMs?: number;
}

const OPENING = /task #(\d+)/;

function systemText(body: Record<string, unknown>): string {
  const system = body['system'];
  if (typeof system === 'string') return system;
  if (Array.isArray(system)) return system.map((b: { text?: unknown }) => (typeof b.text === 'string' ? b.text : '')).join('');
  const messages = body['messages'] as Array<{ role?: string; content?: unknown }> | undefined;
  const first = messages?.[0];
  return first?.role === 'system' && typeof first.content === 'string' ? first.content : '';
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((b: { text?: unknown }) => (typeof b.text === 'string' ? b.text : '')).join('');
  return '';
}

/** Counts tool results so far: OpenAI `tool` messages, Anthropic `tool_result` blocks, ReAct `Result of` turns. */
function resultsSoFar(messages: Array<{ role?: string; content?: unknown }>, style: GoldAgentStyle): number {
  let n = 0;
  for (const m of messages) {
    if (m.role === 'tool') n++;
    else if (m.role === 'user' && Array.isArray(m.content)) n += m.content.filter((b: { type?: unknown }) => b.type === 'tool_result').length;
    else if (style === 'react' && m.role === 'user' && textOf(m.content).startsWith('Result of ')) n++;
  }
  return n;
}

/** The fake-server handler. */
export function goldPlayer(options: GoldPlayerOptions): FakeHandler {
  const style = options.style ?? 'tool-calling';
  const delay = options.delayMs === undefined ? {} : { delayMs: options.delayMs };
  const byIndex = new Map(options.tasks.map((t) => [t.index, t]));
  return (body) => {
    const messages = (body['messages'] as Array<{ role?: string; content?: unknown }>).filter((m) => m.role !== 'system');
    if (systemText(body).includes('role-playing a customer')) {
      const system = systemText(body);
      const task = options.tasks.find((t) => system.includes(situationOf(t)));
      const spoken = messages.filter((m) => m.role === 'assistant').length;
      const reply: FakeReply = spoken === 0 ? { text: `Hello, I need help with task #${task?.index ?? -1}.` } : { text: '###STOP###' };
      return { ...reply, ...delay };
    }
    const opening = textOf(messages.find((m) => m.role === 'user')?.content);
    const task = byIndex.get(Number(OPENING.exec(opening)?.[1]));
    if (task === undefined) return { text: 'I could not tell which task this is.', ...delay };
    const k = resultsSoFar(messages, style);
    const action = task.actions[k];
    if (action === undefined) {
      const text = `Everything is done. ${[...task.outputs, ...(task.evaluation?.communicateInfo ?? [])].join(' ')}`.trim();
      return style === 'react' ? { text: `Thought: finished\nAction:\n${JSON.stringify({ name: 'respond', arguments: { content: text } })}`, ...delay } : { text, ...delay };
    }
    const args = pyDumps(action.kwargs);
    if (style === 'react') return { text: `Thought: step ${k + 1}\nAction:\n{"name": ${JSON.stringify(action.name)}, "arguments": ${args}}`, ...delay };
    return { toolCalls: [{ name: action.name, rawArguments: args, arguments: JSON.parse(args) as unknown }], ...delay };
  };
}
