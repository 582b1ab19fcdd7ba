// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title FunctorMode
/// @notice The ERC-7579 execution mode that carries a keyId. Layout of the 32-byte mode word:
/// callType (1) | execType (1) | unused (4) | modeSelector (4) | payload (22).
/// Functor puts its selector in `modeSelector` and the keyId (a uint176) in `payload`, so the keyId
/// is part of the signed UserOp calldata: that is what binds an execution to the key that signed it
/// even when `handleOps` bundles ops of one account signed by different keys (DESIGN 2.1).
library FunctorMode {
    /// @dev bytes4(keccak256("functor.keyId.v1")).
    bytes4 internal constant SELECTOR = bytes4(keccak256("functor.keyId.v1"));

    bytes1 internal constant CALLTYPE_SINGLE = 0x00;
    bytes1 internal constant CALLTYPE_BATCH = 0x01;
    bytes1 internal constant EXECTYPE_DEFAULT = 0x00;

    function encode(bytes1 callType_, uint176 keyId_) internal pure returns (bytes32) {
        return bytes32(
            (uint256(uint8(callType_)) << 248) | (uint256(uint32(SELECTOR)) << 176) | uint256(keyId_)
        );
    }

    function callType(bytes32 mode) internal pure returns (bytes1) {
        return mode[0];
    }

    function execType(bytes32 mode) internal pure returns (bytes1) {
        return mode[1];
    }

    function modeSelector(bytes32 mode) internal pure returns (bytes4) {
        return bytes4(uint32(uint256(mode) >> 176));
    }

    /// @dev The four "unused" bytes between execType and modeSelector.
    function unused(bytes32 mode) internal pure returns (uint32) {
        return uint32(uint256(mode) >> 208);
    }

    function keyId(bytes32 mode) internal pure returns (uint176) {
        return uint176(uint256(mode));
    }

    /// @dev True when the mode is a Functor mode (whatever the call type).
    function isFunctor(bytes32 mode) internal pure returns (bool) {
        return modeSelector(mode) == SELECTOR;
    }
}
