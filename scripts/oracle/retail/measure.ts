/**
 * Prints the retail blueprint's oracle-mode results and its LLM effort next to the tool-calling
 * baseline's, on the built-in suite and the official v1 test split (same tasks, model `sim`,
 * scripted customer, through the runner).
 *
 * Usage: `npx tsx scripts/oracle/retail/measure.ts [--model sim:<p>] [--replies llm]`
 */
import { effortOf, runSuite, type SuiteOptions } from './oracle-runs.js';
import { builtinSuite, officialSuite } from './suite-data.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const model = flag('model') ?? 'sim';
const replies = flag('replies');
const options: SuiteOptions = { model, ...(replies === undefined ? {} : { settings: { replies } }) };
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

for (const [name, data] of [
  ['built-in', builtinSuite()],
  ['official v1 test', officialSuite()],
] as const) {
  const bp = await runSuite(data, options);
  const base = await runSuite(data, { model, agent: 'tool-calling' });
  const e = effortOf(bp);
  const b = effortOf(base);
  const ok = bp.filter((r) => r.success);
  console.log(`${name} (${data.tasks.length} tasks, model ${model}${replies === undefined ? '' : `, replies ${replies}`}) [simulated model]`);
  console.log(`  blueprint reward 1: ${ok.length}/${bp.length} (${pct(ok.length / bp.length)}); missed: ${bp.filter((r) => !r.success).map((r) => r.taskId).join(', ') || 'none'}`);
  console.log(`  baseline  reward 1: ${base.filter((r) => r.success).length}/${base.length}`);
  console.log(`  LLM calls  blueprint ${e.calls}, baseline ${b.calls}: ${pct(e.calls / b.calls)}`);
  console.log(`  tokens     blueprint ${e.tokens}, baseline ${b.tokens}: ${pct(e.tokens / b.tokens)}`);
}
