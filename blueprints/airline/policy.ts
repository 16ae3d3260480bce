/**
 * The airline policy as pure functions over typed records: every check a write node's `pre`
 * re-runs, the prices the customer is told, and the payment split of a booking. No I/O: facts
 * (reservations, flight offers, departure times) are looked up by tool nodes and passed in.
 */
import type { FlightOffer, Passenger, PaymentMethod, Profile, Reservation, Segment } from './records.js';
import type { AirlineRules, Cabin, CancelReason, Tier } from './rules.js';

/** Why the policy refuses (or cannot serve) a request. */
export type PolicyRule =
  | 'reservation_not_owned'
  | 'already_cancelled'
  | 'segment_used'
  | 'not_cancellable'
  | 'basic_economy_change'
  | 'route_change'
  | 'same_cabin'
  | 'nothing_to_change'
  | 'flight_unavailable'
  | 'payment_method_not_owned'
  | 'certificate_for_change'
  | 'payment_not_allowed'
  | 'insufficient_balance'
  | 'bags_removed'
  | 'passenger_count'
  | 'passenger_details'
  | 'insurance_after_booking'
  | 'no_disruption'
  | 'not_eligible'
  | 'delay_without_change'
  | 'already_compensated'
  | 'too_many_passengers'
  | 'payment_limits'
  | 'payment_total'
  | 'out_of_scope';

/** A policy decision: allowed, or refused / transferred with the rule and a sentence for the customer. */
export type Verdict = { ok: true } | { ok: false; outcome: 'refuse' | 'transfer'; rule: PolicyRule; reason: string };

export const OK: Verdict = { ok: true };
const refuse = (rule: PolicyRule, reason: string): Verdict => ({ ok: false, outcome: 'refuse', rule, reason });
const transfer = (rule: PolicyRule, reason: string): Verdict => ({ ok: false, outcome: 'transfer', rule, reason });

/** Flight offers by `flight_number@date`. */
export type OfferIndex = Readonly<Record<string, FlightOffer>>;

/** Key of a flight on a date. */
export const flightKey = (flight_number: string, date: string): string => `${flight_number}@${date}`;

/** The cabin a reservation is really in (v1's flight update does not write a new cabin back). */
export function effectiveCabin(res: Reservation, overrides: Readonly<Record<string, Cabin>>): Cabin {
  return overrides[res.reservation_id] ?? res.cabin;
}

/**
 * A segment is used once its date is before today, or it is today and its scheduled departure is
 * before now. `departure` is null when unknown (then a segment dated today counts as used).
 */
export function segmentUsed(rules: AirlineRules, seg: Pick<Segment, 'date'>, departure: string | null): boolean {
  if (seg.date < rules.today) return true;
  if (seg.date > rules.today) return false;
  return departure === null || departure === '' || departure < rules.nowTime;
}

/** Ownership, not cancelled, nothing flown: what every change and a cancellation need. */
export function changeable(rules: AirlineRules, userId: string, res: Reservation, departures: Readonly<Record<string, string>>): Verdict {
  if (res.user_id !== userId) return refuse('reservation_not_owned', `reservation ${res.reservation_id} is not under your profile, so I cannot act on it`);
  if (res.status === 'cancelled') return refuse('already_cancelled', `reservation ${res.reservation_id} is already cancelled`);
  const used = res.flights.find((f) => segmentUsed(rules, f, departures[f.flight_number] ?? null));
  if (used !== undefined) {
    return transfer('segment_used', `flight ${used.flight_number} on ${used.date} of reservation ${res.reservation_id} has already been flown, which I cannot handle`);
  }
  return OK;
}

/** Segments dated today whose scheduled departure time (by flight number) is needed to know whether they are used. */
export function segmentsNeedingTime(rules: AirlineRules, res: Reservation, departures: Readonly<Record<string, string>>): Segment[] {
  return res.flights.filter((f) => f.date === rules.today && departures[f.flight_number] === undefined);
}

