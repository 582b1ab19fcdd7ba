// `npm run test:e2e`: builds the extension, checks Chromium is there (installs Debian's when
// missing and running as root, else says what to run), runs Playwright, returns its counts.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { run, isMain } from './lib/run.mjs';

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (n) => path.join(root, 'node_modules', '.bin', n);

function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return true;
  if (process.getuid?.() === 0) {
    console.log("Chromium is missing: installing Debian's chromium (apt-get install -y chromium)");
    execFileSync('bash', ['-c', 'apt-get update -qq && apt-get install -y -qq chromium'], { stdio: 'inherit' });
    return existsSync(chromium);
  }
  console.error('Chromium is missing. Run: sudo apt-get install -y chromium');
  return false;
}

export async function testE2e() {
  if (!ensureChromium()) return { name: 'e2e', passed: 0, failed: 1 };
  // Its own build, pointed at the devnet the suite starts on a free port (a running `npm start`
  // keeps its devnet and its build).
  const port = await freePort();
  const outDir = path.join(root, '.output', 'e2e');
  const env = { ...process.env, FUNCTOR_OUT_DIR: outDir, WXT_FUNCTOR_DEVNET_URL: `http://127.0.0.1:${port}/devnet.json` };
  const build = await run(bin('wxt'), ['build'], { cwd: root, env });
  if (build.code !== 0) return { name: 'e2e', passed: 0, failed: 1 };
  process.env.FUNCTOR_E2E_CONFIG_PORT = String(port);
  process.env.FUNCTOR_E2E_EXTENSION = path.join(outDir, 'chrome-mv3');
  const report = path.join(root, 'test-results', 'e2e.json');
  rmSync(report, { force: true });
  const { code } = await run(bin('playwright'), ['test', ...process.argv.slice(2)], { cwd: root });
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const passed = r.stats.expected;
    const failed = r.stats.unexpected + (r.stats.flaky ?? 0) + (code !== 0 && r.stats.unexpected === 0 ? 1 : 0);
    return { name: 'e2e', passed, failed };
  } catch {
    return { name: 'e2e', passed: 0, failed: 1 };
  }
}

if (isMain(import.meta.url)) {
  const r = await testE2e();
  console.log(`${r.passed} passed, ${r.failed} failed`);
  process.exit(r.failed === 0 ? 0 : 1);
}
