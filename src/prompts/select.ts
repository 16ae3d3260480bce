/**
 * Choosing and building a run's prompt pack (`taubp run --prompts reference|harness`).
 * - default: `reference` when the data source is a checkout a reference reader knows (a τ-bench
 *   v1 checkout: `tau_bench/envs/<domain>/tasks_*.py`; a τ² checkout: `data/tau2/domains/<d>/`
 *   with `src/tau2/`), else `harness`;
 * - `reference` on data without such a checkout is a usage error;
 * - a reference reader failing (a file missing or in a shape it does not know) is an error: there
 *   is no silent fallback to the harness pack.
 */
import { UsageError } from '../core/errors.js';
import type { TaskSource } from '../env/tasks/source.js';
import type { ToolSpec } from '../models/types.js';
import { harnessPack } from './harness.js';
import { PACK_KINDS, type PackKind, type PromptPack } from './pack.js';
import type { ToolRegistry } from '../env/registry.js';
import { pythonCallError, v1PackageDir, v1ReferencePack, type V1ToolSignature } from './v1-reference.js';
import { readV1UserPrompts } from './v1-users.js';
import { tau2ReferenceReader } from './tau2-reference.js';

/** Builds the reference pack of a data source, for one domain. */
export type ReferenceReader = (source: TaskSource, domain: string) => PromptPack;

/** Reference readers by task-source layout (τ²: only a domain directory inside a τ² checkout has one). */
export const REFERENCE_READERS: Partial<Record<TaskSource['kind'], ReferenceReader>> = {
  'taubench-py': (source, domain) => v1ReferencePack(source, domain, { users: readV1UserPrompts(v1PackageDir(source)) }),
  tau2: tau2ReferenceReader,
};

/** Whether a data source has a reference pack (undefined source = built-in suite: no; a bare τ² domain directory: no). */
export function hasReference(source: TaskSource | undefined): boolean {
  if (source === undefined || REFERENCE_READERS[source.kind] === undefined) return false;
  return source.kind !== 'tau2' || source.checkout !== undefined;
}

/** The pack kind a run uses when `--prompts` is not given. */
export function defaultPackKind(source: TaskSource | undefined): PackKind {
  return hasReference(source) ? 'reference' : 'harness';
}

/** Parses a `--prompts` value. @throws UsageError for anything but `reference` / `harness`. */
export function parsePackKind(text: string): PackKind {
  if ((PACK_KINDS as readonly string[]).includes(text)) return text as PackKind;
  throw new UsageError(`--prompts must be one of ${PACK_KINDS.join(', ')}, got "${text}"`);
}

/** What {@link buildPromptPack} needs. */
export interface PackRequest {
  /** `--prompts`; null: {@link defaultPackKind}. */
  kind: PackKind | null;
  /** The data's task source; undefined for the built-in suite. */
  source: TaskSource | undefined;
  domain: string;
  /** The domain registry's tool specs (the harness pack's tools). */
  tools: readonly ToolSpec[];
}

/**
 * The run's prompt pack.
 * @throws UsageError for `reference` on data without a checkout; DataError (naming the file)
 * when the checkout cannot be read.
 */
export function buildPromptPack(request: PackRequest): PromptPack {
  const kind = request.kind ?? defaultPackKind(request.source);
  if (kind === 'harness') return harnessPack(request.tools);
  const { source } = request;
  const reader = source === undefined ? undefined : REFERENCE_READERS[source.kind];
  if (source === undefined || reader === undefined) {
    const what = source === undefined ? 'the built-in suite' : `${source.dir} (${source.kind} layout)`;
    throw new UsageError(
      `--prompts reference needs --data to be a τ-bench checkout (tau_bench/envs/${request.domain}/...) or a τ² checkout (data/tau2/domains/${request.domain}/ and src/tau2/), whose prompts are read at run time; ${what} has none. Use --prompts harness.`,
    );
  }
  return reader(source, request.domain);
}

/**
 * The registry a run's environment uses with a pack: with a reference pack that records the
 * tools' Python signatures, arguments that do not fit a signature get Python's TypeError text.
 */
export function registryForPack(registry: ToolRegistry, pack: PromptPack): ToolRegistry {
  if (pack.toolSignatures === undefined) return registry;
  const signatures = new Map((JSON.parse(pack.toolSignatures) as V1ToolSignature[]).map((s) => [s.name, s]));
  return registry.withArgumentErrors((tool, keys) => {
    const sig = signatures.get(tool);
    return sig === undefined ? undefined : pythonCallError(sig, keys);
  });
}
