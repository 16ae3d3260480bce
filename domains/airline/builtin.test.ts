import { describe, expect, it } from 'vitest';
import { replayGold } from '../../src/env/reward/index.js';
import { playOffline } from '../retail/generator/offline-play.js';
import { POLICY_PATH, loadBuiltin } from './builtin.js';
import { airlineRegistry } from './registry.js';

describe('built-in airline suite', () => {
  const suite = loadBuiltin();

  it('loads the fixed suite: v1 tools over generated data, 50 tasks, the policy', () => {
    expect(suite.data.format).toBe('builtin');
    expect(suite.data.variant).toBe('v1');
    expect(suite.data.files).toEqual([POLICY_PATH]);
    expect(suite.tasks).toHaveLength(50);
    expect(suite.policy).toContain('2024-05-15 15:00:00 EST');
    expect(loadBuiltin()).toBe(suite);
    expect(loadBuiltin({ seed: 3, count: 5 }).tasks.map((t) => t.id)).toEqual(['airline-3-000', 'airline-3-001', 'airline-3-002', 'airline-3-003', 'airline-3-004']);
  });

  it('every task passes when the simulated agent (p = 0) talks to the scripted customer', async () => {
    const registry = airlineRegistry('v1');
    const failed: string[] = [];
    for (const t of suite.tasks) if ((await playOffline(t, suite.data.base, registry, suite.policy)) !== 1) failed.push(t.id);
    expect(failed).toEqual([]);
  });

  it('falls back to categories that always fit on a tiny database, and every gold action still succeeds', () => {
    const tiny = loadBuiltin({ seed: 'tiny', scale: 0.1, count: 50 });
    expect(tiny.tasks).toHaveLength(50);
    for (const t of tiny.tasks) expect(replayGold(t, tiny.data.base, airlineRegistry('v1')).errors, t.id).toEqual([]);
  });
});
