/**
 * `taubp report <results...>`: comparison tables from stored runs (pass^k with intervals and Δ
 * against a baseline run on the same tasks, the pairs declined and why, agent-side effort,
 * ratios, tasks × runs, cost, failure categories and, with `--judge-model`, fault assignment),
 * in Markdown, CSV, LaTeX, HTML (the report page) or a plug-in's format.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, UsageError } from '../../core/errors.js';
import { DEFAULT_RESAMPLES, DEFAULT_STATS_SEED } from '../../metrics/bootstrap.js';
import type { ChatModel } from '../../models/types.js';
import { DEFAULT_BASELINE_AGENT } from '../../report/analysis/comparability.js';
import { analyseFailures, pageFailures, type FailureAnalysis, type GoldLoader, type RunRef } from '../../report/analysis/failure-analysis.js';
import { compareRuns, declinedTable } from '../../report/compare.js';
import { findRunDirs, loadRunSummary } from '../../report/load.js';
import { REPORT_FORMATS, render, writeReports, type ReportFormat } from '../../report/table.js';
import type { RunConfig } from '../../runner/config.js';
import type { ReportFormatDefinition } from '../../plugin/types.js';
import { int, parseFlags, str } from '../args.js';
import type { DomainMap } from '../registry.js';
import type { Command } from './command.js';

/** A report format registered by a plug-in, or undefined. */
async function pluginReportFormat(name: string): Promise<ReportFormatDefinition | undefined> {
  return (await import('../registry.js')).HARNESS.entries.find('reportFormats', name);
}

const USAGE = `Usage: taubp report <run or results dir>... [--format md|csv|tex|html|all] [--out <dir>] [options]

Reads run directories (those holding run.json; a directory of runs is searched one level down),
and prints or writes the comparison tables:
  - pass^k per run, each row stating domain, data (split, number of tasks, task-set hash, source),
    prompt pack, agent, model, user simulator and its model, trials, and the unscored and
    infrastructure-excluded episodes; pass^1 with its 95% interval and Δ pass^1 against the
    baseline run on the same tasks (paired bootstrap interval, permutation p-value; "covers 0"
    when the data do not show a difference);
  - the pairs not compared and why (other tasks, data, user setup, model or prompt pack);
  - agent-side effort per episode, ratios against the baseline, successes per task × run;
  - cost per run (user simulator and judge included; cached and replayed calls are not spend);
  - failure categories of every episode that did not succeed, classified from its trajectory
    against the task's gold actions and outputs (read from the run's data source; without it,
    only what needs no gold data).

  --format <f>            md (default), csv, tex, html, or all (needs --out); html is the report page
                          (charts, per-task heat map, trajectory viewer; specs/ beside it), as \`taubp view\`
  --out <dir>             write report.<ext> files (and failures.json) there instead of printing
  --baseline <agent>      the agent the others are compared with (default ${DEFAULT_BASELINE_AGENT} when a
                          run has it, else the first run's agent)
  --judge-model <spec>    also ask this model who is responsible for each failed episode (user,
                          agent or environment); its calls are counted under the judge role
  --judge-base-url <url>  the judge model's endpoint (default: the provider's)
  --judge-api-key <key>   the judge model's key (default: from the environment)
  --seed <n>              seed of the bootstrap and permutation tests (default ${DEFAULT_STATS_SEED})
  --resamples <n>         bootstrap resamples and Monte Carlo permutations (default ${DEFAULT_RESAMPLES})`;

/** What `report` needs from its surroundings (tests pass their own). */
export interface ReportIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Creates the judge model. Default `createModel` of `src/models/`. */
  createModel?: (spec: string, options: { baseUrl?: string; apiKey?: string }) => ChatModel;
  /** Domains for the gold data. Default the registry's. */
  domains?: DomainMap;
}

const defaultIo: ReportIo = { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) };

/**
 * Gold data of a run from its recorded data source (`loadGradingSetup`): its split's tasks, and
 * the domain's write tools (kind `write` in the tool registry).
 */
export async function runGoldLoader(domains?: DomainMap): Promise<GoldLoader> {
  const { loadGradingSetup } = await import('../grading-setup.js');
  const map = domains ?? (await import('../registry.js')).DOMAINS;
  return (config: RunConfig) => {
    if (config.data === null || config.data === undefined) throw new UsageError('the run does not record its data source');
    const setup = loadGradingSetup({ domain: config.domain, data: config.data, db: config.db ?? undefined, split: config.split }, map);
    const registry = setup.ctx.registry;
    return { tasks: setup.tasks, isWrite: (tool: string) => registry.get(tool)?.kind === 'write' };
  };
}

