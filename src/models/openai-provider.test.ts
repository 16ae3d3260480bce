import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../core/errors.js';
import { createModel } from './create-model.js';
import { LimiterRegistry } from './limiter.js';
import { faults, FakeOpenAIServer } from './fake/index.js';
import type { ChatRequest } from './types.js';

const KEY = 'sk-test-openai-key';
let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function model(url: string, extra: Parameters<typeof createModel>[1] = {}) {
  return createModel('openai:gpt-4o', { apiKey: KEY, baseUrl: url, limiters: new LimiterRegistry(), retry: { baseDelayMs: 1 }, warn: () => {}, ...extra });
}

const tool = { name: 'get_order', description: 'Look up an order', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } };

describe('openai provider over the wire', () => {
  it('maps the request: system first, assistant tool calls, tool results, tools, params', async () => {
    server = await FakeOpenAIServer.start(() => ({ text: 'done' }));
    const request: ChatRequest = {
      system: 'You are a retail agent.',
      messages: [
        { role: 'user', content: 'Where is order A1?' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'get_order', arguments: '{"id":"A1"}' }] },
        { role: 'tool', toolCallId: 'c1', name: 'get_order', content: '{"status":"shipped"}' },
      ],
      tools: [tool],
      toolChoice: { name: 'get_order' },
      temperature: 0,
      seed: 7,
      maxTokens: 100,
      privileged: { task: { secret: 'not for providers' } },
    };
    await model(server.url).complete(request);
    const body = server.requests[0]?.body;
    expect(body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are a retail agent.' },
        { role: 'user', content: 'Where is order A1?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_order', arguments: '{"id":"A1"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"status":"shipped"}' },
      ],
      tools: [{ type: 'function', function: tool }],
      tool_choice: { type: 'function', function: { name: 'get_order' } },
      temperature: 0,
      seed: 7,
      max_completion_tokens: 100,
    });
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${KEY}`);
  });

  it('uses max_tokens for openai-compatible, defaults it to 4096, and omits tool_choice/temperature when unset', async () => {
    server = await FakeOpenAIServer.start(() => ({ text: 'ok' }));
    const compat = createModel('openai-compatible:llama3.1:8b', { baseUrl: server.url, env: {}, limiters: new LimiterRegistry(), warn: () => {} });
    await compat.complete({ messages: [{ role: 'user', content: 'hi' }], tools: [tool] });
    const body = server.requests[0]?.body ?? {};
    expect(body['model']).toBe('llama3.1:8b');
    expect(body['max_tokens']).toBe(4096);
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('seed');
  });

  it('sends response_format json_schema for structured output', async () => {
    server = await FakeOpenAIServer.start(() => ({ structured: { answer: 42 } }));
    const schema = { type: 'object', properties: { answer: { type: 'number' } } };
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'q' }], responseFormat: { name: 'answer', schema } });
    expect(server.requests[0]?.body['response_format']).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: false } });
    expect(JSON.parse(res.text ?? '')).toEqual({ answer: 42 });
  });

  it('returns tool calls with raw text and parsed value; malformed JSON becomes parseError, not a throw', async () => {
    server = await FakeOpenAIServer.start(() => ({
      toolCalls: [
        { id: 'a', name: 'get_order', rawArguments: '{"id": "A1"}' },
        { id: 'b', name: 'get_order', rawArguments: '{"id": "A1"' },
      ],
    }));
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }], tools: [tool] });
    expect(res.finishReason).toBe('tool_calls');
    expect(res.text).toBeNull();
    expect(res.toolCalls[0]).toEqual({ id: 'a', name: 'get_order', rawArguments: '{"id": "A1"}', arguments: { id: 'A1' } });
    expect(res.toolCalls[1]?.rawArguments).toBe('{"id": "A1"');
    expect(res.toolCalls[1]?.arguments).toBeUndefined();
    expect(res.toolCalls[1]?.parseError).toMatch(/invalid JSON/);
  });

  it('maps usage buckets exactly as reported (cached tokens subtracted from input)', async () => {
    server = await FakeOpenAIServer.start(() => ({
      text: 'ok',
      rawUsage: {
        prompt_tokens: 1200,
        completion_tokens: 300,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 1024 },
        completion_tokens_details: { reasoning_tokens: 128 },
      },
    }));
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(res.usage).toStrictEqual({ input: 176, cacheRead: 1024, output: 300, reasoning: 128 });
    // gpt-4o: 2.5 in, 1.25 cached, 10 out per 1M
    expect(res.costUsd).toBeCloseTo((176 * 2.5 + 1024 * 1.25 + 300 * 10) / 1e6, 12);
    expect(res.requestId).toBe('req_0');
    expect(res.model).toBe('openai:gpt-4o');
    expect(res.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('leaves unreported buckets undefined, distinct from 0', async () => {
    server = await FakeOpenAIServer.start(() => ({ text: 'ok', rawUsage: { prompt_tokens: 10, completion_tokens: 0 } }));
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(res.usage).toStrictEqual({ input: 10, output: 0 });
    expect('cacheRead' in res.usage).toBe(false);
  });

  it('honours retry-after-ms on 429 and counts the retry', async () => {
    server = await FakeOpenAIServer.start((_b, i) => (i === 0 ? faults.rateLimited({ retryAfterMs: 250 }) : { text: 'ok' }));
    const sleeps: number[] = [];
    const res = await model(server.url, { sleep: async (ms) => void sleeps.push(ms), random: () => 0 }).complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(res.text).toBe('ok');
    expect(res.retries).toBe(1);
    expect(sleeps).toEqual([250]);
    expect(res.retryWaitMs).toBe(250);
  });

  it('honours retry-after in seconds', async () => {
    server = await FakeOpenAIServer.start((_b, i) => (i === 0 ? faults.rateLimited({ retryAfterS: 2 }) : { text: 'ok' }));
    const sleeps: number[] = [];
    await model(server.url, { sleep: async (ms) => void sleeps.push(ms), random: () => 0 }).complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(sleeps).toEqual([2000]);
  });

  it('does not retry 400 and reports status, request id and the provider message', async () => {
    server = await FakeOpenAIServer.start(() => faults.status(400, 'Invalid schema for function get_order'));
    const err = await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    const pe = err as ProviderError;
    // A 400 is the provider refusing this request as given: asking again gets the same answer.
    expect(pe.code).toBe('provider_rejected');
    expect(pe.status).toBe(400);
    expect(pe.retryable).toBe(false);
    expect(pe.requestId).toBe('req_0');
    expect(pe.message).toBe(`openai:gpt-4o at ${server.url}: HTTP 400: Invalid schema for function get_order`);
    expect(server.requestCount).toBe(1);
  });

  it('maps 401 to provider_auth without retrying', async () => {
    server = await FakeOpenAIServer.start(() => faults.status(401, 'Incorrect API key provided'));
    const err = (await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)) as ProviderError;
    expect(err.code).toBe('provider_auth');
    expect(server.requestCount).toBe(1);
  });

  it('times out slow responses and retries them', async () => {
    server = await FakeOpenAIServer.start((_b, i) => (i === 0 ? { text: 'late', delayMs: 5000 } : { text: 'fast' }));
    const res = await model(server.url, { timeoutMs: 300 }).complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(res.text).toBe('fast');
    expect(res.retries).toBeGreaterThanOrEqual(1);
    expect(res.retryWaitMs).toBeGreaterThan(0);
  });

  it('gives up after maxRetries with a retryable error that says how many retries were made', async () => {
    server = await FakeOpenAIServer.start(() => faults.serverError(503));
    const err = (await model(server.url, { maxRetries: 2 }).complete({ messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/HTTP 503.*\(after 2 retries\)$/);
    expect(err.details?.['retries']).toBe(2);
    expect(server.requestCount).toBe(3);
  });

  it('retries connection resets', async () => {
    server = await FakeOpenAIServer.start((_b, i) => (i < 2 ? faults.reset() : { text: 'ok' }));
    const res = await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(res.text).toBe('ok');
    expect(res.retries).toBe(2);
  });

  it('reports a non-JSON proxy page as an unusable response', async () => {
    server = await FakeOpenAIServer.start(() => ({ fault: 'raw', status: 200, body: '<html>gateway</html>' }));
    const err = (await model(server.url).complete({ messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.details?.['kind']).toBe('invalid_response');
  });

  it('passes an abort signal through and does not retry an aborted call', async () => {
    const controller = new AbortController();
    server = await FakeOpenAIServer.start(() => {
      controller.abort();
      return faults.hang();
    });
    const pending = model(server.url).complete({ messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal });
    const err = (await pending.catch((e: unknown) => e)) as ProviderError;
    expect(err.details?.['kind']).toBe('aborted');
    expect(server.requestCount).toBe(1);
  });
});
