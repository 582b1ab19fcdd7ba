// Issue 16, part 1: the devnet holds the account contracts at their canonical addresses, and an
// account's address is derived exactly as ZeroDev's, Biconomy's and Safe's own SDKs derive it; an
// account made elsewhere (with the ZeroDev SDK, not Functor) is recognised by kind and owner from
// chain state, installs Functor and takes a grant.
import { type Address, createPublicClient, getAddress, http, parseUnits, toHex } from 'viem';
import { createBundlerClient } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { toKernelSmartAccount, toSafeSmartAccount } from 'permissionless/accounts';
import { createPimlicoClient } from 'permissionless/clients/pimlico';
import { createKernelAccount } from '@zerodev/sdk';
import { KernelVersionToAddressesMap, KERNEL_V3_1 } from '@zerodev/sdk/constants';
import { getKernelAddressFromECDSA, signerToEcdsaValidator } from '@zerodev/ecdsa-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevnet, type Devnet } from '../../devnet/devnet.js';
import { devnetChain } from '../../lib/accounts/clients.js';
import { toOwnerAccount } from '../../lib/accounts/toOwnerAccount.js';
import { createBackground } from '../../lib/background/index.js';
import { memoryStore } from '../../lib/background/store.js';
import { decodeContext } from '../../lib/erc7715/response.js';
import { grantState } from '../../lib/keystore/read.js';
import { CANONICAL } from '../../lib/networks/canonical.js';
import { FUNCTOR_ADDRESSES } from '../../lib/abi/deployment.js';
import { RELAY_TARGET_BACKGROUND } from '../../lib/provider/messages.js';

let devnet: Devnet;
const entryPoint = { address: CANONICAL.entryPoint, version: '0.7' as const };
const pub = () => createPublicClient({ chain: devnetChain(devnet.config.chainId, devnet.config.rpcUrl), transport: http(devnet.config.rpcUrl) });

beforeAll(async () => {
  devnet = await startDevnet({});
});
afterAll(async () => devnet?.stop());

describe('the canonical deployments on the devnet', () => {
  it('the devnet names, and has code at, the canonical address of each account contract', async () => {
    const c = devnet.config;
    expect(getAddress(c.entryPoint)).toBe(getAddress(CANONICAL.entryPoint));
    expect(c.kernel).toMatchObject({
      implementation: CANONICAL.kernel.implementation,
      factory: CANONICAL.kernel.factory,
      ownerValidator: CANONICAL.kernel.ownerValidator,
    });
    expect(c.nexus.ownerValidator).toBe(CANONICAL.nexus.ownerValidator);
    expect(c.safe).toMatchObject({ safe7579: CANONICAL.safe.safe7579, launchpad: CANONICAL.safe.launchpad });
    // Functor itself where the extension expects it on any chain (lib/abi/deployment.ts).
    // (the hook's configuration code, general path and KeyStore code are the hook's business: the
    // devnet config names what the wallet uses; its KeyStore is the hook)
    const { policyConfig: _config, policyGeneral: _general, keyStoreCode: _code, ...used } = FUNCTOR_ADDRESSES;
    expect(used.keyStore).toBe(used.policyHook);
    expect(c.functor).toEqual(used);
    for (const a of [
      CANONICAL.kernel.implementation,
      CANONICAL.kernel.factory,
      CANONICAL.kernel.ownerValidator,
      CANONICAL.nexus.ownerValidator,
      // Not Safe4337Module nor SafeModuleSetup (Safe7579 accounts use neither; the npm build lands
      // elsewhere), nor Rhinestone's registry (the devnet's attests nothing and lives elsewhere).
      ...(['singleton', 'singletonL2', 'proxyFactory', 'multiSend', 'multiSendCallOnly', 'fallbackHandler', 'safe7579', 'launchpad'] as const).map(
        (k) => CANONICAL.safe[k],
      ),
    ]) {
      expect(await pub().getCode({ address: a }), `code at ${a}`).not.toBeUndefined();
    }
  });

  it.each([0n, 1n, 7n])('Kernel v3.1, index %s: Functor’s address = ZeroDev’s offline derivation = ZeroDev’s and permissionless’s accounts', async (index) => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const ours = await toOwnerAccount({ kind: 'kernel', client: pub(), owner, addresses: devnet.config, index });
    // ZeroDev's derivation from its own constants alone (factory, ECDSAValidator, init code hash): no chain.
    const offline = await getKernelAddressFromECDSA({
      entryPoint,
      kernelVersion: KERNEL_V3_1,
      eoaAddress: owner.address,
      index,
      initCodeHash: KernelVersionToAddressesMap[KERNEL_V3_1].initCodeHash!,
    });
    const zerodev = await createKernelAccount(pub(), {
      plugins: { sudo: await signerToEcdsaValidator(pub(), { signer: owner, entryPoint, kernelVersion: KERNEL_V3_1 }) },
      entryPoint,
      kernelVersion: KERNEL_V3_1,
      index,
      useMetaFactory: false,
    });
    // permissionless with every address left at its default.
    const pl = await toKernelSmartAccount({ client: pub(), owners: [owner], version: '0.3.1', entryPoint, index, useMetaFactory: false });
    expect(ours.address).toBe(offline);
    expect(zerodev.address).toBe(offline);
    expect(pl.address).toBe(offline);
  });

  it.each([0n, 3n])('Safe 1.4.1 + Safe7579, salt nonce %s: Functor’s address = permissionless’s with Rhinestone’s adapter and launchpad', async (saltNonce) => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const ours = await toOwnerAccount({ kind: 'safe', client: pub(), owner, addresses: devnet.config, index: saltNonce });
    const pl = await toSafeSmartAccount({
      client: pub(),
      owners: [owner],
      version: '1.4.1',
      entryPoint,
      saltNonce,
      safe4337ModuleAddress: CANONICAL.safe.safe7579,
      erc7579LaunchpadAddress: CANONICAL.safe.launchpad,
      attesters: [],
      attestersThreshold: 0,
    });
    expect(ours.address).toBe(pl.address);
  });
});

