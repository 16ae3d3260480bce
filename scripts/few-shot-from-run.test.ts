import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFewShotExamples } from '../baselines/few-shot.js';
import { runRun } from '../src/cli/commands/run.js';
import { quietRunIo } from '../test/quiet-run-io.js';
import { fewShotLines } from './few-shot-from-run.js';

const io = quietRunIo();

describe('scripts/few-shot-from-run', () => {
  it('turns the successful episodes of a run into a few-shot file the few-shot agent reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'few-shot-'));
    const run = join(dir, 'run');
    expect(await runRun(['--domain', 'retail', '--data', 'builtin:7', '--tasks', '0-4', '--model', 'sim', '--user', 'scripted', '--out', run], io)).toBe(0);
    const text = fewShotLines(run, 3);
    const file = join(dir, 'few-shot.jsonl');
    writeFileSync(file, text);
    const examples = readFewShotExamples(file);
    expect(examples).toHaveLength(3);
    expect(examples[0]).toMatch(/^user: Hi!/);
    expect(examples[0]).toContain('assistant: calls find_user_id_by_');
    expect(examples[0]).toMatch(/tool \(find_user_id_by_\w+\): \w+/);
  });
});
