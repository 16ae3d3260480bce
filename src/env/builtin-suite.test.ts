import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Seed } from '../core/rng.js';
import { DataError } from '../core/errors.js';
import { BaseDb } from './db-state.js';
import { builtinSuiteLoader, validateGeneratedTables, type BuiltinSuiteSpec } from './builtin-suite.js';
import { ToolRegistry } from './registry.js';

type Tables = { items: Array<[string, { n: number }]> };
const SCHEMAS = { items: z.object({ n: z.number() }) };

function spec(policyPath: string, calls: Array<{ seed: Seed; scale: number; count: number }>, bad = false): BuiltinSuiteSpec<Tables> {
  let generated: { seed: Seed; scale: number } | undefined;
  return {
    domain: 'toy',
    defaultSeed: 7,
    defaultCount: 3,
    policyPath,
    generateTables: (o) => {
      generated = o;
      return { items: [['a', { n: bad ? ('x' as unknown as number) : o.scale }]] };
    },
    validateTables: (tables, label) => validateGeneratedTables(SCHEMAS, tables, label),
    baseDb: (tables) => new BaseDb(Object.entries(tables)),
    registry: () => new ToolRegistry([]),
    generateTasks: (o) => {
      calls.push({ seed: o.seed, scale: generated?.scale ?? NaN, count: o.count });
      return [];
    },
  };
}

describe('builtinSuiteLoader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'builtin-suite-'));
  const policy = join(dir, 'policy.md');
  writeFileSync(policy, '# toy policy\n');

  it('applies the defaults, assembles data/tasks/policy and memoises per seed/scale/count', () => {
    const calls: Array<{ seed: Seed; scale: number; count: number }> = [];
    const load = builtinSuiteLoader(spec(policy, calls));
    const suite = load();
    expect(calls).toEqual([{ seed: 7, scale: 1, count: 3 }]);
    expect(suite.data.format).toBe('builtin');
    expect(suite.data.variant).toBe('v1');
    expect(suite.data.files).toEqual([policy]);
    expect(suite.data.base.tables.get('items')?.get('a')).toEqual({ n: 1 });
    expect(suite.policy).toBe('# toy policy\n');
    expect(load({ seed: 7 })).toBe(suite);
    expect(load({ seed: 7, scale: 2, count: 3 })).not.toBe(suite);
    expect(calls).toHaveLength(2);
  });

  it('rejects an invalid generated record, naming the domain, seed, scale, table and id', () => {
    const load = builtinSuiteLoader(spec(policy, [], true));
    expect(() => load({ seed: 's', scale: 0.5 })).toThrow(DataError);
    expect(() => load({ seed: 's', scale: 0.5 })).toThrow('<builtin toy seed=s scale=0.5>/items.json: $.a.n');
  });
});
