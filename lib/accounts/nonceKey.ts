// The EntryPoint nonce key that makes each account route a UserOp to a given (non-root) validator,
// and, for Functor's module (FunctorPolicyHook, the validator of key ops and their hook at one
// address), the one nonce key each session key must use on an account: its lane.
import { type Address, type Client, type Hex, concatHex, numberToHex, pad } from 'viem';
import { entryPoint07Abi } from 'viem/account-abstraction';
import { readContract } from 'viem/actions';
import { ACCOUNT_KINDS, type AccountKind } from './kinds.js';

/**
 * `lane` fills the key's free bytes (2 on Kernel, 3 on Nexus, 4 on Safe7579; a uint16 fits all).
 * The owner's validators use lane 0; a Functor session key uses laneOf(keyId), the only one
 * Functor's module accepts for it (WrongNonceKey otherwise).
 */
export function validatorNonceKey(kind: AccountKind, validator: Address, lane = 0): bigint {
  if (!Number.isInteger(lane) || lane < 0 || lane > 0xffff) throw new RangeError(`lane ${lane} is not a uint16`);
  let key: Hex;
  switch (kind) {
    case 'kernel': // mode (default) ‖ type (validator) ‖ validator ‖ 2-byte key
      key = concatHex(['0x00', '0x01', validator, numberToHex(lane, { size: 2 })]);
      break;
    case 'nexus': // 3-byte key ‖ mode (default) ‖ validator
      key = concatHex([numberToHex(lane, { size: 3 }), '0x00', validator]);
      break;
    case 'safe': // validator ‖ 4-byte key (Safe7579 reads the validator from the top 20 bytes)
      key = concatHex([pad(validator, { size: 20 }), numberToHex(lane, { size: 4 })]);
      break;
  }
  return BigInt(key);
}

/** A key's lane: `uint16(keyId)` (the module's _isLane). Keys may share one; each op moves it. */
export function laneOf(keyId: bigint): number {
  return Number(keyId & 0xffffn);
}

/** The nonce key every op of `keyId` on an account of `kind` must carry; `module`: the validator (FunctorPolicyHook). */
export function laneNonceKey(kind: AccountKind, module: Address, keyId: bigint): bigint {
  return validatorNonceKey(kind, module, laneOf(keyId));
}

/** Each layout's free bytes (validatorNonceKey's lane): Kernel's low 2, Nexus's top 3, Safe7579's low 4. */
const LANE_BYTES: Record<AccountKind, bigint> = { kernel: 0xffffn, nexus: 0xffffffn << 168n, safe: 0xffffffffn };
const KEY_BITS = (1n << 192n) - 1n;

/**
 * Whether a UserOp's nonce key (its nonce's top 192 bits) routes it to `module` on an account of
 * some kind: validatorNonceKey's key for the module in one of the three layouts, whatever its free
 * bytes hold. An owner op names the owner's validator there even when its calls go to the module
 * (setPolicies), so this tells a key's op from the owner's.
 */
export function nonceKeyRoutesTo(key: bigint, module: Address): boolean {
  return ACCOUNT_KINDS.some((k) => (key & (KEY_BITS ^ LANE_BYTES[k])) === validatorNonceKey(k, module));
}

/**
 * The lane's sequence now: the low 64 bits of EntryPoint.getNonce(account, laneKey), what an op
 * of the key would carry next, and what GasPolicy.opCeiling is compared with. For an account of
 * unknown kind, the highest over the three layouts: only the account's own layout ever routes to
 * the module, so the others stay at 0. `module`: the validator of key ops (FunctorPolicyHook).
 */
export async function readLaneSequence(
  client: Client,
  p: { entryPoint: Address; account: Address; module: Address; keyId: bigint; kind?: AccountKind },
): Promise<bigint> {
  const kinds = p.kind ? [p.kind] : [...ACCOUNT_KINDS];
  const nonces = await Promise.all(
    kinds.map((k) =>
      readContract(client, {
        address: p.entryPoint,
        abi: entryPoint07Abi,
        functionName: 'getNonce',
        args: [p.account, laneNonceKey(k, p.module, p.keyId)],
      }),
    ),
  );
  return nonces.reduce((max, n) => ((n & 0xffffffffffffffffn) > max ? n & 0xffffffffffffffffn : max), 0n);
}
