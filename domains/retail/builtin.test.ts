import { describe, expect, it } from 'vitest';
import { replayGold } from '../../src/env/reward/index.js';
import { retailRegistry } from './registry.js';
import { POLICY_PATH, loadBuiltin } from './builtin.js';

describe('built-in retail suite', () => {
  it('loads the fixed suite: v1 tools over generated data, 100 tasks, the policy', () => {
    const suite = loadBuiltin();
    expect(suite.data.format).toBe('builtin');
    expect(suite.data.variant).toBe('v1');
    expect(suite.data.files).toEqual([POLICY_PATH]);
    expect([...suite.data.base.tables.keys()]).toEqual(['orders', 'products', 'users']);
    expect(suite.tasks).toHaveLength(100);
    expect(suite.tasks[0]?.id).toBe('retail-000');
    expect(suite.policy).toContain('Kestrel Market');
    expect(loadBuiltin()).toBe(suite);
  });

  it('gives fresh suites for other seeds and scales', () => {
    const other = loadBuiltin({ seed: 'fresh', scale: 0.5, count: 12 });
    expect(other.tasks.map((t) => t.id)).toEqual(Array.from({ length: 12 }, (_, i) => `retail-fresh-${String(i).padStart(3, '0')}`));
    expect(other.data.base.tables.get('users')?.size).toBe(50);
  });

  it('falls back to categories that always fit on a tiny database, and every gold action still succeeds', () => {
    const tiny = loadBuiltin({ seed: 'tiny', scale: 0.1, count: 100 });
    expect(tiny.tasks).toHaveLength(100);
    for (const t of tiny.tasks) expect(replayGold(t, tiny.data.base, retailRegistry('v1')).errors, t.id).toEqual([]);
  });
});
