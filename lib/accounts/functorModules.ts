// Installing FunctorValidator + FunctorPolicyHook on each account kind, and reading whether they
// are installed. The encodings differ per account:
// - Kernel v3.1 binds the hook to the validator: the validator's install data is
//   `hook ‖ abi.encode(validatorData, hookData, selectorData)` (ZeroDev's own encoder), with
//   hookData = flag byte 0x00 and `execute` granted to the validator;
// - Nexus: two plain installModule calls (validator, global hook);
// - Safe7579: the hook's install data is abi.encode(HookType.GLOBAL, bytes4(0), initData).
import { type Address, type Chain, encodeAbiParameters, type Hex, parseAbi, type PublicClient, type Transport } from 'viem';
import { encodeInstallModule } from 'permissionless';
import { getValidatorPluginInstallModuleData } from '@zerodev/sdk';
import type { SmartAccount } from 'viem/account-abstraction';
import type { AccountKind } from './kinds.js';

export interface FunctorAddresses {
  validator: Address;
  policyHook: Address;
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
  const hookInit: Hex =
    kind === 'safe'
      ? encodeAbiParameters([{ type: 'uint8' }, { type: 'bytes4' }, { type: 'bytes' }], [0, '0x00000000', '0x'])
      : '0x';
  return encodeInstallModule({
    account,
    modules: [
      { type: 'validator', address: f.validator, initData: '0x' },
      { type: 'hook', address: f.policyHook, initData: hookInit },
    ],
  });
}

const moduleAbi = parseAbi(['function isInitialized(address account) view returns (bool)']);

/** Whether each Functor module considers itself installed on `account` (onInstall ran). */
export async function functorStatus(client: PublicClient<Transport, Chain>, account: Address, f: FunctorAddresses) {
  const code = await client.getCode({ address: account });
  if (!code || code === '0x') return { deployed: false, validator: false, hook: false };
  const [validator, hook] = await Promise.all([
    client.readContract({ address: f.validator, abi: moduleAbi, functionName: 'isInitialized', args: [account] }),
    client.readContract({ address: f.policyHook, abi: moduleAbi, functionName: 'isInitialized', args: [account] }),
  ]);
  return { deployed: true, validator, hook };
}
