import { describe, expect, it } from 'vitest';
import { isClosing, userIdCandidates } from './nodes-conversation.js';
import { quickYesNo } from './nodes-write.js';
import {
  allocatePayments,
  bagChange,
  bookingPrice,
  checkBags,
  checkBooking,
  checkCancel,
  checkChangePayment,
  checkCompensation,
  checkFlightChange,
  checkPassengers,
  flightKey,
  freeBags,
  priceFlights,
  segmentUsed,
  updateDifference,
  type OfferIndex,
} from './policy.js';
import type { FlightOffer, Profile, Reservation } from './records.js';
import { BUILTIN_RULES, TAU2_RULES, TAU_V1_RULES, rulesFor } from './rules.js';

const profile = (membership: Profile['membership'] = 'regular'): Profile => ({
  user_id: 'ann_lee_1234',
  first_name: 'Ann',
  last_name: 'Lee',
  dob: '1980-01-01',
  membership,
  payment_methods: [
    { id: 'credit_card_1', source: 'credit_card', amount: null, brand: 'visa', last_four: '1111' },
    { id: 'credit_card_2', source: 'credit_card', amount: null, brand: 'visa', last_four: '2222' },
    { id: 'gift_card_1', source: 'gift_card', amount: 40, brand: null, last_four: null },
    { id: 'gift_card_2', source: 'gift_card', amount: 100, brand: null, last_four: null },
    { id: 'certificate_1', source: 'certificate', amount: 250, brand: null, last_four: null },
    { id: 'certificate_2', source: 'certificate', amount: 100, brand: null, last_four: null },
  ],
  saved_passengers: [],
  reservations: ['ABC123'],
});

const reservation = (over: Partial<Reservation> = {}): Reservation => ({
  reservation_id: 'ABC123',
  user_id: 'ann_lee_1234',
  origin: 'JFK',
  destination: 'SEA',
  flight_type: 'round_trip',
  cabin: 'economy',
  flights: [
    { flight_number: 'HAT001', date: '2024-05-20', origin: 'JFK', destination: 'SEA', price: 100 },
    { flight_number: 'HAT002', date: '2024-05-25', origin: 'SEA', destination: 'JFK', price: 120 },
  ],
  passengers: [
    { first_name: 'Ann', last_name: 'Lee', dob: '1980-01-01' },
    { first_name: 'Bo', last_name: 'Lee', dob: '1982-02-02' },
  ],
  payment_history: [{ payment_id: 'credit_card_1', amount: 440 }],
  created_at: '2024-05-01T10:00:00',
  total_baggages: 1,
  nonfree_baggages: 0,
  insurance: 'no',
  status: null,
  ...over,
});

const offer = (flight_number: string, date: string, origin: string, destination: string, economy: number, seats = 9): FlightOffer => ({
  flight_number,
  origin,
  destination,
  date,
  depart: '08:00:00',
  arrive: '11:00:00',
  seats: { basic_economy: seats, economy: seats, business: seats },
  prices: { basic_economy: economy - 50, economy, business: economy + 300 },
  reliable: true,
});

const index = (...offers: FlightOffer[]): OfferIndex => Object.fromEntries(offers.map((o) => [flightKey(o.flight_number, o.date), o]));

describe('rules per data source', () => {
  it('picks the built-in policy by its text, else τ² or τ-bench v1 by semantics', () => {
    expect(rulesFor({ policy: '# Hatteras Air: customer service policy', semantics: 'v1' }).id).toBe('builtin');
    expect(rulesFor({ policy: '', semantics: 'v1' }).id).toBe('tau-v1');
    expect(rulesFor({ policy: '# Airline Agent Policy', semantics: 'tau2' }).id).toBe('tau2');
  });

  it('free bags differ where the policies differ', () => {
    expect(freeBags(BUILTIN_RULES, 'silver', 'economy', 2)).toBe(2);
    expect(freeBags(TAU_V1_RULES, 'silver', 'economy', 2)).toBe(4);
    expect(freeBags(TAU_V1_RULES, 'gold', 'business', 1)).toBe(3);
    expect(freeBags(TAU2_RULES, 'gold', 'business', 1)).toBe(4);
    expect(freeBags(BUILTIN_RULES, 'regular', 'basic_economy', 3)).toBe(0);
  });
});

