/** The airline tool registries: v1 (τ-bench reference) and τ² variants, in each reference's order. */
import type { ToolVariant } from '../../src/env/domain.js';
import { ToolRegistry } from '../../src/env/registry.js';
import type { ToolDef } from '../../src/env/tool.js';
import { calculateTool, unknownToolObservation, thinkTool, transferToHumanAgentsTool } from '../common/generic-tools.js';
import { bookReservation, bookReservationTau2 } from './tools/book-reservation.js';
import { cancelReservation, cancelReservationTau2 } from './tools/cancel-reservation.js';
import { getFlightStatusTau2 } from './tools/get-flight-status.js';
import { getReservationDetails, getReservationDetailsTau2, getUserDetails, getUserDetailsTau2 } from './tools/get-details.js';
import { listAllAirports, listAllAirportsTau2 } from './tools/list-all-airports.js';
import { searchDirectFlight, searchDirectFlightTau2, searchOnestopFlight, searchOnestopFlightTau2 } from './tools/search-flights.js';
import { sendCertificate, sendCertificateTau2 } from './tools/send-certificate.js';
import { updateReservationBaggages, updateReservationBaggagesTau2 } from './tools/update-reservation-baggages.js';
import { updateReservationFlights, updateReservationFlightsTau2 } from './tools/update-reservation-flights.js';
import { updateReservationPassengers, updateReservationPassengersTau2 } from './tools/update-reservation-passengers.js';

const tool = (t: unknown): ToolDef => t as ToolDef;

function build(variant: ToolVariant): ToolRegistry {
  if (variant === 'v1') {
    return new ToolRegistry([
      tool(bookReservation),
      tool(calculateTool('v1')),
      tool(cancelReservation),
      tool(getReservationDetails),
      tool(getUserDetails),
      tool(listAllAirports),
      tool(searchDirectFlight),
      tool(searchOnestopFlight),
      tool(sendCertificate),
      tool(thinkTool()),
      tool(transferToHumanAgentsTool('v1')),
      tool(updateReservationBaggages),
      tool(updateReservationFlights),
      tool(updateReservationPassengers),
    ]);
  }
  return new ToolRegistry([
    tool(bookReservationTau2),
    tool(calculateTool('tau2')),
    tool(cancelReservationTau2),
    tool(getReservationDetailsTau2),
    tool(getUserDetailsTau2),
    tool(listAllAirportsTau2),
    tool(searchDirectFlightTau2),
    tool(searchOnestopFlightTau2),
    tool(sendCertificateTau2),
    tool(transferToHumanAgentsTool('tau2')),
    tool(updateReservationBaggagesTau2),
    tool(updateReservationFlightsTau2),
    tool(updateReservationPassengersTau2),
    tool(getFlightStatusTau2),
  ], { unknownTool: unknownToolObservation('tau2') });
}

const cache = new Map<ToolVariant, ToolRegistry>();

/**
 * The airline tools of a variant, in the reference's schema order. v1: the 14 τ-bench tools
 * (`transfer_to_human_agents` ends the episode). τ²: `think` dropped, `get_flight_status` added,
 * τ²'s changed semantics and error texts; transfer does not end the episode. Built once per variant.
 */
export function airlineRegistry(variant: ToolVariant = 'v1'): ToolRegistry {
  let r = cache.get(variant);
  if (r === undefined) {
    r = build(variant);
    cache.set(variant, r);
  }
  return r;
}
