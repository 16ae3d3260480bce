/**
 * Record/replay cache of chat responses on disk, `<dir>/<key[0..2]>/<key>.json`, written
 * atomically (temp file + rename). Identical in-flight requests go out once (single-flight).
 * Errors and empty responses are never stored.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ProviderError } from '../core/errors.js';
import type { SecretScrubber } from '../core/secrets.js';
import { hashNormalized, lastMessagePreview, normalizeRequest, type NormalizedRequest, type RequestIdentity } from './request-hash.js';
import type { ChatModel, ChatRequest, ChatResponse, ToolCall } from './types.js';

/**
 * - `off`: no cache.
 * - `read-write`: serve hits, call and store on a miss.
 * - `replay`: serve hits; a miss is a `cache_miss` ProviderError (no provider call).
 * - `record`: always call the provider and overwrite the entry.
 */
export type CacheMode = 'off' | 'read-write' | 'replay' | 'record';

/** All cache modes, for CLI validation. */
export const CACHE_MODES: readonly CacheMode[] = ['off', 'read-write', 'replay', 'record'];

/** Cache settings. */
export interface CacheOptions {
  /** Cache directory (created on first write). */
  dir: string;
  mode: CacheMode;
}

/** Format version of cache files. */
export const CACHE_FORMAT_VERSION = 1;

/** What a cache file holds. `response` is stored without cost and retry fields. */
export interface CacheEntry {
  version: number;
  key: string;
  request: NormalizedRequest;
  response: StoredResponse;
}

/** The stored part of a response: everything the provider answered, plus the original latency. */
export type StoredResponse = Omit<ChatResponse, 'costUsd' | 'retries' | 'retryWaitMs' | 'cached'>;

const count = z.number().nonnegative().optional();
const storedResponseSchema = z.object({
  text: z.string().nullable(),
  toolCalls: z.array(
    z.object({ id: z.string(), name: z.string(), rawArguments: z.string(), arguments: z.unknown().optional(), parseError: z.string().optional() }),
  ),
  finishReason: z.enum(['stop', 'length', 'tool_calls', 'content_filter', 'other']),
  usage: z.object({ input: count, cacheRead: count, cacheWrite: count, output: count, reasoning: count }),
  latencyMs: z.number(),
  requestId: z.string().optional(),
  model: z.string(),
});
const entrySchema = z.object({ version: z.literal(CACHE_FORMAT_VERSION), key: z.string(), request: z.record(z.string(), z.unknown()), response: storedResponseSchema });

/** True when a response has neither text nor tool calls (such responses are never cached). */
export function isEmptyResponse(response: Pick<ChatResponse, 'text' | 'toolCalls'>): boolean {
  return (response.text === null || response.text === '') && response.toolCalls.length === 0;
}

/** Reads and writes cache entries under one directory. */
export class ResponseCache {
  readonly dir: string;

  /** Scrubs secrets (API keys echoed in a reply) from every string written; default none. */
  readonly #secrets: SecretScrubber | undefined;

  constructor(dir: string, secrets?: SecretScrubber) {
    this.#secrets = secrets;
    this.dir = resolve(dir);
  }

