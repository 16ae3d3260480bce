/**
 * Seeded generator of an airline database in τ-bench v1's record format (tables `flights`,
 * `reservations`, `users`). Flights have per-date status records around the policy's "now"
 * (2024-05-15 15:00 EST): landed or cancelled before, landed/flying/on time/delayed/cancelled
 * today, available (a few cancelled) after. Same seed and scale → byte-identical tables.
 */
import { BaseDb } from '../../../src/env/db-state.js';
import { pyObject, type PyObject } from '../../../src/core/py/py-value.js';
import { Rng, type Seed } from '../../../src/core/rng.js';
import { UniqueIds, emailOf, makeAddress, makeCardBrand, makeDob, makePerson, userIdOf, type Person } from '../../common/generator/people.js';
import { INSURANCE_PRICE, EXTRA_BAG_PRICE, TODAY, NOW, addDays, allDates, nonfreeBags, type Cabin, type Tier } from './rules.js';

/** Default seed of the built-in airline data. */
export const DEFAULT_AIRLINE_SEED = 20240515;

/** Options of {@link generateAirlineTables}. */
export interface AirlineGenOptions {
  /** Seed (number or string). Default {@link DEFAULT_AIRLINE_SEED}. */
  seed?: Seed;
  /** Size multiplier: scale 1 gives about 170 flights, 100 users and 250 reservations. Default 1. */
  scale?: number;
}

/** Generated tables in τ-bench's table order, each as `[id, record]` rows in file order. */
export type AirlineTables = {
  flights: Array<[string, PyObject]>;
  reservations: Array<[string, PyObject]>;
  users: Array<[string, PyObject]>;
};

/** The 20 airports of the v1 `list_all_airports` tool, with approximate coordinates (for flight times). */
export const AIRPORTS: ReadonlyArray<{ code: string; city: string; lat: number; lon: number }> = [
  { code: 'SFO', city: 'San Francisco', lat: 37.62, lon: -122.38 },
  { code: 'JFK', city: 'New York', lat: 40.64, lon: -73.78 },
  { code: 'LAX', city: 'Los Angeles', lat: 33.94, lon: -118.41 },
  { code: 'ORD', city: 'Chicago', lat: 41.97, lon: -87.91 },
  { code: 'DFW', city: 'Dallas', lat: 32.9, lon: -97.04 },
  { code: 'DEN', city: 'Denver', lat: 39.86, lon: -104.67 },
  { code: 'SEA', city: 'Seattle', lat: 47.45, lon: -122.31 },
  { code: 'ATL', city: 'Atlanta', lat: 33.64, lon: -84.43 },
  { code: 'MIA', city: 'Miami', lat: 25.79, lon: -80.29 },
  { code: 'BOS', city: 'Boston', lat: 42.36, lon: -71.01 },
  { code: 'PHX', city: 'Phoenix', lat: 33.43, lon: -112.01 },
  { code: 'IAH', city: 'Houston', lat: 29.99, lon: -95.34 },
  { code: 'LAS', city: 'Las Vegas', lat: 36.08, lon: -115.15 },
  { code: 'MCO', city: 'Orlando', lat: 28.43, lon: -81.31 },
  { code: 'EWR', city: 'Newark', lat: 40.69, lon: -74.17 },
  { code: 'CLT', city: 'Charlotte', lat: 35.21, lon: -80.94 },
  { code: 'MSP', city: 'Minneapolis', lat: 44.88, lon: -93.22 },
  { code: 'DTW', city: 'Detroit', lat: 42.21, lon: -83.35 },
  { code: 'PHL', city: 'Philadelphia', lat: 39.87, lon: -75.24 },
  { code: 'LGA', city: 'LaGuardia', lat: 40.78, lon: -73.87 },
];

const HUBS = ['ORD', 'DFW', 'ATL', 'DEN', 'JFK', 'LAX'];

/** Ids the v1 tools create (bookings, certificates): never used by generated records. */
export const RESERVED_IDS = ['HATHAT', 'HATHAU', 'HATHAV', 'certificate_3221322', 'certificate_3221323', 'certificate_3221324'];

