/**
 * The request flows: cancel, change flights (plan → search → choose → price → check), change
 * cabin, bags, passengers, booking, compensation, information answers, transfers and requests
 * outside the policy. Each flow looks facts up, then a decision node applies the policy code
 * (`decide.ts`) and hands over to `verdict_route` (confirm, refuse or transfer).
 */
import type { BlueprintNode, NodeFactory } from '../../src/blueprint/index.js';
import { finish, requestReservation, type AirCtx, type DirectionOptions } from './context.js';
import { cabinNow, claimedSegments, decideBags, decideBooking, decideCabin, decideCancel, decideCompensation, decideFlights, decidePassengers, newFlights, unpricedFlights, type Decision } from './decide.js';
import { direct, remember, searchStage } from './nodes-lookup.js';
import { checkBookingPassengers, flightKey, freeBags, segmentUsed } from './policy.js';
import { money, parseReservation, type FlightOption, type FlightRef, type Reservation } from './records.js';
import { chooseAnswer, planAnswer, SUBTASKS } from './requests.js';
import type { Cabin } from './rules.js';
import { cabinName, reservationText } from './text.js';

function apply(c: AirCtx, d: Decision): void {
  c.verdict = d.verdict;
  c.plan = d.plan;
  c.skipNote = d.skip ?? null;
}

/** The cabin and passenger count the options are for. */
function tripNeeds(c: Readonly<AirCtx>): { cabin: Cabin; pax: number } {
  const r = c.req;
  if (r?.kind === 'book') return { cabin: r.cabin ?? 'economy', pax: r.passengers.length };
  const res = c.res;
  const cabin = r !== null && (r.kind === 'change_flights' || r.kind === 'change_cabin') && r.cabin !== null ? r.cabin : res === null ? 'economy' : cabinNow(c, res);
  return { cabin, pax: res?.passengers.length ?? 1 };
}

/** The directions to choose flights for, with their searched route and date. */
function wantedDirections(c: Readonly<AirCtx>): Array<Omit<DirectionOptions, 'options'>> {
  const r = c.req;
  if (r?.kind === 'book') {
    const out: Array<Omit<DirectionOptions, 'options'>> = [{ direction: 'outbound', origin: r.origin ?? '', destination: r.destination ?? '', date: r.depart_date ?? '' }];
    if (r.trip_type === 'round_trip') out.push({ direction: 'return', origin: r.destination ?? '', destination: r.origin ?? '', date: r.return_date ?? '' });
    return out;
  }
  const res = c.res;
  if (res === null) return [];
  const out: Array<Omit<DirectionOptions, 'options'>> = [];
  if (c.plannedDates.outbound !== null) out.push({ direction: 'outbound', origin: res.origin, destination: res.destination, date: c.plannedDates.outbound });
  if (res.flight_type === 'round_trip' && c.plannedDates.return !== null) out.push({ direction: 'return', origin: res.destination, destination: res.origin, date: c.plannedDates.return });
  return out;
}

function optionSearches(c: AirCtx): void {
  c.jobs = wantedDirections(c).flatMap((d) => [
    direct(d.origin, d.destination, d.date, 'options', null, d.direction),
    { tool: 'onestop' as const, origin: d.origin, destination: d.destination, date: d.date, purpose: 'options' as const, direction: d.direction, flight: null },
  ]);
}

function bookable(c: Readonly<AirCtx>, legs: readonly FlightRef[], cabin: Cabin, pax: number): boolean {
  return legs.every((l) => {
    const o = c.offers[flightKey(l.flight_number, l.date)];
    return o !== undefined && o.seats[cabin] >= pax && o.prices[cabin] >= 0;
  });
}

/** A compact view of an option for the chooser. */
function optionView(c: Readonly<AirCtx>, o: FlightOption, cabin: Cabin): unknown {
  const legs = o.legs.map((l) => c.offers[flightKey(l.flight_number, l.date)]);
  return {
    id: o.id,
    stops: o.legs.length - 1,
    flights: legs.map((l) => ({ flight_number: l?.flight_number, date: l?.date, from: l?.origin, to: l?.destination, depart: l?.depart, arrive: l?.arrive })),
    price_per_passenger: legs.reduce((s, l) => s + (l?.prices[cabin] ?? 0), 0),
  };
}

