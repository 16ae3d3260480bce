/**
 * The task suites the retail blueprint is measured on: the built-in suite (generated data,
 * `loadBuiltin`) and the official τ-bench v1 retail test split from the shared reference data.
 * Both use this project's retail policy text (the rules of τ-bench's policy in other words), which
 * only the baseline reads.
 */
import { readFileSync } from 'node:fs';
import { loadTasks } from '../../../src/env/tasks/source.js';
import { sharedPath } from '../../lib/shared-data.js';
import { POLICY_PATH, loadBuiltin } from '../../../domains/retail/builtin.js';
import { loadRetailDb } from '../../../domains/retail/data.js';
import { retailRegistry } from '../../../domains/retail/registry.js';
import type { SuiteData } from './oracle-runs.js';

/** The fixed built-in retail suite (100 tasks, v1 tools). */
export function builtinSuite(): SuiteData {
  const s = loadBuiltin();
  return { tasks: s.tasks, base: s.data.base, registry: retailRegistry(s.data.variant), policy: s.policy };
}

/** The official τ-bench v1 retail test split (115 tasks, v1 tools); needs the shared data. */
export function officialSuite(split = 'test'): SuiteData {
  const dir = sharedPath('taubench', 'retail');
  const data = loadRetailDb(dir);
  return { tasks: loadTasks('retail', dir, split), base: data.base, registry: retailRegistry(data.variant), policy: readFileSync(POLICY_PATH, 'utf8') };
}
