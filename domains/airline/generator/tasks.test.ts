import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clonePy, type PyObject } from '../../../src/core/py/py-value.js';
import type { Task } from '../../../src/core/task.js';
import type { DbState } from '../../../src/env/db-state.js';
import { Environment } from '../../../src/env/environment.js';
import { playGoldTrajectory, replayGold, scoreV1 } from '../../../src/env/reward/index.js';
import { loadBuiltin } from '../builtin.js';
import { airlineRegistry } from '../registry.js';
import { generateAirlineDb } from './data.js';
import {
  checkBags,
  checkBooking,
  checkCancel,
  checkChangeCabin,
  checkChangeFlights,
  checkCompensation,
  checkInsuranceChange,
  checkPassengers,
  type FlightRef,
} from './oracle.js';
import { AIRLINE_CATEGORIES, generateAirlineTasks } from './tasks.js';

const registry = airlineRegistry('v1');
const suite = loadBuiltin();
const base = suite.data.base;
const tasks = suite.tasks;
const WRITES = new Set(registry.list().filter((t) => t.kind === 'write').map((t) => t.name));
const FREE: Record<string, Record<string, number>> = {
  regular: { basic_economy: 0, economy: 1, business: 2 },
  silver: { basic_economy: 1, economy: 1, business: 3 },
  gold: { basic_economy: 1, economy: 2, business: 4 },
};

/** Independent statement of the policy's "used segment" rule (policy section 4). */
function used(db: DbState, f: Readonly<PyObject>): boolean {
  const dep = (db.table('flights').get(f.flight_number as string) as PyObject).scheduled_departure_time_est as string;
  return (f.date as string) < '2024-05-15' || (f.date === '2024-05-15' && dep < '15:00:00');
}
function statusOn(db: DbState, fn: string, date: string): string | undefined {
  return (((db.table('flights').get(fn) as PyObject).dates as PyObject)[date] as PyObject | undefined)?.status as string | undefined;
}

/**
 * Checks one gold write against the policy on the state before it; returns the violated rule or
 * undefined. Written apart from the oracle so that the two can disagree.
 */
