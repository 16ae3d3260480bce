import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { makeSampleRuns } from '../../../scripts/lib/sample-runs.js';
import { runView, type ViewIo } from './view.js';

let work: string;
let runs: string[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'taubp-view-test-'));
  runs = await makeSampleRuns(join(work, 'runs'), { tasks: '0-1', trials: 1 });
}, 240_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

function io(): ViewIo & { out: string[]; err: string[]; interrupt: () => void; served: Promise<string> } {
  let handler: (() => void) | undefined;
  let onServe: (url: string) => void = () => {};
  const served = new Promise<string>((resolve) => (onServe = resolve));
  const o = {
    out: [] as string[],
    err: [] as string[],
    stdout: (t: string) => void o.out.push(t),
    stderr: (t: string) => void o.err.push(t),
    tmpdir: work,
    onInterrupt: (h: () => void) => {
      handler = h;
      return () => (handler = undefined);
    },
    onServe,
    interrupt: () => handler?.(),
    served,
  };
  return o;
}

describe('taubp view', () => {
  it('writes the page and its specs to a new temporary folder and prints the page path', async () => {
    const c = io();
    expect(await runView(runs, c)).toBe(0);
    const page = (c.out.join('').trim().split('\n')[0] ?? '').trim();
    expect(page.startsWith(join(work, 'taubp-view-'))).toBe(true);
    expect(page.endsWith('report.html')).toBe(true);
    expect(readFileSync(page, 'utf8')).toContain('<h1>taubp report</h1>');
    expect(existsSync(join(dirname(page), 'specs', 'heatmap.vl.json'))).toBe(true);
    // A second view gets its own folder.
    const d = io();
    await runView([runs[0] as string], d);
    expect(d.out.join('').trim()).not.toBe(page);
  });

  it('--serve 0 serves the page and its specs on 127.0.0.1 (nothing else) until interrupted', async () => {
    const c = io();
    const done = runView([...runs, '--serve', '0'], c);
    const url = await c.served;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(c.out.join('')).toBe(`${url}\n`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('id="taubp-data"');
    const spec = await fetch(`${url}specs/passk.vl.json`);
    expect(spec.status).toBe(200);
    expect(((await spec.json()) as { $schema: string }).$schema).toMatch(/vega-lite/);
    expect((await fetch(`${url}../run.json`)).status).toBe(404);
    expect((await fetch(`${url}specs/../../runs/blueprint/run.json`)).status).toBe(404);
    c.interrupt();
    expect(await done).toBe(0);
    expect(c.err.join('')).toContain('view: stopped');
    await expect(fetch(url)).rejects.toThrow();
  });

  it('--serve=<port> and --out; bad arguments are usage errors naming the flag', async () => {
    const out = join(work, 'chosen');
    const c = io();
    expect(await runView([runs[0] as string, '--out', out], c)).toBe(0);
    expect(c.out.join('').trim()).toBe(join(out, 'report.html'));
    await expect(runView([], io())).rejects.toThrow(UsageError);
    await expect(runView([runs[0] as string, '--port', '80'], io())).rejects.toThrow(/--port needs --serve/);
    await expect(runView([runs[0] as string, '--serve=70000'], io())).rejects.toThrow(/not a port number/);
    await expect(runView([runs[0] as string, '--max-embed-mb', '0'], io())).rejects.toThrow(/--max-embed-mb/);
    await expect(runView([join(work, 'nowhere')], io())).rejects.toThrow(/no such results directory/);
  });
});
