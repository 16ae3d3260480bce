/**
 * `npm run bench:env`: gold replay and scoring of every official v1 task of both domains (retail
 * test 115 + train 500 + dev 20, airline test 50 = 685) in one process, then the memory of 64
 * concurrent airline episodes. Prints tasks/s, total seconds, ms per tool call and RSS.
 * Targets (issue 2): under 10 s for the 685 tasks; under 1 GB RSS for the 64 episodes.
 *
 * Usage: npm run bench:env [-- --json]   (data: $TAU_SHARED or ../shared)
 */
import { performance } from 'node:perf_hooks';
import { sharedPath } from './lib/shared-data.js';
import type { Task } from '../src/core/task.js';
import { Environment } from '../src/env/environment.js';
import { GoldCache } from '../src/env/reward/gold.js';
import type { RewardContext } from '../src/env/reward/score.js';
import { verifyGold } from '../src/env/reward/verify.js';
import { knownFailure } from '../src/env/tasks/known-failures.js';
import { getDomain, loadDomainData, loadDomainTasks } from '../src/cli/registry.js';
import { clonePy } from '../src/core/py/py-value.js';

const SETS: Array<[domain: string, split: string]> = [
  ['retail', 'test'],
  ['retail', 'train'],
  ['retail', 'dev'],
  ['airline', 'test'],
];

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const tLoad = performance.now();
  const domains = new Map<string, { ctx: RewardContext; tasks: Task[] }>();
  for (const [domain, split] of SETS) {
    let d = domains.get(domain);
    if (d === undefined) {
      const data = loadDomainData(domain, sharedPath('taubench', domain));
      d = { ctx: { base: data.base, registry: getDomain(domain).registry(data.variant), gold: new GoldCache() }, tasks: [] };
      domains.set(domain, d);
    }
    d.tasks.push(...loadDomainTasks(domain, sharedPath('taubench', domain), split));
  }
  const loadMs = performance.now() - tLoad;

  // Gold replay + scoring: each task plays its gold trajectory on a fresh database, then the
  // reward replays the gold actions again on another fresh database and compares.
  let tasks = 0;
  let toolCalls = 0;
  const failures: string[] = [];
  const t0 = performance.now();
  for (const [domain, { ctx, tasks: list }] of domains) {
    for (const task of list) {
      const v = await verifyGold(task, ctx);
      tasks++;
      const agentCalls = v.env.actions.filter((a) => a.name !== 'respond').length;
      // The reward's gold replay runs the gold calls again, minus terminate tools.
      toolCalls += agentCalls + task.actions.filter((a) => ctx.registry.get(a.name)?.terminate !== true).length;
      if (v.info.reward !== 1 && knownFailure(task) === undefined) failures.push(`${domain} ${task.split} ${task.index}: ${v.info.note ?? v.info.reward}`);
    }
  }
  const totalMs = performance.now() - t0;

  // The same with the final database hash of every task, as `taubp verify --jsonl` prints it.
  const t1 = performance.now();
  for (const { ctx, tasks: list } of domains.values()) {
    for (const task of list) (await verifyGold(task, ctx)).env.db.jcsSha256();
  }
  const withHashMs = performance.now() - t1;

  // 64 concurrent airline episodes: 64 live environments, each after replaying a task's gold actions.
  const airline = domains.get('airline');
  if (airline === undefined) throw new Error('airline tasks missing');
  const before = process.memoryUsage().rss;
  const live: Environment[] = [];
  for (let i = 0; i < 64; i++) {
    const task = airline.tasks[i % airline.tasks.length] as Task;
    const env = new Environment({ registry: airline.ctx.registry, base: airline.ctx.base });
    for (const a of task.actions) env.step({ name: a.name, kwargs: clonePy(a.kwargs) });
    live.push(env);
  }
  const rss64 = process.memoryUsage().rss;
  const peakRss = process.resourceUsage().maxRSS * 1024;

  const result = {
    tasks,
    failures: failures.length,
    total_s: Math.round(totalMs) / 1000,
    tasks_per_s: Math.round((tasks / totalMs) * 1000 * 10) / 10,
    tool_calls: toolCalls,
    ms_per_tool_call: Math.round((totalMs / toolCalls) * 1000) / 1000,
    data_load_s: Math.round(loadMs) / 1000,
    total_with_db_hash_s: Math.round(withHashMs) / 1000,
    rss_mb_64_airline_episodes: mb(rss64),
    rss_mb_before_episodes: mb(before),
    peak_rss_mb: mb(peakRss),
    live_episodes: live.length,
    node: process.version,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(
      [
        `bench:env — gold replay + scoring of ${tasks} v1 tasks (retail test/train/dev, airline test), single process`,
        `  data load          ${result.data_load_s.toFixed(2)} s (not included below)`,
        `  total              ${result.total_s.toFixed(2)} s   (target < 10 s)`,
        `  tasks/s            ${result.tasks_per_s}`,
        `  tool calls         ${toolCalls} (trajectory + reward replay)`,
        `  ms per tool call   ${result.ms_per_tool_call} (whole scoring time / tool calls)`,
        `  with DB hash       ${result.total_with_db_hash_s.toFixed(2)} s   (plus the JCS sha256 of every final database, as verify --jsonl; gold replays cached)`,
        `  gold failures      ${failures.length}${failures.length === 0 ? '' : `\n    ${failures.slice(0, 10).join('\n    ')}`}`,
        `64 concurrent airline episodes (live environments after their gold actions)`,
        `  RSS                ${result.rss_mb_64_airline_episodes} MB   (target < 1024 MB; ${result.rss_mb_before_episodes} MB before)`,
        `  peak RSS (process) ${result.peak_rss_mb} MB`,
        '',
      ].join('\n'),
    );
  }
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:env: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
