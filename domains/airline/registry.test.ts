/**
 * Tool specs the model sees: same names, parameters, types, required lists and enums as the
 * reference's schemas (descriptions are our own words, so only their presence is checked).
 */
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/models/types.js';
import { airlineRegistry } from './registry.js';

type Shape = Record<string, unknown>;

/** Strips descriptions (and `additionalProperties`) from a JSON Schema, keeping its structure. */
function shape(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(shape);
  if (typeof s !== 'object' || s === null) return s;
  const out: Shape = {};
  for (const [k, v] of Object.entries(s)) if (k !== 'description' && k !== 'additionalProperties') out[k] = shape(v);
  return out;
}

const str = { type: 'string' };
const int = { type: 'integer' };
const num = { type: 'number' };
const obj = (properties: Shape, required = Object.keys(properties)): Shape => ({ type: 'object', properties, required });
const arr = (items: Shape): Shape => ({ type: 'array', items });
const cabin = { type: 'string', enum: ['basic_economy', 'economy', 'business'] };
const flightInfo = obj({ flight_number: str, date: str });
const passenger = obj({ first_name: str, last_name: str, dob: str });

/** The v1 reference's parameter schemas (from its `get_info()`), descriptions removed. */
const V1: Record<string, Shape> = {
  book_reservation: obj({
    user_id: str,
    origin: str,
    destination: str,
    flight_type: { type: 'string', enum: ['one_way', 'round_trip'] },
    cabin,
    flights: arr(flightInfo),
    passengers: arr(passenger),
    payment_methods: arr(obj({ payment_id: str, amount: num })),
    total_baggages: int,
    nonfree_baggages: int,
    insurance: { type: 'string', enum: ['yes', 'no'] },
  }),
  calculate: obj({ expression: str }),
  cancel_reservation: obj({ reservation_id: str }),
  get_reservation_details: obj({ reservation_id: str }),
  get_user_details: obj({ user_id: str }),
  list_all_airports: { type: 'object', properties: {} },
  search_direct_flight: obj({ origin: str, destination: str, date: str }),
  search_onestop_flight: obj({ origin: str, destination: str, date: str }),
  send_certificate: obj({ user_id: str, amount: num }),
  think: obj({ thought: str }),
  transfer_to_human_agents: obj({ summary: str }),
  update_reservation_baggages: obj({ reservation_id: str, total_baggages: int, nonfree_baggages: int, payment_id: str }),
  update_reservation_flights: obj({ reservation_id: str, cabin, flights: arr(flightInfo), payment_id: str }),
  update_reservation_passengers: obj({ reservation_id: str, passengers: arr(passenger) }),
};

function normalise(p: JsonSchema): unknown {
  const s = shape(p) as Shape;
  if (Array.isArray(s.required) && s.required.length === 0) delete s.required;
  return s;
}

describe('airline tool specs', () => {
  it('v1: the 14 reference tools in schema order with the reference parameters', () => {
    const specs = airlineRegistry('v1').specs();
    expect(specs.map((s) => s.name)).toEqual(Object.keys(V1));
    for (const s of specs) {
      expect({ name: s.name, parameters: normalise(s.parameters) }).toEqual({ name: s.name, parameters: V1[s.name] });
      expect(s.description.length).toBeGreaterThan(10);
    }
  });

  it('τ²: integer payment and certificate amounts, get_flight_status, no think', () => {
    const specs = new Map(airlineRegistry('tau2').specs().map((s) => [s.name, normalise(s.parameters)] as const));
    expect(specs.has('think')).toBe(false);
    expect(specs.get('get_flight_status')).toEqual(obj({ flight_number: str, date: str }));
    expect(specs.get('send_certificate')).toEqual(obj({ user_id: str, amount: int }));
    expect((specs.get('book_reservation') as Shape).properties).toMatchObject({ payment_methods: arr(obj({ payment_id: str, amount: int })) });
  });

  it('is built once per variant', () => {
    expect(airlineRegistry('v1')).toBe(airlineRegistry('v1'));
    expect(airlineRegistry('tau2')).not.toBe(airlineRegistry('v1'));
  });
});
