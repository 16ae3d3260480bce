/**
 * The report page's figures as Vega-Lite specifications with their data inline, so each one is a
 * standalone file (`specs/<name>.vl.json`) a researcher can restyle and render with any Vega-Lite
 * tool. Rendered to SVG at report time by `render-svg.ts`.
 */
import type { PassHatKInterval } from '../../metrics/bootstrap.js';
import { agentSide } from '../compare.js';
import type { RunSummary } from '../../runner/summary.js';
import type { PageAnalysis, PageCell, PageRun } from './model.js';

/** A Vega-Lite specification (JSON). */
export type VlSpec = Record<string, unknown>;

/** One figure of the page. */
export interface Chart {
  /** File name stem and DOM id (`passk` → `specs/passk.vl.json`, `#chart-passk`). */
  name: string;
  title: string;
  /** What the figure shows, printed under it. */
  caption: string;
  spec: VlSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const CONFIG = {
  font: FONT,
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600, grid: true, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  view: { stroke: null },
};

function runColor(runs: readonly PageRun[]): Record<string, unknown> {
  return { field: 'run', type: 'nominal', title: 'Run', scale: { domain: runs.map((r) => r.label) }, sort: runs.map((r) => r.label) };
}

/** pass^k for k = 1..n per run: the estimate as a line, its 95% bootstrap interval as a band. */
export function passKChart(runs: readonly PageRun[], intervals: readonly PassHatKInterval[][]): Chart {
  const values = intervals.flatMap((list, i) => list.map((p) => ({ run: runs[i]?.label ?? String(i), k: p.k, estimate: p.estimate, low: p.low, high: p.high, tasks: p.tasks })));
  const confidence = intervals.flat()[0]?.confidence ?? 0.95;
  const maxK = Math.max(1, ...values.map((v) => v.k));
  const x = { field: 'k', type: 'quantitative', title: 'k (trials that must all succeed)', scale: { domain: [1, maxK], nice: false }, axis: { tickMinStep: 1, format: 'd' } };
  return {
    name: 'passk',
    title: 'pass^k with intervals',
    caption: `pass^k (the chance that all k trials of a task succeed, unbiased estimator) for k = 1..n; bands: ${Math.round(confidence * 100)}% percentile bootstrap over tasks.`,
    spec: {
      $schema: SCHEMA,
      width: 460,
      height: 280,
      config: CONFIG,
      data: { values },
      encoding: { x, color: runColor(runs) },
      layer: [
        { mark: { type: 'area', opacity: 0.18 }, encoding: { y: { field: 'low', type: 'quantitative', title: 'pass^k', scale: { domain: [0, 1] } }, y2: { field: 'high' } } },
        { mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { y: { field: 'estimate', type: 'quantitative' } } },
      ],
    },
  };
}

/** Per-episode agent-side cost and tokens of each run against its pass^1 (with its interval). */
export function effortCharts(runs: readonly PageRun[], summaries: readonly RunSummary[], intervals: readonly PassHatKInterval[][]): Chart[] {
  const rows = summaries.map((s, i) => {
    const a = agentSide(s);
    const n = s.results.episodes;
    const p1 = intervals[i]?.[0];
    return {
      run: runs[i]?.label ?? String(i),
      cost: a.cost === null || n === 0 ? null : a.cost / n,
      tokens: n === 0 ? null : a.tokens / n,
      pass1: p1?.estimate ?? null,
      low: p1?.low ?? null,
      high: p1?.high ?? null,
    };
  });
  const chart = (name: string, field: 'cost' | 'tokens', title: string, axisTitle: string, format: string): Chart => {
    const values = rows.filter((r) => r[field] !== null && r.pass1 !== null);
    const missing = rows.length - values.length;
    return {
      name,
      title,
      caption: `Each point is a run: agent-side ${field === 'cost' ? 'cost in USD' : 'tokens'} per episode (user simulator excluded) against pass^1; the vertical bar is pass^1's 95% interval.${missing > 0 ? ` ${missing} run(s) left out (${field === 'cost' ? 'unpriced model or ' : ''}no counted episode).` : ''}`,
      spec: {
        $schema: SCHEMA,
        width: 360,
        height: 260,
        config: CONFIG,
        data: { values },
        encoding: {
          x: { field, type: 'quantitative', title: axisTitle, axis: { format }, scale: { zero: true } },
          color: runColor(runs),
        },
        layer: [
          { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'low', type: 'quantitative', title: 'pass^1', scale: { domain: [0, 1] } }, y2: { field: 'high' } } },
          { mark: { type: 'point', filled: true, size: 90 }, encoding: { y: { field: 'pass1', type: 'quantitative' }, shape: { field: 'run', type: 'nominal', legend: null } } },
        ],
      },
    };
  };
  return [chart('cost', 'cost', 'Cost against pass^1', 'Cost per episode (USD, agent side)', '$.4f'), chart('tokens', 'tokens', 'Tokens against pass^1', 'Tokens per episode (agent side)', '~s')];
}

