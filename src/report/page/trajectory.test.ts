import { describe, expect, it } from 'vitest';
import { PyFloat } from '../../core/py/py-float.js';
import type { Task } from '../../core/task.js';
import type { EpisodeRecord, TrajectoryEvent } from '../../contract/record.js';
import { clip, diffGold, viewerEpisode } from './trajectory.js';

const task = (actions: Task['actions'], outputs: string[] = []): Task => ({ id: 't1', index: 1, format: 'tau-v1', domain: 'retail', instruction: 'x', actions, outputs });

function record(trajectory: TrajectoryEvent[], extra: Partial<EpisodeRecord> = {}): EpisodeRecord {
  return {
    v: 1, taskId: 't1', taskIndex: 1, trial: 0, seed: 1, domain: 'retail', semantics: 'v1', agent: 'a', user: 'scripted',
    reward: 0, success: false, termination: { reason: 'user_stop' }, steps: 0, turns: 0, toolCalls: 0, dbHash: '', startedAt: 0, endedAt: 0, durationMs: 0, calls: [], trajectory, ...extra,
  };
}

const bp = (seq: number, data: Record<string, unknown>): TrajectoryEvent => ({ type: 'note', kind: 'blueprint', data: { seq, ...data }, at: 0 });

describe('diffGold', () => {
  it('matches calls by name and arguments, then same-name calls as "arguments differ", leaving the rest extra', () => {
    const t = task([
      { name: 'get_user', kwargs: { user_id: 'u1' } },
      { name: 'cancel', kwargs: { order_id: '#1', reason: 'no longer needed' } },
      { name: 'refund', kwargs: { amount: new PyFloat(10) } },
    ]);
    const d = diffGold(t, [
      { name: 'cancel', arguments: '{"order_id": "#1", "reason": "ordered by mistake"}' },
      { name: 'get_user', arguments: '{"user_id": "u1"}' },
      { name: 'list_orders', arguments: '{}' },
    ]);
    expect(d.actions.map((a) => [a.name, a.status, a.call])).toEqual([
      ['get_user', 'matched', 1],
      ['cancel', 'arguments differ', 0],
      ['refund', 'missing', null],
    ]);
    expect(d.extra).toEqual([2]);
    expect(d.actions[2]?.kwargs).toBe('{"amount":10}');
  });

  it('compares only compareArgs when the task lists them, an int equal to a float, and skips user-side τ² actions', () => {
    const t = task([
      { name: 'send', kwargs: { to: 'a', note: 'anything' }, compareArgs: ['to'] },
      { name: 'pay', kwargs: { amount: new PyFloat(5) } },
      { name: 'toggle_data', kwargs: {}, requestor: 'user' },
    ]);
    const d = diffGold(t, [
      { name: 'send', arguments: '{"to": "a", "note": "other"}' },
      { name: 'pay', arguments: '{"amount": 5}' },
    ]);
    expect(d.actions.map((a) => a.status)).toEqual(['matched', 'matched']);
    expect(d.extra).toEqual([]);
  });

  it('a gold action is not matched twice; unparseable arguments differ', () => {
    const t = task([{ name: 'ping', kwargs: { n: 1 } }, { name: 'ping', kwargs: { n: 1 } }]);
    const d = diffGold(t, [{ name: 'ping', arguments: '{"n": 1}' }, { name: 'ping', arguments: 'n=1' }]);
    expect(d.actions.map((a) => a.status)).toEqual(['matched', 'arguments differ']);
  });

  it('reports required outputs with what the reward found', () => {
    const d = diffGold(task([], ['8.54', '12']), [], { '8.54': true, '12': false });
    expect(d.outputs).toEqual([
      { text: '8.54', found: true },
      { text: '12', found: false },
    ]);
    expect(diffGold(task([], ['1']), []).outputs).toEqual([{ text: '1', found: null }]);
  });
});

describe('viewerEpisode', () => {
  it('keeps the conversation, tags events with the blueprint node, collapses the node path and pairs sub-task answers', () => {
    const r = record([
      { type: 'message', from: 'user', text: 'hi <b>there</b>', at: 0 },
      bp(0, { type: 'run_started' }),
      bp(1, { type: 'node_entered', node: 'opening', kind: 'branch' }),
      bp(2, { type: 'node_entered', node: 'ask', kind: 'say' }),
      bp(3, { type: 'node_entered', node: 'ask', kind: 'say' }),
      { type: 'message', from: 'agent', text: 'who are you?', at: 0 },
      bp(4, { type: 'llm_request', node: 'ask', role: 'subtask', task: 'understand', attempt: 0, hash: 'h', input: { q: 1 } }),
      bp(5, { type: 'llm_response', node: 'ask', attempt: 0, text: '{"a":2}', answer: { a: 2 } }),
      bp(6, { type: 'llm_request', node: 'ask', role: 'subtask', task: 'understand', attempt: 1, hash: 'h', input: 'again' }),
      bp(7, { type: 'llm_error', node: 'ask', attempt: 1, error: 'timeout', timeout: true, code: null }),
      { type: 'tool', name: 'get_user', arguments: '{"user_id": "u1"}', observation: '{}', error: false, at: 0 },
      { type: 'note', kind: 'parse_error', data: { line: 'x' }, at: 0 },
    ]);
    const e = viewerEpisode(r, 3, task([{ name: 'get_user', kwargs: { user_id: 'u1' } }]));
    expect(e.run).toBe(3);
    expect(e.events).toEqual([
      { type: 'message', from: 'user', text: 'hi <b>there</b>' },
      { type: 'message', from: 'agent', text: 'who are you?', node: 'ask' },
      { type: 'tool', name: 'get_user', arguments: '{"user_id": "u1"}', observation: '{}', error: false, node: 'ask' },
      { type: 'note', kind: 'parse_error', text: '{"line":"x"}' },
    ]);
    expect(e.nodePath).toEqual([
      { node: 'opening', kind: 'branch', count: 1 },
      { node: 'ask', kind: 'say', count: 2 },
    ]);
    expect(e.subtasks).toEqual([
      { node: 'ask', task: 'understand', attempt: 0, input: '{"q":1}', answer: '{"a":2}', error: null },
      { node: 'ask', task: 'understand', attempt: 1, input: 'again', answer: null, error: 'timeout' },
    ]);
    expect(e.gold?.actions[0]?.status).toBe('matched');
    expect(e.truncated).toBe(false);
  });

  it('has no blueprint fields for other agents, a null gold diff without the task, and cuts long texts and event lists', () => {
    const long = 'y'.repeat(50);
    const r = record([
      { type: 'message', from: 'user', text: long, at: 0 },
      { type: 'message', from: 'agent', text: 'a', at: 0 },
      { type: 'message', from: 'user', text: 'b', at: 0 },
    ], { termination: { reason: 'max_steps', message: 'step cap 30' } });
    const e = viewerEpisode(r, 0, undefined, { maxText: 30, maxEvents: 2 });
    expect(e.nodePath).toBeUndefined();
    expect(e.subtasks).toBeUndefined();
    expect(e.gold).toBeNull();
    expect(e.events).toHaveLength(2);
    expect(e.events[0]).toEqual({ type: 'message', from: 'user', text: `${'y'.repeat(30)}… [20 more characters not shown]` });
    expect(e.truncated).toBe(true);
    expect(e.termination).toBe('max_steps: step cap 30');
  });

  it('clip leaves short text alone', () => {
    expect(clip('abc', 3)).toEqual({ text: 'abc', cut: false });
    expect(clip('abcd', 3).cut).toBe(true);
  });
});
