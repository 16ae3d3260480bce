/**
 * CLI cold-start benchmark (`npm run bench:cli`).
 *
 * Builds `dist/` (incremental `tsc -p tsconfig.build.json`, so the figure is for the current
 * sources), then starts fresh processes, alternating so drift affects all alike:
 * `node -e 0` (the floor), `node bin/taubp.js --help` (the figure), and for information
 * `taubp --version` and `taubp run --help` (which loads the run command and its registries).
 * Prints the median wall time of each and the ratio of `--help` to `node -e 0`; exits 1 when the
 * median `taubp --help` takes more than 0.3 s.
 *
 * Options: `--runs N` (default 20 per command), `--warmup N` (default 2).
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildCli, REPO_ROOT, TAUBP_BIN } from './lib/built-cli.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, warmup: { type: 'string', default: '2' } } });
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const LIMIT_S = 0.3;

const COMMANDS: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'taubp --help': [TAUBP_BIN, '--help'],
  'taubp --version': [TAUBP_BIN, '--version'],
  'taubp run --help': [TAUBP_BIN, 'run', '--help'],
};

function once(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

buildCli();
const times: Record<string, number[]> = Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, []]));
for (let i = 0; i < WARMUP + RUNS; i++) {
  for (const [name, args] of Object.entries(COMMANDS)) {
    const ms = once(args);
    if (i >= WARMUP) times[name]?.push(ms);
  }
}

const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
const floor = med['node -e 0'] as number;
const help = med['taubp --help'] as number;
process.stdout.write(`CLI cold start, median of ${RUNS} runs each (Node ${process.version}):\n`);
for (const [name, ms] of Object.entries(med)) process.stdout.write(`  ${name.padEnd(18)} ${(ms / 1000).toFixed(3)} s   ${(ms / floor).toFixed(2)} × node -e 0\n`);
process.stdout.write(`\ntaubp --help: ${(help / 1000).toFixed(3)} s = ${(help / floor).toFixed(2)} × node -e 0 (target ≤ ${LIMIT_S} s)\n`);
if (help / 1000 > LIMIT_S) process.exitCode = 1;
