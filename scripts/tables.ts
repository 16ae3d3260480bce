/**
 * Regenerates the paper-style comparison tables from stored results: every run directory (one
 * holding `run.json`) under the given folders (default `results/`), searched up to three levels
 * deep. Writes `<first folder>/tables/report.{md,csv,tex,html}` and prints the Markdown.
 *
 * Usage: npx tsx scripts/tables.ts [results-dir ...] [--out <dir>]
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { comparisonTables } from '../src/report/compare.js';
import { loadSummary } from '../src/report/load.js';
import { render } from '../src/report/table.js';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
const roots = positionals.length > 0 ? positionals : ['results'];

function runsUnder(dir: string, depth: number): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  if (existsSync(join(dir, 'run.json'))) return [dir];
  if (depth === 0) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => runsUnder(join(dir, name), depth - 1));
}

const dirs = roots.flatMap((r) => runsUnder(r, 3));
if (dirs.length === 0) {
  process.stderr.write(`tables: no runs under ${roots.join(', ')} (run \`npm run bench\` or \`taubp run\` first)\n`);
  process.exit(1);
}
const tables = comparisonTables(dirs.map(loadSummary));
const out = values.out ?? join(roots[0] as string, 'tables');
mkdirSync(out, { recursive: true });
for (const f of ['md', 'csv', 'tex', 'html'] as const) writeFileSync(join(out, `report.${f}`), render(tables, f));
process.stdout.write(render(tables, 'md'));
process.stderr.write(`tables: ${dirs.length} run(s) → ${join(out, 'report.{md,csv,tex,html}')}\n`);
