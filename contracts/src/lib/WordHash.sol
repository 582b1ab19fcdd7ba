// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title WordHash
/// @notice keccak256 of 2 to 5 words, equal to `keccak256(abi.encode(...))` of the same values as
/// static types (each one word: addresses and integers right-aligned, `bytesN` left-aligned), for
/// the storage and transient keys computed on every keyed op's hot path: `abi.encode` allocates
/// memory and cleans each value again, several hundred gas per key. The words go to scratch space
/// (two words) or just past the free memory pointer, which is not advanced: nothing is allocated
/// while they are there. test/unit/WordHash.t.sol fuzzes each key of the hook against abi.encode.
library WordHash {
    function hash(uint256 a, uint256 b) internal pure returns (bytes32 r) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, a)
            mstore(0x20, b)
            r := keccak256(0x00, 0x40)
        }
    }

    function hash(uint256 a, uint256 b, uint256 c) internal pure returns (bytes32) {
        return _hash(a, b, c, 0, 0, 0x60);
    }

    function hash(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (bytes32) {
        return _hash(a, b, c, d, 0, 0x80);
    }

    function hash(uint256 a, uint256 b, uint256 c, uint256 d, uint256 e) internal pure returns (bytes32) {
        return _hash(a, b, c, d, e, 0xa0);
    }

    /// @dev The first `len` bytes of the five words, laid out past the free memory pointer.
    function _hash(uint256 a, uint256 b, uint256 c, uint256 d, uint256 e, uint256 len) private pure returns (bytes32 r) {
        // past the free memory pointer, which is not advanced (see the title)
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, a)
            mstore(add(m, 0x20), b)
            mstore(add(m, 0x40), c)
            mstore(add(m, 0x60), d)
            mstore(add(m, 0x80), e)
            r := keccak256(m, len)
        }
    }
}
