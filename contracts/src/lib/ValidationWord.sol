// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ValidationWord
/// @notice The fields of a key's stored validation configuration (FunctorPolicyHookBase's
/// StoredValidation), read from its two raw words: the hook hands the words to the validator as they
/// are stored, and both read them here, so the layout is written down once (contracts/README.md,
/// "Storage words"). First word, low bits first: flags (8: bit 0 active, bit 1 the second word is
/// set), validAfter (48), validUntil (48), maxFeePerGas (48), maxCostPerOp (72), opCeiling (32).
/// Second word: gasBudget (96), paymaster (160).
library ValidationWord {
    uint256 internal constant ACTIVE = 1;
    uint256 internal constant HAS_SECOND = 2;

    function active(uint256 w) internal pure returns (bool) {
        return w & ACTIVE != 0;
    }

    function hasSecond(uint256 w) internal pure returns (bool) {
        return w & HAS_SECOND != 0;
    }

    function validAfter(uint256 w) internal pure returns (uint48) {
        return uint48(w >> 8);
    }

    function validUntil(uint256 w) internal pure returns (uint48) {
        return uint48(w >> 56);
    }

    function maxFeePerGas(uint256 w) internal pure returns (uint48) {
        return uint48(w >> 104);
    }

    function maxCostPerOp(uint256 w) internal pure returns (uint72) {
        return uint72(w >> 152);
    }

    function opCeiling(uint256 w) internal pure returns (uint32) {
        return uint32(w >> 224);
    }

    function gasBudget(uint256 second) internal pure returns (uint96) {
        return uint96(second);
    }

    function paymaster(uint256 second) internal pure returns (address) {
        return address(uint160(second >> 96));
    }
}
