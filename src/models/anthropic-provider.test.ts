import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../core/errors.js';
import { createModel } from './create-model.js';
import { LimiterRegistry } from './limiter.js';
import { faults, FakeAnthropicServer } from './fake/index.js';

const KEY = 'sk-ant-test-key-123';
const MODEL = 'anthropic:claude-haiku-4-5';
let server: FakeAnthropicServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function model(url: string, extra: Parameters<typeof createModel>[1] = {}) {
  return createModel(MODEL, { apiKey: KEY, baseUrl: url, limiters: new LimiterRegistry(), retry: { baseDelayMs: 1 }, warn: () => {}, ...extra });
}

const tools = [
  { name: 'get_order', description: 'Look up an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
  { name: 'cancel_order', description: 'Cancel an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
];

describe('anthropic provider over the wire', () => {
  it('maps system, tools (cache_control on the system block and the last tool), tool_use and merged tool_result blocks', async () => {
    server = await FakeAnthropicServer.start(() => ({ text: 'done' }));
    await model(server.url).complete({
      system: 'Policy text',
      messages: [
        { role: 'user', content: 'Cancel A1 and B2' },
        {
          role: 'assistant',
          content: 'Looking both up.',
          toolCalls: [
            { id: 't1', name: 'get_order', arguments: '{"id":"A1"}' },
            { id: 't2', name: 'get_order', arguments: '{"id":"B2"}' },
          ],
        },
        { role: 'tool', toolCallId: 't1', name: 'get_order', content: 'pending' },
        { role: 'tool', toolCallId: 't2', name: 'get_order', content: 'not found', isError: true },
        { role: 'user', content: 'go on' },
      ],
      tools,
      toolChoice: 'required',
      privileged: { task: 'hidden' },
    });
    expect(server.requests[0]?.body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'Policy text', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'Cancel A1 and B2' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking both up.' },
            { type: 'tool_use', id: 't1', name: 'get_order', input: { id: 'A1' } },
            { type: 'tool_use', id: 't2', name: 'get_order', input: { id: 'B2' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: 'pending' },
            { type: 'tool_result', tool_use_id: 't2', content: 'not found', is_error: true },
            { type: 'text', text: 'go on' },
          ],
        },
      ],
      tools: [
        { name: 'get_order', description: 'Look up an order', input_schema: tools[0]?.parameters },
        { name: 'cancel_order', description: 'Cancel an order', input_schema: tools[1]?.parameters, cache_control: { type: 'ephemeral' } },
      ],
      tool_choice: { type: 'any' },
    });
    // The 1.x SDK sends the API key as a bearer token.
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${KEY}`);
  });

  it('sends temperature only when set', async () => {
    server = await FakeAnthropicServer.start(() => ({ text: 'ok' }));
    const m = model(server.url);
    await m.complete({ messages: [{ role: 'user', content: 'a' }] });
    await m.complete({ messages: [{ role: 'user', content: 'a' }], temperature: 1, maxTokens: 50 });
    expect(server.requests[0]?.body).not.toHaveProperty('temperature');
    expect(server.requests[1]?.body['temperature']).toBe(1);
    expect(server.requests[1]?.body['max_tokens']).toBe(50);
  });

  it('maps tool_use blocks to tool calls; rawArguments is the input as json.dumps text', async () => {
    server = await FakeAnthropicServer.start(() => ({ text: 'Let me check.', toolCalls: [{ id: 'toolu_1', name: 'get_order', arguments: { id: 'A1', n: 2 } }] }));
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }], tools });
    expect(res.text).toBe('Let me check.');
    expect(res.finishReason).toBe('tool_calls');
    expect(res.toolCalls).toStrictEqual([{ id: 'toolu_1', name: 'get_order', rawArguments: '{"id": "A1", "n": 2}', arguments: { id: 'A1', n: 2 } }]);
    expect(res.requestId).toBe('req_0');
  });

  it('keeps float literals of tool inputs (250.0 stays a float, as in the Python reference)', async () => {
    const body =
      '{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","stop_reason":"tool_use","stop_sequence":null,' +
      '"content":[{"type":"tool_use","id":"toolu_9","name":"send_certificate","input":{"user_id":"u1","amount":250.0}}],' +
      '"usage":{"input_tokens":10,"output_tokens":5}}';
    server = await FakeAnthropicServer.start(() => ({ fault: 'raw', status: 200, body, headers: { 'content-type': 'application/json', 'request-id': 'req_raw' } }));
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }], tools });
    expect(res.toolCalls[0]?.rawArguments).toBe('{"user_id": "u1", "amount": 250.0}');
    expect(res.toolCalls[0]?.arguments).toEqual({ user_id: 'u1', amount: 250 });
    expect(res.requestId).toBe('req_raw');
  });

  it('implements structured output with a forced tool and returns its input as text', async () => {
    server = await FakeAnthropicServer.start(() => ({ structured: { verdict: 'pass' } }));
    const schema = { type: 'object', properties: { verdict: { type: 'string' } }, required: ['verdict'] };
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'judge' }], responseFormat: { name: 'verdict', schema } });
    const body = server.requests[0]?.body ?? {};
    expect(body['tool_choice']).toEqual({ type: 'tool', name: 'verdict' });
    expect(body['tools']).toEqual([
      { name: 'verdict', description: 'Return the answer as the input of this tool.', input_schema: schema, cache_control: { type: 'ephemeral' } },
    ]);
    expect(res.text).toBe('{"verdict":"pass"}');
    expect(res.toolCalls).toEqual([]);
    expect(res.finishReason).toBe('stop');
  });

  it('wraps a non-object structured-output schema and unwraps the value', async () => {
    server = await FakeAnthropicServer.start(() => ({ structured: { value: ['a', 'b'] } }));
    const schema = { type: 'array', items: { type: 'string' } };
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'list' }], responseFormat: { name: 'items', schema } });
    const sent = (server.requests[0]?.body['tools'] as { input_schema: unknown }[])[0]?.input_schema;
    expect(sent).toEqual({ type: 'object', properties: { value: schema }, required: ['value'] });
    expect(res.text).toBe('["a","b"]');
  });

  it('maps usage buckets exactly as reported (input excludes cache reads and writes)', async () => {
    server = await FakeAnthropicServer.start(() => ({
      text: 'ok',
      rawUsage: { input_tokens: 21, output_tokens: 393, cache_creation_input_tokens: 1800, cache_read_input_tokens: 2048, output_tokens_details: { thinking_tokens: 100 } },
    }));
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(res.usage).toStrictEqual({ input: 21, cacheRead: 2048, cacheWrite: 1800, output: 393, reasoning: 100 });
    // claude-haiku-4-5: 1 in, 0.1 cache read, 1.25 cache write, 5 out per 1M
    expect(res.costUsd).toBeCloseTo((21 * 1 + 2048 * 0.1 + 1800 * 1.25 + 393 * 5) / 1e6, 12);
  });

  it('treats null cache buckets as not reported', async () => {
    server = await FakeAnthropicServer.start(() => ({ text: 'ok', rawUsage: { input_tokens: 5, output_tokens: 0, cache_creation_input_tokens: null, cache_read_input_tokens: 0 } }));
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(res.usage).toStrictEqual({ input: 5, cacheRead: 0, output: 0 });
  });

  it('retries 529 overloaded and 429 with retry-after-ms, counting retries', async () => {
    server = await FakeAnthropicServer.start((_b, i) => (i === 0 ? faults.serverError(529) : i === 1 ? faults.rateLimited({ retryAfterMs: 40 }) : { text: 'ok' }));
    const sleeps: number[] = [];
    const res = await model(server.url, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 }).complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(res.text).toBe('ok');
    expect(res.retries).toBe(2);
    // retry 0: backoff 1ms base → 0.5 + 0.5*0.5 = 0.75; retry 1: retry-after 40 + 0.5 * base
    expect(sleeps).toEqual([0.75, 40.5]);
  });

  it('reports the provider error message and request id, and maps 401 to provider_auth', async () => {
    server = await FakeAnthropicServer.start(() => faults.status(401, 'invalid x-api-key'));
    const err = (await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.code).toBe('provider_auth');
    expect(err.message).toBe(`${MODEL} at ${server.url}: HTTP 401: invalid x-api-key`);
    expect(err.requestId).toBe('req_0');
    expect(server.requestCount).toBe(1);
  });

  it('times out slow responses', async () => {
    server = await FakeAnthropicServer.start(() => ({ text: 'late', delayMs: 1000 }));
    const err = (await model(server.url, { timeoutMs: 60, maxRetries: 1 })
      .complete({ messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)) as ProviderError;
    expect(err.details?.['kind']).toBe('timeout');
    expect(err.retryable).toBe(true);
    expect(err.details?.['retries']).toBe(1);
  });
});
