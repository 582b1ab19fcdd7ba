// Installing Functor on each account kind, reading whether it is installed, and uninstalling it.
// Functor's module is FunctorPolicyHook (`policyHook`): ONE address in two ERC-7579 roles, the
// validator of a key's UserOps (type 1) and the hook around every execution (type 4), with one
// install state per account for both (contracts/README.md, "One module for validator and hook").
// FunctorValidator (`validator`) is the ERC-7710 executor alone (type 2), installed only where the
// chain has a DelegationManager. No account tells a module which type it installs, so the module
// tells its roles apart by their data: the hook role's is `0x04` and installs the module, the
// validator role's is empty and changes nothing (anything else reverts BadInstallData); either
// role's onUninstall voids the account's policies and leaves the module uninstalled. So the module
// is (re)installed only through its hook role. The encodings differ per account:
// - Kernel v3.1 binds a hook to each validator: the module installed as a validator with itself as
//   the bound hook is both roles in one call, `hook ‖ abi.encode(validatorData, hookData,
//   selectorData)` (ZeroDev's own encoder), with `execute` granted to it. hookData is the flag byte
//   0x00 then 0x04: Kernel calls the hook's onInstall(0x04) first, and only while isInitialized
//   answers false, then the validator's onInstall(0x), always. A first install and a reinstall
//   after an uninstall (isInitialized false again) both run the hook's; where the module is still
//   installed it is skipped, which is right, so 0xff (force it) would only repeat the Installed
//   event. Never Kernel's root validator: Kernel lets any caller into `execute` when the root
//   validator answers isModuleType(4) (contracts/README.md, rule 6);
// - Nexus: two plain installModule calls of the same address (validator, global hook);
// - Safe7579: the same, the hook's install data being abi.encode(HookType.GLOBAL, bytes4(0), 0x04).
// The ERC-7710 executor's data is the address of the chain's DelegationManager (contracts/README.md,
// "ERC-7710"); Kernel v3.1 names the hook each executor runs under: `hook ‖ abi.encode(executorData,
// hookData)`, hookData = flag 0x00 and no data: Kernel calls the hook's onInstall only when the
// module is not installed, and then with empty data, which installs nothing.
import {
  type Address,
  type Chain,
  concatHex,
  encodeAbiParameters,
  encodeFunctionData,
  isAddressEqual,
  type Hex,
  parseAbi,
  type PublicClient,
  type Transport,
  zeroAddress,
} from 'viem';
import { encodeInstallModule, encodeUninstallModule } from 'permissionless';
import { getValidatorPluginInstallModuleData } from '@zerodev/sdk';
import type { SmartAccount } from 'viem/account-abstraction';
import type { AccountKind } from './kinds.js';
import { functorPolicyHookAbi, functorValidatorAbi, keyStoreAbi } from '../abi/generated.js';
import { yes } from './machinery.js';

export interface FunctorAddresses {
  /** FunctorValidator: the ERC-7710 executor. */
  validator: Address;
  /** FunctorPolicyHook: the module, validator and hook. */
  policyHook: Address;
  /** The KeyStore, where the module caches each key's validation word for an account that names it its terms writer. */
  keyStore: Address;
}

/** The call that opens the ERC-7710 path on `account`: FunctorValidator as an executor trusting `delegationManager`. */
export function functorExecutorInstallCall(kind: AccountKind, account: SmartAccount, f: FunctorAddresses, delegationManager: Address) {
  const executorData = encodeAbiParameters([{ type: 'address' }], [delegationManager]);
  const initData =
    kind === 'kernel' ? concatHex([f.policyHook, encodeAbiParameters([{ type: 'bytes' }, { type: 'bytes' }], [executorData, '0x00'])]) : executorData;
  return encodeInstallModule({ account, modules: [{ type: 'executor', address: f.validator, initData }] });
}

const EXECUTE_SELECTOR: Hex = '0xe9ae5c53';
/** What the module's onInstall gets as each role: the hook role's (MODULE_TYPE_HOOK) installs it. */
const VALIDATOR_ROLE_DATA: Hex = '0x';
const HOOK_ROLE_DATA: Hex = '0x04';
/** Safe7579's hook data: abi.encode(HookType.GLOBAL, bytes4(0), the module's data). */
const safeGlobalHook = (data: Hex) => encodeAbiParameters([{ type: 'uint8' }, { type: 'bytes4' }, { type: 'bytes' }], [0, '0x00000000', data]);
/** Safe7579's isModuleInstalled(4, …) context: abi.encode(HookType.GLOBAL, bytes4(0)) (empty data reverts there). */
const SAFE_GLOBAL_HOOK_CONTEXT: Hex = encodeAbiParameters([{ type: 'uint8' }, { type: 'bytes4' }], [0, '0x00000000']);

