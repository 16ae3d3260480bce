/** `list_all_airports`: the 20 airports served and their cities. */
import { z } from 'zod';
import { pyDumps } from '../../../src/core/py/py-json.js';
import { pyObject } from '../../../src/core/py/py-value.js';
import { defineTool } from '../../../src/env/tool.js';

/** IATA code → city, in the reference's order. */
export const AIRPORTS: ReadonlyArray<readonly [string, string]> = [
  ['SFO', 'San Francisco'],
  ['JFK', 'New York'],
  ['LAX', 'Los Angeles'],
  ['ORD', 'Chicago'],
  ['DFW', 'Dallas'],
  ['DEN', 'Denver'],
  ['SEA', 'Seattle'],
  ['ATL', 'Atlanta'],
  ['MIA', 'Miami'],
  ['BOS', 'Boston'],
  ['PHX', 'Phoenix'],
  ['IAH', 'Houston'],
  ['LAS', 'Las Vegas'],
  ['MCO', 'Orlando'],
  ['EWR', 'Newark'],
  ['CLT', 'Charlotte'],
  ['MSP', 'Minneapolis'],
  ['DTW', 'Detroit'],
  ['PHL', 'Philadelphia'],
  ['LGA', 'LaGuardia'],
];

const schema = z.strictObject({});
const DESCRIPTION = 'Lists every airport the airline serves with its city.';
const V1_TEXT = pyDumps(pyObject(AIRPORTS));
const TAU2_TEXT = pyDumps(AIRPORTS.map(([iata, city]) => pyObject([['iata', iata], ['city', city]])));

/** v1 `list_all_airports`: `{"SFO": "San Francisco", ...}`. */
export const listAllAirports = defineTool({ name: 'list_all_airports', description: DESCRIPTION, schema, kind: 'read', invoke: () => V1_TEXT });

/** τ² `list_all_airports`: `[{"iata": "SFO", "city": "San Francisco"}, ...]`. */
export const listAllAirportsTau2 = defineTool({ name: 'list_all_airports', description: DESCRIPTION, schema, kind: 'read', invoke: () => TAU2_TEXT });
