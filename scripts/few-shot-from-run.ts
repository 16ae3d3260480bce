/**
 * Builds a few-shot examples file (`--agent few-shot --few-shot <file>`) from a stored run: each
 * successful episode (reward 1) becomes one line `{"messages_display": "..."}` rendering the
 * conversation with its tool calls and results, as τ-bench's few-shot files do.
 *
 * To avoid showing the agent the tasks it is evaluated on, take examples from another seed of the
 * built-in suite, e.g.:
 *   npx taubp run --domain retail --data builtin:7 --agent tool-calling --model sim --user scripted --out results/fs-src
 *   npx tsx scripts/few-shot-from-run.ts results/fs-src --out retail-few-shot.jsonl [--max 20]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EPISODES_FILE, dedupeEpisodes, readEpisodes } from '../src/runner/results.js';
import type { EpisodeRecord } from '../src/contract/record.js';

/** Renders one episode's conversation as a few-shot example. */
export function renderExample(record: EpisodeRecord): string {
  const lines: string[] = [];
  for (const e of record.trajectory) {
    if (e.type === 'message') lines.push(`${e.from === 'agent' ? 'assistant' : 'user'}: ${e.text}`);
    else if (e.type === 'tool') lines.push(`assistant: calls ${e.name} with ${e.arguments}`, `tool (${e.name}): ${e.observation}`);
  }
  return lines.join('\n');
}

/** Example lines (JSONL text) from a run directory's successful episodes, at most `max`. */
export function fewShotLines(runDir: string, max: number): string {
  const { records } = readEpisodes(join(runDir, EPISODES_FILE));
  return dedupeEpisodes(records)
    .filter((r) => r.reward !== null && Math.abs(r.reward - 1) <= 1e-6)
    .slice(0, max)
    .map((r) => `${JSON.stringify({ messages_display: renderExample(r), task: r.taskId })}\n`)
    .join('');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string' }, max: { type: 'string' } }, allowPositionals: true });
  const dir = positionals[0];
  if (dir === undefined || values.out === undefined) {
    process.stderr.write('usage: npx tsx scripts/few-shot-from-run.ts <run dir> --out <file.jsonl> [--max 20]\n');
    process.exit(2);
  }
  const text = fewShotLines(dir, Number(values.max ?? 20));
  if (text === '') {
    process.stderr.write(`few-shot-from-run: no successful episodes in ${dir}\n`);
    process.exit(1);
  }
  writeFileSync(values.out, text);
  process.stderr.write(`few-shot-from-run: ${text.trim().split('\n').length} examples → ${values.out}\n`);
}