/** Policy on cancelling (reason asked first). `claimPlausible`: the customer's "airline cancelled a flight" is consistent with the flight data. */
export function checkCancel(
  rules: AirlineRules,
  userId: string,
  res: Reservation,
  reason: CancelReason,
  cabin: Cabin,
  departures: Readonly<Record<string, string>>,
  claimPlausible: boolean,
): Verdict {
  const base = changeable(rules, userId, res, departures);
  if (!base.ok) return base;
  if (res.created_at > rules.freeCancelAfter) return OK;
  if (reason === 'airline_cancelled' && claimPlausible) return OK;
  if (cabin === 'business') return OK;
  if (res.insurance === 'yes' && rules.insuredReasons.includes(reason)) return OK;
  const why =
    res.insurance === 'yes'
      ? `its travel insurance does not cover the reason given (${reason.replace(/_/g, ' ')})`
      : `it was booked more than 24 hours ago, it is not in business class, no flight of it was cancelled by the airline, and it has no travel insurance`;
  return refuse('not_cancellable', `reservation ${res.reservation_id} cannot be cancelled under our policy: ${why}`);
}

/** The payment method for a change (one credit card or gift card on the profile; a gift card must cover a positive amount). */
export function checkChangePayment(profile: Profile, pmId: string, amount: number): Verdict {
  const pm = profile.payment_methods.find((p) => p.id === pmId);
  if (pm === undefined) return refuse('payment_method_not_owned', `payment method ${pmId} is not on your profile`);
  if (pm.source === 'certificate') return refuse('certificate_for_change', 'a travel certificate cannot be used to pay for or receive a change');
  if (pm.source !== 'credit_card' && pm.source !== 'gift_card') return refuse('payment_not_allowed', `payment method ${pmId} cannot be used for changes`);
  if (pm.source === 'gift_card' && amount > 0 && (pm.amount ?? 0) < amount) {
    return refuse('insufficient_balance', `gift card ${pmId} has only $${pm.amount ?? 0}, not enough for $${amount}`);
  }
  return OK;
}

/** A flight of a new flight list with the price it will be charged at. */
export interface PricedFlight {
  flight_number: string;
  date: string;
  origin: string;
  destination: string;
  /** Price per passenger in the requested cabin, or the kept price. */
  price: number;
  /** Kept from the reservation at its old price (same flight, date and cabin). */
  kept: boolean;
}

/**
 * Prices a new flight list as the update tool does: a flight the reservation already has, in the
 * reservation's stored cabin, keeps its price; every other flight costs its current price in the
 * new cabin. Returns undefined (and the first flight) when a price is unknown.
 */
export function priceFlights(
  res: Reservation,
  flights: ReadonlyArray<{ flight_number: string; date: string }>,
  cabin: Cabin,
  offers: OfferIndex,
): { flights: PricedFlight[]; missing: null } | { flights: null; missing: { flight_number: string; date: string } } {
  const out: PricedFlight[] = [];
  for (const f of flights) {
    const old = res.flights.find((o) => o.flight_number === f.flight_number && o.date === f.date);
    if (old !== undefined && cabin === res.cabin) {
      out.push({ ...f, origin: old.origin, destination: old.destination, price: old.price, kept: true });
      continue;
    }
    const offer = offers[flightKey(f.flight_number, f.date)];
    if (offer === undefined || !offer.reliable || offer.prices[cabin] < 0) return { flights: null, missing: f };
    out.push({ ...f, origin: offer.origin, destination: offer.destination, price: offer.prices[cabin], kept: false });
  }
  return { flights: out, missing: null };
}

/** The fare difference of a flight update: new total minus what was paid, for all passengers. */
export function updateDifference(res: Reservation, priced: readonly PricedFlight[]): number {
  const pax = res.passengers.length;
  return priced.reduce((s, f) => s + f.price * pax, 0) - res.flights.reduce((s, f) => s + f.price * pax, 0);
}

