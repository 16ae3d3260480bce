/**
 * `loadRunSummary`: a stored summary is used only while it describes the run's files; otherwise it
 * is rebuilt from `episodes.jsonl` (saying why) and saved, unless a writer holds the run or the
 * stored file is not the harness's.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolCallingAgent } from '../../baselines/tool-calling.js';
import { EPISODES_FILE, readEpisodes, RUN_FILE, SUMMARY_FILE } from '../runner/results.js';
import { executeRun } from '../runner/run.js';
import { acquireRunLock } from '../runner/run-lock.js';
import { inProcessManifest, inProcessRunConfig } from '../runner/in-process.js';
import { scriptedUser, toyBase, toyGoldAgentModel, toyRegistry, toyScorer, toyTasks } from '../runner/testing/fixtures.js';
import { loadRunSummary } from './load.js';
import type { RunSummary } from '../runner/summary.js';

async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'taubp-load-'));
  const tasks = toyTasks(3);
  const config = inProcessRunConfig({ domain: 'toy', agent: 'tool-calling', model: 'test:gold', trials: 2 });
  await executeRun(
    {
      manifest: inProcessManifest({ name: 'r', config, tasks, simulated: false }),
      tasks,
      base: toyBase(),
      registry: toyRegistry(),
      policy: 'p',
      agent: new ToolCallingAgent(),
      user: { name: 'scripted', create: scriptedUser('Please deposit.', ['###STOP###']).create },
      models: { agent: toyGoldAgentModel() },
      scorer: toyScorer,
    },
    { outDir: dir },
  );
  return dir;
}

const stored = (dir: string): RunSummary => JSON.parse(readFileSync(join(dir, SUMMARY_FILE), 'utf8')) as RunSummary;

describe('loadRunSummary', () => {
  it('uses a summary that describes the run, and rebuilds and saves one that does not', async () => {
    const dir = await run();
    const notes: string[] = [];
    const note = (t: string): void => void notes.push(t);
    expect(loadRunSummary(dir, { note }).results.episodes).toBe(6);
    expect(notes).toEqual([]);

    // Episodes dropped by hand (same run.json): the summary no longer matches the file.
    const file = join(dir, EPISODES_FILE);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    writeFileSync(file, `${lines.slice(0, 4).join('\n')}\n`);
    const s = loadRunSummary(dir, { note });
    expect(s.results.episodes).toBe(4);
    expect(s.complete).toBe(false);
    expect(notes.join('')).toMatch(/summary\.json is stale: episodes\.jsonl has \d+ bytes now, it describes 6 episode record\(s\) in \d+ bytes; rebuilt the summary from episodes\.jsonl \(4 episodes\) and saved it/);
    expect(stored(dir).results.episodes).toBe(4);

    // Same size, other content: one episode's step count edited.
    notes.length = 0;
    const text = readFileSync(file, 'utf8');
    const before = loadRunSummary(dir, { note }).perEpisode.steps.sum;
    const edited = text.replace(/"steps":(\d)/, (_, d: string) => `"steps":${(Number(d) + 1) % 10}`);
    expect(edited.length).toBe(text.length);
    writeFileSync(file, edited);
    expect(loadRunSummary(dir, { note }).perEpisode.steps.sum).not.toBe(before);
    expect(notes.join('')).toMatch(/changed after it was written \(same size, different content/);

    // run.json changed (e.g. a resume that grew the run and was killed before its summary).
    notes.length = 0;
    const manifest = JSON.parse(readFileSync(join(dir, RUN_FILE), 'utf8'));
    manifest.metadata.plannedEpisodes = 12;
    writeFileSync(join(dir, RUN_FILE), JSON.stringify(manifest));
    expect(loadRunSummary(dir, { note }).plannedEpisodes).toBe(12);
    expect(notes.join('')).toMatch(/run\.json changed after it was written/);
    expect(readEpisodes(file).records).toHaveLength(4);
  });

  it('uses a summary kept without its episodes (stored reference runs) as it is, and never overwrites it', async () => {
    const dir = await run();
    rmSync(join(dir, EPISODES_FILE));
    const before = readFileSync(join(dir, SUMMARY_FILE), 'utf8');
    const notes: string[] = [];
    expect(loadRunSummary(dir, { note: (t) => void notes.push(t) }).results.episodes).toBe(6);
    expect(notes).toEqual([]);
    expect(readFileSync(join(dir, SUMMARY_FILE), 'utf8')).toBe(before);
  });

  it('does not save while another writer holds the run, nor over a summary.json it did not write', async () => {
    const dir = await run();
    appendFileSync(join(dir, EPISODES_FILE), '');
    const summary = stored(dir);
    writeFileSync(join(dir, SUMMARY_FILE), JSON.stringify({ ...summary, source: undefined }));
    const lock = acquireRunLock(dir, { command: 'taubp run --resume', releaseOnExit: false });
    const notes: string[] = [];
    try {
      expect(loadRunSummary(dir, { note: (t) => void notes.push(t) }).results.episodes).toBe(6);
    } finally {
      lock.release();
    }
    expect(notes.join('')).toMatch(new RegExp(`does not record which episodes .* rebuilt the summary from episodes\\.jsonl \\(6 episodes\\) \\(not saved: pid ${process.pid} on host .* \\(taubp run --resume\\) is writing this run\\)`));
    expect(stored(dir).source).toBeUndefined();

    writeFileSync(join(dir, SUMMARY_FILE), '{"format": "someone-else"}');
    notes.length = 0;
    expect(loadRunSummary(dir, { note: (t) => void notes.push(t) }).results.episodes).toBe(6);
    expect(notes.join('')).toMatch(/not a taubp summary; .*not saved: the harness does not overwrite a file it did not write/);
    expect(readFileSync(join(dir, SUMMARY_FILE), 'utf8')).toBe('{"format": "someone-else"}');
    writeFileSync(join(dir, SUMMARY_FILE), '{ broken');
    notes.length = 0;
    expect(loadRunSummary(dir, { note: (t) => void notes.push(t) }).results.episodes).toBe(6);
    expect(notes.join('')).toMatch(/summary\.json is not valid JSON .*not saved: the harness does not overwrite a file it did not write/);
    expect(readFileSync(join(dir, SUMMARY_FILE), 'utf8')).toBe('{ broken');
  });
});
