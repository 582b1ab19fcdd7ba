// Deploys Functor's contracts on any chain, at the same addresses everywhere: the KeyStore, the
// hook's configuration code (FunctorPolicyConfig), its general path (FunctorPolicyGeneral) and the
// FunctorDeployer (which creates the hook and validator pair in its constructor) through the
// CREATE2 factory at 0x4e59…956C with salt 0. What they need and a chain may lack is checked first
// (the factory, the EntryPoint v0.7); Functor deploys nothing else. Idempotent: what is already at
// an address is checked (code there, and the pair answers as Functor's), never deployed again.
import {
  type Account,
  type Address,
  BaseError,
  type Chain,
  type Client,
  concat,
  encodeAbiParameters,
  getContractAddress,
  type Hex,
  type Transport,
  type WalletClient,
  zeroHash,
} from 'viem';
import { getCode, readContract, sendTransaction, waitForTransactionReceipt } from 'viem/actions';
import { functorDeployerAbi, functorPolicyHookAbi, functorValidatorAbi, keyStoreAbi } from '../abi/generated.js';

export const CREATE2_FACTORY: Address = '0x4e59b44847b379578588920cA78FbF26c0B4956C';
export const ENTRYPOINT_07: Address = '0x0000000071727De22E5E9d8BAf0edAc6f37da032';

/** The creation bytecode of the contracts deployed through the factory (from the project's forge build). */
export type FunctorBytecode = { keyStore: Hex; functorPolicyConfig: Hex; functorPolicyGeneral: Hex; functorDeployer: Hex };

export type FunctorAddresses = { keyStore: Address; deployer: Address; policyHook: Address; validator: Address };

export class ChainLacksError extends BaseError {
  constructor(what: 'the CREATE2 factory' | 'the EntryPoint v0.7', address: Address, chainId: number) {
    super(`Chain ${chainId} has no code at ${address} (${what}): Functor cannot be deployed there.`, {
      details:
        what === 'the CREATE2 factory'
          ? 'Functor deploys through the deterministic deployment proxy (present on every major chain), so its addresses are the same everywhere.'
          : 'Functor is an ERC-4337 v0.7 module: the chain needs the canonical EntryPoint first.',
      name: 'ChainLacksError',
    });
  }
}

export class UnexpectedCodeError extends BaseError {
  constructor(address: Address, why: string) {
    super(`The code at ${address} is not Functor's: ${why}.`, { name: 'UnexpectedCodeError' });
  }
}

/**
 * Where Functor lands on every chain for this bytecode (no chain needed): the KeyStore's code, the
 * hook's two code contracts (built for that code and the EntryPoint) and the FunctorDeployer through
 * the CREATE2 factory with salt 0; the hook and the validator are the deployer's first and second
 * CREATE. The hook is the KeyStore: it holds the KeyStore's storage and runs its code
 * (contracts/README.md, "The KeyStore inside the module"), so `keyStore` is the hook's address.
 */
export function functorAddresses(code: FunctorBytecode): FunctorAddresses & {
  keyStoreCode: Address;
  policyConfig: Address;
  policyGeneral: Address;
  initCodes: { keyStoreCode: Hex; policyConfig: Hex; policyGeneral: Hex; deployer: Hex };
} {
  const create2 = (bytecode: Hex) => getContractAddress({ opcode: 'CREATE2', from: CREATE2_FACTORY, salt: zeroHash, bytecode });
  const keyStoreInit = code.keyStore;
  const keyStoreCode = create2(keyStoreInit);
  const codeAndEntryPoint = encodeAbiParameters([{ type: 'address' }, { type: 'address' }], [keyStoreCode, ENTRYPOINT_07]);
  const configInit = concat([code.functorPolicyConfig, codeAndEntryPoint]);
  const policyConfig = create2(configInit);
  const generalInit = concat([code.functorPolicyGeneral, codeAndEntryPoint]);
  const policyGeneral = create2(generalInit);
  const deployerInit = concat([
    code.functorDeployer,
    encodeAbiParameters(
      [{ type: 'address' }, { type: 'address' }, { type: 'address' }, { type: 'address' }],
      [keyStoreCode, ENTRYPOINT_07, policyConfig, policyGeneral],
    ),
  ]);
  const deployer = create2(deployerInit);
  const policyHook = getContractAddress({ from: deployer, nonce: 1n });
  const validator = getContractAddress({ from: deployer, nonce: 2n });
  return {
    keyStore: policyHook,
    keyStoreCode,
    deployer,
    policyHook,
    validator,
    policyConfig,
    policyGeneral,
    initCodes: { keyStoreCode: keyStoreInit, policyConfig: configInit, policyGeneral: generalInit, deployer: deployerInit },
  };
}

/** The factory and the EntryPoint Functor needs: ChainLacksError for the first one missing. */
export async function assertChainCanHoldFunctor(client: Client) {
  const chainId = await client.request({ method: 'eth_chainId' }).then(Number);
  if (!(await hasCode(client, CREATE2_FACTORY))) throw new ChainLacksError('the CREATE2 factory', CREATE2_FACTORY, chainId);
  if (!(await hasCode(client, ENTRYPOINT_07))) throw new ChainLacksError('the EntryPoint v0.7', ENTRYPOINT_07, chainId);
}

