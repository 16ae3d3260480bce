/**
 * The comparability guard of `taubp report`: what each run measured (domain, data identity,
 * prompt pack, agent, model, user setup, trials) and which runs may be paired with a baseline.
 * Runs are paired only when they share domain, split, task set (`metadata.tasksSha256`), counted
 * tasks, user setup (user simulator, its model and temperature), agent model and prompt pack;
 * every pair declined is returned with its reasons, so the report can list it.
 */
import { basename } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { pairingProblem } from '../../metrics/paired.js';
import { importedFrom } from '../../runner/import-run.js';
import { packLabel, samePackSetup } from '../compare.js';
import { architectureOf, taskCountsOf } from '../paper-tables.js';
import type { RunSummary } from '../../runner/summary.js';

/** The default baseline agent when present. */
export const DEFAULT_BASELINE_AGENT = 'tool-calling';

/** What a run measured, as its comparison rows state it. */
export interface RunIdentity {
  run: string;
  domain: string;
  split: string;
  /** sha256 of the selected tasks (first 8 hex digits shown). */
  tasksSha256: string;
  taskCount: number;
  /** Where the tasks came from: the data path (its last two parts), `built-in`, or the imported file. */
  data: string;
  prompts: string;
  agent: string;
  /** The agent with its settings (`tool-calling (allToolCalls=true)`). */
  architecture: string;
  /** Blueprint name when the run recorded one, else null. */
  blueprint: string | null;
  model: string;
  user: string;
  userModel: string | null;
  userTemperature: number | null;
  trials: number;
}

function tail(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  return parts.slice(-2).join('/') || path;
}

/** A blueprint name recorded by the run (metadata `blueprint.name`, or the agent setting `blueprint`), else null. */
function blueprintOf(s: RunSummary): string | null {
  const meta = (s.metadata as { blueprint?: { name?: unknown } }).blueprint?.name;
  if (typeof meta === 'string') return meta;
  const setting = s.config.agentSettings?.['blueprint'];
  return typeof setting === 'string' ? setting : null;
}

/** The identity of a run (see {@link RunIdentity}). */
export function runIdentity(s: RunSummary): RunIdentity {
  const c = s.config;
  const from = importedFrom(s.metadata);
  const data = from !== undefined ? `imported ${basename(from.file)}` : c.data === null || c.data === undefined || /^builtin(:|$)/.test(c.data) ? `built-in${c.data?.includes(':') === true ? ` (${c.data})` : ''}` : tail(c.data);
  return {
    run: s.run,
    domain: c.domain,
    split: c.split,
    tasksSha256: s.metadata.tasksSha256 ?? '',
    taskCount: s.metadata.taskCount ?? Object.keys(s.perTask).length,
    data,
    prompts: packLabel(s),
    agent: c.agent,
    architecture: architectureOf(s),
    blueprint: blueprintOf(s),
    model: c.model,
    user: c.user,
    userModel: c.userModel,
    userTemperature: c.userTemperature ?? null,
    trials: c.trials,
  };
}

/** `test · 20 tasks · 1a2b3c4d`: split, number of tasks and task-set hash. */
export function dataLabel(id: RunIdentity): string {
  return `${id.split} · ${id.taskCount} tasks · ${id.tasksSha256.slice(0, 8)}`;
}

/** `llm (openai:gpt-4o)`, `scripted`. */
export function userLabel(id: Pick<RunIdentity, 'user' | 'userModel'>): string {
  return id.userModel === null ? id.user : `${id.user} (${id.userModel})`;
}

function sharedTasks(a: readonly string[], b: readonly string[]): string {
  const inB = new Set(b);
  const n = a.filter((id) => inB.has(id)).length;
  return n === 0 ? 'no task id in common' : `${n} task id(s) in common`;
}

/**
 * Why run `a` cannot be compared with run `b` on paired tasks: one reason per difference, empty
 * when they can be paired.
 */
