/**
 * `taubp import <file>`: a published run (τ-bench v1 results file, τ² results JSON) as a run
 * directory `report` and `tables` read, each trajectory re-graded by this harness's environment,
 * the file's reward kept beside ours and every disagreement printed and stored. No model is called.
 */
import { DataError, UsageError } from '../../core/errors.js';
import { formatSummary } from '../../runner/summary.js';
import type { PublishedRun } from '../../runner/import-published.js';
import { importPublishedRun, type ImportResult } from '../../runner/import-run.js';
import { parseTau2Results } from '../../runner/import-tau2.js';
import { parseTaubenchResults } from '../../runner/import-taubench.js';
import { DATA_SOURCE_OPTIONS, parseFlags, str, type OptionSpec } from '../args.js';
import { loadGradingSetup } from '../grading-setup.js';
import { DOMAINS, type DomainMap } from '../registry.js';
import type { Command } from './command.js';
import { readTextFile } from '../../core/utf8.js';

const OPTIONS: OptionSpec = {
  ...DATA_SOURCE_OPTIONS,
  out: { type: 'string' },
  agent: { type: 'string' },
  model: { type: 'string' },
  'user-model': { type: 'string' },
};

const USAGE = `Usage: taubp import <results file> --domain retail|airline --data <dir> --out <run dir> [options]

Turns a published run into a run directory (run.json, episodes.jsonl, summary.json) that
\`taubp report\` and \`taubp tables\` read: each trajectory is replayed on this harness's
environment and scored by its reward (episodes that never ended score 0, as in τ-bench); the
file's own reward is kept beside ours and every disagreement is printed and stored in run.json
(metadata.imported). No model is called and no API key is needed.

Reads:
  τ-bench v1 results: the JSON array its run.py writes ({task_id, reward, info, traj, trial}),
                      e.g. tau-bench/historical_trajectories/gpt-4o-airline.json
  τ² results JSON:    {info, tasks, simulations} (τ²'s data_model/simulation.py Results)

Options:
  --domain <name>       retail or airline (required)
  --data <dir>          the tasks the file was run on: τ-bench checkout or v1 data dir, τ² domain
                        dir (required)
  --db <dir>            database directory when it is not beside the tasks
  --split <name>        task split (default test; τ²: base)
  --out <dir>           run directory to create (required; must not hold a run)
  --agent <name>        agent strategy (default: from the file or its name, e.g. tool-calling);
                        act and react files are read as text actions ("Action: {...}")
  --model <spec>        agent model (default: from the file or its name, e.g. openai:gpt-4o)
  --user-model <spec>   user simulator model (default: from the file or its name; else unknown)
  --config <file.json>  defaults for any option

Exit status 0 when the import was written (disagreements are listed, not fatal).`;

/** What import reads and writes besides files. */
export interface ImportIo {
  domains: DomainMap;
  write(text: string): void;
  now(): Date;
}

const defaultIo: ImportIo = { domains: DOMAINS, write: (text) => void process.stdout.write(text), now: () => new Date() };

/** Reads a results file in either format (τ² when the top level is an object with `simulations`). */
export function readPublishedRun(file: string, domain: string, strategy?: string): PublishedRun {
  let content: string;
  try {
    content = readTextFile(file);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read ${file}: ${(e as Error).message}`, { code: 'data_not_found', path: file, cause: e });
  }
  return content.trimStart().startsWith('{') ? parseTau2Results(content, file) : parseTaubenchResults(content, file, domain, strategy);
}

function fmt(r: number | null): string {
  return r === null ? 'unscored' : String(r);
}

/** The printed outcome: the summary, then agreement and every disagreement. */
export function formatImport(result: ImportResult): string {
  const f = result.from;
  const lines = [formatSummary(result.summary), ''];
  lines.push(`imported ${result.records.length} episode(s) from ${f.file} (${f.format}, sha256 ${f.sha256.slice(0, 12)}…) into ${result.dir}`);
  if (f.duplicates > 0) lines.push(`${f.duplicates} repeated (task, trial) entr${f.duplicates === 1 ? 'y' : 'ies'} dropped (the last one kept)`);
  lines.push(`published reward = ours for ${f.agreements} of ${result.records.length}; ${f.disagreements.length} disagree${f.disagreements.length === 0 ? '' : ':'}`);
  for (const d of f.disagreements) {
    lines.push(`  task ${d.taskId} trial ${d.trial}: published ${fmt(d.published)}, ours ${fmt(d.ours)}${d.note === undefined ? '' : ` (${d.note})`}  [${d.origin}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs `taubp import` with the given argv; resolves to the exit status. */
export async function runImport(argv: string[], io: ImportIo = defaultIo): Promise<number> {
  const { flags, positionals } = parseFlags(argv, OPTIONS, 'import');
  if (positionals.length !== 1) throw new UsageError(`import: give exactly one results file (got ${positionals.length})`);
  const file = positionals[0] as string;
  const domain = str(flags, 'domain');
  const data = str(flags, 'data');
  const out = str(flags, 'out');
  if (domain === undefined) throw new UsageError('import: --domain is required');
  if (data === undefined) throw new UsageError('import: --data is required (the tasks the file was run on)');
  if (out === undefined) throw new UsageError('import: --out <run dir> is required');
  const run = readPublishedRun(file, domain, str(flags, 'agent'));
  if (run.info.domain !== undefined && run.info.domain !== domain) {
    throw new UsageError(`import: ${file} is a ${run.info.domain} run, not ${domain}`, { path: file });
  }
  const split = str(flags, 'split', run.info.format === 'tau2' ? 'base' : 'test') as string;
  const db = str(flags, 'db');
  const setup = loadGradingSetup({ domain, data, db, split }, io.domains);
  const result = await importPublishedRun(run, {
    file,
    outDir: out,
    domain,
    split,
    data,
    db: db ?? null,
    tasks: setup.tasks,
    ctx: setup.ctx,
    files: setup.files,
    agent: str(flags, 'agent'),
    model: str(flags, 'model'),
    userModel: str(flags, 'user-model'),
    now: io.now,
  });
  io.write(formatImport(result));
  return 0;
}

/** The `import` command. */
export const importCommand: Command = {
  summary: 'import a published τ-bench / τ² run (re-graded here) as a run directory',
  usage: USAGE,
  run: (argv) => runImport(argv),
};
