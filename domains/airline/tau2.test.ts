/**
 * The τ² airline tool variant, run (as the project does for τ² airline tasks) on the v1 tables
 * converted to τ²'s model form: what changed from v1, and the same robustness properties.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePyJson, pyDumps } from '../../src/core/py/py-json.js';
import type { PyObject } from '../../src/core/py/py-value.js';
import type { LoadedData } from '../../src/env/domain.js';
import { Environment } from '../../src/env/environment.js';
import { sharedPath } from '../../test/shared-data.js';
import { loadAirlineDb } from './data.js';
import { mixedCallArbitrary, runAndCheck, type Call } from './property-support.js';
import { airlineRegistry } from './registry.js';

let data: LoadedData;
const registry = airlineRegistry('tau2');
const newEnv = (): Environment => new Environment({ registry, base: data.base });
const kw = (json: string): PyObject => parsePyJson(json) as PyObject;

beforeAll(() => {
  data = loadAirlineDb(sharedPath('taubench', 'airline'), { variant: 'tau2' });
});

function bookKwargs(pax: number, payments: string, flights = '[{"flight_number": "HAT136", "date": "2024-05-20"}]'): PyObject {
  const passengers = Array.from({ length: pax }, (_, i) => ({ first_name: `P${i}`, last_name: 'Li', dob: '1990-04-05' }));
  return kw(
    `{"user_id": "mia_li_3668", "origin": "JFK", "destination": "ATL", "flight_type": "one_way", "cabin": "economy", "flights": ${flights}, ` +
      `"passengers": ${JSON.stringify(passengers)}, "payment_methods": ${payments}, "total_baggages": 0, "nonfree_baggages": 0, "insurance": "no"}`,
  );
}

function seats(env: Environment, flight: string, date: string): PyObject {
  const dates = env.db.table('flights').get(flight)?.dates as PyObject;
  return (dates[date] as PyObject).available_seats as PyObject;
}

describe('τ² data form', () => {
  it('loads v1 files as τ² records: user_id first, float balances, status null', () => {
    expect(data.variant).toBe('tau2');
    expect(data.format).toBe('tau-v1');
    const env = newEnv();
    const user = env.step({ name: 'get_user_details', kwargs: { user_id: 'mia_li_3668' } }).observation;
    expect(user.startsWith('{"user_id": "mia_li_3668", "name": {"first_name": "Mia", "last_name": "Li"}, "address": {')).toBe(true);
    expect(user).toContain('"certificate_7504069": {"source": "certificate", "id": "certificate_7504069", "amount": 250.0}');
    expect(user).toContain('"credit_card_4421486": {"source": "credit_card", "id": "credit_card_4421486", "brand": "visa", "last_four": "7447"}');
    const res = env.step({ name: 'get_reservation_details', kwargs: { reservation_id: '4WQ150' } }).observation;
    expect(res).toContain('"flights": [{"flight_number": "HAT170", "origin": "DFW", "destination": "LAX", "date": "2024-05-22", "price": 883}');
    expect(res.endsWith('"insurance": "no", "status": null}')).toBe(true);
  });

  it('offers τ²’s tools: get_flight_status added, think dropped', () => {
    expect(registry.names()).toEqual([
      'book_reservation',
      'calculate',
      'cancel_reservation',
      'get_reservation_details',
      'get_user_details',
      'list_all_airports',
      'search_direct_flight',
      'search_onestop_flight',
      'send_certificate',
      'transfer_to_human_agents',
      'update_reservation_baggages',
      'update_reservation_flights',
      'update_reservation_passengers',
      'get_flight_status',
    ]);
    expect(airlineRegistry('v1').names()).toContain('think');
    expect(newEnv().step({ name: 'think', kwargs: { thought: 'x' } }).observation).toBe("Error: Tool 'think' not found.");
    // τ²: transferring does not end the episode (v1's does).
    expect(newEnv().step({ name: 'transfer_to_human_agents', kwargs: { summary: 's' } })).toMatchObject({ observation: 'Transfer successful', done: false });
    expect(new Environment({ registry: airlineRegistry('v1'), base: data.base }).step({ name: 'transfer_to_human_agents', kwargs: { summary: 's' } }).done).toBe(true);
  });
});

describe('τ² booking', () => {
  it('takes seats on every booked flight and stores the τ² record', () => {
    const env = newEnv();
    const before = seats(env, 'HAT136', '2024-05-20');
    const out = env.step({ name: 'book_reservation', kwargs: bookKwargs(2, '[{"payment_id": "credit_card_4421486", "amount": 304.0}]') }).observation;
    expect(out).toBe(
      '{"reservation_id": "HATHAT", "user_id": "mia_li_3668", "origin": "JFK", "destination": "ATL", "flight_type": "one_way", "cabin": "economy", ' +
        '"flights": [{"flight_number": "HAT136", "origin": "JFK", "destination": "ATL", "date": "2024-05-20", "price": 152}], ' +
        '"passengers": [{"first_name": "P0", "last_name": "Li", "dob": "1990-04-05"}, {"first_name": "P1", "last_name": "Li", "dob": "1990-04-05"}], ' +
        '"payment_history": [{"payment_id": "credit_card_4421486", "amount": 304}], "created_at": "2024-05-15T15:00:00", ' +
        '"total_baggages": 0, "nonfree_baggages": 0, "insurance": "no", "status": null}',
    );
    const after = seats(env, 'HAT136', '2024-05-20');
    expect(after.economy).toBe((before.economy as number) - 2);
    expect(after.business).toBe(before.business);
    expect(env.step({ name: 'get_reservation_details', kwargs: { reservation_id: 'HATHAT' } }).observation).toBe(out);
  });

  it('refuses a fourth reservation with "Too many reservations" and changes nothing', () => {
    const env = newEnv();
    const book = (): string =>
      env.step({ name: 'book_reservation', kwargs: bookKwargs(1, '[{"payment_id": "credit_card_4421486", "amount": 152}]') }).observation;
    expect([book(), book(), book()].map((o) => (JSON.parse(o) as { reservation_id: string }).reservation_id)).toEqual(['HATHAT', 'HATHAU', 'HATHAV']);
    const hash = env.db.jcsSha256();
    expect(book()).toBe('Error: Too many reservations');
    expect(env.db.jcsSha256()).toBe(hash);
  });

  it('words its errors the τ² way', () => {
    const env = newEnv();
    const hash = env.db.jcsSha256();
    const step = (name: string, kwargs: PyObject): string => env.step({ name, kwargs }).observation;
    const other = bookKwargs(1, '[{"payment_id": "credit_card_4421486", "amount": 152}]');
    expect(step('book_reservation', { ...other, user_id: 'nobody' })).toBe('Error: User nobody not found');
    expect(step('book_reservation', bookKwargs(1, '[]', '[{"flight_number": "HAT999", "date": "2024-05-20"}]'))).toBe('Error: Flight HAT999 not found');
    expect(step('book_reservation', bookKwargs(1, '[]', '[{"flight_number": "HAT136", "date": "2024-06-20"}]'))).toBe(
      'Error: Flight HAT136 not found on date 2024-06-20',
    );
    expect(step('book_reservation', bookKwargs(1, '[]', '[{"flight_number": "HAT136", "date": "2024-05-01"}]'))).toBe(
      'Error: Flight HAT136 not available on date 2024-05-01',
    );
    expect(step('book_reservation', bookKwargs(1, '[{"payment_id": "gift_card_0", "amount": 152}]'))).toBe('Error: Payment method gift_card_0 not found');
    expect(step('book_reservation', bookKwargs(1, '[{"payment_id": "certificate_4856383", "amount": 152}]'))).toBe(
      'Error: Not enough balance in payment method certificate_4856383',
    );
    expect(step('book_reservation', bookKwargs(1, '[{"payment_id": "credit_card_4421486", "amount": 150}]'))).toBe(
      'Error: Payment amount does not add up, total price is 152, but paid 150',
    );
    expect(step('book_reservation', bookKwargs(1, '[{"payment_id": "credit_card_4421486", "amount": 151.5}]'))).toMatch(
      /^Error: invalid arguments for book_reservation: payment_methods\.0\.amount/,
    );
    expect(step('get_reservation_details', { reservation_id: 'NOPE00' })).toBe('Error: Reservation NOPE00 not found');
    expect(step('get_user_details', { user_id: 'nobody' })).toBe('Error: User nobody not found');
    expect(step('cancel_reservation', { reservation_id: 'NOPE00' })).toBe('Error: Reservation NOPE00 not found');
    expect(step('update_reservation_passengers', kw('{"reservation_id": "4WQ150", "passengers": []}'))).toBe('Error: Number of passengers does not match');
    expect(step('update_reservation_baggages', kw('{"reservation_id": "4WQ150", "total_baggages": 6, "nonfree_baggages": 1, "payment_id": "nope"}'))).toBe(
      'Error: Payment method not found',
    );
    expect(step('get_flight_status', { flight_number: 'HAT999', date: '2024-05-01' })).toBe('Error: Flight HAT999 not found');
    expect(env.db.jcsSha256()).toBe(hash);
  });
});

describe('τ² updates', () => {
  it('a flight change writes the new cabin back and charges the difference', () => {
    const env = newEnv();
    const res = JSON.parse(env.step({ name: 'get_reservation_details', kwargs: { reservation_id: '4WQ150' } }).observation) as {
      flights: Array<{ flight_number: string; date: string; price: number }>;
    };
    const flights = res.flights.map((f) => ({ flight_number: f.flight_number, date: f.date }));
    const out = JSON.parse(
      env.step({
        name: 'update_reservation_flights',
        kwargs: kw(`{"reservation_id": "4WQ150", "cabin": "economy", "flights": ${JSON.stringify(flights)}, "payment_id": "gift_card_3576581"}`),
      }).observation,
    ) as { cabin: string; payment_history: Array<{ amount: number }>; flights: Array<{ price: number }> };
    expect(out.cabin).toBe('economy');
    const oldTotal = res.flights.reduce((a, f) => a + f.price, 0) * 3;
    const newTotal = out.flights.reduce((a, f) => a + f.price, 0) * 3;
    expect(out.payment_history.at(-1)?.amount).toBe(newTotal - oldTotal);
    const user = env.step({ name: 'get_user_details', kwargs: { user_id: 'chen_jackson_3290' } }).observation;
    expect(user).toMatch(/"gift_card_3576581": \{"source": "gift_card", "id": "gift_card_3576581", "amount": \d+\.\d+\}/);
  });

  it('certificates are stored as floats and a fourth answers "Too many certificates"', () => {
    const env = newEnv();
    const send = (): string => env.step({ name: 'send_certificate', kwargs: { user_id: 'mia_li_3668', amount: 100 } }).observation;
    expect(send()).toBe('Certificate certificate_3221322 added to user mia_li_3668 with amount 100.');
    send();
    send();
    expect(send()).toBe('Error: Too many certificates');
    expect(env.step({ name: 'get_user_details', kwargs: { user_id: 'mia_li_3668' } }).observation).toContain(
      '"certificate_3221324": {"source": "certificate", "id": "certificate_3221324", "amount": 100.0}',
    );
  });
});

describe('τ² reads', () => {
  it('get_flight_status answers the status word', () => {
    const env = newEnv();
    expect(env.step({ name: 'get_flight_status', kwargs: { flight_number: 'HAT001', date: '2024-05-01' } }).observation).toBe('landed');
    expect(env.step({ name: 'get_flight_status', kwargs: { flight_number: 'HAT001', date: '2024-05-03' } }).observation).toBe('cancelled');
  });

  it('list_all_airports answers a list of {iata, city}', () => {
    const out = newEnv().step({ name: 'list_all_airports', kwargs: {} }).observation;
    expect(out.startsWith('[{"iata": "SFO", "city": "San Francisco"}, {"iata": "JFK", "city": "New York"}')).toBe(true);
    expect((JSON.parse(out) as unknown[]).length).toBe(20);
  });

  it('direct search answers DirectFlight objects with date null', () => {
    const out = newEnv().step({ name: 'search_direct_flight', kwargs: { origin: 'JFK', destination: 'ATL', date: '2024-05-20' } }).observation;
    const list = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(list.length).toBeGreaterThan(0);
    for (const f of list) {
      expect(Object.keys(f)).toEqual([
        'flight_number',
        'origin',
        'destination',
        'status',
        'scheduled_departure_time_est',
        'scheduled_arrival_time_est',
        'date',
        'available_seats',
        'prices',
      ]);
      expect(f.date).toBeNull();
    }
  });

  it('one-stop search: second leg leaves after the first lands and shows its own date record', () => {
    const env = newEnv();
    const flights = env.db.table('flights');
    let overnight = 0;
    for (const [origin, destination] of [['LGA', 'SFO'], ['MIA', 'DFW'], ['JFK', 'SEA']] as const) {
      const out = JSON.parse(env.step({ name: 'search_onestop_flight', kwargs: { origin, destination, date: '2024-05-20' } }).observation) as Array<
        Array<{ flight_number: string; date: string; scheduled_departure_time_est: string; scheduled_arrival_time_est: string; prices: unknown }>
      >;
      for (const [a, b] of out as Array<[(typeof out)[0][0], (typeof out)[0][0]]>) {
        expect(a.date).toBe('2024-05-20');
        expect(b.scheduled_departure_time_est >= a.scheduled_arrival_time_est).toBe(true);
        const own = (flights.get(b.flight_number)?.dates as PyObject)[b.date] as PyObject;
        expect(JSON.stringify(b.prices)).toBe(pyDumps(own.prices as PyObject).replace(/, /g, ',').replace(/": /g, '":'));
        if (b.date === '2024-05-21') overnight++;
      }
    }
    expect(overnight).toBeGreaterThan(0);
  });
});

describe('τ² tools under random calls', () => {
  it('never throw and keep the database valid', () => {
    const calls = mixedCallArbitrary(data.base);
    fc.assert(
      fc.property(fc.array(calls, { minLength: 1, maxLength: 10 }), (seq: Call[]) => {
        expect(runAndCheck(newEnv(), seq)).toBeUndefined();
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
