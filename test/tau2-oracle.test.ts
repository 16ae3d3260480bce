/**
 * Oracle mode on the τ² task sources (blueprint + sim at p = 0 + scripted customer): τ² retail on
 * its own db.json, τ² airline on the v1 tables with the τ² tools. The shared data has no policy
 * text, so a placeholder policy file is passed (the blueprints do not depend on it).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRun } from '../src/cli/commands/run.js';
import { AGENTS, DOMAINS, USERS } from '../src/cli/registry.js';
import { createModel } from '../src/models/create-model.js';
import type { RunSummary } from '../src/report/summary.js';
import { sharedPath } from './shared-data.js';

async function oracleRun(domain: string, extra: string[]): Promise<RunSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'taubp-tau2-'));
  const policy = join(dir, 'policy.md');
  writeFileSync(policy, 'placeholder policy (the τ² policy text is not in the shared data)\n');
  const out = join(dir, 'run');
  const io = { domains: DOMAINS, agents: AGENTS, users: USERS, createModel, stdout: () => {}, stderr: () => {}, tty: false, onInterrupt: () => () => {} };
  const args = ['--domain', domain, ...extra, '--split', 'base', '--agent', 'blueprint', '--model', 'sim', '--user', 'scripted', '--concurrency', '8', '--policy', policy, '--out', out];
  expect(await runRun(args, io)).toBe(0);
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
}

describe('oracle mode on τ² tasks', () => {
  it('τ² retail: every scored task reaches reward 1 (NL-assertion tasks are unscored without a judge)', async () => {
    const s = await oracleRun('retail', ['--data', sharedPath('tau2', 'retail')]);
    expect(s.results.episodes).toBe(114);
    expect(s.results.counted + s.results.unscored).toBe(114);
    expect(s.results.counted).toBeGreaterThanOrEqual(70);
    expect(s.results.passHatK['1']).toBe(1);
  });

  it('τ² airline on the v1 tables: every task reaches reward 1', async () => {
    const s = await oracleRun('airline', ['--data', sharedPath('tau2', 'airline'), '--db', sharedPath('taubench', 'airline')]);
    expect(s.results.counted).toBe(50);
    expect(s.results.passHatK['1']).toBe(1);
  });
});
