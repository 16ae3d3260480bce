/**
 * Policy decisions over the blueprint's context: each `decide*` function reads the facts looked up
 * so far and returns the verdict and, when allowed, the exact write to propose. Decision nodes
 * call them; every write node's `pre` calls {@link recheck}, which decides again and requires the
 * same write, so nothing reaches a tool that the policy code did not allow.
 */
import { stableJson } from '../../src/core/stable-json.js';
import type { AirCtx, Plan } from './context.js';
import {
  allocatePayments,
  bagChange,
  bookingPrice,
  checkBags,
  checkBooking,
  checkCabinChange,
  checkCancel,
  checkCompensation,
  checkFlightChange,
  checkPassengers,
  effectiveCabin,
  flightKey,
  priceFlights,
  updateDifference,
  type PricedFlight,
  type Verdict,
} from './policy.js';
import { directionsOf, money, type Reservation } from './records.js';
import type { Cabin } from './rules.js';
import { cabinName, differenceText, flightsText, passengersText, pmText, priceLines, reservationText } from './text.js';

/** A decision: the verdict, the write to propose when allowed, or a note when the request simply stops (customer's own condition). */
export interface Decision {
  verdict: Verdict;
  plan: Plan | null;
  /** Set when the request is not pursued for a reason that is not a policy refusal. */
  skip?: string;
}

const refused = (verdict: Verdict): Decision => ({ verdict, plan: null });
const bug = (what: string): Decision => refused({ ok: false, outcome: 'refuse', rule: 'out_of_scope', reason: what });

/** The current reservation's effective cabin. */
export function cabinNow(c: Readonly<AirCtx>, res: Reservation): Cabin {
  return effectiveCabin(res, c.cabinOverride);
}

/** Cancelling the current reservation. */
export function decideCancel(c: Readonly<AirCtx>): Decision {
  const res = c.res;
  if (c.req?.kind !== 'cancel' || res === null || c.profile === null) return bug('the reservation is not known');
  const reason = c.req.reason ?? 'other';
  const verdict = checkCancel(c.rules, c.profile.user_id, res, reason, cabinNow(c, res), c.departures, reason === 'airline_cancelled' && c.claimPlausible);
  if (!verdict.ok) return refused(verdict);
  const refund = res.payment_history.reduce((s, p) => s + p.amount, 0);
  return {
    verdict,
    plan: {
      kind: 'cancel',
      reservation_id: res.reservation_id,
      summary: `I will cancel ${reservationText(res, cabinNow(c, res))}. The refund of $${money(refund)} will go back to the original payment methods within 5 to 7 business days.`,
    },
  };
}

/** The cabin the current change request asks for (default: unchanged). */
function targetCabin(c: Readonly<AirCtx>, res: Reservation): Cabin {
  const r = c.req;
  return r !== null && (r.kind === 'change_cabin' || r.kind === 'change_flights') && r.cabin !== null ? r.cabin : cabinNow(c, res);
}

function paymentOf(c: Readonly<AirCtx>): string {
  const r = c.req;
  return r !== null && 'payment_id' in r && r.payment_id !== null ? r.payment_id : '';
}

function updatePlan(c: Readonly<AirCtx>, res: Reservation, cabin: Cabin, priced: PricedFlight[], cabinOnly: boolean): Plan {
  const difference = updateDifference(res, priced);
  const pmId = paymentOf(c);
  const what = cabinOnly
    ? `I will change the cabin of ${reservationText(res, cabinNow(c, res))} to ${cabinName(cabin)} on all flights: ${priceLines(priced)}.`
    : `I will change the flights of ${reservationText(res, cabinNow(c, res))} to ${priceLines(priced)} in ${cabinName(cabin)}.`;
  return { kind: 'update_flights', reservation_id: res.reservation_id, cabin, flights: priced, payment_id: pmId, difference, cabinOnly, summary: `${what} ${differenceText(c.profile, difference, pmId)}` };
}

/** Changing the cabin of every flight of the current reservation. */
export function decideCabin(c: Readonly<AirCtx>): Decision {
  const res = c.res;
  if (res === null || c.profile === null) return bug('the reservation is not known');
  const cabin = targetCabin(c, res);
  const priced = priceFlights(res, res.flights, cabin, c.offers);
  if (priced.flights === null) {
    return refused({ ok: false, outcome: 'refuse', rule: 'flight_unavailable', reason: `flight ${priced.missing.flight_number} on ${priced.missing.date} is not available in ${cabinName(cabin)}` });
  }
  const verdict = checkCabinChange(c.rules, c.profile, res, cabinNow(c, res), cabin, priced.flights, c.offers, paymentOf(c), c.departures);
  return verdict.ok ? { verdict, plan: updatePlan(c, res, cabin, priced.flights, true) } : refused(verdict);
}

