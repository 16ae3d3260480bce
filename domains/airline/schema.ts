/**
 * zod schemas of the airline database records (τ-bench v1 files and τ² `db.json`).
 *
 * The schemas validate; they never transform (records are stored exactly as parsed, with
 * {@link PyFloat}s and key order intact). They are as lenient as the reference's tools are about
 * what they write: nested objects may carry extra keys (v1 stores the model's objects as given),
 * money may be an int or a float, and τ²-normalised records may carry `user_id`, `status: null`
 * and `address2: null`.
 */
import { z } from 'zod';
import { pyInt, pyNumber } from '../../src/env/tool.js';

/** Cabin classes, in the reference's schema order. */
export const CABINS = ['basic_economy', 'economy', 'business'] as const;
export type Cabin = (typeof CABINS)[number];
/** Flight types, in the reference's schema order. */
export const FLIGHT_TYPES = ['one_way', 'round_trip'] as const;
/** Insurance choices, in the reference's schema order. */
export const INSURANCE = ['yes', 'no'] as const;
/** Membership levels. */
export const MEMBERSHIPS = ['gold', 'silver', 'regular'] as const;
/** Statuses of a flight on a date. */
export const FLIGHT_STATUSES = ['available', 'landed', 'cancelled', 'delayed', 'on time', 'flying'] as const;

/** Seats left or prices per cabin (the reference data always lists all three cabins). */
const perCabin = z.object({ basic_economy: pyInt(), economy: pyInt(), business: pyInt() });

/** A flight's record for one date, by status. */
export const flightDateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('available'), available_seats: perCabin, prices: perCabin }),
  z.object({ status: z.literal('landed'), actual_departure_time_est: z.string(), actual_arrival_time_est: z.string() }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('delayed'), estimated_departure_time_est: z.string(), estimated_arrival_time_est: z.string() }),
  z.object({ status: z.literal('on time'), estimated_departure_time_est: z.string(), estimated_arrival_time_est: z.string() }),
  z.object({ status: z.literal('flying'), actual_departure_time_est: z.string(), estimated_arrival_time_est: z.string() }),
]);

/** `flights.json` record (keyed by flight number). */
export const flightSchema = z.object({
  flight_number: z.string(),
  origin: z.string(),
  destination: z.string(),
  /** `HH:MM:SS`, arrival possibly `HH:MM:SS+1`. */
  scheduled_departure_time_est: z.string(),
  scheduled_arrival_time_est: z.string(),
  /** `YYYY-MM-DD` → record. */
  dates: z.record(z.string(), flightDateSchema),
});

/** A passenger on a reservation or saved on a profile. */
export const passengerSchema = z.object({ first_name: z.string(), last_name: z.string(), dob: z.string() });

/** One flight of a reservation (v1 files order it origin, destination, flight_number, date, price). */
export const reservationFlightSchema = z.object({
  flight_number: z.string(),
  date: z.string(),
  price: pyNumber(),
  origin: z.string(),
  destination: z.string(),
});

/** One payment (negative after a cancellation). */
export const paymentSchema = z.object({ payment_id: z.string(), amount: pyNumber() });

/** `reservations.json` record (keyed by reservation id). */
export const reservationSchema = z.object({
  reservation_id: z.string(),
  user_id: z.string(),
  origin: z.string(),
  destination: z.string(),
  flight_type: z.enum(FLIGHT_TYPES),
  cabin: z.enum(CABINS),
  flights: z.array(reservationFlightSchema),
  passengers: z.array(passengerSchema),
  payment_history: z.array(paymentSchema),
  created_at: z.string(),
  total_baggages: pyInt(),
  nonfree_baggages: pyInt(),
  insurance: z.enum(INSURANCE),
  /** Absent (v1) or null (τ²) until cancelled. */
  status: z.literal('cancelled').nullable().optional(),
});

/** A stored payment method, by source. */
export const paymentMethodSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('credit_card'), brand: z.string(), last_four: z.string(), id: z.string() }),
  z.object({ source: z.literal('gift_card'), amount: pyNumber(), id: z.string() }),
  z.object({ source: z.literal('certificate'), amount: pyNumber(), id: z.string() }),
]);

/** `users.json` record (keyed by user id). */
export const userSchema = z.object({
  /** Present in τ² data only. */
  user_id: z.string().optional(),
  name: z.object({ first_name: z.string(), last_name: z.string() }),
  address: z.object({
    address1: z.string(),
    address2: z.string().nullable(),
    city: z.string(),
    country: z.string(),
    state: z.string(),
    zip: z.string(),
  }),
  email: z.string(),
  dob: z.string(),
  payment_methods: z.record(z.string(), paymentMethodSchema),
  saved_passengers: z.array(passengerSchema),
  membership: z.enum(MEMBERSHIPS),
  reservations: z.array(z.string()),
});

/** Table names in the reference's order, with their record schemas. */
export const AIRLINE_TABLES = ['flights', 'reservations', 'users'] as const;
export type AirlineTable = (typeof AIRLINE_TABLES)[number];

/** Record schema of each table. */
export const AIRLINE_RECORD_SCHEMAS: Readonly<Record<AirlineTable, z.ZodType>> = {
  flights: flightSchema,
  reservations: reservationSchema,
  users: userSchema,
};
