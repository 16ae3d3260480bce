/**
 * The built-in domains as a plug-in: retail and airline, each with its offline built-in suite
 * (`--data builtin`). Installed by the composition root (`src/cli/registry.ts`) like any plug-in.
 */
import { definePlugin } from '../src/plugin/define.js';
import { airlineDomain } from './airline/index.js';
import { loadBuiltin as loadAirlineBuiltin, POLICY_PATH as AIRLINE_POLICY } from './airline/builtin.js';
import { retailDomain } from './retail/index.js';
import { loadBuiltin as loadRetailBuiltin, POLICY_PATH as RETAIL_POLICY } from './retail/builtin.js';

export default definePlugin({
  name: 'domains',
  domains: [
    { domain: retailDomain, builtin: { load: (o) => loadRetailBuiltin(o), policyFile: RETAIL_POLICY } },
    { domain: airlineDomain, builtin: { load: (o) => loadAirlineBuiltin(o), policyFile: AIRLINE_POLICY } },
  ],
});
