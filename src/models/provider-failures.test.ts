/**
 * How provider failures come out of `createModel`: which are retried, which are "rejections" the
 * provider would repeat (agent-side failures), the response size cap, the endpoint (without
 * credentials) in every message, and base-URL credentials that are used but never shown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../core/errors.js';
import { SecretScrubber } from '../core/secrets.js';
import { createModel } from './create-model.js';
import { LimiterRegistry } from './limiter.js';
import { closedPort, faults, FakeAnthropicServer, FakeOpenAIServer } from './fake/index.js';
import type { ChatModel } from './types.js';

const KEY = 'sk-test-failures-key';
let servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function openai(handler: ConstructorParameters<typeof FakeOpenAIServer>[0]): Promise<FakeOpenAIServer> {
  const s = await FakeOpenAIServer.start(handler);
  servers.push(s);
  return s;
}

function model(spec: string, baseUrl: string, extra: Parameters<typeof createModel>[1] = {}): ChatModel {
  return createModel(spec, { apiKey: KEY, baseUrl, limiters: new LimiterRegistry(), retry: { baseDelayMs: 1, maxDelayMs: 2 }, maxRetries: 2, warn: () => {}, ...extra });
}

const ask = (m: ChatModel): Promise<ProviderError> =>
  m.complete({ messages: [{ role: 'user', content: 'hi' }] }).then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as ProviderError,
  );

describe('provider failures', () => {
  it.each([
    [400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens."],
    [413, 'Request too large'],
    [422, 'Unprocessable entity'],
  ])('HTTP %i is a provider_rejected error, not retried', async (status, text) => {
    const server = await openai(() => faults.status(status, text));
    const err = await ask(model('openai:gpt-4o', server.url));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.code).toBe('provider_rejected');
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(`openai:gpt-4o at ${server.url}: HTTP ${status}: ${text}`);
    expect(server.requestCount).toBe(1);
  });

  it('404 (wrong model or URL) and 401 stay configuration errors of the run: provider_error / provider_auth', async () => {
    const s404 = await openai(() => faults.status(404, 'The model `gpt-5o` does not exist'));
    const e404 = await ask(model('openai:gpt-5o', s404.url));
    expect([e404.code, e404.retryable, s404.requestCount]).toEqual(['provider_error', false, 1]);
    const s401 = await openai(() => faults.status(401, 'Incorrect API key provided'));
    expect((await ask(model('openai:gpt-4o', s401.url))).code).toBe('provider_auth');
  });

  it('a connection refused names the cause and the endpoint, after the retries', async () => {
    const port = await closedPort();
    const err = await ask(model('openai-compatible:foo', `http://127.0.0.1:${port}/v1`, { maxRetries: 1 }));
    expect(err.code).toBe('provider_error');
    expect(err.message).toMatch(new RegExp(`^openai-compatible:foo at http://127\\.0\\.0\\.1:${port}/v1: connection error: .*ECONNREFUSED.* \\(after 1 retry\\)$`));
  });

  it('a reply over --max-response-bytes is a provider error that says so, not retried (both SDKs, any fetch)', async () => {
    const big = 'x'.repeat(4000);
    const o = await openai(() => ({ text: big }));
    for (const extra of [{}, { fetch: globalThis.fetch }]) {
      const err = await ask(model('openai:gpt-4o', o.url, { maxResponseBytes: 2048, ...extra }));
      expect(err.code).toBe('provider_error');
      expect(err.retryable).toBe(false);
      expect(err.details?.['kind']).toBe('response_too_large');
      expect(err.message).toBe(`openai:gpt-4o at ${o.url}: response larger than the 2 KiB cap; the rest was not read (raise it with --max-response-bytes)`);
    }
    expect(o.requestCount).toBe(2);
    const a = await FakeAnthropicServer.start(() => ({ text: big }));
    servers.push(a);
    const err = await ask(model('anthropic:claude-haiku-4-5', a.url, { maxResponseBytes: 2048 }));
    expect(err.details?.['kind']).toBe('response_too_large');
    expect(a.requestCount).toBe(1);
    // under the cap the same reply is fine
    expect((await model('openai:gpt-4o', o.url, { maxResponseBytes: 8192 }).complete({ messages: [{ role: 'user', content: 'hi' }] })).text).toBe(big);
  });

  it('base-URL credentials are used for the requests but never shown; the model registers them with the run scrubber', async () => {
    const urls: string[] = [];
    const recording: typeof fetch = (input, init) => {
      urls.push(String(input));
      return globalThis.fetch(input, init);
    };
    const o = await openai(() => faults.status(400, 'bad request'));
    const secrets = new SecretScrubber();
    const err = await ask(model('openai:gpt-4o', `${o.url}?api-key=QUERY-KEY-123&api-version=2024-06-01`, { fetch: recording, secrets }));
    expect(urls[0]).toBe(`${o.url}/chat/completions?api-key=QUERY-KEY-123&api-version=2024-06-01`);
    expect(err.message).toBe(`openai:gpt-4o at ${o.url}?api-version=2024-06-01: HTTP 400: bad request`);
    expect(secrets.scrub(`QUERY-KEY-123 ${KEY}`)).toBe('[redacted] [redacted]');

    // user:password@ stays in the URL the transport is given (the SDK's own Authorization header wins over it)
    const a = await FakeAnthropicServer.start(() => ({ text: 'ok' }));
    servers.push(a);
    const withUser = a.url.replace('http://', 'http://proxyuser:PROXY-PASS-456@');
    const seen: string[] = [];
    const reply = await model('anthropic:claude-haiku-4-5', withUser, { secrets, fetch: (input, init) => (seen.push(String(input)), recording(String(input).replace('proxyuser:PROXY-PASS-456@', ''), init)) }).complete({
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(reply.text).toBe('ok');
    expect(seen[0]).toBe(`${withUser}/v1/messages`);
    expect(a.requestCount).toBe(1);
    expect(secrets.scrub('PROXY-PASS-456 proxyuser')).toBe('[redacted] [redacted]');
  });
});
