/**
 * Message templates of the airline blueprint (the default replies). Every sentence is built from
 * looked-up facts; nothing here decides anything.
 */
import type { AirCtx, Plan } from './context.js';
import type { PricedFlight } from './policy.js';
import { money, paymentLabel, type Passenger, type Profile, type Reservation } from './records.js';
import type { Cabin } from './rules.js';

export const cabinName = (cabin: Cabin): string => cabin.replace('_', ' ');

/** The customer's label for a payment method id. */
export function pmText(profile: Profile | null, id: string): string {
  const pm = profile?.payment_methods.find((p) => p.id === id);
  return pm === undefined ? id : paymentLabel(pm);
}

export function flightsText(flights: ReadonlyArray<{ flight_number: string; date: string }>): string {
  return flights.map((f) => `${f.flight_number} on ${f.date}`).join(', ');
}

export function passengersText(passengers: readonly Passenger[]): string {
  return passengers.map((p) => `${p.first_name} ${p.last_name} (born ${p.dob})`).join(', ');
}

/** One line describing a reservation. */
export function reservationText(res: Reservation, cabin: Cabin): string {
  const trip = res.flight_type === 'round_trip' ? 'round trip' : 'one way';
  return `reservation ${res.reservation_id} (${trip} ${res.origin} to ${res.destination}, ${cabinName(cabin)}, ${res.passengers.length} passenger${res.passengers.length === 1 ? '' : 's'}, flights ${flightsText(res.flights)})`;
}

/** "charge $X to …" / "refund $X to …" / "no charge". */
export function differenceText(profile: Profile | null, amount: number, pmId: string): string {
  if (amount > 0) return `The difference of $${money(amount)} will be charged to your ${pmText(profile, pmId)}.`;
  if (amount < 0) return `The difference of $${money(-amount)} will be refunded to your ${pmText(profile, pmId)}.`;
  return 'There is no price difference.';
}

export function priceLines(flights: readonly PricedFlight[]): string {
  return flights.map((f) => `${f.flight_number} on ${f.date} ($${money(f.price)} per passenger${f.kept ? ', kept' : ''})`).join(', ');
}

/** The question closing a confirmation. */
export const CONFIRM_QUESTION = 'Do you confirm? Please answer yes or no.';

/** The text of a confirmation. */
export function confirmText(c: Readonly<AirCtx>, plan: Plan): string {
  return withNotes(c, `${plan.summary} ${CONFIRM_QUESTION}`);
}

/** The pending notes followed by a message. */
export function withNotes(c: Readonly<AirCtx>, text: string): string {
  return [...c.notes, text].filter((t) => t !== '').join(' ');
}

/** The money moved in this conversation, when more than one write moved money. */
export function ledgerSummary(c: Readonly<AirCtx>): string {
  if (c.ledger.length < 2) return '';
  const per = new Map<string, { charged: number; refunded: number }>();
  for (const e of c.ledger) {
    const t = per.get(e.payment_id) ?? { charged: 0, refunded: 0 };
    if (e.amount >= 0) t.charged += e.amount;
    else t.refunded -= e.amount;
    per.set(e.payment_id, t);
  }
  const parts: string[] = [];
  let charged = 0;
  let refunded = 0;
  for (const [id, t] of per) {
    if (t.charged > 0) parts.push(`$${money(t.charged)} charged to ${id}`);
    if (t.refunded > 0) parts.push(`$${money(t.refunded)} refunded to ${id}`);
    charged += t.charged;
    refunded += t.refunded;
  }
  const totals = [charged > 0 ? `$${money(charged)} charged` : '', refunded > 0 ? `$${money(refunded)} refunded` : ''].filter((x) => x !== '').join(' and ');
  return `Summary of payments in this conversation: ${parts.join('; ')}. In total: ${totals}.`;
}

export const TEXT = {
  greet: 'Hi! How can I help you today?',
  askUserId: 'I can help you with that. First, could you please tell me your user id?',
  userIdAgain: 'I could not find a profile with that user id. Could you please check your user id and tell me again?',
  unverified: 'I am sorry, but I cannot help without a valid user id. Goodbye.',
  clarify: 'I am sorry, I did not understand what you would like me to do. Could you please describe your request?',
  anythingElse: 'Is there anything else I can help you with?',
  goodbye: 'Thank you for contacting us. Have a nice day!',
  transferNotice: 'YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.',
} as const;

/** What to ask for each missing field. */
export const ASK: Readonly<Record<string, string>> = {
  reservation_id: 'What is the reservation id?',
  reason: 'What is the reason for the cancellation?',
  payment_id: 'Which payment method on your profile (credit card or gift card) should I use?',
  payment_ids: 'Which payment methods on your profile would you like to use, in order?',
  cabin: 'Which cabin would you like: basic economy, economy or business?',
  total_baggages: 'How many checked bags do you want in total?',
  insurance: 'Would you like travel insurance for $30 per passenger?',
  passengers: 'Could you give me the first name, last name and date of birth of each passenger?',
  passenger_count: 'How many passengers will travel?',
  origin: 'From which airport?',
  destination: 'To which airport?',
  depart_date: 'On which date do you want to leave?',
  return_date: 'On which date do you want to come back?',
  trip_type: 'Is it a one-way trip or a round trip?',
  date: 'For which date?',
  flight_number: 'Which flight number?',
};
