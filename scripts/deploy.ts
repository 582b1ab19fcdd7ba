// `npm run deploy -- --rpc <url>`: deploys Functor's contracts on the chain at <url> through the
// CREATE2 factory (lib/deploy/functor.ts), with the deployer key from FUNCTOR_DEPLOYER_KEY. Steps
// go to stderr; the last line of stdout is one JSON object with the addresses (the same on every
// chain). Exit codes: 0 done, 1 the chain cannot take Functor, 2 usage error, 3 could not run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createWalletClient, defineChain, http, isHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { bytecode } from '../devnet/artifacts.js';
import { ChainLacksError, deployFunctor, UnexpectedCodeError } from '../lib/deploy/functor.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function usage(message: string): never {
  console.error(`${message}\nusage: FUNCTOR_DEPLOYER_KEY=0x… npm run deploy -- --rpc <url>`);
  process.exit(2);
}

const args = process.argv.slice(2);
const i = args.indexOf('--rpc');
const rpc = i >= 0 ? args[i + 1] : undefined;
if (!rpc || !/^https?:\/\//.test(rpc)) usage('--rpc: an http(s) URL is required');
const key = process.env.FUNCTOR_DEPLOYER_KEY;
if (!key || !isHex(key) || key.length !== 66) usage('FUNCTOR_DEPLOYER_KEY: a 0x-prefixed 32-byte private key is required');

// The creation code comes from the project's own build (deterministic: no metadata hash).
for (const name of ['KeyStore', 'FunctorDeployer']) {
  if (!existsSync(path.join(root, 'contracts', 'out', `${name}.sol`, `${name}.json`))) {
    console.error('building the contracts first (forge build src)…');
    const b = spawnSync('npm', ['run', '-s', 'build:contracts'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (b.status !== 0) process.exit(3);
    break;
  }
}

try {
  const transport = http(rpc);
  const chainId = Number(await createWalletClient({ transport }).request({ method: 'eth_chainId' }));
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpc] } },
  });
  const wallet = createWalletClient({ chain, transport, account: privateKeyToAccount(key) });
  console.error(`chain ${chainId} at ${rpc}, deployer ${wallet.account.address}`);
  const r = await deployFunctor(
    wallet,
    {
      keyStore: bytecode.functor('KeyStore'),
      functorPolicyConfig: bytecode.functor('FunctorPolicyConfig'),
      functorPolicyGeneral: bytecode.functor('FunctorPolicyGeneral'),
      functorDeployer: bytecode.functor('FunctorDeployer'),
    },
    (l) => console.error(l),
  );
  console.error(r.deployed.length ? `deployed: ${r.deployed.join(', ')}` : 'nothing to deploy: Functor was already there');
  console.log(JSON.stringify({ chainId, keyStore: r.keyStore, deployer: r.deployer, policyHook: r.policyHook, validator: r.validator }));
} catch (e) {
  if (e instanceof ChainLacksError || e instanceof UnexpectedCodeError) {
    console.error([e.shortMessage, e.details].filter(Boolean).join('\n'));
    process.exit(1);
  }
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(3);
}
