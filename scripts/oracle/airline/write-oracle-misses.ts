/**
 * `npx tsx scripts/oracle/airline/write-oracle-misses.ts`: runs the official airline tasks in oracle
 * mode and writes `blueprints/airline/ORACLE-MISSES.md` (shared data from `TAU_SHARED` or `../shared`).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sharedDir } from '../../lib/shared-data.js';
import { officialOracleReport, renderMisses } from './oracle-misses.js';

const report = await officialOracleReport(sharedDir());
const file = fileURLToPath(new URL('../../../blueprints/airline/ORACLE-MISSES.md', import.meta.url));
writeFileSync(file, renderMisses(report));
console.log(`v1 ${report.v1.passed}/${report.v1.total}, τ² ${report.tau2.passed}/${report.tau2.total}; wrote ${file}`);
