/**
 * `taubp tables <runs…>`: the paper's tables (τ-bench leaderboard layout per domain; the Source
 * Code Agent table with intervals, paired Δ and effort reductions; pass^k with intervals) from
 * stored or imported runs, as Markdown, LaTeX and one tidy CSV per table.
 */
import { UsageError } from '../../core/errors.js';
import { findRunDirs, loadRunSummary } from '../../report/load.js';
import { DEFAULT_BASELINES, paperTables, paperTablesMarkdown, writePaperTables, type PaperTables } from '../../report/paper-tables.js';
import { DEFAULT_RESAMPLES, DEFAULT_STATS_SEED } from '../../metrics/bootstrap.js';
import { int, parseFlags, str } from '../args.js';
import type { Command } from './command.js';

const USAGE = `Usage: taubp tables <run or results dir>... [--out <dir>] [options]

Regenerates the paper tables from run directories (those holding run.json, including runs made by
\`taubp import\`; a directory of runs is searched up to --depth levels down):
  (a) τ-bench's leaderboard layout: Pass^1..Pass^k by strategy and model, per domain and split;
  (b) Source Code Agent vs baselines: per domain and averaged over domains, Pass^1 with its 95%
      interval, Δ Pass^1 against the strongest baseline (paired bootstrap interval, sign-flip
      permutation p), and turns, tool calls, LLM calls, tokens and cost per episode with the
      relative reduction;
  (c) pass^k with 95% intervals and Δ pass^k for every run, with the spread across trials.
Runs are paired only on the same domain, split, tasks, model and user; declined pairs are listed.

  --out <dir>          write tables.md, tables.tex and one <table>.csv per table there
                       (without it the Markdown is printed)
  --baseline <a,b,…>   agents counted as baselines (default ${DEFAULT_BASELINES.join(',')})
  --seed <n>           seed of the bootstrap and permutation tests (default ${DEFAULT_STATS_SEED})
  --resamples <n>      bootstrap resamples and Monte Carlo permutations (default ${DEFAULT_RESAMPLES})
  --depth <n>          directory levels searched for runs (default 3)`;

/** What tables writes besides files. */
export interface TablesIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const defaultIo: TablesIo = { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) };

/** Builds the tables of the runs under `paths` (and writes them to `out` when given). */
export function buildTables(paths: readonly string[], options: { out?: string | undefined; baselines?: readonly string[] | undefined; seed?: number; resamples?: number; depth?: number }, io: TablesIo = defaultIo): PaperTables {
  const dirs = findRunDirs(paths, options.depth ?? 3);
  if (dirs.length === 0) throw new UsageError(`tables: no runs found under ${paths.join(', ')} (run \`taubp run\` or \`taubp import\` first)`);
  const t = paperTables(dirs.map((d) => loadRunSummary(d, { note: io.stderr })), {
    ...(options.baselines === undefined ? {} : { baselines: options.baselines }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.resamples === undefined ? {} : { resamples: options.resamples }),
  });
  for (const d of t.declined) io.stderr(`tables: not compared: ${d}\n`);
  if (options.out === undefined) io.stdout(paperTablesMarkdown(t));
  else {
    const files = writePaperTables(options.out, t);
    io.stderr(`tables: ${dirs.length} run(s) → ${files.join(', ')}\n`);
  }
  return t;
}

/** Runs `taubp tables` with the given argv; resolves to the exit status. */
export async function runTables(argv: string[], io: TablesIo = defaultIo): Promise<number> {
  const { flags, positionals } = parseFlags(
    argv,
    { out: { type: 'string' }, baseline: { type: 'string' }, seed: { type: 'string' }, resamples: { type: 'string' }, depth: { type: 'string' } },
    'tables',
  );
  if (positionals.length === 0) throw new UsageError('tables: give at least one run or results directory');
  const baseline = str(flags, 'baseline');
  const resamples = int(flags, 'resamples', DEFAULT_RESAMPLES);
  if (resamples < 1) throw new UsageError('--resamples must be at least 1');
  buildTables(
    positionals,
    {
      out: str(flags, 'out'),
      baselines: baseline?.split(',').map((b) => b.trim()).filter((b) => b !== ''),
      seed: int(flags, 'seed', DEFAULT_STATS_SEED),
      resamples,
      depth: int(flags, 'depth', 3),
    },
    io,
  );
  return 0;
}

/** The `tables` command. */
export const tablesCommand: Command = {
  summary: 'paper tables (leaderboard layout, Source Code Agent table with intervals) as MD, LaTeX, CSV',
  usage: USAGE,
  run: (argv) => runTables(argv),
};
