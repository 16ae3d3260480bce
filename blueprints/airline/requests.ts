/**
 * The closed set of customer requests the airline blueprint serves, and the zod schemas of every
 * LLM sub-task it asks. Sub-task names are stable: the simulated model's oracles key on them.
 */
import { z } from 'zod';
import { CABINS, CANCEL_REASONS } from './rules.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const airport = z.string().regex(/^[A-Z]{3}$/, 'a 3-letter airport code');
const reservationId = z.string().regex(/^[A-Z0-9]{6}$/, 'a 6-character reservation id');
const cabin = z.enum(CABINS);
const passenger = z.object({ first_name: z.string(), last_name: z.string(), dob: z.string() });

/** Every kind of request, with the arguments the blueprint needs (null: not said yet). */
export const requestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('book'),
    origin: airport.nullable(),
    destination: airport.nullable(),
    trip_type: z.enum(['one_way', 'round_trip']).nullable(),
    depart_date: date.nullable(),
    return_date: date.nullable(),
    cabin: cabin.nullable(),
    passenger_count: z.number().int().min(1).nullable(),
    passengers: z.array(passenger).max(9),
    total_baggages: z.number().int().min(0).nullable(),
    insurance: z.boolean().nullable(),
    payment_ids: z.array(z.string()).max(5),
    max_fare_per_passenger: z.number().nullable(),
  }),
  z.object({ kind: z.literal('cancel'), reservation_id: reservationId.nullable(), reason: z.enum(CANCEL_REASONS).nullable() }),
  z.object({ kind: z.literal('change_flights'), reservation_id: reservationId.nullable(), cabin: cabin.nullable(), payment_id: z.string().nullable() }),
  z.object({ kind: z.literal('change_cabin'), reservation_id: reservationId.nullable(), cabin: cabin.nullable(), payment_id: z.string().nullable() }),
  z.object({ kind: z.literal('change_bags'), reservation_id: reservationId.nullable(), total_baggages: z.number().int().min(0).nullable(), payment_id: z.string().nullable() }),
  z.object({ kind: z.literal('update_passengers'), reservation_id: reservationId.nullable(), passengers: z.array(passenger).max(9) }),
  z.object({ kind: z.literal('change_passenger_count'), reservation_id: reservationId.nullable() }),
  z.object({ kind: z.literal('add_insurance'), reservation_id: reservationId.nullable() }),
  z.object({
    kind: z.literal('compensation'),
    reservation_id: reservationId.nullable(),
    flight_number: z.string().nullable(),
    issue: z.enum(['delayed', 'cancelled']),
  }),
  z.object({
    kind: z.literal('info'),
    topic: z.enum(['free_bags', 'gift_card_balance', 'certificate_balance', 'cheapest_fare', 'reservation_details', 'flight_status', 'upcoming_total']),
    reservation_id: reservationId.nullable(),
    flight_number: z.string().nullable(),
    origin: airport.nullable(),
    destination: airport.nullable(),
    date: date.nullable(),
    cabin: cabin.nullable(),
  }),
  z.object({ kind: z.literal('transfer'), topic: z.enum(['lost_baggage', 'special_assistance', 'other']) }),
  z.object({ kind: z.literal('other'), summary: z.string() }),
]);

/** One customer request. */
export type Request = z.output<typeof requestSchema>;
/** Request kinds. */
export type RequestKind = Request['kind'];
export type RequestOf<K extends RequestKind> = Extract<Request, { kind: K }>;

/** The sub-task names (also the keys of `blueprints/airline/subtask-oracles.ts`). */
export const SUBTASKS = {
  extractUserId: 'airline_extract_user_id',
  parseRequests: 'airline_parse_requests',
  completeRequest: 'airline_complete_request',
  planFlightChange: 'airline_plan_flight_change',
  chooseFlights: 'airline_choose_flights',
  yesNo: 'airline_yes_no',
} as const;

