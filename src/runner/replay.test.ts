import { describe, expect, it } from 'vitest';
import { ReplayBook, ReplayModel, episodeTagOf } from '../models/replay-model.js';
import type { CallRecord, ChatModel, ChatRequest, ChatResponse } from '../models/types.js';
import { episodeJudgeModel, episodeModel } from './episode-models.js';
import type { EpisodeRecord } from '../contract/record.js';
import { comparableEpisode, compareEpisode, recordedCost, recordedFailure, unreplayableReason } from './replay.js';

function call(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    role: 'agent',
    model: 'openai:gpt-4o',
    usage: { input: 100, output: 10 },
    latencyMs: 812,
    costUsd: 0.002,
    retries: 2,
    retryWaitMs: 900,
    cached: false,
    startedAt: 1_700_000_000_000,
    requestId: 'req_1',
    seq: 0,
    requestHash: '0123456789abcdef',
    response: { text: null, toolCalls: [{ id: 'c1', name: 'get_order_details', arguments: '{"order_id": "#W1"}' }], finishReason: 'tool_calls' },
    ...overrides,
  };
}

function episode(overrides: Partial<EpisodeRecord> = {}): EpisodeRecord {
  return {
    v: 1,
    taskId: '12',
    taskIndex: 12,
    trial: 0,
    seed: 42,
    domain: 'retail',
    semantics: 'v1',
    agent: 'tool-calling',
    user: 'llm',
    reward: 1,
    success: true,
    termination: { reason: 'user_stop' },
    steps: 2,
    turns: 1,
    toolCalls: 1,
    dbHash: 'abc',
    startedAt: 1000,
    endedAt: 2000,
    durationMs: 1000,
    calls: [call()],
    trajectory: [
      { type: 'message', from: 'user', text: 'Where is my order #W1?', at: 1001 },
      { type: 'tool', id: 'c1', name: 'get_order_details', arguments: '{"order_id": "#W1"}', observation: '{"status": "pending"}', error: false, at: 1002 },
      { type: 'message', from: 'agent', text: 'It is pending.', at: 1003 },
    ],
    ...overrides,
  };
}

describe('comparing a replayed episode with its record', () => {
  it('ignores timing, retries, cache hits and cost, but not usage, responses or request hashes', () => {
    const replayed = episode({
      startedAt: 5,
      endedAt: 9,
      durationMs: 4,
      calls: [call({ latencyMs: 0, costUsd: 0, retries: 0, retryWaitMs: 0, cached: true, startedAt: 5, requestId: 'other' })],
      trajectory: episode().trajectory.map((e) => ({ ...e, at: 7 })),
    });
    expect(compareEpisode(episode(), replayed)).toBeUndefined();
    expect(JSON.stringify(comparableEpisode(episode()))).toBe(JSON.stringify(comparableEpisode(replayed)));
    const moreTokens = episode({ calls: [call({ usage: { input: 100, output: 11 } })] });
    expect(compareEpisode(episode(), moreTokens)?.summary).toBe('task 12 trial 0: calls[0].usage.output: recorded 10 ≠ replayed 11');
    expect(compareEpisode(episode(), episode({ calls: [call({ requestHash: 'ffffffffffffffff' })] }))?.summary).toMatch(/calls\[0\]\.requestHash: recorded "0123456789abcdef" ≠ replayed "ffffffffffffffff"/);
  });

  it('names the first differing step, then the other differing fields', () => {
    const trajectory = [...episode().trajectory];
    trajectory[1] = { type: 'tool', id: 'c1', name: 'get_order_details', arguments: '{"order_id": "#W2"}', observation: 'Error: order not found', error: true, at: 3 };
    const d = compareEpisode(episode(), episode({ trajectory, reward: 0, success: false }));
    expect(d?.summary).toBe('task 12 trial 0: step 2 (tool call): recorded get_order_details {"order_id": "#W1"} ≠ replayed get_order_details {"order_id": "#W2"}');
    expect(d?.details).toEqual(['reward: recorded 1 ≠ replayed 0', 'success: recorded true ≠ replayed false']);
    // Same call, another observation; a trajectory that ends early.
    const observed = [...episode().trajectory];
    observed[1] = { ...(observed[1] as Extract<EpisodeRecord['trajectory'][number], { type: 'tool' }>), observation: '{"status": "delivered"}' };
    expect(compareEpisode(episode(), episode({ trajectory: observed }))?.summary).toBe(
      'task 12 trial 0: step 2 (tool call) get_order_details {"order_id": "#W1"}: observation recorded "{\\"status\\": \\"pending\\"}" ≠ replayed "{\\"status\\": \\"delivered\\"}"',
    );
    const short = compareEpisode(episode(), episode({ trajectory: episode().trajectory.slice(0, 2), termination: { reason: 'agent_error', message: 'boom' } }));
    expect(short?.summary).toBe('task 12 trial 0: step 3 (agent message): recorded "It is pending." ≠ replayed (nothing: the episode ended, agent_error: boom)');
  });

  it('says which episodes cannot be replayed and which ended on a model failure', () => {
    const { seq: _s, requestHash: _h, response: _r, ...old } = call();
    expect(unreplayableReason(episode({ calls: [old, call()] }))).toMatch(/1 of its 2 model call\(s\) were recorded without their response/);
    expect(unreplayableReason(episode({ calls: [] }))).toBeUndefined();
    expect(recordedFailure(episode({ termination: { reason: 'infrastructure_error', message: 'HTTP 503', code: 'provider_error' } }))).toEqual({ message: 'HTTP 503', code: 'provider_error' });
    expect(recordedFailure(episode({ termination: { reason: 'agent_error', message: 'HTTP 400', code: 'provider_rejected' } }))).toEqual({ message: 'HTTP 400', code: 'provider_rejected' });
    expect(recordedFailure(episode({ termination: { reason: 'agent_error', message: 'no action', code: 'episode_error' } }))).toBeUndefined();
    expect(recordedCost([episode(), episode({ calls: [call({ costUsd: 0.003 })] })])).toBeCloseTo(0.005, 10);
    expect(recordedCost([episode({ calls: [call({ costUsd: null })] })])).toBeNull();
  });
});

