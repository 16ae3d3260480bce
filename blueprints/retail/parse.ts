/**
 * Deterministic reading of replies whose form leaves no doubt, so that the model is asked only
 * when it is needed: identity details stated in a recognisable way (an email address; "my name is
 * First Last" with one zip code), and a confirmation answered by a plain yes or no. Anything else
 * goes to the corresponding sub-task (`extract_identity`, `confirm_yes_no`). A parsed identity is
 * never trusted as such: it only feeds the lookup tools, which are the authentication.
 */
import type { Identity } from './types.js';

const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;
const NAME = /\b(?:[Mm]y name is|[Ii] am|[Ii]'m|[Tt]his is)\s+([A-Z][A-Za-z'-]+)\s+([A-Z][A-Za-z'-]+)\b/;
const ZIP = /\b\d{5}\b/g;

/** Identity details stated unambiguously in the messages (later messages win). */
export function parseIdentity(messages: readonly string[]): Identity {
  const out: Identity = {};
  for (const m of messages) {
    const emails = m.match(EMAIL) ?? [];
    if (emails.length === 1) out.email = emails[0] as string;
    const name = NAME.exec(m);
    const zips = m.match(ZIP) ?? [];
    if (name !== null && zips.length === 1) {
      out.first_name = name[1] as string;
      out.last_name = name[2] as string;
      out.zip = zips[0] as string;
    }
  }
  return out;
}

const YES = /^\s*(?:yes|yeah|yep|sure|confirmed|i confirm|correct|go ahead|please proceed|proceed)\b/i;
const NO = /^\s*(?:no|nope|don't|do not|not now)\b/i;
/** Words that make a yes conditional or a no partial: the sub-task decides then. */
const DOUBT = /\b(?:but|however|wait|actually|instead|except|not|don't|no|cancel|change|hold on|\?)|\?/i;

/** `yes` / `no` for a reply that is plainly one of them, else null (ask the sub-task). */
export function plainAnswer(reply: string): 'yes' | 'no' | null {
  if (YES.test(reply)) return DOUBT.test(reply.replace(YES, '')) ? null : 'yes';
  if (NO.test(reply)) return /\b(?:yes|but|however|actually)\b/i.test(reply.replace(NO, '')) ? null : 'no';
  return null;
}
