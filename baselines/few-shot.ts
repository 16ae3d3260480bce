/**
 * The few-shot baseline (`--agent few-shot`): the tool-calling agent with example conversations
 * appended to the policy. Examples come from a JSONL file whose lines carry a rendered
 * conversation in `messages_display` (τ-bench's few-shot file format), `display` or `text`;
 * `fewShotCount` of them (default 5) are drawn once per run with the run seed and shown in file
 * order (harness pack), or, with a reference pack, drawn per episode with Python's
 * `random.sample` on a Mersenne Twister seeded like τ-bench's `run.py --seed` (so that with
 * `--concurrency 1` the episodes see the examples τ-bench's episodes see).
 */
import { readTextFile } from '../src/core/utf8.js';
import { z } from 'zod';
import { ConfigError, DataError } from '../src/core/errors.js';
import { PyRandom } from '../src/core/py-random.js';
import type { AgentOptions } from '../src/contract/agent.js';
import { seededRandom } from '../src/core/rng.js';
import { fewShotSystemPrompt, packOr } from './prompts.js';
import { parseSettings } from './settings.js';
import { ToolCallingAgent } from './tool-calling.js';

/** Default number of examples shown. */
export const DEFAULT_FEW_SHOT_COUNT = 5;

/** Settings `few-shot` accepts. */
export const fewShotSettings = z.strictObject({
  fewShotFile: z.string().min(1),
  fewShotCount: z.number().int().positive().optional(),
  allToolCalls: z.boolean().optional(),
});

/** Reads the example conversations of a few-shot file, one per non-empty line. */
export function readFewShotExamples(file: string): string[] {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read few-shot file ${file}: ${(e as Error).message}`, { code: 'data_not_found', path: file });
  }
  const examples: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new DataError(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`, { path: `${file}:${i + 1}` });
    }
    const v = value as Record<string, unknown>;
    const display = v['messages_display'] ?? v['display'] ?? v['text'];
    if (typeof display !== 'string' || display.trim() === '') {
      throw new DataError(`${file}:${i + 1}: expected a string field "messages_display" (or "display" / "text")`, { path: `${file}:${i + 1}` });
    }
    examples.push(display);
  });
  if (examples.length === 0) throw new DataError(`few-shot file ${file} has no examples`, { path: file });
  return examples;
}

/** Draws `count` distinct examples (all of them when there are fewer) with a seeded shuffle, keeping file order. */
export function sampleExamples(examples: readonly string[], count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const indices = examples.map((_, i) => i);
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
  }
  return indices
    .slice(0, Math.min(count, indices.length))
    .sort((a, b) => a - b)
    .map((i) => examples[i] as string);
}

/**
 * τ-bench's few-shot draws for a run: the global `random` seeded with the run seed, one
 * `randint(0, len(tasks))` made when run.py constructs its main environment (without a task
 * index), then `random.sample(examples, count)` at the start of every episode.
 * @param splitTaskCount number of tasks in the split (τ-bench's `len(env.tasks)`)
 */
export function referenceExampleDraws(examples: readonly string[], count: number, seed: number, splitTaskCount: number): () => string[] {
  if (count > examples.length) {
    throw new ConfigError(`agent "few-shot": the examples file has ${examples.length} examples, fewer than the ${count} to show`);
  }
  const random = new PyRandom(seed);
  random.randint(0, splitTaskCount);
  return () => random.sample(examples, count);
}

/** Builds the few-shot agent from run options (the file is read here, before any episode). */
export function createFewShotAgent(options: AgentOptions): ToolCallingAgent {
  if (options.settings['fewShotFile'] === undefined) {
    throw new ConfigError('agent "few-shot" needs an examples file: --few-shot <file.jsonl> (lines with "messages_display")');
  }
  const settings = parseSettings('few-shot', fewShotSettings, options.settings);
  const { pack } = options;
  const all = readFewShotExamples(settings.fewShotFile);
  const count = settings.fewShotCount ?? pack?.behaviour.fewShotCount ?? DEFAULT_FEW_SHOT_COUNT;
  let examplesFor: () => readonly string[];
  if (pack?.behaviour.fewShotDraw === 'per-episode-python-sample') {
    if (options.splitTaskCount === undefined) throw new ConfigError('agent "few-shot": the reference draw needs the split\'s task count');
    examplesFor = referenceExampleDraws(all, count, options.seed, options.splitTaskCount);
  } else {
    const examples = sampleExamples(all, count, options.seed);
    examplesFor = () => examples;
  }
  return new ToolCallingAgent({
    name: 'few-shot',
    systemPrompt: (session) => fewShotSystemPrompt(session.policy, examplesFor(), packOr(pack, session.tools)),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    ...(settings.allToolCalls === undefined ? {} : { allToolCalls: settings.allToolCalls }),
    ...(pack === undefined ? {} : { pack }),
  });
}
