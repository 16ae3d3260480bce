/**
 * `taubp merge <dirs...> --out <dir>`: joins run directories of the same data and configuration
 * (shards, partial runs, runs over other task selections) into one, deduplicating (task, trial)
 * records, and prints the merged summary.
 */
import { parseFlags, str, type OptionSpec } from '../args.js';
import { UsageError } from '../../core/errors.js';
import { mergeRuns } from '../../runner/merge.js';
import { formatSummary } from '../../runner/summary.js';
import type { Command } from './command.js';

const OPTIONS: OptionSpec = { out: { type: 'string' } };

const USAGE = `Usage: taubp merge <run dir> [<run dir> ...] --out <dir>

Joins run directories of the same data and configuration into one: the shards of
taubp run --shard i/n, partial runs, or runs over different (e.g. disjoint) --tasks selections,
whose union becomes the merged run's selection. Episodes are deduplicated by (task, trial),
preferring a result to an infrastructure error; settings other than --tasks, and the data, task
and policy hashes, must agree. --out must be new, empty, or one of the runs being merged (the
harness never overwrites files it did not write). Writes run.json, episodes.jsonl and summary.json.`;

/** Runs `taubp merge`; resolves to the exit status. */
export async function runMerge(argv: string[], io: { stdout: (t: string) => void; stderr: (t: string) => void } = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
}): Promise<number> {
  const { flags, positionals } = parseFlags(argv, OPTIONS, 'merge');
  const out = str(flags, 'out');
  if (out === undefined) throw new UsageError('merge: --out <dir> is required');
  if (positionals.length === 0) throw new UsageError('merge: give the run directories to merge');
  const result = mergeRuns(positionals, out, { log: io.stderr });
  for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
  io.stdout(`${formatSummary(result.summary)}\n\nMerged ${positionals.length} director${positionals.length === 1 ? 'y' : 'ies'} (${result.episodes} episodes) into ${out}\n`);
  return 0;
}

/** The `merge` command. */
export const mergeCommand: Command = {
  summary: 'Join runs of the same configuration (shards, other task selections) into one',
  usage: USAGE,
  run: (argv) => runMerge(argv),
};
