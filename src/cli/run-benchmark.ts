/**
 * `runBenchmark(options)`: `taubp run` as a library call. The options are the command's flags in
 * camelCase (`maxSteps` for `--max-steps`); they become the same argument list and run through
 * the same `runRun` (no second pipeline), and the promise resolves to the summary written to
 * `<out>/summary.json`.
 */
import { ConfigError, HarnessError } from '../core/errors.js';
import { loadPlugins } from '../plugin/load.js';
import type { PluginDefinition } from '../plugin/types.js';
import type { RunSummary } from '../runner/summary.js';

/** Options of {@link runBenchmark}: `taubp run`'s flags in camelCase (see `taubp run --help`). */
export interface BenchmarkOptions {
  /** `--domain`: retail, airline, or a plug-in's domain (required). */
  domain: string;
  /** `--data`: a data directory, τ-bench / τ² checkout, or `builtin` / `builtin:<seed>` (required). */
  data: string;
  /** `--model`: the agent model, e.g. `sim`, `openai:gpt-4o` (required). */
  model: string;
  /** `--agent` (default `tool-calling`; `blueprint`, `blueprint:<id>`, a plug-in's agent). */
  agent?: string;
  /** `--user` (default `llm`; `scripted` needs no model). */
  user?: string;
  /** `--tasks`: indices or ids, e.g. `0-4,7`, or a list of indices (default: the whole split). */
  tasks?: string | readonly number[];
  /** `--trials` (default 1). */
  trials?: number;
  /** `--out`: the run directory (default `results/<domain>-<agent>-<model>-<user>-<time>`). */
  out?: string;
  db?: string;
  split?: string;
  policy?: string;
  prompts?: 'harness' | 'reference';
  temperature?: number;
  baseUrl?: string;
  allToolCalls?: boolean;
  fewShot?: string;
  fewShotCount?: number;
  /** `--agent-setting k=v` for each entry (values sent as JSON). */
  agentSettings?: Readonly<Record<string, unknown>>;
  userModel?: string;
  userTemperature?: number;
  userBaseUrl?: string;
  judgeModel?: string;
  judgeBaseUrl?: string;
  apiKey?: string;
  userApiKey?: string;
  judgeApiKey?: string;
  pricing?: string;
  requestTimeout?: number;
  maxRetries?: number;
  maxResponseBytes?: number;
  maxErrors?: number;
  maxConsecutiveErrors?: number;
  concurrency?: number;
  providerConcurrency?: number;
  seed?: number;
  maxSteps?: number;
  maxTokens?: number;
  cache?: 'off' | 'record' | 'replay' | 'record-replay';
  cacheDir?: string;
  resume?: boolean;
  shard?: string;
  gracePeriod?: number;
  /** `--config <file.json>`: defaults for any option. */
  config?: string;
  /** Plug-ins to install first: paths or package names (as `--plugin`), or plug-in objects. */
  plugins?: ReadonlyArray<string | PluginDefinition>;
  /** Receives what `taubp run` prints (progress, the summary table). Default: nothing is printed. */
  log?: (text: string) => void;
}

/** Options that are not flags. */
const NOT_FLAGS = new Set(['plugins', 'log', 'agentSettings', 'tasks']);

/** The `taubp run` argument list of the options. */
export function benchmarkArgv(options: BenchmarkOptions): string[] {
  const argv: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (NOT_FLAGS.has(key) || value === undefined || value === null) continue;
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (typeof value === 'boolean') {
      if (value) argv.push(flag);
    } else if (typeof value === 'string' || typeof value === 'number') argv.push(flag, String(value));
    else throw new ConfigError(`runBenchmark: option "${key}" must be a string, number or boolean, got ${JSON.stringify(value)}`, { path: key });
  }
  if (options.tasks !== undefined) argv.push('--tasks', typeof options.tasks === 'string' ? options.tasks : options.tasks.join(','));
  for (const [k, v] of Object.entries(options.agentSettings ?? {})) argv.push('--agent-setting', `${k}=${JSON.stringify(v)}`);
  return argv;
}

/**
 * Runs a benchmark exactly as `taubp run` does and resolves to its summary (`summary.json`:
 * `results.passHatK`, usage, cost, per task…). Rejects with the command's error for bad options
 * (an unknown agent or domain, a missing model key); a run that counted no episode still resolves
 * (check `summary.results.counted`). Signals are left to the caller: nothing listens for Ctrl-C.
 *
 * @example
 * const summary = await runBenchmark({ domain: 'retail', data: 'builtin', agent: 'blueprint', model: 'sim', user: 'scripted', tasks: '0-4', trials: 1, out: 'results/try' });
 * console.log(summary.results.passHatK['1']);
 */
export async function runBenchmark(options: BenchmarkOptions): Promise<RunSummary> {
  // Loaded here, not at the top: built-in plug-ins import the library entry (src/index.ts), so a
  // static import of the composition root from it would be a cycle.
  const { inProcessRunIo, runRun } = await import('./commands/run.js');
  const { installPlugin } = await import('./registry.js');
  const files: string[] = [];
  for (const p of options.plugins ?? []) {
    if (typeof p === 'string') files.push(p);
    else installPlugin(p, `plug-in "${p.name}" (runBenchmark)`);
  }
  if (files.length > 0) await loadPlugins(files, installPlugin);
  const log = options.log ?? (() => {});
  let summary: RunSummary | undefined;
  const io = inProcessRunIo({ stdout: log, stderr: log, onSummary: (s) => void (summary = s) });
  const code = await runRun(benchmarkArgv(options), io);
  if (summary === undefined) throw new HarnessError('internal', `runBenchmark: the run ended (exit status ${code}) without a summary`);
  return summary;
}
