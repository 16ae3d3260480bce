/**
 * Turns an SDK failure into a {@link ProviderError} whose message is built only from the HTTP
 * status and the provider's own error message (never from request options, so never from keys).
 */
import { ProviderError, type ProviderErrorCode } from '../core/errors.js';
import { formatBytes, ResponseTooLargeError } from './node-http-fetch.js';
import { redact, sanitizeBaseUrl, urlCredentials } from './redact.js';

/** An SDK failure, classified by the provider adapter. */
export interface SdkFailure {
  kind: 'http' | 'timeout' | 'connection' | 'aborted' | 'invalid_response' | 'too_large';
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
  /** The response size cap that was exceeded (`too_large`). */
  limitBytes?: number;
}

/** Context for {@link toProviderError}. */
export interface ProviderErrorContext {
  /** Model spec shown in the message, e.g. `openai:gpt-4o`. */
  model: string;
  /** Endpoint shown in the message, without credentials (see `sanitizeBaseUrl`). */
  endpoint?: string;
  /** Secrets to scrub from every string that goes into the error. */
  secrets: readonly (string | undefined)[];
  /** Wall clock (epoch ms), for `Retry-After` HTTP dates. */
  wallNow: () => number;
}

/**
 * The error context of a provider adapter for model `model` at `baseUrl`: the endpoint without
 * credentials, and the API key and any credentials in the URL as secrets.
 */
export function endpointErrorContext(model: string, baseUrl: string, apiKey: string, wallNow: () => number): ProviderErrorContext {
  return { model, endpoint: sanitizeBaseUrl(baseUrl), secrets: [apiKey, ...urlCredentials(baseUrl)], wallNow };
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

/**
 * Statuses that mean "the provider refused this request as given and will refuse it again":
 * 400 (invalid request, context length exceeded), 413 (request too large), 422 (unprocessable).
 * They become `provider_rejected` errors, which end an episode as an agent-side failure (scored
 * 0, counted) rather than an infrastructure error that `--resume` would run again for the same
 * answer. 401/403 (`provider_auth`) and 404 (wrong model name or URL) are configuration
 * problems of the whole run, not of one conversation: they stay infrastructure errors, and the
 * run stops after a few in a row.
 */
export function isRejectionStatus(status: number): boolean {
  return status === 400 || status === 413 || status === 422;
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
  let code: ProviderErrorCode = 'provider_error';
  const who = context.endpoint === undefined ? context.model : `${context.model} at ${context.endpoint}`;
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
      else if (isRejectionStatus(status) && !retryable) code = 'provider_rejected';
      const what = failure.providerMessage === undefined ? '' : `: ${clean(failure.providerMessage)}`;
      message = `${who}: HTTP ${status}${what}`;
      break;
    }
    case 'timeout':
      retryable = true;
      if (failure.timeoutMs !== undefined) details['timeoutMs'] = failure.timeoutMs;
      message = `${who}: request timed out${failure.timeoutMs === undefined ? '' : ` after ${failure.timeoutMs} ms`}`;
      break;
    case 'connection':
      retryable = true;
      message = `${who}: connection error${failure.causeMessage === undefined ? '' : `: ${clean(failure.causeMessage)}`}`;
      break;
    case 'aborted':
      retryable = false;
      message = `${who}: request aborted`;
      break;
    case 'invalid_response':
      retryable = false;
      message = `${who}: unusable response${failure.providerMessage === undefined ? '' : `: ${clean(failure.providerMessage)}`}`;
      break;
    case 'too_large':
      // Not retried: the cap is far above any real reply (a 4096-token answer is tens of KB),
      // so a body past it comes from a broken endpoint or proxy, and asking again downloads up
      // to the cap again. Not an agent-side failure either (the conversation did not cause it):
      // it stays an infrastructure error, which `--resume` reruns once the endpoint is fixed or
      // `--max-response-bytes` is raised, instead of a 0 that would be counted for ever.
      retryable = false;
      if (failure.limitBytes !== undefined) details['limitBytes'] = failure.limitBytes;
      details['kind'] = 'response_too_large';
      message = `${who}: response larger than the ${failure.limitBytes === undefined ? 'size' : formatBytes(failure.limitBytes)} cap; the rest was not read (raise it with --max-response-bytes)`;
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

/** The {@link ResponseTooLargeError} in an error's cause chain, if any. */
export function tooLargeCause(err: unknown): ResponseTooLargeError | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof ResponseTooLargeError) return current;
    current = current.cause;
  }
  return undefined;
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