export function pairingObstacles(a: RunSummary, b: RunSummary): string[] {
  const x = runIdentity(a);
  const y = runIdentity(b);
  const out: string[] = [];
  if (x.domain !== y.domain) out.push(`different domains (${x.domain} vs ${y.domain})`);
  if (x.split !== y.split) out.push(`different splits (${x.split} vs ${y.split})`);
  if (x.data !== y.data) out.push(`different data sources (${x.data} vs ${y.data})`);
  if (x.tasksSha256 !== y.tasksSha256) {
    const ia = a.metadata.taskIds;
    const ib = b.metadata.taskIds;
    const shared = ia === undefined || ib === undefined ? '' : `; ${sharedTasks(ia, ib)}`;
    out.push(`different task sets (${x.run}: ${x.taskCount} tasks, hash ${x.tasksSha256.slice(0, 8)}; ${y.run}: ${y.taskCount} tasks, hash ${y.tasksSha256.slice(0, 8)}${shared})`);
  } else {
    const problem = pairingProblem(taskCountsOf(a), taskCountsOf(b), 1);
    if (problem !== null) out.push(problem);
  }
  if (x.user !== y.user || x.userModel !== y.userModel) out.push(`different user simulators (${userLabel(x)} vs ${userLabel(y)})`);
  else if (x.userTemperature !== y.userTemperature) out.push(`different user temperatures (${String(x.userTemperature)} vs ${String(y.userTemperature)})`);
  if (x.model !== y.model) out.push(`different agent models (${x.model} vs ${y.model})`);
  if (!samePackSetup(a, b)) out.push(`different prompt packs (${x.prompts} vs ${y.prompts})`);
  return out;
}

/** A run and the baseline run it is compared with. */
export interface RunPair {
  candidate: RunSummary;
  baseline: RunSummary;
}

/** A pair the report did not compare, and why. */
export interface DeclinedPair {
  candidate: string;
  /** The baseline run considered, or null when there was none to consider. */
  baseline: string | null;
  reasons: string[];
}

/** Which runs are compared with which baseline run. */
export interface Pairing {
  /** The baseline agent. */
  baselineAgent: string;
  pairs: RunPair[];
  declined: DeclinedPair[];
}

/**
 * The baseline agent: `requested` when given (it must be the agent of some run), else
 * tool-calling when a run has it, else the agent of the first run.
 * @throws UsageError when `requested` is the agent of no run.
 */
export function chooseBaseline(summaries: readonly RunSummary[], requested?: string): string {
  const agents = [...new Set(summaries.map((s) => s.config.agent))];
  if (requested !== undefined) {
    if (!agents.includes(requested)) throw new UsageError(`report: --baseline ${requested}: no run has that agent (agents: ${agents.join(', ')})`);
    return requested;
  }
  return agents.includes(DEFAULT_BASELINE_AGENT) ? DEFAULT_BASELINE_AGENT : (summaries[0]?.config.agent ?? DEFAULT_BASELINE_AGENT);
}

/**
 * Pairs every run whose agent is not the baseline agent with the baseline run of its domain
 * that it can be compared with (the first by run name when several can); every baseline run of
 * the same domain it cannot be paired with is declined with the reasons, and a run with no
 * baseline run on its domain is declined too.
 */
export function pairRuns(summaries: readonly RunSummary[], baselineAgent: string): Pairing {
  const pairs: RunPair[] = [];
  const declined: DeclinedPair[] = [];
  const baselines = summaries.filter((s) => s.config.agent === baselineAgent).sort((a, b) => a.run.localeCompare(b.run));
  for (const c of summaries) {
    if (c.config.agent === baselineAgent) continue;
    const sameDomain = baselines.filter((b) => b.config.domain === c.config.domain);
    if (sameDomain.length === 0) {
      declined.push({ candidate: c.run, baseline: null, reasons: [`no ${baselineAgent} run on ${c.config.domain}`] });
      continue;
    }
    let chosen: RunSummary | undefined;
    for (const b of sameDomain) {
      const reasons = pairingObstacles(c, b);
      if (reasons.length > 0) declined.push({ candidate: c.run, baseline: b.run, reasons });
      else if (chosen === undefined) chosen = b;
      else declined.push({ candidate: c.run, baseline: b.run, reasons: [`compared with ${chosen.run}, another ${baselineAgent} run on the same setup`] });
    }
    if (chosen !== undefined) pairs.push({ candidate: c, baseline: chosen });
  }
  return { baselineAgent, pairs, declined };
}
