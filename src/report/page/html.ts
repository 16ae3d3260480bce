/**
 * The report page as one self-contained HTML document: inline CSS, the charts as inline SVG, the
 * viewer's data as a JSON block and its script inline. A Content-Security-Policy forbids every
 * network request and every script but the page's own (allowed by its sha256), so the page opens
 * from disk with no network, and text from trajectories (escaped everywhere) cannot run as code.
 */
import { createHash } from 'node:crypto';
import { escapeHtml, tableHtml, type ReportTable } from '../table.js';
import type { Chart } from './charts.js';
import { CLIENT_JS } from './client.js';
import type { PageAnalysis, PageCell, PageData } from './model.js';

/** What {@link pageHtml} lays out. */
export interface PageContent {
  title: string;
  /** When the page was made (ISO 8601). */
  generatedAt: string;
  data: PageData;
  cells: PageCell[];
  taskIds: string[];
  /** Charts with their rendered SVG, in page order (the failure chart, when present, goes with the failures). */
  charts: Array<Chart & { svg: string }>;
  /** The pass^k-with-intervals and comparison tables. */
  tables: ReportTable[];
  analysis?: PageAnalysis;
  /** Where the chart specs were written (shown in the page), if they were. */
  specsDir?: string;
}

const CSS = `
:root{--fg:#1d2330;--muted:#5b6473;--line:#dfe3ea;--bg:#fff;--soft:#f5f7fa;--ok:#1a7f37;--bad:#c62828;--mixed:#b26a00;--accent:#2456c9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:1.4rem 2rem 1rem;border-bottom:1px solid var(--line);background:var(--soft)}
header h1{margin:0 0 .2rem;font-size:1.55rem}
header p{margin:.15rem 0;color:var(--muted)}
nav{display:flex;flex-wrap:wrap;gap:.3rem 1.1rem;padding:.55rem 2rem;border-bottom:1px solid var(--line);background:#fff}
nav a{color:var(--accent);text-decoration:none;font-size:.92rem}
main{padding:0 2rem 3rem;max-width:1500px}
section{margin-top:2rem}
h2{font-size:1.25rem;margin:0 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--line)}
h3{font-size:1.02rem;margin:1rem 0 .4rem}
table{border-collapse:collapse;margin:.3rem 0 .8rem;font-size:.9rem}
th,td{padding:.28rem .65rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.table-wrap{overflow-x:auto}
.note,.muted{color:var(--muted)}
.note{font-style:italic;margin:.2rem 0}
.warn{color:#8a4b00;background:#fff6e5;border:1px solid #f3d9a4;border-radius:4px;padding:.4rem .7rem}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure.chart{margin:0;padding:.6rem;border:1px solid var(--line);border-radius:6px;background:#fff;overflow-x:auto;max-width:100%}
figure.chart figcaption{color:var(--muted);font-size:.85rem;max-width:560px;margin-top:.3rem}
figure.chart svg{display:block;height:auto;max-width:none}
#chart-heatmap .mark-text{pointer-events:none}
#viewer .controls{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:center;margin-bottom:.8rem}
#viewer select{font:inherit;padding:.2rem .3rem;max-width:32rem}
.viewer-body{display:grid;grid-template-columns:minmax(11rem,15rem) 1fr;gap:1.2rem}
#v-tasks{display:flex;flex-direction:column;max-height:80vh;overflow-y:auto;border:1px solid var(--line);border-radius:6px}
.task-item{display:flex;justify-content:space-between;gap:.5rem;font:inherit;font-size:.88rem;text-align:left;background:none;border:0;border-bottom:1px solid var(--line);padding:.3rem .55rem;cursor:pointer}
.task-item:hover{background:var(--soft)}
.task-item.active{background:#e8efff}
.task-score{font-variant-numeric:tabular-nums}
.ok{color:var(--ok)}.bad{color:var(--bad)}.mixed{color:var(--mixed)}
.badge{display:inline-block;font-size:.75rem;font-weight:600;border-radius:999px;padding:0 .55rem;margin-left:.5rem;border:1px solid currentColor}
.ep-head{display:flex;align-items:center;gap:.3rem}
.ep-head h3{margin:.2rem 0}
.kv{display:flex;gap:.6rem;font-size:.9rem}.kv .k{color:var(--muted);min-width:4.5rem}
.ep-cols{display:grid;grid-template-columns:minmax(0,11fr) minmax(0,9fr);gap:1.2rem;margin-top:.6rem}
.ev{border:1px solid var(--line);border-left-width:4px;border-radius:5px;padding:.35rem .6rem;margin:.45rem 0;background:#fff}
.ev.msg.user{border-left-color:#7a8699;background:#fafbfc}
.ev.msg.agent{border-left-color:var(--accent)}
.ev.tool{border-left-color:#8e5bd6;background:#fcfaff}
.ev.tool.error{border-left-color:var(--bad)}
.ev.note{border-left-color:#c9a227}
.ev-head{font-weight:600;font-size:.85rem}
.node-tag{font-weight:400;font-size:.75rem;color:var(--muted);margin-left:.6rem;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.sub{font-size:.75rem;color:var(--muted);margin-top:.2rem;text-transform:uppercase;letter-spacing:.04em}
pre{margin:.15rem 0;white-space:pre-wrap;word-break:break-word;font-size:.86rem}
pre.text{font-family:inherit}
pre.code,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem}
table.gold{width:100%}table.gold pre.args{margin:.1rem 0 0;color:var(--muted);font-size:.78rem}
.ep-side{overflow-x:auto}
tr.st-matched td:nth-child(3){color:var(--ok)}
tr.st-missing td:nth-child(3),tr.st-arguments-differ td:nth-child(3){color:var(--bad);font-weight:600}
ol.node-path{columns:2;font-size:.85rem;padding-left:1.6rem}
details.subtask{border:1px solid var(--line);border-radius:5px;padding:.3rem .6rem;margin:.3rem 0;font-size:.88rem}
details.subtask summary,details.obs summary{cursor:pointer}
details.obs summary{text-transform:none;letter-spacing:0;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
@media (max-width:900px){.viewer-body,.ep-cols{grid-template-columns:1fr}}
`;

