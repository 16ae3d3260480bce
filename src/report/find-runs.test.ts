import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../core/errors.js';
import { findRunDirs } from './load.js';
import { thrownBy } from '../../test/thrown.js';

function runAt(...parts: string[]): string {
  const dir = join(...parts);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), '{}');
  return dir;
}

const error = (f: () => unknown): DataError => thrownBy(DataError, f);

describe('findRunDirs', () => {
  const root = mkdtempSync(join(tmpdir(), 'taubp-find-runs-'));
  const a = runAt(root, 'flat', 'a');
  const b = runAt(root, 'flat', 'b');
  const deep = runAt(root, 'nested', 'x', 'y', 'run1');

  it('finds a run, or the runs one level below a folder', () => {
    expect(findRunDirs([a])).toEqual([a]);
    expect(findRunDirs([join(root, 'flat'), a])).toEqual([a, b]);
    expect(findRunDirs([join(root, 'nested')], 3)).toEqual([deep]);
  });

  it('says where the runs are when they sit deeper than it searches', () => {
    const e = error(() => findRunDirs([join(root, 'nested')]));
    expect(e.message).toBe(`no runs within 1 level of ${join(root, 'nested')}; runs sit deeper, e.g. ${deep}: give ${join(root, 'nested', 'x', 'y')} (or the run itself)`);
  });

  it('says so for a file, pointing at its run for a run file', () => {
    expect(error(() => findRunDirs([join(a, 'run.json')])).message).toBe(`${join(a, 'run.json')} is a file: give a run directory (a folder holding run.json) or a folder of runs (for this file: ${a})`);
    const other = join(root, 'notes.txt');
    writeFileSync(other, 'x');
    expect(error(() => findRunDirs([other])).message).toContain('is a file: give a run directory');
  });

  it('says so for a folder with no run at all, and for a missing path', () => {
    const empty = join(root, 'empty', 'deeper');
    mkdirSync(empty, { recursive: true });
    expect(error(() => findRunDirs([join(root, 'empty')])).message).toBe(`no runs in ${join(root, 'empty')}: no folder holding run.json there or below`);
    expect(error(() => findRunDirs([join(root, 'missing')])).code).toBe('data_not_found');
  });
});
