/**
 * A small table model and its renderers (CSV, Markdown, LaTeX, HTML), so every report the
 * harness writes shows the same numbers in the same order whatever the format.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';

/** A cell value: numbers are formatted per column; null prints as an em dash (n/a). */
export type Cell = string | number | null;

/** One column of a {@link ReportTable}. */
export interface Column {
  key: string;
  header: string;
  /** Decimal places for numbers. Default: integers as is, others 3. */
  digits?: number;
  /** Multiply numbers by 100 and add `%`. Default false. */
  percent?: boolean;
  /** Alignment in Markdown, LaTeX and HTML. Default: left for the first column and for columns of text only, else right. */
  align?: 'left' | 'right';
}

/** A titled table with notes (e.g. "simulated model"). */
export interface ReportTable {
  title: string;
  columns: Column[];
  rows: Array<Record<string, Cell>>;
  notes?: string[];
}

/** Supported output formats. */
export type ReportFormat = 'csv' | 'md' | 'tex' | 'html';

/** Formats a cell for people (Markdown, LaTeX, HTML). */
export function formatCell(value: Cell | undefined, column: Column): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  if (column.percent === true) return `${(value * 100).toFixed(column.digits ?? 1)}%`;
  if (column.digits !== undefined) return value.toFixed(column.digits);
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/** How a column is aligned (see {@link Column.align}). */
export function alignOf(table: ReportTable, index: number): 'left' | 'right' {
  const column = table.columns[index];
  if (column?.align !== undefined) return column.align;
  if (index === 0 || column === undefined) return 'left';
  const cells = table.rows.map((r) => r[column.key]).filter((v) => v !== null && v !== undefined);
  return cells.length > 0 && cells.every((v) => typeof v === 'string') ? 'left' : 'right';
}

/** Options of {@link toCsv}. */
export interface CsvOptions {
  /**
   * Round numbers to the column's `digits` (default 3; percent columns keep the fraction with
   * `digits + 2` decimals), so the file holds what the tables show. Default false: full precision.
   */
  round?: boolean;
}

function roundCell(value: number, column: Column): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  const digits = column.percent === true ? (column.digits ?? 1) + 2 : (column.digits ?? 3);
  return Number(value.toFixed(digits));
}

/** CSV with a header row (one table per file: a tidy table any tool loads); null as an empty cell. */
export function toCsv(table: ReportTable, options: CsvOptions = {}): string {
  return stringify(
    table.rows.map((r) => table.columns.map((c) => {
      const v = r[c.key] ?? null;
      return options.round === true && typeof v === 'number' ? roundCell(v, c) : v;
    })),
    { header: true, columns: table.columns.map((c) => c.header), cast: { number: (v) => String(v) } },
  );
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** A GitHub-flavoured Markdown table with the title as a heading and notes below. */
export function toMarkdown(table: ReportTable): string {
  const head = `| ${table.columns.map((c) => escapeMd(c.header)).join(' | ')} |`;
  const sep = `|${table.columns.map((_, i) => (alignOf(table, i) === 'left' ? ' --- ' : ' ---: ')).join('|')}|`;
  const body = table.rows.map((r) => `| ${table.columns.map((c) => escapeMd(formatCell(r[c.key], c))).join(' | ')} |`);
  const notes = (table.notes ?? []).map((n) => `\n_${n}_`).join('\n');
  return `### ${table.title}\n\n${[head, sep, ...body].join('\n')}\n${notes}${notes === '' ? '' : '\n'}`;
}

const TEX_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}', '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#', _: '\\_', '{': '\\{', '}': '\\}', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}',
};

/** Non-ASCII characters the tables use, as pdflatex-safe LaTeX. */
const TEX_UNICODE: Record<string, string> = {
  'Δ': '$\\Delta$', 'τ': '$\\tau$', '²': '$^2$', '±': '$\\pm$', '×': '$\\times$', '≠': '$\\neq$', '≤': '$\\leq$', '≥': '$\\geq$',
  '→': '$\\rightarrow$', '−': '$-$', '—': '--', '–': '--', '…': '\\ldots{}', '·': '$\\cdot$', '’': "'", '‘': '`', '“': '``', '”': "''",
};

/**
 * Escapes LaTeX special characters and writes the non-ASCII characters the tables use (Δ, τ, ±,
 * dashes…) as LaTeX; any other non-ASCII character loses its accents or becomes `?`, so the output
 * always compiles with pdflatex.
 */
