/**
 * Typed, plain views of what the airline tools return (v1 and τ² shapes alike): the customer's
 * profile, a reservation, and flight offers from the search tools. Everything here is plain JSON
 * data, so it can live in the blueprint's logged context.
 */
import { isPyNum, num } from '../../src/core/py/py-float.js';
import { isPyObject, type PyObject, type PyValue } from '../../src/core/py/py-value.js';
import { CABINS, type Cabin, type PaymentSource, type Tier } from './rules.js';

/** A passenger as the tools take it. */
export interface Passenger {
  first_name: string;
  last_name: string;
  dob: string;
}

/** A saved payment method. `amount` is the balance of a gift card or certificate. */
export interface PaymentMethod {
  id: string;
  source: PaymentSource | string;
  amount: number | null;
  brand: string | null;
  last_four: string | null;
}

/** The customer's profile. */
export interface Profile {
  user_id: string;
  first_name: string;
  last_name: string;
  dob: string;
  membership: Tier;
  payment_methods: PaymentMethod[];
  saved_passengers: Passenger[];
  reservations: string[];
}

/** A flight of a reservation. */
export interface Segment {
  flight_number: string;
  date: string;
  origin: string;
  destination: string;
  price: number;
}

/** A reservation. */
export interface Reservation {
  reservation_id: string;
  user_id: string;
  origin: string;
  destination: string;
  flight_type: 'one_way' | 'round_trip';
  cabin: Cabin;
  flights: Segment[];
  passengers: Passenger[];
  payment_history: Array<{ payment_id: string; amount: number }>;
  created_at: string;
  total_baggages: number;
  nonfree_baggages: number;
  insurance: 'yes' | 'no';
  status: string | null;
}

/** One flight on one date, as a search lists it. */
export interface FlightOffer {
  flight_number: string;
  origin: string;
  destination: string;
  date: string;
  depart: string;
  arrive: string;
  seats: Record<Cabin, number>;
  prices: Record<Cabin, number>;
  /** False for the second leg of a v1 one-stop result on a later date (v1 shows the first date's record). */
  reliable: boolean;
}

/** A flight on a date. */
export interface FlightRef {
  flight_number: string;
  date: string;
}

/** A way to fly one direction: one flight or a connection (details in the offer index). */
export interface FlightOption {
  id: string;
  legs: FlightRef[];
}

function obj(v: PyValue | undefined): PyObject {
  return isPyObject(v) ? v : {};
}