/** JSON safe inside a `<script>` element: `<`, U+2028 and U+2029 escaped (no `</script>` can end it early). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function runsTable(data: PageData): ReportTable {
  return {
    title: 'Runs',
    columns: [
      { key: 'label', header: 'Run' },
      { key: 'name', header: 'Directory' },
      { key: 'domain', header: 'Domain' },
      { key: 'split', header: 'Split' },
      { key: 'model', header: 'Model' },
      { key: 'user', header: 'User' },
      { key: 'prompts', header: 'Prompts' },
      { key: 'tasks', header: 'Tasks', align: 'right' },
      { key: 'trials', header: 'Trials', align: 'right' },
      { key: 'episodes', header: 'Episodes', align: 'right' },
      { key: 'excluded', header: 'Infra / unscored', align: 'right' },
      { key: 'createdAt', header: 'Created', align: 'left' },
      { key: 'commit', header: 'Commit', align: 'left' },
      { key: 'dataSource', header: 'Data source', align: 'left' },
      { key: 'tasksHash', header: 'Task set sha256', align: 'left' },
    ],
    rows: data.runs.map((r) => ({
      label: r.label,
      name: r.name,
      domain: r.domain,
      split: r.split,
      model: r.model,
      user: r.user,
      prompts: r.prompts,
      tasks: r.tasks,
      trials: r.trials,
      dataSource: r.dataSource,
      tasksHash: r.tasksHash,
      createdAt: r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      episodes: `${r.episodes}${r.complete ? '' : ' (incomplete)'}`,
      excluded: `${r.infrastructureErrors} / ${r.unscored}`,
      commit: r.commit ?? 'not recorded',
    })),
    notes: [
      ...(data.runs.some((r) => r.simulated) ? ['simulated model: some numbers come from the offline simulator, not a real LLM'] : []),
      ...(data.runs.some((r) => !r.complete) ? ['some runs are incomplete (missing episodes)'] : []),
    ],
  };
}

function figure(c: Chart & { svg: string }): string {
  return `<figure class="chart" id="chart-${escapeHtml(c.name)}" data-chart="${escapeHtml(c.name)}">
<h3>${escapeHtml(c.title)}</h3>
${c.svg}
<figcaption>${escapeHtml(c.caption)}</figcaption>
</figure>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${escapeHtml(id)}">\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

const wrap = (t: ReportTable): string => `<div class="table-wrap">${tableHtml(t, 'h3')}</div>`;

/** The page. Every text is escaped; the SVGs are Vega's output (it escapes the text it draws). */
export function pageHtml(p: PageContent): string {
  const chart = (name: string): Chart & { svg: string } | undefined => p.charts.find((c) => c.name === name);
  const figs = (names: string[]): string => `<div class="charts">${names.map(chart).filter((c) => c !== undefined).map(figure).join('\n')}</div>`;
  const sections: Array<{ id: string; title: string; html: string }> = [];
  sections.push({ id: 'runs', title: 'Runs', html: wrap(runsTable(p.data)) });
  sections.push({ id: 'pass-k', title: 'pass^k', html: figs(['passk']) });
  sections.push({ id: 'effort', title: 'Cost and tokens against pass^1', html: figs(['cost', 'tokens']) });
  sections.push({ id: 'tasks', title: 'Per task', html: figs(['heatmap']) });
  const failures = p.analysis?.failures;
  if (failures !== undefined) {
    const table: ReportTable = {
      title: 'Failed episodes by category',
      columns: [{ key: 'run', header: 'Run' }, ...failures.categories.map((c) => ({ key: `c:${c}`, header: c, align: 'right' as const }))],
      rows: failures.perRun.map((r) => Object.fromEntries([['run', p.data.runs[r.run]?.label ?? String(r.run)], ...failures.categories.map((c) => [`c:${c}`, r.counts[c] ?? 0])])),
    };
    sections.push({ id: 'failures', title: 'Failure categories', html: `${figs(['failures'])}\n${wrap(table)}` });
  }
  for (const s of p.analysis?.sections ?? []) {
    sections.push({ id: s.id, title: s.title, html: [...s.tables.map(wrap), ...(s.notes ?? []).map((n) => `<p class="note">${escapeHtml(n)}</p>`)].join('\n') });
  }
  if (p.tables.length > 0) sections.push({ id: 'tables', title: 'Tables', html: p.tables.map(wrap).join('\n') });
  const omitted = p.data.omitted.map((o) => `${o.episodes} episode(s) of ${p.data.runs[o.run]?.label ?? o.run}`);
  sections.push({
    id: 'viewer',
    title: 'Trajectories',
    html: `${omitted.length > 0 ? `<p class="warn">Not embedded (the page keeps trajectories up to a size cap): ${escapeHtml(omitted.join('; '))}. The heat map still counts them; read them in the run's episodes.jsonl.</p>` : ''}
<div class="controls">
<label>Run <select id="v-run"></select></label>
<label>Task <select id="v-task"></select></label>
<label>Trial <select id="v-trial"></select></label>
</div>
<div class="viewer-body">
<div id="v-tasks" aria-label="Tasks"></div>
<div id="v-episode" aria-live="polite"></div>
</div>`,
  });
  const embedded = { ...p.data, cells: p.cells, taskIds: p.taskIds };
  const scriptHash = createHash('sha256').update(CLIENT_JS).digest('base64');
  const csp = `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; base-uri 'none'; form-action 'none'`;
  const simulated = p.data.runs.some((r) => r.simulated);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(p.title)}</h1>
<p>${p.data.runs.length} run(s) · generated ${escapeHtml(p.generatedAt)} by taubp${p.specsDir === undefined ? '' : ` · chart specs (Vega-Lite) in ${escapeHtml(p.specsDir)}`}</p>
${simulated ? '<p class="warn">Simulated model: these results come from the offline simulator, not a real LLM.</p>' : ''}
</header>
<nav>${sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('')}</nav>
<main>
${sections.map((s) => section(s.id, s.title, s.html)).join('\n')}
</main>
<script type="application/json" id="taubp-data">${scriptJson(embedded)}</script>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}
