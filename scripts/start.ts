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
const funded = await fundOwnerAccounts();
const demoUrl = `${demo.url}?devnet=${encodeURIComponent(devnet.configUrl!)}`;

console.log(`
Functor is up (${((Date.now() - t0) / 1000).toFixed(1)} s)
  chain       ${c.rpcUrl}  (chain id ${c.chainId})
  bundler     ${c.bundlerUrl}
  contracts   KeyStore ${c.functor.keyStore}, module (validator and hook) ${c.functor.policyHook}, ERC-7710 executor ${c.functor.validator}
  USDC        ${c.tokens.usdc}
  devnet JSON ${file} (served to the extension at ${devnet.configUrl})
  demo dapp   ${demoUrl}

Next:
  1. Load the extension: chrome://extensions → Developer mode → Load unpacked → ${extension}
  2. In its popup, import a dev owner's private key (their Kernel, Nexus and Safe accounts, not
     deployed yet, already hold 10 ETH and ${funded} USDC each):
${c.owners.map((o) => `       ${o.address}  ${o.privateKey}`).join('\n')}
  3. Open the demo dapp above: Connect, Generate agent key, Request permission, Approve.
  4. Act as the agent: npx functor-agent send --context context.json --key agent.key --to 0x… --amount 10 --token usdc
Ctrl-C stops everything.`);

// With a display and Chromium, open it with the extension loaded on the demo.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: ReturnType<typeof spawn> | undefined;
if ((process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && existsSync(chromium) && !process.env.FUNCTOR_NO_BROWSER) {
  browser = spawn(
    chromium,
    [
      `--load-extension=${extension}`,
      `--disable-extensions-except=${extension}`,
      '--no-first-run',
      `--user-data-dir=${path.join(root, '.output', 'chromium-profile')}`,
      demoUrl,
    ],
    { stdio: 'ignore' },
  );
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

/** The dev owners' smart accounts (counterfactual) get ETH for gas and USDC to spend. */
async function fundOwnerAccounts(): Promise<string> {
  const { encodeFunctionData, parseUnits, toHex } = await import('viem');
  const { privateKeyToAccount } = await import('viem/accounts');
  const { devnetChain, publicClientFor } = await import('../lib/accounts/clients.js');
  const { toOwnerAccount } = await import('../lib/accounts/toOwnerAccount.js');
  const { ACCOUNT_KINDS } = await import('../lib/accounts/kinds.js');
  const { devTokenAbi } = await import('../lib/abi/generated.js');
  const c = devnet.config;
  const client = publicClientFor({ chain: devnetChain(c.chainId, c.rpcUrl), rpcUrl: c.rpcUrl, bundlerUrl: c.bundlerUrl, entryPoint: c.entryPoint });
  const amount = '10000';
  for (const o of c.owners) {
    const owner = privateKeyToAccount(o.privateKey);
    for (const kind of ACCOUNT_KINDS) {
      const { address } = await toOwnerAccount({ kind, client, owner, addresses: c });
      await client.request({ method: 'anvil_setBalance' as never, params: [address, toHex(10n ** 19n)] as never });
      // anvil lets the devnet's own owner key mint: an open-mint dev token, sent as a plain tx.
      await client.request({
        method: 'eth_sendTransaction' as never,
        params: [
          {
            from: owner.address,
            to: c.tokens.usdc,
            data: encodeFunctionData({ abi: devTokenAbi, functionName: 'mint', args: [address, parseUnits(amount, 6)] }),
          },
        ] as never,
      });
    }
  }
  return amount;
}
