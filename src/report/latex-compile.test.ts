/**
 * The LaTeX tables compile: `taubp report --format tex` and `taubp tables` output (from two small
 * real runs) and a table of every special character, each \input into a minimal document and run
 * through pdflatex (Debian's texlive-latex-base + texlive-latex-recommended, installed by .ci/run).
 * Fails (never skips) when pdflatex is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../cli/commands/report.js';
import { buildTables } from '../cli/commands/tables.js';
import { makeSampleRuns } from '../../scripts/lib/sample-runs.js';
import { toLatex, type ReportTable } from './table.js';

let work: string;
let runs: string[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'taubp-latex-test-'));
  runs = await makeSampleRuns(join(work, 'runs'), { tasks: '0-2', trials: 2 });
}, 240_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/**
 * Compiles `body` (LaTeX tables) in a fresh directory with pdflatex; returns the log. Throws with
 * the log's error lines when pdflatex fails (or is not installed: ENOENT).
 */
function compile(name: string, tables: string): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  writeFileSync(join(dir, 'tables.tex'), tables);
  writeFileSync(join(dir, 'doc.tex'), ['\\documentclass{article}', '\\usepackage[T1]{fontenc}', '\\usepackage{booktabs}', '\\begin{document}', '\\input{tables.tex}', '\\end{document}', ''].join('\n'));
  try {
    execFileSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', '-no-shell-escape', 'doc.tex'], { cwd: dir, stdio: 'pipe', timeout: 120_000 });
  } catch (e) {
    const log = existsSync(join(dir, 'doc.log')) ? readFileSync(join(dir, 'doc.log'), 'latin1') : '';
    const errors = log.split('\n').filter((l) => l.startsWith('!') || /^l\.\d+/.test(l));
    throw new Error(`pdflatex failed on ${name}: ${(e as Error).message}\n${errors.join('\n')}`);
  }
  expect(readFileSync(join(dir, 'doc.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  return readFileSync(join(dir, 'doc.log'), 'latin1');
}

describe('LaTeX tables compile with pdflatex', () => {
  it('taubp report --format tex', async () => {
    const out = join(work, 'report');
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      expect(await reportCommand.run([...runs, '--format', 'tex', '--out', out])).toBe(0);
    } finally {
      process.stderr.write = stderr;
    }
    const tex = readFileSync(join(out, 'report.tex'), 'utf8');
    expect(tex).toContain('\\toprule');
    const log = compile('report', tex);
    expect(log).not.toMatch(/Missing character/);
  });

  it('taubp tables (leaderboard, Source Code Agent table, pass^k with intervals)', () => {
    const out = join(work, 'tables');
    buildTables(runs, { out, resamples: 200 }, { stdout: () => {}, stderr: () => {} });
    const tex = readFileSync(join(out, 'tables.tex'), 'utf8');
    expect(tex).toContain('\\begin{tabular}');
    compile('tables', tex);
  });

  it('a table holding every LaTeX special character and the Unicode the tables use', () => {
    const nasty = 'a_b & 50% $x$ #1 {y} ~z ^w \\ Δ τ² ± × ≠ ≤ ≥ → − — – … · ‘q’ “q” é ß 漢';
    const table: ReportTable = {
      title: `Δ pass^1 of run_1 (τ-bench) & co`,
      columns: [
        { key: 'name', header: 'Name_with % & Δ' },
        { key: 'v', header: 'Δ pass^k', digits: 2 },
      ],
      rows: [{ name: nasty, v: -0.125 }, { name: null, v: null }],
      notes: [nasty],
    };
    const log = compile('special', toLatex(table));
    expect(log).not.toMatch(/Missing character/);
  });
});
