/**
 * All CLI commands by name, each loaded only when it runs (so `taubp --help` and `taubp --version`
 * load no SDK, tokenizer or domain). Add a command with its one-line summary and a `load` that
 * imports its module; the summary must equal the module's `Command.summary` (checked by a test).
 */
import type { Command } from './command.js';

/** A command as the dispatcher knows it before loading it. */
export interface CommandEntry {
  /** One line for `taubp --help` (the same as the loaded command's `summary`). */
  summary: string;
  /** Imports the command's module. */
  load(): Promise<Command>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  run: {
    summary: 'Run an agent against a user simulator on a domain’s tasks (trials, concurrency, resume)',
    load: async () => (await import('./run.js')).runCommand,
  },
  merge: {
    summary: 'Join runs of the same configuration (shards, other task selections) into one',
    load: async () => (await import('./merge.js')).mergeCommand,
  },
  verify: {
    summary: 'Replay and score gold (or stored) trajectories with the reference reward',
    load: async () => (await import('./verify.js')).verifyCommand,
  },
  report: {
    summary: 'comparison tables (pass^k, tokens, calls, latency, cost) from stored runs',
    load: async () => (await import('./report.js')).reportCommand,
  },
  replay: {
    summary: 'Re-run a recorded run from its recorded model responses (no provider) and check it is byte-identical',
    load: async () => (await import('./replay.js')).replayCommand,
  },
  import: { summary: 'import a published τ-bench / τ² run (re-graded here) as a run directory', load: async () => (await import('./import.js')).importCommand },
  view: {
    summary: 'the report page of stored runs (charts, heat map, trajectory viewer) in a temporary folder or on 127.0.0.1',
    load: async () => (await import('./view.js')).viewCommand,
  },
  tables: { summary: 'paper tables (leaderboard layout, Source Code Agent table with intervals) as MD, LaTeX, CSV', load: async () => (await import('./tables.js')).tablesCommand },
};
