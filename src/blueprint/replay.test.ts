import { stableJson } from '../core/stable-json.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError, ReplayDivergenceError } from '../core/errors.js';
import type { ChatRequest } from '../models/types.js';
import { auditLogFromNotes, createBlueprintAgent, defineBlueprint, replayRun, type AuditEvent, type Blueprint, type EngineOptions } from './index.js';
import { fakeBase, fakeRegistry } from './testing/fake-domain.js';
import { FakeSession, type ScriptedModel } from './testing/fake-session.js';
import { makeScript, orderDesk, scriptedModel, scriptedUser } from './testing/order-desk.js';

const registry = fakeRegistry();
const base = fakeBase();

interface Recorded {
  log: AuditEvent[];
  session: FakeSession;
  error?: unknown;
}

/** Overrides of one recording: replace the j-th user reply or the j-th model answer. */
interface Overrides {
  userReply?: { index: number; text: string };
  modelAnswer?: { index: number; text: string };
}

/** Records episode `i` of the scripted family through the blueprint agent. */
async function record(i: number, overrides: Overrides = {}, bp: Blueprint<unknown> = orderDesk as Blueprint<unknown>): Promise<Recorded> {
  const script = makeScript(i);
  const u = scriptedUser(script);
  const model = scriptedModel(script);
  let replies = 0;
  let answers = 0;
  const session = new FakeSession({
    registry,
    base,
    firstUserMessage: u.first,
    seed: 100 + i,
    trial: i % 3,
    maxSteps: i % 7 === 0 ? 8 : 30,
    user: (text) => {
      const reply = u.user(text);
      return overrides.userReply?.index === replies++ ? overrides.userReply.text : reply;
    },
    model: (request: ChatRequest) => {
      const answer = model(request);
      return overrides.modelAnswer?.index === answers++ ? overrides.modelAnswer.text : answer;
    },
  });
  const options: EngineOptions = i % 5 === 0 ? { replies: 'llm' } : {};
  let log: AuditEvent[] = [];
  const agent = createBlueprintAgent(bp, { ...options, onRun: (r) => void (log = r.events) });
  try {
    await agent.run(session);
    return { log, session };
  } catch (error) {
    return { log, session, error };
  }
}

/** The log as it would be stored (JSON lines) and read back. */
function roundTrip(log: AuditEvent[]): AuditEvent[] {
  return log
    .map((e) => JSON.stringify(e))
    .join('\n')
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEvent);
}

function firstDifference(a: readonly AuditEvent[], b: readonly AuditEvent[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (stableJson(a[i]) !== stableJson(b[i])) return i;
  return -1;
}

async function divergence(bp: Blueprint<unknown>, log: AuditEvent[], withBase = true): Promise<ReplayDivergenceError> {
  const err = await replayRun(bp, log, withBase ? { registry, base } : { registry }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ReplayDivergenceError)) throw new Error(`expected a ReplayDivergenceError, got ${String(err)}`);
  return err;
}

const EPISODES = 50;
const recordings: Recorded[] = [];
async function episodes(): Promise<Recorded[]> {
  if (recordings.length === 0) for (let i = 0; i < EPISODES; i++) recordings.push(await record(i));
  return recordings;
}

