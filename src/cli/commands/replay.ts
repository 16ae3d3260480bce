/**
 * `taubp replay <run-dir> [--out dir]`: re-runs every recorded episode of a run with no provider
 * and no network, answering each episode's model calls from that episode's recorded responses
 * (per role, in call order), then checks each episode's trajectory, reward, termination and
 * usage byte for byte against the record. Exits 1 when any episode differs, naming the first
 * differing step. The run is rebuilt from its `run.json` through `prepareRun`, and refused when
 * its data, task or policy files changed since it was recorded.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../../core/errors.js';
import { ReplayModel } from '../../models/replay-model.js';
import { parseSimSpec } from '../../models/sim/sim-model.js';
import { samePack } from '../../prompts/pack.js';
import type { FileHash } from '../../runner/metadata.js';
import { compareReplayFiles, lazyReplayBook, scanRecordedEpisodes, type RecordedEpisodeRef } from '../../runner/replay.js';
import { EPISODES_FILE, readManifest, type RunManifest } from '../../runner/results.js';
import { executeRun } from '../../runner/run.js';
import { acquireRunLock, LOCK_FILE } from '../../runner/run-lock.js';
import { parseFlags, str } from '../args.js';
import { AGENTS, DOMAINS, USERS } from '../registry.js';
import { prepareRun, requireRecordedPlugins, type RunSetupIo } from '../run-setup.js';
import type { Command } from './command.js';

const USAGE = `Usage: taubp replay <run-dir> [--out <dir>] [--concurrency <n>]

Re-runs every episode recorded in <run-dir> with no model provider and no network: each
episode's model calls are answered from the responses recorded with that episode, in call
order. The run is rebuilt from its run.json (same data, tasks, policy, agent and settings;
refused if a data, task or policy file changed since the run was recorded). Then each
episode's trajectory, reward, termination and token usage is compared byte for byte with the
record (timestamps, durations, latencies, retries and costs excluded).

Prints the first differing step of every episode that differs and exits 1; exits 0 when all
episodes are identical. A replay costs $0; the original run's cost is shown beside it.

  --out <dir>           also write the replayed run as a run directory (new or empty folder)
  --concurrency <n>     episodes at once (default: the recorded run's)`;

/** What `replay` uses besides files. Injectable for tests (registries: the recorded run's agent must exist). */
export interface ReplayIo extends Omit<RunSetupIo, 'createModel'> {
  stdout: (text: string) => void;
  now?: () => Date;
}