export function escapeTex(s: string): string {
  const escaped = s.replace(/[\\&%$#_{}~^]/g, (ch) => TEX_ESCAPES[ch] ?? ch);
  return escaped.replace(/[^\x00-\x7f]/g, (ch) => TEX_UNICODE[ch] ?? (ch.normalize('NFKD').replace(/[^\x00-\x7f]/g, '') || '?'));
}

/** A LaTeX `table` with booktabs rules (needs `\usepackage{booktabs}`). */
export function toLatex(table: ReportTable): string {
  const cols = table.columns.map((_, i) => (alignOf(table, i) === 'left' ? 'l' : 'r')).join('');
  const head = `${table.columns.map((c) => escapeTex(c.header)).join(' & ')} \\\\`;
  const body = table.rows.map((r) => `${table.columns.map((c) => escapeTex(formatCell(r[c.key], c))).join(' & ')} \\\\`);
  const notes = (table.notes ?? []).map((n) => `\\par\\footnotesize ${escapeTex(n)}`).join('\n');
  return [
    '\\begin{table}[t]',
    '\\centering',
    `\\caption{${escapeTex(table.title)}}`,
    `\\begin{tabular}{${cols}}`,
    '\\toprule',
    head,
    '\\midrule',
    ...body,
    '\\bottomrule',
    '\\end{tabular}',
    ...(notes === '' ? [] : [notes]),
    '\\end{table}',
    '',
  ].join('\n');
}

/** Text as HTML: `& < > " '` become character references (safe in element content and quoted attributes). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * One table as an HTML fragment (`<h2>`/`<h3>` title, table, notes), every text escaped; cells of
 * right-aligned columns (numbers) get `class="n"`, headers `class="n"` likewise.
 */
export function tableHtml(table: ReportTable, heading: 'h2' | 'h3' = 'h2'): string {
  const cls = (i: number): string => (alignOf(table, i) === 'left' ? '' : ' class="n"');
  const head = table.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c.header)}</th>`).join('');
  const body = table.rows.map((r) => `<tr>${table.columns.map((c, i) => `<td${cls(i)}>${escapeHtml(formatCell(r[c.key], c))}</td>`).join('')}</tr>`).join('\n');
  const notes = (table.notes ?? []).map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n');
  return `<${heading}>${escapeHtml(table.title)}</${heading}>\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n${notes}`;
}

/**
 * A standalone HTML document of tables only (no scripts, inline CSS). The report page with run
 * metadata, charts and the trajectory viewer is `src/report/page/` (`taubp report --format html`).
 */
export function toHtml(tables: ReportTable | ReportTable[]): string {
  const list = Array.isArray(tables) ? tables : [tables];
  const sections = list.map((table) => tableHtml(table));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(list[0]?.title ?? 'Report')}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;margin-bottom:1rem}th,td{border-bottom:1px solid #ccc;padding:.3rem .6rem}th{text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.note{color:#555;font-style:italic}</style>
</head><body>
${sections.join('\n')}
</body></html>
`;
}

/** Renders tables in one format (CSV: rounded tables separated by a blank line, each with its header; files get one table each, see {@link writeReports}). */
export function render(tables: ReportTable[], format: ReportFormat): string {
  switch (format) {
    case 'csv':
      return tables.map((t) => toCsv(t, { round: true })).join('\n');
    case 'md':
      return tables.map(toMarkdown).join('\n');
    case 'tex':
      return tables.map(toLatex).join('\n');
    case 'html':
      return toHtml(tables);
  }
}

/** Every format, in the order reports are written. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'csv', 'tex', 'html'];

/** A file-name-safe slug of text parts: lower case, runs of other characters as one `-`. */
export function slugOf(...parts: string[]): string {
  return parts.join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * Writes the reports into `dir` (created if needed); returns the paths written. Markdown, LaTeX
 * and HTML go to `report.<format>`; CSV is tidy: one rounded file per table,
 * `report-<table title slug>.csv` (the title up to any parenthesis), each with a single header row.
 */
export function writeReports(dir: string, tables: ReportTable[], formats: readonly ReportFormat[] = REPORT_FORMATS): string[] {
  mkdirSync(dir, { recursive: true });
  return formats.flatMap((f) => {
    if (f === 'csv') {
      const used = new Set<string>();
      return tables.map((t, i) => {
        let slug = slugOf(t.title.replace(/\s*\(.*$/, '')) || `table-${i + 1}`;
        if (used.has(slug)) slug = `${slug}-${i + 1}`;
        used.add(slug);
        const file = join(dir, `report-${slug}.csv`);
        writeFileSync(file, toCsv(t, { round: true }));
        return file;
      });
    }
    const file = join(dir, `report.${f}`);
    writeFileSync(file, render(tables, f));
    return [file];
  });
}