describe('episode model handles for replay', () => {
  const answer = (text: string): ChatResponse => ({ text, toolCalls: [], finishReason: 'stop', usage: { input: 1, output: 1 }, latencyMs: 1, costUsd: 0.1, retries: 0, retryWaitMs: 0, model: 'm' });

  it('tag requests with task, trial and role (the judge too, without changing its request) and record them replayably', async () => {
    const seen: ChatRequest[] = [];
    const base: ChatModel = { id: 'm', complete: async (r) => (seen.push(r), answer(`ok ${seen.length}`)) };
    const calls: CallRecord[] = [];
    const task = { id: 't7' };
    await episodeModel(base, 'subtask', { task, trial: 2, sink: calls }).complete({ messages: [{ role: 'user', content: 'q' }], privileged: { subtask: { name: 'x', input: 1 } } });
    const judgeRequest: ChatRequest = { messages: [{ role: 'user', content: 'grade' }] };
    await episodeJudgeModel(base, { taskId: 't7', trial: 2 }, (c) => void calls.push(c)).complete(judgeRequest);
    expect(seen.map(episodeTagOf)).toEqual([
      { taskId: 't7', trial: 2, role: 'subtask' },
      { taskId: 't7', trial: 2, role: 'judge' },
    ]);
    expect(seen[0]).toMatchObject({ trial: 2, privileged: { task, subtask: { name: 'x', input: 1 } } });
    expect(seen[1]?.trial).toBeUndefined();
    expect(calls.map((c) => [c.role, c.seq, c.response?.text])).toEqual([
      ['subtask', 0, 'ok 1'],
      ['judge', 0, 'ok 2'],
    ]);

    // Replayed through the same handles: the same answers, no base model call.
    const book = new ReplayBook([{ taskId: 't7', trial: 2, calls }]);
    const replay = new ReplayModel('m', book);
    const replayedCalls: CallRecord[] = [];
    const sub = await episodeModel(replay, 'subtask', { task, trial: 2, sink: replayedCalls }).complete({ messages: [{ role: 'user', content: 'q' }], privileged: { subtask: { name: 'x', input: 1 } } });
    const judged = await episodeJudgeModel(replay, { taskId: 't7', trial: 2 }, (c) => void replayedCalls.push(c)).complete(judgeRequest);
    expect([sub.text, judged.text]).toEqual(['ok 1', 'ok 2']);
    expect(book.divergences).toEqual([]);
    expect(replayedCalls.map((c) => [c.requestHash, c.costUsd])).toEqual(calls.map((c) => [c.requestHash, 0]));
  });
});
