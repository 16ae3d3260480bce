/**
 * τ-bench v1's user simulators as the reference runs them (`llm`, `react`, `verify`, `reflection`
 * under a `reference` prompt pack whose `users` slot holds τ-bench's text, src/prompts/v1-users.ts).
 * Every user-model request equals τ-bench's, and the agent gets exactly what τ-bench gives it,
 * quirks included, because they are part of the benchmark:
 * - history (`messages`): `[system, user: greeting]`, then the simulator's replies as `assistant`
 *   turns and the agent's messages as `user` turns, verbatim (no trimming, no retry on an empty
 *   answer, no placeholder for an empty agent message); parameters: only a temperature the user set;
 * - react: the raw answer stays in the history; the agent gets `###STOP###` when the answer
 *   contains it, else everything after `Thought:` (thought AND the `User Response:` label), else
 *   the text after `User Response:`; another shape (or a marker twice) fails the episode;
 * - verify: up to 3 candidates, each checked by a supervisor prompt whose transcript is the whole
 *   history (system prompt included, labels `user`→Customer, `assistant`→Agent: reversed relative
 *   to reality) and whose response is the repr of the model's message object
 *   (`Message(content='…', role='assistant', tool_calls=None, function_call=None)`, as the
 *   litellm `Message` of the recorded reference prints); the first accepted candidate is appended
 *   and sent; if none is accepted the last is sent WITHOUT being appended, so agent turns pile up;
 * - reflection: one candidate (appended), checked with its plain text; if rejected, a reflection
 *   prompt's `Response:` part is added as a `user` turn to a COPY of the history, a second
 *   candidate is generated from that copy (and appended to the real history too), and checked;
 *   the agent gets the second candidate if accepted, else the FIRST (both stay in the history).
 * A Python exception in τ-bench (a content of None used as text, a bad react or reflection
 * format) ends the episode here as a `user_error` (reward 0, like τ-bench's failed task).
 */
import { ConfigError } from '../core/errors.js';
import { pyStrip } from '../core/py/py-docstring.js';
import type { Task } from '../core/task.js';
import type { ChatMessage, ChatModel, ChatRequest } from '../models/types.js';
import { renderTemplate } from '../prompts/pack.js';
import type { V1UserPrompts, V1UserStrategy } from '../prompts/v1-users.js';
import type { UserReply } from '../contract/agent.js';
import { UserSimulatorError } from './llm-user.js';
import { pyCapitalize, pyRepr, pyStr } from './py-text.js';
import type { UserSimulator, UserSimulatorContext } from '../contract/user.js';

/** One entry of the simulator's history, as τ-bench keeps it (content may be None). */
interface PyMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | null;
}

/** The repr of the litellm `Message` of a text-only answer, as τ-bench's verify() prints it. */
export function pyMessageRepr(content: string | null): string {
  return `Message(content=${content === null ? 'None' : pyRepr(content)}, role='assistant', tool_calls=None, function_call=None)`;
}

/** A τ-bench v1 user simulator reproduced exactly (see the module comment). */
export class V1ReferenceUser implements UserSimulator {
  readonly #context: UserSimulatorContext;
  readonly #model: ChatModel;
  readonly #strategy: V1UserStrategy;
  readonly #prompts: V1UserPrompts;
  /** τ-bench's `self.messages`. */
  #messages: PyMessage[] = [];

  constructor(context: UserSimulatorContext, strategy: V1UserStrategy, prompts: V1UserPrompts) {
    if (context.model === undefined) throw new ConfigError('this user simulator needs a user model (--user-model)');
    if (context.semantics !== 'v1') {
      throw new ConfigError(`the τ-bench v1 reference user simulator "${strategy}" plays v1 episodes only (this episode has ${context.semantics} semantics)`);
    }
    this.#context = context;
    this.#model = context.model;
    this.#strategy = strategy;
    this.#prompts = prompts;
  }

  /** `reset(instruction)`: the system prompt and the greeting, then the first generation. */
  async start(task: Task): Promise<string | null> {
    const system = renderTemplate(this.#prompts.system[this.#strategy], { instruction: task.instruction }, `users.v1.${this.#strategy}.system`);
    this.#messages = [
      { role: 'system', content: system },
      { role: 'user', content: this.#prompts.greeting[this.#strategy] },
    ];
    return this.#reached(await this.#generateNext(this.#messages));
  }

  /** `step(content)`. */
  async reply(agentText: string): Promise<UserReply> {
    this.#messages.push({ role: 'user', content: agentText });
    return { text: this.#reached(await this.#generateNext(this.#messages)), done: false };
  }

  /** The text the agent gets; None would crash τ-bench's `"###STOP###" in observation`. */
  #reached(text: string | null): string {
    if (text === null) throw new UserSimulatorError('the user model answered with no text (τ-bench v1 fails the task here)');
    return text;
  }

  #generateNext(messages: PyMessage[]): Promise<string | null> {
    switch (this.#strategy) {
      case 'llm':
        return this.#llmGenerate(messages);
      case 'react':
        return this.#reactGenerate(messages);
      case 'verify':
        return this.#verifyGenerate(messages);
      case 'reflection':
        return this.#reflectionGenerate(messages);
    }
  }