function violation(db: DbState, task: Task, name: string, kw: PyObject): string | undefined {
  const userId = task.userId as string;
  const user = db.table('users').get(userId) as PyObject;
  const pmOk = (id: unknown): boolean => {
    const pm = (user.payment_methods as PyObject)[id as string] as PyObject | undefined;
    return pm !== undefined && pm.source !== 'certificate';
  };
  if (name === 'book_reservation') {
    const pax = (kw.passengers as PyObject[]).length;
    if (pax > 5) return 'more than 5 passengers';
    const src = (kw.payment_methods as PyObject[]).map((p) => ((user.payment_methods as PyObject)[p.payment_id as string] as PyObject).source);
    if (src.filter((s) => s === 'certificate').length > 1 || src.filter((s) => s === 'credit_card').length > 1 || src.filter((s) => s === 'gift_card').length > 3) return 'payment limits';
    const free = (FREE[user.membership as string] as Record<string, number>)[kw.cabin as string]! * pax;
    if (kw.nonfree_baggages !== Math.max(0, (kw.total_baggages as number) - free)) return 'wrong non-free bags';
    return undefined;
  }
  if (name === 'send_certificate') {
    const req = task.scripted?.requests?.find((r) => r.kind === 'compensation' && r.args?.expected === 'performed');
    if (req === undefined) return 'certificate without a compensation request';
    const res = db.table('reservations').get(req.args?.reservation_id as string) as PyObject;
    const st = statusOn(db, req.args?.flight_number as string, req.args?.date as string);
    if (res.user_id !== userId || (st !== 'delayed' && st !== 'cancelled')) return 'no disruption';
    if (!(user.membership !== 'regular' || res.insurance === 'yes' || res.cabin === 'business')) return 'not eligible';
    if (kw.amount !== (st === 'cancelled' ? 100 : 50) * (res.passengers as PyObject[]).length) return 'wrong amount';
    return undefined;
  }
  const res = db.table('reservations').get(kw.reservation_id as string) as PyObject;
  if (res.user_id !== userId) return 'not the customer\'s reservation';
  if (res.status === 'cancelled') return 'already cancelled';
  if ((res.flights as PyObject[]).some((f) => used(db, f))) return 'used segment';
  if (name === 'cancel_reservation') {
    const reason = task.scripted?.requests?.find((r) => r.args?.reservation_id === kw.reservation_id)?.args?.reason;
    const ok =
      (res.created_at as string) > '2024-05-14T15:00:00' ||
      res.cabin === 'business' ||
      (res.flights as PyObject[]).some((f) => statusOn(db, f.flight_number as string, f.date as string) === 'cancelled') ||
      (res.insurance === 'yes' && (reason === 'health' || reason === 'weather'));
    return ok ? undefined : 'cancellation not allowed';
  }
  if (name === 'update_reservation_flights') {
    const same = JSON.stringify((res.flights as PyObject[]).map((f) => [f.flight_number, f.date])) === JSON.stringify((kw.flights as PyObject[]).map((f) => [f.flight_number, f.date]));
    if (!same && res.cabin === 'basic_economy') return 'basic economy flights changed';
    return pmOk(kw.payment_id) ? undefined : 'bad payment for a change';
  }
  if (name === 'update_reservation_baggages') {
    if ((kw.total_baggages as number) < (res.total_baggages as number)) return 'bags removed';
    const pax = (res.passengers as PyObject[]).length;
    const free = (FREE[user.membership as string] as Record<string, number>)[res.cabin as string]! * pax;
    if (kw.nonfree_baggages !== Math.max(res.nonfree_baggages as number, (kw.total_baggages as number) - free)) return 'wrong non-free bags';
    return pmOk(kw.payment_id) ? undefined : 'bad payment for a change';
  }
  if (name === 'update_reservation_passengers') return (kw.passengers as PyObject[]).length === (res.passengers as PyObject[]).length ? undefined : 'passenger count changed';
  return `unexpected write ${name}`;
}

