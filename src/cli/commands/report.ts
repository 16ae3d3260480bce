/**
 * `taubp report <results...>`: comparison tables (pass^k, agent-side effort, blueprint vs
 * baseline ratios) from stored runs, in Markdown, CSV, LaTeX or HTML.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { comparisonTables } from '../../report/compare.js';
import { findRunDirs, loadSummary } from '../../report/load.js';
import { REPORT_FORMATS, render, writeReports, type ReportFormat } from '../../report/table.js';
import { parseFlags, str } from '../args.js';
import type { Command } from './command.js';
import type { ReportFormatDefinition } from '../../plugin/types.js';

/** A report format registered by a plug-in, or undefined. */
async function pluginReportFormat(name: string): Promise<ReportFormatDefinition | undefined> {
  return (await import('../registry.js')).HARNESS.entries.find('reportFormats', name);
}


export const reportCommand: Command = {
  summary: 'comparison tables (pass^k, tokens, calls, latency, cost) from stored runs',
  usage: `Usage: taubp report <run or results dir>... [--format md|csv|tex|html|all] [--out <dir>]

Reads run directories (those holding run.json; a directory of runs is searched one level down),
and prints or writes the comparison tables: pass^k by domain and agent, agent-side effort per
episode, and blueprint vs tool-calling ratios.

  --format <f>   md (default), csv, tex, html, or all (needs --out); html is the report page
                 (charts, per-task heat map, trajectory viewer; specs/ beside it), as \`taubp view\`
  --out <dir>    write report.<ext> files there instead of printing`,
  async run(argv) {
    const { flags, positionals } = parseFlags(argv, { format: { type: 'string' }, out: { type: 'string' } }, 'report');
    if (positionals.length === 0) throw new UsageError('report: give at least one run or results directory');
    const format = str(flags, 'format', 'md') as string;
    const formats: ReportFormat[] = format === 'all' ? [...REPORT_FORMATS] : [format as ReportFormat];
    // A format a plug-in registered (--plugin); the registry loads only for such a name.
    const custom = format === 'all' || REPORT_FORMATS.includes(format as ReportFormat) ? undefined : await pluginReportFormat(format);
    if (custom === undefined && !formats.every((f) => REPORT_FORMATS.includes(f))) throw new UsageError(`report: unknown --format "${format}" (md, csv, tex, html, all, or a plug-in's format)`);
    const out = str(flags, 'out');
    if (format === 'all' && out === undefined) throw new UsageError('report: --format all needs --out <dir>');
    const dirs = findRunDirs(positionals);
    if (dirs.length === 0) throw new UsageError(`report: no runs found under ${positionals.join(', ')}`);
    const tables = comparisonTables(dirs.map(loadSummary));
    if (custom !== undefined) {
      const text = custom.render(tables);
      if (out === undefined) process.stdout.write(text);
      else {
        mkdirSync(out, { recursive: true });
        const file = join(out, `report.${custom.extension ?? format}`);
        writeFileSync(file, text);
        process.stderr.write(`wrote ${file}\n`);
      }
      return 0;
    }
    // HTML is the report page (charts rendered by vega, loaded only here; trajectory viewer).
    const page = async () => ({ ...(await import('../../report/page/write-page.js')), loadTasks: (await import('./view.js')).runTasksLoader() });
    if (out === undefined) {
      if (formats[0] === 'html') {
        const { buildReportPage, loadTasks } = await page();
        process.stdout.write((await buildReportPage(dirs, { loadTasks })).html);
      } else process.stdout.write(render(tables, formats[0] as ReportFormat));
      return 0;
    }
    for (const file of writeReports(out, tables, formats.filter((f) => f !== 'html'))) process.stderr.write(`wrote ${file}\n`);
    if (formats.includes('html')) {
      const { writeReportPage, loadTasks } = await page();
      const written = await writeReportPage(out, dirs, { loadTasks });
      process.stderr.write(`wrote ${written.page} (chart specs in ${dirname(written.specs[0] ?? written.page)})\n`);
    }
    return 0;
  },
};
