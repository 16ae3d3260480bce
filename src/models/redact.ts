/** Removes secrets (API keys) from text that may end up in messages, logs or files. */

/** Shortest secret worth redacting; shorter "keys" (e.g. `none`) would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;

/** Replaces every occurrence of each secret in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join('[redacted]');
  }
  return out;
}

/**
 * A base URL safe to store and show: user info, query and fragment removed, no trailing slash.
 * Unparseable input is returned without anything after `?` or `#`.
 */
export function sanitizeBaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  }
}
