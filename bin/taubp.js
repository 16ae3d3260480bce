#!/usr/bin/env node
// The taubp command: runs the built CLI (dist/, from `npm run build`, which `npm ci` / `npm install`
// run through the `prepare` script) in this same process, so the PID you see is the run and signals
// reach it directly. For the TypeScript sources without a build, use `npm run taubp -- …` (tsx).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'taubp: the CLI is not built (dist/src/cli/main.js is missing).\n' +
      '  Run `npm run build` (or `npm ci`, which builds through the prepare script),\n' +
      '  or run the sources directly with `npm run taubp -- <command> …`.\n',
  );
  process.exit(1);
}
await import(entry.href);