/** What the account already has (functorStatus); a fresh account has nothing. */
export type FunctorRoles = Pick<FunctorStatus, 'validator' | 'hook' | 'initialized' | 'termsWriter'>;
const NOTHING: FunctorRoles = { validator: false, hook: false, initialized: false, termsWriter: false };

/** The account names the module the writer of its keys' terms cache in the KeyStore (setPolicies needs it). */
const termsWriterCall = (f: FunctorAddresses) => ({
  to: f.keyStore,
  value: 0n,
  data: encodeFunctionData({ abi: keyStoreAbi, functionName: 'setTermsWriter', args: [f.policyHook] }),
});

/**
 * The owner's calls that install Functor's module on `account`, in the roles it lacks (`have`, from
 * functorStatus; nothing by default). Kernel always takes the one call that installs both roles
 * (installing a validator again renews it; the hook's onInstall runs when the module is not
 * installed). On Nexus and Safe7579 a role already there is not installed again (they revert), and
 * where the hook role is there but the module is not installed (the validator role's uninstall left
 * it), the hook role is removed and installed again: only its onInstall installs the module.
 */
export async function functorInstallCalls(kind: AccountKind, account: SmartAccount, f: FunctorAddresses, have: FunctorRoles = NOTHING) {
  if (kind === 'kernel') {
    const { data } = await getValidatorPluginInstallModuleData({
      plugin: { address: f.policyHook, getEnableData: async () => VALIDATOR_ROLE_DATA },
      entryPoint: { address: account.entryPoint.address, version: '0.7' },
      kernelVersion: '0.3.1',
      hook: { getIdentifier: () => f.policyHook, getEnableData: async () => concatHex(['0x00', HOOK_ROLE_DATA]) } as never,
      action: { selector: EXECUTE_SELECTOR },
    });
    return [
      ...encodeInstallModule({ account, modules: [{ type: 'validator', address: f.policyHook, initData: data }] }),
      ...(have.termsWriter ? [] : [termsWriterCall(f)]),
    ];
  }
  const hookData: Hex = kind === 'safe' ? safeGlobalHook(HOOK_ROLE_DATA) : HOOK_ROLE_DATA;
  const hook = { type: 'hook' as const, address: f.policyHook };
  const reinstallHook = have.hook && !have.initialized;
  return [
    ...(reinstallHook ? encodeUninstallModule({ account, modules: [{ ...hook, deInitData: kind === 'safe' ? safeGlobalHook('0x') : '0x' }] }) : []),
    ...encodeInstallModule({
      account,
      modules: [
        ...(have.validator ? [] : [{ type: 'validator' as const, address: f.policyHook, initData: VALIDATOR_ROLE_DATA }]),
        ...(have.hook && !reinstallHook ? [] : [{ ...hook, initData: hookData }]),
      ],
    }),
    ...(have.termsWriter ? [] : [termsWriterCall(f)]),
  ];
}

const accountAbi = parseAbi([
  'function isModuleInstalled(uint256 moduleTypeId, address module, bytes additionalContext) view returns (bool)',
  'struct ValidationConfig { uint32 nonce; address hook; }',
  'function validationConfig(bytes21 vId) view returns (ValidationConfig)',
]);

export type FunctorStatus = {
  deployed: boolean;
  /** The account has the module (FunctorPolicyHook) as a validator: the account's own answer. */
  validator: boolean;
  /** The account runs the module as its hook: Nexus's and Safe7579's global hook, the hook Kernel binds to the module's validation. */
  hook: boolean;
  /** The module's install state for the account, one for both roles (the hook role's onInstall sets it, either role's onUninstall clears it and voids the account's policies). */
  initialized: boolean;
  /** The DelegationManager FunctorValidator's ERC-7710 path trusts on the account (zero: none, the executor is not installed). */
  delegationManager: Address;
  /** The account named the module the writer of its keys' terms cache in the KeyStore: without it setPolicies reverts (NotTermsWriter). */
  termsWriter: boolean;
};

/** Keys can act on the account: the module is its validator and its hook, installed, and its terms writer. */
export const functorInstalled = (s: FunctorRoles) => s.validator && s.hook && s.initialized && s.termsWriter;

/**
 * Where Functor stands on `account`. The module's isInitialized alone cannot say which roles the
 * account gives it (one state for both; on Nexus and Safe7579 an uninstall of one role leaves the
 * other installed, and installing it again reverts), and the account's answer alone cannot say
 * whether the module's onInstall ran: both are read. Kernel answers isModuleInstalled for
 * validators only (hook: always false), so its hook role is the hook bound to the module's
 * validation (validationConfig). A read that reverts is a "no"; a chain that does not answer throws.
 */
