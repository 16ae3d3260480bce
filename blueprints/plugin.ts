/**
 * The built-in Source Code Agent blueprints as a plug-in: each domain's default blueprint with
 * the simulated model's oracles for its sub-tasks (oracle mode).
 */
import { definePlugin } from '../src/plugin/define.js';
import { airlineOracles } from './airline/subtask-oracles.js';
import { retailOracles } from './retail/subtask-oracles.js';
import { airlineBlueprint } from './airline/index.js';
import { retailBlueprint } from './retail/index.js';

export default definePlugin({
  name: 'blueprints',
  blueprints: [
    { blueprint: retailBlueprint, domain: 'retail', default: true, oracles: retailOracles, summary: 'the retail Source Code Agent blueprint' },
    { blueprint: airlineBlueprint, domain: 'airline', default: true, oracles: airlineOracles, summary: 'the airline Source Code Agent blueprint' },
  ],
});
