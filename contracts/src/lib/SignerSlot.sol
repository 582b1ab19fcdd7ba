// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title SignerSlot
/// @notice Where KeyStore keeps a signer's word on an account: `_signerOn[keccak(keyId ‖ signer)]
/// [account]`, ENABLED (1) while `keyId` is enabled on `account` with that signer, REVOKED (2) once
/// the key is revoked, 0 otherwise. KeyStore's authorizedStateOf reads it here, and so does the module,
/// which holds the KeyStore's storage (KeyStoreState); FunctorValidator reads it through
/// readStoreSlot (LeanCalls.authorizedStateOf), which answers (ENABLED, true) from this one word,
/// without the ABI of a three-argument call.
library SignerSlot {
    /// @dev KeyStore's `_signerOn` mapping's storage slot (test_SignerSlot_IsKeyStoresMapping).
    uint256 internal constant MAP = 6;

    /// @dev The storage slot of the signer's word, Solidity's mapping slots worked out in scratch.
    function slotOf(uint176 keyId, bytes32 signer, address account) internal pure returns (uint256 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, keyId)
            mstore(0x20, signer)
            mstore(0x00, keccak256(0x00, 0x40)) // KeyStore._keySigner(keyId, signer)
            mstore(0x20, MAP)
            mstore(0x20, keccak256(0x00, 0x40))
            mstore(0x00, account)
            slot := keccak256(0x00, 0x40)
        }
    }
}
