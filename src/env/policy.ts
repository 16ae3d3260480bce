/**
 * The policy text an agent follows (τ-bench's `wiki.md`, τ²'s `policy.md`, or a `--policy` file).
 * Loading is lazy: commands that need no agent (verify) never ask for it, and only
 * {@link requirePolicy} turns a missing policy into an error.
 */
import { ConfigError, DataError } from '../core/errors.js';
import { readTextFile } from '../core/utf8.js';
import { detectTaskSource } from './tasks/source.js';

/** A loaded policy. */
export interface Policy {
  text: string;
  /** The file it came from. */
  file: string;
}

/** Where to look for a policy. */
export interface PolicyOptions {
  /** Explicit policy file (`--policy`); wins over everything else. */
  policyFile?: string;
  /** Data directory in any supported layout (τ-bench checkout → `wiki.md`, τ² dir → `policy.md`). */
  dataDir?: string;
  /** Files tried last, in order (e.g. a built-in suite's own `domains/<d>/policy.md`). */
  fallbacks?: string[];
}

/**
 * Reads a policy file as strict UTF-8.
 * @throws DataError when it cannot be read, is not UTF-8 (naming byte, line and column) or is empty.
 */
function read(file: string): Policy {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read policy file ${file}: ${(e as Error).message}`, { code: 'data_not_found', path: file, cause: e });
  }
  if (text.trim() === '') throw new DataError(`policy file ${file} is empty: an agent needs the policy text it must follow`, { path: file });
  return { text, file };
}

/**
 * Finds the policy for `domain`. An explicit `policyFile` that cannot be read is an error;
 * otherwise returns undefined when no policy is found.
 */
export function findPolicy(domain: string, options: PolicyOptions = {}): Policy | undefined {
  if (options.policyFile !== undefined) return read(options.policyFile);
  if (options.dataDir !== undefined) {
    let file: string | undefined;
    try {
      file = detectTaskSource(options.dataDir, domain).policyFile;
    } catch {
      file = undefined;
    }
    if (file !== undefined) return read(file);
  }
  for (const f of options.fallbacks ?? []) {
    try {
      return read(f);
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** Like {@link findPolicy} but a missing policy is a {@link ConfigError} saying how to supply one. */
export function requirePolicy(domain: string, options: PolicyOptions = {}): Policy {
  const p = findPolicy(domain, options);
  if (p !== undefined) return p;
  const where = options.dataDir === undefined ? '' : ` in ${options.dataDir}`;
  throw new ConfigError(
    `no policy text for ${domain}${where}: pass --policy <file>, or point --data at a τ-bench checkout (tau_bench/envs/${domain}/wiki.md) or a τ² domain directory (policy.md)`,
    { path: options.dataDir ?? domain },
  );
}