describe('flown segments', () => {
  it('a segment is used before today, or today before 15:00 (unknown time counts as used)', () => {
    const r = TAU_V1_RULES;
    expect(segmentUsed(r, { date: '2024-05-14' }, '23:00:00')).toBe(true);
    expect(segmentUsed(r, { date: '2024-05-16' }, null)).toBe(false);
    expect(segmentUsed(r, { date: '2024-05-15' }, '14:59:00')).toBe(true);
    expect(segmentUsed(r, { date: '2024-05-15' }, '15:00:00')).toBe(false);
    expect(segmentUsed(r, { date: '2024-05-15' }, null)).toBe(true);
  });
});

describe('cancellation', () => {
  const cancel = (res: Reservation, reason: Parameters<typeof checkCancel>[3], rules = TAU_V1_RULES, claim = false) =>
    checkCancel(rules, 'ann_lee_1234', res, reason, res.cabin, {}, claim);

  it('allows each eligibility rule and refuses otherwise', () => {
    expect(cancel(reservation({ created_at: '2024-05-14T16:00:00', cabin: 'basic_economy' }), 'other').ok).toBe(true);
    expect(cancel(reservation(), 'airline_cancelled', TAU_V1_RULES, true).ok).toBe(true);
    expect(cancel(reservation(), 'airline_cancelled', TAU_V1_RULES, false)).toMatchObject({ ok: false, rule: 'not_cancellable' });
    expect(cancel(reservation({ cabin: 'business' }), 'change_of_plans').ok).toBe(true);
    expect(cancel(reservation({ insurance: 'yes' }), 'health').ok).toBe(true);
    expect(cancel(reservation({ insurance: 'yes' }), 'weather').ok).toBe(true);
    expect(cancel(reservation(), 'health')).toMatchObject({ ok: false, outcome: 'refuse', rule: 'not_cancellable' });
  });

  it('reads insurance coverage per policy: τ² also covers a change of plans', () => {
    expect(cancel(reservation({ insurance: 'yes' }), 'change_of_plans', TAU_V1_RULES)).toMatchObject({ ok: false, rule: 'not_cancellable' });
    expect(cancel(reservation({ insurance: 'yes' }), 'change_of_plans', TAU2_RULES).ok).toBe(true);
  });

  it('refuses other members’ and cancelled reservations, and transfers when a segment was flown', () => {
    expect(cancel(reservation({ user_id: 'someone_else_1' }), 'health')).toMatchObject({ rule: 'reservation_not_owned', outcome: 'refuse' });
    expect(cancel(reservation({ status: 'cancelled', cabin: 'business' }), 'health')).toMatchObject({ rule: 'already_cancelled' });
    const flown = reservation({ cabin: 'business', flights: [{ flight_number: 'HAT001', date: '2024-05-10', origin: 'JFK', destination: 'SEA', price: 100 }, ...reservation().flights.slice(1)] });
    expect(cancel(flown, 'health')).toMatchObject({ ok: false, outcome: 'transfer', rule: 'segment_used' });
  });
});

