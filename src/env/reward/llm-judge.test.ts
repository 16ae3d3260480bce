import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../../models/types.js';
import { createLlmJudge, renderTranscript } from './llm-judge.js';

const task = (nl: string[]): Task => ({
  id: '5', index: 5, format: 'tau2', domain: 'retail', instruction: '', actions: [], outputs: [],
  evaluation: { rewardBasis: ['DB', 'NL_ASSERTION'], communicateInfo: [], nlAssertions: nl, envAssertions: [] },
});

function scripted(answers: string[]): ChatModel & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    id: 'test:judge',
    requests,
    async complete(req: ChatRequest): Promise<ChatResponse> {
      requests.push(req);
      const text = answers[requests.length - 1] ?? '';
      return { text, toolCalls: [], finishReason: 'stop', usage: { input: 10, output: 5 }, latencyMs: 1, costUsd: null, retries: 0, retryWaitMs: 0, model: 'test:judge' };
    },
  };
}

const transcript = [
  { role: 'user' as const, content: 'Can I get a refund?' },
  { role: 'assistant' as const, content: '', toolCall: { name: 'get_order_details', kwargs: { order_id: '#W1' } } },
  { role: 'tool' as const, content: '{"status": "delivered"}' },
  { role: 'assistant' as const, content: 'The refund is 10 dollars.' },
];

describe('LLM judge', () => {
  it('asks once with the transcript and assertions, and is met only when every assertion is', async () => {
    const model = scripted(['{"results":[{"assertion":"a","reasoning":"said","met":true},{"assertion":"b","reasoning":"no","met":false}]}']);
    const v = await createLlmJudge(model).judge(task(['Agent states the refund amount', 'Agent apologises']), transcript);
    expect(v.met).toBe(false);
    expect(v.results.map((r) => [r.assertion, r.met])).toEqual([['Agent states the refund amount', true], ['Agent apologises', false]]);
    const req = model.requests[0] as ChatRequest;
    expect(req.temperature).toBe(0);
    expect(req.responseFormat?.name).toBe('verdicts');
    expect(req.messages[0]?.role === 'user' && req.messages[0].content).toContain('2. Agent apologises');
    expect(req.messages[0]?.role === 'user' && req.messages[0].content).toContain('agent calls tool get_order_details {"order_id": "#W1"}');
  });

  it('re-asks after an invalid answer and fails (unscored) after the attempts run out', async () => {
    const retried = scripted(['not json', '{"results":[{"assertion":"a","reasoning":"ok","met":true}]}']);
    expect((await createLlmJudge(retried).judge(task(['x']), transcript)).met).toBe(true);
    expect(retried.requests).toHaveLength(2);
    expect(JSON.stringify(retried.requests[1]?.messages)).toContain('invalid');
    const broken = scripted(['{"results":[]}', '{"results":[]}']);
    await expect(createLlmJudge(broken).judge(task(['x']), transcript)).rejects.toThrow(ProviderError);
  });

  it('needs no call when the task has no assertions', async () => {
    const model = scripted([]);
    expect(await createLlmJudge(model).judge(task([]), transcript)).toEqual({ met: true, results: [] });
    expect(model.requests).toHaveLength(0);
  });

  it('renders tool results and roles for people', () => {
    expect(renderTranscript(transcript).split('\n')).toEqual([
      'customer: Can I get a refund?',
      'agent calls tool get_order_details {"order_id": "#W1"}',
      'tool result: {"status": "delivered"}',
      'agent: The refund is 10 dollars.',
    ]);
  });
});
