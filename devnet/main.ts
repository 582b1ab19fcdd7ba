// `npm run devnet`: starts the stack, writes .devnet/devnet.json (or FUNCTOR_DEVNET_FILE), prints
// a summary, and stops everything on Ctrl-C or SIGTERM.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevnet } from './devnet.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.env.FUNCTOR_DEVNET_FILE ?? path.join(root, '.devnet', 'devnet.json');

const t0 = Date.now();
/** The extension's default network reads the devnet from here (see wxt.config.ts). */
const configPort = Number(process.env.FUNCTOR_DEVNET_CONFIG_PORT ?? 8549);
const devnet = await startDevnet({ file, configPort, verbose: process.argv.includes('--verbose') });
const c = devnet.config;
console.log(`Functor devnet is up (${((Date.now() - t0) / 1000).toFixed(1)} s)
  chain      ${c.rpcUrl}  (chain id ${c.chainId})
  bundler    ${c.bundlerUrl}
  EntryPoint ${c.entryPoint}
  KeyStore   ${c.functor.keyStore}
  module     ${c.functor.policyHook} (FunctorPolicyHook: validator and hook)
  executor   ${c.functor.validator} (FunctorValidator: ERC-7710)
  USDC       ${c.tokens.usdc}
  owners     ${c.owners.map((o) => o.address).join(', ')}
  everything: ${file} (served to the extension at ${devnet.configUrl})${
    existsSync(path.join(root, '.output', 'chrome-mv3', 'manifest.json'))
      ? `\n  extension  built: load ${path.join(root, '.output', 'chrome-mv3')} unpacked (chrome://extensions, developer mode)`
      : ''
  }
Ctrl-C stops it.`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the devnet`);
  await devnet.stop();
  rmSync(file, { force: true });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
