/**
 * The verifying customer (`--user verify`): each candidate message is checked by a second call
 * of the user model against the situation and the rules; a rejected candidate is generated
 * again, up to {@link VERIFY_ATTEMPTS} candidates. If none passes, the last one is used.
 */
import { LlmUser } from './llm-user.js';
import { verifyPrompt } from './prompts.js';

/** Candidates generated per turn at most. */
export const VERIFY_ATTEMPTS = 3;

/** Reads a checker's verdict: true when its answer says `true`. */
export function verdict(answer: string): boolean {
  return /\btrue\b/i.test(answer);
}

export class VerifyUser extends LlmUser {
  protected override async nextMessage(): Promise<{ raw: string; message: string }> {
    let candidate = '';
    for (let attempt = 0; attempt < VERIFY_ATTEMPTS; attempt++) {
      candidate = await this.generate(this.history);
      if (await this.check(candidate)) return { raw: candidate, message: candidate };
      this.context.note('user_candidate_rejected', { attempt, candidate });
    }
    return { raw: candidate, message: candidate };
  }

  /** Asks the user model whether `candidate` fits the situation and rules. */
  protected async check(candidate: string): Promise<boolean> {
    const prompt = verifyPrompt(this.task, this.context.semantics, this.conversation(), candidate);
    return verdict(await this.call({ messages: [{ role: 'user', content: prompt }] }));
  }
}