describe('record and replay', () => {
  it(`replays ${EPISODES} recorded episodes byte for byte, executing the tools on a fresh database`, async () => {
    const all = await episodes();
    for (const [i, rec] of all.entries()) {
      expect(rec.error, `episode ${i}`).toBeUndefined();
      const stored = roundTrip(rec.log);
      const replay = await replayRun(orderDesk, stored, { registry, base });
      expect(replay.events.map((e) => JSON.stringify(e)).join('\n'), `episode ${i}`).toBe(rec.log.map((e) => JSON.stringify(e)).join('\n'));
      expect(replay.env?.db.jcsSha256(), `episode ${i}`).toBe(rec.session.env.db.jcsSha256());
      expect(replay.end).toEqual({ node: (rec.log.at(-1) as { node: string }).node, reason: (rec.log.at(-1) as { reason: string }).reason });
    }
    // The family exercises the engine broadly (otherwise this test would prove little).
    const types = new Set(all.flatMap((r) => r.log.map((e) => e.type)));
    for (const t of ['validation_failed', 'fallback', 'tool_call', 'precondition_failed', 'random', 'say', 'user_reply', 'llm_response']) expect(types).toContain(t);
    const ends = new Set(all.map((r) => (r.log.at(-1) as { reason: string }).reason));
    expect([...ends].sort()).toEqual(['max_steps', 'resolved', 'transfer', 'user_stop']);
    expect(all.some((r) => r.session.env.actions.some((a) => a.name === 'cancel_order' && !a.error))).toBe(true);
    expect(all.some((r) => r.log.some((e) => e.type === 'say' && e.worded))).toBe(true);
    expect(new Set(all.map((r) => r.log.length)).size).toBeGreaterThan(10);
  });

  it('replays with tool observations served from the log', async () => {
    for (const rec of (await episodes()).slice(0, 10)) {
      const replay = await replayRun(orderDesk, rec.log, { registry });
      expect(replay.events).toEqual(rec.log);
      expect(replay.env).toBeUndefined();
    }
  });

  it('a tampered engine event fails the replay at exactly that step', async () => {
    const all = await episodes();
    const tampers: Array<[AuditEvent['type'], (e: AuditEvent) => AuditEvent]> = [
      ['node_entered', (e) => ({ ...e, node: `${(e as { node: string }).node}_x` }) as AuditEvent],
      ['node_exited', (e) => ({ ...e, changes: { ...(e as { changes: object }).changes, forged: true } }) as AuditEvent],
      ['tool_call', (e) => ({ ...e, args: `${(e as { args: string }).args} ` }) as AuditEvent],
      ['tool_call', (e) => ({ ...e, observation: `${(e as { observation: string }).observation} ` }) as AuditEvent],
      ['say', (e) => ({ ...e, text: `${(e as { text: string }).text}!` }) as AuditEvent],
      ['llm_request', (e) => ({ ...e, hash: '0'.repeat(64) }) as AuditEvent],
      ['end', (e) => ({ ...e, reason: 'forged' }) as AuditEvent],
      ['run_started', (e) => ({ ...e, codeHash: 'f'.repeat(64) }) as AuditEvent],
    ];
    let checked = 0;
    for (const [i, rec] of all.entries()) {
      const [type, tamper] = tampers[i % tampers.length]!;
      const candidates = rec.log.filter((e) => e.type === type);
      if (candidates.length === 0) continue;
      const target = candidates[(i * 7) % candidates.length]!;
      const log = rec.log.map((e) => (e.seq === target.seq ? tamper(e) : e));
      // Observations are only checked when tools run for real (in log mode they come from the log).
      const execute = i % 2 === 0 || i % tampers.length === 3;
      const err = await divergence(orderDesk as Blueprint<unknown>, log, execute);
      expect(err.step, `episode ${i}, ${type} at ${target.seq}`).toBe(target.seq);
      expect(err.expected).toEqual(log[target.seq]);
      expect(err.actual).toEqual(rec.log[target.seq]);
      expect(err.message).toContain(`diverged at step ${target.seq}`);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it('a tampered user reply fails the replay at the first step where the run then differs, if anywhere', async () => {
    let diverged = 0;
    let harmless = 0;
    for (const i of [1, 4, 7, 12]) {
      const rec = (await episodes())[i]!;
      const replies = rec.log.filter((e): e is Extract<AuditEvent, { type: 'user_reply' }> => e.type === 'user_reply' && !e.done);
      for (const [j, reply] of replies.entries()) {
        const forged = 'Please cancel order #3.';
        const log = rec.log.map((e) => (e.seq === reply.seq ? { ...e, text: forged } : e));
        // What a run that really got this reply records.
        const truth = await record(i, { userReply: { index: j, text: forged } });
        const expected = firstDifference(truth.log, log);
        if (expected === -1) {
          // The reply was not used (e.g. the answer to a goodbye): the forged log is a faithful one.
          expect((await replayRun(orderDesk, log, { registry, base })).events).toEqual(log);
          harmless++;
          continue;
        }
        expect(expected).toBeGreaterThan(reply.seq);
        const err = await divergence(orderDesk as Blueprint<unknown>, log);
        expect(err.step).toBe(expected);
        expect(err.actual).toEqual(truth.log[expected]);
        diverged++;
      }
    }
    expect(diverged).toBeGreaterThanOrEqual(4);
    expect(harmless).toBeGreaterThanOrEqual(1);
  });

  it('a consistently tampered sub-task answer diverges where the path changes', async () => {
    const rec = (await episodes())[2]!;
    const responses = rec.log.filter((e): e is Extract<AuditEvent, { type: 'llm_response' }> => e.type === 'llm_response');
    const k = responses.findIndex((e) => e.text === '{"intent":"cancel"}' || e.text === '{"intent":"status"}');
    expect(k).toBeGreaterThanOrEqual(0);
    const text = '{"intent":"all"}';
    const log = rec.log.map((e) => (e.seq === responses[k]!.seq ? { ...e, text, answer: { intent: 'all' } } : e));
    const truth = await record(2, { modelAnswer: { index: k, text } });
    const expected = firstDifference(truth.log, log);
    expect(expected).toBeGreaterThan(responses[k]!.seq);
    const err = await divergence(orderDesk as Blueprint<unknown>, log);
    expect(err.step).toBe(expected);
  });

  it('a truncated or extended log fails where the two part', async () => {
    const rec = (await episodes())[3]!;
    const cut = Math.floor(rec.log.length / 2);
    expect((await divergence(orderDesk as Blueprint<unknown>, rec.log.slice(0, cut))).step).toBe(cut);
    const longer = [...rec.log, { seq: rec.log.length, type: 'end', node: null, reason: 'again' } as AuditEvent];
    const err = await divergence(orderDesk as Blueprint<unknown>, longer);
    expect(err.step).toBe(rec.log.length);
    expect(err.message).toContain('the replay ended');
  });

  it('refuses a log from different blueprint code unless told to accept it', async () => {
    const rec = (await episodes())[6]!;
    const edited = defineBlueprint({ ...orderDesk, nodes: orderDesk.nodes.map((n) => (n.id === 'finished' ? { ...n, description: 'edited' } : n)) });
    const err = await divergence(edited as Blueprint<unknown>, rec.log);
    expect(err.step).toBe(0);
    expect(err.message).toContain('codeHash');
    const replay = await replayRun(edited, rec.log, { registry, base, allowCodeChange: true });
    expect(replay.events).toHaveLength(rec.log.length);
  });

  it('replays a run that failed, up to the same error', async () => {
    const failing = defineBlueprint({
      id: 'fails',
      version: '1',
      approvedTools: ['get_order'],
      context: (info) => ({ text: info.firstUserMessage ?? '' }),
      start: 'look',
      nodes: (n) => [
        n.tool('look', { tool: 'get_order', args: { order_id: '#2' }, next: 'ask' }),
        n.say('ask', { text: () => 'Anything else?', onReply: (c, r) => void (c.text = r), next: 'pick' }),
        n.route('pick', { targets: ['done'], choose: (c) => (c.text.includes('bye') ? 'done' : 'elsewhere') }),
        n.end('done', { reason: 'ok' }),
      ],
    });
    const s = new FakeSession({ registry, base, user: () => 'no', model: () => null });
    let log: AuditEvent[] = [];
    await expect(createBlueprintAgent(failing, { onRun: (r) => void (log = r.events) }).run(s)).rejects.toThrow(/not one of its targets/);
    expect(log.at(-1)).toMatchObject({ type: 'error', node: 'pick' });
    const replay = await replayRun(failing, log, { registry, base });
    expect(replay.end).toBeUndefined();
    expect(replay.events).toEqual(log);
  });

  it('replays model timeouts from the log without waiting', async () => {
    const bp = defineBlueprint({
      id: 'timeouts',
      version: '1',
      approvedTools: [],
      context: () => ({ yes: false }),
      start: 'q',
      nodes: (n) => [
        n.llm('q', { task: 'yes', instructions: 'Yes?', input: () => ({}), schema: z.object({ yes: z.boolean() }), onResult: (c, o) => void (c.yes = o.yes), timeoutMs: 20, next: 'e', fallback: 'e' }),
        n.end('e', { reason: 'ok' }),
      ],
    });
    let calls = 0;
    const slow: ScriptedModel = (_r, _role, signal) =>
      calls++ === 0 ? new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')))) : '{"yes": true}';
    const s = new FakeSession({ registry, base, model: slow });
    let log: AuditEvent[] = [];
    await createBlueprintAgent(bp, { onRun: (r) => void (log = r.events) }).run(s);
    expect(log.filter((e) => e.type === 'llm_error')).toHaveLength(1);
    const replay = await replayRun(bp, log, { registry });
    expect(replay.events).toEqual(log);
    expect(replay.ctx).toEqual({ yes: true });
  });

  it('reads the log back from the session notes', async () => {
    const rec = (await episodes())[8]!;
    const notes = [{ kind: 'other', data: 1 }, ...rec.session.notes];
    expect(auditLogFromNotes(notes)).toEqual(rec.log);
    expect(() => auditLogFromNotes([...rec.session.notes, ...rec.session.notes])).toThrow(/seq 0; expected/);
  });

  it('replays an interrupted run and a run whose model call failed', async () => {
    const script = makeScript(9);
    const u = scriptedUser(script);
    let replies = 0;
    const interrupted = new FakeSession({
      registry,
      base,
      firstUserMessage: u.first,
      model: scriptedModel(script),
      user: (text) => {
        if (++replies === 2) interrupted.controller.abort();
        return u.user(text);
      },
    });
    let log: AuditEvent[] = [];
    await createBlueprintAgent(orderDesk, { onRun: (r) => void (log = r.events) }).run(interrupted);
    expect(log.at(-1)).toMatchObject({ type: 'end', node: null, reason: 'interrupted' });
    expect((await replayRun(orderDesk, log, { registry, base })).events).toEqual(log);

    const failing = new FakeSession({ registry, base, firstUserMessage: 'cancel #1', model: () => new ProviderError('rate limited', { status: 429 }) });
    await expect(createBlueprintAgent(orderDesk, { onRun: (r) => void (log = r.events) }).run(failing)).rejects.toBeInstanceOf(ProviderError);
    expect(log.slice(-2)).toMatchObject([
      { type: 'llm_error', code: 'provider_error', timeout: false },
      { type: 'error', code: 'provider_error' },
    ]);
    expect((await replayRun(orderDesk, log, { registry })).events).toEqual(log);
  });
});
