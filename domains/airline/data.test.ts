/** The airline loader on small hand-made directories: layouts, variants, and error locations. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { pyDumps } from '../../src/core/py/py-json.js';
import type { PyObject } from '../../src/core/py/py-value.js';
import { loadAirlineDb } from './data.js';
import { thrownBy } from '../../test/thrown.js';

const flight = {
  flight_number: 'HAT001',
  origin: 'PHL',
  destination: 'LGA',
  scheduled_departure_time_est: '06:00:00',
  scheduled_arrival_time_est: '07:00:00',
  dates: {
    '2024-05-01': { status: 'landed', actual_departure_time_est: '2024-05-01T06:26:00', actual_arrival_time_est: '2024-05-01T06:58:00' },
    '2024-05-16': { status: 'available', available_seats: { basic_economy: 5, economy: 9, business: 1 }, prices: { basic_economy: 50, economy: 90, business: 300 } },
  },
};
const user = {
  name: { first_name: 'Ada', last_name: 'Byron' },
  address: { address1: '1 Road', address2: 'Apt 2', city: 'Austin', country: 'USA', state: 'TX', zip: '78750' },
  email: 'ada@example.com',
  dob: '1990-01-01',
  payment_methods: {
    gift_card_1: { source: 'gift_card', amount: 40, id: 'gift_card_1' },
    credit_card_2: { source: 'credit_card', brand: 'visa', last_four: '1234', id: 'credit_card_2' },
  },
  saved_passengers: [],
  membership: 'gold',
  reservations: ['ABC123'],
};
const reservation = {
  reservation_id: 'ABC123',
  user_id: 'ada_byron_1',
  origin: 'PHL',
  destination: 'LGA',
  flight_type: 'one_way',
  cabin: 'economy',
  flights: [{ origin: 'PHL', destination: 'LGA', flight_number: 'HAT001', date: '2024-05-16', price: 90 }],
  passengers: [{ first_name: 'Ada', last_name: 'Byron', dob: '1990-01-01' }],
  payment_history: [{ payment_id: 'gift_card_1', amount: 90 }],
  created_at: '2024-05-02T03:10:19',
  total_baggages: 0,
  nonfree_baggages: 0,
  insurance: 'no',
};

const root = mkdtempSync(join(tmpdir(), 'airline-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function v1Dir(overrides: Partial<Record<'flights' | 'users' | 'reservations', unknown>> = {}): string {
  const dir = join(root, `v1-${n++}`);
  mkdirSync(dir);
  const tables = { flights: { HAT001: flight }, users: { ada_byron_1: user }, reservations: { ABC123: reservation }, ...overrides };
  for (const [t, v] of Object.entries(tables)) writeFileSync(join(dir, `${t}.json`), typeof v === 'string' ? v : JSON.stringify(v));
  return dir;
}

const loadError = (dir: string): DataError => thrownBy(DataError, () => loadAirlineDb(dir));

describe('loadAirlineDb', () => {
  it('reads the v1 layout in table order, keeping Python number types', () => {
    const loaded = loadAirlineDb(v1Dir());
    expect(loaded.format).toBe('tau-v1');
    expect(loaded.variant).toBe('v1');
    expect(loaded.files.map((f) => f.split('/').at(-1))).toEqual(['flights.json', 'reservations.json', 'users.json']);
    expect([...loaded.base.tables.keys()]).toEqual(['flights', 'reservations', 'users']);
    expect(pyDumps(loaded.base.tables.get('users')?.get('ada_byron_1') as PyObject)).toContain('"gift_card_1": {"source": "gift_card", "amount": 40, "id": "gift_card_1"}');
  });

  it('reads the τ² db.json layout, defaulting to the τ² variant and its model form', () => {
    const dir = join(root, 'tau2');
    mkdirSync(dir);
    writeFileSync(join(dir, 'db.json'), JSON.stringify({ flights: { HAT001: flight }, users: { ada_byron_1: { user_id: 'ada_byron_1', ...user } }, reservations: { ABC123: { ...reservation, status: null } } }));
    const loaded = loadAirlineDb(dir);
    expect(loaded.format).toBe('tau2');
    expect(loaded.variant).toBe('tau2');
    const u = pyDumps(loaded.base.tables.get('users')?.get('ada_byron_1') as PyObject);
    expect(u.startsWith('{"user_id": "ada_byron_1", "name": ')).toBe(true);
    expect(u).toContain('"gift_card_1": {"source": "gift_card", "id": "gift_card_1", "amount": 40.0}');
    const r = pyDumps(loaded.base.tables.get('reservations')?.get('ABC123') as PyObject);
    expect(r).toContain('"flights": [{"flight_number": "HAT001", "origin": "PHL", "destination": "LGA", "date": "2024-05-16", "price": 90}]');
    expect(r.endsWith('"status": null}')).toBe(true);
    // The v1 variant can be chosen explicitly for τ² files, and τ² for v1 files.
    expect(loadAirlineDb(dir, { variant: 'v1' }).variant).toBe('v1');
    const v1AsTau2 = loadAirlineDb(v1Dir(), { variant: 'tau2' });
    expect(v1AsTau2.variant).toBe('tau2');
    expect(pyDumps(v1AsTau2.base.tables.get('users')?.get('ada_byron_1') as PyObject)).toContain('"amount": 40.0');
  });

  it('names the file and JSON path of the first bad record', () => {
    const badStatus = { HAT001: { ...flight, dates: { '2024-05-01': { status: 'boarding' } } } };
    const e1 = loadError(v1Dir({ flights: badStatus }));
    expect(e1.message).toMatch(/flights\.json: \$\.HAT001\.dates\["2024-05-01"\]\.status/);
    const e2 = loadError(v1Dir({ reservations: { ABC123: { ...reservation, cabin: 'first' } } }));
    expect(e2.message).toMatch(/reservations\.json: \$\.ABC123\.cabin/);
    const e3 = loadError(v1Dir({ users: { ada_byron_1: { ...user, payment_methods: { g: { source: 'gift_card', id: 'g' } } } } }));
    expect(e3.message).toMatch(/users\.json: \$\.ada_byron_1\.payment_methods\.g\.amount/);
    const e4 = loadError(v1Dir({ users: '{"a": ' }));
    expect(e4.message).toMatch(/users\.json:1:7/);
    const dir = join(root, 'tau2-bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'db.json'), JSON.stringify({ flights: {}, users: {}, reservations: { X: { ...reservation, total_baggages: 1.5 } } }));
    expect(loadError(dir).message).toMatch(/db\.json: \$\.reservations\.X\.total_baggages/);
    writeFileSync(join(dir, 'db.json'), JSON.stringify({ flights: {}, users: {} }));
    expect(loadError(dir).message).toMatch(/db\.json: \$: missing table "reservations"/);
  });

  it('says which files are missing from a directory without a database', () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    writeFileSync(join(dir, 'flights.json'), '{}');
    const e = loadError(dir);
    expect(e.code).toBe('data_not_found');
    expect(e.message).toContain('reservations.json, users.json');
  });
});