export async function functorStatus(kind: AccountKind, client: PublicClient<Transport, Chain>, account: Address, f: FunctorAddresses): Promise<FunctorStatus> {
  const code = await client.getCode({ address: account });
  if (!code || code === '0x') return { deployed: false, validator: false, hook: false, initialized: false, delegationManager: zeroAddress, termsWriter: false };
  const m = f.policyHook;
  const installedAs = (type: bigint, context: Hex) =>
    yes(client.readContract({ address: account, abi: accountAbi, functionName: 'isModuleInstalled', args: [type, m, context] }));
  const roles = async (): Promise<[boolean, boolean]> => {
    if (kind !== 'kernel') return Promise.all([installedAs(1n, '0x'), installedAs(4n, kind === 'safe' ? SAFE_GLOBAL_HOOK_CONTEXT : '0x')]);
    // vId = type validator (0x01) ‖ module; hook 0: not installed, 1: installed with no hook.
    const vId = concatHex(['0x01', m]);
    const { hook } = await client.readContract({ address: account, abi: accountAbi, functionName: 'validationConfig', args: [vId] });
    return [BigInt(hook) !== 0n, isAddressEqual(hook, m)];
  };
  const [[validator, hook], initialized, delegationManager, writer] = await Promise.all([
    roles(),
    client.readContract({ address: m, abi: functorPolicyHookAbi, functionName: 'isInitialized', args: [account] }),
    client.readContract({ address: f.validator, abi: functorValidatorAbi, functionName: 'delegationManagerOf', args: [account] }),
    client.readContract({ address: f.keyStore, abi: keyStoreAbi, functionName: 'termsWriter', args: [account] }),
  ]);
  return { deployed: true, validator, hook, initialized, delegationManager, termsWriter: isAddressEqual(writer, m) };
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
  const i = entries.findIndex((v) => isAddressEqual(v, module));
  if (i < 0) throw new Error(`${module} is not installed on ${account} (as one of its ${list})`);
  return i === 0 ? SENTINEL : entries[i - 1]!;
}

/**
 * The owner's calls that uninstall Functor from an account, each only where the account has it: the
 * ERC-7710 executor (FunctorValidator) when that path is open, then the module's validator role and
 * its hook role. The first of the module's onUninstall calls voids every policy the account set and
 * leaves it uninstalled for both roles; the second changes nothing. Kernel: `uninstallModule(1)`
 * removes the module's validation and the hook bound to it in one call, with the validator role's
 * onUninstall, which is enough; a module still installed on Kernel with no validation (the
 * validation's removal went on while the module refused its onUninstall, KeyedOpPending: Kernel
 * swallows it) gets its onUninstall through `uninstallModule(4)`. The executor's deInitData
 * is the DelegationManager it trusted (any data clears it). On Safe7579 send these only after the
 * account's keys are disabled or revoked in an earlier op: the adapter removes the hook even when it
 * refuses, so a key's op validated in the same bundle would otherwise run without its policy
 * (SECURITY.md, "Out of scope, or not yet defended").
 */
export async function functorUninstallCalls(kind: AccountKind, client: PublicClient<Transport, Chain>, account: SmartAccount, f: FunctorAddresses) {
  const s = await functorStatus(kind, client, account.address, f);
  const executorData = encodeAbiParameters([{ type: 'address' }], [s.delegationManager]);
  const executor = s.delegationManager === zeroAddress ? [] : [{ type: 'executor' as const, address: f.validator, deInitData: executorData }];
  if (kind === 'kernel') {
    const module = s.validator
      ? [{ type: 'validator' as const, address: f.policyHook, deInitData: '0x' as Hex }]
      : s.initialized
        ? [{ type: 'hook' as const, address: f.policyHook, deInitData: '0x' as Hex }]
        : [];
    return encodeUninstallModule({ account, modules: [...executor, ...module] });
  }
  const listed = (prev: Address, data: Hex) => encodeAbiParameters([{ type: 'address' }, { type: 'bytes' }], [prev, data]);
  const prevExecutor = executor.length ? await previousEntry(client, account.address, 'executors', f.validator) : SENTINEL;
  const prevValidator = s.validator ? await previousEntry(client, account.address, 'validators', f.policyHook) : SENTINEL;
  return encodeUninstallModule({
    account,
    modules: [
      ...executor.map((e) => ({ ...e, deInitData: listed(prevExecutor, executorData) })),
      ...(s.validator ? [{ type: 'validator' as const, address: f.policyHook, deInitData: listed(prevValidator, '0x') }] : []),
      ...(s.hook ? [{ type: 'hook' as const, address: f.policyHook, deInitData: kind === 'safe' ? safeGlobalHook('0x') : ('0x' as Hex) }] : []),
    ],
  });
}
