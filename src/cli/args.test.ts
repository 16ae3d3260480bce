import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { flagName, parseFlags, parseTaskRange, type OptionSpec } from './args.js';
import { thrownBy } from '../../test/thrown.js';

const OPTIONS: OptionSpec = {
  trials: { type: 'string' },
  concurrency: { type: 'string' },
  resume: { type: 'boolean' },
  'agent-setting': { type: 'string', multiple: true },
  config: { type: 'string' },
};

function config(value: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'taubp-args-')), 'cfg.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}

const usageError = (f: () => unknown): UsageError => thrownBy(UsageError, f);

describe('parseFlags', () => {
  it('suggests the nearest option for an unknown flag', () => {
    const e = usageError(() => parseFlags(['--trails', '3'], OPTIONS, 'run'));
    expect(e.message).toContain('unknown option --trails (did you mean --trials?)');
    expect(usageError(() => parseFlags(['--zzz'], OPTIONS, 'run')).message).not.toContain('did you mean');
  });

  it('takes config values of the right type, command-line flags first', () => {
    const file = config({ trials: 4, concurrency: '8', resume: true, agentSetting: ['a=1', 2], 'agent-setting': null });
    expect(parseFlags(['--config', file, '--trials', '2'], OPTIONS, 'run').flags).toMatchObject({ trials: '2', concurrency: '8', resume: true, 'agent-setting': ['a=1', '2'] });
  });

  it.each([
    [{ concurrency: [1, 2] }, '"concurrency" must be a string or a number, got an array ([1,2])'],
    [{ resume: 'no' }, '"resume" must be true or false, got string "no"'],
    [{ trials: true }, '"trials" must be a string or a number, got boolean true'],
    [{ trials: { n: 4 } }, '"trials" must be a string or a number, got an object'],
    [{ agentSetting: [{ a: 1 }] }, '"agentSetting" must be a string or a list of strings'],
  ])('a config value of the wrong type is an error naming the file and key: %j', (value, message) => {
    const file = config(value);
    const e = usageError(() => parseFlags(['--config', file], OPTIONS, 'run'));
    expect(e.message).toContain(`config ${file}`);
    expect(e.message).toContain(message);
    expect(e.path).toBe(`${file}#${Object.keys(value)[0] ?? ''}`);
  });

  it('names a flag by where its value came from, for messages about the value', () => {
    const file = config({ concurrency: 'lots' });
    const { flags } = parseFlags(['--config', file, '--trials', 'x'], OPTIONS, 'run');
    expect(flagName(flags, 'trials')).toBe('--trials');
    expect(flagName(flags, 'concurrency')).toBe(`--concurrency (config ${file}, key "concurrency")`);
  });

  it('an unknown config key gets a suggestion; a non-object config is refused', () => {
    const e = usageError(() => parseFlags(['--config', config({ trails: 4 })], OPTIONS, 'run'));
    expect(e.message).toContain('unknown key "trails"');
    expect(e.message).toContain('(did you mean "trials"?)');
    expect(usageError(() => parseFlags(['--config', config([1, 2])], OPTIONS, 'run')).message).toContain('must hold a JSON object');
  });
});

describe('parseTaskRange', () => {
  it('reads numbers and ranges, and says how to write a reversed range', () => {
    expect(parseTaskRange('12')).toEqual([12, 12]);
    expect(parseTaskRange(' 0 - 9 ')).toEqual([0, 9]);
    expect(parseTaskRange('abc')).toBeUndefined();
    expect(usageError(() => parseTaskRange('5-2')).message).toBe('--tasks: invalid task range "5-2": it starts after it ends (write 2-5)');
  });
});
