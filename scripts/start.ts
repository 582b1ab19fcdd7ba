// `npm start`: the whole thing, locally. Builds the extension, brings up the devnet (chain,
// bundler, every account and contract; its JSON served where the extension reads it), serves the
// demo dapp, prints what to open, and, when a display is there, opens Chromium with the extension
// loaded on the demo. Ctrl-C (or SIGTERM) stops everything.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevnet } from '../devnet/devnet.js';
import { serveDemo } from '../demo/serve.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.env.FUNCTOR_DEVNET_FILE ?? path.join(root, '.devnet', 'devnet.json');
const configPort = Number(process.env.FUNCTOR_DEVNET_CONFIG_PORT ?? 8549);
const extension = path.join(root, '.output', 'chrome-mv3');
const t0 = Date.now();

console.log('Building the extension…');
execFileSync(path.join(root, 'node_modules', '.bin', 'wxt'), ['build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, WXT_FUNCTOR_DEVNET_URL: `http://127.0.0.1:${configPort}/devnet.json` },
});
console.log('Starting the devnet (anvil, contracts, Alto)…');
const devnet = await startDevnet({ file, configPort });
const demo = await serveDemo({ build: true });
const c = devnet.config;
const demoUrl = `${demo.url}?devnet=${encodeURIComponent(devnet.configUrl!)}`;

console.log(`
Functor is up (${((Date.now() - t0) / 1000).toFixed(1)} s)
  chain       ${c.rpcUrl}  (chain id ${c.chainId})
  bundler     ${c.bundlerUrl}
  contracts   KeyStore ${c.functor.keyStore}, hook ${c.functor.policyHook}, validator ${c.functor.validator}
  USDC        ${c.tokens.usdc}
  devnet JSON ${file} (served to the extension at ${devnet.configUrl})
  demo dapp   ${demoUrl}

Next:
  1. Load the extension: chrome://extensions → Developer mode → Load unpacked → ${extension}
  2. In its popup, import a dev owner's private key (each has ETH and 1,000,000 USDC):
${c.owners.map((o) => `       ${o.address}  ${o.privateKey}`).join('\n')}
  3. Open the demo dapp above: Connect, Generate agent key, Request permission, Approve.
  4. Act as the agent: npx functor-agent send --context context.json --key agent.key --to 0x… --amount 10 --token usdc
Ctrl-C stops everything.`);

// With a display and Chromium, open it with the extension loaded on the demo.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: ReturnType<typeof spawn> | undefined;
if ((process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && existsSync(chromium) && !process.env.FUNCTOR_NO_BROWSER) {
  browser = spawn(chromium, [`--load-extension=${extension}`, `--disable-extensions-except=${extension}`, '--no-first-run', `--user-data-dir=${path.join(root, '.output', 'chromium-profile')}`, demoUrl], { stdio: 'ignore' });
  console.log('Opened Chromium with the extension loaded.');
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping`);
  browser?.kill();
  await Promise.all([demo.stop(), devnet.stop()]);
  rmSync(file, { force: true });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