/**
 * The calls that deploy what this chain lacks of Functor through the CREATE2 factory, for any
 * sender (an EOA's transactions, or one smart-account operation: the wallet's popup).
 */
export async function missingFunctorCalls(
  client: Client,
  code: FunctorBytecode,
): Promise<{ name: string; address: Address; call: { to: Address; data: Hex } }[]> {
  const { keyStoreCode, policyConfig, policyGeneral, deployer, initCodes } = functorAddresses(code);
  const parts = [
    { name: 'KeyStore', address: keyStoreCode, initCode: initCodes.keyStoreCode },
    { name: 'FunctorPolicyConfig', address: policyConfig, initCode: initCodes.policyConfig },
    { name: 'FunctorPolicyGeneral', address: policyGeneral, initCode: initCodes.policyGeneral },
    { name: 'FunctorDeployer', address: deployer, initCode: initCodes.deployer },
  ];
  const missing = [];
  for (const p of parts)
    if (!(await hasCode(client, p.address)))
      missing.push({ name: p.name, address: p.address, call: { to: CREATE2_FACTORY, data: concat([zeroHash, p.initCode]) } });
  return missing;
}

const hasCode = async (client: Client, address: Address) => {
  const code = await getCode(client, { address });
  return code !== undefined && code !== '0x';
};

/**
 * Deploys what is missing and checks what is there. `log` hears each step in words. Throws
 * ChainLacksError for a chain without the factory or the EntryPoint, UnexpectedCodeError when an
 * address holds something that does not answer as Functor.
 */
export async function deployFunctor(
  wallet: WalletClient<Transport, Chain, Account>,
  code: FunctorBytecode,
  log: (line: string) => void = () => {},
): Promise<FunctorAddresses & { deployed: string[] }> {
  await assertChainCanHoldFunctor(wallet);
  const { keyStore, keyStoreCode, policyConfig, policyGeneral, deployer } = functorAddresses(code);
  const deployed: string[] = [];
  const missing = new Map((await missingFunctorCalls(wallet, code)).map((m) => [m.name, m]));

  for (const [name, address] of [
    ['KeyStore', keyStoreCode],
    ['FunctorPolicyConfig', policyConfig],
    ['FunctorPolicyGeneral', policyGeneral],
    ['FunctorDeployer', deployer],
  ] as const) {
    const m = missing.get(name);
    if (!m) {
      log(`${name}: already at ${address}`);
      continue;
    }
    log(`${name}: deploying to ${address}`);
    const hash = await sendTransaction(wallet, { ...m.call, chain: wallet.chain, account: wallet.account });
    const receipt = await waitForTransactionReceipt(wallet, { hash });
    if (receipt.status !== 'success' || !(await hasCode(wallet, address))) throw new UnexpectedCodeError(address, `the deployment in ${hash} left no code`);
    deployed.push(name);
  }
  return { ...(await verifyFunctor(wallet, keyStore, deployer)), deployed };
}

/** Reads back a deployed pair and checks it answers as Functor's: its addresses, or UnexpectedCodeError. */
export async function verifyFunctor(client: Client, keyStore: Address, deployer: Address): Promise<FunctorAddresses> {
  // A CREATE2 address can only hold code made from its init code, so code there is ours; these
  // reads check that the pair answers as Functor's does (and that the address math is right).
  const maxSigners = await readContract(client, { address: keyStore, abi: keyStoreAbi, functionName: 'MAX_SIGNERS' }).catch(() => undefined);
  if (maxSigners !== 4n) throw new UnexpectedCodeError(keyStore, 'it does not answer MAX_SIGNERS() = 4');
  const [policyHook, validator, config] = await Promise.all([
    readContract(client, { address: deployer, abi: functorDeployerAbi, functionName: 'hook' }),
    readContract(client, { address: deployer, abi: functorDeployerAbi, functionName: 'validator' }),
    readContract(client, { address: deployer, abi: functorDeployerAbi, functionName: 'config' }),
  ]);
  const [hookValidator, validatorHook, hookStore, hookConfig] = await Promise.all([
    readContract(client, { address: policyHook, abi: functorPolicyHookAbi, functionName: 'functorValidator' }),
    readContract(client, { address: validator, abi: functorValidatorAbi, functionName: 'policyHook' }),
    readContract(client, { address: policyHook, abi: functorPolicyHookAbi, functionName: 'keyStore' }),
    readContract(client, { address: policyHook, abi: functorPolicyHookAbi, functionName: 'config' }),
  ]);
  if (hookValidator !== validator || validatorHook !== policyHook || hookStore !== keyStore || hookConfig !== config) {
    throw new UnexpectedCodeError(deployer, 'its hook, validator and configuration code do not name each other and the KeyStore');
  }
  return { keyStore, deployer, policyHook, validator };
}
