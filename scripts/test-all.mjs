// `npm test`: every suite that exists, then one line `N passed, N failed` summed over them.
import { testContracts } from './test-contracts.mjs';

const suites = [testContracts];
const results = [];
for (const suite of suites) results.push(await suite());

console.log('\n== summary ==');
for (const r of results) console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
