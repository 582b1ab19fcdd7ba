// `npm run test:contracts`: the forge suites, in two runs: everything but the ERC-7562 tracer test,
// then that test with -vvv (forge's debug-trace recording needs its tracer on, which would slow the
// fuzz and invariant runs down for nothing). Prints per-kind counts and `N passed, N failed`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, isMain } from './lib/run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const contracts = path.join(root, 'contracts');
const forge = path.join(root, 'node_modules', '.bin', 'forge');

/** Counts PASS/FAIL lines per test folder (unit, fuzz, invariant, attack, erc7562, gas). */
function countByKind(out, totals) {
  let kind = 'other';
  for (const line of out.split('\n')) {
    const suite = line.match(/^Ran \d+ tests? for test\/([^/]+)\//);
    if (suite) kind = suite[1];
    const res = line.match(/^\[(PASS|FAIL)/);
    if (res) {
      totals[kind] ??= { passed: 0, failed: 0 };
      totals[kind][res[1] === 'PASS' ? 'passed' : 'failed']++;
    }
  }
}

function summary(out) {
  const m = out.match(/(\d+) tests passed, (\d+) failed/);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : null;
}

export async function testContracts() {
  const byKind = {};
  const runs = [
    ['test', '--no-match-path', 'test/erc7562/*'],
    ['test', '--match-path', 'test/erc7562/*', '-vvv'],
  ];
  let passed = 0;
  let failed = 0;
  for (const args of runs) {
    const { code, out } = await run(forge, args, { cwd: contracts });
    countByKind(out, byKind);
    const s = summary(out);
    if (s) {
      passed += s.passed;
      failed += s.failed;
    }
    // A compile error or a snapshot mismatch fails the run without a failing test line.
    if (code !== 0 && (!s || s.failed === 0)) failed += 1;
  }
  console.log('\ncontracts by kind: ' + Object.entries(byKind).map(([k, v]) => `${k} ${v.passed}/${v.passed + v.failed}`).join(', '));
  return { name: 'contracts', passed, failed };
}

if (isMain(import.meta.url)) {
  const r = await testContracts();
  console.log(`${r.passed} passed, ${r.failed} failed`);
  process.exit(r.failed === 0 ? 0 : 1);
}
