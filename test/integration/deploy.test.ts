// `npm run deploy -- --rpc <url>` on chains other than the devnet: a bare anvil with another chain
// id (refused: no EntryPoint), the same with the EntryPoint laid at its canonical address (deployed,
// at the devnet's very addresses), then again (nothing deployed: idempotent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { concat, createPublicClient, createWalletClient, http, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { startDevnet, type Devnet } from '../../devnet/devnet.js';
import { freePort, startProcess, waitForRpc, type Proc } from '../../devnet/processes.js';
import { bytecode } from '../../devnet/artifacts.js';
import { CREATE2_FACTORY } from '../../lib/deploy/functor.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRYPOINT_SALT: Hex = '0x90d8084deab30c2a37c45e8d47f49f2f7965183cb6990a98943ef94940681de3';
// anvil's first dev key: funded on a fresh anvil
const DEPLOYER_KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcad5a6f4d4e3fd6b1';

let devnet: Devnet;
let other: Proc;
let otherUrl: string;
const OTHER_CHAIN_ID = 31_338;

beforeAll(async () => {
  devnet = await startDevnet();
  const port = await freePort();
  other = startProcess('anvil-2', 'anvil', ['--port', String(port), '--chain-id', String(OTHER_CHAIN_ID), '--silent']);
  otherUrl = `http://127.0.0.1:${port}`;
  await waitForRpc(otherUrl, 'eth_chainId', other);
  await createPublicClient({ transport: http(otherUrl) }).request({
    method: 'anvil_setBalance' as never,
    params: [privateKeyToAccount(DEPLOYER_KEY).address, '0x8ac7230489e80000'] as never,
  });
});

afterAll(async () => {
  await other?.stop();
  await devnet?.stop();
});

function deploy(rpc: string, env: Record<string, string> = { FUNCTOR_DEPLOYER_KEY: DEPLOYER_KEY }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/deploy.ts', '--rpc', rpc], {
      cwd: root,
      env: { ...process.env, FUNCTOR_DEPLOYER_KEY: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('npm run deploy', () => {
  it('refuses a chain without the EntryPoint, with a clear message, and deploys nothing', async () => {
    const r = await deploy(otherUrl);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/Chain 31338 has no code at 0x0000000071727De22E5E9d8BAf0edAc6f37da032 \(the EntryPoint v0\.7\)/);
    expect(r.stdout).toBe('');
  });

  it('refuses without a deployer key or an RPC URL (usage, exit 2)', async () => {
    expect((await deploy(otherUrl, {})).code).toBe(2);
    const r = await deploy('nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rpc/);
  });

  it("deploys at the devnet's addresses on another chain id, then finds it all there", async () => {
    // What a public chain already has: the EntryPoint at its canonical address.
    const transport = http(otherUrl);
    const wallet = createWalletClient({ chain: { ...foundry, id: OTHER_CHAIN_ID }, transport, account: privateKeyToAccount(DEPLOYER_KEY) });
    const pub = createPublicClient({ transport });
    await pub.waitForTransactionReceipt({
      hash: await wallet.sendTransaction({ to: CREATE2_FACTORY, data: concat([ENTRYPOINT_SALT, bytecode.entryPoint()]) }),
    });

    const first = await deploy(otherUrl);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/deployed: KeyStore, FunctorPolicyConfig, FunctorPolicyGeneral, FunctorDeployer/);
    const addresses = lastJson(first.stdout);
    const f = devnet.config.functor;
    expect(addresses).toEqual({ chainId: OTHER_CHAIN_ID, keyStore: f.keyStore, deployer: f.deployer, policyHook: f.policyHook, validator: f.validator });
    console.log(`chain ${devnet.config.chainId}: ${JSON.stringify(f)}\nchain ${OTHER_CHAIN_ID}: ${first.stdout.trim().split('\n').at(-1)}`);

    const nonce = await pub.getTransactionCount({ address: wallet.account.address });
    const again = await deploy(otherUrl);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/nothing to deploy/);
    expect(lastJson(again.stdout)).toEqual(addresses);
    expect(await pub.getTransactionCount({ address: wallet.account.address }), 'no transaction the second time').toBe(nonce);
  });

  it('on the devnet itself, finds Functor where the devnet put it', async () => {
    const r = await deploy(devnet.config.rpcUrl);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ chainId: devnet.config.chainId, ...devnet.config.functor });
  });
});