describe('changes', () => {
  it('pays changes with one credit card or a gift card that covers a charge; never a certificate', () => {
    const p = profile();
    expect(checkChangePayment(p, 'certificate_1', 10)).toMatchObject({ rule: 'certificate_for_change' });
    expect(checkChangePayment(p, 'gift_card_1', 41)).toMatchObject({ rule: 'insufficient_balance' });
    expect(checkChangePayment(p, 'gift_card_1', -500).ok).toBe(true);
    expect(checkChangePayment(p, 'credit_card_9', 1)).toMatchObject({ rule: 'payment_method_not_owned' });
  });

  it('prices a new flight list as the update tool does: kept flights keep their price only in the stored cabin', () => {
    const res = reservation();
    const offers = index(offer('HAT001', '2024-05-20', 'JFK', 'SEA', 130), offer('HAT002', '2024-05-25', 'SEA', 'JFK', 150), offer('HAT009', '2024-05-21', 'JFK', 'SEA', 90));
    const keep = priceFlights(res, [{ flight_number: 'HAT009', date: '2024-05-21' }, { flight_number: 'HAT002', date: '2024-05-25' }], 'economy', offers);
    expect(keep.flights?.map((f) => [f.price, f.kept])).toEqual([[90, false], [120, true]]);
    expect(updateDifference(res, keep.flights ?? [])).toBe((90 + 120 - 220) * 2);
    const up = priceFlights(res, res.flights, 'business', offers);
    expect(up.flights?.map((f) => f.price)).toEqual([430, 450]);
    expect(priceFlights(res, [{ flight_number: 'HAT777', date: '2024-05-21' }], 'economy', offers).missing).toEqual({ flight_number: 'HAT777', date: '2024-05-21' });
  });

  it('refuses flight changes in basic economy and changes of origin or destination', () => {
    const p = profile();
    const offers = index(offer('HAT009', '2024-05-21', 'JFK', 'SEA', 90), offer('HAT010', '2024-05-21', 'JFK', 'LAX', 90));
    const res = reservation();
    const good = priceFlights(res, [{ flight_number: 'HAT009', date: '2024-05-21' }, { flight_number: 'HAT002', date: '2024-05-25' }], 'economy', offers).flights ?? [];
    expect(checkFlightChange(TAU_V1_RULES, p, res, 'economy', 'economy', good, offers, 'credit_card_1', {}).ok).toBe(true);
    expect(checkFlightChange(TAU_V1_RULES, p, res, 'basic_economy', 'economy', good, offers, 'credit_card_1', {})).toMatchObject({ rule: 'basic_economy_change' });
    const elsewhere = priceFlights(res, [{ flight_number: 'HAT010', date: '2024-05-21' }, { flight_number: 'HAT002', date: '2024-05-25' }], 'economy', offers).flights ?? [];
    expect(checkFlightChange(TAU_V1_RULES, p, res, 'economy', 'economy', elsewhere, offers, 'credit_card_1', {})).toMatchObject({ rule: 'route_change' });
  });

  it('adds bags (never removes them) at $50 per new non-free bag', () => {
    const res = reservation({ total_baggages: 3, nonfree_baggages: 1 });
    expect(bagChange(TAU_V1_RULES, 'regular', 'economy', res, 5)).toEqual({ nonfree: 3, price: 100 });
    expect(bagChange(TAU_V1_RULES, 'gold', 'economy', res, 5)).toEqual({ nonfree: 1, price: 0 });
    expect(checkBags(TAU_V1_RULES, profile(), res, 'economy', 2, 'credit_card_1', {})).toMatchObject({ rule: 'bags_removed' });
    expect(checkBags(TAU_V1_RULES, profile(), res, 'economy', 3, 'credit_card_1', {})).toMatchObject({ rule: 'nothing_to_change' });
    expect(checkBags(TAU_V1_RULES, profile(), res, 'economy', 5, 'gift_card_1', {})).toMatchObject({ rule: 'insufficient_balance' });
  });

  it('keeps the number of passengers', () => {
    const res = reservation();
    expect(checkPassengers(TAU_V1_RULES, 'ann_lee_1234', res, res.passengers.slice(0, 1), {})).toMatchObject({ rule: 'passenger_count' });
    expect(checkPassengers(TAU_V1_RULES, 'ann_lee_1234', res, [res.passengers[0]!, { first_name: 'Cy', last_name: 'Lee', dob: '1990-03-03' }], {}).ok).toBe(true);
  });
});

describe('compensation', () => {
  const facts = { issue: 'cancelled' as const, onReservation: true, claimPlausible: true, changedHere: false, alreadyCompensated: false };

  it('pays $100 or $50 per passenger to eligible members, insured or business reservations only', () => {
    expect(checkCompensation(TAU_V1_RULES, profile('silver'), reservation(), 'economy', facts)).toMatchObject({ ok: true, amount: 200 });
    expect(checkCompensation(TAU_V1_RULES, profile('regular'), reservation({ insurance: 'yes' }), 'economy', facts)).toMatchObject({ ok: true, amount: 200 });
    expect(checkCompensation(TAU_V1_RULES, profile('regular'), reservation(), 'economy', facts)).toMatchObject({ ok: false, rule: 'not_eligible' });
    expect(checkCompensation(TAU_V1_RULES, profile('gold'), reservation(), 'economy', { ...facts, claimPlausible: false })).toMatchObject({ ok: false, rule: 'no_disruption' });
    expect(checkCompensation(TAU_V1_RULES, profile('gold'), reservation(), 'economy', { ...facts, alreadyCompensated: true })).toMatchObject({ ok: false, rule: 'already_compensated' });
  });

  it('a delayed flight is compensated after a change under τ-bench rules, directly under the built-in policy', () => {
    const delayed = { ...facts, issue: 'delayed' as const };
    expect(checkCompensation(TAU_V1_RULES, profile('gold'), reservation(), 'economy', delayed)).toMatchObject({ ok: false, rule: 'delay_without_change' });
    expect(checkCompensation(TAU_V1_RULES, profile('gold'), reservation(), 'economy', { ...delayed, changedHere: true })).toMatchObject({ ok: true, amount: 100 });
    expect(checkCompensation(BUILTIN_RULES, profile('gold'), reservation(), 'economy', delayed)).toMatchObject({ ok: true, amount: 100 });
  });
});

