/**
 * Byte-for-byte conformance with the τ-bench v1 Python reference (`../shared/conformance`):
 * every gold action of airline test, every read-only probe, every airline error probe.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePyJson, pyDumps } from '../../src/core/py/py-json.js';
import { isPyObject, type PyObject, type PyValue } from '../../src/core/py/py-value.js';
import type { LoadedData } from '../../src/env/domain.js';
import { Environment } from '../../src/env/environment.js';
import { sharedPath } from '../../test/shared-data.js';
import { loadAirlineDb } from './data.js';
import { airlineRegistry } from './registry.js';
import { nextDayInMay } from './tools/py-ops.js';

const INITIAL_HASH = 'f212eeda89b986239ddfb1a9b3d07d2b388112869864655ec9e5cc7ab07ab41c';

function readJsonl(file: string): PyObject[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const v = parsePyJson(l, `${file}:${i + 1}`);
      if (!isPyObject(v)) throw new Error(`${file}:${i + 1}: not an object`);
      return v;
    });
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

let data: LoadedData;
const registry = airlineRegistry('v1');
const newEnv = (): Environment => new Environment({ registry, base: data.base });

beforeAll(() => {
  data = loadAirlineDb(sharedPath('taubench', 'airline'));
});

describe('airline v1 database', () => {
  it('loads the reference tables with the reference hash', () => {
    expect(data.format).toBe('tau-v1');
    expect(data.variant).toBe('v1');
    expect([...data.base.tables.keys()]).toEqual(['flights', 'reservations', 'users']);
    expect(data.base.tables.get('flights')?.size).toBe(300);
    expect(data.base.tables.get('reservations')?.size).toBe(2000);
    expect(data.base.tables.get('users')?.size).toBe(500);
    expect(newEnv().db.jcsSha256()).toBe(INITIAL_HASH);
  });
});

describe('gold actions of airline test (v1 reference outputs)', () => {
  const lines = readJsonl(sharedPath('conformance', 'gold_airline_test.jsonl'));
  it('covers all 50 tasks', () => {
    expect(lines.length).toBe(50);
  });
  it.each(lines.map((l) => [l.task_index as number, l] as const))('task %i: every output and the final hash match', (_i, line) => {
    const env = newEnv();
    const actions = line.actions as PyObject[];
    actions.forEach((a, step) => {
      const r = env.step({ name: a.name as string, kwargs: a.kwargs as PyObject });
      expect({ step, name: a.name, output: r.observation }).toEqual({ step, name: a.name, output: a.output });
    });
    expect(env.db.jcsSha256()).toBe(line.db_jcs_sha256);
  });
});

/** Probes whose reference output is a Python exception text (TypeError from `invoke()`). */
function isPythonExceptionText(output: string): boolean {
  return /^Error: \w+\.invoke\(\) /.test(output);
}

