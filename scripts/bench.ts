/**
 * `npm run bench` — the main job, offline: both domains × (tool-calling baseline, plan-and-execute
 * agent, blueprint agent) × 4 trials on the built-in suite, with the simulated model and the
 * scripted customer. Runs go to `results/bench/<domain>-<agent>/`; the comparison tables
 * (pass^1..4, tokens, LLM calls, turns, tool calls, latency per architecture and domain) are
 * printed and written as `results/bench/report.{md,tex,html} and report-<table>.csv` by the `report` command's own
 * pipeline (intervals, paired comparisons, failure categories, the HTML report page).
 *
 * Options: --model <spec> (default sim:0.05), --trials <n> (4), --concurrency <n> (8),
 * --domains retail,airline, --agents tool-calling,plan-execute,blueprint, --out <dir> (results/bench).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from '../src/cli/commands/run.js';
import { runReport } from '../src/cli/commands/report.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'sim:0.05' },
    trials: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '8' },
    domains: { type: 'string', default: 'retail,airline' },
    agents: { type: 'string', default: 'tool-calling,plan-execute,blueprint' },
    out: { type: 'string', default: join('results', 'bench') },
  },
});

const started = performance.now();
const out = values.out;
const dirs: string[] = [];
for (const domain of values.domains.split(',')) {
  for (const agent of values.agents.split(',')) {
    const dir = join(out, `${domain}-${agent}`);
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`\n== ${domain} / ${agent} ==\n`);
    const code = await runCommand.run([
      '--domain', domain, '--data', 'builtin', '--agent', agent, '--model', values.model, '--user', 'scripted',
      '--trials', values.trials, '--concurrency', values.concurrency, '--out', dir
    ]);
    if (code !== 0) {
      process.stderr.write(`bench: run ${domain}/${agent} exited ${code}\n`);
      process.exit(code);
    }
    dirs.push(dir);
  }
}

// Reports of an earlier bench (e.g. CSV files of tables since renamed) must not linger beside the new ones.
for (const name of existsSync(out) ? readdirSync(out) : []) {
  if (/^report.*\.(csv|md|tex|html)$/.test(name) || name === 'specs' || name === 'failures.json') rmSync(join(out, name), { recursive: true, force: true });
}
// The same report as `taubp report --format all`: tables with intervals, the report page, failures.
let printed = '';
const quiet = { stdout: (t: string) => void (printed += t), stderr: (t: string) => void process.stderr.write(t) };
let code = await runReport([...dirs, '--format', 'all', '--out', out], quiet);
if (code === 0) code = await runReport([...dirs, '--format', 'md'], quiet);
if (code !== 0) process.exit(code);
process.stdout.write(`\n${printed}\n`);
process.stdout.write(`bench: ${dirs.length} runs in ${((performance.now() - started) / 1000).toFixed(1)} s; report in ${join(out, 'report.{md,tex,html} and report-<table>.csv')} (+ failures.json, specs/)\n`);
