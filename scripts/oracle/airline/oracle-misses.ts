/**
 * The oracle-mode report on the official τ-bench airline tasks: runs the blueprint on the v1 test
 * split and on τ²'s re-annotated airline tasks (oracle sub-task answers, scripted customer), and
 * explains every v1 task it misses from what actually happened — which gold write was not made
 * and the policy rule the blueprint applied, or which argument differs and how — next to how the
 * task's τ² counterpart fares. `write-oracle-misses.ts` renders it to `ORACLE-MISSES.md`.
 */
import { join } from 'node:path';
import { stableJson } from '../../../src/core/stable-json.js';
import { toPlain, type PyValue } from '../../../src/core/py/py-value.js';
import type { GoldAction, Task } from '../../../src/core/task.js';
import { loadTasks } from '../../../src/env/tasks/source.js';
import type { EpisodeRecord } from '../../../src/contract/record.js';
import { airlineDomain } from '../../../domains/airline/index.js';
import { airlineRegistry } from '../../../domains/airline/registry.js';
import { runOracle, type BlueprintLog } from './oracle-run.js';

/**
 * τ² airline task id → τ-bench v1 test index (τ² re-ordered the same 50 tasks), from
 * `../shared/docs/taubench-notes.md` §7.
 */
export const TAU2_TO_V1: Readonly<Record<string, number>> = {
  0: 49, 1: 47, 2: 46, 3: 44, 4: 40, 5: 37, 6: 35, 7: 34, 8: 32, 9: 27, 10: 17, 11: 15, 12: 14, 13: 13, 14: 8, 15: 6, 16: 7, 17: 4, 18: 2, 19: 1,
  20: 0, 21: 3, 22: 5, 23: 9, 24: 10, 25: 11, 26: 12, 27: 16, 28: 18, 29: 19, 30: 20, 31: 21, 32: 22, 33: 23, 34: 24, 35: 25, 36: 48, 37: 26, 38: 45, 39: 28,
  40: 43, 41: 29, 42: 30, 43: 31, 44: 33, 45: 36, 46: 38, 47: 39, 48: 41, 49: 42,
};

/** One missed v1 task. */
export interface Miss {
  taskId: string;
  /** Generated explanations, one per differing write or unsaid output. */
  reasons: string[];
  /** The τ² counterpart: its id, whether its gold writes differ from v1's, whether the blueprint passes it. */
  tau2: { id: string; goldChanged: boolean; passed: boolean } | null;
}

/** The report. */
export interface OracleReport {
  v1: { total: number; passed: number; misses: Miss[] };
  tau2: { total: number; passed: number; failed: string[] };
}

interface Write {
  name: string;
  args: Record<string, unknown>;
}

const WRITES = new Set(['book_reservation', 'cancel_reservation', 'update_reservation_flights', 'update_reservation_baggages', 'update_reservation_passengers', 'send_certificate']);
const KIND_OF: Record<string, string[]> = {
  book_reservation: ['book'],
  cancel_reservation: ['cancel'],
  update_reservation_flights: ['change_flights', 'change_cabin'],
  update_reservation_baggages: ['change_bags'],
  update_reservation_passengers: ['update_passengers'],
  send_certificate: ['compensation'],
};

function goldWrites(task: Task): Write[] {
  return task.actions.filter((a: GoldAction) => WRITES.has(a.name)).map((a) => ({ name: a.name, args: toPlain(a.kwargs as PyValue) as Record<string, unknown> }));
}

function performedWrites(record: EpisodeRecord): Write[] {
  const out: Write[] = [];
  for (const e of record.trajectory) {
    if (e.type !== 'tool' || e.error || !WRITES.has(e.name)) continue;
    try {
      out.push({ name: e.name, args: JSON.parse(e.arguments) as Record<string, unknown> });
    } catch {
      out.push({ name: e.name, args: {} });
    }
  }
  return out;
}

const same = (a: Write, b: Write): boolean => a.name === b.name && stableJson(a.args) === stableJson(b.args);
const target = (w: Write): string => String(w.args.reservation_id ?? w.args.user_id ?? '');

function brief(w: Write): string {
  const a = w.args;
  const flights = Array.isArray(a.flights) ? (a.flights as Array<Record<string, unknown>>).map((f) => `${String(f.flight_number)} ${String(f.date)}`).join(', ') : '';
  switch (w.name) {
    case 'book_reservation':
      return `book_reservation(${String(a.origin)}→${String(a.destination)}, ${String(a.cabin)}, ${flights})`;
    case 'update_reservation_flights':
      return `update_reservation_flights(${String(a.reservation_id)}, ${String(a.cabin)}, ${flights})`;
    case 'send_certificate':
      return `send_certificate(${String(a.user_id)}, $${String(a.amount)})`;
    default:
      return `${w.name}(${target(w)})`;
  }
}

function differences(ours: Write, gold: Write): string {
  const keys = [...new Set([...Object.keys(ours.args), ...Object.keys(gold.args)])];
  return keys
    .filter((k) => stableJson(ours.args[k]) !== stableJson(gold.args[k]))
    .map((k) => `${k} ${JSON.stringify(ours.args[k])} (gold ${JSON.stringify(gold.args[k])})`)
    .join(', ');
}

