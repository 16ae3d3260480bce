import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { loadTasks } from '../../src/env/tasks/source.js';
import { sharedDir } from '../../test/shared-data.js';
import { SUBTASKS } from './requests.js';
import { loadBuiltin } from '../../domains/airline/builtin.js';
import { airlineOracles, reasonFromInstruction, taskRequests } from './subtask-oracles.js';

const official = (): Task[] => loadTasks('airline', join(sharedDir(), 'taubench', 'airline'), 'test');
const ask = (name: string, task: Task, input: unknown) => (airlineOracles[name] as NonNullable<(typeof airlineOracles)[string]>)({ task, name, input });

describe('airline sub-task oracles', () => {
  it('reads an official booking from its gold arguments, payment methods in the order paid', () => {
    const t0 = official()[0] as Task;
    expect(taskRequests(t0)).toEqual([
      expect.objectContaining({ kind: 'book', origin: 'JFK', destination: 'SEA', trip_type: 'one_way', depart_date: '2024-05-20', cabin: 'economy', total_baggages: 3, insurance: false, payment_ids: ['certificate_7504069', 'credit_card_4421486'] }),
    ]);
  });

  it('reads generated tasks from their scripted requests (refusals included)', () => {
    for (const task of loadBuiltin().tasks) expect(taskRequests(task).map((r) => r.kind), task.id).toHaveLength(task.scripted?.requests?.length ?? 0);
  });

  it('takes the cancellation reason from the instruction', () => {
    expect(reasonFromInstruction('you are willing to cancel the trip using the travel insurance as you feel unwell')).toBe('health');
    expect(reasonFromInstruction('a storm is coming')).toBe('weather');
    expect(reasonFromInstruction('you changed your mind')).toBe('change_of_plans');
  });

  it('drops requests already handled, and offers wrong answers that differ', () => {
    const t2 = official()[2] as Task;
    const all = ask(SUBTASKS.parseRequests, t2, { already_handled: [] });
    expect((all.answer as { requests: unknown[] }).requests).toHaveLength(5);
    const rest = ask(SUBTASKS.parseRequests, t2, { already_handled: [{ kind: 'change_flights', reservation_id: 'JG7FMM', result: 'done' }] });
    expect((rest.answer as { requests: Array<{ reservation_id: string }> }).requests.map((r) => r.reservation_id)).toEqual(['2FBBAH', 'X7BYG1', 'EQ1G6C', 'BOH180']);
    for (const w of all.wrong ?? []) expect(JSON.stringify(w)).not.toBe(JSON.stringify(all.answer));
  });

  it('plans which direction changes by comparing the gold flights with the reservation, and picks the listed option', () => {
    const t3 = official()[3] as Task;
    const reservation = {
      reservation_id: 'OBUT9V',
      flight_type: 'round_trip',
      origin: 'IAH',
      destination: 'DEN',
      cabin: 'economy',
      flights: [
        { flight_number: 'HAT078', date: '2024-05-27', from: 'IAH', to: 'ORD' },
        { flight_number: 'HAT118', date: '2024-05-27', from: 'ORD', to: 'DEN' },
        { flight_number: 'HAT084', date: '2024-05-28', from: 'DEN', to: 'LAS' },
        { flight_number: 'HAT266', date: '2024-05-28', from: 'LAS', to: 'IAH' },
      ],
    };
    expect(ask(SUBTASKS.planFlightChange, t3, { reservation }).answer).toEqual({ outbound_date: null, return_date: '2024-05-27' });
    const options = [
      { id: 'B1', flights: [{ flight_number: 'HAT084', date: '2024-05-27' }, { flight_number: 'HAT266', date: '2024-05-27' }] },
      { id: 'B2', flights: [{ flight_number: 'HAT290', date: '2024-05-27' }, { flight_number: 'HAT175', date: '2024-05-27' }] },
    ];
    const choice = ask(SUBTASKS.chooseFlights, t3, { purpose: 'change', reservation, directions: [{ direction: 'return', options }] });
    expect(choice.answer).toEqual({ choices: [{ direction: 'return', option_id: 'B2' }] });
    expect(choice.wrong).toEqual([{ choices: [{ direction: 'return', option_id: 'B1' }] }]);
  });

  it('extracts the user id only when the message gives it', () => {
    const t = official()[0] as Task;
    expect(ask(SUBTASKS.extractUserId, t, { message: "it's mia li 3668" }).answer).toEqual({ user_id: 'mia_li_3668' });
    expect(ask(SUBTASKS.extractUserId, t, { message: 'I forgot it, sorry' }).answer).toEqual({ user_id: null });
  });

  it('answers yes/no from the reply and words replies as their drafts', () => {
    const t = official()[0] as Task;
    expect(ask(SUBTASKS.yesNo, t, { reply: 'Yes, please go ahead.' }).answer).toEqual({ answer: 'yes' });
    expect(ask(SUBTASKS.yesNo, t, { reply: 'No, leave it.' }).answer).toEqual({ answer: 'no' });
    expect(ask('say:airline_confirm', t, { facts: {}, draft: 'Shall I?' }).answer).toBe('Shall I?');
  });
});
