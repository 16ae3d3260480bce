/** A fake OpenAI Chat Completions server (`POST /v1/chat/completions`). */
import type { Usage } from '../types.js';
import { echoHandler, estimateTokens, FakeLlmServer, type FakeHandler, type FakeReply, type Rendered } from './fake-server.js';

/** Converts normalised usage to OpenAI's wire usage (`prompt_tokens` includes cache reads and writes). */
export function openAIWireUsage(usage: Usage): Record<string, unknown> {
  const prompt = (usage.input ?? 0) + (usage.cacheRead ?? 0) + (usage.cacheWrite ?? 0);
  const output = usage.output ?? 0;
  const wire: Record<string, unknown> = { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output };
  if (usage.cacheRead !== undefined || usage.cacheWrite !== undefined) {
    wire['prompt_tokens_details'] = {
      ...(usage.cacheRead === undefined ? {} : { cached_tokens: usage.cacheRead }),
      ...(usage.cacheWrite === undefined ? {} : { cache_write_tokens: usage.cacheWrite }),
    };
  }
  if (usage.reasoning !== undefined) wire['completion_tokens_details'] = { reasoning_tokens: usage.reasoning };
  return wire;
}

export { echoHandler };

/**
 * Fake OpenAI server. Point the SDK (or `createModel('openai:…')`) at {@link FakeOpenAIServer.url}.
 * @example const server = await FakeOpenAIServer.start((body, i) => i === 0 ? faults.rateLimited() : { text: 'hi' });
 */
export class FakeOpenAIServer extends FakeLlmServer {
  protected readonly endpoint = '/v1/chat/completions';
  protected readonly requestIdHeader = 'x-request-id';

  /** Creates and starts a server. Default handler: {@link echoHandler}. */
  static start(handler: FakeHandler = echoHandler): Promise<FakeOpenAIServer> {
    return new FakeOpenAIServer(handler).listen();
  }

  /** Base URL including `/v1`, as the openai SDK expects. */
  get url(): string {
    return `${this.origin}/v1`;
  }

  protected renderReply(reply: FakeReply, body: Record<string, unknown>, index: number): Rendered {
    const calls = (reply.toolCalls ?? []).map((call, position) => ({
      id: call.id ?? `call_${index}_${position}`,
      type: 'function',
      function: { name: call.name, arguments: call.rawArguments ?? JSON.stringify(call.arguments ?? {}) },
    }));
    const text = reply.structured !== undefined ? JSON.stringify(reply.structured) : reply.text !== undefined ? reply.text : calls.length > 0 ? null : '';
    const usage =
      reply.rawUsage !== undefined
        ? reply.rawUsage
        : openAIWireUsage(reply.usage ?? { input: estimateTokens(body['messages']), output: estimateTokens(text ?? calls) });
    return {
      status: 200,
      headers: {},
      body: {
        id: `chatcmpl-${index}`,
        object: 'chat.completion',
        created: 1_700_000_000,
        model: typeof body['model'] === 'string' ? body['model'] : 'unknown',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null, ...(calls.length === 0 ? {} : { tool_calls: calls }) },
            finish_reason: reply.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop'),
            logprobs: null,
          },
        ],
        ...(usage === null ? {} : { usage }),
      },
    };
  }

  protected renderError(status: number, message: string): unknown {
    const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
    return { error: { message, type, param: null, code: null } };
  }
}