  /** One user-model call over a τ-bench message list; returns the answer's content. */
  async #complete(messages: readonly PyMessage[]): Promise<string | null> {
    const request: ChatRequest = { messages: [] };
    messages.forEach((m, i) => {
      if (m.role === 'system') {
        if (i !== 0) throw new Error('a system message after the first');
        request.system = m.content ?? '';
      } else if (m.role === 'user') request.messages.push({ role: 'user', content: m.content ?? 'None' });
      else request.messages.push({ role: 'assistant', content: m.content } satisfies ChatMessage);
    });
    if (this.#context.temperature !== undefined) request.temperature = this.#context.temperature;
    const response = await this.#model.complete(request, { signal: this.#context.signal });
    return response.text;
  }

  /** `LLMUserSimulationEnv.generate_next_message`: the answer is appended to `self.messages`, whatever list was sent. */
  async #llmGenerate(messages: readonly PyMessage[]): Promise<string | null> {
    const content = await this.#complete(messages);
    this.#messages.push({ role: 'assistant', content });
    return content;
  }

  async #reactGenerate(messages: readonly PyMessage[]): Promise<string> {
    const content = await this.#llmGenerate(messages);
    return this.#parseReact(content);
  }

  /** `ReactUserSimulationEnv.parse_response`. */
  #parseReact(content: string | null): string {
    const { stop, stopReply, markers } = this.#prompts.mechanics.react;
    if (content === null) throw new UserSimulatorError('the user model answered with no text (τ-bench v1 fails the task here)');
    if (content.includes(stop)) return stopReply;
    for (const { test, split } of markers) {
      if (!content.includes(test)) continue;
      return pyStrip(this.#splitOnce(content, split, 'react user'));
    }
    this.#context.note('user_parse_error', { output: content });
    throw new UserSimulatorError(`the react user's answer has none of the expected markers (τ-bench v1 fails the task here): ${JSON.stringify(content.slice(0, 200))}`);
  }

  /** `_, rest = text.split(marker)`: Python's unpacking demands exactly one occurrence. */
  #splitOnce(text: string, marker: string, who: string): string {
    const parts = text.split(marker);
    if (parts.length !== 2) {
      this.#context.note('user_parse_error', { output: text, marker });
      throw new UserSimulatorError(
        `the ${who}'s answer contains ${JSON.stringify(marker)} ${parts.length - 1} times, not once (τ-bench v1 fails the task here)`,
      );
    }
    return parts[1] as string;
  }

  /** `VerifyUserSimulationEnv.generate_next_message`. */
  async #verifyGenerate(messages: readonly PyMessage[]): Promise<string | null> {
    let content: string | null = null;
    for (let attempt = 0; attempt < this.#prompts.mechanics.verifyAttempts; attempt++) {
      content = await this.#complete(messages);
      if (await this.#verify(pyMessageRepr(content), messages)) {
        this.#messages.push({ role: 'assistant', content });
        return content;
      }
      this.#context.note('user_candidate_rejected', { attempt, candidate: content });
    }
    return content;
  }

  /** `ReflectionUserSimulationEnv.generate_next_message`. */
  async #reflectionGenerate(messages: readonly PyMessage[]): Promise<string | null> {
    const current = [...messages];
    const initial = await this.#llmGenerate(current);
    if (await this.#verify(pyStr(initial), current)) return initial;
    this.#context.note('user_candidate_rejected', { attempt: 0, candidate: initial });
    for (let attempt = 1; attempt < this.#prompts.mechanics.reflectionAttempts; attempt++) {
      const reflection = await this.#reflect(pyStr(initial), current);
      current.push({ role: 'user', content: reflection });
      const next = await this.#llmGenerate(current);
      this.#context.note('user_reflection', { attempt, rejected: initial, reflection, candidate: next });
      if (await this.#verify(pyStr(next), current)) return next;
      this.#context.note('user_candidate_rejected', { attempt, candidate: next });
    }
    return initial;
  }

  #transcript(messages: readonly PyMessage[]): string {
    const { transcriptLine, transcriptSeparator, mechanics } = this.#prompts;
    return messages
      .map((m) =>
        renderTemplate(transcriptLine, { role: mechanics.roleLabels[m.role] ?? pyCapitalize(m.role), content: pyStr(m.content) }, 'users.v1.transcriptLine'),
      )
      .join(transcriptSeparator);
  }

  /** `verify()`: one supervisor call; passes when the lower-cased answer contains the verdict token. */
  async #verify(response: string, messages: readonly PyMessage[]): Promise<boolean> {
    const prompt = renderTemplate(this.#prompts.check, { transcript: this.#transcript(messages), response }, 'users.v1.check');
    const answer = await this.#complete([{ role: 'user', content: prompt }]);
    if (answer === null) throw new UserSimulatorError('the verification call answered with no text (τ-bench v1 fails the task here)');
    return answer.toLowerCase().includes(this.#prompts.mechanics.verdictToken);
  }

  /** `reflect()`: the stripped text after the response marker of the reflection call's answer. */
  async #reflect(response: string, messages: readonly PyMessage[]): Promise<string> {
    const prompt = renderTemplate(this.#prompts.reflect, { transcript: this.#transcript(messages), response }, 'users.v1.reflect');
    const answer = await this.#complete([{ role: 'user', content: prompt }]);
    if (answer === null) throw new UserSimulatorError('the reflection call answered with no text (τ-bench v1 fails the task here)');
    return pyStrip(this.#splitOnce(answer, this.#prompts.mechanics.reflectMarker, 'reflection'));
  }
}
