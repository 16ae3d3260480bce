/**
 * `taubp verify`: replays each selected task's gold actions on a fresh database, followed by one
 * reply stating the task's required outputs, and scores that trajectory with the reference's
 * reward; or, with `--actions`, re-grades stored trajectories. No model is called.
 */
import { DATA_SOURCE_OPTIONS, parseFlags, str, type OptionSpec } from '../args.js';
import { UsageError } from '../../core/errors.js';
import type { ToolVariant } from '../../env/domain.js';
import { readTrajectories, type GivenTrajectory } from '../../env/reward/trajectory-file.js';
import { regrade, verifyGold, verifyJsonLine, type VerifiedTrajectory } from '../../env/reward/verify.js';
import { knownFailure } from '../../env/tasks/known-failures.js';
import { findTask, loadGradingSetup } from '../grading-setup.js';
import { DOMAINS, type DomainMap } from '../registry.js';
import { selectTasks } from '../run-setup.js';
import type { Command } from './command.js';

const OPTIONS: OptionSpec = {
  ...DATA_SOURCE_OPTIONS,
  jsonl: { type: 'boolean' },
  actions: { type: 'string' },
  variant: { type: 'string' },
};

const USAGE = `Usage: taubp verify --domain retail|airline --data <dir> [options]

Replays each task's gold actions on a fresh database, then one reply to the user stating the
task's required outputs, and scores that trajectory with the reference's reward. No model calls.

Options:
  --domain <name>       retail or airline (required)
  --data <dir>          tasks: τ-bench v1 data dir (tasks_<split>.json), a τ-bench checkout
                        (tau_bench/envs/<domain>/tasks_<split>.py), a τ² dir (tasks.json), or
                        builtin / builtin:<seed> (the generated offline suite) (required)
  --db <dir>            database directory when it is not beside the tasks (e.g. τ² airline tasks
                        on the v1 airline tables of a τ-bench checkout: --db ~/src/tau-bench)
  --split <name>        task split (default test; τ² splits: base, train, test)
  --tasks <list>        task indices, e.g. 0-9,12; on τ² data task ids, e.g. 5,9
                        (default all of the split)
  --variant v1|tau2     tool variant (default: tau2 for τ² tasks, else the data's own)
  --actions <file>      re-grade stored trajectories instead of the gold ones: JSONL lines
                        {"task": 12, "actions": [{"name", "kwargs"}]} (respond + kwargs.content is a
                        reply), or a τ-bench results file (JSON array with "traj")
  --jsonl               one JSON line per task instead of the summary table
  --config <file.json>  defaults for any option

Exit status 1 when a gold trajectory scores below 1 (other than the reference's own known
failures), or, with --actions, when a recorded reward disagrees with the re-computed one.`;

interface Row {
  v: VerifiedTrajectory;
  known?: string;
  given?: GivenTrajectory;
}

function parseVariant(v: string | undefined): ToolVariant | undefined {
  if (v === undefined) return undefined;
  if (v !== 'v1' && v !== 'tau2') throw new UsageError(`--variant must be v1 or tau2, got "${v}"`);
  return v;
}

function fmtReward(r: number | null): string {
  return r === null ? 'unscored' : String(r);
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
}

