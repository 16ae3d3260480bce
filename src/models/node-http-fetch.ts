/**
 * A minimal `fetch` over node:http / node:https with keep-alive agents, for the provider SDKs'
 * non-streaming JSON calls. It does much less work per request than Node's built-in fetch
 * (undici's full Fetch algorithm), which dominates the harness's CPU per call at high
 * concurrency. Bodies are buffered; abort signals are honoured; network errors reject as
 * `TypeError` like fetch (the SDKs turn them into connection errors and retry).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Options of {@link createNodeHttpFetch}. */
export interface NodeHttpFetchOptions {
  /** Sockets kept per origin. Default 256. */
  maxSockets?: number;
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
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets }), https: new HttpsAgent({ keepAlive: true, maxSockets }) };
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
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
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
