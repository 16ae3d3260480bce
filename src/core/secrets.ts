/**
 * One scrubber for the secrets of a run (API keys from flags and the environment, credentials
 * found in base URLs). Everything the harness writes (episode lines, cache files, run.json,
 * summary.json, console output) passes through it, so a key a provider echoes back in a reply
 * never reaches a file or the terminal.
 */

/** Placeholder written instead of a secret. */
export const REDACTED = '[redacted]';

/**
 * Shortest value treated as a secret. Shorter "keys" (`none`, `sk-1`, a local server's
 * placeholder) would mangle ordinary text and protect nothing.
 */
export const MIN_SECRET_LENGTH = 6;

/** Values that are placeholders, not secrets (a local server's dummy key). */
const NOT_SECRETS = new Set(['not-needed', 'EMPTY', 'dummy', 'sk-no-key-required']);

/** Replaces every occurrence of each secret in `text` with `[redacted]`. */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * The set of secret values in play. Register each key (and URL credential) once with
 * {@link SecretScrubber.add}; use {@link SecretScrubber.scrub} on text and
 * {@link SecretScrubber.stringify} for JSON written to disk.
 */
export class SecretScrubber {
  readonly #secrets = new Set<string>();
  // Longest first, so a key that contains another is replaced whole.
  #ordered: string[] = [];

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret; values shorter than {@link MIN_SECRET_LENGTH} and known placeholders are ignored. */
  add(secret: string | undefined): this {
    if (secret === undefined) return this;
    const value = secret.trim();
    if (value.length < MIN_SECRET_LENGTH || NOT_SECRETS.has(value) || this.#secrets.has(value)) return this;
    this.#secrets.add(value);
    // The percent-encoded form is how a key travels inside a URL.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.#secrets.add(encoded);
    this.#ordered = [...this.#secrets].sort((a, b) => b.length - a.length);
    return this;
  }

  /** Number of registered secrets (encoded forms included). */
  get size(): number {
    return this.#secrets.size;
  }

  /** `text` with every registered secret replaced by `[redacted]`. */
  scrub(text: string): string {
    return this.#ordered.length === 0 ? text : redactSecrets(text, this.#ordered);
  }

  /**
   * `JSON.stringify(value, null, indent)` with every string value scrubbed (object keys are
   * left alone). Scrubbing values before serialisation keeps the JSON valid whatever the key
   * looks like.
   */
  stringify(value: unknown, indent?: number): string {
    if (this.#ordered.length === 0) return JSON.stringify(value, null, indent);
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? this.scrub(v) : v), indent);
  }

  /** A writer that scrubs what it is given before passing it on (for console streams). */
  wrap(write: (text: string) => void): (text: string) => void {
    return (text) => write(this.scrub(text));
  }
}
