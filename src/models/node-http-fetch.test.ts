import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { capResponseSize, createNodeHttpFetch, DEFAULT_MAX_RESPONSE_BYTES, ResponseTooLargeError } from './node-http-fetch.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server === undefined ? r() : server.close(() => r())));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

describe('node:http fetch', () => {
  it('sends method, headers and body; returns status, headers and body like fetch', async () => {
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req_7', 'set-cookie': ['a=1', 'b=2'] });
        res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization, body }));
      });
    });
    const f = createNodeHttpFetch();
    const res = await f(`${url}/v1/chat`, { method: 'POST', headers: { Authorization: 'Bearer k', 'content-type': 'application/json' }, body: '{"x":1}' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('req_7');
    expect(await res.json()).toEqual({ method: 'POST', auth: 'Bearer k', body: '{"x":1}' });
  });

  it('rejects with the abort reason when aborted, and with a TypeError when nothing listens', async () => {
    const url = await serve(() => {
      /* never answers */
    });
    const f = createNodeHttpFetch();
    const ac = new AbortController();
    const pending = f(url, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stop now')), 20);
    await expect(pending).rejects.toThrow('stop now');
    await expect(f('http://127.0.0.1:1/')).rejects.toThrow(TypeError);
  });

  it('cuts a body off at the size cap: by content-length before reading, or while a chunked body arrives', async () => {
    let written = 0;
    const url = await serve((req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': String(10_000) });
        res.end('x'.repeat(10_000));
        return;
      }
      // chunked, no content-length: keeps sending until the client hangs up
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => {
        if (res.destroyed || written > 1_000_000) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write('y'.repeat(1000));
        written += 1000;
      }, 1);
    });
    const f = createNodeHttpFetch({ maxResponseBytes: 4096 });
    const declared = await f(`${url}/declared`).catch((e: unknown) => e);
    expect(declared).toBeInstanceOf(ResponseTooLargeError);
    expect((declared as ResponseTooLargeError).message).toBe('response body larger than the 4 KiB cap (content-length 10000)');
    const streamed = await f(`${url}/stream`).catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(ResponseTooLargeError);
    expect((streamed as ResponseTooLargeError).limitBytes).toBe(4096);
    // the client hung up long before the server's million bytes
    expect(written).toBeLessThan(1_000_000);
    const ok = await createNodeHttpFetch({ maxResponseBytes: 10_000 })(`${url}/declared`);
    expect((await ok.text()).length).toBe(10_000);
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(8 * 1024 * 1024);
  });

  it('capResponseSize puts the same cap on any fetch', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200);
        res.end('z'.repeat(5000));
      } else res.writeHead(204).end();
    });
    const f = capResponseSize(globalThis.fetch, 1024);
    await expect(f(`${url}/big`)).rejects.toThrow(ResponseTooLargeError);
    expect((await f(`${url}/empty`)).status).toBe(204);
    expect(await (await capResponseSize(globalThis.fetch, 5000)(`${url}/big`)).text()).toHaveLength(5000);
  });
});
