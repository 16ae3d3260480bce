/**
 * The report page of a set of runs: collected (`collect.ts`), its charts built as Vega-Lite specs
 * (`charts.ts`) and rendered to SVG (`render-svg.ts`), laid out (`html.ts`), and written as
 * `<out>/report.html` with the specs beside it in `<out>/specs/<name>.vl.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparisonTables } from '../compare.js';
import { paperTables } from '../paper-tables.js';
import type { ReportTable } from '../table.js';
import { effortCharts, failureChart, heatmapChart, passKChart, type Chart } from './charts.js';
import { collectPage, type CollectedPage, type CollectOptions } from './collect.js';
import { pageHtml } from './html.js';
import type { PageAnalysis } from './model.js';
import { renderSvgs } from './render-svg.js';

/** File name of the page in its folder. */
export const PAGE_FILE = 'report.html';
/** Folder (beside the page) holding the charts' Vega-Lite specs. */
export const SPECS_DIR = 'specs';

/** Options of {@link buildReportPage}. */
export interface ReportPageOptions extends CollectOptions {
  /** Page title. Default `taubp report`. */
  title?: string;
  /**
   * Tables shown in the page. Default: the comparison tables (`comparisonTables`) and the paper
   * tables (`paperTables`: pass^k with intervals, paired Δ, declined pairs).
   */
  tables?: ReportTable[];
  /** Comparability and failure analysis, when available: a value, or made from what was collected. */
  analysis?: PageAnalysis | ((collected: CollectedPage) => PageAnalysis | undefined);
  /** Clock for the page's "generated" time. Default `new Date()`. */
  now?: () => Date;
  /** Where the specs are written (shown in the page). */
  specsDir?: string;
}

/** A built page. */
export interface BuiltPage {
  html: string;
  charts: Chart[];
  collected: CollectedPage;
}

function defaultTables(c: CollectedPage, options: ReportPageOptions): ReportTable[] {
  const paper = paperTables(c.summaries, {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.resamples === undefined ? {} : { resamples: options.resamples }),
  });
  const declined: ReportTable[] =
    paper.declined.length === 0 ? [] : [{ title: 'Pairs not compared', columns: [{ key: 'why', header: 'Pair and reason' }], rows: paper.declined.map((why) => ({ why })) }];
  return [...comparisonTables(c.summaries), ...paper.tables.map((t) => t.table), ...declined];
}

/** Builds the page of the runs in `dirs` (rendering its charts with Vega). */
export async function buildReportPage(dirs: readonly string[], options: ReportPageOptions = {}): Promise<BuiltPage> {
  const collected = collectPage(dirs, options);
  const analysis = typeof options.analysis === 'function' ? options.analysis(collected) : options.analysis;
  const { data, summaries, intervals, cells, taskIds } = collected;
  const charts: Chart[] = [passKChart(data.runs, intervals), ...effortCharts(data.runs, summaries, intervals), heatmapChart(data.runs, cells, taskIds)];
  if (analysis?.failures !== undefined) {
    charts.push(failureChart(data.runs, analysis.failures));
    const perEpisode = analysis.failures.perEpisode ?? {};
    for (const e of data.episodes) {
      const category = perEpisode[`${e.run}#${e.taskId}#${e.trial}`];
      if (category !== undefined) e.failure = category;
    }
  }
  const svgs = await renderSvgs(charts);
  const html = pageHtml({
    title: options.title ?? 'taubp report',
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    data,
    cells,
    taskIds,
    charts: charts.map((c, i) => ({ ...c, svg: svgs[i] ?? '' })),
    tables: options.tables ?? defaultTables(collected, options),
    ...(analysis === undefined ? {} : { analysis }),
    ...(options.specsDir === undefined ? {} : { specsDir: options.specsDir }),
  });
  return { html, charts, collected };
}

/** Writes `<outDir>/report.html` and `<outDir>/specs/<chart>.vl.json`; returns the files written. */
export async function writeReportPage(outDir: string, dirs: readonly string[], options: ReportPageOptions = {}): Promise<{ page: string; specs: string[] }> {
  const specsDir = join(outDir, SPECS_DIR);
  const built = await buildReportPage(dirs, { ...options, specsDir });
  mkdirSync(specsDir, { recursive: true });
  const specs = built.charts.map((c) => {
    const file = join(specsDir, `${c.name}.vl.json`);
    writeFileSync(file, `${JSON.stringify(c.spec, null, 2)}\n`);
    return file;
  });
  const page = join(outDir, PAGE_FILE);
  writeFileSync(page, built.html);
  return { page, specs };
}