describe('airline task generator', () => {
  it('gives identical tasks for the same seed', () => {
    const again = generateAirlineTasks({ base: generateAirlineDb(), registry, count: 50 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(tasks));
    // Golden hash of the built-in suite: update deliberately when the generator (or a tool it runs) changes.
    expect(createHash('sha256').update(JSON.stringify(tasks)).digest('hex')).toBe('02f63b29cc481dbf5c7ae795c605ea0caba40e5d27c63764aa67aa5ca799abca');
    const other = generateAirlineTasks({ base, registry, seed: 99, count: 10 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(tasks.slice(0, 10)));
  });

  it('covers every category with well-formed builtin tasks', () => {
    expect(tasks).toHaveLength(50);
    expect(new Set(tasks.map((t) => t.meta?.category))).toEqual(new Set(AIRLINE_CATEGORIES.map(([c]) => c)));
    expect(new Set(tasks.map((t) => t.id)).size).toBe(50);
    for (const t of tasks) {
      expect(t.format).toBe('builtin');
      expect(t.actions[0]).toEqual({ name: 'get_user_details', kwargs: { user_id: t.userId } });
      expect(t.scripted?.identity?.user_id).toBe(t.userId);
      expect(t.scripted?.requests?.length).toBeGreaterThan(0);
      expect(t.scenario?.reasonForCall.length).toBeGreaterThan(10);
      expect(t.instruction).toContain(t.userId);
      const transfer = t.actions.findIndex((a) => a.name === 'transfer_to_human_agents');
      if (transfer >= 0) expect(transfer).toBe(t.actions.length - 1);
    }
    const outcomes = new Set(tasks.flatMap((t) => (t.meta?.outcomes as Array<{ outcome: string }>).map((o) => o.outcome)));
    expect([...outcomes].sort()).toEqual(['answered', 'performed', 'refused', 'transfer', 'unavailable']);
    expect(tasks.some((t) => (t.scripted?.requests?.length ?? 0) >= 2)).toBe(true);
    expect(tasks.some((t) => t.outputs.length > 0)).toBe(true);
  });

  it('scores every gold trajectory 1 with no failing gold action', () => {
    for (const t of tasks) {
      expect(replayGold(t, base, registry).errors, t.id).toEqual([]);
      const traj = playGoldTrajectory(t, base, registry);
      const r = scoreV1({ task: t, state: traj.env, termination: traj.termination }, { base, registry });
      expect(r.reward, `${t.id}: ${r.note ?? ''}`).toBe(1);
    }
  });

  it('never emits a write the policy forbids (independent check before every gold write)', () => {
    let writes = 0;
    for (const t of tasks) {
      const env = new Environment({ registry, base, now: () => 0 });
      for (const a of t.actions) {
        if (WRITES.has(a.name)) {
          writes++;
          expect(violation(env.db, t, a.name, a.kwargs), `${t.id} ${a.name}`).toBeUndefined();
        }
        if (a.name !== 'transfer_to_human_agents') env.step({ name: a.name, kwargs: clonePy(a.kwargs) });
      }
    }
    expect(writes).toBeGreaterThanOrEqual(25);
  });

  it('makes no write in tasks whose every request is refused, unavailable, answered or transferred', () => {
    for (const t of tasks) {
      const outcomes = (t.meta?.outcomes as Array<{ outcome: string }>).map((o) => o.outcome);
      const writes = t.actions.filter((a) => WRITES.has(a.name)).length;
      if (!outcomes.includes('performed')) expect(writes, t.id).toBe(0);
      else expect(writes, t.id).toBeGreaterThan(0);
      if (outcomes.includes('transfer')) expect(t.actions.at(-1)?.name).toBe('transfer_to_human_agents');
    }
  });
});

describe('airline policy oracle refuses what the policy forbids', () => {
  const db = base.fork();
  const reservations = [...db.table('reservations').values()];
  const active = reservations.filter((r) => r.status !== 'cancelled' && !(r.flights as PyObject[]).some((f) => used(db, f)));
  const cardOf = (userId: string): string =>
    Object.values((db.table('users').get(userId) as PyObject).payment_methods as PyObject).map((p) => p as PyObject).find((p) => p.source === 'credit_card')?.id as string;
  const refs = (r: PyObject): FlightRef[] => (r.flights as PyObject[]).map((f) => ({ flight_number: f.flight_number as string, date: f.date as string }));

  it('cancellation: only within 24 h, airline-cancelled flight, business, or insured health/weather', () => {
    let refused = 0;
    for (const r of reservations) {
      for (const reason of ['change of plans', 'health'] as const) {
        const v = checkCancel(db, r.user_id as string, r.reservation_id as string, reason);
        const allowed =
          r.status !== 'cancelled' &&
          !(r.flights as PyObject[]).some((f) => used(db, f)) &&
          ((r.created_at as string) > '2024-05-14T15:00:00' ||
            r.cabin === 'business' ||
            (r.flights as PyObject[]).some((f) => statusOn(db, f.flight_number as string, f.date as string) === 'cancelled') ||
            (r.insurance === 'yes' && reason === 'health'));
        expect(v.ok, `${String(r.reservation_id)} ${reason}`).toBe(allowed);
        if (!v.ok) refused++;
      }
      expect(checkCancel(db, 'someone_else_0000', r.reservation_id as string, 'health').ok).toBe(false);
    }
    expect(refused).toBeGreaterThan(10);
  });

  it('basic economy flights are never changed; cabins and insurance follow the rules', () => {
    for (const r of active) {
      const uid = r.user_id as string;
      const v = checkChangeFlights(db, uid, r.reservation_id as string, refs(r), cardOf(uid) ?? 'none');
      if (r.cabin === 'basic_economy') expect(v).toEqual({ ok: false, rule: 'basic_economy_change' });
      expect(checkInsuranceChange(db, uid, r.reservation_id as string)).toEqual({ ok: false, rule: 'insurance_after_booking' });
      expect(checkChangeCabin(db, uid, r.reservation_id as string, r.cabin as 'economy', cardOf(uid) ?? 'none').ok).toBe(false);
      const cert = Object.values((db.table('users').get(uid) as PyObject).payment_methods as PyObject).find((p) => (p as PyObject).source === 'certificate') as PyObject | undefined;
      if (cert !== undefined && r.cabin !== 'basic_economy') expect(checkChangeFlights(db, uid, r.reservation_id as string, refs(r), cert.id as string)).toEqual({ ok: false, rule: 'certificate_for_change' });
    }
  });

  it('bags are never removed; passenger count never changes; used trips are not changed', () => {
    for (const r of reservations) {
      const uid = r.user_id as string;
      const rid = r.reservation_id as string;
      const isActive = active.includes(r);
      if ((r.total_baggages as number) > 0) expect(checkBags(db, uid, rid, (r.total_baggages as number) - 1, cardOf(uid) ?? 'x').ok).toBe(false);
      const pax = (r.passengers as PyObject[]).length;
      expect(checkPassengers(db, uid, rid, pax + 1).ok).toBe(false);
      expect(checkPassengers(db, uid, rid, pax).ok).toBe(isActive);
      if ((r.flights as PyObject[]).some((f) => used(db, f)) && r.status !== 'cancelled') expect(checkPassengers(db, uid, rid, pax)).toEqual({ ok: false, rule: 'segment_used' });
    }
  });

  it('certificates only for delayed/cancelled flights of eligible members, 100/50 per passenger', () => {
    let granted = 0;
    let denied = 0;
    for (const r of reservations) {
      const uid = r.user_id as string;
      const u = db.table('users').get(uid) as PyObject;
      for (const f of refs(r)) {
        const st = statusOn(db, f.flight_number, f.date);
        const v = checkCompensation(db, uid, r.reservation_id as string, f);
        const eligible = u.membership !== 'regular' || r.insurance === 'yes' || r.cabin === 'business';
        const should = r.status !== 'cancelled' && (st === 'delayed' || st === 'cancelled') && eligible;
        expect(v.ok).toBe(should);
        if (v.ok) {
          granted++;
          expect(v.amount).toBe((st === 'cancelled' ? 100 : 50) * (r.passengers as PyObject[]).length);
        } else denied++;
      }
    }
    expect(granted).toBeGreaterThan(0);
    expect(denied).toBeGreaterThan(0);
  });

  it('bookings: at most 5 passengers, payment limits and exact totals', () => {
    const [fn, f] = [...db.table('flights').entries()].find(([, x]) => {
      const d = (x.dates as PyObject)['2024-05-20'] as PyObject;
      return d.status === 'available' && ((d.available_seats as PyObject).economy as number) >= 1;
    }) as [string, PyObject];
    const rec = (f.dates as PyObject)['2024-05-20'] as PyObject;
    const uid = [...db.table('users').ids()].find((id) => cardOf(id) !== undefined) as string;
    const price = (rec.prices as PyObject).economy as number;
    const b = { cabin: 'economy' as const, flights: [{ flight_number: fn, date: '2024-05-20' }], passengers: 1, insurance: 'no' as const, totalBaggages: 0 };
    expect(checkBooking(db, uid, b, [{ payment_id: cardOf(uid), amount: price }]).ok).toBe(true);
    expect(checkBooking(db, uid, b, [{ payment_id: cardOf(uid), amount: price + 1 }])).toEqual({ ok: false, rule: 'payment_total' });
    expect(checkBooking(db, uid, b, [{ payment_id: cardOf(uid), amount: price - 1 }, { payment_id: cardOf(uid), amount: 1 }])).toEqual({ ok: false, rule: 'payment_limits' });
    expect(checkBooking(db, uid, { ...b, insurance: 'yes' }, [{ payment_id: cardOf(uid), amount: price }])).toEqual({ ok: false, rule: 'payment_total' });
    expect(checkBooking(db, uid, { ...b, passengers: 6 }, [])).toEqual({ ok: false, rule: 'too_many_passengers' });
  });
});
