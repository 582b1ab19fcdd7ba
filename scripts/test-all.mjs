// `npm test`: every suite, then one line `N passed, N failed` summed over them.
//
// Two lanes run side by side (each suite's lines prefixed with its name):
// - the contracts' build (cold, solcjs: the longest step), the forge suites, the unit suite
//   (vitest), then the end-to-end suite (Playwright);
// - types and formatting while the contracts build, then, once they are built, the integration
//   suite (the longest after the build). It mostly waits on anvil and Alto (about 0.7 of a core), so
//   it costs the other lane little.
// The devnets of both need the built contracts and skip their own `forge build`
// (FUNCTOR_CONTRACTS_BUILT): a forge run must not rewrite its cache while another reads it.
// FUNCTOR_TEST_SERIAL=1 runs the same suites one after another instead.
import { labelled } from './lib/run.mjs';
import { buildContracts, testContracts } from './test-contracts.mjs';
import { testVitest } from './test-vitest.mjs';
import { testE2e } from './test-e2e.mjs';
import { testTypecheck } from './test-typecheck.mjs';
import { testFormat } from './test-format.mjs';

const started = Date.now();
const seconds = (t) => ((Date.now() - t) / 1000).toFixed(0);
const serial = process.env.FUNCTOR_TEST_SERIAL === '1';

/** Runs one suite with its output labelled, and says when it started and how long it took. */
async function suite(name, fn) {
  const t0 = Date.now();
  console.log(`== ${name}: started at ${seconds(started)} s ==`);
  const r = await (serial ? fn() : labelled(name, fn));
  console.log(`== ${name}: ${r.passed} passed, ${r.failed} failed in ${seconds(t0)} s ==`);
  return r;
}

const results = {};
if (serial) {
  for (const [name, fn] of [
    ['typecheck', testTypecheck],
    ['format', testFormat],
    ['contracts', testContracts],
    ['unit', () => testVitest('unit')],
    ['integration', () => testVitest('integration')],
    ['e2e', testE2e],
  ])
    results[name] = await suite(name, fn);
} else {
  const built = labelled('build', buildContracts).then((ok) => {
    if (ok) process.env.FUNCTOR_CONTRACTS_BUILT = '1';
    return ok;
  });
  const mainLane = (async () => {
    await built;
    results.contracts = await suite('contracts', testContracts);
    results.unit = await suite('unit', () => testVitest('unit'));
    results.e2e = await suite('e2e', testE2e);
  })();
  const sideLane = (async () => {
    results.typecheck = await suite('typecheck', testTypecheck);
    results.format = await suite('format', testFormat);
    await built;
    results.integration = await suite('integration', () => testVitest('integration'));
  })();
  await Promise.all([mainLane, sideLane]);
}

const order = ['typecheck', 'format', 'contracts', 'unit', 'integration', 'e2e'].map((n) => results[n]);
console.log(`\n== summary (${seconds(started)} s) ==`);
for (const r of order) console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed`);
const passed = order.reduce((n, r) => n + r.passed, 0);
const failed = order.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