const defaultIo: ReplayIo = {
  domains: DOMAINS,
  agents: AGENTS,
  users: USERS,
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

/** Differing episodes listed, and detail lines per episode. */
const MAX_EPISODES_SHOWN = 50;
const MAX_DETAILS_SHOWN = 8;

/** `$0.0123`, or a note when a model of the run had no price. */
function usd(cost: number | null): string {
  return cost === null ? 'unknown (a model of the run had no price)' : `$${cost.toFixed(4)}`;
}

/** Files whose hash differs between the recorded run and now (by path), as lines. */
function fileChanges(recorded: readonly FileHash[], now: readonly FileHash[]): string[] {
  const before = new Map(recorded.map((f) => [f.path, f.sha256]));
  const after = new Map(now.map((f) => [f.path, f.sha256]));
  const lines: string[] = [];
  for (const [path, sum] of before) {
    const current = after.get(path);
    if (current === undefined) lines.push(`no longer read: ${path}`);
    else if (current !== sum) lines.push(`changed: ${path}`);
  }
  for (const path of after.keys()) if (!before.has(path)) lines.push(`read now but not then: ${path}`);
  // Same contents under other paths (a moved checkout) are the same inputs.
  const sums = (l: readonly FileHash[]): string => l.map((f) => f.sha256).sort().join(',');
  return sums(recorded) === sums(now) ? [] : lines.length > 0 ? lines : ['the set of files read differs'];
}

function scanRecorded(dir: string, stderr: (text: string) => void): RecordedEpisodeRef[] {
  const file = join(dir, EPISODES_FILE);
  if (!existsSync(file)) throw new ConfigError(`replay: ${dir} has no ${EPISODES_FILE}: nothing to replay`, { path: file });
  const { episodes, truncated } = scanRecordedEpisodes(file);
  if (truncated) stderr(`replay: ${file} ends in a partial line (a write cut short); that episode is not replayed\n`);
  return episodes;
}

function totalCost(episodes: readonly RecordedEpisodeRef[]): number | null {
  let total = 0;
  for (const e of episodes) {
    if (e.costUsd === null) return null;
    total += e.costUsd;
  }
  return total;
}

/** Runs `taubp replay` with the given argv; resolves to the exit status. */
export async function runReplay(argv: string[], io: ReplayIo = defaultIo): Promise<number> {
  const { flags, positionals } = parseFlags(argv, { out: { type: 'string' }, concurrency: { type: 'string' } }, 'replay');
  if (positionals.length !== 1) throw new UsageError(`replay: expected one run directory, got ${positionals.length === 0 ? 'none' : positionals.join(' ')} (taubp replay <run-dir> [--out <dir>])`);
  const runDir = positionals[0] as string;
  const out = str(flags, 'out');
  const concurrencyText = str(flags, 'concurrency');
  const concurrency = concurrencyText === undefined ? undefined : Number(concurrencyText);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) throw new UsageError(`replay: --concurrency must be an integer ≥ 1, got "${concurrencyText}"`);
  const now = io.now ?? (() => new Date());

  const stored: RunManifest = readManifest(runDir);
  const recorded = scanRecorded(runDir, io.stderr);
  requireRecordedPlugins(stored, 'replay');
  if (stored.config.user === 'human') throw new ConfigError(`replay: ${runDir} was run with the human user, whose replies were typed, not recorded as model responses; it cannot be replayed`, { path: runDir });
  if (recorded.length === 0) throw new ConfigError(`replay: ${runDir} holds no episodes: nothing to replay`, { path: runDir });
  const unreplayable = recorded.flatMap((r) => (r.unreplayable === undefined ? [] : [`task ${r.taskId} trial ${r.trial}: ${r.unreplayable}`]));
  if (unreplayable.length > 0) {
    throw new ConfigError(
      `replay: ${unreplayable.length} of ${recorded.length} episode(s) of ${runDir} cannot be replayed:\n  ${unreplayable.slice(0, 5).join('\n  ')}${unreplayable.length > 5 ? `\n  … and ${unreplayable.length - 5} more` : ''}`,
      { path: runDir },
    );
  }
  if (out !== undefined && existsSync(out) && readdirSync(out).some((name) => name !== LOCK_FILE)) {
    throw new ConfigError(`replay: --out ${out} is not empty; the replayed run goes into a new or empty directory (nothing was changed)`, { path: out });
  }
  // One writer per run directory: a second `replay --out` (or a run) on the same folder is refused.
  const lock = out === undefined ? undefined : acquireRunLock(out, { command: 'taubp replay --out', warn: io.stderr });

  // ---- the run, rebuilt from run.json with replay models (no provider, no network) ----
  // Each episode's responses are read from its line when its first call comes.
  const book = lazyReplayBook(recorded);
  const replayModel = (spec: string): ReplayModel => new ReplayModel(spec, book, { simulated: parseSimSpec(spec) !== undefined });
  const outDir = out ?? mkdtempSync(join(tmpdir(), 'taubp-replay-'));
  try {
    const config = concurrency === undefined ? stored.config : { ...stored.config, concurrency };
    const prepared = prepareRun(config, { ...io, createModel: replayModel }, { outDir, now });
    const changes = fileChanges(stored.metadata.files, prepared.plan.manifest.metadata.files);
    if (prepared.plan.manifest.metadata.tasksSha256 !== stored.metadata.tasksSha256) changes.unshift('the selected tasks changed (tasksSha256)');
    const packNow = prepared.plan.manifest.metadata.prompts;
    if (stored.metadata.prompts !== undefined && packNow !== undefined && !samePack(stored.metadata.prompts, packNow)) {
      changes.push(`the prompt pack changed (${stored.metadata.prompts.kind} → ${packNow.kind}, or its text)`);
    }
    if (changes.length > 0) {
      throw new ConfigError(`replay: cannot replay ${runDir}: its inputs changed since it was recorded (a replay needs the same data, tasks and policy):\n  ${changes.join('\n  ')}`, {
        path: runDir,
      });
    }
    const original = totalCost(recorded);
    const plan = {
      ...prepared.plan,
      manifest: {
        ...prepared.plan.manifest,
        metadata: { ...prepared.plan.manifest.metadata, replayOf: { dir: runDir, name: stored.name, createdAt: stored.metadata.createdAt, costUsd: original } },
      },
    };
    const byId = new Map(prepared.tasks.map((t) => [t.id, t]));
    const pairs = recorded.map((r) => {
      const task = byId.get(r.taskId);
      if (task === undefined) throw new ConfigError(`replay: task ${r.taskId} of ${runDir} is not among the run's selected tasks`, { path: runDir });
      return { task, trial: r.trial };
    });

    io.stderr(`replay ${runDir}: ${recorded.length} episode(s), no provider calls${out === undefined ? '' : `, writing ${out}`}\n`);
    await executeRun(plan, { outDir, pairs, log: io.stderr, maxConsecutiveErrors: 0, ...(lock === undefined ? {} : { lock }) });
    const result = compareReplayFiles(recorded, join(outDir, EPISODES_FILE), book);
    const untagged = book.divergences.filter((d) => d.kind === 'untagged');

    const lines: string[] = [];
    lines.push(`replay of ${runDir}: ${result.identical}/${result.episodes} episode(s) identical to the record (trajectory, reward, termination, usage)`);
    for (const d of result.differences.slice(0, MAX_EPISODES_SHOWN)) {
      lines.push(`  ${d.summary}`);
      for (const detail of d.details.slice(0, MAX_DETAILS_SHOWN)) lines.push(`      ${detail}`);
      if (d.details.length > MAX_DETAILS_SHOWN) lines.push(`      … ${d.details.length - MAX_DETAILS_SHOWN} more difference(s)`);
    }
    if (result.differences.length > MAX_EPISODES_SHOWN) lines.push(`  … and ${result.differences.length - MAX_EPISODES_SHOWN} more episode(s) differ`);
    for (const d of untagged) lines.push(`  ${d.message}`);
    lines.push(`cost: $0.0000 (replay; no provider calls); the original run: ${usd(original)}`);
    if (out !== undefined) lines.push(`Replayed run: ${out}`);
    io.stdout(`${lines.join('\n')}\n`);
    return result.differences.length === 0 && untagged.length === 0 ? 0 : 1;
  } finally {
    lock?.release();
    if (out === undefined) rmSync(outDir, { recursive: true, force: true });
  }
}

/** The `replay` command. */
export const replayCommand: Command = {
  summary: 'Re-run a recorded run from its recorded model responses (no provider) and check it is byte-identical',
  usage: USAGE,
  run: (argv) => runReplay(argv),
};
