// The owner's smart account of each kind, built on permissionless with the devnet's (or a
// network's) addresses. On Kernel and Nexus the owner validator is the network's ECDSA owner
// validator (the devnet's DevOwnerValidator keeps the canonical format); on Safe the owners are the
// Safe's own, through Safe7579.
import {
  type Address,
  type Chain,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type Transport,
  encodeFunctionData,
  parseAbi,
  zeroAddress,
  pad,
  toHex,
} from 'viem';
import { type SmartAccount, entryPoint07Address } from 'viem/account-abstraction';
import { toKernelSmartAccount, toNexusSmartAccount, toSafeSmartAccount } from 'permissionless/accounts';
import type { DevnetConfig } from '../chain/devnetConfig.js';
import type { AccountKind } from './kinds.js';

/** What account building needs from a network's config (the devnet's JSON has all of it). */
export type AccountAddresses = Pick<DevnetConfig, 'entryPoint' | 'kernel' | 'nexus' | 'safe'>;

/** The validator that checks the owner's signature on an account of `kind` (Safe: the adapter, by the Safe's owners). */
export const ownerValidatorOf = (a: AccountAddresses, kind: AccountKind): Address =>
  kind === 'kernel' ? a.kernel.ownerValidator : kind === 'nexus' ? a.nexus.ownerValidator : a.safe.safe7579;

const nexusFactoryAbi = parseAbi([
  'function createAccount(bytes initData, bytes32 salt) payable returns (address)',
  'function computeAccountAddress(bytes initData, bytes32 salt) view returns (address)',
]);
const nexusBootstrapAbi = parseAbi([
  'struct BootstrapConfig { address module; bytes data; }',
  'function getInitNexusWithSingleValidatorCalldata(BootstrapConfig validator, address registry, address[] attesters, uint8 threshold) view returns (bytes)',
]);

export async function toOwnerAccount(params: {
  kind: AccountKind;
  client: PublicClient<Transport, Chain>;
  owner: LocalAccount;
  addresses: AccountAddresses;
  index?: bigint;
  /** An existing (deployed) account of this kind and owner, e.g. one imported by address. */
  address?: Address;
}): Promise<SmartAccount> {
  const { kind, client, owner, addresses: a, index = 0n, address } = params;
  const entryPoint = { address: a.entryPoint ?? entryPoint07Address, version: '0.7' as const };
  switch (kind) {
    case 'kernel':
      return toKernelSmartAccount({
        client,
        owners: [owner],
        version: '0.3.1',
        entryPoint,
        index,
        validatorAddress: a.kernel.ownerValidator,
        accountLogicAddress: a.kernel.implementation,
        factoryAddress: a.kernel.factory,
        useMetaFactory: false,
        address,
      }) as Promise<SmartAccount>;
    case 'nexus':
      return toNexusAccount(client, owner, a, index, address);
    case 'safe':
      return toSafeSmartAccount({
        client,
        owners: [owner],
        version: '1.4.1',
        entryPoint,
        saltNonce: index,
        safe4337ModuleAddress: a.safe.safe7579,
        erc7579LaunchpadAddress: a.safe.launchpad,
        safeSingletonAddress: a.safe.singleton,
        safeProxyFactoryAddress: a.safe.proxyFactory,
        attesters: [],
        attestersThreshold: 0,
        address,
      }) as Promise<SmartAccount>;
  }
}

/**
 * permissionless's Nexus account speaks Biconomy's K1ValidatorFactory; the Nexus release on npm
 * (modulekit) ships the generic NexusAccountFactory + bootstrap instead. Same account, same
 * signatures: only the factory call and the address derivation differ, so those two are replaced.
 */
async function toNexusAccount(
  client: PublicClient<Transport, Chain>,
  owner: LocalAccount,
  a: AccountAddresses,
  index: bigint,
  existing?: Address,
): Promise<SmartAccount> {
  const { readContract } = await import('viem/actions');
  // An existing account (imported) needs no init data: where no factory Functor speaks exists
  // (a public network's Nexus, networks/known.ts), only existing accounts are used.
  const initData = async () =>
    readContract(client, {
      address: a.nexus.bootstrap,
      abi: nexusBootstrapAbi,
      functionName: 'getInitNexusWithSingleValidatorCalldata',
      args: [{ module: a.nexus.ownerValidator, data: owner.address }, zeroAddress, [], 0],
    });
  const salt: Hex = pad(toHex(index), { size: 32 });
  const address: Address =
    existing ??
    (await readContract(client, {
      address: a.nexus.factory,
      abi: nexusFactoryAbi,
      functionName: 'computeAccountAddress',
      args: [await initData(), salt],
    }));
  const account = await toNexusSmartAccount({
    client,
    owners: [owner],
    version: '1.0.0',
    address,
    entryPoint: { address: a.entryPoint, version: '0.7' },
    factoryAddress: a.nexus.factory,
    validatorAddress: a.nexus.ownerValidator,
  });
  return {
    ...account,
    async getFactoryArgs() {
      if (await account.isDeployed()) return { factory: undefined, factoryData: undefined };
      return {
        factory: a.nexus.factory,
        factoryData: encodeFunctionData({ abi: nexusFactoryAbi, functionName: 'createAccount', args: [await initData(), salt] }),
      };
    },
  } as SmartAccount;
}
