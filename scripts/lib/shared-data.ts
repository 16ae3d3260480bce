/**
 * Locates the shared reference data (`../shared` beside the checkout) for tests, benchmarks and the
 * oracle scripts (tests import it through `test/shared-data.ts`).
 * `TAU_SHARED` overrides the location. Tests must fail, never skip, when it is missing.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of the shared data directory; throws with a clear message when absent. */
export function sharedDir(): string {
  const dir = process.env.TAU_SHARED ?? join(repoRoot, '..', 'shared');
  if (!existsSync(join(dir, 'taubench'))) {
    throw new Error(`shared reference data not found at ${dir} (set TAU_SHARED to the folder holding taubench/, tau2/, conformance/)`);
  }
  return dir;
}

/** Path inside the shared data directory. */
export function sharedPath(...parts: string[]): string {
  return join(sharedDir(), ...parts);
}

/** The repository root. */
export const REPO_ROOT = repoRoot;
