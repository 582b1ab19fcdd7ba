// `npm run test:contracts`: the forge suites, in four runs: everything but the ERC-7562 tracer
// test and the gas snapshot; the differential test again with --isolate (each call of the test its
// own transaction, as on a chain: the policies it sets are written in an earlier transaction than
// the ops, so preCheck's common case runs as it does for an account edited in an earlier block, with
// CONFIG_WRITTEN clear; in one forge transaction the edit would set it); the tracer test with -vvv
// (forge's debug-trace recording needs its tracer on, which would slow the fuzz and invariant runs
// down for nothing); the gas snapshot last (a snapshot mismatch stops forge's run, so it must not
// hide other suites). Prints per-kind counts
// and `N passed, N failed`. Before them, solhint (contracts/.solhint.json, the recommended rules)
// lints contracts/src: any warning fails it (one failure), a clean run counts as one pass.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, isMain } from './lib/run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const contracts = path.join(root, 'contracts');
const forge = path.join(root, 'node_modules', '.bin', 'forge');
const solhint = path.join(root, 'node_modules', '.bin', 'solhint');

/** solhint over src/: clean (no error, no warning) or not. `--disc`: no update check online. */
async function lint() {
  const { code, out } = await run(solhint, ['--disc', '--max-warnings', '0', '--config', '.solhint.json', 'src/**/*.sol'], { cwd: contracts });
  const clean = code === 0 && !/\d+ problems?/.test(out);
  console.log(clean ? 'solhint: contracts/src is clean' : 'solhint: fix or justify the findings above (// solhint-disable-next-line <rule> with the reason)');
  return clean;
}

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

/**
 * The whole project's build (src and tests), what every suite after it needs: the forge runs below,
 * the unit suite's ABI check, and each devnet's contracts. Cold, with solcjs, it is by far the
 * longest step of `npm test`; the forge runs then compile nothing. True when it built.
 */
export async function buildContracts() {
  const t0 = Date.now();
  const { code } = await run(forge, ['build'], { cwd: contracts });
  console.log(`contracts built in ${((Date.now() - t0) / 1000).toFixed(0)} s${code === 0 ? '' : ': FAILED'}`);
  return code === 0;
}

export async function testContracts() {
  const byKind = {};
  const runs = [
    ['test', '--no-match-path', 'test/{erc7562,gas}/*'],
    ['test', '--isolate', '--match-path', 'test/differential/*'],
    ['test', '--match-path', 'test/erc7562/*', '-vvv'],
    ['test', '--match-path', 'test/gas/*'],
  ];
  let passed = 0;
  let failed = 0;
  const lintClean = await lint();
  byKind.lint = { passed: lintClean ? 1 : 0, failed: lintClean ? 0 : 1 };
  if (lintClean) passed += 1;
  else failed += 1;
  for (const args of runs) {
    const { code, out } = await run(forge, args, { cwd: contracts });
    countByKind(out, byKind);
    const s = summary(out);
    if (s) {
      passed += s.passed;
      failed += s.failed;
    }
    // A compile error or a gas snapshot mismatch fails the run without a failing test line (and
    // forge exits 0 on a snapshot mismatch): count each as one failure.
    if (/Snapshots differ|Failed to match snapshots/.test(out)) {
      console.error('gas snapshot differs from contracts/snapshots: commit the new figures if the change is intended');
      failed += 1;
    } else if (code !== 0 && (!s || s.failed === 0)) failed += 1;
  }
  console.log(
    '\ncontracts by kind: ' +
      Object.entries(byKind)
        .map(([k, v]) => `${k} ${v.passed}/${v.passed + v.failed}`)
        .join(', '),
  );
  return { name: 'contracts', passed, failed };
}

if (isMain(import.meta.url)) {
  const r = await testContracts();
  console.log(`${r.passed} passed, ${r.failed} failed`);
  process.exit(r.failed === 0 ? 0 : 1);
}
