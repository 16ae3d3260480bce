/**
 * Part of the composition root: the built-in offline suite of each domain as a data source.
 * `--data builtin` selects the fixed suite (default seed); `--data builtin:<seed>` generates fresh
 * data and tasks from another seed (same generator, unseen variants).
 */
import { UsageError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import type { LoadedData } from '../env/domain.js';
import type { Policy } from '../env/policy.js';
import { loadBuiltin as loadAirlineBuiltin, POLICY_PATH as AIRLINE_POLICY } from '../../domains/airline/builtin.js';
import { loadBuiltin as loadRetailBuiltin, POLICY_PATH as RETAIL_POLICY } from '../../domains/retail/builtin.js';

/** A built-in suite: generated database, tasks and the project's own policy. */
export interface BuiltinSuite {
  data: LoadedData;
  tasks: Task[];
  policy: Policy;
}

type Loader = (options: { seed?: number }) => { data: LoadedData; tasks: Task[]; policy: string };

/** Built-in suite loaders by domain, with the policy file each one uses. */
export const BUILTIN_SUITES: Readonly<Record<string, { load: Loader; policyFile: string }>> = {
  retail: { load: (o) => loadRetailBuiltin(o), policyFile: RETAIL_POLICY },
  airline: { load: (o) => loadAirlineBuiltin(o), policyFile: AIRLINE_POLICY },
};

/** True for `--data builtin` and `--data builtin:<seed>`. */
export function isBuiltinData(data: string): boolean {
  return data === 'builtin' || data.startsWith('builtin:');
}

/** Loads the built-in suite a `--data builtin[:<seed>]` value names. */
export function loadBuiltinSuite(domain: string, data: string): BuiltinSuite {
  const entry = Object.prototype.hasOwnProperty.call(BUILTIN_SUITES, domain) ? BUILTIN_SUITES[domain] : undefined;
  if (entry === undefined) throw new UsageError(`no built-in suite for domain "${domain}" (built-in: ${Object.keys(BUILTIN_SUITES).join(', ')})`);
  let seed: number | undefined;
  if (data !== 'builtin') {
    const text = data.slice('builtin:'.length);
    if (!/^\d+$/.test(text)) throw new UsageError(`--data ${data}: the seed must be a non-negative integer (e.g. builtin:7)`);
    seed = Number(text);
  }
  const suite = entry.load(seed === undefined ? {} : { seed });
  return { data: suite.data, tasks: suite.tasks, policy: { text: suite.policy, file: entry.policyFile } };
}
