/**
 * fast-check generators of airline tool calls, shared by the v1 and τ² property tests: arguments
 * that are nearly valid (real ids, dates and payment methods mixed with wrong ones), and
 * arbitrary JSON in any argument. Used only by tests.
 */
import fc from 'fast-check';
import { jcsStringify } from '../../src/core/py/jcs.js';
import { PyFloat } from '../../src/core/py/py-float.js';
import { isPyObject, orderedKeys, pyObject, type PyObject, type PyValue } from '../../src/core/py/py-value.js';
import type { BaseDb, DbState } from '../../src/env/db-state.js';
import type { Environment } from '../../src/env/environment.js';
import { AIRLINE_RECORD_SCHEMAS, AIRLINE_TABLES } from './schema.js';

/** Ids and values drawn from the database, plus wrong and hostile ones. */
export interface Pools {
  users: string[];
  reservations: string[];
  flights: string[];
  dates: string[];
  paymentIds: string[];
  airports: string[];
}

const HOSTILE = ['', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'nobody', "o'brien", 'é'];

/** Pools of plausible values taken from a loaded airline database. */
export function poolsOf(base: BaseDb, size = 12): Pools {
  const take = (table: string): string[] => [...(base.tables.get(table)?.keys() ?? [])].slice(0, size);
  const users = take('users');
  const paymentIds: string[] = [];
  for (const id of users) {
    const u = base.tables.get('users')?.get(id);
    if (u !== undefined && isPyObject(u.payment_methods)) paymentIds.push(...orderedKeys(u.payment_methods));
  }
  const reservations = take('reservations');
  // Reservations of the sampled users too, so that their payment methods meet their bookings.
  for (const id of users) {
    const u = base.tables.get('users')?.get(id);
    if (u !== undefined && Array.isArray(u.reservations)) reservations.push(...(u.reservations as string[]).slice(0, 2));
  }
  return {
    users: [...users, ...HOSTILE],
    reservations: [...reservations, 'HATHAT', 'HATHAU', 'ZZZZZZ', ...HOSTILE],
    flights: [...take('flights'), 'HAT999', ...HOSTILE],
    dates: ['2024-05-01', '2024-05-09', '2024-05-15', '2024-05-20', '2024-05-30', '2024-05-31', '2024-5-1', 'tomorrow', '', '__proto__'],
    paymentIds: [...paymentIds, 'certificate_3221322', 'nope', ...HOSTILE],
    airports: ['JFK', 'SFO', 'LAX', 'ORD', 'SEA', 'ATL', 'LGA', 'LAS', 'MIA', 'DFW', 'PHX', 'XXX', ''],
  };
}

/** Any JSON value, floats as PyFloat (finite and not). */
export const anyPy: fc.Arbitrary<PyValue> = fc.letrec<{ v: PyValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double().map((d) => new PyFloat(d) as PyValue),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 3 }).map((d) => pyObject(Object.entries(d))),
  ),
})).v;

const maybe = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<T | PyValue> => fc.oneof({ weight: 9, arbitrary: good }, { weight: 1, arbitrary: anyPy });

/** An object whose keys are each present with high probability, sometimes with an extra key. */
function obj(fields: Record<string, fc.Arbitrary<PyValue>>): fc.Arbitrary<PyObject> {
  const entries = Object.entries(fields).map(([k, a]) =>
    fc.oneof({ weight: 12, arbitrary: a.map((v) => [[k, v]] as Array<[string, PyValue]>) }, { weight: 1, arbitrary: fc.constant([] as Array<[string, PyValue]>) }),
  );
  const extra = fc.oneof(
    { weight: 10, arbitrary: fc.constant([] as Array<[string, PyValue]>) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('extra', 'price', 'origin', '0'), anyPy).map((kv) => [kv]) },
  );
  return fc.tuple(fc.tuple(...entries), extra).map(([parts, more]) => pyObject([...parts.flat(), ...more]));
}

const amount = fc.oneof(
  fc.constantFrom<PyValue>(0, 5, 50, 100, 152, 250, 1000, -5),
  fc.integer({ min: -2000, max: 5000 }),
  fc.constantFrom(1.5, 0.1, 1e308, 100).map((d) => new PyFloat(d) as PyValue),
);
const count = fc.oneof(fc.integer({ min: -2, max: 6 }), fc.integer());

