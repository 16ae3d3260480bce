/**
 * Fictional people, addresses and payment cards for the generated databases (shared by the
 * retail and airline generators). Every value is made up; `example.com` e-mail addresses only.
 */
import type { Rng } from '../../../src/core/rng.js';
import type { PyObject } from '../../../src/core/py/py-value.js';

/** First names (distinct first names make ambiguous name + zip lookups rare but possible). */
export const FIRST_NAMES = [
  'Ada', 'Bruno', 'Carmen', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kaia', 'Lorenzo',
  'Maren', 'Nikhil', 'Odile', 'Pavel', 'Quinn', 'Rosa', 'Soren', 'Tamsin', 'Umar', 'Vera', 'Wendell', 'Ximena',
  'Yusra', 'Zoltan', 'Bianca', 'Cyrus', 'Delia', 'Emeka', 'Freya', 'Gideon', 'Hana', 'Ivo', 'Juno', 'Kenji',
  'Leona', 'Malik', 'Nadia', 'Otto', 'Priya', 'Rafael', 'Selma', 'Tobias', 'Una', 'Viktor', 'Wilhelmina', 'Yannick',
] as const;

/** Last names. */
export const LAST_NAMES = [
  'Abernathy', 'Bergstrom', 'Castellano', 'Dahl', 'Eze', 'Fontaine', 'Gallagher', 'Haddad', 'Ibarra', 'Jovanovic',
  'Kowalczyk', 'Lindqvist', 'Moreau', 'Nakagawa', 'Okonkwo', 'Petrov', 'Quispe', 'Rasmussen', 'Salazar', 'Takahashi',
  'Underwood', 'Varga', 'Whitfield', 'Yilmaz', 'Zielinski', 'Achterberg', 'Brennan', 'Delacroix', 'Esposito', 'Falk',
  'Grimaldi', 'Holloway', 'Iversen', 'Kaur', 'Lombardi', 'Mbeki', 'Novak', 'Ostrowski', 'Pereira', 'Runeberg',
] as const;

/** US cities with their state and a 3-digit zip prefix of our choosing. */
export const CITIES: ReadonlyArray<{ city: string; state: string; zip3: string }> = [
  { city: 'Portland', state: 'OR', zip3: '972' },
  { city: 'Tucson', state: 'AZ', zip3: '857' },
  { city: 'Madison', state: 'WI', zip3: '537' },
  { city: 'Savannah', state: 'GA', zip3: '314' },
  { city: 'Boise', state: 'ID', zip3: '837' },
  { city: 'Albany', state: 'NY', zip3: '122' },
  { city: 'Richmond', state: 'VA', zip3: '232' },
  { city: 'Omaha', state: 'NE', zip3: '681' },
  { city: 'Spokane', state: 'WA', zip3: '992' },
  { city: 'Louisville', state: 'KY', zip3: '402' },
  { city: 'Santa Fe', state: 'NM', zip3: '875' },
  { city: 'Burlington', state: 'VT', zip3: '054' },
  { city: 'Asheville', state: 'NC', zip3: '288' },
  { city: 'Ann Arbor', state: 'MI', zip3: '481' },
  { city: 'Fresno', state: 'CA', zip3: '937' },
  { city: 'Provo', state: 'UT', zip3: '846' },
  { city: 'Tulsa', state: 'OK', zip3: '741' },
  { city: 'Des Moines', state: 'IA', zip3: '503' },
];

const STREETS = [
  'Juniper Way', 'Copperfield Road', 'Harbor View Lane', 'Quarry Street', 'Orchard Hill Drive', 'Millrace Court',
  'Beacon Terrace', 'Foxglove Avenue', 'Lantern Row', 'Wren Hollow Road', 'Granite Pass', 'Sycamore Bend',
];

const CARD_BRANDS = ['visa', 'mastercard', 'amex', 'discover'] as const;

/** A generated person. */
export interface Person {
  first_name: string;
  last_name: string;
}

/** A random person. */
export function makePerson(rng: Rng): Person {
  return { first_name: rng.pick(FIRST_NAMES), last_name: rng.pick(LAST_NAMES) };
}

/** `first_last_NNNN`, the τ-bench user-id shape. */
export function userIdOf(p: Person, digits: string): string {
  return `${p.first_name.toLowerCase()}_${p.last_name.toLowerCase()}_${digits}`;
}

/** `first.lastNNNN@example.com`. */
export function emailOf(p: Person, digits: string): string {
  return `${p.first_name.toLowerCase()}.${p.last_name.toLowerCase()}${digits}@example.com`;
}

/** A US address in τ-bench key order (address1, address2, city, country, state, zip). */
export function makeAddress(rng: Rng): PyObject {
  const c = rng.pick(CITIES);
  return {
    address1: `${rng.int(10, 999)} ${rng.pick(STREETS)}`,
    address2: rng.chance(0.6) ? `Suite ${rng.int(100, 999)}` : `Apt ${rng.int(1, 40)}`,
    city: c.city,
    country: 'USA',
    state: c.state,
    zip: `${c.zip3}${rng.digits(2, false)}`,
  };
}

/** A date of birth `YYYY-MM-DD` between the given years. */
export function makeDob(rng: Rng, fromYear = 1950, toYear = 2004): string {
  const y = rng.int(fromYear, toYear);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A card brand. */
export function makeCardBrand(rng: Rng): string {
  return rng.pick(CARD_BRANDS);
}

/**
 * Draws unique ids from a generator function; retries on collisions, so a stream stays
 * deterministic for a given seed.
 */
export class UniqueIds {
  readonly #used = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.#used.add(r);
  }

  /** A fresh id from `make`, never returned before (nor reserved). */
  next(make: () => string): string {
    for (let i = 0; i < 1000; i++) {
      const id = make();
      if (!this.#used.has(id)) {
        this.#used.add(id);
        return id;
      }
    }
    throw new Error('could not draw a unique id in 1000 attempts');
  }

  has(id: string): boolean {
    return this.#used.has(id);
  }
}
