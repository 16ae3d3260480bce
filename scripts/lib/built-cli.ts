/**
 * The built CLI (`bin/taubp.js` → `dist/`) for tests that start real `taubp` processes. Such tests
 * call {@link buildCli} first: it runs `tsc -p tsconfig.build.json` (incremental: a few seconds
 * when nothing changed), so a test never runs a `dist/` older than the sources it was edited from.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Path of the `taubp` launcher. */
export const TAUBP_BIN = fileURLToPath(new URL('../../bin/taubp.js', import.meta.url));

let built = false;

/** A lock directory: test files in other workers build one at a time (no one runs a half-written dist/). */
const LOCK = join(REPO_ROOT, 'dist', '.build-lock');

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes the build lock (waiting for another worker's build; a lock older than 5 minutes is stale). */
function lock(): void {
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 300_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      sleepSync(100);
    }
  }
}

/**
 * Builds `dist/` from the current sources (once per test process; serialised across test workers,
 * the builds after the first are incremental no-ops). Throws with tsc's output when the build fails.
 */
export function buildCli(): void {
  if (built) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  lock();
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const out = e as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${out.stdout ?? ''}${out.stderr ?? ''}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  built = true;
}