function resView(c: Readonly<AirCtx>, res: Reservation): unknown {
  return {
    reservation_id: res.reservation_id,
    flight_type: res.flight_type,
    origin: res.origin,
    destination: res.destination,
    cabin: cabinNow(c, res),
    passengers: res.passengers.length,
    flights: res.flights.map((f) => ({ flight_number: f.flight_number, date: f.date, from: f.origin, to: f.destination })),
  };
}

function freeBagsAnswer(c: Readonly<AirCtx>, res: Reservation): string {
  const cabin = cabinNow(c, res);
  const tier = c.profile?.membership ?? 'regular';
  const per = c.rules.freeBags[tier][cabin];
  const total = freeBags(c.rules, tier, cabin, res.passengers.length);
  return `Reservation ${res.reservation_id} is in ${cabinName(cabin)} with ${res.passengers.length} passenger(s); as a ${tier} member you get ${per} free checked bag(s) per passenger, so ${total} free checked bags in total. It currently has ${res.total_baggages} checked bag(s). Each extra bag costs $${c.rules.extraBagPrice}.`;
}

/** Nodes: one flow per kind of request, each ending in a decision (`verdict_route`) or a note. */
export function flowNodes(n: NodeFactory<AirCtx>): BlueprintNode<AirCtx>[] {
  return [
    n.route('dispatch', {
      description: 'each kind of request to its flow',
      targets: ['book_start', 'res_cached', 'comp_each', 'info_profile', 'fare_search', 'status_prepare', 'upcoming_each', 'transfer_request', 'other_request'],
      choose: (c) => {
        const r = c.req;
        switch (r?.kind) {
          case 'book':
            return 'book_start';
          case 'compensation':
            return r.reservation_id === null ? 'comp_each' : 'res_cached';
          case 'info':
            if (r.topic === 'gift_card_balance' || r.topic === 'certificate_balance') return 'info_profile';
            if (r.topic === 'cheapest_fare') return 'fare_search';
            if (r.topic === 'upcoming_total') return 'upcoming_each';
            if (r.topic === 'flight_status' && r.reservation_id === null) return 'status_prepare';
            return 'res_cached';
          case 'transfer':
            return 'transfer_request';
          case 'other':
          case undefined:
            return 'other_request';
          default:
            return 'res_cached';
        }
      },
    }),

    // ---- cancel: the reason was asked; an "airline cancelled my flight" claim is checked against the flight data
    n.code('cancel_check', {
      run: (c) => {
        c.claimPlausible = false;
        const d = decideCancel(c);
        apply(c, d);
        const res = c.res as Reservation;
        c.jobs =
          c.req?.kind === 'cancel' && c.req.reason === 'airline_cancelled' && !d.verdict.ok && d.verdict.rule === 'not_cancellable'
            ? res.flights.filter((f) => f.date >= c.rules.today).map((f) => direct(f.origin, f.destination, f.date, 'claim', f.flight_number))
            : [];
      },
      next: 'cancel_verify',
    }),
    n.branch('cancel_verify', { test: (c) => c.jobs.length > 0, then: 'claim_search', else: 'verdict_route' }),
    ...searchStage(n, 'claim_search', 'cancel_claim', "is a flight the customer says was cancelled listed as available?"),
    n.code('cancel_claim', {
      description: 'a cancelled flight is not listed as available on its date',
      run: (c) => {
        const res = c.res as Reservation;
        c.claimPlausible = res.flights.some((f) => c.offers[flightKey(f.flight_number, f.date)] === undefined);
        apply(c, decideCancel(c));
      },
      next: 'verdict_route',
    }),

    // ---- change flights: which directions change (sub-task), search, choose (sub-task), price, check
    n.llm('plan_change', {
      task: SUBTASKS.planFlightChange,
      instructions:
        'The customer wants to change flights of this reservation. For each direction, give the date of the new flights if it changes, or null to keep the current flights. A one-way trip has no return.',
      input: (c) => ({ reservation: c.res === null ? null : resView(c, c.res), requested_cabin: c.req !== null && 'cabin' in c.req ? c.req.cabin : null, customer_messages: c.texts }),
      schema: planAnswer,
      check: (out, c) => (c.res?.flight_type !== 'round_trip' && out.return_date !== null ? 'this reservation is one way: return_date must be null' : undefined),
      onResult: (c, out) => {
        c.plannedDates = { outbound: out.outbound_date, return: c.res?.flight_type === 'round_trip' ? out.return_date : null };
      },
      next: 'change_plan_route',
      fallback: 'change_unclear',
    }),
    n.route('change_plan_route', {
      targets: ['flights_search', 'cabin_prices', 'nothing_to_change'],
      choose: (c) => {
        if (c.plannedDates.outbound !== null || c.plannedDates.return !== null) return 'flights_search';
        const res = c.res as Reservation;
        return tripNeeds(c).cabin !== cabinNow(c, res) ? 'cabin_prices' : 'nothing_to_change';
      },
    }),
    n.code('nothing_to_change', {
      run: (c) => {
        c.notes.push(`Your request would leave reservation ${requestReservation(c) ?? ''} unchanged, so I have not changed anything.`);
        finish(c, 'unclear', 'no change requested');
      },
      next: 'request_done',
    }),
    n.code('change_unclear', {
      run: (c) => {
        c.notes.push(`I could not work out which flights of reservation ${requestReservation(c) ?? ''} you want to change, so I have not changed anything.`);
        finish(c, 'unclear', 'change plan unclear');
      },
      next: 'request_done',
    }),
    n.code('flights_search', {
      run: (c) => {
        const res = c.res as Reservation;
        c.verdict =
          cabinNow(c, res) === 'basic_economy'
            ? { ok: false, outcome: 'refuse', rule: 'basic_economy_change', reason: `the flights of reservation ${res.reservation_id} cannot be changed because it is in basic economy (its cabin can still be changed)` }
            : null;
        if (c.verdict === null) optionSearches(c);
      },
      next: 'flights_search_route',
    }),
    n.branch('flights_search_route', { test: (c) => c.verdict !== null, then: 'verdict_route', else: 'option_search' }),
    ...searchStage(n, 'option_search', 'options_ready', 'direct and one-stop flights per direction', true),

    // ---- options for each direction (shared by booking and flight changes)
    n.code('options_ready', {
      description: 'available flights with enough seats, per direction',
      run: (c) => {
        const { cabin, pax } = tripNeeds(c);
        c.directions = wantedDirections(c).map((d) => {
          const seen = new Set<string>();
          const options: FlightOption[] = [];
          for (const legs of c.found[d.direction]) {
            const key = legs.map((l) => flightKey(l.flight_number, l.date)).join('+');
            if (seen.has(key) || !bookable(c, legs, cabin, pax)) continue;
            seen.add(key);
            options.push({ id: `${d.direction === 'outbound' ? 'A' : 'B'}${options.length + 1}`, legs });
          }
          return { ...d, options };
        });
      },
      next: 'have_options',
    }),
    n.branch('have_options', { test: (c) => c.directions.length > 0 && c.directions.every((d) => d.options.length > 0), then: 'choose_flights', else: 'no_flights' }),
    n.code('no_flights', {
      run: (c) => {
        const empty = c.directions.filter((d) => d.options.length === 0).map((d) => `from ${d.origin} to ${d.destination} on ${d.date}`);
        c.notes.push(`I am sorry, but I could not find available flights ${empty.join(' or ') || 'for that trip'} with enough seats, so I have not ${c.req?.kind === 'book' ? 'booked' : 'changed'} anything.`);
        finish(c, 'failed', 'no available flights');
      },
      next: 'request_done',
    }),
    n.llm('choose_flights', {
      task: SUBTASKS.chooseFlights,
      instructions: 'Pick, for each direction, the option that matches what the customer asked for (times, stops, price preference). Use only the listed option ids; null if none fits.',
      input: (c) => {
        const { cabin, pax } = tripNeeds(c);
        return {
          purpose: c.req?.kind === 'book' ? 'book' : 'change',
          cabin,
          passengers: pax,
          ...(c.req?.kind === 'book' || c.res === null ? {} : { reservation: resView(c, c.res) }),
          directions: c.directions.map((d) => ({ direction: d.direction, from: d.origin, to: d.destination, date: d.date, options: d.options.map((o) => optionView(c, o, cabin)) })),
          customer_messages: c.texts,
        };
      },
      schema: chooseAnswer,
      check: (out, c) => {
        for (const d of c.directions) {
          const pick = out.choices.find((x) => x.direction === d.direction);
          if (pick === undefined) return `give a choice for the ${d.direction} direction`;
          if (pick.option_id !== null && !d.options.some((o) => o.id === pick.option_id)) return `option "${pick.option_id}" is not listed for the ${d.direction} direction`;
        }
        return undefined;
      },
      onResult: (c, out) => {
        for (const d of c.directions) {
          const id = out.choices.find((x) => x.direction === d.direction)?.option_id ?? null;
          c.chosen[d.direction] = d.options.find((o) => o.id === id) ?? null;
        }
      },
      next: 'chosen_route',
      fallback: 'no_choice',
    }),
    n.route('chosen_route', {
      targets: ['no_choice', 'book_prices', 'flights_prices'],
      choose: (c) => (c.directions.some((d) => c.chosen[d.direction] === null) ? 'no_choice' : c.req?.kind === 'book' ? 'book_prices' : 'flights_prices'),
    }),
    n.code('no_choice', {
      run: (c) => {
        c.notes.push(`None of the available flights fits your request, so I have not ${c.req?.kind === 'book' ? 'booked' : 'changed'} anything.`);
        finish(c, 'declined', 'no listed option (flights between the reservation\'s own airports on the planned dates) was chosen');
      },
      next: 'request_done',
    }),
    n.code('flights_prices', {
      description: 'look up prices not known reliably yet (kept flights in a new cabin, later legs of connections)',
      run: (c) => {
        const res = c.res as Reservation;
        const flights = newFlights(c, res);
        const { cabin } = tripNeeds(c);
        c.jobs = unpricedFlights(c, flights, cabin, res).map((f) => {
          const seg = res.flights.find((s) => s.flight_number === f.flight_number) ?? Object.values(c.offers).find((o) => o.flight_number === f.flight_number);
          return direct(seg?.origin ?? '', seg?.destination ?? '', f.date, 'price', f.flight_number);
        });
      },
      next: 'flights_price_route',
    }),
    n.branch('flights_price_route', { test: (c) => c.jobs.length > 0, then: 'flight_price_search', else: 'flights_check' }),
    ...searchStage(n, 'flight_price_search', 'flights_check', 'current prices of the new flight list'),
    n.code('flights_check', { run: (c) => apply(c, decideFlights(c)), next: 'verdict_route' }),

    // ---- change cabin (every flight, same flights)
    n.code('cabin_prices', {
      run: (c) => {
        const res = c.res as Reservation;
        const { cabin } = tripNeeds(c);
        c.verdict = cabin === cabinNow(c, res) ? { ok: false, outcome: 'refuse', rule: 'same_cabin', reason: `reservation ${res.reservation_id} is already in ${cabinName(cabin)}` } : null;
        c.jobs = c.verdict !== null ? [] : unpricedFlights(c, res.flights, cabin, null).map((f) => {
                const seg = res.flights.find((s) => s.flight_number === f.flight_number && s.date === f.date);
                return direct(seg?.origin ?? '', seg?.destination ?? '', f.date, 'price', f.flight_number);
              });
      },
      next: 'cabin_price_route',
    }),
    n.route('cabin_price_route', { targets: ['verdict_route', 'cabin_price_search', 'cabin_check'], choose: (c) => (c.verdict !== null ? 'verdict_route' : c.jobs.length > 0 ? 'cabin_price_search' : 'cabin_check') }),
    ...searchStage(n, 'cabin_price_search', 'cabin_check', 'prices and seats of every flight in the new cabin'),
    n.code('cabin_check', { run: (c) => apply(c, decideCabin(c)), next: 'verdict_route' }),

    // ---- bags and passengers
    n.code('bags_check', { run: (c) => apply(c, decideBags(c)), next: 'verdict_route' }),
    n.code('pax_check', { run: (c) => apply(c, decidePassengers(c)), next: 'verdict_route' }),

    // ---- booking
    n.code('book_start', {
      run: (c) => {
        const r = c.req;
        if (r?.kind !== 'book') return;
        const v = checkBookingPassengers(c.rules, r.passengers, r.passenger_count ?? r.passengers.length);
        c.verdict = v.ok ? null : v;
        if (v.ok) optionSearches(c);
      },
      next: 'book_search_route',
    }),
    n.branch('book_search_route', { test: (c) => c.verdict !== null, then: 'verdict_route', else: 'option_search' }),
    n.code('book_prices', {
      run: (c) => {
        const { cabin } = tripNeeds(c);
        c.jobs = unpricedFlights(c, newFlights(c, null), cabin, null).map((f) => {
          const o = Object.values(c.offers).find((x) => x.flight_number === f.flight_number);
          return direct(o?.origin ?? '', o?.destination ?? '', f.date, 'price', f.flight_number);
        });
      },
      next: 'book_price_route',
    }),
    n.branch('book_price_route', { test: (c) => c.jobs.length > 0, then: 'book_price_search', else: 'book_check' }),
    ...searchStage(n, 'book_price_search', 'book_check', 'prices of connection legs on a later date'),
    n.code('book_check', { run: (c) => apply(c, decideBooking(c)), next: 'verdict_route' }),

    // ---- compensation: find the reservation with the named flight when no id was given
    n.foreach('comp_each', {
      description: "scan the customer's reservations for the named flight",
      maxIterations: 12,
      items: (c) => c.profile?.reservations ?? [],
      bind: (c, id: string) => {
        c.scanId = id;
      },
      body: 'comp_scan',
      exit: 'comp_located',
      onExhausted: 'comp_located',
    }),
    n.code('comp_scan', {
      run: (c) => {
        const cached = c.scanId === null ? undefined : c.resCache[c.scanId];
        if (c.res === null && cached !== undefined && hasFlight(c, cached)) c.res = cached;
      },
      next: 'comp_need_fetch',
    }),
    n.branch('comp_need_fetch', { test: (c) => c.res === null && c.scanId !== null && c.resCache[c.scanId] === undefined, then: 'comp_fetch', else: 'comp_each' }),
    n.tool('comp_fetch', {
      tool: 'get_reservation_details',
      args: { reservation_id: (c) => c.scanId ?? '' },
      onResult: (c, r) => {
        const res = r.error ? null : parseReservation(r.json());
        if (res === null) return;
        remember(c, res);
        if (hasFlight(c, res)) c.res = res;
      },
      next: 'comp_each',
    }),
    n.branch('comp_located', { test: (c) => c.res !== null, then: 'res_ready', else: 'comp_not_found' }),
    n.code('comp_not_found', {
      run: (c) => {
        const f = c.req?.kind === 'compensation' ? c.req.flight_number : null;
        c.notes.push(`I could not find ${f === null ? 'that flight' : `flight ${f}`} in your active reservations, so I cannot offer compensation for it.`);
        finish(c, 'refused', 'flight not found', 'no_disruption');
      },
      next: 'request_done',
    }),
    n.code('comp_check', {
      description: 'eligibility first; then confirm the disruption against the flight data',
      run: (c) => {
        c.claimPlausible = true;
        const d = decideCompensation(c);
        apply(c, d);
        c.jobs = d.verdict.ok ? claimedSegments(c).map((s) => direct(s.origin, s.destination, s.date, 'claim', s.flight_number)) : [];
      },
      next: 'comp_verify',
    }),
    n.branch('comp_verify', { test: (c) => c.jobs.length > 0, then: 'comp_claim_search', else: 'verdict_route' }),
    ...searchStage(n, 'comp_claim_search', 'comp_decide', 'is the delayed or cancelled flight listed as available?'),
    n.code('comp_decide', {
      description: 'a delayed or cancelled flight is not listed as available on its date',
      run: (c) => {
        c.claimPlausible = claimedSegments(c).some((s) => c.offers[flightKey(s.flight_number, s.date)] === undefined);
        apply(c, decideCompensation(c));
      },
      next: 'verdict_route',
    }),

    // ---- information, answered from looked-up facts
    n.code('info_profile', {
      run: (c) => {
        const r = c.req;
        const source = r?.kind === 'info' && r.topic === 'certificate_balance' ? 'certificate' : 'gift_card';
        const pms = (c.profile?.payment_methods ?? []).filter((p) => p.source === source);
        const label = source === 'certificate' ? 'travel certificates' : 'gift cards';
        const total = pms.reduce((s, p) => s + (p.amount ?? 0), 0);
        c.notes.push(pms.length === 0 ? `You have no ${label} on your profile.` : `Your ${label}: ${pms.map((p) => `${p.id} $${money(p.amount ?? 0)}`).join(', ')}; total balance $${money(total)}.`);
        finish(c, 'answered', `${label} total ${money(total)}`);
      },
      next: 'request_done',
    }),
    n.code('fare_search', {
      run: (c) => {
        const r = c.req;
        c.jobs = r?.kind === 'info' ? [direct(r.origin ?? '', r.destination ?? '', r.date ?? '', 'fare')] : [];
      },
      next: 'fare_lookup',
    }),
    ...searchStage(n, 'fare_lookup', 'fare_answer', 'direct flights of the route and date'),
    n.code('fare_answer', {
      run: (c) => {
        const r = c.req;
        if (r?.kind !== 'info') return;
        const cabin = r.cabin ?? 'economy';
        const offers = Object.values(c.offers).filter((o) => o.origin === r.origin && o.destination === r.destination && o.date === r.date && o.reliable && o.seats[cabin] > 0);
        const best = offers.sort((a, b) => a.prices[cabin] - b.prices[cabin] || a.depart.localeCompare(b.depart))[0];
        c.notes.push(
          best === undefined
            ? `There are no available direct flights from ${r.origin ?? ''} to ${r.destination ?? ''} on ${r.date ?? ''} in ${cabinName(cabin)}.`
            : `The cheapest direct ${cabinName(cabin)} fare from ${r.origin ?? ''} to ${r.destination ?? ''} on ${r.date ?? ''} is $${money(best.prices[cabin])} per passenger (flight ${best.flight_number}, departing ${best.depart}).`,
        );
        finish(c, 'answered', best === undefined ? 'no flights' : `fare ${best.prices[cabin]}`);
      },
      next: 'request_done',
    }),
    n.code('status_prepare', {
      description: "the flight's route: from the reservation, or as the customer gave it",
      run: (c) => {
        const r = c.req;
        if (r?.kind !== 'info') return;
        const seg = c.res?.flights.find((f) => f.flight_number === r.flight_number);
        const origin = seg?.origin ?? r.origin;
        const destination = seg?.destination ?? r.destination;
        c.jobs = origin === null || destination === null ? [] : [direct(origin, destination, r.date ?? seg?.date ?? '', 'fare', r.flight_number)];
      },
      next: 'status_known',
    }),
    n.branch('status_known', { test: (c) => c.jobs.length > 0, then: 'status_lookup', else: 'status_answer' }),
    ...searchStage(n, 'status_lookup', 'status_answer', 'is the flight listed on its date?'),
    n.code('status_answer', {
      description: 'what the search tools can tell about a flight',
      run: (c) => {
        const r = c.req;
        if (r?.kind !== 'info') return;
        const date = r.date ?? '';
        const o = c.offers[flightKey(r.flight_number ?? '', date)];
        c.notes.push(
          c.jobs.length === 0
            ? `I could not find flight ${r.flight_number ?? ''} on your reservations, so I cannot look it up.`
            : o !== undefined
              ? `Flight ${o.flight_number} from ${o.origin} to ${o.destination} on ${date} is scheduled to depart at ${o.depart} and arrive at ${o.arrive} (EST); it is still open for booking.`
              : `Flight ${r.flight_number ?? ''} on ${date} is not open for booking any more (it may have departed, be delayed or be cancelled); my tools do not show its live status.`,
        );
        finish(c, 'answered', `status ${r.flight_number ?? ''}`);
      },
      next: 'request_done',
    }),
    n.foreach('upcoming_each', {
      description: "read every reservation of the customer",
      maxIterations: 12,
      items: (c) => c.profile?.reservations ?? [],
      bind: (c, id: string) => {
        c.scanId = id;
      },
      body: 'upcoming_need',
      exit: 'upcoming_answer',
      onExhausted: 'upcoming_answer',
    }),
    n.branch('upcoming_need', { test: (c) => c.scanId !== null && c.resCache[c.scanId] === undefined, then: 'upcoming_fetch', else: 'upcoming_each' }),
    n.tool('upcoming_fetch', {
      tool: 'get_reservation_details',
      args: { reservation_id: (c) => c.scanId ?? '' },
      onResult: (c, r) => {
        const res = r.error ? null : parseReservation(r.json());
        if (res !== null) remember(c, res);
      },
      next: 'upcoming_each',
    }),
    n.code('upcoming_answer', {
      description: 'upcoming reservations: not cancelled, nothing flown; their cost is what was paid',
      run: (c) => {
        const upcoming = (c.profile?.reservations ?? [])
          .map((id) => c.resCache[id])
          .filter((r): r is Reservation => r !== undefined && r.status !== 'cancelled' && r.user_id === c.profile?.user_id && !r.flights.some((f) => segmentUsed(c.rules, f, c.departures[f.flight_number] ?? null)));
        const paid = (r: Reservation): number => r.payment_history.reduce((s, p) => s + p.amount, 0);
        const total = upcoming.reduce((s, r) => s + paid(r), 0);
        c.notes.push(
          upcoming.length === 0
            ? 'You have no upcoming reservations.'
            : `Your upcoming reservations: ${upcoming.map((r) => `${r.reservation_id} ($${money(paid(r))})`).join(', ')}; their total cost is $${money(total)}.`,
        );
        finish(c, 'answered', `upcoming total ${money(total)}`);
      },
      next: 'request_done',
    }),
    n.code('info_answer', {
      run: (c) => {
        const res = c.res as Reservation;
        const r = c.req;
        if (r?.kind === 'info' && r.topic === 'free_bags') {
          c.notes.push(freeBagsAnswer(c, res));
        } else {
          const status = res.status === 'cancelled' ? ' It is cancelled.' : '';
          c.notes.push(`Here are the details of ${reservationText(res, cabinNow(c, res))}: passengers ${res.passengers.map((p) => `${p.first_name} ${p.last_name}`).join(', ')}; ${res.total_baggages} checked bag(s); travel insurance: ${res.insurance}.${status}`);
        }
        finish(c, 'answered', r?.kind === 'info' ? r.topic : 'info');
      },
      next: 'request_done',
    }),

    // ---- transfers and requests the policy does not cover
    n.code('transfer_request', {
      run: (c) => {
        const topic = c.req?.kind === 'transfer' ? c.req.topic.replace(/_/g, ' ') : 'a request';
        c.transfers.push(`The customer needs help with ${topic}, which I cannot handle with my tools.`);
        finish(c, 'transfer', topic, 'out_of_scope');
      },
      next: 'request_done',
    }),
    n.code('other_request', {
      run: (c) => {
        c.notes.push('I am sorry, but that is not something I can do under our policy.');
        finish(c, 'refused', c.req?.kind === 'other' ? c.req.summary : 'unknown request', 'out_of_scope');
      },
      next: 'request_done',
    }),
  ];
}

function hasFlight(c: Readonly<AirCtx>, res: Reservation): boolean {
  const r = c.req;
  if (r?.kind !== 'compensation' || res.user_id !== c.profile?.user_id) return false;
  return r.flight_number === null || res.flights.some((f) => f.flight_number === r.flight_number);
}
