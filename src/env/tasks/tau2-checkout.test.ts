import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import { loadDomainData, loadDomainPolicy, loadDomainTasks, resolveDbDir } from '../../cli/registry.js';
import { findPolicy } from '../policy.js';
import { detectTaskSource, listSplits, tau2CheckoutOf } from './source.js';

const checkout = (): string => sharedPath('tau2-bench');

describe('a τ² checkout root as --data', () => {
  it('finds tasks, splits and policy under data/tau2/domains/<domain>', () => {
    const source = detectTaskSource(checkout(), 'retail');
    expect(source).toMatchObject({ kind: 'tau2', domain: 'retail', dir: join(checkout(), 'data/tau2/domains/retail'), checkout: checkout() });
    expect(source.policyFile).toBe(join(checkout(), 'data/tau2/domains/retail/policy.md'));
    expect(listSplits(source)).toContain('base');
    const tasks = loadDomainTasks('retail', checkout(), 'base');
    expect(tasks.length).toBeGreaterThan(100);
    expect(tasks.every((t) => t.format === 'tau2')).toBe(true);
    expect(loadDomainPolicy('retail', { dataDir: checkout() }).file).toBe(source.policyFile);
    expect(findPolicy('airline', { dataDir: checkout() })?.file).toBe(join(checkout(), 'data/tau2/domains/airline/policy.md'));
  });

  it('reads the retail db.json there; airline has none, and --db with the v1 tables stands in', () => {
    expect(resolveDbDir('retail', checkout())).toBe(join(checkout(), 'data/tau2/domains/retail'));
    const retail = loadDomainData('retail', checkout(), 'tau2');
    expect(retail.files).toContain(join(checkout(), 'data/tau2/domains/retail/db.json'));
    expect(() => loadDomainData('airline', checkout(), 'tau2')).toThrow(/no airline database in .*: expected db.json.*This τ² data has no airline db.json: pass --db <dir> with the τ-bench v1 airline tables/);
    const airline = loadDomainData('airline', sharedPath('taubench', 'airline'), 'tau2');
    expect(airline.files.some((f) => f.endsWith('reservations.json'))).toBe(true);
    expect(loadDomainTasks('airline', checkout(), 'base').length).toBeGreaterThan(40);
  });
});

describe('τ² checkout detection', () => {
  const root = mkdtempSync(join(tmpdir(), 'tau2-layout-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string): void => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write('full/data/tau2/domains/retail/tasks.json', '[]');
  mkdirSync(join(root, 'full/src/tau2'), { recursive: true });
  write('dataonly/data/tau2/domains/retail/tasks.json', '[]');
  write('elsewhere/retail/tasks.json', '[]');

  it('a checkout needs src/tau2 beside data/; a bare domain directory has no checkout', () => {
    expect(detectTaskSource(join(root, 'full'), 'retail').checkout).toBe(join(root, 'full'));
    expect(detectTaskSource(join(root, 'full/data/tau2/domains/retail'), 'retail').checkout).toBe(join(root, 'full'));
    const dataOnly = detectTaskSource(join(root, 'dataonly'), 'retail');
    expect(dataOnly).toMatchObject({ kind: 'tau2', dir: join(root, 'dataonly/data/tau2/domains/retail') });
    expect(dataOnly.checkout).toBeUndefined();
    expect(detectTaskSource(join(root, 'elsewhere'), 'retail').checkout).toBeUndefined();
    expect(tau2CheckoutOf(join(root, 'elsewhere/retail'))).toBeUndefined();
  });

  it('says what it looked for when nothing is there', () => {
    expect(() => detectTaskSource(join(root, 'full'), 'airline')).toThrow(/data\/tau2\/domains\/airline\/tasks\.json \(τ² checkout\)/);
  });
});
