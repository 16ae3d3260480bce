/**
 * Turns an SDK failure into a {@link ProviderError} whose message is built only from the HTTP
 * status and the provider's own error message (never from request options, so never from keys).
 */
import { ProviderError } from '../core/errors.js';
import { redact } from './redact.js';

/** An SDK failure, classified by the provider adapter. */
export interface SdkFailure {
  kind: 'http' | 'timeout' | 'connection' | 'aborted' | 'invalid_response';
  status?: number;
  headers?: Headers;
  /** The provider's error message from the response body, if any. */
  providerMessage?: string;
  /** Provider error type (e.g. `rate_limit_error`). */
  providerType?: string;
  requestId?: string;
  /** Message of an underlying cause (e.g. `ECONNRESET`), for connection errors. */
  causeMessage?: string;
  timeoutMs?: number;
}

/** Context for {@link toProviderError}. */
export interface ProviderErrorContext {
  /** Model spec shown in the message, e.g. `openai:gpt-4o`. */
  model: string;
  /** Secrets to scrub from every string that goes into the error. */
  secrets: readonly (string | undefined)[];
  /** Wall clock (epoch ms), for `Retry-After` HTTP dates. */
  wallNow: () => number;
}

const MAX_PROVIDER_MESSAGE = 300;

/**
 * Delay a server asked for, in ms: `retry-after-ms`, then `retry-after` (seconds or HTTP date).
 * Returns `undefined` when neither header is present or parseable.
 */
export function parseRetryAfter(headers: Headers | undefined, wallNow: () => number): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (after !== null && after.trim() !== '') {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - wallNow());
  }
  return undefined;
}

/** Whether an HTTP status is worth retrying: 408, 409, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Builds the ProviderError for a classified SDK failure. */
export function toProviderError(failure: SdkFailure, context: ProviderErrorContext): ProviderError {
  const clean = (text: string): string => {
    const scrubbed = redact(text, context.secrets);
    return scrubbed.length > MAX_PROVIDER_MESSAGE ? `${scrubbed.slice(0, MAX_PROVIDER_MESSAGE)}…` : scrubbed;
  };
  const details: Record<string, unknown> = { kind: failure.kind };
  let message: string;
  let retryable: boolean;
  let code: 'provider_error' | 'provider_auth' = 'provider_error';
  switch (failure.kind) {
    case 'http': {
      const status = failure.status ?? 0;
      details['status'] = status;
      if (failure.providerType !== undefined) details['providerType'] = clean(failure.providerType);
      const retryAfterMs = parseRetryAfter(failure.headers, context.wallNow);
      if (retryAfterMs !== undefined) details['retryAfterMs'] = retryAfterMs;
      const shouldRetry = failure.headers?.get('x-should-retry');
      retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : isRetryableStatus(status);
      if (status === 401 || status === 403) code = 'provider_auth';
      const what = failure.providerMessage === undefined ? '' : `: ${clean(failure.providerMessage)}`;
      message = `${context.model}: HTTP ${status}${what}`;
      break;
    }
    case 'timeout':
      retryable = true;
      if (failure.timeoutMs !== undefined) details['timeoutMs'] = failure.timeoutMs;
      message = `${context.model}: request timed out${failure.timeoutMs === undefined ? '' : ` after ${failure.timeoutMs} ms`}`;
      break;
    case 'connection':
      retryable = true;
      message = `${context.model}: connection error${failure.causeMessage === undefined ? '' : `: ${clean(failure.causeMessage)}`}`;
      break;
    case 'aborted':
      retryable = false;
      message = `${context.model}: request aborted`;
      break;
    case 'invalid_response':
      retryable = false;
      message = `${context.model}: unusable response${failure.providerMessage === undefined ? '' : `: ${clean(failure.providerMessage)}`}`;
      break;
  }
  return new ProviderError(message, {
    code,
    retryable,
    details,
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
  });
}

/** Reads `error.message`-like text from an SDK error body (OpenAI `{message}`, Anthropic `{error:{message}}`). */
export function bodyMessage(body: unknown): { message?: string; type?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const inner = typeof b['error'] === 'object' && b['error'] !== null ? (b['error'] as Record<string, unknown>) : undefined;
  const message = typeof b['message'] === 'string' ? b['message'] : typeof inner?.['message'] === 'string' ? inner['message'] : undefined;
  const type = typeof b['type'] === 'string' && b['type'] !== 'error' ? b['type'] : typeof inner?.['type'] === 'string' ? inner['type'] : undefined;
  return { ...(message === undefined ? {} : { message }), ...(type === undefined ? {} : { type }) };
}

/** Innermost cause message of an error chain (e.g. the `ECONNRESET` under a fetch TypeError). */
export function causeMessage(err: unknown): string | undefined {
  let current: unknown = err;
  let message: string | undefined;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    message = typeof code === 'string' ? `${current.message} (${code})` : current.message;
    current = current.cause;
  }
  return message;
}
