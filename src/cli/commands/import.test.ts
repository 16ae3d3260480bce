/**
 * Acceptance: importing τ-bench's own gpt-4o tool-calling run on airline test
 * (`tau-bench/historical_trajectories/gpt-4o-airline.json`, 50 tasks × 4 trials) and running
 * `taubp tables` on it reproduces the τ-bench README's leaderboard row "TC (gpt-4o)" for airline,
 * read from that README at test time. Needs ../shared (fails without it).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import type { ImportedEpisodeRecord, ImportedRunMetadata } from '../../runner/import-run.js';
import type { RunManifest } from '../../runner/results.js';
import { runImport } from './import.js';
import { buildTables } from './tables.js';

/** The numbers of a leaderboard row of the τ-bench README: `| [TC (gpt-4o)](…) | 0.420 | … |` under `### <Domain>`. */
function readmeRow(readme: string, domain: string, label: string): number[] {
  const section = readme.split(/^### /m).find((s) => s.startsWith(`${domain}\n`));
  if (section === undefined) throw new Error(`no "### ${domain}" section in the τ-bench README`);
  const line = section.split('\n').find((l) => l.startsWith(`| [${label}]`));
  if (line === undefined) throw new Error(`no "${label}" row under ${domain}`);
  const cells = line.split('|').slice(2, -1).map((c) => c.replace(/\*/g, '').trim());
  return cells.map(Number);
}

describe('taubp import of τ-bench results + taubp tables', () => {
  it('reproduces the τ-bench README leaderboard row TC (gpt-4o) on airline (test)', async () => {
    const file = sharedPath('tau-bench', 'historical_trajectories', 'gpt-4o-airline.json');
    const dir = mkdtempSync(join(tmpdir(), 'taubp-import-'));
    const out = join(dir, 'tc-gpt-4o-airline');
    let printed = '';
    const code = await runImport([file, '--domain', 'airline', '--data', sharedPath('tau-bench'), '--out', out], {
      domains: (await import('../registry.js')).DOMAINS,
      write: (t) => void (printed += t),
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    expect(code).toBe(0);

    // What the run says it is: imported, from which file (sha256), which model and strategy.
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunManifest & { metadata: ImportedRunMetadata };
    const meta = manifest.metadata.imported;
    expect(meta.imported).toBe(true);
    expect(meta.format).toBe('tau-bench-v1');
    expect(meta.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(manifest.config).toMatchObject({ domain: 'airline', split: 'test', agent: 'tool-calling', model: 'openai:gpt-4o', trials: 4, tasks: null, prompts: 'reference' });
    expect(manifest.metadata.taskCount).toBe(50);
    // The run lock was held while writing and released.
    expect(existsSync(join(out, 'run.lock'))).toBe(false);

    // Every trajectory re-graded here; the file's reward kept beside ours; all 200 agree.
    const records = readFileSync(join(out, 'episodes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ImportedEpisodeRecord);
    expect(records).toHaveLength(200);
    expect(meta.agreements).toBe(200);
    expect(meta.disagreements).toEqual([]);
    expect(printed).toMatch(/published reward = ours for 200 of 200; 0 disagree/);
    expect(records.every((r) => typeof r.imported.reward === 'number' && r.imported.agrees)).toBe(true);
    // Episodes that never ended (no reward_info: the step cap) score 0, as in τ-bench.
    const capped = records.filter((r) => r.termination.reason === 'max_steps');
    expect(capped.length).toBeGreaterThan(0);
    expect(capped.every((r) => r.reward === 0)).toBe(true);
    expect(records.filter((r) => r.success).length).toBe(84);
    // The conversation is kept: turns and tool calls counted from the file's messages.
    expect(records[0]?.trajectory.some((e) => e.type === 'tool' && e.observation !== '')).toBe(true);

    const tablesDir = join(dir, 'tables');
    const errors: string[] = [];
    const tables = buildTables([dir], { out: tablesDir, resamples: 500 }, { stdout: () => {}, stderr: (t) => void errors.push(t) });
    const board = tables.tables.find((t) => t.slug === 'leaderboard-airline-test');
    expect(board).toBeDefined();
    const row = board?.table.rows.find((r) => r.strategy === 'TC (gpt-4o)');
    const ours = [1, 2, 3, 4].map((k) => Number((row?.[`p${k}`] as number).toFixed(3)));
    const published = readmeRow(readFileSync(sharedPath('tau-bench', 'README.md'), 'utf8'), 'Airline', 'TC (gpt-4o)');
    expect(published).toHaveLength(4);
    expect(ours).toEqual(published);

    // The same numbers in the written CSV (one rounded table per file) and Markdown.
    const csv = readFileSync(join(tablesDir, 'leaderboard-airline-test.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('Strategy,Pass^1,Pass^2,Pass^3,Pass^4,Tasks,Trials,Source');
    expect(csv[1]).toBe(`TC (gpt-4o),${published.join(',')},50,4,imported gpt-4o-airline.json`);
    expect(readFileSync(join(tablesDir, 'tables.md'), 'utf8')).toContain(`| TC (gpt-4o) | ${published.map((p) => p.toFixed(3)).join(' | ')} | 50 | 4 |`);
    expect(/[^\x00-\x7f]/.test(readFileSync(join(tablesDir, 'tables.tex'), 'utf8'))).toBe(false);
  }, 60_000);

  it('reads act/react files (text actions) and re-grades them the same', async () => {
    // τ-bench's own tool-calling trajectories rewritten as its chat ReAct agent stores them:
    // "Thought: …\nAction: {json}" assistant messages, tool results as "API output: …" user messages.
    type Msg = { role: string; content?: string | null; tool_calls?: Array<{ function: { name: string; arguments: string } }> };
    const source = JSON.parse(readFileSync(sharedPath('tau-bench', 'historical_trajectories', 'gpt-4o-airline.json'), 'utf8')) as Array<{ task_id: number; reward: number; info: unknown; traj: Msg[]; trial: number }>;
    const picked = source.slice(0, 12);
    const react = picked.map((r) => ({
      ...r,
      traj: r.traj.flatMap((m): Msg[] => {
        if (m.role === 'tool') return [{ role: 'user', content: `API output: ${m.content ?? ''}` }];
        if (m.role !== 'assistant') return [m];
        const call = m.tool_calls?.[0];
        const action = call === undefined ? { name: 'respond', arguments: { content: m.content ?? '' } } : { name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown };
        return [{ role: 'assistant', content: `Thought:\nI act.\nAction:\n${JSON.stringify(action)}` }];
      }),
    }));
    const dir = mkdtempSync(join(tmpdir(), 'taubp-import-react-'));
    const file = join(dir, 'react-gpt-4o-0.0_range_0-12_user-gpt-4o-llm_0101.json');
    writeFileSync(file, JSON.stringify(react));
    const out = join(dir, 'run');
    let printed = '';
    const io = { domains: (await import('../registry.js')).DOMAINS, write: (t: string) => void (printed += t), now: () => new Date() };
    expect(await runImport([file, '--domain', 'airline', '--data', sharedPath('tau-bench'), '--out', out], io)).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunManifest & { metadata: ImportedRunMetadata };
    // Strategy, model, temperature and user model from run.py's file name.
    expect(manifest.config).toMatchObject({ agent: 'react', model: 'openai:gpt-4o', temperature: 0, userModel: 'openai:gpt-4o', tasks: '0-11' });
    expect(manifest.metadata.imported.disagreements).toEqual([]);
    const records = readFileSync(join(out, 'episodes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ImportedEpisodeRecord);
    expect(records.map((r) => r.reward)).toEqual(picked.map((r) => r.reward));
    expect(records.some((r) => r.reward === 1)).toBe(true);
    const tool = records[0]?.trajectory.find((e) => e.type === 'tool');
    expect(tool?.type === 'tool' && !tool.observation.startsWith('API output')).toBe(true);
    expect(printed).toMatch(/0 disagree/);

    // An action text that is not JSON: τ-bench sends the text itself to the user.
    const bad = join(dir, 'act-gpt-4o-0.0_range_0-1_user-gpt-4o-llm_0101.json');
    writeFileSync(bad, JSON.stringify([{ task_id: 0, reward: 0.0, info: {}, trial: 0, traj: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Action: not json' }] }]));
    expect(await runImport([bad, '--domain', 'airline', '--data', sharedPath('tau-bench'), '--out', join(dir, 'bad')], io)).toBe(0);
    const [only] = readFileSync(join(dir, 'bad', 'episodes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ImportedEpisodeRecord);
    expect(only?.trajectory.at(-1)).toMatchObject({ type: 'message', from: 'agent', text: 'not json' });
    expect(only?.turns).toBe(1);
  }, 60_000);

  it('refuses a directory that already holds a run, a task not in --data, and a missing --data, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taubp-import-'));
    const io = { domains: (await import('../registry.js')).DOMAINS, write: () => {}, now: () => new Date() };
    const data = ['--domain', 'airline', '--data', sharedPath('tau-bench'), '--agent', 'tool-calling'];
    const file = join(dir, 'results.json');
    writeFileSync(file, JSON.stringify([{ task_id: 999, reward: 1.0, info: {}, traj: [{ role: 'user', content: 'hi' }], trial: 0 }]));
    await expect(runImport([file, ...data, '--model', 'openai:gpt-4o', '--out', join(dir, 'a')], io)).rejects.toThrow(/results\.json#\[0\]: task 999 is not in the airline test tasks of --data \(50 tasks\)/);
    expect(existsSync(join(dir, 'a'))).toBe(false);
    // The file name says nothing of the model (nor the strategy): --model (and --agent) are needed.
    await expect(runImport([file, ...data, '--out', join(dir, 'a')], io)).rejects.toThrow(/does not say which model.*--model/);
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'run.json'), '{}');
    await expect(runImport([file, ...data, '--model', 'openai:gpt-4o', '--out', join(dir, 'taken')], io)).rejects.toThrow(/already holds a run/);
    expect(readFileSync(join(dir, 'taken', 'run.json'), 'utf8')).toBe('{}');
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', 'notes.txt'), 'mine');
    const valid = join(dir, 'valid.json');
    writeFileSync(valid, JSON.stringify([{ task_id: 0, reward: 0.0, info: {}, traj: [{ role: 'user', content: 'hi' }], trial: 0 }]));
    await expect(runImport([valid, ...data, '--model', 'openai:gpt-4o', '--out', join(dir, 'notes')], io)).rejects.toThrow(/not empty and not a taubp run/);
    expect(readFileSync(join(dir, 'notes', 'notes.txt'), 'utf8')).toBe('mine');
    await expect(runImport([file, '--domain', 'airline', '--data', sharedPath('tau-bench'), '--model', 'm', '--out', join(dir, 'b')], io)).rejects.toThrow(/does not say which agent strategy.*--agent/);
    await expect(runImport([file, '--domain', 'airline', '--out', join(dir, 'b')], io)).rejects.toThrow(/--data is required/);
  });
});
