/**
 * The ReAct customer (`--user react`): writes a short private thought, then the message. Only
 * the message reaches the agent; the thought stays in the user model's own history.
 */
import type { LoopSemantics } from '../contract/agent.js';
import { LlmUser, USER_MODEL_ATTEMPTS, UserSimulatorError } from './llm-user.js';
import { customerSystemPrompt, REACT_FORMAT } from './prompts.js';
import { OUT_OF_SCOPE_TOKEN, STOP_TOKEN, TRANSFER_TOKEN } from '../contract/user.js';

/**
 * Extracts the message from a `Thought: … User Response: …` answer. A stop token anywhere wins
 * (the message is then the token alone). Returns undefined when there is no `User Response:` part.
 */
export function parseReactUserOutput(text: string, semantics: LoopSemantics): string | undefined {
  const tokens = semantics === 'tau2' ? [STOP_TOKEN, TRANSFER_TOKEN, OUT_OF_SCOPE_TOKEN] : [STOP_TOKEN];
  for (const token of tokens) if (text.includes(token)) return token;
  const m = /User Response:\s*([\s\S]*)$/i.exec(text);
  if (m === null) return undefined;
  const message = (m[1] ?? '').trim();
  return message === '' ? undefined : message;
}

export class ReactUser extends LlmUser {
  protected override systemPrompt(): string {
    return customerSystemPrompt(this.task, this.context.semantics) + REACT_FORMAT;
  }

  protected override async nextMessage(): Promise<{ raw: string; message: string }> {
    for (let attempt = 0; attempt < USER_MODEL_ATTEMPTS; attempt++) {
      const raw = await this.generate(this.history);
      const message = parseReactUserOutput(raw, this.context.semantics);
      if (message !== undefined) return { raw, message };
      this.context.note('user_parse_error', { attempt, output: raw });
    }
    throw new UserSimulatorError(`the user model did not follow the "Thought: / User Response:" format in ${USER_MODEL_ATTEMPTS} attempts`);
  }
}
