// Deploys the whole stack on a fresh anvil: EntryPoint v0.7 and Safe 1.4.1 at their canonical
// addresses, Kernel v3.1, Nexus 1.0 and Safe7579 1.0 (real bytecode from npm), the dev owner
// validator, the Functor contracts and two tokens. Everything goes through CREATE2 factories, so
// addresses are the same on every run. Where the bytecode on npm is not byte-for-byte the one
// deployed on public chains (so CREATE2 cannot reach the canonical address), the contract is
// deployed here and its code laid at the canonical address (anvil_setCode): Kernel v3.1 and its
// factory, ZeroDev's ECDSAValidator and Biconomy's K1Validator (both DevOwnerValidator, which keeps
// their formats), the Safe7579 adapter and launchpad (devnet/README.md says which and why).
import {
  type Address,
  type Chain,
  type Hex,
  concat,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  getContractAddress,
  http,
  keccak256,
  stringToHex,
  zeroHash,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devnetChain } from '../lib/accounts/clients.js';
import { deploySmartAccountsEnvironment } from '@metamask/smart-accounts-kit/utils';
import { bytecode } from './artifacts.js';
import { deployFunctor, functorAddresses } from '../lib/deploy/functor.js';
import { CANONICAL } from '../lib/networks/canonical.js';

export const CREATE2_FACTORY: Address = '0x4e59b44847b379578588920cA78FbF26c0B4956C';
export const SAFE_SINGLETON_FACTORY: Address = '0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7';
export const ENTRYPOINT_07: Address = '0x0000000071727De22E5E9d8BAf0edAc6f37da032';
const ENTRYPOINT_07_SALT: Hex = '0x90d8084deab30c2a37c45e8d47f49f2f7965183cb6990a98943ef94940681de3';

const salt = (label: string): Hex => keccak256(stringToHex(`functor.devnet.${label}`));

