/**
 * Audit and replay: 26 oracle-mode episodes (built-in and official, every kind of flow) are
 * recorded by the real runner; their logs, read back from the stored trajectory notes, replay
 * byte for byte with the tools executed again on a fresh database, which ends in the recorded
 * state. A tampered log fails at the first differing step.
 */
import { stableJson } from '../../src/core/stable-json.js';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltin } from '../../domains/airline/builtin.js';
import { airlineDomain } from '../../domains/airline/index.js';
import { airlineRegistry } from '../../domains/airline/registry.js';
import { auditLogFromNotes, replayRun, type AuditEvent } from '../../src/blueprint/index.js';
import { ReplayDivergenceError } from '../../src/core/errors.js';
import type { BaseDb } from '../../src/env/db-state.js';
import { loadTasks } from '../../src/env/tasks/source.js';
import type { EpisodeRecord } from '../../src/contract/record.js';
import { sharedDir } from '../../test/shared-data.js';
import { airlineBlueprint } from './blueprint.js';
import { runOracle, type OracleRunResult } from '../../scripts/oracle/airline/oracle-run.js';

interface Recorded {
  record: EpisodeRecord;
  log: AuditEvent[];
  /** The log the agent handed to `onRun`. */
  memory: AuditEvent[] | undefined;
  base: BaseDb;
  policy: string;
}

/** The log as stored in episodes.jsonl and read back. */
function stored(record: EpisodeRecord): AuditEvent[] {
  const notes = JSON.parse(JSON.stringify(record.trajectory.filter((e) => e.type === 'note'))) as Array<{ kind: string; data: unknown }>;
  return auditLogFromNotes(notes);
}

describe('airline blueprint: recorded episodes replay exactly', () => {
  const recorded: Recorded[] = [];
  const registry = airlineRegistry('v1');
  beforeAll(async () => {
    const suite = loadBuiltin();
    const dir = join(sharedDir(), 'taubench', 'airline');
    const officialBase = airlineDomain.loadDb(dir, {}).base;
    const official = loadTasks('airline', dir, 'test').filter((t) => [0, 2, 3, 4, 8, 9, 13, 16, 22, 26, 30, 34, 44].includes(t.index));
    const runs: Array<[OracleRunResult, BaseDb, string]> = [
      [await runOracle({ tasks: suite.tasks.slice(0, 13), base: suite.data.base, registry, policy: suite.policy }), suite.data.base, suite.policy],
      [await runOracle({ tasks: official, base: officialBase, registry, policy: '' }), officialBase, ''],
    ];
    for (const [run, base, policy] of runs) for (const record of run.records) recorded.push({ record, log: stored(record), memory: run.logs.get(`${record.taskId}#${record.trial}`)?.events, base, policy });
  });

  it('records 26 episodes whose stored logs equal the agent’s in-memory logs', () => {
    expect(recorded).toHaveLength(26);
    for (const r of recorded) {
      expect(r.log.length, r.record.taskId).toBeGreaterThan(10);
      expect(stableJson(r.log), r.record.taskId).toBe(stableJson(r.memory));
    }
  });

  it('replays each byte-identically, ending in the recorded database', async () => {
    for (const r of recorded) {
      const result = await replayRun(airlineBlueprint, r.log, { registry, base: r.base, policy: r.policy });
      expect(stableJson(result.events), r.record.taskId).toBe(stableJson(r.log));
      expect(result.env?.db.jcsSha256(), r.record.taskId).toBe(r.record.dbHash);
    }
  });

  it('fails at the first differing step of a tampered log', async () => {
    const r = recorded.find((x) => x.log.some((e) => e.type === 'tool_call' && e.tool === 'update_reservation_flights')) as Recorded;
    const at = r.log.findIndex((e) => e.type === 'tool_call' && e.tool === 'update_reservation_flights');
    const tampered = r.log.map((e) => (e.seq === at && e.type === 'tool_call' ? { ...e, observation: e.observation.replace('"cabin": "', '"cabin": "x') } : e));
    const err = await replayRun(airlineBlueprint, tampered, { registry, base: r.base, policy: r.policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayDivergenceError);
    expect((err as ReplayDivergenceError).step).toBe(at);
    // The same log replayed under another policy (other rules in the context) diverges at once.
    const other = await replayRun(airlineBlueprint, r.log, { registry, base: r.base, policy: '# Hatteras Air' }).catch((e: unknown) => e);
    expect(r.policy).toBe('');
    expect((other as ReplayDivergenceError).step).toBe(0);
  });
});
