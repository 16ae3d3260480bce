/**
 * `search_direct_flight` and `search_onestop_flight`: available flights between two airports on
 * a date. Both scan the flights table in its order, as the reference does.
 */
import { z } from 'zod';
import { pyDumps } from '../../../src/core/py/py-json.js';
import { setKey, type PyObject, type PyValue } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { defineTool } from '../../../src/env/tool.js';
import { airportArg, dateArg } from './args.js';
import { item, keyError, nextDayInMay, own, withoutKeyUpdated } from './py-ops.js';
import { tau2SearchDirect } from './tau2-ops.js';

const schema = z.strictObject({ origin: airportArg('origin'), destination: airportArg('destination'), date: dateArg });
type Args = z.output<typeof schema>;
const DIRECT_DESCRIPTION = 'Finds nonstop flights from one airport to another that can still be booked on a date, with seats left and prices per cabin.';
const ONESTOP_DESCRIPTION =
  'Finds two-flight connections (one stop) from one airport to another departing on a date, with seats left and prices per cabin for each leg.';

function isAvailable(rec: PyValue | undefined): boolean {
  return rec !== undefined && own(rec, 'status') === 'available';
}

/** v1 `search_direct_flight`: each result is the flight without `dates`, then the date's record. */
export const searchDirectFlight = defineTool({
  name: 'search_direct_flight',
  description: DIRECT_DESCRIPTION,
  schema,
  kind: 'read',
  invoke(db: DbState, args: Args): string {
    const results: PyObject[] = [];
    for (const flight of db.table('flights').values()) {
      if (flight.origin !== args.origin || flight.destination !== args.destination) continue;
      const rec = own(flight.dates, args.date);
      if (isAvailable(rec)) results.push(withoutKeyUpdated(flight, 'dates', rec as PyObject));
    }
    return pyDumps(results);
  },
});

/**
 * v1 `search_onestop_flight`, bugs kept: the second leg's date is `2024-05-{day+1}` (no zero
 * padding) after an overnight first leg, and the second leg shows the FIRST leg's date record
 * (status, seats, prices of flight 2 on the first date).
 */
export const searchOnestopFlight = defineTool({
  name: 'search_onestop_flight',
  description: ONESTOP_DESCRIPTION,
  schema,
  kind: 'read',
  invoke(db: DbState, args: Args): string {
    const { origin, destination, date } = args;
    // Same pairs in the same order as the reference's nested scan over all flights.
    const firsts: Array<Readonly<PyObject>> = [];
    const seconds: Array<Readonly<PyObject>> = [];
    for (const f of db.table('flights').values()) {
      if (f.origin === origin) firsts.push(f);
      if (f.destination === destination) seconds.push(f);
    }
    const results: PyValue[] = [];
    for (const f1 of firsts) {
      for (const f2 of seconds) {
        if (f1.destination !== f2.origin) continue;
        const arrival = String(item(f1, 'scheduled_arrival_time_est'));
        const date2 = arrival.includes('+1') ? nextDayInMay(date) : date;
        if (arrival > String(item(f2, 'scheduled_departure_time_est'))) continue;
        const rec1 = own(f1.dates, date);
        const rec2 = own(f2.dates, date2);
        if (rec1 === undefined || rec2 === undefined) continue;
        if (!isAvailable(rec1) || !isAvailable(rec2)) continue;
        const leg1 = withoutKeyUpdated(f1, 'dates', rec1 as PyObject);
        setKey(leg1, 'date', date);
        const sameDay = own(f2.dates, date);
        if (sameDay === undefined) throw keyError(date);
        const leg2 = withoutKeyUpdated(f2, 'dates', sameDay as PyObject);
        setKey(leg2, 'date', date2);
        results.push([leg1, leg2]);
      }
    }
    return pyDumps(results);
  },
});

/** τ² `search_direct_flight`: `DirectFlight` objects with `date: null`. */
export const searchDirectFlightTau2 = defineTool({
  name: 'search_direct_flight',
  description: DIRECT_DESCRIPTION,
  schema,
  kind: 'read',
  invoke(db: DbState, args: Args): string {
    return pyDumps(tau2SearchDirect(db, { date: args.date, origin: args.origin, destination: args.destination }));
  },
});

/**
 * τ² `search_onestop_flight`: the second leg must leave at or after the first leg's scheduled
 * arrival (string comparison) and shows its own date record; the unpadded next-day date remains.
 */
export const searchOnestopFlightTau2 = defineTool({
  name: 'search_onestop_flight',
  description: ONESTOP_DESCRIPTION,
  schema,
  kind: 'read',
  invoke(db: DbState, args: Args): string {
    const results: PyValue[] = [];
    for (const leg1 of tau2SearchDirect(db, { date: args.date, origin: args.origin })) {
      setKey(leg1, 'date', args.date);
      const arrival = String(leg1.scheduled_arrival_time_est);
      const date2 = arrival.includes('+1') ? nextDayInMay(args.date) : args.date;
      for (const leg2 of tau2SearchDirect(db, { date: date2, origin: String(leg1.destination), destination: args.destination, leaveAfter: arrival })) {
        setKey(leg2, 'date', date2);
        results.push([leg1, leg2]);
      }
    }
    return pyDumps(results);
  },
});