function distanceKm(a: string, b: string): number {
  const pa = AIRPORTS.find((x) => x.code === a)!;
  const pb = AIRPORTS.find((x) => x.code === b)!;
  const rad = Math.PI / 180;
  const dlat = (pb.lat - pa.lat) * rad;
  const dlon = (pb.lon - pa.lon) * rad;
  const h = Math.sin(dlat / 2) ** 2 + Math.cos(pa.lat * rad) * Math.cos(pb.lat * rad) * Math.sin(dlon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

const hhmm = (minutes: number): string => {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
};
/** ISO `YYYY-MM-DDTHH:MM:SS` for minutes after midnight of `date` (may roll into the next days). */
const iso = (date: string, minutes: number): string => `${addDays(date, Math.floor(minutes / 1440))}T${hhmm(minutes)}`;
const NOW_MIN = 15 * 60;

/** Internal description of a scheduled flight (kept beside the record to draw reservations). */
interface Sched {
  number: string;
  origin: string;
  destination: string;
  dep: number;
  arr: number;
  /** Typical prices per cabin (for dates without an `available` record). */
  base: Record<Cabin, number>;
  record: PyObject;
}

/** Generates the airline tables. */
export function generateAirlineTables(options: AirlineGenOptions = {}): AirlineTables {
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a positive number, got ${scale}`);
  const root = new Rng(`airline:${String(options.seed ?? DEFAULT_AIRLINE_SEED)}`);
  const ids = new UniqueIds(RESERVED_IDS);
  const scheds = makeFlights(root.fork('flights'), scale);
  const flights = scheds.map((s) => [s.number, s.record] as [string, PyObject]);

  // Users.
  const urng = root.fork('users');
  const nUsers = Math.max(10, Math.round(100 * scale));
  const users: Array<[string, PyObject]> = [];
  const people: Person[] = [];
  for (let i = 0; i < nUsers; i++) {
    const person = makePerson(urng);
    people.push(person);
    const uid = ids.next(() => userIdOf(person, urng.digits(4)));
    const email = ids.next(() => emailOf(person, urng.digits(4)));
    const kinds = urng.weighted<string[]>([
      [['credit_card'], 18],
      [['credit_card', 'gift_card'], 18],
      [['credit_card', 'certificate'], 16],
      [['gift_card'], 8],
      [['credit_card', 'gift_card', 'certificate'], 14],
      [['credit_card', 'credit_card', 'gift_card'], 8],
      [['gift_card', 'gift_card', 'certificate'], 8],
      [['credit_card', 'certificate', 'certificate', 'gift_card'], 10],
    ]);
    const pms: Array<[string, PyObject]> = [];
    for (const kind of urng.shuffle(kinds)) {
      const pmId = ids.next(() => `${kind}_${urng.digits(7)}`);
      if (kind === 'credit_card') pms.push([pmId, { source: 'credit_card', brand: makeCardBrand(urng), last_four: urng.digits(4, false), id: pmId }]);
      else if (kind === 'gift_card') pms.push([pmId, { source: 'gift_card', amount: urng.int(0, 400), id: pmId }]);
      else pms.push([pmId, { source: 'certificate', amount: urng.pick([100, 150, 200, 250, 300, 500]), id: pmId }]);
    }
    const saved = Array.from({ length: urng.weighted<number>([[0, 30], [1, 35], [2, 25], [3, 10]]) }, () => {
      const p = makePerson(urng);
      return { first_name: p.first_name, last_name: p.last_name, dob: makeDob(urng) };
    });
    users.push([
      uid,
      {
        name: { first_name: person.first_name, last_name: person.last_name },
        address: makeAddress(urng),
        email,
        dob: makeDob(urng, 1950, 2000),
        payment_methods: pyObject(pms),
        saved_passengers: saved,
        membership: urng.weighted<Tier>([['regular', 50], ['silver', 30], ['gold', 20]]),
        reservations: [],
      },
    ]);
  }

  // Reservations.
  const rrng = root.fork('reservations');
  const reservations: Array<[string, PyObject]> = [];
  const byOrigin = new Map<string, Sched[]>();
  for (const s of scheds) byOrigin.set(s.origin, [...(byOrigin.get(s.origin) ?? []), s]);
  for (const [uid, user] of users) {
    const n = rrng.weighted<number>([[0, 6], [1, 20], [2, 28], [3, 26], [4, 14], [5, 6]]);
    for (let k = 0; k < n; k++) {
      const rid = ids.next(() => rrng.chars(6, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'));
      const res = makeReservation(rrng, rid, uid, user, byOrigin, ids);
      if (res === undefined) continue;
      reservations.push([rid, res]);
      (user.reservations as string[]).push(rid);
    }
  }
  return { flights, reservations, users };
}

function makeFlights(rng: Rng, scale: number): Sched[] {
  const codes = AIRPORTS.map((a) => a.code);
  const pairs = new Set<string>();
  const key = (a: string, b: string): string => (a < b ? `${a}-${b}` : `${b}-${a}`);
  for (let i = 0; i < HUBS.length; i++) for (let j = i + 1; j < HUBS.length; j++) pairs.add(key(HUBS[i]!, HUBS[j]!));
  for (const c of codes) if (!HUBS.includes(c)) for (const h of rng.sample(HUBS, 3)) pairs.add(key(c, h));
  const extra = Math.round(8 * scale);
  for (let i = 0; i < extra; i++) {
    const [a, b] = rng.sample(codes, 2) as [string, string];
    pairs.add(key(a, b));
  }
  const routes: Array<[string, string]> = [];
  for (const p of [...pairs].sort()) {
    const [a, b] = p.split('-') as [string, string];
    routes.push([a, b], [b, a]);
  }
  const legs: Array<Omit<Sched, 'number' | 'record'>> = [];
  for (const [o, d] of routes) {
    const count = 1 + (rng.chance(Math.min(0.9, 0.3 * scale)) ? 1 : 0);
    const dist = distanceKm(o, d);
    const duration = Math.round((40 + (dist / 800) * 60) / 10) * 10;
    const starts = rng.sample([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23], count).sort((x, y) => x - y);
    for (const h of starts) {
      const dep = h * 60 + rng.pick([0, 0, 30]);
      const basic = Math.round(45 + dist * 0.035 + rng.int(0, 30));
      const economy = Math.round(basic * (1.6 + 0.5 * rng.next()));
      const business = Math.round(economy * (2.2 + 1.2 * rng.next()));
      legs.push({ origin: o, destination: d, dep, arr: dep + duration, base: { basic_economy: basic, economy, business } });
    }
  }
  const order = rng.shuffle(legs);
  const dates = allDates();
  return order.map((leg, i) => {
    const number = `HAT${String(i + 1).padStart(3, '0')}`;
    const dateRecs: Array<[string, PyObject]> = dates.map((date) => [date, dateRecord(rng, date, leg)]);
    const record: PyObject = {
      flight_number: number,
      origin: leg.origin,
      destination: leg.destination,
      scheduled_departure_time_est: hhmm(leg.dep),
      scheduled_arrival_time_est: leg.arr >= 1440 ? `${hhmm(leg.arr)}+1` : hhmm(leg.arr),
      dates: pyObject(dateRecs),
    };
    return { ...leg, number, record };
  });
}

function dateRecord(rng: Rng, date: string, leg: Omit<Sched, 'number' | 'record'>): PyObject {
  if (date < TODAY) {
    if (rng.chance(0.04)) return { status: 'cancelled' };
    const dep = leg.dep + rng.int(-15, 45);
    const arr = leg.arr + rng.int(-20, 45);
    return { status: 'landed', actual_departure_time_est: iso(date, dep), actual_arrival_time_est: iso(date, arr) };
  }
  if (date === TODAY) {
    if (leg.dep < NOW_MIN) {
      const dep = leg.dep + rng.int(-10, 40);
      const arr = leg.arr + rng.int(-15, 40);
      if (arr < NOW_MIN) return { status: 'landed', actual_departure_time_est: iso(date, dep), actual_arrival_time_est: iso(date, arr) };
      return { status: 'flying', actual_departure_time_est: iso(date, dep), estimated_arrival_time_est: iso(date, arr) };
    }
    const roll = rng.next();
    if (roll < 0.06) return { status: 'cancelled' };
    if (roll < 0.36) {
      const delay = rng.int(3, 30) * 10;
      return { status: 'delayed', estimated_departure_time_est: iso(date, leg.dep + delay), estimated_arrival_time_est: iso(date, leg.arr + delay) };
    }
    return { status: 'on time', estimated_departure_time_est: iso(date, leg.dep), estimated_arrival_time_est: iso(date, leg.arr) };
  }
  if (date <= addDays(TODAY, 7) && rng.chance(0.025)) return { status: 'cancelled' };
  const seats = (): number => (rng.chance(0.06) ? 0 : rng.int(1, 20));
  const jitter = (x: number): number => Math.max(20, Math.round(x * (0.8 + 0.4 * rng.next())));
  return {
    status: 'available',
    available_seats: { basic_economy: seats(), economy: seats(), business: seats() },
    prices: { basic_economy: jitter(leg.base.basic_economy), economy: jitter(leg.base.economy), business: jitter(leg.base.business) },
  };
}

/** The price of a cabin on a flight date: the listed price when available, else a typical one. */
function priceOn(rng: Rng, s: Sched, date: string, cabin: Cabin): number {
  const rec = (s.record.dates as PyObject)[date] as PyObject;
  if (rec.status === 'available') return (rec.prices as PyObject)[cabin] as number;
  return Math.max(20, Math.round(s.base[cabin] * (0.8 + 0.4 * rng.next())));
}

/** A direct or one-stop itinerary from `origin` on `date` (legs depart the same day, 60+ min connection). */
function itinerary(rng: Rng, origin: string, date: string, byOrigin: Map<string, Sched[]>, destination?: string): Sched[] | undefined {
  const out = byOrigin.get(origin) ?? [];
  const direct = out.filter((s) => (destination === undefined || s.destination === destination) && s.arr < 1440);
  const oneStop: Sched[][] = [];
  for (const a of out) {
    if (a.arr >= 1440) continue;
    for (const b of byOrigin.get(a.destination) ?? []) {
      if (b.destination === origin || b.dep < a.arr + 60 || b.arr >= 1440) continue;
      if (destination !== undefined && b.destination !== destination) continue;
      oneStop.push([a, b]);
    }
  }
  if (destination === undefined) {
    if (oneStop.length > 0 && rng.chance(0.3)) return rng.pick(oneStop);
    return direct.length > 0 ? [rng.pick(direct)] : undefined;
  }
  if (direct.length > 0 && (oneStop.length === 0 || rng.chance(0.75))) return [rng.pick(direct)];
  return oneStop.length > 0 ? rng.pick(oneStop) : undefined;
}

function makeReservation(rng: Rng, rid: string, uid: string, user: PyObject, byOrigin: Map<string, Sched[]>, ids: UniqueIds): PyObject | undefined {
  const origin = rng.pick([...byOrigin.keys()].sort());
  const when = rng.weighted<'past' | 'today' | 'future'>([['past', 22], ['today', 8], ['future', 70]]);
  const outDate =
    when === 'past' ? addDays(TODAY, -rng.int(1, 14)) : when === 'today' ? TODAY : addDays(TODAY, rng.int(1, 15));
  const outbound = itinerary(rng, origin, outDate, byOrigin);
  if (outbound === undefined) return undefined;
  const destination = outbound[outbound.length - 1]!.destination;
  const roundTrip = rng.chance(0.55);
  let inbound: Sched[] | undefined;
  let backDate = outDate;
  if (roundTrip) {
    backDate = addDays(outDate, rng.int(1, 6));
    if (backDate > '2024-05-30') backDate = '2024-05-30';
    if (backDate === outDate) return undefined;
    inbound = itinerary(rng, destination, backDate, byOrigin, origin);
    if (inbound === undefined) return undefined;
  }
  const cabin = rng.weighted<Cabin>([['basic_economy', 28], ['economy', 44], ['business', 28]]);
  const tier = user.membership as Tier;
  const nPax = rng.weighted<number>([[1, 40], [2, 30], [3, 18], [4, 8], [5, 4]]);
  const name = user.name as PyObject;
  const candidates: PyObject[] = [
    ...(rng.chance(0.75) ? [{ first_name: name.first_name as string, last_name: name.last_name as string, dob: user.dob as string }] : []),
    ...(user.saved_passengers as PyObject[]).map((p) => ({ ...p })),
  ];
  while (candidates.length < nPax) {
    const p = makePerson(rng);
    candidates.push({ first_name: p.first_name, last_name: p.last_name, dob: makeDob(rng) });
  }
  const passengers = candidates.slice(0, nPax);
  const legs: Array<[Sched, string]> = [...outbound.map((s) => [s, outDate] as [Sched, string]), ...(inbound ?? []).map((s) => [s, backDate] as [Sched, string])];
  const flights = legs.map(([s, date]) => ({ origin: s.origin, destination: s.destination, flight_number: s.number, date, price: priceOn(rng, s, date, cabin) }));
  const insurance = rng.chance(0.35) ? 'yes' : 'no';
  const totalBags = rng.int(0, nPax * 2);
  const nonfree = nonfreeBags(tier, cabin, nPax, totalBags);
  const total = flights.reduce((t, fl) => t + fl.price * nPax, 0) + (insurance === 'yes' ? INSURANCE_PRICE * nPax : 0) + EXTRA_BAG_PRICE * nonfree;

  const pms = Object.values(user.payment_methods as PyObject) as PyObject[];
  const cards = pms.filter((p) => p.source === 'credit_card').map((p) => p.id as string);
  const gifts = pms.filter((p) => p.source === 'gift_card').map((p) => p.id as string);
  const history: PyObject[] = [];
  const style = rng.weighted<'card' | 'gift' | 'split' | 'certificate'>([['card', 55], ['gift', 20], ['split', 15], ['certificate', 10]]);
  const primary = cards.length > 0 ? rng.pick(cards) : gifts.length > 0 ? rng.pick(gifts) : undefined;
  if (primary === undefined) return undefined;
  if (style === 'gift' && gifts.length > 0) history.push({ payment_id: rng.pick(gifts), amount: total });
  else if (style === 'split' && gifts.length > 0 && cards.length > 0 && total > 100) {
    const part = rng.int(1, Math.min(300, total - 1));
    history.push({ payment_id: rng.pick(gifts), amount: part }, { payment_id: rng.pick(cards), amount: total - part });
  } else if (style === 'certificate' && cards.length > 0 && total > 150) {
    // The certificate used for this booking was consumed (removed from the profile), as the booking tool does.
    const cert = ids.next(() => `certificate_${rng.digits(7)}`);
    const part = Math.min(total - 1, rng.pick([100, 150, 200]));
    history.push({ payment_id: cert, amount: part }, { payment_id: rng.pick(cards), amount: total - part });
  } else history.push({ payment_id: primary, amount: total });

  // Created before the first flight; some within the last 24 hours (free cancellation).
  const firstDeparture = iso(outDate, outbound[0]!.dep);
  const limit = firstDeparture < NOW ? firstDeparture : NOW;
  let created: string;
  if (limit === NOW && rng.chance(0.12)) created = iso('2024-05-14', 15 * 60 + 1 + rng.int(0, 23 * 60 - 2));
  else created = iso(addDays(limit.slice(0, 10), -rng.int(1, 20)), rng.int(0, 1439));
  created = created.slice(0, 17) + String(rng.int(0, 59)).padStart(2, '0');
  const res: PyObject = {
    reservation_id: rid,
    user_id: uid,
    origin,
    destination,
    flight_type: roundTrip ? 'round_trip' : 'one_way',
    cabin,
    flights,
    passengers,
    payment_history: history,
    created_at: created,
    total_baggages: totalBags,
    nonfree_baggages: nonfree,
    insurance,
  };
  if (rng.chance(0.04)) {
    for (const p of [...history]) history.push({ payment_id: p.payment_id as string, amount: -(p.amount as number) });
    res.status = 'cancelled';
  }
  return res;
}

/** The tables as a frozen {@link BaseDb} (table order: flights, reservations, users). */
export function airlineBaseDb(tables: AirlineTables): BaseDb {
  return new BaseDb([
    ['flights', tables.flights],
    ['reservations', tables.reservations],
    ['users', tables.users],
  ]);
}

/** Generates the airline database as a {@link BaseDb}. */
export function generateAirlineDb(options: AirlineGenOptions = {}): BaseDb {
  return airlineBaseDb(generateAirlineTables(options));
}