/** Reply-wording tasks (`say:<task>` for the model when replies are worded by the LLM). */
export const WORDING = {
  greet: 'airline_greet',
  askUserId: 'airline_ask_user_id',
  askDetails: 'airline_ask_details',
  confirm: 'airline_confirm',
  wrapUp: 'airline_wrap_up',
  clarify: 'airline_clarify',
  transfer: 'airline_transfer',
  goodbye: 'airline_goodbye',
} as const;

/** `airline_extract_user_id`. */
export const userIdAnswer = z.object({ user_id: z.string().nullable() });

/** `airline_parse_requests`: every request the customer has made, in order. */
export const parseAnswer = z.object({ requests: z.array(requestSchema).max(8) });

/** `airline_complete_request`: the request with the fields the customer just gave filled in. */
export const completeAnswer = z.object({ request: requestSchema });

/** `airline_plan_flight_change`: the new date of each direction that changes (null: keep it). */
export const planAnswer = z.object({ outbound_date: date.nullable(), return_date: date.nullable() });

/** `airline_choose_flights`: the option picked for each direction (null: none suits the customer). */
export const chooseAnswer = z.object({
  choices: z.array(z.object({ direction: z.enum(['outbound', 'return']), option_id: z.string().nullable() })).min(1).max(2),
});

/** `airline_yes_no`. */
export const yesNoAnswer = z.object({ answer: z.enum(['yes', 'no']) });

/** Fields of a request that must be known before it can be handled. */
export function missingFields(req: Request): string[] {
  const m: string[] = [];
  const need = (ok: boolean, field: string): void => {
    if (!ok) m.push(field);
  };
  switch (req.kind) {
    case 'book':
      need(req.origin !== null, 'origin');
      need(req.destination !== null, 'destination');
      need(req.trip_type !== null, 'trip_type');
      need(req.depart_date !== null, 'depart_date');
      need(req.trip_type !== 'round_trip' || req.return_date !== null, 'return_date');
      need(req.cabin !== null, 'cabin');
      need(req.passenger_count !== null, 'passenger_count');
      need(req.passenger_count === null || req.passenger_count > 5 || req.passengers.length === req.passenger_count, 'passengers');
      need(req.total_baggages !== null, 'total_baggages');
      need(req.insurance !== null, 'insurance');
      need(req.payment_ids.length > 0 || (req.passenger_count ?? 0) > 5, 'payment_ids');
      break;
    case 'cancel':
      need(req.reservation_id !== null, 'reservation_id');
      need(req.reason !== null, 'reason');
      break;
    case 'change_flights':
      need(req.reservation_id !== null, 'reservation_id');
      need(req.payment_id !== null, 'payment_id');
      break;
    case 'change_cabin':
      need(req.reservation_id !== null, 'reservation_id');
      need(req.cabin !== null, 'cabin');
      need(req.payment_id !== null, 'payment_id');
      break;
    case 'change_bags':
      // No payment method is needed to refuse a removal; adding bags without one is refused later.
      need(req.reservation_id !== null, 'reservation_id');
      need(req.total_baggages !== null, 'total_baggages');
      break;
    case 'update_passengers':
    case 'change_passenger_count':
    case 'add_insurance':
      need(req.reservation_id !== null, 'reservation_id');
      break;
    case 'compensation':
      need(req.reservation_id !== null || req.flight_number !== null, 'reservation_id');
      break;
    case 'info':
      if (req.topic === 'free_bags' || req.topic === 'reservation_details') need(req.reservation_id !== null, 'reservation_id');
      if (req.topic === 'flight_status') {
        need(req.flight_number !== null, 'flight_number');
        need(req.date !== null, 'date');
        need(req.reservation_id !== null || (req.origin !== null && req.destination !== null), 'reservation_id');
      }
      if (req.topic === 'cheapest_fare') {
        need(req.origin !== null, 'origin');
        need(req.destination !== null, 'destination');
        need(req.date !== null, 'date');
        need(req.cabin !== null, 'cabin');
      }
      break;
    case 'transfer':
    case 'other':
      break;
  }
  return m;
}
