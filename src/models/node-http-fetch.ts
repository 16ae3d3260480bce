/**
 * A minimal `fetch` over node:http / node:https with keep-alive agents, for the provider SDKs'
 * non-streaming JSON calls. It does much less work per request than Node's built-in fetch
 * (undici's full Fetch algorithm), which dominates the harness's CPU per call at high
 * concurrency. Bodies are buffered up to a size cap (a larger body rejects with
 * {@link ResponseTooLargeError} as soon as it passes the cap); abort signals are honoured; network
 * errors reject as `TypeError` like fetch (the SDKs turn them into connection errors and retry).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Default cap on a response body: 8 MiB (a 4096-token reply is a few tens of KB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/**
 * A response body went over the size cap; the transfer was cut off there, so the body was
 * never held whole. The SDKs wrap it as a connection error's `cause`.
 */
export class ResponseTooLargeError extends TypeError {
  readonly limitBytes: number;
  /** The declared `content-length`, when the server sent one. */
  readonly declaredBytes: number | undefined;

  constructor(limitBytes: number, declaredBytes?: number) {
    super(`response body larger than the ${formatBytes(limitBytes)} cap${declaredBytes === undefined ? '' : ` (content-length ${declaredBytes})`}`);
    this.name = 'ResponseTooLargeError';
    this.limitBytes = limitBytes;
    this.declaredBytes = declaredBytes;
  }
}

/** `8 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** Options of {@link createNodeHttpFetch}. */
export interface NodeHttpFetchOptions {
  /** Sockets kept per origin. Default 256. */
  maxSockets?: number;
  /** Largest response body accepted, bytes; a larger one rejects with {@link ResponseTooLargeError}. Default {@link DEFAULT_MAX_RESPONSE_BYTES}. */
  maxResponseBytes?: number;
  /** Keep-alive agents to share with other fetch instances (e.g. the same transport with another cap). Default: new ones. */
  agents?: { http: HttpAgent; https: HttpsAgent };
}

function headerPairs(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  new Headers(headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function responseHeaders(res: IncomingMessage): Headers {
  const h = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) h.append(raw[i] as string, raw[i + 1] as string);
  return h;
}

/** Creates the fetch function (one pair of keep-alive agents per instance). */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const maxSockets = options.maxSockets ?? 256;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const agents = options.agents ?? { http: new HttpAgent({ keepAlive: true, maxSockets }), https: new HttpsAgent({ keepAlive: true, maxSockets }) };
  const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const secure = url.protocol === 'https:';
      if (!secure && url.protocol !== 'http:') {
        reject(new TypeError(`fetch: unsupported protocol ${url.protocol}`));
        return;
      }
      const signal = init.signal ?? undefined;
      if (signal?.aborted === true) {
        reject(signal.reason ?? new DOMException('This operation was aborted', 'AbortError'));
        return;
      }
      const body = init.body;
      if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
        reject(new TypeError('fetch: only string and byte bodies are supported'));
        return;
      }
      const request = secure ? httpsRequest : httpRequest;
      const req = request(url, { method: init.method ?? 'GET', headers: headerPairs(init.headers), agent: secure ? agents.https : agents.http }, (res) => {
        const tooLarge = (declared?: number): void => {
          signal?.removeEventListener('abort', onAbort);
          reject(new ResponseTooLargeError(maxBytes, declared));
          // The connection is dropped: what is left of the body is never read.
          req.destroy();
        };
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          tooLarge(declared);
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (c: Buffer) => {
          received += c.length;
          if (received > maxBytes) {
            chunks.length = 0;
            tooLarge();
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e) => reject(new TypeError(`fetch failed: ${e.message}`, { cause: e })));
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 0;
          const nullBody = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res) }));
        });
      });
      const onAbort = (): void => {
        req.destroy();
        reject(signal?.reason ?? new DOMException('This operation was aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => {
        signal?.removeEventListener('abort', onAbort);
        reject(new TypeError(`fetch failed: ${e.message}`, { cause: e }));
      });
      req.end(body ?? undefined);
    });
  return nodeFetch as typeof fetch;
}

/**
 * Wraps any `fetch` (e.g. Node's built-in one) with the response size cap: a declared
 * `content-length` over the cap, or a body that grows past it while being read, rejects with
 * {@link ResponseTooLargeError} and cancels the rest of the body.
 */
export function capResponseSize(inner: typeof fetch, maxBytes: number = DEFAULT_MAX_RESPONSE_BYTES): typeof fetch {
  const capped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await inner(input, init);
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(maxBytes, declared);
    }
    if (res.body === null) return res;
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new ResponseTooLargeError(maxBytes);
      }
      chunks.push(value);
    }
    return new Response(Buffer.concat(chunks), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return capped as typeof fetch;
}
