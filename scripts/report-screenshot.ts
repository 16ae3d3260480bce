/**
 * Makes the README's picture of the report page (`docs/report-page.png`): two small real runs
 * (built-in retail suite, simulated model with errors, scripted customer; blueprint and
 * tool-calling), their page, opened in Debian's chromium through playwright-core, with a failed
 * blueprint episode open in the trajectory viewer, down to the viewer's first screen. The long
 * "Tables" section is hidden for the picture only.
 *
 *   npm run report:screenshot [-- <out.png>]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runTasksLoader } from '../src/cli/commands/view.js';
import { PACKAGE_ROOT } from '../src/core/package-root.js';
import { makeSampleRuns } from './lib/sample-runs.js';
import { writeReportPage } from '../src/report/page/write-page.js';

const out = resolve(process.argv[2] ?? join(PACKAGE_ROOT, 'docs', 'report-page.png'));
const work = mkdtempSync(join(tmpdir(), 'taubp-screenshot-'));
try {
  const runs = await makeSampleRuns(join(work, 'runs'), { tasks: '0-9', trials: 3, model: 'sim:0.15' });
  const { page } = await writeReportPage(join(work, 'page'), runs, { loadTasks: runTasksLoader(), note: () => {} });
  const context = await chromium.launchPersistentContext(join(work, 'chromium'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1400, height: 1000 },
  });
  try {
    const tab = context.pages()[0] ?? (await context.newPage());
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector('#v-episode .ep-head');
    // A failed blueprint episode, if any (else the first), in the viewer. (Page code as text: no DOM types here.)
    const failed = (await tab.evaluate(
      `(() => { const d = JSON.parse(document.getElementById('taubp-data').textContent); return d.episodes.find((e) => e.run === 0 && !e.success) ?? d.episodes[0] ?? null; })()`,
    )) as { run: number; taskId: string; trial: number } | null;
    if (failed !== null) {
      await tab.evaluate(`location.hash = ${JSON.stringify(`#view=${failed.run}/${encodeURIComponent(failed.taskId)}/${failed.trial}`)}`);
      await tab.waitForFunction(`document.querySelector('#v-episode h3')?.textContent === ${JSON.stringify(`${failed.taskId} · trial ${failed.trial}`)}`);
    }
    await tab.evaluate(`document.getElementById('tables')?.remove(); document.querySelector('nav a[href="#tables"]')?.remove(); window.scrollTo(0, 0);`);
    mkdirSync(dirname(out), { recursive: true });
    // The page down to the first screen of the viewer.
    const height = (await tab.evaluate(`Math.min(document.documentElement.scrollHeight, (document.getElementById('viewer')?.offsetTop ?? 0) + 1100)`)) as number;
    await tab.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1400, height } });
    process.stdout.write(`wrote ${out}\n`);
  } finally {
    await context.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
