// `npm test`: every suite, then one line `N passed, N failed` summed over them.
import { testContracts } from './test-contracts.mjs';
import { testVitest } from './test-vitest.mjs';
import { testE2e } from './test-e2e.mjs';
import { testTypecheck } from './test-typecheck.mjs';
import { testFormat } from './test-format.mjs';

// Types and formatting first (seconds); then contracts: the forge build is what the unit suite's ABI check and the devnet use.
const suites = [testTypecheck, testFormat, testContracts, () => testVitest('unit'), () => testVitest('integration'), testE2e];
const results = [];
const started = Date.now();
for (const suite of suites) results.push(await suite());

console.log(`\n== summary (${((Date.now() - started) / 1000).toFixed(0)} s) ==`);
for (const r of results) console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
