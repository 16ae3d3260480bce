/**
 * An LLM judge for τ² natural-language assertions (NL_ASSERTION): one call per episode that
 * reads the conversation and returns a verdict per assertion as JSON, validated with zod. An
 * answer that does not fit the schema (or leaves an assertion out) is asked again, up to
 * `maxAttempts`; then the judge throws and the episode stays unscored, never passed.
 */
import { z } from 'zod';
import { ProviderError } from '../../core/errors.js';
import { pyDumps } from '../../core/py/py-json.js';
import type { Task } from '../../core/task.js';
import type { ChatMessage, ChatModel } from '../../models/types.js';
import { jsonSchemaOf } from '../tool.js';
import type { Judge, JudgeResult, TranscriptMessage } from './types.js';

const VerdictSchema = z.strictObject({
  results: z.array(
    z.strictObject({
      assertion: z.string().describe('the assertion, copied exactly'),
      reasoning: z.string().describe('one or two sentences citing the conversation'),
      met: z.boolean().describe('true only if the conversation shows the assertion holds'),
    }),
  ),
});

const INSTRUCTIONS = `You grade a customer-service conversation between an agent and a customer.
You receive the conversation (agent messages, customer messages, the agent's tool calls and their results)
and a numbered list of assertions about what the agent should have done or said.
For each assertion decide whether the conversation shows that it holds. Judge only from the conversation;
when the evidence is missing or ambiguous, the assertion is not met.
Answer with JSON only: {"results": [{"assertion": <the assertion text>, "reasoning": <short reason>, "met": <true|false>}]},
one entry per assertion, in the given order.`;

/** Options of {@link createLlmJudge}. */
export interface LlmJudgeOptions {
  /** Sampling temperature. Default 0 (omit for models that accept only their default). */
  temperature?: number | null;
  /** Attempts before giving up. Default 2. */
  maxAttempts?: number;
}

/** The conversation as numbered lines for the judge. */
export function renderTranscript(transcript: readonly TranscriptMessage[]): string {
  return transcript
    .map((m) => {
      if (m.toolCall !== undefined) return `agent calls tool ${m.toolCall.name} ${pyDumps(m.toolCall.kwargs)}`;
      if (m.role === 'tool') return `tool result: ${m.content}`;
      return `${m.role === 'assistant' ? 'agent' : 'customer'}: ${m.content}`;
    })
    .join('\n');
}

/** A {@link Judge} backed by a chat model (record its calls under the `judge` role with `withRole`). */
export function createLlmJudge(model: ChatModel, options: LlmJudgeOptions = {}): Judge {
  const temperature = options.temperature === undefined ? 0 : options.temperature;
  const maxAttempts = options.maxAttempts ?? 2;
  const schema = jsonSchemaOf(VerdictSchema);
  return {
    async judge(task: Task, transcript: readonly TranscriptMessage[], signal?: AbortSignal): Promise<{ met: boolean; results: JudgeResult[] }> {
      const assertions = task.evaluation?.nlAssertions ?? [];
      if (assertions.length === 0) return { met: true, results: [] };
      const question = `Conversation:\n${renderTranscript(transcript)}\n\nAssertions:\n${assertions.map((a, i) => `${i + 1}. ${a}`).join('\n')}`;
      const messages: ChatMessage[] = [{ role: 'user', content: question }];
      let problem = '';
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const res = await model.complete(
          {
            system: INSTRUCTIONS,
            messages,
            responseFormat: { name: 'verdicts', schema },
            ...(temperature === null ? {} : { temperature }),
            privileged: { subtask: { name: 'judge_nl_assertions', input: { assertions } } },
          },
          signal === undefined ? undefined : { signal },
        );
        const text = res.text ?? '';
        let parsed: z.infer<typeof VerdictSchema> | undefined;
        try {
          const r = VerdictSchema.safeParse(JSON.parse(text));
          if (r.success) parsed = r.data;
          else problem = z.prettifyError(r.error);
        } catch (e) {
          problem = `not valid JSON: ${(e as Error).message}`;
        }
        if (parsed !== undefined) {
          if (parsed.results.length === assertions.length) {
            const results: JudgeResult[] = parsed.results.map((r, i) => ({ assertion: assertions[i] as string, met: r.met, reasoning: r.reasoning }));
            return { met: results.every((r) => r.met), results };
          }
          problem = `expected ${assertions.length} results, got ${parsed.results.length}`;
        }
        messages.push({ role: 'assistant', content: text }, { role: 'user', content: `Your answer was invalid (${problem}). Answer again with JSON only, one result per assertion.` });
      }
      throw new ProviderError(`judge ${model.id}: no valid verdict after ${maxAttempts} attempts (${problem})`, { path: task.id });
    },
  };
}
