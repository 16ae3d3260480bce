/**
 * Removes secrets from what the harness writes: API keys from text (messages, logs, files) and
 * credentials from URLs. {@link sanitizeBaseUrl} is the one function for every URL written
 * anywhere (run.json, summary.json, episode records, cache files, console).
 */
import { redactSecrets } from '../core/secrets.js';

/** Replaces every occurrence of each secret (6 characters or more) in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  return redactSecrets(text, secrets);
}

/**
 * Query parameter names that carry credentials: `key`, `api-key`, `apikey`, `api_key`, `token`,
 * `access_token`, `sig`, `signature`, `secret`, `password`, `auth`, `X-Amz-Credential`, … (any
 * name containing one of these words). Other parameters (`api-version`) are kept.
 */
export const CREDENTIAL_PARAM = /key|token|secret|sig|pass|pwd|auth|cred|session|bearer|jwt/i;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * A base URL safe to store and show: user info, credential query parameters
 * ({@link CREDENTIAL_PARAM}) and the fragment removed, no trailing slash. Unparseable input is
 * returned without anything after `?` or `#` and without a `user:password@` part.
 * @example sanitizeBaseUrl('https://u:k@h/v1/?api-key=s&api-version=2') // 'https://h/v1?api-version=2'
 */
export function sanitizeBaseUrl(url: string): string {
  const parsed = parse(url);
  if (parsed === undefined || parsed.origin === 'null') return url.replace(/[?#].*$/, '').replace(/\/\/[^/@]*@/, '//').replace(/\/+$/, '');
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  for (const name of [...parsed.searchParams.keys()]) if (CREDENTIAL_PARAM.test(name)) parsed.searchParams.delete(name);
  if ([...parsed.searchParams.keys()].length === 0) parsed.search = '';
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.origin}${path}${parsed.search}`;
}

/**
 * The secret values inside a URL: the user name and password of `user:key@` and the values of
 * credential query parameters (decoded). Register them with the run's secret scrubber.
 */
export function urlCredentials(url: string): string[] {
  const parsed = parse(url);
  if (parsed === undefined) return [];
  const out: string[] = [];
  if (parsed.username !== '') out.push(decodeURIComponent(parsed.username));
  if (parsed.password !== '') out.push(decodeURIComponent(parsed.password));
  for (const [name, value] of parsed.searchParams) if (CREDENTIAL_PARAM.test(name) && value !== '') out.push(value);
  return out;
}

/**
 * Splits a base URL for the SDKs, which append the API path to the base URL as text: the URL
 * without query and fragment (user info kept, so it is still used), and the query parameters,
 * sent with every request (`defaultQuery`). Without the split, `…/v1?api-key=k` would become
 * `…/v1?api-key=k/chat/completions`.
 */
export function splitBaseUrl(url: string): { baseUrl: string; query: Record<string, string> } {
  const parsed = parse(url);
  if (parsed === undefined || (parsed.search === '' && parsed.hash === '')) return { baseUrl: url, query: {} };
  const query = Object.fromEntries(parsed.searchParams);
  parsed.search = '';
  parsed.hash = '';
  return { baseUrl: parsed.toString(), query };
}
