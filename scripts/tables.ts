/**
 * Regenerates the paper-style comparison tables from stored results: every run directory (one
 * holding `run.json`) under the given folders (default `results/`), searched up to three levels
 * deep. Writes `<first folder>/tables/report.{md,tex,html} and report-<table>.csv` and prints the Markdown.
 *
 * Usage: npx tsx scripts/tables.ts [results-dir ...] [--out <dir>]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { comparisonTables } from '../src/report/compare.js';
import { findRunDirs, loadSummary } from '../src/report/load.js';
import { render, writeReports } from '../src/report/table.js';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
const roots = positionals.length > 0 ? positionals : ['results'];

const dirs = findRunDirs(roots.filter((r) => existsSync(r)), 3);
if (dirs.length === 0) {
  process.stderr.write(`tables: no runs under ${roots.join(', ')} (run \`npm run bench\` or \`taubp run\` first)\n`);
  process.exit(1);
}
const tables = comparisonTables(dirs.map(loadSummary));
const out = values.out ?? join(roots[0] as string, 'tables');
writeReports(out, tables);
process.stdout.write(render(tables, 'md'));
process.stderr.write(`tables: ${dirs.length} run(s) → ${join(out, 'report.{md,tex,html} and report-<table>.csv')}\n`);
