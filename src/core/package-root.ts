/**
 * The package's root folder (the one holding `package.json`), found from this module's own location,
 * so files shipped beside the sources (`domains/<d>/policy.md`, `package.json`) are found both when
 * running the TypeScript sources (tsx, vitest: `src/core/`) and the build (`dist/src/core/`).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest folder at or above `start` that holds a `package.json`.
 * @throws Error when there is none up to the filesystem root.
 */
export function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json at or above ${start}`);
    dir = parent;
  }
}

/** Root folder of this package (`<repo>`), whether running from `src/` or `dist/src/`. */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. `packagePath('domains', 'retail', 'policy.md')`. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
