/**
 * `taubp` entry point (`bin/taubp.js` imports the build of this file; `npm run taubp` runs it
 * through tsx). Dispatch is in `./cli.ts`.
 */
import { runCli } from './cli.js';

/** Exit statuses of a run stopped by SIGINT / SIGTERM (128 + signal number). */
const SIGNAL_EXITS = new Set([130, 143]);

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// A run stopped by a signal has written its summary; requests it abandoned may still hold sockets
// or timers open. Exit soon even then (the timer does not itself keep the process alive).
if (SIGNAL_EXITS.has(code)) setTimeout(() => process.exit(code), 1000).unref();