/** A tool call: name and keyword arguments. */
export interface Call {
  name: string;
  kwargs: PyObject;
}

/** Near-valid calls of every airline tool (both variants' names). */
export function callArbitrary(p: Pools): fc.Arbitrary<Call> {
  const s = (xs: string[]): fc.Arbitrary<PyValue> => maybe(fc.constantFrom(...xs));
  const flightInfo = obj({ flight_number: s(p.flights), date: s(p.dates) });
  const passenger = obj({ first_name: s(['Mia', 'Noah', '']), last_name: s(['Li', 'Brown']), dob: s(['1990-04-05', 'x']) });
  const payment = obj({ payment_id: s(p.paymentIds), amount: maybe(amount) });
  const arr = (a: fc.Arbitrary<PyValue>): fc.Arbitrary<PyValue> => maybe(fc.array(a, { maxLength: 4 }));
  const cabin = s(['basic_economy', 'economy', 'business', 'first']);
  const call = (name: string, fields: Record<string, fc.Arbitrary<PyValue>>): fc.Arbitrary<Call> => obj(fields).map((kwargs) => ({ name, kwargs }));
  return fc.oneof(
    call('book_reservation', {
      user_id: s(p.users),
      origin: s(p.airports),
      destination: s(p.airports),
      flight_type: s(['one_way', 'round_trip', 'multi']),
      cabin,
      flights: arr(flightInfo),
      passengers: arr(passenger),
      payment_methods: arr(payment),
      total_baggages: maybe(count),
      nonfree_baggages: maybe(count),
      insurance: s(['yes', 'no', 'maybe']),
    }),
    call('cancel_reservation', { reservation_id: s(p.reservations) }),
    call('get_reservation_details', { reservation_id: s(p.reservations) }),
    call('get_user_details', { user_id: s(p.users) }),
    call('list_all_airports', {}),
    call('search_direct_flight', { origin: s(p.airports), destination: s(p.airports), date: s(p.dates) }),
    call('search_onestop_flight', { origin: s(p.airports), destination: s(p.airports), date: s(p.dates) }),
    call('send_certificate', { user_id: s(p.users), amount: maybe(amount) }),
    call('update_reservation_baggages', {
      reservation_id: s(p.reservations),
      total_baggages: maybe(count),
      nonfree_baggages: maybe(count),
      payment_id: s(p.paymentIds),
    }),
    call('update_reservation_flights', { reservation_id: s(p.reservations), cabin, flights: arr(flightInfo), payment_id: s(p.paymentIds) }),
    call('update_reservation_passengers', { reservation_id: s(p.reservations), passengers: arr(passenger) }),
    call('get_flight_status', { flight_number: s(p.flights), date: s(p.dates) }),
    call('calculate', { expression: s(['2 + 2', '(1 + 2) * 3 / 7', '1/0', 'x']) }),
    call('think', { thought: s(['hmm']) }),
    call('transfer_to_human_agents', { summary: s(['help']) }),
    // Wholly arbitrary arguments for any tool.
    fc
      .tuple(
        fc.constantFrom('book_reservation', 'update_reservation_flights', 'update_reservation_baggages', 'send_certificate', 'search_onestop_flight'),
        fc.dictionary(fc.constantFrom('reservation_id', 'user_id', 'flights', 'amount', 'date', 'cabin', 'x'), anyPy, { maxKeys: 4 }),
      )
      .map(([name, kw]) => ({ name, kwargs: pyObject(Object.entries(kw)) })),
  );
}

/** A bookable flight leg of the base database with its prices and seats. */
interface Leg {
  flight_number: string;
  date: string;
  prices: Record<string, number>;
}

/** A sampled customer with their payment methods and reservations. */
interface Customer {
  id: string;
  creditCards: string[];
  giftCards: Array<[string, number]>;
  certificates: Array<[string, number]>;
  reservations: Array<{ id: string; pax: number; flights: Array<{ flight_number: string; date: string }> }>;
}

const CABIN_NAMES = ['basic_economy', 'economy', 'business'] as const;

