import { describe, expect, it } from 'vitest';
import type { TrajectoryEvent } from '../../contract/record.js';
import { classifyEpisode, outputFound, type ClassifiableEpisode, type GoldTask } from './failures.js';

const WRITES = new Set(['cancel_pending_order', 'modify_pending_order_address', 'return_delivered_order_items']);
const opts = { isWrite: (t: string) => WRITES.has(t) };

const task: GoldTask = {
  actions: [
    { name: 'get_order_details', kwargs: { order_id: '#W1' } },
    { name: 'cancel_pending_order', kwargs: { order_id: '#W1', reason: 'no longer needed' } },
  ],
  outputs: [],
};

let at = 0;
const agent = (text: string): TrajectoryEvent => ({ type: 'message', from: 'agent', text, at: at++ });
const user = (text: string): TrajectoryEvent => ({ type: 'message', from: 'user', text, at: at++ });
const tool = (name: string, args: unknown, error = false): TrajectoryEvent => ({ type: 'tool', name, arguments: JSON.stringify(args), observation: error ? 'Error: nope' : '{}', error, at: at++ });

function episode(trajectory: TrajectoryEvent[], reason = 'user_stop', reward: number | null = 0, message?: string): ClassifiableEpisode {
  return {
    taskId: '7',
    trial: 1,
    reward,
    success: reward === 1,
    termination: { reason: reason as ClassifiableEpisode['termination']['reason'], ...(message === undefined ? {} : { message }) },
    trajectory,
  };
}

const read = tool('get_order_details', { order_id: '#W1' });
const goodCancel = tool('cancel_pending_order', { reason: 'no longer needed', order_id: '#W1' });

describe('failure classification (one hand-built trajectory per class)', () => {
  it('a success is no failure', () => {
    expect(classifyEpisode(episode([user('cancel'), read, goodCancel, agent('Done.')], 'user_stop', 1), task, opts)).toBeNull();
  });

  it('wrong arguments on a write', () => {
    const f = classifyEpisode(episode([user('hi'), read, tool('cancel_pending_order', { order_id: '#W1', reason: 'ordered by mistake' }), agent('Done.')]), task, opts);
    expect(f?.category).toBe('wrong_arguments');
    expect(f?.detail).toContain('ordered by mistake');
    expect(f).toMatchObject({ taskId: '7', trial: 1 });
  });

  it('wrong tool: another write instead of the gold one', () => {
    const f = classifyEpisode(episode([user('hi'), read, tool('modify_pending_order_address', { order_id: '#W1' }), agent('Done.')]), task, opts);
    expect(f?.category).toBe('wrong_tool');
    expect(f?.detail).toBe('called modify_pending_order_address where the gold calls cancel_pending_order');
  });

  it('extra or forbidden write beside every gold write', () => {
    const f = classifyEpisode(episode([read, goodCancel, tool('return_delivered_order_items', { order_id: '#W2' }), agent('Done.')]), task, opts);
    expect(f?.category).toBe('extra_write');
    // a write that failed changed nothing: not extra
    expect(classifyEpisode(episode([read, goodCancel, tool('return_delivered_order_items', { order_id: '#W2' }, true), agent('Done.')]), task, opts)?.category).toBe('other');
  });

  it('missing write', () => {
    const f = classifyEpisode(episode([user('cancel please'), read, agent('I cannot cancel this order.'), user('ok bye')]), task, opts);
    expect(f?.category).toBe('missing_write');
    expect(f?.detail).toContain('cancel_pending_order');
  });

  it('user stopped early: the user left while the agent asked a question', () => {
    const f = classifyEpisode(episode([user('cancel please'), read, agent('Shall I cancel order #W1 for you?'), user('###STOP###')]), task, opts);
    expect(f?.category).toBe('user_stopped_early');
  });

  it('missing required output', () => {
    const withOutput: GoldTask = { actions: [], outputs: ['1,234.50'] };
    expect(classifyEpisode(episode([user('how much?'), agent('It costs 1234.5 dollars.')]), withOutput, opts)?.category).toBe('missing_output');
    // τ-bench's comparison: commas dropped from the message, not from the output
    expect(outputFound('1234.50', ['It costs 1,234.50 dollars.'])).toBe(true);
    const tau2: GoldTask = { actions: [], outputs: [], evaluation: { communicateInfo: ['42'] } };
    expect(classifyEpisode(episode([agent('No idea.')]), tau2, opts)?.category).toBe('missing_output');
  });

  it('transfer to a human the gold does not make', () => {
    const f = classifyEpisode(episode([user('cancel'), read, tool('transfer_to_human_agents', { summary: 'x' })], 'transfer'), task, opts);
    expect(f?.category).toBe('transfer');
    expect(f?.detail).toContain('1 gold write(s) not made');
  });

  it('step cap', () => {
    expect(classifyEpisode(episode([read, read, read], 'max_steps', 0, 'step cap 30 reached'), task, opts)).toMatchObject({ category: 'step_cap', detail: 'step cap 30 reached' });
  });

  it('agent error and infrastructure error (also a failed user simulator)', () => {
    expect(classifyEpisode(episode([read], 'agent_error', 0, 'unparsable output'), task, opts)?.category).toBe('agent_error');
    expect(classifyEpisode(episode([], 'infrastructure_error', null, '429 after 6 retries'), task, opts)).toMatchObject({ category: 'infrastructure_error', detail: '429 after 6 retries' });
    expect(classifyEpisode(episode([], 'user_error', 0, 'boom'), task, opts)).toMatchObject({ category: 'infrastructure_error', detail: 'user simulator failed: boom' });
  });

  it('unscored, other, and unclassified without gold data', () => {
    expect(classifyEpisode(episode([read, goodCancel], 'user_stop', null), task, opts)?.category).toBe('unscored');
    expect(classifyEpisode(episode([read, goodCancel, agent('Done.')], 'user_stop', 0), task, opts)?.category).toBe('other');
    expect(classifyEpisode(episode([read], 'user_stop', 0), undefined, opts)?.category).toBe('unclassified');
    expect(classifyEpisode(episode([read], 'max_steps', 0), undefined, opts)?.category).toBe('step_cap');
  });

  it('τ² compare_args: only the listed keys must match', () => {
    const t: GoldTask = { actions: [{ name: 'cancel_pending_order', kwargs: { order_id: '#W1', reason: 'x' }, compareArgs: ['order_id'] }], outputs: [] };
    expect(classifyEpisode(episode([tool('cancel_pending_order', { order_id: '#W1', reason: 'y' }), agent('Done.')]), t, opts)?.category).toBe('other');
  });
});