/** The new flight list: kept directions' flights plus the chosen options. */
export function newFlights(c: Readonly<AirCtx>, res: Reservation | null): Array<{ flight_number: string; date: string }> {
  const legs = (o: AirCtx['chosen']['outbound']): Array<{ flight_number: string; date: string }> => (o === null ? [] : o.legs.map((l) => ({ flight_number: l.flight_number, date: l.date })));
  if (res === null) return [...legs(c.chosen.outbound), ...legs(c.chosen.return)];
  const out = directionsOf(res);
  const keep = (segs: Reservation['flights']): Array<{ flight_number: string; date: string }> => segs.map((s) => ({ flight_number: s.flight_number, date: s.date }));
  const outbound = c.plannedDates.outbound === null ? keep(out.outbound) : legs(c.chosen.outbound);
  const back = res.flight_type !== 'round_trip' ? [] : c.plannedDates.return === null ? keep(out.back) : legs(c.chosen.return);
  return [...outbound, ...back];
}

/** Flights of the new list whose price must still be looked up. */
export function unpricedFlights(c: Readonly<AirCtx>, flights: ReadonlyArray<{ flight_number: string; date: string }>, cabin: Cabin, res: Reservation | null): Array<{ flight_number: string; date: string }> {
  return flights.filter((f) => {
    if (res !== null && cabin === res.cabin && res.flights.some((o) => o.flight_number === f.flight_number && o.date === f.date)) return false;
    const offer = c.offers[flightKey(f.flight_number, f.date)];
    return offer === undefined || !offer.reliable;
  });
}

/** Changing flights of the current reservation to the chosen options. */
export function decideFlights(c: Readonly<AirCtx>): Decision {
  const res = c.res;
  if (res === null || c.profile === null) return bug('the reservation is not known');
  const cabin = targetCabin(c, res);
  const priced = priceFlights(res, newFlights(c, res), cabin, c.offers);
  if (priced.flights === null) {
    return refused({ ok: false, outcome: 'refuse', rule: 'flight_unavailable', reason: `flight ${priced.missing.flight_number} on ${priced.missing.date} is not available in ${cabinName(cabin)}` });
  }
  const verdict = checkFlightChange(c.rules, c.profile, res, cabinNow(c, res), cabin, priced.flights, c.offers, paymentOf(c), c.departures);
  return verdict.ok ? { verdict, plan: updatePlan(c, res, cabin, priced.flights, false) } : refused(verdict);
}

/** Adding checked bags to the current reservation. */
export function decideBags(c: Readonly<AirCtx>): Decision {
  const res = c.res;
  const r = c.req;
  if (res === null || c.profile === null || r?.kind !== 'change_bags' || r.total_baggages === null) return bug('the reservation is not known');
  const cabin = cabinNow(c, res);
  const pmId = r.payment_id ?? '';
  let verdict = checkBags(c.rules, c.profile, res, cabin, r.total_baggages, pmId, c.departures);
  if (verdict.ok && r.payment_id === null) verdict = { ok: false, outcome: 'refuse', rule: 'payment_method_not_owned', reason: 'adding bags needs a credit card or gift card from your profile, and none was given' };
  if (!verdict.ok) return refused(verdict);
  const { nonfree, price } = bagChange(c.rules, c.profile.membership, cabin, res, r.total_baggages);
  const cost = price > 0 ? `The ${nonfree - res.nonfree_baggages} extra non-free bag(s) cost $${money(price)} ($${c.rules.extraBagPrice} each), charged to your ${pmText(c.profile, pmId)}.` : 'The added bags are within your free allowance, so there is no charge.';
  return {
    verdict,
    plan: {
      kind: 'update_bags',
      reservation_id: res.reservation_id,
      total_baggages: r.total_baggages,
      nonfree_baggages: nonfree,
      payment_id: pmId,
      price,
      summary: `I will update ${reservationText(res, cabin)} to ${r.total_baggages} checked bag(s) in total, ${nonfree} of them non-free. ${cost}`,
    },
  };
}

/** Replacing the passenger details of the current reservation. */
export function decidePassengers(c: Readonly<AirCtx>): Decision {
  const res = c.res;
  const r = c.req;
  if (res === null || c.profile === null || r?.kind !== 'update_passengers') return bug('the reservation is not known');
  const verdict = checkPassengers(c.rules, c.profile.user_id, res, r.passengers, c.departures);
  if (!verdict.ok) return refused(verdict);
  return {
    verdict,
    plan: {
      kind: 'update_passengers',
      reservation_id: res.reservation_id,
      passengers: r.passengers.map((p) => ({ first_name: p.first_name, last_name: p.last_name, dob: p.dob })),
      summary: `I will update the passengers of ${reservationText(res, cabinNow(c, res))} to: ${passengersText(r.passengers)}.`,
    },
  };
}

/** Segments of the current reservation the compensation request is about. */
export function claimedSegments(c: Readonly<AirCtx>): Reservation['flights'] {
  const res = c.res;
  const r = c.req;
  if (res === null || r?.kind !== 'compensation') return [];
  return r.flight_number === null ? res.flights : res.flights.filter((f) => f.flight_number === r.flight_number);
}