  /** File path of an entry. */
  pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /**
   * Reads an entry's response. `undefined` when the file does not exist; `{ corrupt }` when it
   * exists but cannot be used (bad JSON, wrong shape or version, key mismatch, or a stored request
   * that does not hash to the key: the file holds another request's response).
   */
  async read(key: string): Promise<StoredResponse | { corrupt: string } | undefined> {
    let text: string;
    try {
      text = await readFile(this.pathOf(key), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return { corrupt: (err as Error).message };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return { corrupt: `not JSON: ${(err as Error).message}` };
    }
    const parsed = entrySchema.safeParse(json);
    if (!parsed.success) return { corrupt: `wrong shape: ${z.prettifyError(parsed.error)}` };
    if (parsed.data.key !== key) return { corrupt: `file holds key ${parsed.data.key}` };
    const stored = (json as CacheEntry).response;
    const rehashed = hashNormalized((json as CacheEntry).request);
    if (rehashed !== key) return { corrupt: `its stored request hashes to ${rehashed}, not to its key (the response belongs to another request)` };
    // JSON drops `arguments: undefined`; restore the key so hits equal fresh responses.
    const toolCalls = stored.toolCalls.map((call: Partial<ToolCall>) => ('arguments' in call ? call : { ...call, arguments: undefined }) as ToolCall);
    return { ...stored, toolCalls };
  }

  /** Writes an entry atomically: a unique temp file in the same directory, then rename. */
  async write(entry: CacheEntry): Promise<void> {
    const path = this.pathOf(entry.key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, `${this.#secrets === undefined ? JSON.stringify(entry, null, 2) : this.#secrets.stringify(entry, 2)}\n`, 'utf8');
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

/** Calls in flight, by `<dir>\0<key>`, shared by every cache wrapper of the process. */
const inFlight = new Map<string, Promise<ChatResponse>>();

function toStored(response: ChatResponse): StoredResponse {
  const { costUsd: _cost, retries: _retries, retryWaitMs: _wait, cached: _cached, ...stored } = response;
  return stored;
}

function fromStored(stored: StoredResponse): ChatResponse {
  return { ...stored, costUsd: null, retries: 0, retryWaitMs: 0, cached: true };
}

/** Options of {@link withCache}. */
export interface WithCacheOptions extends CacheOptions {
  /** Endpoint identity that goes into the key. */
  identity: RequestIdentity;
  /** Called when a cache write fails (the call itself still succeeds). Default: ignore. */
  warn?: (message: string) => void;
  /** Secrets scrubbed from the stored request and response. Default: none. */
  secrets?: SecretScrubber;
}

/**
 * Wraps a model with the record/replay cache. Hits come back with `cached: true`, `retries: 0`,
 * the original latency, usage and request id, and `costUsd: null` (pricing is applied by an
 * outer layer). Concurrent identical requests share one provider call; the followers' copies
 * are marked `cached: true` too, since they cost nothing extra.
 */
export function withCache(model: ChatModel, options: WithCacheOptions): ChatModel {
  if (options.mode === 'off') return model;
  const cache = new ResponseCache(options.dir, options.secrets);
  const { mode, identity } = options;

  const fetchAndStore = async (key: string, normalized: NormalizedRequest, request: ChatRequest, signal?: AbortSignal): Promise<ChatResponse> => {
    const response = await model.complete(request, signal === undefined ? undefined : { signal });
    if (!isEmptyResponse(response)) {
      try {
        await cache.write({ version: CACHE_FORMAT_VERSION, key, request: normalized, response: toStored(response) });
      } catch (err) {
        options.warn?.(`cache: could not write ${cache.pathOf(key)}: ${(err as Error).message}`);
      }
    }
    return response;
  };

  return {
    id: model.id,
    ...(model.simulated === undefined ? {} : { simulated: model.simulated }),
    async complete(request: ChatRequest, callOptions?: { signal?: AbortSignal }): Promise<ChatResponse> {
      const normalized = normalizeRequest(identity, request);
      const key = hashNormalized(normalized);
      const flightKey = `${cache.dir}\0${key}`;
      const pending = inFlight.get(flightKey);
      if (pending !== undefined) return { ...(await pending), cached: true, retries: 0, retryWaitMs: 0 };

      let corrupt: string | undefined;
      if (mode !== 'record') {
        const hit = await cache.read(key);
        if (hit !== undefined && !('corrupt' in hit)) return fromStored(hit);
        corrupt = hit?.corrupt;
        if (corrupt !== undefined && mode === 'read-write') options.warn?.(`cache: ${cache.pathOf(key)} is corrupt (${corrupt}); requesting it again`);
        // Another caller may have started the same request while we were reading.
        const raced = inFlight.get(flightKey);
        if (raced !== undefined) return { ...(await raced), cached: true, retries: 0, retryWaitMs: 0 };
      }
      if (mode === 'replay') {
        throw new ProviderError(
          `replay cache has no response for ${model.id} request ${key} (last message ${lastMessagePreview(request)})` +
            `${corrupt === undefined ? '' : `; the cache file is corrupt: ${corrupt}`}; run with cache mode "read-write" or "record" to record it`,
          { code: 'cache_miss', path: cache.pathOf(key), details: { key, model: model.id, dir: cache.dir } },
        );
      }
      const flight = fetchAndStore(key, normalized, request, callOptions?.signal);
      inFlight.set(flightKey, flight);
      try {
        return await flight;
      } finally {
        inFlight.delete(flightKey);
      }
    },
  };
}
