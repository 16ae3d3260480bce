import { describe, expect, it } from 'vitest';
import { ProviderError } from '../core/errors.js';
import { terminationForError } from './session.js';

const live = new AbortController().signal;
const rejected = new ProviderError('m at u: HTTP 400: context length exceeded', { code: 'provider_rejected', status: 400 });

describe('terminationForError', () => {
  it('a refusal after the side had a successful call is that side’s failure (counted), with the code', () => {
    expect(terminationForError(rejected, live, 'agent_error', [{ role: 'user' }, { role: 'agent' }])).toEqual({
      reason: 'agent_error',
      message: rejected.message,
      code: 'provider_rejected',
    });
    expect(terminationForError(rejected, live, 'agent_error', [{ role: 'subtask' }]).reason).toBe('agent_error');
    expect(terminationForError(rejected, live, 'user_error', [{ role: 'user' }]).reason).toBe('user_error');
  });

  it('a refusal of a side’s first request is an infrastructure error (configuration, not conversation)', () => {
    // the user's call does not make the agent's first request a conversation of the agent's
    const t = terminationForError(rejected, live, 'agent_error', [{ role: 'user' }, { role: 'judge' }]);
    expect(t).toMatchObject({ reason: 'infrastructure_error', code: 'provider_rejected' });
    expect(t.message).toMatch(/first request of the episode/);
    expect(terminationForError(rejected, live, 'user_error', [{ role: 'agent' }]).reason).toBe('infrastructure_error');
  });

  it('without call records, or while scoring, a refusal keeps the fallback', () => {
    expect(terminationForError(rejected, live, 'agent_error').reason).toBe('agent_error');
    expect(terminationForError(rejected, live, 'user_stop', []).reason).toBe('user_stop');
  });

  it('other provider errors are infrastructure errors; anything after an abort is interrupted', () => {
    const e500 = new ProviderError('HTTP 500', { retryable: true, status: 500 });
    expect(terminationForError(e500, live, 'agent_error', [{ role: 'agent' }])).toEqual({ reason: 'infrastructure_error', message: 'HTTP 500', code: 'provider_error' });
    const aborted = new AbortController();
    aborted.abort();
    expect(terminationForError(rejected, aborted.signal, 'agent_error', []).reason).toBe('interrupted');
    expect(terminationForError(new Error('bug'), live, 'agent_error')).toEqual({ reason: 'agent_error', message: 'bug' });
  });
});
