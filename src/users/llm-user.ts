/**
 * The LLM customer (`--user llm`): plays the task's customer from its instruction or τ² scenario,
 * gives information only when asked, and ends with `###STOP###`. The conversation is role-flipped
 * for the user model: the agent's messages are `user` turns, the customer's are `assistant` turns.
 * The `react`, `verify` and `reflection` variants extend this class.
 */
import { ConfigError, HarnessError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import type { ChatMessage, ChatModel, ChatRequest } from '../models/types.js';
import { renderTemplate } from '../prompts/pack.js';
import { TAU2_USER_KEYS, tau2UserSystemOf } from '../prompts/tau2-reference.js';
import { AGENT_GREETING, type UserReply } from '../contract/agent.js';
import { customerSystemPrompt, transcript } from './prompts.js';
import type { UserSimulator, UserSimulatorContext } from '../contract/user.js';

/** How many times an empty or unparsable user-model answer is asked again before giving up. */
export const USER_MODEL_ATTEMPTS = 3;

/** What the user model sees when the agent sent an empty message. */
export const EMPTY_AGENT_MESSAGE = '(the agent sent an empty message)';

/** A user simulator could not produce a usable message. Ends the episode as `user_error`. */
export class UserSimulatorError extends HarnessError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('episode_error', message, details === undefined ? {} : { details });
  }
}

/** The plain LLM customer; variants override {@link LlmUser.nextMessage}. */
export class LlmUser implements UserSimulator {
  protected readonly context: UserSimulatorContext;
  protected readonly model: ChatModel;
  /** Role-flipped conversation as the user model sees it (raw outputs kept, e.g. ReAct thoughts). */
  protected readonly history: ChatMessage[] = [];
  /** The conversation as it really went, for transcripts in checking prompts. */
  protected readonly turns: Array<{ from: 'agent' | 'customer'; text: string }> = [];
  #task: Task | undefined;

  constructor(context: UserSimulatorContext) {
    if (context.model === undefined) throw new ConfigError('this user simulator needs a user model (--user-model)');
    this.context = context;
    this.model = context.model;
  }

  protected get task(): Task {
    if (this.#task === undefined) throw new Error('user simulator used before start()');
    return this.#task;
  }

  /** System prompt of the customer: τ²'s own when the run's pack carries it (a τ² checkout), else the harness's. */
  protected systemPrompt(): string {
    const tau2 = tau2UserSystemOf(this.context.pack?.users);
    if (tau2 !== undefined) return renderTemplate(tau2, { instructions: this.task.instruction }, `users.${TAU2_USER_KEYS.system}`);
    return customerSystemPrompt(this.task, this.context.semantics);
  }

  async start(task: Task): Promise<string | null> {
    this.#task = task;
    if (this.context.semantics === 'tau2') return null;
    // v1: the customer speaks first, answering a greeting the agent never sees.
    return (await this.reply(AGENT_GREETING)).text;
  }

  async reply(agentText: string): Promise<UserReply> {
    // Providers reject empty turns; an empty agent message is shown as such.
    this.history.push({ role: 'user', content: agentText.trim() === '' ? EMPTY_AGENT_MESSAGE : agentText });
    this.turns.push({ from: 'agent', text: agentText });
    const { raw, message } = await this.nextMessage();
    this.history.push({ role: 'assistant', content: raw });
    this.turns.push({ from: 'customer', text: message });
    return { text: message, done: false };
  }

  /** Produces the next message: `raw` goes into the model's history, `message` to the agent. */
  protected async nextMessage(): Promise<{ raw: string; message: string }> {
    const text = await this.generate(this.history);
    return { raw: text, message: text };
  }

  /** One user-model call over `messages`; empty answers are asked again a few times. */
  protected async generate(messages: ChatMessage[], system: string = this.systemPrompt()): Promise<string> {
    for (let attempt = 0; attempt < USER_MODEL_ATTEMPTS; attempt++) {
      const text = (await this.call({ system, messages })).trim();
      if (text !== '') return text;
      this.context.note('user_empty_reply', { attempt });
    }
    throw new UserSimulatorError(`the user model gave an empty reply ${USER_MODEL_ATTEMPTS} times`);
  }

  /** One raw call; returns the reply text ('' when none). */
  protected async call(request: Omit<ChatRequest, 'temperature'>): Promise<string> {
    const response = await this.model.complete(
      { ...request, ...(this.context.temperature === undefined ? {} : { temperature: this.context.temperature }) },
      { signal: this.context.signal },
    );
    return response.text ?? '';
  }

  /** Transcript of the conversation so far (for checking prompts). */
  protected conversation(): string {
    return transcript(this.turns);
  }
}
