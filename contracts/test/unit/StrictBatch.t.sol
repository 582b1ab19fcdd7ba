// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Execution, ExecutionParser} from "../../src/lib/ExecutionParser.sol";
import {BytesWords} from "../utils/BytesWords.sol";

/// @dev Both checks behind external calls, so a refusal of either is a failed call to compare.
contract StrictBatchHarness {
    /// @dev The hand-written check the validator runs.
    function lean(bytes calldata data) external pure returns (uint256) {
        return ExecutionParser.strictBatch(data).length;
    }

    /// @dev The REFERENCE it replaced (until issue 17): read in place, re-encode, compare the hashes.
    function reencoded(bytes calldata data) external pure returns (uint256) {
        Execution[] calldata execs = ExecutionParser.batch(data);
        if (keccak256(abi.encode(execs)) != keccak256(data)) revert ExecutionParser.NonCanonicalCalldata();
        return execs.length;
    }
}

/// @notice Differential test of ExecutionParser.strictBatch (hand-written, word by word) against the
/// re-encoding check it replaced: the same verdict on canonical batches and on every mutation a
/// hostile key could send (a flipped byte, dirty upper address bits, dirty padding, aliasing or
/// shifted offsets, trailing or missing bytes, an overwritten word), and the lean check's refusal is
/// always NonCanonicalCalldata().
contract StrictBatchTest is Test {
    StrictBatchHarness internal h = new StrictBatchHarness();

    function _word(uint256 seed, uint256 i) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, i)));
    }

    /// @dev 0 to 5 calls with random targets, values and calldata of 0 to 99 bytes.
    function _batch(uint256 seed) internal pure returns (bytes memory) {
        Execution[] memory x = new Execution[](_word(seed, 0) % 6);
        for (uint256 i; i < x.length; ++i) {
            uint256 len = _word(seed, 100 + i) % 100;
            bytes memory cd = new bytes(len);
            for (uint256 j; j < len; ++j) {
                cd[j] = bytes1(uint8(_word(seed, 1000 * (i + 1) + j)));
            }
            x[i] = Execution(address(uint160(_word(seed, 200 + i))), _word(seed, 300 + i) % 3 == 0 ? _word(seed, 400 + i) : 0, cd);
        }
        return abi.encode(x);
    }

    function _verdicts(bytes memory data) internal view {
        (bool okRef, bytes memory outRef) = address(h).staticcall(abi.encodeCall(h.reencoded, (data)));
        (bool okLean, bytes memory outLean) = address(h).staticcall(abi.encodeCall(h.lean, (data)));
        assertEq(okLean, okRef, "same verdict");
        if (okLean) assertEq(outLean, outRef, "same number of calls");
        else assertEq(outLean, abi.encodeWithSelector(ExecutionParser.NonCanonicalCalldata.selector), "refusal");
    }

    function testFuzz_Canonical_BothAccept(uint256 seed) public view {
        bytes memory data = _batch(seed);
        (bool ok,) = address(h).staticcall(abi.encodeCall(h.lean, (data)));
        assertTrue(ok, "a canonical batch is accepted");
        _verdicts(data);
    }

    /// forge-config: default.fuzz.runs = 4096
    function testFuzz_Mutated_SameVerdict(uint256 seed, uint256 pos, uint8 kind, bytes32 word) public view {
        bytes memory data = _batch(seed);
        uint256 n = data.length;
        uint256 words = n / 32;
        kind %= 7;
        if (kind == 0) {
            // one byte changed
            data[pos % n] = bytes1(uint8(data[pos % n]) ^ uint8(uint256(word) | 1));
        } else if (kind == 1) {
            // a word overwritten (an offset, a length, a target, a value, padding)
            BytesWords.put(data, 32 * (pos % words), word);
        } else if (kind == 2) {
            // trailing bytes
            data = bytes.concat(data, new bytes(1 + pos % 40));
        } else if (kind == 3) {
            // missing bytes
            uint256 cut = 1 + pos % (n < 40 ? n : 40);
            assembly ("memory-safe") {
                mstore(data, sub(n, cut))
            }
        } else if (kind == 4 && words > 2 && uint256(BytesWords.at(data, 32)) >= 2) {
            // aliasing: one call's offset points at another call
            uint256 m = uint256(BytesWords.at(data, 32));
            BytesWords.put(data, 64 + 32 * (pos % m), BytesWords.at(data, 64 + 32 * (uint256(word) % m)));
        } else if (kind == 5 && uint256(BytesWords.at(data, 32)) >= 1) {
            // dirty upper bits on a call's target
            uint256 m = uint256(BytesWords.at(data, 32));
            uint256 at = 64 + uint256(BytesWords.at(data, 64 + 32 * (pos % m)));
            BytesWords.put(data, at, bytes32(uint256(BytesWords.at(data, at)) | (uint256(word) << 160) | (1 << 255)));
        } else if (kind == 6) {
            // dirty padding: a nonzero byte right after the end of the encoding's last bytes
            data[n - 1] = bytes1(uint8(data[n - 1]) | 1);
        }
        _verdicts(data);
    }

    /// @dev The mutations that must be refused, each by name (the fuzz above compares verdicts).
    function test_Refused_Mutations() public view {
        Execution[] memory x = new Execution[](2);
        x[0] = Execution(address(0xA1), 0, hex"a9059cbb01");
        x[1] = Execution(address(0xB2), 1, hex"");
        bytes memory good = abi.encode(x);
        _expectLean(good, true);

        bytes memory d = bytes.concat(good, hex"00");
        _expectLean(d, false); // trailing byte
        d = bytes.concat(good);
        BytesWords.put(d, 64 + 32, BytesWords.at(d, 64)); // call 1 aliases call 0
        _expectLean(d, false);
        d = bytes.concat(good);
        BytesWords.put(d, 64 + uint256(BytesWords.at(d, 64)), bytes32(uint256(0xA1) | (1 << 200))); // dirty target
        _expectLean(d, false);
        d = bytes.concat(good);
        uint256 e0 = 64 + uint256(BytesWords.at(d, 64));
        BytesWords.put(d, e0 + 128, bytes32(hex"a9059cbb01ff")); // dirty padding after 5 bytes
        _expectLean(d, false);
        d = bytes.concat(good);
        BytesWords.put(d, e0 + 64, bytes32(uint256(0x80))); // bytes offset not 0x60
        _expectLean(d, false);
        d = bytes.concat(good);
        BytesWords.put(d, 0, bytes32(uint256(0x40))); // head offset not 0x20
        _expectLean(d, false);
        _expectLean(hex"", false);
    }

    function _expectLean(bytes memory data, bool accepted) internal view {
        (bool ok,) = address(h).staticcall(abi.encodeCall(h.lean, (data)));
        assertEq(ok, accepted);
        _verdicts(data);
    }
}
