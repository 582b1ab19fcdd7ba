// `npm run demo`: the story played headless from start to end in real Chromium with the built
// extension, against its own devnet and the demo dapp, printing each step and saving screenshots
// in demo/screenshots/ (the README shows them). `--kind nexus|safe|all` (default kernel).
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startDevnet } from '../devnet/devnet.js';
import type { AccountKind } from '../lib/accounts/kinds.js';
import { playStory } from '../e2e/story.js';
import { serveDemo } from './serve.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = process.argv.indexOf('--kind');
const which = arg > 0 ? process.argv[arg + 1] : 'kernel';
const kinds: AccountKind[] = which === 'all' ? ['kernel', 'nexus', 'safe'] : [which as AccountKind];
if (!kinds.every((k) => ['kernel', 'nexus', 'safe'].includes(k))) {
  console.error('usage: npm run demo [-- --kind kernel|nexus|safe|all]');
  process.exit(2);
}
const port: number = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});

const t0 = Date.now();
const step = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}`);
const outDir = path.join(root, '.output', 'demo');
execFileSync(path.join(root, 'node_modules', '.bin', 'wxt'), ['build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, FUNCTOR_OUT_DIR: outDir, WXT_FUNCTOR_DEVNET_URL: `http://127.0.0.1:${port}/devnet.json` },
});
step('extension built');
const devnet = await startDevnet({ configPort: port });
step(`devnet up: chain ${devnet.config.rpcUrl}, bundler ${devnet.config.bundlerUrl}`);
const demo = await serveDemo({ port: 0, build: true });
step(`demo dapp at ${demo.url}`);
const extension = path.join(outDir, 'chrome-mv3');
let failed = false;
for (const kind of kinds) {
  const context = await chromium.launchPersistentContext('', {
    headless: true,
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    viewport: { width: 1100, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
    ],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(worker.url()).host;
    step(`Chromium up with the extension (${extensionId}); the story on ${kind}:`);
    await playStory({
      context,
      extensionId,
      demoUrl: `${demo.url}?devnet=${encodeURIComponent(devnet.configUrl!)}`,
      c: devnet.config,
      kind,
      log: (line) => step(`  ${line}`),
      screenshots: path.join(root, 'demo', 'screenshots', kind),
    });
    step(`story on ${kind}: done; screenshots in demo/screenshots/${kind}/`);
  } catch (e) {
    failed = true;
    console.error(`story on ${kind} failed: ${e instanceof Error ? e.message : e}`);
  } finally {
    await context.close();
  }
}
await Promise.all([demo.stop(), devnet.stop()]);
step(failed ? 'the demo FAILED' : 'the demo ran from start to end');
process.exit(failed ? 1 : 0);
