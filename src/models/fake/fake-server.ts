/**
 * Scriptable local HTTP servers (127.0.0.1, random port) speaking LLM wire formats, for tests
 * that drive the real SDK clients. A handler decides, per request, the reply or the fault.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Usage } from '../types.js';

/** A tool call the fake model makes. */
export interface FakeToolCall {
  /** Default `call_<request index>_<position>` (OpenAI) / `toolu_<request index>_<position>` (Anthropic). */
  id?: string;
  name: string;
  /** Arguments as a value (serialised with JSON.stringify). Default `{}`. */
  arguments?: unknown;
  /** OpenAI format only: argument text sent verbatim, e.g. malformed JSON. Wins over `arguments`. */
  rawArguments?: string;
}

/** A successful reply. */
export interface FakeReply {
  /** Reply text. Default: none when tool calls are given, else `""`. */
  text?: string | null;
  toolCalls?: FakeToolCall[];
  /**
   * Structured output: OpenAI sends it as JSON text; Anthropic as the input of the tool the
   * request forces (`tool_choice: {type:'tool'}`), as the model layer expects.
   */
  structured?: unknown;
  /** Usage in normalised buckets, converted to the wire format. Default: a deterministic estimate. */
  usage?: Usage;
  /** Usage object sent verbatim (wins over `usage`); `null` sends none. */
  rawUsage?: unknown;
  /** Wire finish reason. Default: `tool_calls`/`tool_use` with tool calls, else `stop`/`end_turn`. */
  finishReason?: string;
  /** Wait this long before answering, ms. */
  delayMs?: number;
  /** Request id header value. Default `req_<index>`. */
  requestId?: string;
  headers?: Record<string, string>;
}

/** A failure the server produces instead of a reply. */
export type FakeFault =
  /** An HTTP error status with the provider's error body (or `body` verbatim). */
  | { fault: 'status'; status: number; message?: string; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  /** Never answers (the client's timeout fires). */
  | { fault: 'hang' }
  /** Destroys the connection without an answer (connection reset). */
  | { fault: 'reset'; delayMs?: number }
  /** Sends `body` as-is with `status` (e.g. HTML from a proxy). */
  | { fault: 'raw'; status: number; body: string; headers?: Record<string, string> };

/** What a handler returns. */
export type FakeResponse = FakeReply | FakeFault;

/** A request the server received. */
export interface RecordedRequest {
  /** 0-based, in arrival order, over all requests to the model endpoint. */
  index: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** Decides the answer to one request. `index` is the 0-based arrival index. */
export type FakeHandler = (body: Record<string, unknown>, index: number, request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/** Shorthands for common faults. */
export const faults = {
  /** 429 with `retry-after-ms` (default 1) or, when `retryAfterS` is given, `retry-after` in seconds. */
  rateLimited(options: { retryAfterMs?: number; retryAfterS?: number } = {}): FakeFault {
    const headers: Record<string, string> =
      options.retryAfterS !== undefined ? { 'retry-after': String(options.retryAfterS) } : { 'retry-after-ms': String(options.retryAfterMs ?? 1) };
    return { fault: 'status', status: 429, message: 'Rate limit reached', headers };
  },
  /** A 5xx (default 500). */
  serverError(status = 500): FakeFault {
    return { fault: 'status', status, message: 'The server had an error' };
  },
  /** Any status with an error message. */
  status(status: number, message = `error ${status}`, headers: Record<string, string> = {}): FakeFault {
    return { fault: 'status', status, message, headers };
  },
  hang(): FakeFault {
    return { fault: 'hang' };
  },
  reset(): FakeFault {
    return { fault: 'reset' };
  },
};

/** True when a handler result is a fault. */
export function isFault(response: FakeResponse): response is FakeFault {
  return 'fault' in response;
}

/** Text of the last message of a request body (string content or the text blocks), `''` if none. */
export function lastMessageText(body: Record<string, unknown>): string {
  const messages = body['messages'];
  if (!Array.isArray(messages) || messages.length === 0) return '';
  const content = (messages.at(-1) as { content?: unknown }).content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block: unknown) => {
      const b = block as { type?: unknown; text?: unknown; content?: unknown };
      if (typeof b.text === 'string') return b.text;
      if (typeof b.content === 'string') return b.content;
      return '';
    })
    .join('');
}

/** The fake servers' default handler: echoes the last message as `echo: <text>`. */
export const echoHandler: FakeHandler = (body) => ({ text: `echo: ${lastMessageText(body)}` });

/** A deterministic token estimate (4 characters per token, at least 1). */
export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}