describe('booking', () => {
  it('splits a total in the customer’s order: balances first, the credit card takes the rest', () => {
    const p = profile();
    expect(allocatePayments(p, ['certificate_1', 'credit_card_1'], 255)).toEqual([{ payment_id: 'certificate_1', amount: 250 }, { payment_id: 'credit_card_1', amount: 5 }]);
    expect(allocatePayments(p, ['gift_card_1', 'gift_card_2', 'credit_card_1'], 120)).toEqual([{ payment_id: 'gift_card_1', amount: 40 }, { payment_id: 'gift_card_2', amount: 80 }]);
    expect(allocatePayments(p, ['certificate_1'], 200)).toEqual([{ payment_id: 'certificate_1', amount: 200 }]);
  });

  it('prices insurance per passenger and bags beyond the allowance', () => {
    expect(bookingPrice(TAU_V1_RULES, 'regular', 'economy', 200, 2, 4, true)).toEqual({ total: 400 + 60 + 100, nonfree: 2 });
    expect(bookingPrice(TAU_V1_RULES, 'gold', 'economy', 200, 2, 4, false)).toEqual({ total: 400, nonfree: 0 });
  });

  it('checks seats, payment limits, balances and the total', () => {
    const p = profile();
    const pax = [{ first_name: 'Ann', last_name: 'Lee', dob: '1980-01-01' }];
    const offers = index(offer('HAT001', '2024-05-20', 'JFK', 'SEA', 100, 1));
    const flights = [{ flight_number: 'HAT001', date: '2024-05-20' }];
    expect(checkBooking(TAU_V1_RULES, p, pax, 'economy', flights, offers, [{ payment_id: 'credit_card_1', amount: 100 }], 100).ok).toBe(true);
    expect(checkBooking(TAU_V1_RULES, p, [...pax, ...pax], 'economy', flights, offers, [{ payment_id: 'credit_card_1', amount: 200 }], 200)).toMatchObject({ rule: 'flight_unavailable' });
    const twoCerts = [{ payment_id: 'certificate_1', amount: 50 }, { payment_id: 'certificate_2', amount: 50 }];
    expect(checkBooking(TAU_V1_RULES, p, pax, 'economy', flights, offers, twoCerts, 100)).toMatchObject({ rule: 'payment_limits' });
    expect(checkBooking(TAU_V1_RULES, p, pax, 'economy', flights, offers, [{ payment_id: 'gift_card_1', amount: 100 }], 100)).toMatchObject({ rule: 'insufficient_balance' });
    expect(checkBooking(TAU_V1_RULES, p, pax, 'economy', flights, offers, [{ payment_id: 'credit_card_1', amount: 90 }], 100)).toMatchObject({ rule: 'payment_total' });
    const six = Array.from({ length: 6 }, () => pax[0]!);
    expect(checkBooking(BUILTIN_RULES, p, six, 'economy', flights, offers, [], 0)).toMatchObject({ outcome: 'transfer', rule: 'too_many_passengers' });
    expect(checkBooking(TAU_V1_RULES, p, six, 'economy', flights, offers, [], 0)).toMatchObject({ outcome: 'refuse', rule: 'too_many_passengers' });
  });
});

describe('reading replies in code', () => {
  it('reads plain yes and no, leaves the rest to the model', () => {
    expect(quickYesNo('Yes, please go ahead.')).toBe('yes');
    expect(quickYesNo('ok')).toBe('yes');
    expect(quickYesNo('No, thanks')).toBe('no');
    expect(quickYesNo('yes but not the return flight')).toBeNull();
    expect(quickYesNo('Hmm, how much is it?')).toBeNull();
  });

  it('finds user ids and closing replies', () => {
    expect(userIdCandidates('My name is Mia Li. My user id is mia_li_3668.')).toEqual(['mia_li_3668']);
    expect(userIdCandidates("It's 'daiki_muller_1116'")).toEqual(['daiki_muller_1116']);
    expect(userIdCandidates('no id here_1')).toEqual([]);
    expect(isClosing("No, that's all. Thanks!")).toBe(true);
    expect(isClosing('Also, I want to add a bag.')).toBe(false);
  });
});