/** Every non-kept flight is offered (available on its date) with enough seats in the cabin. */
function availability(priced: readonly PricedFlight[], cabin: Cabin, pax: number, offers: OfferIndex): Verdict {
  for (const f of priced) {
    if (f.kept) continue;
    const offer = offers[flightKey(f.flight_number, f.date)];
    if (offer === undefined) return refuse('flight_unavailable', `flight ${f.flight_number} on ${f.date} is not available`);
    if (offer.seats[cabin] < pax) return refuse('flight_unavailable', `flight ${f.flight_number} on ${f.date} does not have ${pax} seat(s) left in ${cabin.replace('_', ' ')}`);
  }
  return OK;
}

/** Policy on changing the cabin of every flight (basic economy included). */
export function checkCabinChange(
  rules: AirlineRules,
  profile: Profile,
  res: Reservation,
  current: Cabin,
  cabin: Cabin,
  priced: readonly PricedFlight[],
  offers: OfferIndex,
  pmId: string,
  departures: Readonly<Record<string, string>>,
): Verdict {
  const base = changeable(rules, profile.user_id, res, departures);
  if (!base.ok) return base;
  if (cabin === current) return refuse('same_cabin', `reservation ${res.reservation_id} is already in ${cabin.replace('_', ' ')}`);
  const avail = availability(priced, cabin, res.passengers.length, offers);
  if (!avail.ok) return avail;
  return checkChangePayment(profile, pmId, updateDifference(res, priced));
}

/** Policy on changing flights: not basic economy, same origin, destination and trip type, available flights. */
export function checkFlightChange(
  rules: AirlineRules,
  profile: Profile,
  res: Reservation,
  current: Cabin,
  cabin: Cabin,
  priced: readonly PricedFlight[],
  offers: OfferIndex,
  pmId: string,
  departures: Readonly<Record<string, string>>,
): Verdict {
  const base = changeable(rules, profile.user_id, res, departures);
  if (!base.ok) return base;
  if (current === 'basic_economy') return refuse('basic_economy_change', `the flights of reservation ${res.reservation_id} cannot be changed because it is in basic economy`);
  const first = priced[0];
  const last = priced[priced.length - 1];
  const routeOk =
    first !== undefined &&
    last !== undefined &&
    first.origin === res.origin &&
    (res.flight_type === 'one_way' ? last.destination === res.destination : last.destination === res.origin && priced.some((f) => f.destination === res.destination));
  if (!routeOk) return refuse('route_change', 'the origin, destination and trip type of a reservation cannot change');
  const avail = availability(priced, cabin, res.passengers.length, offers);
  if (!avail.ok) return avail;
  return checkChangePayment(profile, pmId, updateDifference(res, priced));
}

/** Free checked bags of a reservation: per passenger by tier and cabin, times passengers. */
export function freeBags(rules: AirlineRules, tier: Tier, cabin: Cabin, passengers: number): number {
  return rules.freeBags[tier][cabin] * passengers;
}

/** New non-free count (never below the current one) and the price of adding bags. */
export function bagChange(rules: AirlineRules, tier: Tier, cabin: Cabin, res: Reservation, total: number): { nonfree: number; price: number } {
  const nonfree = Math.max(res.nonfree_baggages, total - freeBags(rules, tier, cabin, res.passengers.length));
  return { nonfree, price: rules.extraBagPrice * Math.max(0, nonfree - res.nonfree_baggages) };
}

/** Policy on bags: add, never remove. */
export function checkBags(rules: AirlineRules, profile: Profile, res: Reservation, cabin: Cabin, total: number, pmId: string, departures: Readonly<Record<string, string>>): Verdict {
  const base = changeable(rules, profile.user_id, res, departures);
  if (!base.ok) return base;
  if (total < res.total_baggages) return refuse('bags_removed', `checked bags can be added but never removed (reservation ${res.reservation_id} has ${res.total_baggages})`);
  if (total === res.total_baggages) return refuse('nothing_to_change', `reservation ${res.reservation_id} already has ${total} checked bag(s)`);
  return checkChangePayment(profile, pmId, bagChange(rules, profile.membership, cabin, res, total).price);
}