export async function deployStack(rpcUrl: string, deployerKey: Hex, chainId = 31337, opts: { functor?: boolean } = {}) {
  const transport = http(rpcUrl);
  const chain = devnetChain(chainId, rpcUrl);
  const pub = createPublicClient({ chain, transport });
  const wallet = createWalletClient({ chain, transport, account: privateKeyToAccount(deployerKey) });

  async function create2(factory: Address, initCode: Hex, s: Hex = zeroHash): Promise<Address> {
    const address = getContractAddress({ opcode: 'CREATE2', from: factory, salt: s, bytecode: initCode });
    const existing = await pub.getCode({ address });
    if (existing && existing !== '0x') return address;
    const hash = await wallet.sendTransaction({ to: factory, data: concat([s, initCode]) });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    const code = await pub.getCode({ address });
    if (receipt.status !== 'success' || !code || code === '0x') throw new Error(`deployment to ${address} failed`);
    return address;
  }
  const args = (types: string, values: unknown[]) =>
    encodeAbiParameters(
      types.split(',').map((type) => ({ type })),
      values,
    );
  const deploy = (initCode: Hex, s?: Hex) => create2(CREATE2_FACTORY, initCode, s);
  /**
   * Lays the runtime code deployed at `from` at the canonical address `to`, and returns `to`. A
   * contract that keeps its own address as an immutable (Safe7579's launchpad checks that a proxy's
   * singleton is itself; Solady's EIP-712 caches it) would still name `from`: every occurrence of
   * `from` in the code is relocated to `to` (20 random bytes occur by chance in no real bytecode).
   */
  async function layAt(to: Address, from: Address): Promise<Address> {
    const code = await pub.getCode({ address: from });
    if (!code || code === '0x') throw new Error(`nothing deployed at ${from} to lay at ${to}`);
    const relocated = code.toLowerCase().replaceAll(from.slice(2).toLowerCase(), to.slice(2).toLowerCase()) as Hex;
    await pub.request({ method: 'anvil_setCode' as never, params: [to, relocated] as never });
    return to;
  }

  // ERC-4337 v0.7 at its canonical address.
  const entryPoint = await deploy(bytecode.entryPoint(), ENTRYPOINT_07_SALT);
  if (entryPoint !== ENTRYPOINT_07) throw new Error(`EntryPoint landed at ${entryPoint}, not ${ENTRYPOINT_07}`);

  // Safe's singleton factory is byte-for-byte the CREATE2 factory; anvil lacks it.
  await pub.request({
    method: 'anvil_setCode' as never,
    params: [SAFE_SINGLETON_FACTORY, await pub.getCode({ address: CREATE2_FACTORY })] as never,
  });
  const safeDeploy = (initCode: Hex) => create2(SAFE_SINGLETON_FACTORY, initCode);
  const safe = {
    singleton: await safeDeploy(bytecode.safe('Safe')),
    singletonL2: await safeDeploy(bytecode.safe('SafeL2')),
    proxyFactory: await safeDeploy(bytecode.safe('proxies/SafeProxyFactory')),
    multiSend: await safeDeploy(bytecode.safe('libraries/MultiSend')),
    multiSendCallOnly: await safeDeploy(bytecode.safe('libraries/MultiSendCallOnly')),
    fallbackHandler: await safeDeploy(bytecode.safe('handler/CompatibilityFallbackHandler')),
    safe4337Module: await safeDeploy(concat([bytecode.safe4337('Safe4337Module'), args('address', [entryPoint])])),
    moduleSetup: await safeDeploy(bytecode.safe4337('SafeModuleSetup')),
  };
  // Safe 1.4.1 / Safe4337Module 0.3.0 must land at their canonical addresses (lib/networks/canonical.ts).
  const notCanonical = Object.entries(safe).filter(([k, v]) => v.toLowerCase() !== CANONICAL.safe[k as keyof typeof safe].toLowerCase());

  const registry = await deploy(bytecode.functor('DevRegistry'));
  const safe7579 = await layAt(CANONICAL.safe.safe7579, await deploy(bytecode.safe7579(), salt('safe7579')));
  const launchpad = await layAt(
    CANONICAL.safe.launchpad,
    await deploy(concat([bytecode.safe7579Launchpad(), args('address,address', [entryPoint, registry])]), salt('safe7579.launchpad')),
  );

  // The factory's implementation is an immutable: built for the canonical implementation address,
  // the factory derives accounts exactly as ZeroDev's SDK does.
  const kernelImpl = await layAt(CANONICAL.kernel.implementation, await deploy(concat([bytecode.kernel(), args('address', [entryPoint])]), salt('kernel')));
  const kernelFactory = await layAt(
    CANONICAL.kernel.factory,
    await deploy(concat([bytecode.kernelFactory(), args('address', [kernelImpl])]), salt('kernel.factory')),
  );

  const nexusImpl = await deploy(concat([bytecode.nexus(), args('address', [entryPoint])]), salt('nexus'));
  const nexusFactory = await deploy(concat([bytecode.nexusFactory(), args('address,address', [nexusImpl, wallet.account.address])]), salt('nexus.factory'));
  const nexusBootstrap = await deploy(bytecode.nexusBootstrap(), salt('nexus.bootstrap'));

  const devOwnerValidator = await deploy(bytecode.functor('DevOwnerValidator'));
  const kernelOwnerValidator = await layAt(CANONICAL.kernel.ownerValidator, devOwnerValidator);
  const nexusOwnerValidator = await layAt(CANONICAL.nexus.ownerValidator, devOwnerValidator);
  const usdc = await deploy(concat([bytecode.functor('DevToken'), args('string,string,uint8', ['USD Coin', 'USDC', 6])]));
  const dai = await deploy(concat([bytecode.functor('DevToken'), args('string,string,uint8', ['Dai Stablecoin', 'DAI', 18])]));

  // Functor itself as `npm run deploy` deploys it on any chain (the same addresses everywhere); or,
  // without it, only where it would land.
  const functorCode = {
    keyStore: bytecode.functor('KeyStore'),
    functorPolicyConfig: bytecode.functor('FunctorPolicyConfig'),
    functorPolicyGeneral: bytecode.functor('FunctorPolicyGeneral'),
    functorDeployer: bytecode.functor('FunctorDeployer'),
  };
  const { keyStore, deployer, policyHook, validator } = opts.functor === false ? functorAddresses(functorCode) : await deployFunctor(wallet, functorCode);

  const delegationFramework = await deployDelegationFramework(rpcUrl, entryPoint, chain);

  return {
    entryPoint,
    functor: { keyStore, deployer, policyHook, validator },
    delegationFramework,
    tokens: { usdc, dai },
    kernel: { implementation: kernelImpl, factory: kernelFactory, ownerValidator: kernelOwnerValidator },
    nexus: { implementation: nexusImpl, factory: nexusFactory, bootstrap: nexusBootstrap, ownerValidator: nexusOwnerValidator },
    safe: { ...safe, safe7579, launchpad, registry },
    notCanonical: notCanonical.map(([k]) => k),
  };
}

/**
 * MetaMask's Delegation Framework (DelegationManager, caveat enforcers, DeleGator implementations),
 * deployed by the kit's own `deploySmartAccountsEnvironment` from the bytecode
 * @metamask/delegation-abis ships, as MetaMask's local-development guide does. It deploys with
 * CREATE, so from a deployer of its own (a key derived from a fixed label, funded here) at nonce 0:
 * the addresses are the same on every run. Agents pass the result to `overrideDeployedEnvironment`.
 */
async function deployDelegationFramework(rpcUrl: string, entryPoint: Address, chain: Chain) {
  const account = privateKeyToAccount(keccak256(stringToHex('functor.devnet.delegation-framework')));
  const pub = createPublicClient({ chain, transport: http(rpcUrl) });
  await pub.request({ method: 'anvil_setBalance' as never, params: [account.address, '0x56bc75e2d63100000'] as never });
  const wallet = createWalletClient({ chain, transport: http(rpcUrl), account });
  return deploySmartAccountsEnvironment(wallet, pub, chain, { EntryPoint: entryPoint });
}

export type DeployedStack = Awaited<ReturnType<typeof deployStack>>;
