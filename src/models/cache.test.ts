import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../core/errors.js';
import { CACHE_FORMAT_VERSION, ResponseCache, withCache, type CacheMode } from './cache.js';
import { normalizeRequest, requestKey } from './request-hash.js';
import type { ChatModel, ChatRequest, ChatResponse } from './types.js';

const identity = { provider: 'openai', model: 'gpt-4o', baseUrl: 'http://127.0.0.1:1/v1' };
const request: ChatRequest = { system: 's', messages: [{ role: 'user', content: 'What is the status of order #W123?' }] };

function response(text: string | null, extra: Partial<ChatResponse> = {}): ChatResponse {
  return { text, toolCalls: [], finishReason: 'stop', usage: { input: 10, cacheRead: 0, output: 3 }, latencyMs: 12.5, costUsd: null, requestId: 'req_1', retries: 0, retryWaitMs: 0, model: 'openai:gpt-4o', ...extra };
}

/** A stub model that answers from a script and counts calls. */
function stub(answer: (call: number) => ChatResponse | Error | Promise<ChatResponse>): ChatModel & { calls: number } {
  const model = {
    id: 'openai:gpt-4o',
    calls: 0,
    async complete(): Promise<ChatResponse> {
      const result = await answer(model.calls++);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return model;
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'llm-cache-'));
const cached = (inner: ChatModel, dir: string, mode: CacheMode) => withCache(inner, { dir, mode, identity });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('withCache', () => {
  it('read-write: stores on a miss under <dir>/<2 hex>/<key>.json and serves the hit with cached: true', async () => {
    const dir = tempDir();
    const inner = stub(() => response('shipped', { retries: 2, retryWaitMs: 30, costUsd: 0.5 }));
    const model = cached(inner, dir, 'read-write');
    const first = await model.complete(request);
    const second = await model.complete({ ...request, privileged: { task: 'ignored' } });
    expect(inner.calls).toBe(1);
    expect(first.cached).toBeUndefined();
    expect(second).toStrictEqual({ ...response('shipped'), costUsd: null, cached: true, retries: 0, retryWaitMs: 0 });
    const key = requestKey(identity, request);
    const path = join(dir, key.slice(0, 2), `${key}.json`);
    expect(filesUnder(dir)).toEqual([path]);
    const entry = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(entry['version']).toBe(CACHE_FORMAT_VERSION);
    expect(entry['key']).toBe(key);
    expect(entry['request']).toEqual(normalizeRequest(identity, request));
    expect(entry['response']).not.toHaveProperty('costUsd');
    expect(entry['response']).not.toHaveProperty('retries');
  });

  it('keys on the trial index, so trials do not collapse', async () => {
    const dir = tempDir();
    const inner = stub((n) => response(`answer ${n}`));
    const model = cached(inner, dir, 'read-write');
    expect((await model.complete({ ...request, trial: 0 })).text).toBe('answer 0');
    expect((await model.complete({ ...request, trial: 1 })).text).toBe('answer 1');
    expect((await model.complete({ ...request, trial: 1 })).text).toBe('answer 1');
    expect(inner.calls).toBe(2);
  });

  it('round-trips tool calls, including a parse error with arguments undefined', async () => {
    const dir = tempDir();
    const fresh = response(null, {
      finishReason: 'tool_calls',
      toolCalls: [
        { id: 'a', name: 'f', rawArguments: '{"x":1}', arguments: { x: 1 } },
        { id: 'b', name: 'f', rawArguments: '{"x":', arguments: undefined, parseError: 'invalid JSON' },
      ],
    });
    const inner = stub(() => fresh);
    const model = cached(inner, dir, 'read-write');
    await model.complete(request);
    const hit = await model.complete(request);
    expect(hit).toStrictEqual({ ...fresh, cached: true });
  });

  it('replay: a miss throws cache_miss naming the model, key and last message, without calling the provider', async () => {
    const dir = tempDir();
    const inner = stub(() => response('x'));
    const err = (await cached(inner, dir, 'replay').complete(request).catch((e: unknown) => e)) as ProviderError;
    const key = requestKey(identity, request);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.code).toBe('cache_miss');
    expect(err.message).toContain('openai:gpt-4o');
    expect(err.message).toContain(key);
    expect(err.message).toContain('user: "What is the status of order #W123?"');
    expect(err.path).toBe(join(dir, key.slice(0, 2), `${key}.json`));
    expect(inner.calls).toBe(0);
  });

  it('record: always calls and overwrites', async () => {
    const dir = tempDir();
    const inner = stub((n) => response(`v${n}`));
    await cached(inner, dir, 'record').complete(request);
    await cached(inner, dir, 'record').complete(request);
    expect(inner.calls).toBe(2);
    expect((await cached(inner, dir, 'replay').complete(request)).text).toBe('v1');
  });

  it('never caches errors or empty responses', async () => {
    const dir = tempDir();
    const inner = stub((n) => (n === 0 ? new ProviderError('down', { retryable: true }) : n === 1 ? response('') : n === 2 ? response(null) : response('finally')));
    const model = cached(inner, dir, 'read-write');
    await expect(model.complete(request)).rejects.toThrow('down');
    expect((await model.complete(request)).text).toBe('');
    expect((await model.complete(request)).text).toBeNull();
    expect(filesUnder(dir)).toEqual([]);
    expect((await model.complete(request)).text).toBe('finally');
    expect((await model.complete(request)).text).toBe('finally');
    expect(inner.calls).toBe(4);
  });

  it('single-flight: identical concurrent requests go out once', async () => {
    const dir = tempDir();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = stub(async () => {
      await gate;
      return response('once');
    });
    const model = cached(inner, dir, 'read-write');
    const pending = Array.from({ length: 6 }, () => model.complete(request));
    await new Promise((r) => setTimeout(r, 20));
    release();
    const results = await Promise.all(pending);
    expect(inner.calls).toBe(1);
    expect(results.map((r) => r.text)).toEqual(Array(6).fill('once'));
    expect(results.filter((r) => r.cached === true)).toHaveLength(5);
  });

  it('treats a corrupt file as a miss in read-write (and rewrites it) and names it in replay', async () => {
    const dir = tempDir();
    const cache = new ResponseCache(dir);
    const path = cache.pathOf(requestKey(identity, request));
    await mkdir(dirname(path), { recursive: true });
    writeFileSync(path, '{"version": 1, "key": "trunc');
    const err = (await cached(stub(() => response('x')), dir, 'replay').complete(request).catch((e: unknown) => e)) as ProviderError;
    expect(err.code).toBe('cache_miss');
    expect(err.message).toMatch(/corrupt: not JSON/);
    const inner = stub(() => response('fixed'));
    expect((await cached(inner, dir, 'read-write').complete(request)).text).toBe('fixed');
    expect((await cached(inner, dir, 'replay').complete(request)).text).toBe('fixed');
  });

  it("detects a file holding another request's response under a key as corrupt (read-write refetches, replay names it)", async () => {
    const dir = tempDir();
    const other: ChatRequest = { system: 's', messages: [{ role: 'user', content: 'Cancel order #W999, please.' }] };
    // Record the other request's answer, then move its file under this request's key (its own
    // `key` field rewritten too, so only the stored request can tell).
    await cached(stub(() => response('cancelled #W999')), dir, 'read-write').complete(other);
    const cache = new ResponseCache(dir);
    const key = requestKey(identity, request);
    const entry = JSON.parse(readFileSync(cache.pathOf(requestKey(identity, other)), 'utf8')) as Record<string, unknown>;
    await mkdir(dirname(cache.pathOf(key)), { recursive: true });
    writeFileSync(cache.pathOf(key), JSON.stringify({ ...entry, key }));

    const hit = await cache.read(key);
    expect(hit).toMatchObject({ corrupt: expect.stringMatching(/stored request hashes to [0-9a-f]{64}, not to its key/) });
    const err = (await cached(stub(() => response('x')), dir, 'replay').complete(request).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.code).toBe('cache_miss');
    expect(err.message).toMatch(/the cache file is corrupt: its stored request hashes to/);
    expect(err.path).toBe(cache.pathOf(key));

    const warnings: string[] = [];
    const inner = stub(() => response('shipped'));
    const model = withCache(inner, { dir, mode: 'read-write', identity, warn: (m) => void warnings.push(m) });
    expect((await model.complete(request)).text).toBe('shipped');
    expect(inner.calls).toBe(1);
    expect(warnings.join('\n')).toMatch(/is corrupt \(its stored request hashes to .*\); requesting it again/);
    // The refetched answer replaced the file; the other request's entry is untouched.
    expect((await cached(stub(() => new Error('no call')), dir, 'replay').complete(request)).text).toBe('shipped');
    expect((await cached(stub(() => new Error('no call')), dir, 'replay').complete(other)).text).toBe('cancelled #W999');
  });

  it('concurrent writers of one key leave one complete file and no temp files', async () => {
    const dir = tempDir();
    const key = requestKey(identity, request);
    const normalized = normalizeRequest(identity, request);
    const big = 'x'.repeat(200_000);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        new ResponseCache(dir).write({ version: CACHE_FORMAT_VERSION, key, request: normalized, response: { ...response(`${i}${big}`), model: 'm' } }),
      ),
    );
    const files = filesUnder(dir);
    expect(files).toHaveLength(1);
    const hit = await new ResponseCache(dir).read(key);
    expect(hit !== undefined && !('corrupt' in hit) && hit.text?.endsWith(big)).toBe(true);
  });

  it('off: passes straight through', async () => {
    const inner = stub(() => response('x'));
    expect(withCache(inner, { dir: tempDir(), mode: 'off', identity })).toBe(inner);
  });
});
