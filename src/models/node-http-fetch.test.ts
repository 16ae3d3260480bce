import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from './node-http-fetch.js';

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
});