const DOB = /^\d{4}-\d{2}-\d{2}$/;

/** Policy on passengers: details may change, their number may not. */
export function checkPassengers(rules: AirlineRules, userId: string, res: Reservation, passengers: readonly Passenger[], departures: Readonly<Record<string, string>>): Verdict {
  const base = changeable(rules, userId, res, departures);
  if (!base.ok) return base;
  if (passengers.length !== res.passengers.length) {
    return refuse('passenger_count', `the number of passengers of a reservation cannot change (reservation ${res.reservation_id} has ${res.passengers.length})`);
  }
  if (passengers.some((p) => p.first_name.trim() === '' || p.last_name.trim() === '' || !DOB.test(p.dob))) {
    return refuse('passenger_details', 'each passenger needs a first name, a last name and a date of birth (YYYY-MM-DD)');
  }
  return OK;
}

/** What a compensation decision needs to know about the conversation. */
export interface CompensationFacts {
  issue: 'delayed' | 'cancelled';
  /** The named flight is on the reservation (true when no flight was named). */
  onReservation: boolean;
  /** The flight data does not contradict the customer's account. */
  claimPlausible: boolean;
  /** The reservation was changed or cancelled earlier in this conversation. */
  changedHere: boolean;
  alreadyCompensated: boolean;
}

/** Policy on compensation certificates: the amount, or the rule that forbids it. */
export function checkCompensation(rules: AirlineRules, profile: Profile, res: Reservation, cabin: Cabin, facts: CompensationFacts): Verdict & { amount?: number } {
  if (res.user_id !== profile.user_id) return refuse('reservation_not_owned', `reservation ${res.reservation_id} is not under your profile`);
  if (res.status === 'cancelled' && !facts.changedHere) return refuse('already_cancelled', `reservation ${res.reservation_id} is cancelled`);
  if (!facts.onReservation || !facts.claimPlausible) return refuse('no_disruption', `I could not confirm a ${facts.issue} flight on reservation ${res.reservation_id}`);
  const eligible = profile.membership === 'silver' || profile.membership === 'gold' || res.insurance === 'yes' || cabin === 'business';
  if (!eligible) return refuse('not_eligible', 'compensation is only offered to silver and gold members, to reservations with travel insurance, or in business class');
  if (facts.alreadyCompensated) return refuse('already_compensated', `a certificate was already issued for reservation ${res.reservation_id} today`);
  if (facts.issue === 'delayed' && rules.delayedCompensationNeedsChange && !facts.changedHere) {
    return refuse('delay_without_change', 'for a delayed flight, a certificate can only be offered after the reservation is changed or cancelled');
  }
  const per = facts.issue === 'cancelled' ? rules.certificateCancelled : rules.certificateDelayed;
  return { ok: true, amount: per * res.passengers.length };
}

/** A payment of a booking. */
export interface Payment {
  payment_id: string;
  amount: number;
}

/**
 * Splits a total over the customer's payment methods in the order they named them: each gift card
 * or certificate pays up to its balance, a credit card pays what is left. Methods that end up
 * paying nothing are dropped. Unknown ids are kept with amount 0 (the check then refuses them).
 */
export function allocatePayments(profile: Profile, order: readonly string[], total: number): Payment[] {
  let left = total;
  const amounts = new Map<string, number>();
  const methods = order.map((id) => profile.payment_methods.find((p) => p.id === id));
  methods.forEach((pm, i) => {
    const id = order[i] as string;
    if (pm === undefined || pm.source === 'credit_card') return;
    const pay = Math.max(0, Math.min(pm.amount ?? 0, left));
    amounts.set(id, (amounts.get(id) ?? 0) + pay);
    left -= pay;
  });
  const card = methods.find((pm) => pm?.source === 'credit_card');
  if (card !== undefined && left > 0) amounts.set(card.id, left);
  const out: Payment[] = [];
  for (const id of new Set(order)) {
    const pm = profile.payment_methods.find((p) => p.id === id);
    const amount = amounts.get(id) ?? 0;
    if (pm === undefined) out.push({ payment_id: id, amount: 0 });
    else if (amount > 0) out.push({ payment_id: id, amount });
  }
  return out;
}

