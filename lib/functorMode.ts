// The ERC-7579 execution mode that carries a keyId (contracts/src/lib/FunctorMode.sol): the keyId
// sits in the mode's 22-byte payload, so it is part of what the session key signs.
import { type Hex, keccak256, slice, stringToHex, toHex } from 'viem';
import { encode7579Calls } from 'permissionless';

export const FUNCTOR_MODE_SELECTOR: Hex = slice(keccak256(stringToHex('functor.keyId.v1')), 0, 4);
/** Kernel v3's `executeUserOp(PackedUserOperation,bytes32)`: routes the op through the validator's hook. */
export const EXECUTE_USER_OP_SELECTOR: Hex = '0x8dd7712f';

export interface Call {
  to: `0x${string}`;
  value?: bigint;
  data?: Hex;
}

/** `execute(mode, data)` calldata for `calls` under `keyId` (single call or batch). */
export function encodeFunctorExecute(keyId: bigint, calls: readonly Call[]): Hex {
  if (calls.length === 0) throw new Error('no calls');
  return encode7579Calls({
    mode: {
      type: calls.length > 1 ? 'batchcall' : 'call',
      revertOnError: false,
      selector: FUNCTOR_MODE_SELECTOR,
      context: toHex(keyId, { size: 22 }),
    },
    callData: calls,
  });
}
