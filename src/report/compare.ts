/**
 * Paper-style comparison tables built from stored run summaries: pass^k per domain and
 * architecture, the agent-side cost of an episode (LLM calls, tokens, turns, tool calls,
 * latency, dollars), and blueprint-versus-baseline ratios. Rendered by `./table.ts`.
 */
import { createHash } from 'node:crypto';
import type { RunSummary } from './summary.js';
import type { Cell, Column, ReportTable } from './table.js';

/** Roles counted as the agent side (everything but the user simulator). */
function agentRoles(s: RunSummary): string[] {
  return Object.keys(s.usage.byRole).filter((r) => r !== 'user');
}

/** Agent-side totals of a run: calls, tokens by bucket, cost, call latency. */
export function agentSide(s: RunSummary): { calls: number; tokens: number; input: number; output: number; cost: number | null; latencyP50: number | null; latencyP95: number | null } {
  let calls = 0;
  let tokens = 0;
  let input = 0;
  let output = 0;
  let cost: number | null = 0;
  let p50: number | null = null;
  let p95: number | null = null;
  for (const role of agentRoles(s)) {
    const u = s.usage.byRole[role];
    if (u === undefined) continue;
    calls += u.calls;
    tokens += u.totalTokens;
    input += (u.usage.input ?? 0) + (u.usage.cacheRead ?? 0) + (u.usage.cacheWrite ?? 0);
    output += u.usage.output ?? 0;
    cost = cost === null || u.costUsd === null ? null : cost + u.costUsd;
    if (role === 'agent' || p50 === null) {
      p50 = u.latencyMs.p50;
      p95 = u.latencyMs.p95;
    }
  }
  return { calls, tokens, input, output, cost, latencyP50: p50, latencyP95: p95 };
}

function label(s: RunSummary): { domain: string; agent: string; model: string; user: string } {
  const c = s.config;
  return { domain: c.domain, agent: c.agent, model: c.model, user: c.userModel === null ? c.user : `${c.user} (${c.userModel})` };
}

/**
 * The prompt pack of a run as a short label: its kind and the first 8 hex digits of a hash over
 * its element hashes (`reference 1a2b3c4d`), so that packs of the same kind with different text
 * differ too. Runs recorded before packs existed used the harness text: `harness (unrecorded)`.
 */
export function packLabel(s: Pick<RunSummary, 'metadata' | 'config'>): string {
  const id = s.metadata.prompts;
  if (id === undefined) return s.config.prompts === 'reference' ? 'reference (unrecorded)' : 'harness (unrecorded)';
  const keys = Object.keys(id.sha256).sort();
  const digest = createHash('sha256')
    .update(keys.map((k) => `${k}=${id.sha256[k] ?? ''}`).join('\n'))
    .digest('hex');
  return `${id.kind} ${digest.slice(0, 8)}`;
}

/**
 * The prompt pack kind of a run: recorded, else the configured kind (imported published runs say
 * `reference`: they saw their benchmark's own prompts), else `harness` (runs from before packs).
 */
export function packKind(s: Pick<RunSummary, 'metadata' | 'config'>): 'reference' | 'harness' {
  return s.metadata.prompts?.kind ?? s.config.prompts ?? 'harness';
}

/** Whether two runs' packs may be compared: same kind, and the same text where both recorded it. */
export function samePackSetup(a: Pick<RunSummary, 'metadata' | 'config'>, b: Pick<RunSummary, 'metadata' | 'config'>): boolean {
  if (packKind(a) !== packKind(b)) return false;
  return a.metadata.prompts === undefined || b.metadata.prompts === undefined || packLabel(a) === packLabel(b);
}

const per = (total: number, episodes: number): number | null => (episodes === 0 ? null : total / episodes);

/** pass^k table: one row per run, pass^1..pass^K where K is the largest k of any run. */
export function passHatKTable(summaries: readonly RunSummary[]): ReportTable {
  const maxK = Math.max(0, ...summaries.map((s) => s.results.maxK));
  const columns: Column[] = [
    { key: 'domain', header: 'Domain' },
    { key: 'agent', header: 'Agent' },
    { key: 'model', header: 'Model' },
    { key: 'user', header: 'User' },
    { key: 'prompts', header: 'Prompts' },
    { key: 'tasks', header: 'Tasks' },
    { key: 'trials', header: 'Trials' },
    ...Array.from({ length: maxK }, (_, i) => ({ key: `p${i + 1}`, header: `pass^${i + 1}`, digits: 3 })),
    { key: 'reward', header: 'Avg reward', digits: 3 },
  ];
  const rows = summaries.map((s) => {
    const row: Record<string, Cell> = { ...label(s), prompts: packLabel(s), tasks: Object.keys(s.perTask).length, trials: s.config.trials, reward: s.results.averageReward };
    for (let k = 1; k <= maxK; k++) row[`p${k}`] = s.results.passHatK[String(k)] ?? null;
    return row;
  });
  return { title: 'pass^k by domain and agent', columns, rows, notes: notesOf(summaries) };
}

