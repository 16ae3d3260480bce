/**
 * The report page in a real browser: Debian's chromium (/usr/bin/chromium, installed by .ci/run)
 * driven by playwright-core. Two small real runs (built-in retail suite, simulated model,
 * scripted customer; blueprint and tool-calling), one episode's text replaced by an HTML/script
 * injection attempt. Fails (never skips) when chromium is missing.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleRuns } from '../../../scripts/lib/sample-runs.js';
import { runTasksLoader } from '../../cli/commands/view.js';
import { REPO_ROOT } from '../../../test/shared-data.js';
import type { EpisodeRecord } from '../../contract/record.js';
import { collectPage } from './collect.js';
import { writeReportPage } from './write-page.js';

/** Chromium flags for a quiet, sandbox-free headless run in CI containers. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const INJECTION = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> & <b>bold</b>';
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

let work: string;
let runs: string[];
let page: string;
let specs: string[];
let context: BrowserContext | undefined;
let userDataDir: string | undefined;

function records(dir: string): EpisodeRecord[] {
  return readFileSync(join(dir, 'episodes.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as EpisodeRecord);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'taubp-page-test-'));
  runs = await makeSampleRuns(join(work, 'runs'), { tasks: '0-5', trials: 2 });
  // The first user message of the blueprint run's first episode becomes an injection attempt.
  const file = join(runs[0] as string, 'episodes.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const first = JSON.parse(lines[0] as string) as EpisodeRecord;
  const message = first.trajectory.find((e) => e.type === 'message' && e.from === 'user');
  if (message?.type !== 'message') throw new Error('sample run: no user message');
  message.text = `${INJECTION} ${message.text}`;
  lines[0] = JSON.stringify(first);
  writeFileSync(file, `${lines.join('\n')}\n`);
  ({ page, specs } = await writeReportPage(join(work, 'out'), runs, { loadTasks: runTasksLoader(), resamples: 2000, note: () => {} }));
}, 240_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the report page (files)', () => {
  it('is one file with no external reference, and writes one Vega-Lite spec per chart beside it', () => {
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
    expect(specs.map((s) => s.split('/').pop()).sort()).toEqual(['cost.vl.json', 'heatmap.vl.json', 'passk.vl.json', 'tokens.vl.json']);
    for (const s of specs) expect((JSON.parse(readFileSync(s, 'utf8')) as { $schema: string }).$schema).toMatch(/vega-lite\/v6/);
    // The injection is data (escaped in the JSON block), never markup.
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>window.__pwned');
  });

  it('says when trajectories are over the size cap and when gold actions cannot be loaded', () => {
    const c = collectPage(runs, {
      maxEmbedChars: 60_000,
      loadTasks: () => {
        throw new Error('no data here');
      },
      resamples: 100,
      note: () => {},
    });
    const embedded = c.data.episodes.length;
    const omitted = c.data.omitted.reduce((n, o) => n + o.episodes, 0);
    expect(omitted).toBeGreaterThan(0);
    expect(embedded + omitted).toBe(24);
    expect(c.data.episodes.every((e) => e.gold === null)).toBe(true);
    expect(c.data.goldNotes).toHaveLength(2);
    expect(c.data.goldNotes[0]?.note).toMatch(/gold actions unavailable: .*builtin.*no data here/);
  });
});

describe('the report page in chromium', () => {
  let tab: Page;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    userDataDir = mkdtempSync(join(tmpdir(), 'taubp-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 1000 } });
    tab = context.pages()[0] ?? (await context.newPage());
    // A fresh profile (user-data-dir) per run: no state from an earlier run.
    tab.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    tab.on('pageerror', (e) => errors.push(e.message));
    tab.on('request', (r) => requests.push(r.url()));
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector('#v-episode .ep-head');
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('loads with no console error and no request but the file itself', () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  });

  it('draws every chart: an svg with marks in each chart container', async () => {
    const charts = await tab.locator('figure.chart').evaluateAll((figs) =>
      figs.map((f) => ({ name: f.getAttribute('data-chart'), svgs: f.querySelectorAll('svg').length, marks: f.querySelectorAll('svg .role-mark > path, svg .role-mark > a, svg .role-mark > text, svg .role-mark > g').length })),
    );
    expect(charts.map((c) => c.name).sort()).toEqual(['cost', 'heatmap', 'passk', 'tokens']);
    for (const c of charts) {
      expect(c.svgs, c.name ?? '').toBe(1);
      expect(c.marks, c.name ?? '').toBeGreaterThan(0);
    }
    // The heat map has one cell per task and run (6 tasks × 2 runs).
    expect(await tab.locator('#chart-heatmap .mark-rect a').count()).toBe(12);
  });

  it('opens a task’s trajectory from the heat map: conversation, tool calls and gold diff visible', async () => {
    const rec = records(runs[1] as string).find((r) => r.taskId === 'retail-003' && r.trial === 0) as EpisodeRecord;
    const firstUser = rec.trajectory.find((e) => e.type === 'message' && e.from === 'user');
    if (firstUser?.type !== 'message') throw new Error('no user message');
    await tab.locator('#chart-heatmap .mark-rect a[*|href="#view=1/retail-003"]').click();
    await tab.waitForFunction(`document.querySelector('#v-episode h3')?.textContent === 'retail-003 · trial 0'`);
    expect(await tab.locator('#v-run').inputValue()).toBe('1');
    const episode = tab.locator('#v-episode');
    expect(await episode.getByText(firstUser.text.slice(0, 40), { exact: false }).first().isVisible()).toBe(true);
    expect(await episode.locator('.ev.tool').count()).toBe(rec.toolCalls);
    expect(await episode.locator('table.gold tbody tr').count()).toBeGreaterThan(0);
    expect(await episode.locator('.node-path').count()).toBe(0);
  });

  it('opens a task from the task list; a blueprint episode shows its node path and sub-task calls; model text stays text', async () => {
    await tab.locator('#v-run').selectOption('0');
    await tab.locator('#v-tasks .task-item[data-task="retail-000"]').click();
    await tab.waitForFunction(`document.querySelector('#v-episode h3')?.textContent === 'retail-000 · trial 0'`);
    const episode = tab.locator('#v-episode');
    expect(await episode.locator('.ev.msg.user pre').first().textContent()).toContain(INJECTION);
    expect(await tab.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await episode.locator('img').count()).toBe(0);
    expect(await episode.locator('.node-path li').count()).toBeGreaterThan(0);
    expect(await episode.locator('details.subtask').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('keeps a screenshot as a test artifact', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'report-page.png');
    await tab.screenshot({ path: shot, fullPage: true });
    copyFileSync(page, join(ARTIFACTS, 'report-page.html'));
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
  });
});
