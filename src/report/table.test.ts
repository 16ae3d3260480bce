import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeTex, render, toCsv, toMarkdown, writeReports, type ReportTable } from './table.js';

const table: ReportTable = {
  title: 'Retail_1 & co',
  columns: [
    { key: 'agent', header: 'Agent' },
    { key: 'p1', header: 'pass^1', percent: true },
    { key: 'tokens', header: 'Tokens' },
    { key: 'cost', header: 'Cost $', digits: 2 },
  ],
  rows: [
    { agent: 'tool-calling', p1: 0.6043, tokens: 123456, cost: null },
    { agent: 'blue|print', p1: 0.75, tokens: 1000, cost: 1.5 },
  ],
  notes: ['simulated model'],
};

describe('report tables', () => {
  it('CSV keeps full precision and empty cells for null', () => {
    expect(toCsv(table)).toBe('Agent,pass^1,Tokens,Cost $\ntool-calling,0.6043,123456,\nblue|print,0.75,1000,1.5\n');
  });
  it('writes CSV as one tidy, rounded file per table (a single header row each)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taubp-table-'));
    const second: ReportTable = { title: 'Effort per episode (agent side)', columns: [{ key: 'a', header: 'A' }, { key: 'x', header: 'Ratio', digits: 2 }], rows: [{ a: 'bp', x: 3.5000000000000004 }] };
    const files = writeReports(dir, [table, second, { ...second, rows: [] }], ['csv', 'md']);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['report-retail-1-co.csv', 'report-effort-per-episode.csv', 'report-effort-per-episode-3.csv', 'report.md']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.csv'))).toHaveLength(3);
    expect(readFileSync(join(dir, 'report-effort-per-episode.csv'), 'utf8')).toBe('A,Ratio\nbp,3.5\n');
    expect(readFileSync(join(dir, 'report-retail-1-co.csv'), 'utf8')).toBe('Agent,pass^1,Tokens,Cost $\ntool-calling,0.604,123456,\nblue|print,0.75,1000,1.5\n');
  });
  it('Markdown formats percentages, escapes pipes and prints notes', () => {
    const md = toMarkdown(table);
    expect(md).toContain('| tool-calling | 60.4% | 123456 | — |');
    expect(md).toContain('| blue\\|print | 75.0% | 1000 | 1.50 |');
    expect(md).toContain('_simulated model_');
  });
  it('LaTeX escapes specials and uses booktabs', () => {
    const tex = render([table], 'tex');
    expect(tex).toContain('\\caption{Retail\\_1 \\& co}');
    expect(tex).toContain('tool-calling & 60.4\\% & 123456 & -- \\\\');
    expect(tex).toContain('\\toprule');
    expect(escapeTex('a_b$')).toBe('a\\_b\\$');
  });
  it('HTML escapes cells and is a standalone document', () => {
    const html = render([{ ...table, rows: [{ agent: '<script>', p1: 1, tokens: 1, cost: 0 }] }], 'html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('&#60;script&#62;');
    expect(html).not.toContain('<script>');
  });
});

describe('report tables for papers', () => {
  it('CSV can round to the shown digits; Markdown and LaTeX left-align text columns; LaTeX has no raw Unicode', () => {
    const t: ReportTable = {
      title: 'Δ pass^1 on τ-bench',
      columns: [
        { key: 'agent', header: 'Agent' },
        { key: 'note', header: 'Note' },
        { key: 'd', header: 'Δ (points)', digits: 1 },
        { key: 'r', header: 'Fewer turns', percent: true },
      ],
      rows: [{ agent: 'blueprint', note: 'covers 0 — café', d: 65.10817599999996, r: 0.123456 }],
    };
    expect(toCsv(t, { round: true })).toBe('Agent,Note,Δ (points),Fewer turns\nblueprint,covers 0 — café,65.1,0.123\n');
    expect(toMarkdown(t)).toContain('| --- | --- | ---: | ---: |');
    const tex = render([t], 'tex');
    expect(tex).toContain('\\caption{$\\Delta$ pass\\textasciicircum{}1 on $\\tau$-bench}');
    expect(tex).toContain('\\begin{tabular}{llrr}');
    expect(tex).toContain('blueprint & covers 0 -- cafe & 65.1 & 12.3\\% \\\\');
    expect(/[^\x00-\x7f]/.test(tex)).toBe(false);
  });
});