/** What a wire format renders for a reply or an error. */
export interface Rendered {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Base of the fake servers; subclasses render one wire format. */
export abstract class FakeLlmServer {
  /** Every request received on the model endpoint, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  readonly #handler: FakeHandler;
  readonly #server: Server;
  readonly #timers = new Set<NodeJS.Timeout>();
  #origin = '';

  /** Path of the model endpoint, e.g. `/v1/chat/completions`. */
  protected abstract readonly endpoint: string;
  /** Renders a reply in the wire format. */
  protected abstract renderReply(reply: FakeReply, body: Record<string, unknown>, index: number): Rendered;
  /** Renders an error body in the wire format. */
  protected abstract renderError(status: number, message: string): unknown;
  /** Name of the request-id response header. */
  protected abstract readonly requestIdHeader: string;

  constructor(handler: FakeHandler) {
    this.#handler = handler;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** Number of requests received on the model endpoint. */
  get requestCount(): number {
    return this.requests.length;
  }

  /** `http://127.0.0.1:<port>`. */
  get origin(): string {
    if (this.#origin === '') throw new Error('fake server not started');
    return this.#origin;
  }

  /** The base URL to give the SDK client. */
  abstract get url(): string;

  /** Starts listening on 127.0.0.1 on a random free port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.#server.address() as AddressInfo;
    this.#origin = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Stops the server, dropping open connections (hanging requests included). */
  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #wait(ms: number | undefined): Promise<void> {
    if (ms === undefined || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'POST' || path !== this.endpoint) {
      this.#send(res, { status: 404, headers: {}, body: this.renderError(404, `no route ${req.method} ${path}`) });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      this.#send(res, { status: 400, headers: {}, body: this.renderError(400, 'request body is not JSON') });
      return;
    }
    const index = this.requests.length;
    const recorded: RecordedRequest = { index, method: req.method, path, headers: req.headers, body };
    this.requests.push(recorded);
    let response: FakeResponse;
    try {
      response = await this.#handler(body, index, recorded);
    } catch (err) {
      this.#send(res, { status: 500, headers: {}, body: this.renderError(500, `fake handler threw: ${(err as Error).message}`) });
      return;
    }
    if (!isFault(response)) {
      await this.#wait(response.delayMs);
      const rendered = this.renderReply(response, body, index);
      rendered.headers[this.requestIdHeader] = response.requestId ?? `req_${index}`;
      Object.assign(rendered.headers, response.headers);
      this.#send(res, rendered);
      return;
    }
    switch (response.fault) {
      case 'hang':
        return;
      case 'reset':
        await this.#wait(response.delayMs);
        req.socket.destroy();
        return;
      case 'raw':
        res.writeHead(response.status, { 'content-type': 'text/html', ...response.headers });
        res.end(response.body);
        return;
      case 'status':
        await this.#wait(response.delayMs);
        this.#send(res, {
          status: response.status,
          headers: { [this.requestIdHeader]: `req_${index}`, ...response.headers },
          body: response.body ?? this.renderError(response.status, response.message ?? `error ${response.status}`),
        });
        return;
    }
  }

  #send(res: ServerResponse, rendered: Rendered): void {
    if (res.destroyed) return;
    const text = JSON.stringify(rendered.body);
    res.writeHead(rendered.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...rendered.headers });
    res.end(text);
  }
}
