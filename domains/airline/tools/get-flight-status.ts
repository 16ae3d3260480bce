/** τ²'s `get_flight_status`: the status word of a flight on a date (absent from v1). */
import { z } from 'zod';
import type { DbState } from '../../../src/env/db-state.js';
import { defineTool } from '../../../src/env/tool.js';
import { item } from './py-ops.js';
import { tau2FlightInstance } from './tau2-ops.js';

const schema = z.strictObject({
  flight_number: z.string().describe("Flight number, e.g. 'HAT001'."),
  date: z.string().describe('Date of the flight as YYYY-MM-DD.'),
});

/** τ² `get_flight_status`. */
export const getFlightStatusTau2 = defineTool({
  name: 'get_flight_status',
  description: 'Tells the status of a flight on a date: available, on time, delayed, flying, landed or cancelled.',
  schema,
  kind: 'read',
  invoke(db: DbState, args: z.output<typeof schema>): string {
    return String(item(tau2FlightInstance(db, args.flight_number, args.date), 'status'));
  },
});