function customersOf(base: BaseDb, size: number): Customer[] {
  const users = base.tables.get('users');
  const reservations = base.tables.get('reservations');
  const out: Customer[] = [];
  for (const [id, u] of [...(users?.entries() ?? [])].slice(0, size)) {
    const c: Customer = { id, creditCards: [], giftCards: [], certificates: [], reservations: [] };
    for (const m of Object.values(u.payment_methods as PyObject) as PyObject[]) {
      const amount = Number(m.amount ?? 0);
      if (m.source === 'credit_card') c.creditCards.push(m.id as string);
      else if (m.source === 'gift_card') c.giftCards.push([m.id as string, amount]);
      else c.certificates.push([m.id as string, amount]);
    }
    for (const rid of u.reservations as string[]) {
      const r = reservations?.get(rid);
      if (r === undefined) continue;
      const flights = (r.flights as PyObject[]).map((f) => ({ flight_number: f.flight_number as string, date: f.date as string }));
      c.reservations.push({ id: rid, pax: (r.passengers as unknown[]).length, flights });
    }
    out.push(c);
  }
  return out;
}

function legsOf(base: BaseDb, flights: number): Leg[] {
  const legs: Leg[] = [];
  for (const f of [...(base.tables.get('flights')?.values() ?? [])].slice(0, flights)) {
    for (const [date, rec] of Object.entries(f.dates as PyObject) as Array<[string, PyObject]>) {
      if (rec.status !== 'available') continue;
      const prices = rec.prices as PyObject;
      legs.push({ flight_number: f.flight_number as string, date, prices: Object.fromEntries(CABIN_NAMES.map((c) => [c, Number(prices[c])])) });
    }
  }
  return legs;
}

const passengersArb = (n: number): fc.Arbitrary<PyValue> =>
  fc.array(fc.constantFrom('Ava', 'Raj', 'Mia'), { minLength: n, maxLength: n }).map((names) =>
    names.map((first, i) => pyObject([['first_name', first], ['last_name', `L${i}`], ['dob', '1980-02-03']])),
  );

/**
 * Well-formed, mostly consistent write calls built from the base database (a customer's own
 * reservations and payment methods, bookable legs, totals that add up), so that the write paths
 * succeed often, not only their error branches.
 */
export function coherentCallArbitrary(base: BaseDb, size = 40): fc.Arbitrary<Call> {
  const customers = customersOf(base, size).filter((c) => c.creditCards.length + c.giftCards.length > 0);
  const legs = legsOf(base, 60);
  const withReservation = customers.filter((c) => c.reservations.length > 0);
  const payFor = (c: Customer, total: number): PyValue[] => {
    const gift = c.giftCards.find(([, amount]) => amount >= total);
    if (gift !== undefined && (c.creditCards.length === 0 || total % 2 === 0)) return [pyObject([['payment_id', gift[0]], ['amount', total]])];
    const cert = c.certificates[0];
    if (cert !== undefined && cert[1] < total && c.creditCards[0] !== undefined) {
      return [pyObject([['payment_id', cert[0]], ['amount', cert[1]]]), pyObject([['payment_id', c.creditCards[0]], ['amount', total - cert[1]]])];
    }
    return [pyObject([['payment_id', c.creditCards[0] ?? c.giftCards[0]?.[0] ?? 'none'], ['amount', total]])];
  };
  const updatePayment = (c: Customer): fc.Arbitrary<string> =>
    fc.constantFrom(...c.creditCards, ...c.giftCards.map(([id]) => id), ...c.certificates.map(([id]) => id), 'credit_card_0');
  const book = fc
    .tuple(
      fc.constantFrom(...customers),
      fc.array(fc.constantFrom(...legs), { minLength: 1, maxLength: 2 }),
      fc.constantFrom(...CABIN_NAMES),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 2 }),
    )
    .chain(([c, ls, cabin, pax, insured, nonfree]) => {
      const total = ls.reduce((t, l) => t + (l.prices[cabin] ?? 0) * pax, 0) + (insured ? 30 * pax : 0) + 50 * nonfree;
      return passengersArb(pax).map(
        (passengers): Call => ({
          name: 'book_reservation',
          kwargs: pyObject([
            ['user_id', c.id],
            ['origin', 'JFK'],
            ['destination', 'SEA'],
            ['flight_type', ls.length === 2 ? 'round_trip' : 'one_way'],
            ['cabin', cabin],
            ['flights', ls.map((l) => pyObject([['flight_number', l.flight_number], ['date', l.date]]))],
            ['passengers', passengers],
            ['payment_methods', payFor(c, total)],
            ['total_baggages', nonfree + 1],
            ['nonfree_baggages', nonfree],
            ['insurance', insured ? 'yes' : 'no'],
          ]),
        }),
      );
    });
  const reservationOf = fc.constantFrom(...withReservation).chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(...c.reservations)));
  const updateFlights = reservationOf.chain(([c, r]) =>
    fc.tuple(fc.constantFrom(...CABIN_NAMES), fc.option(fc.constantFrom(...legs)), updatePayment(c)).map(
      ([cabin, swap, payment]): Call => ({
        name: 'update_reservation_flights',
        kwargs: pyObject([
          ['reservation_id', r.id],
          ['cabin', cabin],
          ['flights', r.flights.map((f, i) => pyObject([['flight_number', i === 0 && swap !== null ? swap.flight_number : f.flight_number], ['date', i === 0 && swap !== null ? swap.date : f.date]]))],
          ['payment_id', payment],
        ]),
      }),
    ),
  );
  const baggages = reservationOf.chain(([c, r]) =>
    fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), updatePayment(c)).map(
      ([total, nonfree, payment]): Call => ({
        name: 'update_reservation_baggages',
        kwargs: pyObject([['reservation_id', r.id], ['total_baggages', total], ['nonfree_baggages', nonfree], ['payment_id', payment]]),
      }),
    ),
  );
  const passengers = reservationOf.chain(([, r]) =>
    passengersArb(r.pax).map((ps): Call => ({ name: 'update_reservation_passengers', kwargs: pyObject([['reservation_id', r.id], ['passengers', ps]]) })),
  );
  const cancel = reservationOf.map(([, r]): Call => ({ name: 'cancel_reservation', kwargs: pyObject([['reservation_id', r.id]]) }));
  const certificate = fc
    .tuple(fc.constantFrom(...customers), fc.constantFrom<PyValue>(50, 100, new PyFloat(150)))
    .map(([c, amount]): Call => ({ name: 'send_certificate', kwargs: pyObject([['user_id', c.id], ['amount', amount]]) }));
  return fc.oneof(book, updateFlights, baggages, passengers, cancel, certificate);
}

