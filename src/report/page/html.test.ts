import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { failureChart, heatmapChart, passKChart, taskHref } from './charts.js';
import { CLIENT_JS } from './client.js';
import { pageHtml, scriptJson, type PageContent } from './html.js';
import type { PageData, PageRun } from './model.js';
import { renderSvgs } from './render-svg.js';

const run = (index: number, over: Partial<PageRun> = {}): PageRun => ({
  index, name: `r${index}`, label: `agent${index} · m`, dir: `/runs/r${index}`, domain: 'retail', split: 'test', agent: `agent${index}`, model: 'm', user: 'scripted',
  trials: 2, tasks: 2, createdAt: '2026-01-01T00:00:00.000Z', commit: 'abc', dataSource: 'builtin', tasksHash: 'ff', prompts: 'harness 1', simulated: false, complete: true,
  episodes: 4, counted: 4, infrastructureErrors: 0, unscored: 0, ...over,
});

function content(over: Partial<PageContent> = {}): PageContent {
  const data: PageData = { runs: [run(0, { name: '<b>r0</b>', label: 'a & <i>b</i>' }), run(1)], episodes: [], omitted: [], goldNotes: [] };
  return { title: 'T <x>', generatedAt: '2026-01-02T00:00:00.000Z', data, cells: [], taskIds: [], charts: [], tables: [], ...over };
}

describe('the page HTML', () => {
  it('allows exactly its own script by hash and no network', () => {
    const html = pageHtml(content());
    const hash = createHash('sha256').update(CLIENT_JS).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).toContain(`<script>${CLIENT_JS}</script>`);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('escapes every text it writes, and the data block cannot close its script element', () => {
    const html = pageHtml(content());
    expect(html).toContain('<title>T &#60;x&#62;</title>');
    expect(html).toContain('a &#38; &#60;i&#62;b&#60;/i&#62;');
    expect(html).not.toContain('<b>r0</b>');
    expect(scriptJson({ t: '</script><script>x()</script>\u2028' })).toBe('{"t":"\\u003c/script>\\u003cscript>x()\\u003c/script>\\u2028"}');
    expect(JSON.parse(scriptJson({ t: '</script>' }))).toEqual({ t: '</script>' });
  });

  it('renders the analysis when present: failure counts per run and extra sections; none without it', () => {
    const bare = pageHtml(content());
    expect(bare).not.toContain('id="failures"');
    const html = pageHtml(
      content({
        analysis: {
          failures: { categories: ['wrong tool', 'missing write'], perRun: [{ run: 0, counts: { 'wrong tool': 2 } }, { run: 1, counts: { 'missing write': 1 } }] },
          sections: [{ id: 'pairs', title: 'Pairs declined', tables: [{ title: 'Declined', columns: [{ key: 'why', header: 'Why' }], rows: [{ why: 'different tasks <3' }] }], notes: ['note & more'] }],
        },
      }),
    );
    expect(html).toContain('<section id="failures">');
    expect(html).toMatch(/<td>a &#38; &#60;i&#62;b&#60;\/i&#62;<\/td><td class="n">2<\/td><td class="n">0<\/td>/);
    expect(html).toContain('<section id="pairs">');
    expect(html).toContain('<td>different tasks &#60;3</td>');
    expect(html).toContain('<p class="note">note &#38; more</p>');
    expect(html.indexOf('id="failures"')).toBeLessThan(html.indexOf('id="viewer"'));
  });
});

describe('charts', () => {
  const runs = [run(0), run(1)];
  const interval = (k: number, estimate: number) => ({ k, estimate, low: estimate - 0.1, high: estimate + 0.05, confidence: 0.95, resamples: 10, seed: 0, tasks: 2, trials: { min: 2, max: 2 } });

  it('every spec compiles and renders to SVG with marks (failures included)', async () => {
    const charts = [
      passKChart(runs, [[interval(1, 0.8), interval(2, 0.7)], [interval(1, 0.6), interval(2, 0.4)]]),
      heatmapChart(runs, [{ run: 0, taskId: 't/1 <x>', successes: 1, n: 2, excluded: 1 }, { run: 1, taskId: 't/1 <x>', successes: 2, n: 2, excluded: 0 }], ['t/1 <x>']),
      failureChart(runs, { categories: ['wrong tool', 'missing write'], perRun: [{ run: 0, counts: { 'wrong tool': 2, 'missing write': 0 } }, { run: 1, counts: { 'missing write': 3 } }] }),
    ];
    const svgs = await renderSvgs(charts);
    for (const svg of svgs) {
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toMatch(/class="mark-[a-z]+ role-mark/);
    }
    // Heat map cells link to the viewer; the task id is encoded in the link and escaped in the text.
    expect(svgs[1]).toContain(`xlink:href="${taskHref(0, 't/1 <x>')}"`);
    expect(taskHref(0, 't/1 <x>')).toBe('#view=0/t%2F1%20%3Cx%3E');
    expect(svgs[1]).toContain('1/2+1');
    expect(svgs[1]).not.toContain('<x>');
    expect(svgs[2]).toContain('wrong tool');
  });

  it('a broken spec is an error naming the chart', async () => {
    await expect(renderSvgs([{ name: 'bad', spec: { mark: 'nonsense-mark', data: { values: [] } } }])).rejects.toThrow(/chart "bad"/);
  });
});
