/**
 * The tool-calling baseline (`--agent tool-calling`): native function calling with the policy as
 * system prompt. Like τ-bench v1 it runs only the FIRST tool call of a message (the others are
 * dropped from the history) unless `allToolCalls` is set; τ² semantics run every call. Tool-call
 * arguments that are not valid JSON go back to the model as an error observation (harness pack)
 * or end the episode as an agent failure with reward 0 (reference pack, as τ-bench).
 */
import { z } from 'zod';
import { HarnessError } from '../src/core/errors.js';
import type { ToolCall } from '../src/models/types.js';
import type { PromptPack } from '../src/prompts/pack.js';
import type { Agent, AgentOptions, AgentSession } from '../src/contract/agent.js';
import { openConversation } from './conversation.js';
import { modelTools, packOr, toolCallingSystemPrompt } from './prompts.js';
import { parseSettings } from './settings.js';

/** The model's tool-call arguments were not valid JSON and the pack ends the episode on that (τ-bench). */
export class MalformedToolCallError extends HarnessError {
  constructor(message: string) {
    super('episode_error', message);
  }
}

/** Options of {@link ToolCallingAgent}. */
export interface ToolCallingOptions {
  /** Agent temperature. Default 0 (τ-bench's default); undefined in options means 0. */
  temperature?: number;
  /** Run every tool call of a message. Default: false under v1 semantics, true under τ². */
  allToolCalls?: boolean;
  /** Builds the system prompt from the policy. Default: the policy alone. */
  systemPrompt?: (session: AgentSession) => string;
  /** Agent name in records. Default `tool-calling`. */
  name?: string;
  /** Prompt pack (tool schemas, system prompt, behaviour). Default: the harness pack over the session's tools. */
  pack?: PromptPack;
}

/** Settings `tool-calling` accepts from the run configuration. */
export const toolCallingSettings = z.strictObject({ allToolCalls: z.boolean().optional() });

export class ToolCallingAgent implements Agent {
  readonly name: string;
  readonly #options: ToolCallingOptions;

  constructor(options: ToolCallingOptions = {}) {
    this.name = options.name ?? 'tool-calling';
    this.#options = options;
  }

  async run(session: AgentSession): Promise<void> {
    const model = session.model('agent');
    const pack = packOr(this.#options.pack, session.tools);
    const tools = this.#options.pack === undefined ? session.tools : modelTools(pack);
    const endOnMalformed = pack.behaviour.malformedToolArguments === 'end-episode';
    const system = this.#options.systemPrompt?.(session) ?? toolCallingSystemPrompt(session.policy, pack);
    const allToolCalls = this.#options.allToolCalls ?? session.semantics === 'tau2';
    const messages = await openConversation(session);
    if (messages === null) return;
    while (!session.ended) {
      const response = await model.complete({
        system,
        messages,
        tools,
        temperature: this.#options.temperature ?? 0,
      });
      if (response.toolCalls.length > 0) {
        const calls: ToolCall[] = allToolCalls ? response.toolCalls : response.toolCalls.slice(0, 1);
        const malformed = calls.find((c) => c.parseError !== undefined);
        if (endOnMalformed && malformed !== undefined) {
          session.note('tool_arguments_unparsable', { tool: malformed.name, error: malformed.parseError, arguments: malformed.rawArguments });
          throw new MalformedToolCallError(`tool call ${malformed.name}: arguments are not valid JSON (${malformed.parseError ?? ''}); the reference ends the episode`);
        }
        messages.push({
          role: 'assistant',
          content: response.text,
          toolCalls: calls.map((c) => ({ id: c.id, name: c.name, arguments: c.rawArguments })),
        });
        for (const call of calls) {
          if (call.parseError !== undefined) session.note('tool_arguments_unparsable', { tool: call.name, error: call.parseError });
          // The raw text goes to the environment, which answers unparsable JSON with an error observation.
          const result = await session.callTool(call.name, call.rawArguments, { toolCallId: call.id });
          messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: result.observation, ...(result.error ? { isError: true } : {}) });
          if (result.done) return;
        }
        continue;
      }
      const text = response.text ?? '';
      messages.push({ role: 'assistant', content: text });
      const reply = await session.say(text);
      if (reply.done) return;
      messages.push({ role: 'user', content: reply.text });
    }
  }
}

/** Builds the tool-calling agent from run options. */
export function createToolCallingAgent(options: AgentOptions): ToolCallingAgent {
  const settings = parseSettings('tool-calling', toolCallingSettings, options.settings);
  return new ToolCallingAgent({
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    ...(settings.allToolCalls === undefined ? {} : { allToolCalls: settings.allToolCalls }),
    ...(options.pack === undefined ? {} : { pack: options.pack }),
  });
}
