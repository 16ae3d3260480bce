/**
 * Regenerates the paper tables (`taubp tables`) from every run under `results/` (or the folders
 * given), imported runs included, into `<first folder>/paper-tables/`: tables.md, tables.tex and
 * one CSV per table. Prints the Markdown.
 *
 * Usage: npx tsx scripts/paper-tables.ts [results-dir ...] [--out <dir>] [--baseline a,b] [--seed n]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTables } from '../src/cli/commands/tables.js';
import { paperTablesMarkdown } from '../src/report/paper-tables.js';

const { values, positionals } = parseArgs({
  options: { out: { type: 'string' }, baseline: { type: 'string' }, seed: { type: 'string' } },
  allowPositionals: true,
});
const roots = (positionals.length > 0 ? positionals : ['results']).filter((r) => existsSync(r));
if (roots.length === 0) {
  process.stderr.write('paper-tables: no results folder (run `npm run bench`, `taubp run` or `taubp import` first)\n');
  process.exit(1);
}
const out = values.out ?? join(roots[0] as string, 'paper-tables');
const tables = buildTables(roots, {
  out,
  ...(values.baseline === undefined ? {} : { baselines: values.baseline.split(',') }),
  ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
});
process.stdout.write(paperTablesMarkdown(tables));
