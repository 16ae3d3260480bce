/**
 * The airline blueprint's context: one plain, JSON-serialisable object per run (every node's
 * changes to it are logged). Per-request working state is reset between requests.
 */
import type { RunInfo } from '../../src/blueprint/index.js';
import type { Payment, PricedFlight, Verdict } from './policy.js';
import type { FlightOffer, FlightOption, FlightRef, Passenger, Profile, Reservation } from './records.js';
import type { Request } from './requests.js';
import { rulesFor, type AirlineRules, type Cabin } from './rules.js';

/** A flight search to run. `purpose` says what its result is for. */
export interface SearchJob {
  tool: 'direct' | 'onestop';
  origin: string;
  destination: string;
  date: string;
  purpose: 'options' | 'price' | 'time' | 'claim' | 'fare';
  direction: 'outbound' | 'return' | null;
  /** The one flight the search is for (its offer alone is kept), or null to keep every offer. */
  flight: string | null;
}

/** The flights offered for one direction of a trip. */
export interface DirectionOptions {
  direction: 'outbound' | 'return';
  origin: string;
  destination: string;
  date: string;
  options: FlightOption[];
}

/** Arguments of `book_reservation`, in the tool's order. */
export interface BookArgs {
  user_id: string;
  origin: string;
  destination: string;
  flight_type: 'one_way' | 'round_trip';
  cabin: Cabin;
  flights: Array<{ flight_number: string; date: string }>;
  passengers: Passenger[];
  payment_methods: Payment[];
  total_baggages: number;
  nonfree_baggages: number;
  insurance: 'yes' | 'no';
}

/** A write waiting for the customer's yes. */
export type Plan =
  | { kind: 'book'; args: BookArgs; total: number; summary: string }
  | { kind: 'cancel'; reservation_id: string; summary: string }
  | {
      kind: 'update_flights';
      reservation_id: string;
      cabin: Cabin;
      flights: PricedFlight[];
      payment_id: string;
      difference: number;
      cabinOnly: boolean;
      summary: string;
    }
  | { kind: 'update_bags'; reservation_id: string; total_baggages: number; nonfree_baggages: number; payment_id: string; price: number; summary: string }
  | { kind: 'update_passengers'; reservation_id: string; passengers: Passenger[]; summary: string }
  | { kind: 'certificate'; user_id: string; reservation_id: string; amount: number; summary: string };

/** How one request ended (kept for the wrap-up, re-parsing, and reports). */
export interface Outcome {
  kind: Request['kind'];
  reservation_id: string | null;
  result: 'done' | 'refused' | 'transfer' | 'declined' | 'failed' | 'answered' | 'unclear';
  rule: string | null;
  detail: string;
}

/** The airline blueprint's context. */
export interface AirCtx {
  rules: AirlineRules;
  /** v1 loop semantics (the transfer tool ends the episode). */
  v1: boolean;
  /** Everything the customer said, in order. */
  texts: string[];
  // ---- identity
  userId: string | null;
  profile: Profile | null;
  askedId: boolean;
  idCandidate: string | null;
  triedIds: string[];
  /** Index of the last customer message the id extraction sub-task has read. */
  idReadUpTo: number;
  // ---- requests
  requests: Request[];
  req: Request | null;
  missing: string[];
  /** How many times the current request's missing details were asked for. */
  asks: number;
  outcomes: Outcome[];
  // ---- facts looked up
  res: Reservation | null;
  /** Reservations read (or returned by a write) in this conversation, latest state. */
  resCache: Record<string, Reservation>;
  /** The reservation being scanned while looking for a flight the customer named. */
  scanId: string | null;
  /** Cabin of a reservation after a cabin change the stored record does not show (v1). */
  cabinOverride: Record<string, Cabin>;
  /** Scheduled departure times by `flight@date`. */
  departures: Record<string, string>;
  /** Flight offers seen while handling the current request, by `flight@date`. */
  offers: Record<string, FlightOffer>;
  /** Reservations changed or cancelled in this conversation. */
  changed: string[];
  compensated: string[];
  // ---- searches
  jobs: SearchJob[];
  job: SearchJob | null;
  /** Connections found by the option searches, per direction (offers in `offers`). */
  found: { outbound: FlightRef[][]; return: FlightRef[][] };
  // ---- flight choice
  plannedDates: { outbound: string | null; return: string | null };
  directions: DirectionOptions[];
  chosen: { outbound: FlightOption | null; return: FlightOption | null };
  /** The customer's claim about a flight is consistent with the flight data. */
  claimPlausible: boolean;
  // ---- confirmation and writes
  plan: Plan | null;
  verdict: Verdict | null;
  /** Set when a request stops for the customer's own condition (not a policy refusal): what to tell them. */
  skipNote: string | null;
  reply: string;
  answer: 'yes' | 'no' | null;
  /** Money moved by writes: positive charged, negative refunded. */
  ledger: Array<{ payment_id: string; amount: number }>;
  /** Said with the next message. */
  notes: string[];
  /** Summaries of requests that need a human agent. */
  transfers: string[];
  finished: boolean;
}

/** A fresh context for a run. */
export function newContext(info: RunInfo): AirCtx {
  return {
    rules: rulesFor(info),
    v1: info.semantics === 'v1',
    texts: info.firstUserMessage === null ? [] : [info.firstUserMessage],
    userId: null,
    profile: null,
    askedId: false,
    idCandidate: null,
    triedIds: [],
    idReadUpTo: -1,
    requests: [],
    req: null,
    missing: [],
    asks: 0,
    outcomes: [],
    res: null,
    resCache: {},
    scanId: null,
    cabinOverride: {},
    departures: {},
    offers: {},
    changed: [],
    compensated: [],
    jobs: [],
    job: null,
    found: { outbound: [], return: [] },
    plannedDates: { outbound: null, return: null },
    directions: [],
    chosen: { outbound: null, return: null },
    claimPlausible: true,
    plan: null,
    verdict: null,
    skipNote: null,
    reply: '',
    answer: null,
    ledger: [],
    notes: [],
    transfers: [],
    finished: false,
  };
}

/** Clears the per-request working state. */
export function resetRequest(c: AirCtx): void {
  c.req = null;
  c.missing = [];
  c.asks = 0;
  c.res = null;
  c.scanId = null;
  c.offers = {};
  c.jobs = [];
  c.job = null;
  c.found = { outbound: [], return: [] };
  c.plannedDates = { outbound: null, return: null };
  c.directions = [];
  c.chosen = { outbound: null, return: null };
  c.claimPlausible = true;
  c.plan = null;
  c.verdict = null;
  c.skipNote = null;
  c.answer = null;
}

/** Records a customer message. */
export function heard(c: AirCtx, text: string): void {
  c.texts.push(text);
  c.reply = text;
}

/** The reservation id the current request is about, if any. */
export function requestReservation(c: Readonly<AirCtx>): string | null {
  const r = c.req;
  return r !== null && 'reservation_id' in r ? r.reservation_id : null;
}

/** Records how the current request ended. */
export function finish(c: AirCtx, result: Outcome['result'], detail: string, rule: string | null = null): void {
  if (c.req === null) return;
  c.outcomes.push({ kind: c.req.kind, reservation_id: c.res?.reservation_id ?? requestReservation(c), result, rule, detail });
}
