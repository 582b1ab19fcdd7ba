// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {WordHash} from "./lib/WordHash.sol";
import {SignerSlot} from "./lib/SignerSlot.sol";

/// @title KeyStoreState
/// @notice The KeyStore's storage, and what reads or revokes through it, in one place for its two
/// users: KeyStore (its code), and FunctorPolicyHook, which holds this storage and runs KeyStore's
/// code on it by DELEGATECALL (contracts/README.md, "The KeyStore inside the module"). The module
/// reads a signer's word with one SLOAD where it called the KeyStore (a cold contract and two calls'
/// code on every keyed op), and revokes in its own code.
/// Slots: KeyStore inherits OpenZeppelin's EIP712 first (its two fallback strings at slots 0 and 1,
/// never written: the name and version are under 32 bytes), then this; the module holds slots 0
/// and 1 empty (EIP712Slots) so that these mappings sit at the same slots in both
/// (test_SignerSlot_IsKeyStoresMapping, test_Merged_KeyStoreSlots_SameAsKeyStores).
abstract contract KeyStoreState {
    /// @dev Grant states of a keyId on an account, and of a signer's word.
    uint8 internal constant STATE_NONE = 0;
    uint8 internal constant STATE_ENABLED = 1;
    uint8 internal constant STATE_REVOKED = 2;

    /// @dev The keyId was never registered.
    error UnknownKey(uint176 keyId);
    /// @dev The keyId has been revoked, for good.
    error KeyIsRevoked(uint176 keyId);
    /// @dev The caller is not the keyId's controller.
    error NotController(uint176 keyId, address caller);

    /// @dev A keyId was revoked on every account it was enabled on (`keyInfo` lists them). No data:
    /// each logged byte is gas on every revoke.
    event KeyRevoked(uint176 indexed keyId);

    /// @dev One word per keyId: the list lengths live here, so a key's signers and accounts cost
    /// one slot each (no array length slots) and `revoke` reads both counts with the flag it writes.
    struct Key {
        address controller;
        uint40 registeredAt;
        bool revoked;
        uint8 signerCount;
        uint8 accountCount;
    }

    /// @dev Bit offsets of Key's fields in its word (Solidity packs them low bits first).
    uint256 internal constant KEY_REVOKED_SHIFT = 200;
    uint256 internal constant KEY_SIGNERS_SHIFT = 208;
    uint256 internal constant KEY_ACCOUNTS_SHIFT = 216;

    /// @dev Per-(keyId, account) word: `state` (NONE or ENABLED; `revoke` leaves it, the key's flag
    /// says it), `index` the account's place in `_accountAt[keyId]` (O(1) removal), `listed` whether
    /// the keyId is listed in `_accountKeys[account]` already (kept through disable).
    struct Grant {
        uint8 state;
        uint8 index;
        bool listed;
    }


    mapping(uint176 keyId => Key) internal _keys;
    mapping(uint176 keyId => mapping(uint256 index => bytes32)) internal _signerAt;
    mapping(uint176 keyId => mapping(uint256 index => address)) internal _accountAt;
    mapping(uint176 keyId => mapping(address account => Grant)) internal _grants;
    /// @dev Bits 0-7 the state: ENABLED while the signer may sign for the keyId on the account,
    /// REVOKED once the keyId is revoked (so its own signers are told KeyNotActive), NONE otherwise.
    /// Bits 8-255 the account's validator's terms cache (writeTerms), 0 after any write of a state:
    /// a whole word is written every time (a uint256, so Solidity's writes keep no bits).
    mapping(bytes32 keySigner => mapping(address account => uint256)) internal _signerOn;
    /// @dev Every keyId ever enabled on an account (for enumeration; filtered by state in views), in
    /// order: index 0 holds the first keyId (bits 0-175) and the list's length (bits 176-255), index
    /// i > 0 the (i+1)-th keyId. The length shares the first entry's word so an account's first key
    /// writes one new slot, not two (a length slot would go from zero to nonzero: 20,000 gas more).
    mapping(address account => mapping(uint256 index => uint256)) internal _accountKeys;
    /// @dev The one address each account lets write the terms cache of its keys (setTermsWriter).
    /// Internal, as `_nonces`: KeyStore's getters answer them (a public mapping here would be one
    /// more selector in the module's dispatch).
    mapping(address account => address) internal _termsWriter;
    /// @dev Consent nonces of accounts (one per signed EnableKey).
    mapping(address account => uint256) internal _nonces;

    function _authorizedState(uint176 keyId, address account, bytes32 signer)
        internal
        view
        returns (uint8 state, bool signerOk)
    {
        // `_signerOn` is ENABLED only while the keyId is enabled on the account and REVOKED once it
        // is revoked, so the common case reads one slot; the grant is read only when it is unset (a
        // stranger, or a key disabled there; a stranger on a revoked key reads ENABLED, signerOk false).
        // Every keyed op calls this twice (validation, then the hook's check before execution), so
        // the two reads are worked out by hand (Solidity's mapping slots, keccak(key ‖ slot)); the
        // KeyStore tests compare it with isAuthorized and grantState in every state.
        uint256 slot = SignerSlot.slotOf(keyId, signer, account);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let on := and(sload(slot), 0xff)
            switch on
            case 0 {
                mstore(0x00, keyId)
                mstore(0x20, _grants.slot)
                mstore(0x20, keccak256(0x00, 0x40))
                mstore(0x00, account)
                state := and(sload(keccak256(0x00, 0x40)), 0xff) // Grant.state, its low byte
            }
            default {
                state := on
                signerOk := eq(on, STATE_ENABLED)
            }
        }
    }

    /// @dev The signer's word of `signer` for `keyId` on `account` (`_signerOn`): its state in bits
    /// 0-7, the terms cache above.
    function _signerWord(uint176 keyId, address account, bytes32 signer) internal view returns (uint256 w) {
        uint256 slot = SignerSlot.slotOf(keyId, signer, account);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            w := sload(slot)
        }
    }

    /// @dev The grant state of a keyId on an account (NONE, ENABLED, REVOKED).
    function _grantState(uint176 keyId, address account) internal view returns (uint8) {
        uint8 state = _grants[keyId][account].state;
        return state == STATE_ENABLED && _keys[keyId].revoked ? STATE_REVOKED : state;
    }

    function _keySigner(uint176 keyId, bytes32 signer) internal pure returns (bytes32) {
        return WordHash.hash(keyId, uint256(signer));
    }

    /// @dev Revokes `keyId` everywhere (the controller's revoke, or a signer's surrender).
    /// One write per signer and account: each signer's flag turns REVOKED, which validation reads
    /// first (and the hook again before execution); the grants keep their state, which the views
    /// read with the key's flag.
    /// `controller` zero: a surrender (its signer was checked instead). The key word is read and
    /// written once, its fields taken from the word (field by field, each is another SLOAD).
    function _revoke(uint176 keyId, address controller) internal {
        Key storage k = _keys[keyId];
        uint256 w;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            w := sload(k.slot)
        }
        address current = address(uint160(w));
        if (current == address(0)) revert UnknownKey(keyId);
        if (controller != address(0) && current != controller) revert NotController(keyId, controller);
        if (uint8(w >> KEY_REVOKED_SHIFT) != 0) revert KeyIsRevoked(keyId);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(k.slot, or(w, shl(KEY_REVOKED_SHIFT, 1)))
        }
        uint256 m = uint8(w >> KEY_SIGNERS_SHIFT);
        uint256 n = uint8(w >> KEY_ACCOUNTS_SHIFT);
        // `_signerOn[_keySigner(keyId, _signerAt[keyId][j])][_accountAt[keyId][i]] = REVOKED` for
        // every signer j and account i, with Solidity's mapping slots (keccak(key ‖ slot)) worked out
        // in scratch space: this loop is the price of revoking, paid per account (the KeyStore tests
        // read every word back through the Solidity accessors).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, keyId)
            mstore(0x20, _signerAt.slot)
            let signers := keccak256(0x00, 0x40)
            mstore(0x20, _accountAt.slot)
            let accounts := keccak256(0x00, 0x40)
            for { let j := 0 } lt(j, m) { j := add(j, 1) } {
                mstore(0x00, j)
                mstore(0x20, signers)
                let signer := sload(keccak256(0x00, 0x40))
                mstore(0x00, keyId)
                mstore(0x20, signer)
                mstore(0x00, keccak256(0x00, 0x40)) // _keySigner(keyId, signer)
                mstore(0x20, _signerOn.slot)
                let on := keccak256(0x00, 0x40)
                for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                    mstore(0x00, i)
                    mstore(0x20, accounts)
                    mstore(0x00, sload(keccak256(0x00, 0x40))) // the account
                    mstore(0x20, on)
                    sstore(keccak256(0x00, 0x40), STATE_REVOKED)
                }
            }
        }
        emit KeyRevoked(keyId);
    }
}