function table(rows: Row[], regrading: boolean): string {
  const header = ['task', ...(regrading ? ['trial', 'recorded'] : []), 'reward', 'components', 'gold errors', 'note'];
  const body = rows.map(({ v, known, given }) => {
    const comps = Object.entries(v.info.components)
      .filter(([k]) => v.info.basis.includes(k))
      .map(([k, x]) => `${k}=${x === null ? '?' : x}`)
      .join(' ');
    const goldErrors = v.info.db?.goldErrors ?? [];
    const ge = goldErrors.length === 0 ? '0' : `${goldErrors.length} (${goldErrors.filter((g) => g.write).length} write)`;
    const note = [known === undefined ? '' : `known reference failure: ${known}`, v.info.note ?? ''].filter((x) => x !== '').join(' | ');
    const id = v.task.format === 'tau2' && v.task.id !== String(v.task.index) ? `${v.task.index} (${v.task.id})` : String(v.task.index);
    const extra = regrading ? [given?.trial === undefined ? '' : String(given.trial), given?.referenceReward === undefined ? '' : fmtReward(given.referenceReward)] : [];
    return [id, ...extra, fmtReward(v.info.reward), comps, ge, note];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  return [pad(header, widths), ...body.map((r) => pad(r, widths))].join('\n');
}

/** What verify reads and writes besides files: the domains and the output stream. */
export interface VerifyIo {
  domains: DomainMap;
  write(text: string): void;
}

const defaultIo: VerifyIo = { domains: DOMAINS, write: (text) => void process.stdout.write(text) };

/** Runs `taubp verify` with the given argv; resolves to the exit status. */
export async function runVerify(argv: string[], io: VerifyIo = defaultIo): Promise<number> {
  const { domains } = io;
  const { flags, positionals } = parseFlags(argv, OPTIONS, 'verify');
  if (positionals.length > 0) throw new UsageError(`verify: unexpected argument "${positionals[0]}"`);
  const domainName = str(flags, 'domain');
  const data = str(flags, 'data');
  if (domainName === undefined) throw new UsageError('verify: --domain is required');
  if (data === undefined) throw new UsageError('verify: --data is required');
  const split = str(flags, 'split', 'test') as string;
  const setup = loadGradingSetup({ domain: domainName, data, db: str(flags, 'db'), split, variant: parseVariant(str(flags, 'variant')) }, domains);
  const { tasks: all, tasksFrom, loaded, toolVariant, ctx } = setup;
  const selected = selectTasks(all, str(flags, 'tasks') ?? null);
  const jsonl = flags.jsonl === true;
  const actionsFile = str(flags, 'actions');

  const rows: Row[] = [];
  const emit = (row: Row): void => {
    rows.push(row);
    if (jsonl) {
      const extras: { trial?: number; referenceReward?: number | null } = {};
      if (row.given?.trial !== undefined) extras.trial = row.given.trial;
      if (row.given?.referenceReward !== undefined) extras.referenceReward = row.given.referenceReward;
      io.write(`${verifyJsonLine(row.v, extras)}\n`);
    }
  };

  if (actionsFile === undefined) {
    for (const task of selected) {
      const v = await verifyGold(task, ctx);
      const known = knownFailure(task)?.reason;
      emit(known === undefined ? { v } : { v, known });
    }
  } else {
    for (const given of readTrajectories(actionsFile)) {
      const task = findTask(selected, given.task, given.origin);
      emit({ v: await regrade(task, given.actions, ctx, given.termination), given });
    }
  }

  const regrading = actionsFile !== undefined;
  const scored = rows.filter((r) => r.v.info.reward !== null);
  const passed = scored.filter((r) => r.v.info.reward === 1);
  const knownFails = rows.filter((r) => r.known !== undefined && r.v.info.reward !== 1 && r.v.info.reward !== null);
  const unexpected = rows.filter((r) => r.known === undefined && r.v.info.reward !== null && r.v.info.reward !== 1);
  const unscored = rows.length - scored.length;
  const disagreements = rows.filter((r) => r.given?.referenceReward !== undefined && !sameReward(r.given.referenceReward, r.v.info.reward));
  if (!jsonl) {
    const what = regrading ? `re-graded trajectories from ${actionsFile}` : 'gold trajectories';
    io.write(
      `verify ${domainName} ${split}: ${what} (tasks: ${tasksFrom}; database: ${loaded.format} ${loaded.files[0] ?? ''}${loaded.files.length > 1 ? ' …' : ''}; tools: ${toolVariant})\n\n`,
    );
    io.write(`${table(rows, regrading)}\n\n`);
    const parts = [`${passed.length}/${rows.length} score 1`];
    if (!regrading) parts.push(`${unexpected.length} unexpected failure${unexpected.length === 1 ? '' : 's'}`, `${knownFails.length} known reference failure${knownFails.length === 1 ? '' : 's'}`);
    else parts.push(`${rows.length - passed.length - unscored} score below 1`);
    if (unscored > 0) parts.push(`${unscored} unscored (need an NL judge or env-assertion runner; never counted as passed)`);
    if (regrading && disagreements.length > 0) parts.push(`${disagreements.length} disagree with the recorded reward`);
    io.write(`${parts.join(', ')}\n`);
  }
  if (regrading) return disagreements.length > 0 ? 1 : 0;
  return unexpected.length > 0 ? 1 : 0;
}

function sameReward(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < 1e-6;
}

/** The `verify` command. */
export const verifyCommand: Command = {
  summary: 'Replay and score gold (or stored) trajectories with the reference reward',
  usage: USAGE,
  run: (argv) => runVerify(argv),
};
