/** The airline `Domain`: loading through it, its tasks, and τ² gold actions on the τ² variant. */
import { describe, expect, it } from 'vitest';
import { Environment } from '../../src/env/environment.js';
import { sharedPath } from '../../test/shared-data.js';
import { airlineDomain } from './index.js';

describe('airlineDomain', () => {
  it('names its tables in the reference order and loads v1 tasks', () => {
    expect(airlineDomain.name).toBe('airline');
    expect(airlineDomain.tables).toEqual(['flights', 'reservations', 'users']);
    const tasks = airlineDomain.loadTasks(sharedPath('taubench', 'airline'), 'test');
    expect(tasks.length).toBe(50);
    expect(tasks[0]?.userId).toBe('mia_li_3668');
  });

  it('runs every τ² airline gold action without an error on the v1 tables in τ² form', () => {
    const data = airlineDomain.loadDb(sharedPath('taubench', 'airline'), { variant: 'tau2' });
    expect(data.variant).toBe('tau2');
    const registry = airlineDomain.registry('tau2');
    const tasks = airlineDomain.loadTasks(sharedPath('tau2', 'airline'), 'base');
    expect(tasks.length).toBe(50);
    const failures: string[] = [];
    let actions = 0;
    for (const task of tasks) {
      const env = new Environment({ registry, base: data.base });
      for (const a of task.actions) {
        actions++;
        const r = env.step({ name: a.name, kwargs: a.kwargs });
        if (r.error) failures.push(`task ${task.id} ${a.name}: ${r.observation}`);
      }
    }
    expect(failures).toEqual([]);
    expect(actions).toBeGreaterThan(100);
  });
});