/** The price of a booking and its non-free bags. */
export function bookingPrice(
  rules: AirlineRules,
  tier: Tier,
  cabin: Cabin,
  farePerPassenger: number,
  passengers: number,
  totalBaggages: number,
  insurance: boolean,
): { total: number; nonfree: number } {
  const nonfree = Math.max(0, totalBaggages - freeBags(rules, tier, cabin, passengers));
  return { total: farePerPassenger * passengers + (insurance ? rules.insurancePerPassenger * passengers : 0) + rules.extraBagPrice * nonfree, nonfree };
}

/** Policy on a booking's passengers (count, details). */
export function checkBookingPassengers(rules: AirlineRules, passengers: readonly Passenger[], count: number): Verdict {
  const n = Math.max(count, passengers.length);
  if (n > rules.maxPassengers) {
    const reason = `a reservation can have at most ${rules.maxPassengers} passengers (you asked for ${n})`;
    return rules.tooManyPassengers === 'transfer' ? transfer('too_many_passengers', reason) : refuse('too_many_passengers', reason);
  }
  if (passengers.length === 0 || passengers.length !== count || passengers.some((p) => p.first_name.trim() === '' || p.last_name.trim() === '' || !DOB.test(p.dob))) {
    return refuse('passenger_details', 'each passenger needs a first name, a last name and a date of birth (YYYY-MM-DD)');
  }
  return OK;
}

/** Policy on a booking: passengers, flights available with seats, payment methods, limits, balances and total. */
export function checkBooking(
  rules: AirlineRules,
  profile: Profile,
  passengers: readonly Passenger[],
  cabin: Cabin,
  flights: ReadonlyArray<{ flight_number: string; date: string }>,
  offers: OfferIndex,
  payments: readonly Payment[],
  total: number,
): Verdict {
  const pax = checkBookingPassengers(rules, passengers, passengers.length);
  if (!pax.ok) return pax;
  for (const f of flights) {
    const offer = offers[flightKey(f.flight_number, f.date)];
    if (offer === undefined) return refuse('flight_unavailable', `flight ${f.flight_number} on ${f.date} is not available`);
    if (offer.seats[cabin] < passengers.length) return refuse('flight_unavailable', `flight ${f.flight_number} on ${f.date} does not have ${passengers.length} seat(s) left in ${cabin.replace('_', ' ')}`);
  }
  const counts: Record<string, number> = {};
  for (const p of payments) {
    const pm: PaymentMethod | undefined = profile.payment_methods.find((m) => m.id === p.payment_id);
    if (pm === undefined) return refuse('payment_method_not_owned', `payment method ${p.payment_id} is not on your profile`);
    counts[pm.source] = (counts[pm.source] ?? 0) + 1;
    if ((pm.source === 'gift_card' || pm.source === 'certificate') && (pm.amount ?? 0) < p.amount) {
      return refuse('insufficient_balance', `${pm.id} has only $${pm.amount ?? 0}`);
    }
  }
  const limits = rules.paymentLimits;
  if ((counts.certificate ?? 0) > limits.certificate || (counts.credit_card ?? 0) > limits.credit_card || (counts.gift_card ?? 0) > limits.gift_card) {
    return refuse('payment_limits', `a booking can use at most ${limits.certificate} travel certificate, ${limits.credit_card} credit card and ${limits.gift_card} gift cards`);
  }
  const paid = payments.reduce((s, p) => s + p.amount, 0);
  if (paid !== total || payments.length === 0) return refuse('payment_total', `the payment methods given cover $${paid} of the $${total} total`);
  return OK;
}