function str(v: PyValue | undefined, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

function n(v: PyValue | undefined, fallback = 0): number {
  return isPyNum(v) ? num(v) : fallback;
}

function passengers(v: PyValue | undefined): Passenger[] {
  return (Array.isArray(v) ? v : []).map((p) => {
    const o = obj(p);
    return { first_name: str(o.first_name), last_name: str(o.last_name), dob: str(o.dob) };
  });
}

function cabinOf(v: PyValue | undefined): Cabin {
  return (CABINS as readonly string[]).includes(str(v)) ? (str(v) as Cabin) : 'economy';
}

/** The profile from `get_user_details` (the v1 record has no `user_id`: the caller's id is used). */
export function parseProfile(value: PyValue | undefined, userId: string): Profile | null {
  if (!isPyObject(value)) return null;
  const name = obj(value.name);
  const pms = obj(value.payment_methods);
  return {
    user_id: str(value.user_id, userId),
    first_name: str(name.first_name),
    last_name: str(name.last_name),
    dob: str(value.dob),
    membership: (['regular', 'silver', 'gold'].includes(str(value.membership)) ? str(value.membership) : 'regular') as Tier,
    payment_methods: Object.keys(pms).map((id) => {
      const pm = obj(pms[id]);
      return {
        id: str(pm.id, id),
        source: str(pm.source),
        amount: isPyNum(pm.amount) ? num(pm.amount) : null,
        brand: typeof pm.brand === 'string' ? pm.brand : null,
        last_four: typeof pm.last_four === 'string' ? pm.last_four : null,
      };
    }),
    saved_passengers: passengers(value.saved_passengers),
    reservations: (Array.isArray(value.reservations) ? value.reservations : []).filter((r): r is string => typeof r === 'string'),
  };
}

/** A reservation from `get_reservation_details` or a write tool's result. */
export function parseReservation(value: PyValue | undefined): Reservation | null {
  if (!isPyObject(value) || typeof value.reservation_id !== 'string') return null;
  return {
    reservation_id: value.reservation_id,
    user_id: str(value.user_id),
    origin: str(value.origin),
    destination: str(value.destination),
    flight_type: str(value.flight_type) === 'round_trip' ? 'round_trip' : 'one_way',
    cabin: cabinOf(value.cabin),
    flights: (Array.isArray(value.flights) ? value.flights : []).map((f) => {
      const o = obj(f);
      return { flight_number: str(o.flight_number), date: str(o.date), origin: str(o.origin), destination: str(o.destination), price: n(o.price) };
    }),
    passengers: passengers(value.passengers),
    payment_history: (Array.isArray(value.payment_history) ? value.payment_history : []).map((p) => ({ payment_id: str(obj(p).payment_id), amount: n(obj(p).amount) })),
    created_at: str(value.created_at),
    total_baggages: n(value.total_baggages),
    nonfree_baggages: n(value.nonfree_baggages),
    insurance: str(value.insurance) === 'yes' ? 'yes' : 'no',
    status: typeof value.status === 'string' ? value.status : null,
  };
}

function cabinNumbers(v: PyValue | undefined): Record<Cabin, number> {
  const o = obj(v);
  return { basic_economy: n(o.basic_economy, -1), economy: n(o.economy, -1), business: n(o.business, -1) };
}

function offer(value: PyValue | undefined, date: string, reliable: boolean): FlightOffer | null {
  const o = obj(value);
  if (typeof o.flight_number !== 'string' || str(o.status, 'available') !== 'available') return null;
  return {
    flight_number: o.flight_number,
    origin: str(o.origin),
    destination: str(o.destination),
    date: typeof o.date === 'string' ? o.date : date,
    depart: str(o.scheduled_departure_time_est),
    arrive: str(o.scheduled_arrival_time_est),
    seats: cabinNumbers(o.available_seats),
    prices: cabinNumbers(o.prices),
    reliable,
  };
}

/** The available flights of a `search_direct_flight` result (τ² lists `date: null`: the searched date is used). */
export function parseDirect(value: PyValue | undefined, date: string): FlightOffer[] {
  return (Array.isArray(value) ? value : []).map((v) => offer(v, date, true)).filter((o): o is FlightOffer => o !== null);
}

/**
 * The connections of a `search_onestop_flight` result. Under v1 a second leg on a later date
 * shows the first date's seats and prices, so it is marked unreliable (its price is looked up again).
 */
export function parseOnestop(value: PyValue | undefined, date: string, v1: boolean): FlightOffer[][] {
  const out: FlightOffer[][] = [];
  for (const pair of Array.isArray(value) ? value : []) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    const first = offer(pair[0], date, true);
    const secondDate = str(obj(pair[1]).date, date);
    const second = offer(pair[1], date, !(v1 && secondDate !== date));
    if (first !== null && second !== null) out.push([first, second]);
  }
  return out;
}

/** The flights of a reservation going out (up to the destination) and coming back. */
export function directionsOf(res: Reservation): { outbound: Segment[]; back: Segment[] } {
  if (res.flight_type !== 'round_trip') return { outbound: [...res.flights], back: [] };
  const turn = res.flights.findIndex((f) => f.destination === res.destination);
  const cut = turn < 0 ? res.flights.length : turn + 1;
  return { outbound: res.flights.slice(0, cut), back: res.flights.slice(cut) };
}

/** A short label of a payment method for messages. */
export function paymentLabel(pm: PaymentMethod): string {
  if (pm.source === 'credit_card') return `${pm.brand ?? 'credit'} card ending in ${pm.last_four ?? '?'} (${pm.id})`;
  if (pm.source === 'gift_card') return `gift card ${pm.id} (balance $${money(pm.amount ?? 0)})`;
  if (pm.source === 'certificate') return `travel certificate ${pm.id} ($${money(pm.amount ?? 0)})`;
  return pm.id;
}

/** A dollar amount without trailing zeros (`327`, `12.5`). */
export function money(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(2).replace(/0$/, '');
}
