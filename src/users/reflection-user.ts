/**
 * The reflecting customer (`--user reflection`): a candidate that fails the check is reflected
 * on (what was wrong, then an improved message); the improvement is checked in turn, up to
 * {@link REFLECTION_ATTEMPTS} reflections. If no improvement passes, the first candidate is used.
 */
import { reflectPrompt } from './prompts.js';
import { VerifyUser } from './verify-user.js';

/** Reflections per turn at most. */
export const REFLECTION_ATTEMPTS = 2;

/** Extracts the improved message from a `Reflection: … Response: …` answer. */
export function parseReflection(text: string): string | undefined {
  const m = /(?:^|\n)\s*Response:\s*([\s\S]*)$/i.exec(text);
  const message = m?.[1]?.trim();
  return message === undefined || message === '' ? undefined : message;
}

export class ReflectionUser extends VerifyUser {
  protected override async nextMessage(): Promise<{ raw: string; message: string }> {
    const first = await this.generate(this.history);
    if (await this.check(first)) return { raw: first, message: first };
    let candidate = first;
    for (let attempt = 0; attempt < REFLECTION_ATTEMPTS; attempt++) {
      const prompt = reflectPrompt(this.task, this.context.semantics, this.conversation(), candidate);
      const answer = await this.call({ messages: [{ role: 'user', content: prompt }] });
      const improved = parseReflection(answer);
      this.context.note('user_reflection', { attempt, rejected: candidate, reflection: answer });
      if (improved === undefined) continue;
      candidate = improved;
      if (await this.check(candidate)) return { raw: candidate, message: candidate };
    }
    return { raw: first, message: first };
  }
}
