/**
 * Writes a generated database in τ-bench v1 layout (one `<table>.json` per table, Python
 * `json.dumps` text) and, with `--tasks`, the generated tasks (τ-bench v1 task format,
 * `tasks_builtin.json`) and the policy beside it.
 *
 *   npx tsx scripts/generate-data.ts --domain retail --seed 20240515 --scale 1 --out /tmp/retail [--tasks]
 *
 * Same seed and scale → byte-identical files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFlags, str } from '../src/cli/args.js';
import { UsageError } from '../src/core/errors.js';
import { generateAirlineTables } from '../domains/airline/generator/data.js';
import { generateRetailTables } from '../domains/retail/generator/data.js';
import { writeTablesDir, type TableRows } from '../domains/retail/generator/files.js';
import type { Task } from '../src/core/task.js';
import { pyDumps } from '../src/core/py/py-json.js';
import { pyObject } from '../src/core/py/py-value.js';

/** Suites by domain, loaded lazily (task generation runs the domain's tools). */
const SUITES: Record<string, () => Promise<(o: { seed: number | string; scale: number }) => { tasks: Task[]; policy: string }>> = {
  airline: async () => (await import('../domains/airline/builtin.js')).loadBuiltin,
  retail: async () => (await import('../domains/retail/builtin.js')).loadBuiltin,
};

/** Runs the script; returns the files written. */
export async function main(argv: string[]): Promise<string[]> {
  const { flags } = parseFlags(
    argv,
    { domain: { type: 'string' }, seed: { type: 'string' }, scale: { type: 'string' }, out: { type: 'string' }, tasks: { type: 'boolean' } },
    'generate-data',
  );
  const domain = str(flags, 'domain');
  const out = str(flags, 'out');
  if (domain !== 'retail' && domain !== 'airline') throw new UsageError('generate-data: --domain must be retail or airline');
  if (out === undefined) throw new UsageError('generate-data: --out <dir> is required');
  const seedText = str(flags, 'seed', '20240515') as string;
  const seed: number | string = /^\d+$/.test(seedText) ? Number(seedText) : seedText;
  const scale = Number(str(flags, 'scale', '1'));
  if (!(scale > 0)) throw new UsageError(`generate-data: --scale must be a positive number, got ${String(flags.scale)}`);
  const tables: TableRows = domain === 'retail' ? generateRetailTables({ seed, scale }) : generateAirlineTables({ seed, scale });
  const files = writeTablesDir(out, tables);
  if (flags.tasks === true) {
    const load = await (SUITES[domain] as () => Promise<(o: { seed: number | string; scale: number }) => { tasks: Task[]; policy: string }>)();
    const suite = load({ seed, scale });
    const tasksFile = join(out, 'tasks_builtin.json');
    // τ-bench v1 task format, so the directory is a v1 data source (`--data <out> --split builtin`).
    const v1 = suite.tasks.map((t) =>
      pyObject([
        ['user_id', t.userId ?? ''],
        ['instruction', t.instruction],
        ['actions', t.actions.map((a) => pyObject([['name', a.name], ['kwargs', a.kwargs]]))],
        ['outputs', [...t.outputs]],
      ]),
    );
    writeFileSync(tasksFile, `${pyDumps(v1)}\n`, 'utf8');
    const policyFile = join(out, 'policy.md');
    writeFileSync(policyFile, suite.policy, 'utf8');
    files.push(tasksFile, policyFile);
  }
  return files;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (files) => {
      for (const f of files) process.stdout.write(`${f}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    },
  );
}
