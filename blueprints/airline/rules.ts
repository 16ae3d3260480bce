/**
 * The numbers and switches of an airline policy, per data source. The built-in suite follows this
 * project's policy (`domains/airline/policy.md`, "Hatteras Air"); official data follows τ-bench's
 * v1 wiki or τ²'s policy. They share every kind of rule and differ in a few numbers and readings:
 *
 * | | built-in | τ-bench v1 | τ² |
 * |---|---|---|---|
 * | free bags regular (basic/eco/business) | 0/1/2 | 0/1/2 | 0/1/2 |
 * | free bags silver | 1/1/3 | 1/2/3 | 1/2/3 |
 * | free bags gold | 1/2/4 | 2/3/3 | 2/3/4 |
 * | reasons insurance covers | health, weather | health, weather | health, weather, change of plan |
 * | delayed-flight certificate needs a change or cancellation | no | yes | yes |
 * | more than 5 passengers | transfer | refuse | refuse |
 *
 * "Now" is 2024-05-15 15:00 EST in all three.
 */
import type { LoopSemantics } from '../../src/contract/agent.js';

/** Membership tiers. */
export const TIERS = ['regular', 'silver', 'gold'] as const;
export type Tier = (typeof TIERS)[number];
/** Cabins, cheapest first. */
export const CABINS = ['basic_economy', 'economy', 'business'] as const;
export type Cabin = (typeof CABINS)[number];
/** Why a customer cancels (the closed set the request parser answers with). */
export const CANCEL_REASONS = ['change_of_plans', 'airline_cancelled', 'health', 'weather', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
/** Payment method sources. */
export type PaymentSource = 'credit_card' | 'gift_card' | 'certificate';

/** One policy's numbers and readings. Plain data (it is part of the run's logged context). */
export interface AirlineRules {
  /** Which policy: `builtin` (Hatteras Air), `tau-v1` (τ-bench wiki), `tau2` (τ² policy). */
  id: 'builtin' | 'tau-v1' | 'tau2';
  /** Today's date and the time of day of "now" (EST). */
  today: string;
  nowTime: string;
  /** A reservation created after this instant may be cancelled for any reason (24 hours before now). */
  freeCancelAfter: string;
  /** Free checked bags per passenger by the booking member's tier and the cabin. */
  freeBags: Record<Tier, Record<Cabin, number>>;
  /** Price of each non-free bag. */
  extraBagPrice: number;
  /** Travel insurance per passenger. */
  insurancePerPassenger: number;
  /** Most passengers in one reservation. */
  maxPassengers: number;
  /** What happens to a booking for more passengers. */
  tooManyPassengers: 'transfer' | 'refuse';
  /** Certificate per passenger for a cancelled / delayed flight. */
  certificateCancelled: number;
  certificateDelayed: number;
  /** A delayed flight is compensated only after the reservation was changed or cancelled in the conversation. */
  delayedCompensationNeedsChange: boolean;
  /** Cancellation reasons travel insurance covers. */
  insuredReasons: CancelReason[];
  /** Most payment methods of each source in one booking. */
  paymentLimits: Record<PaymentSource, number>;
}

const COMMON = {
  today: '2024-05-15',
  nowTime: '15:00:00',
  freeCancelAfter: '2024-05-14T15:00:00',
  extraBagPrice: 50,
  insurancePerPassenger: 30,
  maxPassengers: 5,
  certificateCancelled: 100,
  certificateDelayed: 50,
  paymentLimits: { certificate: 1, credit_card: 1, gift_card: 3 },
} as const;

/** This project's policy (`domains/airline/policy.md`). */
export const BUILTIN_RULES: AirlineRules = {
  ...COMMON,
  paymentLimits: { ...COMMON.paymentLimits },
  id: 'builtin',
  freeBags: {
    regular: { basic_economy: 0, economy: 1, business: 2 },
    silver: { basic_economy: 1, economy: 1, business: 3 },
    gold: { basic_economy: 1, economy: 2, business: 4 },
  },
  tooManyPassengers: 'transfer',
  delayedCompensationNeedsChange: false,
  insuredReasons: ['health', 'weather'],
};

/** τ-bench v1's airline wiki. */
export const TAU_V1_RULES: AirlineRules = {
  ...COMMON,
  paymentLimits: { ...COMMON.paymentLimits },
  id: 'tau-v1',
  freeBags: {
    regular: { basic_economy: 0, economy: 1, business: 2 },
    silver: { basic_economy: 1, economy: 2, business: 3 },
    gold: { basic_economy: 2, economy: 3, business: 3 },
  },
  tooManyPassengers: 'refuse',
  delayedCompensationNeedsChange: true,
  insuredReasons: ['health', 'weather'],
};

/** τ²'s airline policy. */
export const TAU2_RULES: AirlineRules = {
  ...TAU_V1_RULES,
  paymentLimits: { ...COMMON.paymentLimits },
  id: 'tau2',
  freeBags: {
    regular: { basic_economy: 0, economy: 1, business: 2 },
    silver: { basic_economy: 1, economy: 2, business: 3 },
    gold: { basic_economy: 2, economy: 3, business: 4 },
  },
  insuredReasons: ['health', 'weather', 'change_of_plans'],
};

/** The marker of this project's policy document. */
const BUILTIN_MARKER = 'Hatteras Air';

/**
 * The rules for an episode: the built-in policy when the session's policy text is this project's
 * (it names "Hatteras Air"), else τ²'s under τ² semantics, else τ-bench v1's.
 */
export function rulesFor(info: { policy: string; semantics: LoopSemantics }): AirlineRules {
  if (info.policy.includes(BUILTIN_MARKER)) return BUILTIN_RULES;
  return info.semantics === 'tau2' ? TAU2_RULES : TAU_V1_RULES;
}
