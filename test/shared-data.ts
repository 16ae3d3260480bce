/**
 * The tests' way to the shared reference data: `sharedDir()` / `sharedPath()` (`TAU_SHARED`, or
 * `../shared` beside the checkout; they throw, so a test fails rather than skips, when it is
 * missing). The functions live in `scripts/lib/shared-data.ts` because scripts need them too and
 * nothing but tests may import a test helper (test/boundaries.test.ts).
 */
export { REPO_ROOT, sharedDir, sharedPath } from '../scripts/lib/shared-data.js';
