// The EntryPoint nonce key that makes each account route a UserOp to a given (non-root) validator.
import { type Address, type Hex, concatHex, pad } from 'viem';
import type { AccountKind } from './kinds.js';

export function validatorNonceKey(kind: AccountKind, validator: Address): bigint {
  let key: Hex;
  switch (kind) {
    case 'kernel': // mode (default) ‖ type (validator) ‖ validator ‖ 2-byte key
      key = concatHex(['0x00', '0x01', validator, '0x0000']);
      break;
    case 'nexus': // 3-byte key ‖ mode (default) ‖ validator
      key = concatHex(['0x000000', '0x00', validator]);
      break;
    case 'safe': // validator ‖ 4-byte key (Safe7579 reads the validator from the top 20 bytes)
      key = pad(validator, { dir: 'right', size: 24 });
      break;
  }
  return BigInt(key);
}