/** Why a v1 task missed reward 1, from its episode and the blueprint's final context. */
export function explainMiss(task: Task, record: EpisodeRecord, log: BlueprintLog | undefined): string[] {
  const reasons: string[] = [];
  const done = performedWrites(record);
  const unmatched = [...done];
  const missing: Write[] = [];
  for (const g of goldWrites(task)) {
    const i = unmatched.findIndex((w) => same(w, g));
    if (i >= 0) unmatched.splice(i, 1);
    else missing.push(g);
  }
  const outcomes = log?.ctx?.outcomes ?? [];
  for (const g of missing) {
    const j = unmatched.findIndex((w) => w.name === g.name && target(w) === target(g));
    if (j >= 0) {
      const ours = unmatched.splice(j, 1)[0] as Write;
      reasons.push(`made ${brief(ours)} with ${differences(ours, g)}`);
      continue;
    }
    const rid = g.args.reservation_id;
    const o = outcomes.find((x) => (KIND_OF[g.name] ?? []).includes(x.kind) && (rid === undefined || x.reservation_id === rid) && x.result !== 'done');
    reasons.push(o === undefined ? `gold ${brief(g)} not made` : `gold ${brief(g)} not made: ${o.result}${o.rule === null ? '' : ` [${o.rule}]`}: ${o.detail}`);
  }
  for (const w of unmatched) reasons.push(`made ${brief(w)}, which gold does not have`);
  const said = record.trajectory.filter((e) => e.type === 'message' && e.from === 'agent').map((e) => (e.type === 'message' ? e.text.toLowerCase().replaceAll(',', '') : ''));
  for (const out of task.outputs) if (!said.some((t) => t.includes(out.toLowerCase()))) reasons.push(`output "${out}" not said`);
  if (reasons.length === 0) reasons.push(`episode ended with ${record.termination.reason}${record.termination.message === undefined ? '' : ` (${record.termination.message})`}`);
  return reasons;
}

/** Runs the official v1 and τ² airline tasks in oracle mode and builds the report. */
export async function officialOracleReport(shared: string): Promise<OracleReport> {
  const dir = join(shared, 'taubench', 'airline');
  const v1Tasks = loadTasks('airline', dir, 'test');
  const v1 = await runOracle({ tasks: v1Tasks, base: airlineDomain.loadDb(dir, {}).base, registry: airlineRegistry('v1'), policy: '' });
  const t2Tasks = loadTasks('airline', join(shared, 'tau2', 'airline'), 'base');
  const t2 = await runOracle({ tasks: t2Tasks, base: airlineDomain.loadDb(dir, { variant: 'tau2' }).base, registry: airlineRegistry('tau2'), policy: '' });
  const t2Passed = new Set(t2.records.filter((r) => r.success).map((r) => r.taskId));
  const misses: Miss[] = [];
  for (const task of v1Tasks) {
    const record = v1.records.find((r) => r.taskId === task.id);
    if (record === undefined || record.success) continue;
    const t2Id = Object.keys(TAU2_TO_V1).find((k) => TAU2_TO_V1[k] === task.index);
    const t2Task = t2Tasks.find((t) => t.id === t2Id);
    const g1 = goldWrites(task).map((w) => stableJson(w)).sort();
    const g2 = t2Task === undefined ? [] : goldWrites(t2Task).map((w) => stableJson(w)).sort();
    misses.push({
      taskId: task.id,
      reasons: explainMiss(task, record, v1.logs.get(`${task.id}#${record.trial}`)),
      tau2: t2Task === undefined ? null : { id: t2Task.id, goldChanged: stableJson(g1) !== stableJson(g2), passed: t2Passed.has(t2Task.id) },
    });
  }
  return {
    v1: { total: v1.records.length, passed: v1.records.filter((r) => r.success).length, misses },
    tau2: { total: t2.records.length, passed: t2Passed.size, failed: t2.records.filter((r) => !r.success).map((r) => r.taskId).sort((a, b) => Number(a) - Number(b)) },
  };
}

const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(0)}%`;

/** `ORACLE-MISSES.md`. */
export function renderMisses(report: OracleReport): string {
  const { v1, tau2 } = report;
  const lines = [
    '# Airline blueprint: official tasks missed in oracle mode',
    '',
    '<!-- Generated by `npx tsx scripts/oracle/airline/write-oracle-misses.ts`; `scripts/oracle/airline/oracle.test.ts` checks it is current. Do not edit. -->',
    '',
    'Oracle mode: the simulated model at error probability 0 answers every sub-task from the task (`blueprints/airline/subtask-oracles.ts`),',
    'the scripted customer answers the blueprint, and the real runner scores the episode (v1 reward: final database and required outputs).',
    'The blueprint applies the τ-bench policy as written (free bags regular 0/1/2, silver 1/2/3, gold 2/3/3; insurance covers health or weather;',
    'a delayed-flight certificate only after a change or cancellation; a reservation with a flown segment is transferred).',
    '',
    `- τ-bench v1 airline test: **${v1.passed}/${v1.total} (${pct(v1.passed, v1.total)})** at reward 1.`,
    `- τ² airline tasks (re-annotated by τ²/τ³ on the same data, τ² tools): **${tau2.passed}/${tau2.total} (${pct(tau2.passed, tau2.total)})**${tau2.failed.length === 0 ? '' : `; missed: ${tau2.failed.join(', ')}`}.`,
    `- Of the ${v1.misses.length} v1 misses, ${v1.misses.filter((m) => m.tau2?.goldChanged === true).length} have different gold writes in τ²; ${v1.misses.filter((m) => m.tau2?.passed === true).length} of their τ² counterparts pass.`,
    '',
    '| v1 task | what differs from gold (generated from the episode) | τ² counterpart |',
    '|---|---|---|',
  ];
  for (const m of v1.misses) {
    const t2 = m.tau2 === null ? '–' : `${m.tau2.id}: gold ${m.tau2.goldChanged ? 'changed' : 'same'}, ${m.tau2.passed ? 'passes' : 'missed'}`;
    lines.push(`| ${m.taskId} | ${m.reasons.map((r) => r.replaceAll('|', '\\|')).join('; ')} | ${t2} |`);
  }
  return `${lines.join('\n')}\n`;
}
