// Installing FunctorValidator + FunctorPolicyHook on each account kind, and reading whether they
// are installed. The encodings differ per account:
// - Kernel v3.1 binds the hook to the validator: the validator's install data is
//   `hook ‖ abi.encode(validatorData, hookData, selectorData)` (ZeroDev's own encoder), with
//   hookData = flag byte 0x00 and `execute` granted to the validator;
// - Nexus: two plain installModule calls (validator, global hook);
// - Safe7579: the hook's install data is abi.encode(HookType.GLOBAL, bytes4(0), initData).
// The ERC-7710 path installs FunctorValidator a second time, as an executor, with the address of the
// chain's DelegationManager as its data (contracts/README.md, "ERC-7710"); Kernel v3.1 names the
// hook each executor runs under: `hook ‖ abi.encode(executorData, hookData)`, hookData = flag 0x00
// (the hook is initialized already: Kernel calls its onInstall only when it is not).
import { type Address, type Chain, concatHex, encodeAbiParameters, type Hex, parseAbi, type PublicClient, type Transport, zeroAddress } from 'viem';
import { encodeInstallModule, encodeUninstallModule } from 'permissionless';
import { getValidatorPluginInstallModuleData } from '@zerodev/sdk';
import type { SmartAccount } from 'viem/account-abstraction';
import type { AccountKind } from './kinds.js';

export interface FunctorAddresses {
  validator: Address;
  policyHook: Address;
}

/** The call that opens the ERC-7710 path on `account`: FunctorValidator as an executor trusting `delegationManager`. */
export function functorExecutorInstallCall(kind: AccountKind, account: SmartAccount, f: FunctorAddresses, delegationManager: Address) {
  const executorData = encodeAbiParameters([{ type: 'address' }], [delegationManager]);
  const initData =
    kind === 'kernel' ? concatHex([f.policyHook, encodeAbiParameters([{ type: 'bytes' }, { type: 'bytes' }], [executorData, '0x00'])]) : executorData;
  return encodeInstallModule({ account, modules: [{ type: 'executor', address: f.validator, initData }] });
}

const EXECUTE_SELECTOR: Hex = '0xe9ae5c53';

export async function functorInstallCalls(kind: AccountKind, account: SmartAccount, f: FunctorAddresses) {
  if (kind === 'kernel') {
    const { data } = await getValidatorPluginInstallModuleData({
      plugin: { address: f.validator, getEnableData: async () => '0x' },
      entryPoint: { address: account.entryPoint.address, version: '0.7' },
      kernelVersion: '0.3.1',
      hook: { getIdentifier: () => f.policyHook, getEnableData: async () => '0x00' } as never,
      action: { selector: EXECUTE_SELECTOR },
    });
    return encodeInstallModule({ account, modules: [{ type: 'validator', address: f.validator, initData: data }] });
  }
  const hookInit: Hex = kind === 'safe' ? encodeAbiParameters([{ type: 'uint8' }, { type: 'bytes4' }, { type: 'bytes' }], [0, '0x00000000', '0x']) : '0x';
  return encodeInstallModule({
    account,
    modules: [
      { type: 'validator', address: f.validator, initData: '0x' },
      { type: 'hook', address: f.policyHook, initData: hookInit },
    ],
  });
}

const moduleAbi = parseAbi([
  'function isInitialized(address account) view returns (bool)',
  'function delegationManagerOf(address account) view returns (address)',
]);

/**
 * Whether each Functor module considers itself installed on `account` (onInstall ran), and which
 * DelegationManager its ERC-7710 path trusts (zero: none).
 */
export async function functorStatus(client: PublicClient<Transport, Chain>, account: Address, f: FunctorAddresses) {
  const code = await client.getCode({ address: account });
  if (!code || code === '0x') return { deployed: false, validator: false, hook: false, delegationManager: zeroAddress };
  const [validator, hook, delegationManager] = await Promise.all([
    client.readContract({ address: f.validator, abi: moduleAbi, functionName: 'isInitialized', args: [account] }),
    client.readContract({ address: f.policyHook, abi: moduleAbi, functionName: 'isInitialized', args: [account] }),
    client.readContract({ address: f.validator, abi: moduleAbi, functionName: 'delegationManagerOf', args: [account] }),
  ]);
  return { deployed: true, validator, hook, delegationManager };
}

const SENTINEL: Address = '0x0000000000000000000000000000000000000001';
const listAbi = parseAbi([
  'function getValidatorsPaginated(address cursor, uint256 size) view returns (address[] array, address next)',
  'function getExecutorsPaginated(address cursor, uint256 size) view returns (address[] array, address next)',
]);

/** Nexus and Safe7579 keep modules in sentinel lists: removing one names the entry before it. */
async function previousEntry(client: PublicClient<Transport, Chain>, account: Address, list: 'validators' | 'executors', module: Address) {
  const [entries] = await client.readContract({
    address: account,
    abi: listAbi,
    functionName: list === 'validators' ? 'getValidatorsPaginated' : 'getExecutorsPaginated',
    args: [SENTINEL, 100n],
  });
  const i = entries.findIndex((v) => v.toLowerCase() === module.toLowerCase());
  if (i < 0) throw new Error(`FunctorValidator is not installed on ${account} (as one of its ${list})`);
  return i === 0 ? SENTINEL : entries[i - 1]!;
}

/**
 * The owner's calls that uninstall Functor from an account: the ERC-7710 executor when that path is
 * open, then FunctorValidator and FunctorPolicyHook (the hook's onUninstall voids every policy the
 * account set). Kernel removes the validator and its bound hook by flag byte. The executor's
 * deInitData is non-empty (the DelegationManager it trusted): FunctorValidator reads empty data as
 * "uninstall the validator". On Safe7579 send these only after the account's keys are disabled or
 * revoked in an earlier op: the adapter removes the hook even when it refuses, so a key's op
 * validated in the same bundle would otherwise run without its policy (SECURITY.md, "Out of scope,
 * or not yet defended").
 */
export async function functorUninstallCalls(kind: AccountKind, client: PublicClient<Transport, Chain>, account: SmartAccount, f: FunctorAddresses) {
  const { delegationManager } = await functorStatus(client, account.address, f);
  const executorData = encodeAbiParameters([{ type: 'address' }], [delegationManager]);
  const executor = delegationManager === zeroAddress ? [] : [{ type: 'executor' as const, address: f.validator, deInitData: executorData }];
  if (kind === 'kernel') {
    return encodeUninstallModule({
      account,
      modules: [...executor, { type: 'validator', address: f.validator, deInitData: '0x' }, { type: 'hook', address: f.policyHook, deInitData: '0xff' }],
    });
  }
  const prevValidator = await previousEntry(client, account.address, 'validators', f.validator);
  const prevExecutor = executor.length ? await previousEntry(client, account.address, 'executors', f.validator) : SENTINEL;
  const hookDeInit: Hex = kind === 'safe' ? encodeAbiParameters([{ type: 'uint8' }, { type: 'bytes4' }, { type: 'bytes' }], [0, '0x00000000', '0x']) : '0x';
  const listed = (prev: Address, data: Hex) => encodeAbiParameters([{ type: 'address' }, { type: 'bytes' }], [prev, data]);
  return encodeUninstallModule({
    account,
    modules: [
      ...executor.map((e) => ({ ...e, deInitData: listed(prevExecutor, executorData) })),
      { type: 'validator', address: f.validator, deInitData: listed(prevValidator, '0x') },
      { type: 'hook', address: f.policyHook, deInitData: hookDeInit },
    ],
  });
}
