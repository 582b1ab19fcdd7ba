// What contracts/src/lib/PolicyTypes.sol and FunctorPolicyHook.sol fix, restated once for the
// client. The ABI carries types, not constant values, so these are the only copies in TypeScript.
import { zeroAddress, type Address, type Hex } from 'viem';

/** FunctorPolicyHook.MAX_CALLS / MAX_SPENDS / MAX_CUSTOMS. */
export const MAX_CALLS = 32;
export const MAX_SPENDS = 8;
export const MAX_CUSTOMS = 4;
/** FunctorPolicyHook.MAX_CONDITIONS / MAX_CONDITIONS_PER_CALL / MAX_ONE_OF (argument conditions). */
export const MAX_CONDITIONS = 16;
export const MAX_CONDITIONS_PER_CALL = 8;
export const MAX_ONE_OF = 16;
/** ArgOp enum (PolicyTypes.sol). */
export const ARG_OP = { equal: 0, atMost: 1, atLeast: 2, oneOf: 3 } as const;

/** Onchain sentinels (PolicyTypes.sol). */
export const ANY_TARGET: Address = zeroAddress;
export const ANY_SELECTOR: Hex = '0xffffffff';
/** A call with empty calldata: a plain value transfer. */
export const VALUE_SELECTOR: Hex = '0x00000000';
export const NATIVE_TOKEN: Address = zeroAddress;

/** PeriodKind enum. */
export const PERIOD_KIND = { sliding: 0, fixed: 1 } as const;

export const MAX_UINT32 = 2 ** 32 - 1;
export const MAX_UINT48 = 2 ** 48 - 1;
/** GasPolicy.maxFeePerGas is a uint48 (281,474 gwei), maxCostPerOp a uint72 (4,722 ETH). */
export const MAX_FEE_PER_GAS = 2n ** 48n - 1n;
export const MAX_UINT72 = 2n ** 72n - 1n;
/** The low 64 bits of an EntryPoint nonce: the sequence within its nonce key. */
export const SEQUENCE_MASK = 2n ** 64n - 1n;
export const MAX_UINT96 = 2n ** 96n - 1n;
export const MAX_UINT176 = 2n ** 176n - 1n;

/**
 * Selectors that manage an account or its modules (ERC-7579, Kernel, Nexus, Safe, UUPS, Ownable).
 * FunctorPolicyHook refuses them on an 'any' target (InvalidPolicy("any target with a management
 * selector")): through a wildcard, a key could reach a module or the account's machinery.
 */
export const MANAGEMENT_SELECTORS: Readonly<Record<Hex, string>> = {
  '0x6d61fe70': 'onInstall(bytes)',
  '0x8a91b0e3': 'onUninstall(bytes)',
  '0x9517e29f': 'installModule(uint256,address,bytes)',
  '0xa71763a8': 'uninstallModule(uint256,address,bytes)',
  '0xe9ae5c53': 'execute(bytes32,bytes)',
  '0x8dd7712f': 'executeUserOp(PackedUserOperation,bytes32)',
  '0xd691c964': 'executeFromExecutor(bytes32,bytes)',
  '0x19822f7c': 'validateUserOp(PackedUserOperation,bytes32,uint256)',
  '0x4f1ef286': 'upgradeToAndCall(address,bytes)',
  '0xf2fde38b': 'transferOwnership(address)',
  '0xf08a0323': 'setFallbackHandler(address)',
  '0x610b5925': 'enableModule(address)',
  '0xe009cfde': 'disableModule(address,address)',
  '0x468721a7': 'execTransactionFromModule(address,uint256,bytes,uint8)',
  '0x5229073f': 'execTransactionFromModuleReturnData(address,uint256,bytes,uint8)',
  '0xcd64f80a': 'emergencyUninstallHook(...)',
};
