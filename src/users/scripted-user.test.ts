import { describe, expect, it } from 'vitest';
import type { Task } from '../core/task.js';
import { ScriptedUser } from './scripted-user.js';

const task = (lookups: Task['actions']): Task => ({
  id: '35',
  index: 35,
  format: 'tau-v1',
  domain: 'retail',
  userId: 'ann_1',
  instruction: 'You are Ann. Try your old email first.',
  actions: [...lookups, { name: 'cancel_pending_order', kwargs: { order_id: '#W1', reason: 'no longer needed' } }],
  outputs: [],
});

const record = { name: { first_name: 'Ann', last_name: 'Lee' }, address: { zip: '12345' }, email: 'ann.lee@example.com' };

describe('ScriptedUser identity on official tasks', () => {
  it('states the gold lookup that matches the customer record, not a failing earlier one', () => {
    const byEmail = new ScriptedUser({
      task: task([
        { name: 'find_user_id_by_email', kwargs: { email: 'ann.old@example.com' } },
        { name: 'find_user_id_by_email', kwargs: { email: 'Ann.Lee@example.com' } },
      ]),
      actions: () => [],
      isWrite: (n) => n === 'cancel_pending_order',
      userRecord: record,
    });
    expect(byEmail.identity()).toBe('My email is Ann.Lee@example.com.');
    const byZip = new ScriptedUser({
      task: task([
        { name: 'find_user_id_by_name_zip', kwargs: { first_name: 'Ann', last_name: 'Lee', zip: '99999' } },
        { name: 'find_user_id_by_name_zip', kwargs: { first_name: 'Ann', last_name: 'Lee', zip: '12345' } },
      ]),
      actions: () => [],
      isWrite: (n) => n === 'cancel_pending_order',
      userRecord: record,
    });
    expect(byZip.identity()).toBe('My name is Ann Lee and my zip code is 12345.');
  });

  it('falls back to the first lookup without a matching record (unchanged behaviour)', () => {
    const lookups = [{ name: 'find_user_id_by_email', kwargs: { email: 'ann.old@example.com' } }];
    expect(new ScriptedUser({ task: task(lookups), actions: () => [], isWrite: () => false }).identity()).toBe('My email is ann.old@example.com.');
    expect(new ScriptedUser({ task: task(lookups), actions: () => [], isWrite: () => false, userRecord: record }).identity()).toBe('My email is ann.old@example.com.');
  });
});