describe('an account made elsewhere', () => {
  it('a Kernel account the ZeroDev SDK made and deployed is recognised (kind and owner from chain state), installs Functor and takes a grant', async () => {
    const ownerKey = generatePrivateKey();
    const owner = privateKeyToAccount(ownerKey);
    const chain = devnetChain(devnet.config.chainId, devnet.config.rpcUrl);
    // The ZeroDev SDK's own account and a plain viem bundler client: no Functor code involved.
    const account = await createKernelAccount(pub(), {
      plugins: { sudo: await signerToEcdsaValidator(pub(), { signer: owner, entryPoint, kernelVersion: KERNEL_V3_1 }) },
      entryPoint,
      kernelVersion: KERNEL_V3_1,
      index: 42n,
      useMetaFactory: false,
    });
    await pub().request({ method: 'anvil_setBalance' as never, params: [account.address, toHex(10n ** 18n)] as never });
    const prices = createPimlicoClient({ chain, transport: http(devnet.config.bundlerUrl), entryPoint });
    const bundler = createBundlerClient({
      account,
      client: pub(),
      chain,
      transport: http(devnet.config.bundlerUrl),
      userOperation: { estimateFeesPerGas: async () => (await prices.getUserOperationGasPrice()).fast },
    });
    const hash = await bundler.sendUserOperation({ calls: [{ to: owner.address, value: 1n }] });
    expect((await bundler.waitForUserOperationReceipt({ hash })).success).toBe(true);

    // The wallet, holding the same owner key, imports it by address.
    const opened: string[] = [];
    const bg = createBackground({
      store: memoryStore(),
      openApproval: async (id) => void opened.push(id),
      emit: () => undefined,
      devnetConfigUrl: 'http://devnet.test/devnet.json',
      fetch: (async (url: string | URL | Request, init?: RequestInit) =>
        String(url) === 'http://devnet.test/devnet.json' ? new Response(JSON.stringify(devnet.config)) : fetch(url, init)) as typeof fetch,
      kdfIterations: 100_000,
    });
    expect(await bg.handleUi({ type: 'wallet:import', secret: ownerKey, password: 'correct horse' })).toMatchObject({ ok: true });
    const listed = async () =>
      (
        (await bg.handleUi({ type: 'ui:accounts' })) as unknown as {
          accounts: { kind: string; address: Address; imported: boolean; validator: boolean; hook: boolean }[];
        }
      ).accounts;
    expect((await listed()).map((a) => a.address)).not.toContain(account.address);
    expect(await bg.handleUi({ type: 'ui:importAccount', address: account.address })).toMatchObject({ ok: true });
    expect((await listed()).find((a) => a.address === account.address)).toMatchObject({ kind: 'kernel', imported: true, validator: false, hook: false });
    // Another owner's wallet cannot import it.
    const stranger = createBackground({
      store: memoryStore(),
      openApproval: async () => undefined,
      emit: () => undefined,
      devnetConfigUrl: 'http://devnet.test/devnet.json',
      fetch: (async () => new Response(JSON.stringify(devnet.config))) as typeof fetch,
      kdfIterations: 100_000,
    });
    await stranger.handleUi({ type: 'wallet:import', secret: generatePrivateKey(), password: 'correct horse' });
    expect(await stranger.handleUi({ type: 'ui:importAccount', address: account.address })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/does not control/),
    });

    // Functor installs on it, and a site's grant lands on it.
    expect(await bg.handleUi({ type: 'ui:install', address: account.address })).toMatchObject({ ok: true });
    expect((await listed()).find((a) => a.address === account.address)).toMatchObject({ validator: true, hook: true });
    const origin = 'http://dapp.test';
    let n = 0;
    const request = (method: string, params?: unknown) => bg.handleDapp({ target: RELAY_TARGET_BACKGROUND, id: `r${n++}`, method, params, origin });
    async function approved(method: string, params: unknown, decision: Record<string, unknown>) {
      const before = opened.length;
      const answer = request(method, params);
      while (opened.length === before) await new Promise((r) => setTimeout(r, 5));
      expect(await bg.handleUi({ type: 'approval:decide', decision: { id: opened.at(-1)!, approve: true, ...decision } })).toEqual({ ok: true });
      return answer;
    }
    expect(await approved('eth_requestAccounts', [], { accounts: [account.address] })).toEqual({ result: [account.address] });
    const agent = privateKeyToAccount(generatePrivateKey());
    const answer = await approved(
      'wallet_requestExecutionPermissions',
      [
        {
          chainId: toHex(devnet.config.chainId),
          to: agent.address,
          permission: {
            type: 'erc20-token-periodic',
            isAdjustmentAllowed: false,
            data: { tokenAddress: devnet.config.tokens.usdc, periodAmount: toHex(parseUnits('10', 6)), periodDuration: 86_400 },
          },
          rules: [{ type: 'expiry', data: { timestamp: Math.floor(Date.now() / 1000) + 86_400 } }],
        },
      ],
      { accounts: [account.address] },
    );
    const [granted] = (answer as { result: { context: `0x${string}` }[] }).result;
    const ctx = decodeContext(granted!.context);
    expect(getAddress(ctx.account)).toBe(account.address);
    expect(await grantState(pub() as never, devnet.config.functor.keyStore, ctx.keyId, account.address)).toBe('enabled');
  });
});
