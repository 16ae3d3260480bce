/**
 * `npm run bench:runner`: runner overhead under load. 200 episodes (the built-in airline suite's
 * 50 tasks × 4 trials, tool-calling agent and LLM user) against a local OpenAI-format server that
 * answers every call after 100 ms, at episode concurrency 32, through the real openai SDK and the
 * whole model layer. Prints wall time against the ideal (sum of call latencies ÷ concurrency).
 * Target: ratio ≤ 1.15.
 *
 * The fake server runs in a child process (as a real provider runs elsewhere), so its CPU does
 * not compete with the runner's event loop.
 *
 * Options: --trials <n> (default 4) --concurrency <n> (32) --latency <ms> (100)
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createToolCallingAgent } from '../baselines/tool-calling.js';
import { loadBuiltin } from '../domains/airline/builtin.js';
import { airlineRegistry } from '../domains/airline/registry.js';
import { createModel } from '../src/models/create-model.js';
import { LimiterRegistry } from '../src/models/limiter.js';
import { FakeOpenAIServer } from '../src/models/fake/index.js';
import { inProcessRunConfig, playTasks } from '../src/runner/in-process.js';
import { plannedPairs } from '../src/runner/run.js';
import { goldPlayer } from './lib/gold-player.js';
import { BUILT_IN_USERS } from '../src/users/index.js';

const { values } = parseArgs({
  options: { trials: { type: 'string' }, concurrency: { type: 'string' }, latency: { type: 'string' }, serve: { type: 'boolean' } },
  strict: true,
});
const trials = Number(values.trials ?? 4);
const concurrency = Number(values.concurrency ?? 32);
const latencyMs = Number(values.latency ?? 100);

const suite = loadBuiltin();
const tasks = suite.tasks;

if (values.serve === true) {
  // Child process: the fake provider. Prints its URL, serves until stdin closes.
  const server = await FakeOpenAIServer.start(goldPlayer({ tasks, delayMs: latencyMs }));
  process.stdout.write(`${server.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
} else {
  await main();
}

/** Starts the fake server in a child process; resolves to its URL and a stop function. */
async function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1] as string, '--serve', '--latency', String(latencyMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl).trim());
    });
    child.once('exit', (code) => reject(new Error(`fake server exited with ${code}`)));
  });
  return { url, stop: () => child.stdin.end() };
}

async function main(): Promise<void> {
const registry = airlineRegistry('v1');
const server = await startServer();
const env = { OPENAI_API_KEY: 'bench-key', OPENAI_BASE_URL: server.url };
const model = createModel('openai:bench-model', { env, concurrency, limiters: new LimiterRegistry(), maxRetries: 0, warn: () => undefined });

const overrides = {
  split: 'builtin',
  user: 'llm',
  userModel: model.id,
  trials,
  baseUrl: server.url,
  concurrency,
  providerConcurrency: concurrency,
} as const;
const config = inProcessRunConfig({ domain: 'airline', agent: 'tool-calling', model: model.id, ...overrides });
const cpuBefore = process.cpuUsage();
const eluBefore = performance.eventLoopUtilization();
const started = performance.now();
const result = await playTasks({
  name: 'bench-runner',
  domain: 'airline',
  tasks,
  base: suite.data.base,
  registry,
  policy: suite.policy,
  agent: createToolCallingAgent({ temperature: 0, seed: config.seed, settings: {} }),
  model,
  userModel: model,
  user: { name: 'llm', create: (BUILT_IN_USERS['llm'] as NonNullable<(typeof BUILT_IN_USERS)['llm']>).create },
  config: overrides,
  harnessVersion: 'bench',
  semantics: 'v1',
});
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const elu = performance.eventLoopUtilization(eluBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
server.stop();

const calls = result.records.flatMap((r) => r.calls);
const nominalIdealMs = (calls.length * latencyMs) / concurrency;
const measuredIdealMs = calls.reduce((s, c) => s + c.latencyMs, 0) / concurrency;
const passed = result.records.filter((r) => r.success).length;
// The same episodes on `concurrency` slots with zero overhead (calls × latency each, started in
// the run's order as slots free up): the part of the ratio that is scheduling tail, not overhead.
const order = plannedPairs(tasks, config).map((p) => `${p.task.id}#${p.trial}`);
const byKey = new Map(result.records.map((r) => [`${r.taskId}#${r.trial}`, r.calls.length * latencyMs]));
const slots: number[] = Array.from({ length: concurrency }, () => 0);
for (const key of order) {
  const i = slots.indexOf(Math.min(...slots));
  slots[i] = (slots[i] as number) + (byKey.get(key) ?? 0);
}
const boundMs = Math.max(...slots);
const ratio = wallMs / measuredIdealMs;
console.log(`bench:runner — ${result.records.length} episodes (${tasks.length} built-in airline tasks × ${trials} trials), concurrency ${concurrency}, ${latencyMs} ms per call`);
console.log(`  LLM calls           ${calls.length} (agent ${calls.filter((c) => c.role === 'agent').length}, user ${calls.filter((c) => c.role === 'user').length}); episodes at reward 1: ${passed}/${result.records.length}`);
console.log(`  wall time           ${(wallMs / 1000).toFixed(2)} s`);
console.log(`  ideal (measured)    ${(measuredIdealMs / 1000).toFixed(2)} s  = sum of measured call latencies ÷ ${concurrency}`);
console.log(`  ideal (nominal)     ${(nominalIdealMs / 1000).toFixed(2)} s  = calls × ${latencyMs} ms ÷ ${concurrency}`);
console.log(`  zero-overhead bound ${(boundMs / 1000).toFixed(2)} s  = the same episodes scheduled on ${concurrency} slots with no overhead (ratio ${(boundMs / nominalIdealMs).toFixed(3)} from the tail alone)`);
console.log(`  ratio wall / ideal  ${ratio.toFixed(3)} (measured), ${(wallMs / nominalIdealMs).toFixed(3)} (nominal); target ≤ 1.15 → ${ratio <= 1.15 ? 'OK' : 'MISSED'}`);
console.log(`  runner CPU          ${(cpuMs / 1000).toFixed(2)} s (${(cpuMs / calls.length).toFixed(2)} ms per call: SDK, model layer, agent, user, tools, scoring, writes); event loop busy ${(100 * elu.utilization).toFixed(0)}%`);
console.log(`  machine             ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(2)}`);
process.exitCode = ratio <= 1.15 ? 0 : 1;
}
