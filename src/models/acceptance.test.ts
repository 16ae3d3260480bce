/**
 * Acceptance tests of issue 3, through the real SDK clients against local fake servers:
 * fault tolerance, record/replay, usage fidelity and secret hygiene.
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { formatError, ProviderError } from '../core/errors.js';
import { createModel, type CreateModelOptions } from './create-model.js';
import { LimiterRegistry } from './limiter.js';
import { FakeAnthropicServer, FakeOpenAIServer, faults, lastMessageText, type FakeHandler, type FakeLlmServer } from './fake/index.js';
import type { ChatMessage, ChatRequest, ChatResponse, Usage } from './types.js';

const formats = [
  { name: 'openai', spec: 'openai:gpt-4o-mini', start: (h: FakeHandler) => FakeOpenAIServer.start(h) },
  { name: 'anthropic', spec: 'anthropic:claude-haiku-4-5', start: (h: FakeHandler) => FakeAnthropicServer.start(h) },
] as const;

const servers: FakeLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(format: (typeof formats)[number], handler: FakeHandler): Promise<FakeLlmServer> {
  const server = await format.start(handler);
  servers.push(server);
  return server;
}

function options(server: FakeLlmServer, extra: CreateModelOptions = {}): CreateModelOptions {
  return { apiKey: 'sk-test-key', baseUrl: server.url, limiters: new LimiterRegistry(), retry: { baseDelayMs: 2, maxDelayMs: 20 }, warn: () => {}, ...extra };
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'models-acceptance-'));

describe.each(formats)('$name wire format', (format) => {
  it('200 calls with 20% of them failing (429, 500, timeout, reset) all complete, with retries counted on exactly those calls', async () => {
    const kinds = [faults.rateLimited({ retryAfterMs: 1 }), faults.serverError(500), faults.hang(), faults.reset()];
    const expectedRetries = (i: number) => (i % 25 === 0 ? 2 : i % 5 === 0 ? 1 : 0);
    const served = new Map<string, number>();
    const server = await serve(format, (body) => {
      const text = lastMessageText(body);
      const i = Number(text.replace('call ', ''));
      const attempt = served.get(text) ?? 0;
      served.set(text, attempt + 1);
      if (attempt < expectedRetries(i)) return kinds[(Math.floor(i / 5) + attempt) % kinds.length] ?? faults.serverError();
      return { text: `answer ${i}` };
    });
    // Client-side ledger of HTTP attempts per call: how many, and how each failed.
    const ledger = new Map<string, { attempts: number; failures: string[] }>();
    const countingFetch: typeof fetch = async (input, init) => {
      const text = lastMessageText(JSON.parse(String(init?.body)) as Record<string, unknown>);
      const entry = ledger.get(text) ?? { attempts: 0, failures: [] };
      ledger.set(text, entry);
      entry.attempts++;
      try {
        const response = await fetch(input, init);
        if (!response.ok) entry.failures.push(`status ${response.status}`);
        return response;
      } catch (err) {
        entry.failures.push(init?.signal?.aborted === true ? 'timeout' : 'connection');
        throw err;
      }
    };
    // Hung requests hold a limiter slot until the timeout fires; a wide limiter keeps the test short.
    const model = createModel(format.spec, options(server, { timeoutMs: 1500, concurrency: 32, fetch: countingFetch }));
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => model.complete({ messages: [{ role: 'user', content: `call ${i}` }] })));
    expect(results.filter((_, i) => expectedRetries(i) > 0)).toHaveLength(40);
    results.forEach((res, i) => {
      const entry = ledger.get(`call ${i}`);
      expect(res.text).toBe(`answer ${i}`);
      // Exactly one extra HTTP attempt per counted retry, each after a failed attempt (none hidden in the SDK).
      expect(entry?.attempts, `call ${i}`).toBe(res.retries + 1);
      expect(entry?.failures, `call ${i}`).toHaveLength(res.retries);
      expect(res.retryWaitMs > 0).toBe(res.retries > 0);
      // Every scripted fault was retried; beyond those, only a starved machine adds client-side timeouts.
      expect(res.retries, `call ${i}`).toBeGreaterThanOrEqual(expectedRetries(i));
      const nonTimeouts = entry?.failures.filter((f) => f !== 'timeout') ?? [];
      expect(nonTimeouts.length, `call ${i}: ${nonTimeouts.join(', ')}`).toBeLessThanOrEqual(expectedRetries(i));
    });
  });

  it('records a 50-call conversation and replays it with zero requests and identical responses and usage', async () => {
    const dir = tempDir();
    const script: FakeHandler = (_body, index) =>
      index % 2 === 0
        ? { toolCalls: [{ name: 'lookup', arguments: { step: index } }], usage: { input: 100 + index, cacheRead: 1000, cacheWrite: index === 0 ? 1000 : 0, output: 20 } }
        : { text: `step ${index} done`, usage: { input: 50 + index, cacheRead: 1000, output: 10 + index } };
    const tools = [{ name: 'lookup', description: 'Look something up', parameters: { type: 'object', properties: { step: { type: 'number' } } } }];

    const run = async (model: ReturnType<typeof createModel>, calls = 50): Promise<ChatResponse[]> => {
      const messages: ChatMessage[] = [{ role: 'user', content: 'start' }];
      const out: ChatResponse[] = [];
      for (let i = 0; i < calls; i++) {
        const res = await model.complete({ system: 'policy', messages: [...messages], tools, temperature: 0, trial: 2 });
        out.push(res);
        messages.push({ role: 'assistant', content: res.text, toolCalls: res.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.rawArguments })) });
        for (const call of res.toolCalls) messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: `result of ${call.rawArguments}` });
        if (res.toolCalls.length === 0) messages.push({ role: 'user', content: `continue ${i}` });
      }
      return out;
    };

    const recordServer = await serve(format, script);
    const recorded = await run(createModel(format.spec, options(recordServer, { cache: { dir, mode: 'read-write' } })));
    expect(recordServer.requestCount).toBe(50);

    const replayServer = await serve(format, () => faults.serverError(500));
    const replayed = await run(createModel(format.spec, options(replayServer, { baseUrl: recordServer.url, cache: { dir, mode: 'replay' } })));
    expect(replayServer.requestCount).toBe(0);
    expect(recordServer.requestCount).toBe(50);
    expect(replayed).toHaveLength(50);
    replayed.forEach((res, i) => {
      expect(res.cached).toBe(true);
      const { cached: _cached, ...rest } = res;
      expect(rest).toStrictEqual(recorded[i]);
    });

    // A request that was never recorded fails in replay mode, naming it.
    const missing: ChatRequest = { system: 'policy', messages: [{ role: 'user', content: 'a question nobody asked' }], tools, temperature: 0, trial: 2 };
    const err = (await createModel(format.spec, options(replayServer, { baseUrl: recordServer.url, cache: { dir, mode: 'replay' } }))
      .complete(missing)
      .catch((e: unknown) => e)) as ProviderError;
    expect(err.code).toBe('cache_miss');
    expect(err.message).toContain(format.spec);
    expect(err.message).toMatch(/request [0-9a-f]{64}/);
    expect(err.message).toContain('user: "a question nobody asked"');
    expect(replayServer.requestCount).toBe(0);
  });

  it('reports usage per bucket exactly as the server did (random usages)', async () => {
    const bucket = fc.option(fc.nat({ max: 200_000 }), { nil: undefined });
    const usages = fc.sample(
      fc.record({ input: fc.nat({ max: 200_000 }), cacheRead: bucket, cacheWrite: bucket, output: fc.nat({ max: 50_000 }), reasoning: bucket }),
      { numRuns: 25, seed: 42 },
    );
    const server = await serve(format, (_b, i) => ({ text: 'ok', usage: usages[i] as Usage }));
    const model = createModel(format.spec, options(server));
    for (const usage of usages) {
      const res = await model.complete({ messages: [{ role: 'user', content: 'x' }] });
      const expected = Object.fromEntries(Object.entries(usage).filter(([, v]) => v !== undefined));
      expect(res.usage).toStrictEqual(expected);
    }
  });
});

describe('secret hygiene', () => {
  const SECRET = 'sk-test-SECRET123';

  it.each(formats)('$name: the API key appears in no cache file, error message or warning', async (format) => {
    const dir = tempDir();
    const warnings: string[] = [];
    const errors: unknown[] = [];
    const server = await serve(format, (body, index) => {
      const text = lastMessageText(body);
      if (text === 'auth') return faults.status(401, `Incorrect API key provided: ${SECRET}. You can find your API key at …`);
      if (text === 'bad') return faults.status(400, `invalid request for key ${SECRET}`);
      if (text === 'flaky' && index % 2 === 0) return faults.rateLimited({ retryAfterMs: 1 });
      if (text === 'down') return faults.serverError(503);
      if (text === 'slow') return faults.hang();
      if (text === 'reset') return faults.reset();
      return { text: `fine: ${text}`, toolCalls: [{ name: 'noop', arguments: { echo: text } }] };
    });
    const common = { apiKey: SECRET, retry: { baseDelayMs: 1, maxDelayMs: 2 }, maxRetries: 1, timeoutMs: 1000, warn: (m: string) => void warnings.push(m) };
    const model = createModel(`${format.spec.split(':')[0]}:unpriced-model-x`, options(server, { ...common, cache: { dir, mode: 'read-write' } }));
    for (const text of ['ok', 'flaky', 'auth', 'bad', 'down', 'slow', 'reset', 'ok']) {
      await model.complete({ system: 'sys', messages: [{ role: 'user', content: text }] }).catch((e: unknown) => errors.push(e));
    }
    const replay = createModel(`${format.spec.split(':')[0]}:unpriced-model-x`, options(server, { ...common, cache: { dir, mode: 'replay' } }));
    await replay.complete({ messages: [{ role: 'user', content: 'never recorded' }] }).catch((e: unknown) => errors.push(e));

    // auth, bad, down, slow, reset and the replay miss (more only if a healthy call timed out on a starved machine)
    expect(errors.length).toBeGreaterThanOrEqual(6);
    expect(warnings.length).toBeGreaterThan(0);
    const texts: string[] = [...warnings];
    for (const e of errors) {
      expect(e).toBeInstanceOf(ProviderError);
      texts.push(formatError(e), inspect(e, { depth: 10 }), JSON.stringify((e as ProviderError).details), String((e as Error).stack));
    }
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) texts.push(readFileSync(join(f.parentPath, f.name), 'utf8'));
    for (const text of texts) expect(text).not.toContain(SECRET);
    // the echoed key was redacted, not dropped along with the provider's message
    expect(texts.some((t) => t.includes('Incorrect API key provided: [redacted]'))).toBe(true);
  });
});