/** A compensation certificate for the current reservation. */
export function decideCompensation(c: Readonly<AirCtx>): Decision {
  const res = c.res;
  const r = c.req;
  if (res === null || c.profile === null || r?.kind !== 'compensation') return bug('the reservation is not known');
  const verdict = checkCompensation(c.rules, c.profile, res, cabinNow(c, res), {
    issue: r.issue,
    onReservation: claimedSegments(c).length > 0,
    claimPlausible: c.claimPlausible,
    changedHere: c.changed.includes(res.reservation_id),
    alreadyCompensated: c.compensated.includes(res.reservation_id),
  });
  if (!verdict.ok || verdict.amount === undefined) return refused(verdict);
  const pax = res.passengers.length;
  return {
    verdict: { ok: true },
    plan: {
      kind: 'certificate',
      user_id: c.profile.user_id,
      reservation_id: res.reservation_id,
      amount: verdict.amount,
      summary: `I am sorry about the ${r.issue} flight on reservation ${res.reservation_id}. As a gesture, I can send you a travel certificate of $${money(verdict.amount)} (${pax} passenger${pax === 1 ? '' : 's'} × $${money(verdict.amount / pax)}).`,
    },
  };
}

/** Booking the chosen flights. */
export function decideBooking(c: Readonly<AirCtx>): Decision {
  const r = c.req;
  const profile = c.profile;
  if (r?.kind !== 'book' || profile === null || r.origin === null || r.destination === null || r.cabin === null || r.trip_type === null) return bug('the booking details are incomplete');
  const cabin = r.cabin;
  const flights = newFlights(c, null);
  const offers = flights.map((f) => c.offers[flightKey(f.flight_number, f.date)]);
  if (flights.length === 0 || offers.some((o) => o === undefined || !o.reliable)) {
    return refused({ ok: false, outcome: 'refuse', rule: 'flight_unavailable', reason: 'the chosen flights are no longer available' });
  }
  const fare = offers.reduce((s, o) => s + (o?.prices[cabin] ?? 0), 0);
  if (r.max_fare_per_passenger !== null && fare > r.max_fare_per_passenger) {
    return {
      verdict: { ok: true },
      plan: null,
      skip: `The best matching flights (${flightsText(flights)}) cost $${money(fare)} per passenger in ${cabinName(cabin)}, above your limit of $${money(r.max_fare_per_passenger)}, so I have not booked anything.`,
    };
  }
  const pax = r.passengers.length;
  const { total, nonfree } = bookingPrice(c.rules, profile.membership, cabin, fare, pax, r.total_baggages ?? 0, r.insurance === true);
  const payments = allocatePayments(profile, r.payment_ids, total);
  const passengers = r.passengers.map((p) => ({ first_name: p.first_name, last_name: p.last_name, dob: p.dob }));
  const verdict = checkBooking(c.rules, profile, passengers, cabin, flights, c.offers, payments, total);
  if (!verdict.ok) return refused(verdict);
  const bags = r.total_baggages ?? 0;
  const insurance = r.insurance === true ? `travel insurance ($${c.rules.insurancePerPassenger} per passenger)` : 'no travel insurance';
  const payText = payments.map((p) => `$${money(p.amount)} on your ${pmText(profile, p.payment_id)}`).join(', ');
  return {
    verdict,
    plan: {
      kind: 'book',
      total,
      args: {
        user_id: profile.user_id,
        origin: r.origin,
        destination: r.destination,
        flight_type: r.trip_type,
        cabin,
        flights,
        passengers,
        payment_methods: payments,
        total_baggages: bags,
        nonfree_baggages: nonfree,
        insurance: r.insurance === true ? 'yes' : 'no',
      },
      summary:
        `I will book a ${r.trip_type === 'round_trip' ? 'round trip' : 'one-way trip'} from ${r.origin} to ${r.destination} in ${cabinName(cabin)}: flights ${flightsText(flights)} ` +
        `($${money(fare)} per passenger), for ${passengersText(passengers)}; ${bags} checked bag(s) of which ${nonfree} non-free, ${insurance}. ` +
        `The total is $${money(total)}: ${payText}.`,
    },
  };
}

/** Decides again for the pending write; true only when the policy still allows exactly that write. */
export function recheck(c: Readonly<AirCtx>): boolean {
  const plan = c.plan;
  if (plan === null) return false;
  let d: Decision;
  switch (plan.kind) {
    case 'book':
      d = decideBooking(c);
      break;
    case 'cancel':
      d = decideCancel(c);
      break;
    case 'update_flights':
      d = plan.cabinOnly ? decideCabin(c) : decideFlights(c);
      break;
    case 'update_bags':
      d = decideBags(c);
      break;
    case 'update_passengers':
      d = decidePassengers(c);
      break;
    case 'certificate':
      d = decideCompensation(c);
      break;
  }
  return d.verdict.ok && d.plan !== null && stableJson(d.plan) === stableJson(plan);
}
