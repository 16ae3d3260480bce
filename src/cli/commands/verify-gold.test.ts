/**
 * Integration: every official gold trajectory scores 1 under the reference's reward (except the
 * listed known reference failures, which must really fail), on the shared data. Fails, never
 * skips, when ../shared (TAU_SHARED) is missing.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import { parsePyJson } from '../../core/py/py-json.js';
import type { PyValue } from '../../core/py/py-value.js';
import type { Task } from '../../core/task.js';
import { findPolicy } from '../../env/policy.js';
import { GoldCache } from '../../env/reward/gold.js';
import type { RewardContext } from '../../env/reward/score.js';
import { verifyGold, type VerifiedTrajectory } from '../../env/reward/verify.js';
import { KNOWN_REFERENCE_FAILURES, knownFailure } from '../../env/tasks/known-failures.js';
import { renderTasksPy } from '../../env/tasks/testing/render-py.js';
import { runVerify } from './verify.js';
import { getDomain, loadDomainData, loadDomainTasks } from '../registry.js';

function context(domain: string, dbDir: string, variant?: 'v1' | 'tau2'): RewardContext {
  const data = loadDomainData(domain, dbDir, variant);
  return { base: data.base, registry: getDomain(domain).registry(variant ?? data.variant), gold: new GoldCache() };
}

async function verifyAll(tasks: Task[], ctx: RewardContext): Promise<VerifiedTrajectory[]> {
  const out: VerifiedTrajectory[] = [];
  for (const t of tasks) out.push(await verifyGold(t, ctx));
  return out;
}

/** Rewards below 1 that are not known reference failures, and known failures that did not fail. */
function surprises(results: VerifiedTrajectory[]): string[] {
  return results.flatMap((r) => {
    const known = knownFailure(r.task);
    if (known === undefined && r.info.reward !== 1 && r.info.reward !== null) return [`${r.task.domain} ${r.task.split} ${r.task.id}: ${r.info.note ?? r.info.reward}`];
    if (known !== undefined && r.info.reward === 1) return [`${r.task.domain} ${r.task.split} ${r.task.id}: listed as a known failure but scores 1`];
    return [];
  });
}

describe('official gold trajectories (v1)', () => {
  const ctx = { retail: context('retail', sharedPath('taubench', 'retail')), airline: context('airline', sharedPath('taubench', 'airline')) };

  it.each([
    ['retail', 'test', 115],
    ['retail', 'train', 500],
    ['retail', 'dev', 20],
    ['airline', 'test', 50],
  ] as const)('%s %s: all %i score 1', async (domain, split, count) => {
    const tasks = loadDomainTasks(domain, sharedPath('taubench', domain), split);
    expect(tasks).toHaveLength(count);
    const results = await verifyAll(tasks, ctx[domain]);
    expect(surprises(results)).toEqual([]);
    // Every task with required outputs is scored on them too.
    for (const r of results) expect(r.info.basis).toEqual(r.task.outputs.length > 0 ? ['DB', 'OUTPUTS'] : ['DB']);
  });

  it.each([
    ['retail', 'test'],
    ['retail', 'dev'],
    ['airline', 'test'],
  ] as const)('%s %s: the trajectory ends in the reference database (conformance hashes)', async (domain, split) => {
    const tasks = loadDomainTasks(domain, sharedPath('taubench', domain), split);
    const lines = readFileSync(sharedPath('conformance', `gold_${domain}_${split}.jsonl`), 'utf8').trim().split('\n');
    const expected = lines.map((l) => (JSON.parse(l) as { task_index: number; db_jcs_sha256: string }));
    expect(expected).toHaveLength(tasks.length);
    const results = await verifyAll(tasks, ctx[domain]);
    const mismatches = results.filter((r, i) => r.env.db.jcsSha256() !== expected[i]?.db_jcs_sha256).map((r) => r.task.index);
    expect(mismatches).toEqual([]);
  });

  it('lists every known reference failure with a reason', () => {
    for (const k of KNOWN_REFERENCE_FAILURES) expect(k.reason.length).toBeGreaterThan(20);
  });
});

describe('official gold trajectories (τ²)', () => {
  it('retail on the τ² database: DB passes everywhere; NL-judged tasks are unscored without a judge', async () => {
    const tasks = loadDomainTasks('retail', sharedPath('tau2', 'retail'), 'base');
    expect(tasks).toHaveLength(114);
    const results = await verifyAll(tasks, context('retail', sharedPath('tau2', 'retail'), 'tau2'));
    expect(surprises(results)).toEqual([]);
    expect(results.every((r) => r.info.components.DB === 1)).toBe(true);
    const needJudge = tasks.filter((t) => t.evaluation?.rewardBasis.includes('NL_ASSERTION') && t.evaluation.nlAssertions.length > 0);
    expect(results.filter((r) => r.info.reward === null).map((r) => r.task.id)).toEqual(needJudge.map((t) => t.id));
    expect(results.filter((r) => r.info.reward === 1).length).toBe(114 - needJudge.length);
  });

  it('airline on the v1 tables with the τ² tools (closest substitute for the missing τ² db)', async () => {
    const tasks = loadDomainTasks('airline', sharedPath('tau2', 'airline'), 'base');
    expect(tasks).toHaveLength(50);
    const results = await verifyAll(tasks, context('airline', sharedPath('taubench', 'airline'), 'tau2'));
    expect(surprises(results)).toEqual([]);
    expect(results.filter((r) => r.info.reward === 1)).toHaveLength(50);
    // Every gold action runs without error on the substitute data.
    expect(results.flatMap((r) => r.info.db?.goldErrors ?? []).map((e) => `${e.name}: ${e.observation}`)).toEqual([]);
  });
});

describe('verify on a τ-bench checkout layout', () => {
  it('reads tasks_test.py, the data/ tables and wiki.md from tau_bench/envs/airline', async () => {
    const root = mkdtempSync(join(tmpdir(), 'taubp-checkout-'));
    const env = join(root, 'tau_bench', 'envs', 'airline');
    mkdirSync(join(env, 'data'), { recursive: true });
    for (const t of ['flights', 'reservations', 'users']) symlinkSync(sharedPath('taubench', 'airline', `${t}.json`), join(env, 'data', `${t}.json`));
    const tasks = parsePyJson(readFileSync(sharedPath('taubench', 'airline', 'tasks_test.json'), 'utf8')) as PyValue[];
    writeFileSync(join(env, 'tasks_test.py'), renderTasksPy(tasks, 'TASKS'));
    writeFileSync(join(env, 'wiki.md'), '# Airline Agent Policy (stand-in)\n');
    let out = '';
    const code = await runVerify(['--domain', 'airline', '--data', root, '--tasks', '0-49'], { domains: { airline: getDomain('airline') }, write: (t) => void (out += t) });
    expect(out).toMatch(/tasks: taubench-py in .*tau_bench\/envs\/airline; database: tau-v1 .*tau_bench\/envs\/airline\/data\/flights\.json/);
    expect(out).toMatch(/50\/50 score 1, 0 unexpected failures/);
    expect(code).toBe(0);
    expect(findPolicy('airline', { dataDir: root })?.text).toBe('# Airline Agent Policy (stand-in)\n');
  });
});
