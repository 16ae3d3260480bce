/**
 * One error root for the whole harness. Errors carry data (`code`, optional `path`,
 * free-form `details`); turning them into text for people is done by {@link formatError}.
 */

/** Machine-readable error codes. Add new codes here rather than inventing strings at throw sites. */
export type ErrorCode =
  | 'data_invalid'
  | 'data_not_found'
  | 'task_invalid'
  | 'config_invalid'
  | 'tool_unknown'
  | 'tool_args_invalid'
  | 'provider_error'
  | 'provider_auth'
  | 'provider_rejected'
  | 'cache_miss'
  | 'blueprint_invalid'
  | 'blueprint_determinism'
  | 'replay_divergence'
  | 'episode_error'
  | 'usage_error'
  | 'internal';

/** Options common to every harness error. */
export interface HarnessErrorOptions {
  /** Where the problem is: a file, a JSON path, a task id, a request key. */
  path?: string;
  /** Structured extra data, safe to serialise (never put secrets here). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** Root of every error this package throws on purpose. */
export class HarnessError extends Error {
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: HarnessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.path = options.path;
    this.details = options.details;
  }
}

/** A data file (database table, task file, policy) is missing or malformed. */
export class DataError extends HarnessError {
  constructor(message: string, options: HarnessErrorOptions & { code?: 'data_invalid' | 'data_not_found' | 'task_invalid' } = {}) {
    super(options.code ?? 'data_invalid', message, options);
  }
}

/** A configuration or command-line problem found before any work starts. */
export class ConfigError extends HarnessError {
  constructor(message: string, options: HarnessErrorOptions = {}) {
    super('config_invalid', message, options);
  }
}

/** A command-line usage mistake (unknown flag, missing value). */
export class UsageError extends HarnessError {
  constructor(message: string, options: HarnessErrorOptions = {}) {
    super('usage_error', message, options);
  }
}

/**
 * Codes of {@link ProviderError}: `provider_auth` (401/403, missing key), `provider_rejected`
 * (the provider refused the request as given and would refuse it again: 400, 413, 422 such as
 * "context length exceeded"; an agent-side failure), `cache_miss` (replay), `provider_error`.
 */
export type ProviderErrorCode = 'provider_error' | 'provider_auth' | 'provider_rejected' | 'cache_miss';

/** An LLM provider failed in a way retries did not fix, or answered something unusable. */
export class ProviderError extends HarnessError {
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;

  constructor(
    message: string,
    options: HarnessErrorOptions & { status?: number; requestId?: string; retryable?: boolean; code?: ProviderErrorCode } = {},
  ) {
    super(options.code ?? 'provider_error', message, options);
    this.status = options.status;
    this.requestId = options.requestId;
    this.retryable = options.retryable ?? false;
  }
}

/** One problem found while validating a blueprint. */
export interface BlueprintIssue {
  code: 'unknown_tool' | 'unapproved_tool' | 'schema_mismatch' | 'unreachable_node' | 'unknown_node' | 'duplicate_node' | 'no_end' | 'unbounded_loop' | 'invalid';
  /** Node id or route that the issue is about. */
  path: string;
  message: string;
}

/** A blueprint failed validation; `issues` lists every problem found, not just the first. */
export class BlueprintValidationError extends HarnessError {
  readonly issues: BlueprintIssue[];

  constructor(blueprint: string, issues: BlueprintIssue[]) {
    super('blueprint_invalid', `blueprint "${blueprint}" is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'})`, {
      path: blueprint,
      details: { issues },
    });
    this.issues = issues;
  }
}

/** Replaying a run from its log diverged from the log. */
export class ReplayDivergenceError extends HarnessError {
  readonly step: number;
  readonly expected: unknown;
  readonly actual: unknown;

  constructor(message: string, step: number, expected: unknown, actual: unknown, path?: string) {
    super('replay_divergence', message, { ...(path === undefined ? {} : { path }), details: { step, expected, actual } });
    this.step = step;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Formats any thrown value for a person: code, message, where, and the blueprint issues if any. */
export function formatError(err: unknown): string {
  if (err instanceof HarnessError) {
    const where = err.path === undefined ? '' : ` (at ${err.path})`;
    let text = `${err.name} [${err.code}]: ${err.message}${where}`;
    if (err instanceof BlueprintValidationError) {
      text += err.issues.map((i) => `\n  - ${i.code} at ${i.path}: ${i.message}`).join('');
    }
    return text;
  }
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
