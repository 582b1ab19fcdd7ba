// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {KeyStore} from "../KeyStore.sol";
import {SignerSlot} from "./SignerSlot.sol";

/// @title LeanCalls
/// @notice The view calls on a keyed execution's hot path (and the terms cache's write), without the
/// high-level call's memory allocation, return-data copy and ABI decoding (forge's HotPaths snapshot
/// shows the gain): the KeyStore's `authorizedStateOf` (our own contract, two words back), which
/// FunctorValidator asks the module on every redemption (the module reads it in its own storage),
/// and an ERC-20 `balanceOf`.
library LeanCalls {
    /// @dev `keyStore.authorizedStateOf(keyId, account, signer)`; a revert is passed on as it is.
    /// First the signer's word alone (signerWord): ENABLED there is authorizedStateOf's (ENABLED,
    /// true), the case of every op a key may make; anything else, or a call that fails, asks
    /// authorizedStateOf itself (askAuthorizedStateOf).
    function authorizedStateOf(KeyStore keyStore, uint176 keyId, address account, bytes32 signer)
        internal
        view
        returns (uint8 state, bool signerOk)
    {
        if (uint8(signerWord(keyStore, keyId, account, signer)) == 1) return (1, true);
        return askAuthorizedStateOf(keyStore, keyId, account, signer);
    }

    /// @dev The signer's word, `keyStore.readStoreSlot(SignerSlot.slotOf(keyId, signer, account))`:
    /// its state in bits 0-7 (ENABLED, 1: authorizedStateOf's (ENABLED, true)), the terms cache
    /// above (TermsCache); 0 when the call fails or answers less than a word.
    function signerWord(KeyStore keyStore, uint176 keyId, address account, bytes32 signer)
        internal
        view
        returns (uint256 word)
    {
        uint256 slot = SignerSlot.slotOf(keyId, signer, account);
        bytes4 read = KeyStore.readStoreSlot.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, read)
            mstore(0x04, slot)
            // staticcall runs first (Yul evaluates arguments right to left), then returndatasize.
            if and(gt(returndatasize(), 0x1f), staticcall(gas(), keyStore, 0x00, 0x24, 0x00, 0x20)) { word := mload(0x00) }
        }
    }

    /// @dev `keyStore.authorizedStateOf(keyId, account, signer)` itself; a revert is passed on as it is.
    function askAuthorizedStateOf(KeyStore keyStore, uint176 keyId, address account, bytes32 signer)
        internal
        view
        returns (uint8 state, bool signerOk)
    {
        bytes4 selector = KeyStore.authorizedStateOf.selector;
        // A hand-made staticcall on the hot path (see the title): arguments at the free memory
        // pointer (not advanced: nothing else is allocated meanwhile), the two words back in scratch.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, selector)
            mstore(add(m, 0x04), keyId)
            mstore(add(m, 0x24), account)
            mstore(add(m, 0x44), signer)
            // staticcall runs first (Yul evaluates arguments right to left), then returndatasize.
            if iszero(and(gt(returndatasize(), 0x3f), staticcall(gas(), keyStore, m, 0x64, 0x00, 0x40))) {
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
            state := and(mload(0x00), 0xff)
            signerOk := iszero(iszero(mload(0x20)))
        }
    }

    /// @dev `keyStore.writeTerms(account, keyId, terms)` (the terms cache, written by the account's
    /// named writer); a revert is passed on as it is. The hook's fallback runs it after every
    /// setPolicies and clearPolicies, with no room for the high-level call's encoding (EIP-170).
    function writeTerms(KeyStore keyStore, address account, uint176 keyId, uint256 terms) internal {
        bytes4 selector = KeyStore.writeTerms.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, selector)
            mstore(add(m, 0x04), account)
            mstore(add(m, 0x24), keyId)
            mstore(add(m, 0x44), terms)
            if iszero(call(gas(), keyStore, 0, m, 0x64, 0, 0)) {
                returndatacopy(m, 0, returndatasize())
                revert(m, returndatasize())
            }
        }
    }

    /// @dev `token.balanceOf(account)`, or 0 when the token does not answer one word (it is then
    /// measured by its calldata only). Copies at most one word back, whatever the token returns.
    function balanceOf(address token, address account) internal view returns (uint256 amount) {
        // the same hand-made staticcall (see the title); arguments and result in scratch space
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x14, account) // account in bytes 0x20..0x33
            mstore(0x00, 0x70a08231000000000000000000000000) // balanceOf(address) in bytes 0x10..0x13
            amount := mul(mload(0x20), and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x10, 0x24, 0x20, 0x20)))
        }
    }
}
