// What contracts/src/lib/PolicyTypes.sol and FunctorPolicyHook.sol fix, restated once for the
// client. The ABI carries types, not constant values, so these are the only copies in TypeScript.
import { zeroAddress, type Address, type Hex } from 'viem';

/** FunctorPolicyHook.MAX_CALLS / MAX_SPENDS / MAX_CUSTOMS. */
export const MAX_CALLS = 32;
export const MAX_SPENDS = 8;
export const MAX_CUSTOMS = 4;

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
export const MAX_UINT64 = 2n ** 64n - 1n;
export const MAX_UINT88 = 2n ** 88n - 1n;
export const MAX_UINT96 = 2n ** 96n - 1n;
export const MAX_UINT176 = 2n ** 176n - 1n;
