/**
 * Oracle mode of the retail blueprint through the real runner (`--agent blueprint --model sim
 * --user scripted`): every built-in task and at least 90% of the official v1 test tasks reach
 * reward 1 (the misses, with reasons, are `ORACLE-MISSES.md`); recorded episodes replay byte for
 * byte; and the blueprint needs at most 40% of the tool-calling baseline's LLM calls and tokens.
 */
import { stableJson } from '../../../src/core/stable-json.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLogFromNotes, replayRun, type AuditEvent } from '../../../src/blueprint/index.js';
import { ReplayDivergenceError } from '../../../src/core/errors.js';
import type { EpisodeRecord } from '../../../src/contract/record.js';
import { retailBlueprint } from '../../../blueprints/retail/index.js';
import { missesMarkdown } from './misses.js';
import { effortOf, runSuite, type Effort, type SuiteData } from './oracle-runs.js';
import { builtinSuite, officialSuite } from './suite-data.js';

const MISSES_FILE = fileURLToPath(new URL('../../../blueprints/retail/ORACLE-MISSES.md', import.meta.url));

interface Suite {
  data: SuiteData;
  blueprint: EpisodeRecord[];
  baseline: EpisodeRecord[];
}

const suites: Record<'builtin' | 'official', Suite> = {} as Record<'builtin' | 'official', Suite>;

beforeAll(async () => {
  for (const [name, data] of [
    ['builtin', builtinSuite()],
    ['official', officialSuite()],
  ] as const) {
    suites[name] = { data, blueprint: await runSuite(data), baseline: await runSuite(data, { agent: 'tool-calling' }) };
  }
}, 240_000);

function rate(records: readonly EpisodeRecord[]): number {
  return records.filter((r) => r.success).length / records.length;
}

function logOf(r: EpisodeRecord): AuditEvent[] {
  return auditLogFromNotes(r.trajectory.flatMap((e) => (e.type === 'note' ? [{ kind: e.kind, data: e.data }] : [])));
}

describe('retail blueprint in oracle mode (sim, scripted customer, runner)', () => {
  it('every built-in task reaches reward 1', () => {
    const { data, blueprint } = suites.builtin;
    expect(blueprint).toHaveLength(data.tasks.length);
    expect(data.tasks.length).toBe(100);
    expect(blueprint.filter((r) => !r.success).map((r) => `${r.taskId}: ${r.termination.reason} ${JSON.stringify(r.rewardInfo)}`)).toEqual([]);
    expect(blueprint.every((r) => r.agent === 'blueprint' && r.calls.every((c) => c.role === 'subtask'))).toBe(true);
  });

  it('at least 90% of the official v1 test tasks reach reward 1; the misses are ORACLE-MISSES.md', () => {
    const { data, blueprint } = suites.official;
    expect(data.tasks).toHaveLength(115);
    const measured = rate(blueprint);
    expect(measured).toBeGreaterThanOrEqual(0.9);
    const misses = blueprint.filter((r) => !r.success).map((record) => ({ record, task: data.tasks.find((t) => t.id === record.taskId)! }));
    // No miss is a blueprint crash or a run that never ended properly.
    expect(misses.filter((m) => m.record.termination.reason !== 'user_stop' && m.record.termination.reason !== 'transfer')).toEqual([]);
    const markdown = missesMarkdown(data.tasks.length, misses);
    if (process.env.UPDATE_RETAIL_ORACLE === '1') writeFileSync(MISSES_FILE, markdown);
    expect(readFileSync(MISSES_FILE, 'utf8')).toBe(markdown);
  });

  it('replays 25 recorded episodes byte for byte (node path, tool calls, messages, final database)', async () => {
    const picked = [
      ...suites.official.blueprint.filter((_, i) => i % 6 === 0).map((r) => ({ r, data: suites.official.data })),
      ...suites.builtin.blueprint.filter((_, i) => i % 16 === 0).map((r) => ({ r, data: suites.builtin.data })),
    ].slice(0, 25);
    expect(picked).toHaveLength(25);
    for (const { r, data } of picked) {
      const log = logOf(r);
      expect(log.length).toBeGreaterThan(10);
      const stored = log.map((e) => JSON.parse(JSON.stringify(e)) as AuditEvent);
      const replay = await replayRun(retailBlueprint, stored, { registry: data.registry, base: data.base });
      expect(replay.events.map(stableJson)).toEqual(stored.map(stableJson));
      expect(replay.env?.db.jcsSha256()).toBe(r.dbHash);
    }
  });

  it('a tampered log fails at exactly the tampered step', async () => {
    const { data, blueprint } = suites.official;
    const log = logOf(blueprint[0] as EpisodeRecord).map((e) => JSON.parse(JSON.stringify(e)) as AuditEvent);
    for (const type of ['say', 'tool_call'] as const) {
      const target = log.filter((e) => e.type === type)[1] as AuditEvent;
      const forged = log.map((e) => (e.seq === target.seq ? ({ ...e, ...(type === 'say' ? { text: 'forged' } : { observation: 'forged' }) } as AuditEvent) : e));
      const err = await replayRun(retailBlueprint, forged, { registry: data.registry, base: data.base }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ReplayDivergenceError);
      expect((err as ReplayDivergenceError).step).toBe(target.seq);
    }
  });

  it('with sub-task errors (sim:0.3) it still ends every episode properly and writes only after a yes', async () => {
    const records = await runSuite(suites.builtin.data, { model: 'sim:0.3' });
    expect(records.filter((r) => r.termination.reason !== 'user_stop' && r.termination.reason !== 'transfer').map((r) => r.taskId)).toEqual([]);
    expect(rate(records)).toBeLessThan(1);
    let writes = 0;
    for (const r of records) {
      const log = logOf(r);
      for (const e of log) {
        if (e.type !== 'tool_call' || !e.node.startsWith('write_')) continue;
        writes++;
        const asked = log.filter((x) => x.seq < e.seq && x.type === 'say' && x.node === 'confirm').at(-1);
        const answer = log.find((x) => asked !== undefined && x.seq > asked.seq && x.type === 'user_reply');
        expect(answer?.type === 'user_reply' && /^Yes\b/.test(answer.text), `${r.taskId} seq ${e.seq}`).toBe(true);
      }
    }
    expect(writes).toBeGreaterThan(20);
  });

  it('makes at most 40% of the tool-calling baseline’s LLM calls and tokens on the same tasks', () => {
    const ratios: Record<string, { calls: number; tokens: number; blueprint: Effort; baseline: Effort }> = {};
    for (const [name, s] of Object.entries(suites)) {
      const bp = effortOf(s.blueprint);
      const base = effortOf(s.baseline);
      ratios[name] = { calls: bp.calls / base.calls, tokens: bp.tokens / base.tokens, blueprint: bp, baseline: base };
      expect(bp.calls / base.calls, `${name} calls`).toBeLessThanOrEqual(0.4);
      expect(bp.tokens / base.tokens, `${name} tokens`).toBeLessThanOrEqual(0.4);
    }
    if (process.env.RETAIL_ORACLE_VERBOSE === '1') console.log(JSON.stringify(ratios, null, 2));
  });
});
