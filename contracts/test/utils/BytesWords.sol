// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev Reads and writes a 32-byte word at a byte offset of a `bytes` in memory (tests that take
/// encodings apart or mutate them).
library BytesWords {
    function at(bytes memory b, uint256 off) internal pure returns (bytes32 w) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            w := mload(add(add(b, 32), off))
        }
    }

    function put(bytes memory b, uint256 off, bytes32 w) internal pure {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(add(add(b, 32), off), w)
        }
    }
}