/** Near-valid, malformed and coherent calls mixed. */
export function mixedCallArbitrary(base: BaseDb): fc.Arbitrary<Call> {
  return fc.oneof(callArbitrary(poolsOf(base)), coherentCallArbitrary(base));
}

/** Problems with the records an episode changed: `table/id: issue` (empty when all valid). */
export function invalidTouchedRecords(db: DbState): string[] {
  const problems: string[] = [];
  for (const t of AIRLINE_TABLES) {
    const table = db.table(t);
    for (const id of table.touchedIds()) {
      const rec = table.get(id);
      if (rec === undefined) continue;
      const r = AIRLINE_RECORD_SCHEMAS[t].safeParse(rec);
      // The database hash must stay computable (JCS has no NaN or Infinity).
      try {
        jcsStringify(rec as PyObject);
      } catch (e) {
        problems.push(`${t}/${id}: ${(e as Error).message}`);
      }
      if (!r.success) problems.push(`${t}/${id}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
  }
  return problems;
}

/** Runs calls on an environment and checks every step's contract; returns the first violation. */
export function runAndCheck(env: Environment, calls: readonly Call[]): string | undefined {
  for (const c of calls) {
    let r;
    try {
      r = env.step(c);
    } catch (e) {
      return `${c.name} threw ${(e as Error).stack ?? String(e)}`;
    }
    if (typeof r.observation !== 'string') return `${c.name}: observation is not a string`;
    const tool = env.registry.get(c.name);
    if (tool === undefined) {
      const expected = env.registry.unknownTool?.(c.name) ?? `Unknown action ${c.name}`;
      if (r.observation !== expected || !r.error) return `${c.name}: unknown tool answered ${r.observation}`;
      continue;
    }
    if (r.error && !r.observation.startsWith('Error: ')) return `${c.name}: error without "Error: ": ${r.observation}`;
    if (!r.error && r.observation.startsWith('Error')) return `${c.name}: error text not flagged: ${r.observation}`;
    if (!tool.schema.safeParse(c.kwargs).success && !r.error) return `${c.name}: invalid arguments accepted`;
  }
  const bad = invalidTouchedRecords(env.db);
  if (bad.length > 0) return `invalid records: ${bad.slice(0, 3).join(' | ')}`;
  return undefined;
}
