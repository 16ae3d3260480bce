/**
 * Two small real runs for the report page's browser test and screenshot script: the built-in
 * retail suite played by the simulated model and the scripted customer, once by the blueprint
 * agent and once by the tool-calling baseline, through `taubp run` in this process (injected io,
 * nothing printed). The composition root (`src/cli/registry.ts`) supplies domains and agents.
 */
import { join } from 'node:path';
import { inProcessRunIo, runRun } from '../../src/cli/commands/run.js';

/** Options of {@link makeSampleRuns}. */
export interface SampleRunsOptions {
  /** Tasks of the built-in suite (`--tasks`). Default `0-5`. */
  tasks?: string;
  /** Trials per task. Default 2. */
  trials?: number;
  /** Simulated model spec (`sim:<p>` errs with probability p per decision). Default `sim:0.1`. */
  model?: string;
  /** Where stderr goes. Default: dropped. */
  stderr?: (text: string) => void;
}

/** Runs both agents into `<dir>/blueprint` and `<dir>/tool-calling`; returns the two run directories. */
export async function makeSampleRuns(dir: string, options: SampleRunsOptions = {}): Promise<string[]> {
  const io = inProcessRunIo({ stdout: () => {}, stderr: options.stderr ?? (() => {}) });
  const dirs: string[] = [];
  for (const agent of ['blueprint', 'tool-calling']) {
    const out = join(dir, agent);
    const argv = ['--domain', 'retail', '--data', 'builtin', '--agent', agent, '--model', options.model ?? 'sim:0.1', '--user', 'scripted'];
    const status = await runRun([...argv, '--tasks', options.tasks ?? '0-5', '--trials', String(options.trials ?? 2), '--out', out], io);
    if (status !== 0) throw new Error(`sample run ${agent} exited with status ${status}`);
    dirs.push(out);
  }
  return dirs;
}
