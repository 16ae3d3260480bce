/**
 * The built CLI (`bin/taubp.js` → `dist/`) for tests that start real `taubp` processes. Such tests
 * call {@link buildCli} first: it runs `tsc -p tsconfig.build.json` (incremental: a few seconds
 * when nothing changed), so a test never runs a `dist/` older than the sources it was edited from.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Path of the `taubp` launcher. */
export const TAUBP_BIN = fileURLToPath(new URL('../../bin/taubp.js', import.meta.url));

let built = false;

/** Builds `dist/` from the current sources (once per test process). Throws with tsc's output when the build fails. */
export function buildCli(): void {
  if (built) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const out = e as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${out.stdout ?? ''}${out.stderr ?? ''}`);
  }
  built = true;
}