/** Runs `taubp report` with the given argv; resolves to the exit status. */
export async function runReport(argv: string[], io: ReportIo = defaultIo): Promise<number> {
  const { flags, positionals } = parseFlags(
    argv,
    {
      format: { type: 'string' },
      out: { type: 'string' },
      baseline: { type: 'string' },
      'judge-model': { type: 'string' },
      'judge-base-url': { type: 'string' },
      'judge-api-key': { type: 'string' },
      seed: { type: 'string' },
      resamples: { type: 'string' },
    },
    'report',
  );
  if (positionals.length === 0) throw new UsageError('report: give at least one run or results directory');
  const format = str(flags, 'format', 'md') as string;
  const formats: ReportFormat[] = format === 'all' ? [...REPORT_FORMATS] : [format as ReportFormat];
  // A format a plug-in registered (--plugin); the registry loads only for such a name.
  const custom = format === 'all' || REPORT_FORMATS.includes(format as ReportFormat) ? undefined : await pluginReportFormat(format);
  if (custom === undefined && !formats.every((f) => REPORT_FORMATS.includes(f))) throw new UsageError(`report: unknown --format "${format}" (md, csv, tex, html, all, or a plug-in's format)`);
  const out = str(flags, 'out');
  if (format === 'all' && out === undefined) throw new UsageError('report: --format all needs --out <dir>');
  const seed = int(flags, 'seed', DEFAULT_STATS_SEED);
  const resamples = int(flags, 'resamples', DEFAULT_RESAMPLES);
  if (resamples < 1) throw new UsageError(`report: --resamples must be at least 1, got ${resamples}`);
  const judgeSpec = str(flags, 'judge-model');
  if (judgeSpec !== undefined && /^sim(:|$)/.test(judgeSpec)) throw new ConfigError('report: --judge-model cannot be the simulated model (it has no answers for fault assignment)');
  const dirs = findRunDirs(positionals);
  if (dirs.length === 0) throw new UsageError(`report: no runs found under ${positionals.join(', ')}`);
  const summaries = dirs.map((d) => loadRunSummary(d, { note: io.stderr }));
  const runs: RunRef[] = summaries.map((s, i) => ({ dir: dirs[i] as string, name: s.run, config: s.config }));

  // Failure analysis: gold data from each run's data source (classification limited without it).
  const gold = await runGoldLoader(io.domains);
  const failures: FailureAnalysis = analyseFailures(runs, gold);
  for (const r of failures.runs) if (r.goldUnavailable !== null) io.stderr(`report: ${r.run}: failure categories limited: ${r.goldUnavailable}\n`);
  if (judgeSpec !== undefined) {
    const create = io.createModel ?? (await import('../../models/create-model.js')).createModel;
    const baseUrl = str(flags, 'judge-base-url');
    const apiKey = str(flags, 'judge-api-key');
    const model = create(judgeSpec, { ...(baseUrl === undefined ? {} : { baseUrl }), ...(apiKey === undefined ? {} : { apiKey }) });
    const { assignFaults } = await import('../../report/analysis/fault-judge.js');
    await assignFaults(failures, runs, model, gold);
    const unjudged = failures.runs.reduce((n, r) => n + (r.faultErrors?.length ?? 0), 0);
    const firstError = failures.runs.flatMap((r) => r.faultErrors ?? [])[0];
    if (firstError !== undefined) io.stderr(`report: warning: ${unjudged} failed episode(s) without a verdict; first (task ${firstError.taskId}, trial ${firstError.trial}): ${firstError.error}\n`);
    const j = failures.judge;
    if (j !== undefined) io.stderr(`report: fault judge ${j.model}: ${j.calls} call(s), ${j.cachedCalls} cached, spend ${j.spendUsd === null ? 'unknown (unpriced model)' : `$${j.spendUsd.toFixed(4)}`}\n`);
  }

  const comparison = compareRuns(summaries, { ...(str(flags, 'baseline') === undefined ? {} : { baseline: str(flags, 'baseline') as string }), seed, resamples, failures });
  for (const d of comparison.pairing.declined) io.stderr(`report: not compared: ${d.candidate} vs ${d.baseline ?? `(no ${comparison.pairing.baselineAgent} run)`}: ${d.reasons.join('; ')}\n`);
  const tables = comparison.tables;
  if (custom !== undefined) {
    const text = custom.render(tables);
    if (out === undefined) io.stdout(text);
    else {
      mkdirSync(out, { recursive: true });
      const file = join(out, `report.${custom.extension ?? format}`);
      writeFileSync(file, text);
      io.stderr(`wrote ${file}\n`);
    }
    return 0;
  }
  // HTML is the report page (charts rendered by vega, loaded only here; trajectory viewer), with the
  // failure categories and the declined pairs of this analysis.
  const pageOptions = async () => ({
    ...(await import('../../report/page/write-page.js')),
    options: {
      loadTasks: (await import('./view.js')).runTasksLoader(io.domains),
      analysis: (collected: { data: { runs: Array<{ dir: string; index: number }> } }) => ({
        failures: pageFailures(failures, (dir) => collected.data.runs.find((r) => r.dir === dir)?.index),
        ...(comparison.pairing.declined.length === 0
          ? {}
          : { sections: [{ id: 'declined', title: 'Pairs not compared', tables: [declinedTable(comparison.pairing.declined, comparison.pairing.baselineAgent)] }] }),
      }),
    },
  });
  if (out === undefined) {
    if (formats[0] === 'html') {
      const { buildReportPage, options } = await pageOptions();
      io.stdout((await buildReportPage(dirs, options)).html);
    } else io.stdout(render(tables, formats[0] as ReportFormat));
    return 0;
  }
  for (const file of writeReports(out, tables, formats.filter((f) => f !== 'html'))) io.stderr(`wrote ${file}\n`);
  const json = join(out, 'failures.json');
  writeFileSync(json, `${JSON.stringify(failures, null, 2)}\n`);
  io.stderr(`wrote ${json}\n`);
  if (formats.includes('html')) {
    const { writeReportPage, options } = await pageOptions();
    const written = await writeReportPage(out, dirs, options);
    io.stderr(`wrote ${written.page} (chart specs in ${dirname(written.specs[0] ?? written.page)})\n`);
  }
  return 0;
}

export const reportCommand: Command = {
  summary: 'comparison tables (pass^k, tokens, calls, latency, cost) from stored runs',
  usage: USAGE,
  run: (argv) => runReport(argv),
};