describe('read-only tool probes (v1 reference outputs)', () => {
  it('every probe answers exactly as the reference, on one unchanged database', () => {
    const probes = readJsonl(sharedPath('conformance', 'tool_probes_airline.jsonl'));
    expect(probes.length).toBeGreaterThan(9000);
    const env = newEnv();
    const failures: string[] = [];
    let exceptionProbes = 0;
    for (const p of probes) {
      const out = env.step({ name: p.name as string, kwargs: p.kwargs as PyObject }).observation;
      let ok: boolean;
      if (typeof p.output === 'string' && isPythonExceptionText(p.output)) {
        exceptionProbes++;
        // Only the Error prefix and the argument's name are required, not Python's wording.
        const arg = /'(\w+)'$/.exec(p.output)?.[1] ?? '';
        ok = out.startsWith('Error: ') && out.includes(arg);
      } else if (typeof p.output === 'string') ok = out === p.output;
      else ok = sha256(out) === p.output_sha256 && out.length === p.output_len;
      if (!ok && failures.length < 5) failures.push(`${p.name as string} ${JSON.stringify(p.kwargs)} → ${out.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(exceptionProbes).toBe(2);
    expect(env.db.jcsSha256()).toBe(INITIAL_HASH);
  });
});

describe('error probes (airline)', () => {
  const probes = readJsonl(sharedPath('conformance', 'error_probes.jsonl')).filter((p) => p.env === 'airline');
  it('has the airline probes', () => {
    expect(probes.length).toBeGreaterThanOrEqual(10);
  });
  it.each(probes.map((p, i) => [i, p.name as string, p] as const))('probe %i (%s)', (_i, name, probe) => {
    const env = newEnv();
    for (const expected of probe.results as PyObject[]) {
      const r = env.step({ name, kwargs: probe.kwargs as PyObject });
      if (expected.python_exception_text === false) expect(r.observation).toBe(expected.output);
      else {
        // A Python exception (or a crash of the reference): any `Error: ...` observation.
        expect(r.observation).toMatch(/^Error: ./);
        expect(r.error).toBe(true);
      }
    }
    expect(env.db.jcsSha256()).toBe(probe.db_jcs_sha256_after);
  });
});

describe('reference quirks kept on purpose', () => {
  it('v1 booking takes no seats and a fourth booking overwrites HATHAV', () => {
    const env = newEnv();
    const book = (): string =>
      env.step({
        name: 'book_reservation',
        kwargs: parsePyJson(
          '{"user_id": "mia_li_3668", "origin": "JFK", "destination": "SEA", "flight_type": "one_way", "cabin": "economy", ' +
            '"flights": [{"flight_number": "HAT136", "date": "2024-05-20"}], "passengers": [{"first_name": "Mia", "last_name": "Li", "dob": "1990-04-05"}], ' +
            '"payment_methods": [{"payment_id": "credit_card_4421486", "amount": 152}], "total_baggages": 0, "nonfree_baggages": 0, "insurance": "no"}',
        ) as PyObject,
      }).observation;
    const seatsBefore = JSON.stringify((env.db.table('flights').get('HAT136')?.dates as PyObject)['2024-05-20']);
    const ids = [book(), book(), book(), book()].map((o) => (JSON.parse(o) as { reservation_id: string }).reservation_id);
    expect(ids).toEqual(['HATHAT', 'HATHAU', 'HATHAV', 'HATHAV']);
    expect(JSON.stringify((env.db.table('flights').get('HAT136')?.dates as PyObject)['2024-05-20'])).toBe(seatsBefore);
    const user = env.db.table('users').get('mia_li_3668') as PyObject;
    expect((user.reservations as PyValue[]).slice(-4)).toEqual(['HATHAT', 'HATHAU', 'HATHAV', 'HATHAV']);
  });

  it('v1 flight change prices the new cabin but keeps the old one', () => {
    const env = newEnv();
    const before = env.step({ name: 'get_reservation_details', kwargs: { reservation_id: '4WQ150' } }).observation;
    const res = JSON.parse(before) as { cabin: string; flights: Array<{ flight_number: string; date: string }> };
    const out = env.step({
      name: 'update_reservation_flights',
      kwargs: parsePyJson(
        `{"reservation_id": "4WQ150", "cabin": "economy", "flights": ${JSON.stringify(res.flights.map((f) => ({ flight_number: f.flight_number, date: f.date })))}, "payment_id": "gift_card_3576581"}`,
      ) as PyObject,
    }).observation;
    expect(out).not.toMatch(/^Error/);
    const after = JSON.parse(out) as { cabin: string; payment_history: Array<{ amount: number }> };
    expect(after.cabin).toBe('business');
    expect(after.payment_history.at(-1)?.amount).toBeLessThan(0);
  });

  it('v1 cancellation records negative refunds and twice cancelled doubles them', () => {
    const env = newEnv();
    const once = JSON.parse(env.step({ name: 'cancel_reservation', kwargs: { reservation_id: '4WQ150' } }).observation) as {
      payment_history: Array<{ amount: number }>;
      status: string;
    };
    expect(once.payment_history.map((p) => p.amount)).toEqual([4986, -4986]);
    expect(once.status).toBe('cancelled');
    const twice = JSON.parse(env.step({ name: 'cancel_reservation', kwargs: { reservation_id: '4WQ150' } }).observation) as {
      payment_history: Array<{ amount: number }>;
    };
    expect(twice.payment_history.map((p) => p.amount)).toEqual([4986, -4986, -4986, 4986]);
  });

  it('unknown reservation reads as "user not found"; unknown tools as "Unknown action"', () => {
    const env = newEnv();
    expect(env.step({ name: 'get_reservation_details', kwargs: { reservation_id: 'NOPE00' } }).observation).toBe('Error: user not found');
    expect(env.step({ name: 'get_flight_status', kwargs: { flight_number: 'HAT001', date: '2024-05-01' } }).observation).toBe(
      'Unknown action get_flight_status',
    );
  });

  it('one-stop search: unpadded next-day date, second leg shows the first date, int() errors like Python', () => {
    const env = newEnv();
    type Leg = { flight_number: string; date: string; scheduled_arrival_time_est: string };
    const search = (date: string): Array<[Leg, Leg]> =>
      (parsePyJson(env.step({ name: 'search_onestop_flight', kwargs: { origin: 'LGA', destination: 'SFO', date } }).observation) as unknown) as Array<[Leg, Leg]>;
    const overnight = search('2024-05-20').filter(([a]) => a.scheduled_arrival_time_est.includes('+1'));
    expect(overnight.length).toBeGreaterThan(0);
    const flights = env.db.table('flights');
    for (const [, b] of overnight) {
      expect(b.date).toBe('2024-05-21');
      const dates = flights.get(b.flight_number)?.dates as PyObject;
      expect(pyDumps(b as unknown as PyObject)).toContain(pyDumps(dates['2024-05-20'] as PyObject).slice(1, -1));
    }
    expect(nextDayInMay('2024-05-01')).toBe('2024-05-2');
    expect(nextDayInMay('2024-05-30')).toBe('2024-05-31');
    expect(env.step({ name: 'search_onestop_flight', kwargs: { origin: 'LGA', destination: 'SFO', date: "it's" } }).observation).toBe(
      `Error: invalid literal for int() with base 10: "'s"`,
    );
  });
});