/** The page anchor that opens a task of a run in the viewer. */
export function taskHref(run: number, taskId: string): string {
  return `#view=${run}/${encodeURIComponent(taskId)}`;
}

/** Tasks × runs: successes over counted trials; each cell links to the task's trajectory. */
export function heatmapChart(runs: readonly PageRun[], cells: readonly PageCell[], taskIds: readonly string[]): Chart {
  const step = Math.round(Math.max(70, Math.min(160, 900 / Math.max(1, runs.length))));
  const values = cells.map((c) => ({
    task: c.taskId,
    run: runs[c.run]?.label ?? String(c.run),
    rate: c.n === 0 ? null : c.successes / c.n,
    text: `${c.successes}/${c.n}${c.excluded > 0 ? `+${c.excluded}` : ''}`,
    href: taskHref(c.run, c.taskId),
  }));
  return {
    name: 'heatmap',
    title: 'Per-task successes',
    caption: 'Successes / counted trials of each task in each run (+n: trials left out as infrastructure errors or unscored). Click a cell to read its trajectories.',
    spec: {
      $schema: SCHEMA,
      config: { ...CONFIG, axis: { ...CONFIG.axis, grid: false } },
      data: { values },
      width: { step },
      height: { step: 16 },
      encoding: {
        x: { field: 'run', type: 'nominal', title: null, sort: runs.map((r) => r.label), axis: { orient: 'top', labelAngle: 0, labelLimit: step + 60, labelOverlap: false } },
        y: { field: 'task', type: 'nominal', title: 'Task', sort: [...taskIds] },
      },
      layer: [
        {
          mark: { type: 'rect', stroke: 'white', strokeWidth: 1, cursor: 'pointer' },
          encoding: {
            color: { field: 'rate', type: 'quantitative', title: 'Success rate', scale: { domain: [0, 1], scheme: 'redyellowgreen' } },
            href: { field: 'href' },
            tooltip: [{ field: 'task' }, { field: 'run' }, { field: 'text', title: 'successes' }],
          },
        },
        { mark: { type: 'text', fontSize: 10, cursor: 'pointer' }, encoding: { text: { field: 'text' }, href: { field: 'href' }, color: { condition: { test: 'datum.rate !== null && (datum.rate >= 0.8 || datum.rate <= 0.15)', value: 'white' }, value: '#111' } } },
      ],
    },
  };
}

/** Failed episodes by failure category per run (stacked), when the analysis supplies them. */
export function failureChart(runs: readonly PageRun[], failures: NonNullable<PageAnalysis['failures']>): Chart {
  const values = failures.perRun.flatMap((r) => Object.entries(r.counts).filter(([, n]) => n > 0).map(([category, count]) => ({ run: runs[r.run]?.label ?? String(r.run), category, count })));
  return {
    name: 'failures',
    title: 'Failure categories',
    caption: 'Failed episodes of each run by category (deterministic classification of each trajectory against the gold actions).',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values },
      width: 460,
      height: { step: 26 },
      mark: 'bar',
      encoding: {
        y: { field: 'run', type: 'nominal', title: null, sort: runs.map((r) => r.label), axis: { labelLimit: 240 } },
        x: { field: 'count', type: 'quantitative', title: 'Failed episodes', stack: 'zero' },
        color: { field: 'category', type: 'nominal', title: 'Category', scale: { domain: failures.categories } },
        tooltip: [{ field: 'run' }, { field: 'category' }, { field: 'count' }],
      },
    },
  };
}
