/**
 * The numeric rules of this project's airline policy (`domains/airline/policy.md`), shared by the
 * data generator (so existing reservations already follow them) and the policy oracle.
 */

/** The policy's "now": 2024-05-15 15:00:00 EST, as an ISO local time (EST). */
export const NOW = '2024-05-15T15:00:00';
/** Today's date under the policy. */
export const TODAY = '2024-05-15';
/** The first and last date that flights have records for (May 2024). */
export const FIRST_DATE = '2024-05-01';
export const LAST_DATE = '2024-05-30';

/** Membership tiers. */
export const TIERS = ['regular', 'silver', 'gold'] as const;
export type Tier = (typeof TIERS)[number];
/** Cabins, cheapest first. */
export const CABINS = ['basic_economy', 'economy', 'business'] as const;
export type Cabin = (typeof CABINS)[number];

/** Free checked bags per passenger, by the booking member's tier and the cabin. */
export const FREE_BAGS: Readonly<Record<Tier, Readonly<Record<Cabin, number>>>> = {
  regular: { basic_economy: 0, economy: 1, business: 2 },
  silver: { basic_economy: 1, economy: 1, business: 3 },
  gold: { basic_economy: 1, economy: 2, business: 4 },
};

/** Price of each checked bag beyond the free allowance, in dollars. */
export const EXTRA_BAG_PRICE = 50;
/** Travel insurance price per passenger, in dollars. */
export const INSURANCE_PRICE = 30;
/** Most passengers in one reservation. */
export const MAX_PASSENGERS = 5;
/** Compensation certificate per passenger: cancelled flight / delayed flight. */
export const CERTIFICATE_CANCELLED = 100;
export const CERTIFICATE_DELAYED = 50;
/** Payment limits for one booking. */
export const MAX_CERTIFICATES = 1;
export const MAX_CREDIT_CARDS = 1;
export const MAX_GIFT_CARDS = 3;
/** A reservation created after this instant (24 hours before {@link NOW}) may be cancelled for any reason. */
export const FREE_CANCEL_AFTER = '2024-05-14T15:00:00';

/** Free bags for a whole reservation. */
export function freeBags(tier: Tier, cabin: Cabin, passengers: number): number {
  return FREE_BAGS[tier][cabin] * passengers;
}

/** Non-free bags for a total under the allowance. */
export function nonfreeBags(tier: Tier, cabin: Cabin, passengers: number, totalBags: number): number {
  return Math.max(0, totalBags - freeBags(tier, cabin, passengers));
}

/** Reasons a customer may give for cancelling; the last two are covered by travel insurance. */
export const CANCEL_REASONS = ['change of plans', 'found a cheaper fare', 'airline cancelled the flight', 'health', 'weather'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
/** Reasons covered by travel insurance. */
export const INSURED_REASONS: readonly CancelReason[] = ['health', 'weather'];

/** Adds days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** All dates from {@link FIRST_DATE} to {@link LAST_DATE}. */
export function allDates(): string[] {
  const out: string[] = [];
  for (let d = FIRST_DATE; d <= LAST_DATE; d = addDays(d, 1)) out.push(d);
  return out;
}
