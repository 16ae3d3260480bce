import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ProviderError } from '../core/errors.js';
import { createModel, registerProvider } from './create-model.js';
import { LimiterRegistry } from './limiter.js';
import { withRole } from './role.js';
import { FakeOpenAIServer } from './fake/index.js';
import type { CallRecord, ChatResponse } from './types.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createModel', () => {
  it('fails at creation with provider_auth when the key is missing, naming the variable', () => {
    for (const [spec, variable] of [
      ['openai:gpt-4o', 'OPENAI_API_KEY'],
      ['anthropic:claude-haiku-4-5', 'ANTHROPIC_API_KEY'],
    ] as const) {
      let error: unknown;
      try {
        createModel(spec, { env: {} });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('provider_auth');
      expect((error as ProviderError).message).toContain(variable);
    }
    expect(() => createModel('openai:gpt-4o', { env: { OPENAI_API_KEY: '  ' } })).toThrow(/OPENAI_API_KEY/);
  });

  it('reads the key and base URL from the given env', async () => {
    server = await FakeOpenAIServer.start(() => ({ text: 'from env' }));
    const model = createModel('openai:gpt-4o', { env: { OPENAI_API_KEY: 'sk-env-key', OPENAI_BASE_URL: server.url }, limiters: new LimiterRegistry() });
    expect(model.id).toBe('openai:gpt-4o');
    expect((await model.complete({ messages: [{ role: 'user', content: 'x' }] })).text).toBe('from env');
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer sk-env-key');
  });

  it('requires a base URL for openai-compatible but no key', () => {
    expect(() => createModel('openai-compatible:qwen', { env: {} })).toThrow(ConfigError);
    expect(() => createModel('openai-compatible:qwen', { env: {}, baseUrl: 'http://127.0.0.1:1/v1' })).not.toThrow();
  });

  it('rejects unknown providers, listing the known ones', () => {
    expect(() => createModel('mistral:large', { env: {} })).toThrow(/unknown provider "mistral"; known: .*anthropic.*openai/);
    expect(() => createModel('opnai:gpt-4o', { env: {} })).toThrow('unknown provider "opnai" (did you mean "openai"?); known:');
  });

  it('builds registered offline providers (sim) without limiter/retry/cache, at cost 0', async () => {
    const response: ChatResponse = { text: 'sim says hi', toolCalls: [], finishReason: 'stop', usage: { input: 5, output: 2 }, latencyMs: 0, costUsd: null, retries: 0, retryWaitMs: 0, model: 'sim:0.3' };
    const seen: unknown[] = [];
    registerProvider(
      'sim',
      (spec) => ({
        id: spec.id,
        simulated: true,
        complete: async (request) => {
          seen.push(request.privileged);
          return response;
        },
      }),
      // offline is the default for the provider named "sim"
    );
    const model = createModel('sim:0.3', { cache: { dir: '/nonexistent/never-written', mode: 'replay' } });
    expect(model.simulated).toBe(true);
    const res = await model.complete({ messages: [{ role: 'user', content: 'x' }], privileged: { task: 'T1' } });
    expect(res.costUsd).toBe(0);
    expect(res.text).toBe('sim says hi');
    expect(seen).toEqual([{ task: 'T1' }]);
  });

  it('limits concurrent requests per provider endpoint, shared by models on it', async () => {
    let active = 0;
    let peak = 0;
    server = await FakeOpenAIServer.start(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 40));
      active--;
      return { text: 'ok' };
    });
    const limiters = new LimiterRegistry();
    const a = createModel('openai:gpt-4o', { apiKey: 'k', baseUrl: server.url, limiters, concurrency: 3 });
    const b = createModel('openai:gpt-4o-mini', { apiKey: 'k', baseUrl: server.url, limiters });
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).complete({ messages: [{ role: 'user', content: String(i) }] })));
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
    expect(server.requestCount).toBe(12);
  });

  it('warns once per unpriced model through the injected sink and reports cost null', async () => {
    server = await FakeOpenAIServer.start(() => ({ text: 'ok', usage: { input: 1, output: 1 } }));
    const warnings: string[] = [];
    const warn = (m: string) => void warnings.push(m);
    const model = createModel('openai-compatible:my-local-model', { baseUrl: server.url, env: {}, limiters: new LimiterRegistry(), warn });
    const first = await model.complete({ messages: [{ role: 'user', content: 'a' }] });
    await model.complete({ messages: [{ role: 'user', content: 'b' }] });
    // a second model with the same sink shares the warned-once set
    const again = createModel('openai-compatible:my-local-model', { baseUrl: server.url, env: {}, limiters: new LimiterRegistry(), warn });
    await again.complete({ messages: [{ role: 'user', content: 'c' }] });
    expect(first.costUsd).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('openai-compatible:my-local-model');
  });
});

describe('withRole', () => {
  it('records one CallRecord per successful call into an array or a callback', async () => {
    server = await FakeOpenAIServer.start((_b, i) => ({ text: 'ok', usage: { input: 100 + i, cacheRead: 0, output: 7 } }));
    const model = createModel('openai:gpt-4o-mini', { apiKey: 'k', baseUrl: server.url, limiters: new LimiterRegistry() });
    const records: CallRecord[] = [];
    const agent = withRole(model, 'agent', records, () => 1234);
    const viaCallback: CallRecord[] = [];
    const user = withRole(model, 'user', (r) => viaCallback.push(r), () => 99);
    expect(agent.role).toBe('agent');
    expect(agent.inner).toBe(model);
    const res = await agent.complete({ messages: [{ role: 'user', content: 'a' }] });
    await user.complete({ messages: [{ role: 'user', content: 'b' }] });
    expect(records).toEqual([
      {
        role: 'agent',
        model: 'openai:gpt-4o-mini',
        usage: { input: 100, cacheRead: 0, output: 7 },
        latencyMs: res.latencyMs,
        costUsd: res.costUsd,
        retries: 0,
        retryWaitMs: 0,
        cached: false,
        startedAt: 1234,
        requestId: 'req_0',
      },
    ]);
    expect(viaCallback.map((r) => [r.role, r.usage.input, r.startedAt])).toEqual([['user', 101, 99]]);
  });
});