/** Agent-side effort per episode: LLM calls, tokens, turns, tool calls, latency, cost. */
export function effortTable(summaries: readonly RunSummary[]): ReportTable {
  const columns: Column[] = [
    { key: 'domain', header: 'Domain' },
    { key: 'agent', header: 'Agent' },
    { key: 'prompts', header: 'Prompts' },
    { key: 'calls', header: 'LLM calls/ep', digits: 1 },
    { key: 'tokens', header: 'Tokens/ep', digits: 0 },
    { key: 'input', header: 'Input tok/ep', digits: 0 },
    { key: 'output', header: 'Output tok/ep', digits: 0 },
    { key: 'turns', header: 'Turns/ep', digits: 1 },
    { key: 'toolCalls', header: 'Tool calls/ep', digits: 1 },
    { key: 'p50', header: 'Call p50 ms', digits: 0 },
    { key: 'p95', header: 'Call p95 ms', digits: 0 },
    { key: 'cost', header: 'Cost/ep $', digits: 4 },
  ];
  const rows = summaries.map((s) => {
    const a = agentSide(s);
    const n = s.results.episodes;
    return {
      domain: s.config.domain,
      agent: s.config.agent,
      prompts: packLabel(s),
      calls: per(a.calls, n),
      tokens: per(a.tokens, n),
      input: per(a.input, n),
      output: per(a.output, n),
      turns: s.perEpisode.turns.mean,
      toolCalls: s.perEpisode.toolCalls.mean,
      p50: a.latencyP50,
      p95: a.latencyP95,
      cost: a.cost === null ? null : per(a.cost, n),
    };
  });
  return { title: 'Agent-side effort per episode (user simulator excluded)', columns, rows, notes: notesOf(summaries) };
}

/**
 * Blueprint vs baseline per domain (and model): ratios of agent-side LLM calls, tokens, turns and
 * tool calls per episode, and the pass^1 difference in points. Pairs runs of `candidate` agent
 * with runs of `baseline` agent on the same domain, model, user and prompt pack.
 */
export function ratioTable(summaries: readonly RunSummary[], candidate = 'blueprint', baseline = 'tool-calling'): ReportTable {
  const columns: Column[] = [
    { key: 'domain', header: 'Domain' },
    { key: 'model', header: 'Model' },
    { key: 'calls', header: 'LLM calls ratio', percent: true },
    { key: 'tokens', header: 'Tokens ratio', percent: true },
    { key: 'turns', header: 'Turns ratio', percent: true },
    { key: 'toolCalls', header: 'Tool calls ratio', percent: true },
    { key: 'dp1', header: 'Δ pass^1 (points)', digits: 1 },
  ];
  const rows: Array<Record<string, Cell>> = [];
  for (const c of summaries.filter((s) => s.config.agent === candidate)) {
    const b = summaries.find(
      (s) =>
        s.config.agent === baseline &&
        s.config.domain === c.config.domain &&
        s.config.model === c.config.model &&
        s.config.user === c.config.user &&
        samePackSetup(s, c),
    );
    if (b === undefined) continue;
    const ca = agentSide(c);
    const ba = agentSide(b);
    const ratio = (x: number | null, y: number | null): number | null => (x === null || y === null || y === 0 ? null : x / y);
    rows.push({
      domain: c.config.domain,
      model: c.config.model,
      calls: ratio(per(ca.calls, c.results.episodes), per(ba.calls, b.results.episodes)),
      tokens: ratio(per(ca.tokens, c.results.episodes), per(ba.tokens, b.results.episodes)),
      turns: ratio(c.perEpisode.turns.mean, b.perEpisode.turns.mean),
      toolCalls: ratio(c.perEpisode.toolCalls.mean, b.perEpisode.toolCalls.mean),
      dp1: (c.results.passHatK['1'] ?? NaN) * 100 - (b.results.passHatK['1'] ?? NaN) * 100,
    });
  }
  return { title: `${candidate} relative to ${baseline} (per episode, agent side)`, columns, rows, notes: notesOf(summaries) };
}

function notesOf(summaries: readonly RunSummary[]): string[] {
  const notes: string[] = [];
  if (summaries.some((s) => s.simulated)) notes.push('simulated model: numbers from the offline simulator, not a real LLM');
  if (summaries.some((s) => !s.complete)) notes.push('some runs are incomplete (missing episodes)');
  if (summaries.some((s) => s.results.infrastructureErrors > 0)) notes.push('infrastructure errors are excluded from pass^k');
  // Packs differ by domain (each has its own tools); within a domain, or in kind, they must not.
  // Runs that recorded no pack (older runs, imported published runs) count by kind only.
  const kinds = [...new Set(summaries.map(packKind))].sort();
  const mixed: string[] = [];
  for (const domain of [...new Set(summaries.map((s) => s.config.domain))].sort()) {
    const recorded = summaries.filter((s) => s.config.domain === domain && s.metadata.prompts !== undefined);
    const packs = [...new Set(recorded.map(packLabel))].sort();
    if (packs.length > 1) mixed.push(`${domain}: ${packs.join(', ')}`);
  }
  if (mixed.length > 0 || kinds.length > 1) {
    const what = mixed.length > 0 ? mixed.join('; ') : kinds.join(', ');
    notes.push(
      `WARNING: these runs used different prompt packs (${what}; see the Prompts column): the models saw different prompts and tool descriptions, so their numbers are not directly comparable`,
    );
  }
  return notes;
}

/** All comparison tables for a set of runs. */
export function comparisonTables(summaries: readonly RunSummary[]): ReportTable[] {
  const sorted = [...summaries].sort((a, b) => a.config.domain.localeCompare(b.config.domain) || a.config.agent.localeCompare(b.config.agent) || a.config.model.localeCompare(b.config.model));
  const tables = [passHatKTable(sorted), effortTable(sorted)];
  const ratios = ratioTable(sorted);
  if (ratios.rows.length > 0) tables.push(ratios);
  return tables;
}
