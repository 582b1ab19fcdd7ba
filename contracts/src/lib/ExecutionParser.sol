// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorMode} from "./FunctorMode.sol";

/// @dev ERC-7579's Execution struct (batch item).
struct Execution {
    address target;
    uint256 value;
    bytes callData;
}

/// @title ExecutionParser
/// @notice Parses `execute(bytes32 mode, bytes executionCalldata)` calldata strictly. The validator,
/// the account and the hook must read the same bytes the same way, so anything but the canonical ABI
/// layout is refused: a non-canonical offset or trailing bytes could make the account run calls the
/// validator never saw.
library ExecutionParser {
    /// @dev `execute(bytes32,bytes)`.
    bytes4 internal constant EXECUTE = 0xe9ae5c53;
    /// @dev `executeFromExecutor(bytes32,bytes)`: the same layout, sent by an executor module (the
    /// ERC-7710 path).
    bytes4 internal constant EXECUTE_FROM_EXECUTOR = 0xd691c964;
    /// @dev Kernel v3's `executeUserOp(PackedUserOperation,bytes32)`: the UserOp callData is this
    /// selector followed by the inner `execute` calldata.
    bytes4 internal constant EXECUTE_USER_OP = 0x8dd7712f;
    /// @dev Selector used for a call with empty calldata (a plain value transfer).
    bytes4 internal constant EMPTY_CALLDATA = 0x00000000;

    /// @dev The calldata is not `execute(mode, data)`.
    error NotExecute();
    /// @dev The calldata is `execute` but not in canonical ABI layout.
    error NonCanonicalCalldata();
    /// @dev Only single and batch calls are allowed (delegatecall and anything else are refused).
    error UnsupportedCallType(bytes1 callType);
    /// @dev Only the default exec type (revert on failure) is allowed.
    error UnsupportedExecType(bytes1 execType);
    /// @dev A call's calldata is shorter than a selector but not empty.
    error ShortCalldata(address target);

    /// @notice Splits canonical `execute` (or `executeFromExecutor`: the same layout) calldata; the
    /// caller has checked which of the two it accepts. `extra` is the number of bytes allowed after it
    /// (Safe7579 appends the 20-byte caller when the Safe calls its fallback handler).
    function splitExecute(bytes calldata cd, uint256 extra)
        internal
        pure
        returns (bytes32 mode, bytes calldata data)
    {
        if (cd.length < 100) revert NotExecute();
        mode = bytes32(cd[4:36]);
        if (uint256(bytes32(cd[36:68])) != 0x40) revert NonCanonicalCalldata();
        uint256 len = uint256(bytes32(cd[68:100]));
        if (len > cd.length) revert NonCanonicalCalldata();
        // A whole number of 32-byte words follows the length; nothing else but `extra` bytes.
        if (cd.length != 100 + ((len + 31) & ~uint256(31)) + extra) revert NonCanonicalCalldata();
        data = cd[100:100 + len];
    }

    /// @notice How many bytes follow canonical `execute` calldata (0 or 20 are accepted by the hook:
    /// Safe7579 sees the calldata with the Safe's 20-byte caller appended).
    function trailing(bytes calldata cd) internal pure returns (uint256 extra) {
        if (cd.length < 100) revert NotExecute();
        uint256 len = uint256(bytes32(cd[68:100]));
        if (len > cd.length) revert NonCanonicalCalldata();
        uint256 canonical = 100 + ((len + 31) & ~uint256(31));
        if (cd.length < canonical) revert NonCanonicalCalldata();
        extra = cd.length - canonical;
    }

    /// @notice The executions of a single or batch call, copied into memory from calldata read in
    /// place: only for calldata whose layout is already checked (a single call of at least 52 bytes;
    /// a batch strictBatch accepted, or one a ticket binds to that check), as `element` reads it.
    /// (Re-checking the layout here by re-encoding cost the hook about 1,100 bytes of code.)
    function copy(bytes32 mode, bytes calldata data) internal pure returns (Execution[] memory execs) {
        if (isBatch(mode)) {
            uint256 n = count(data);
            execs = new Execution[](n);
            for (uint256 i; i < n; ++i) {
                (address target, uint256 value, bytes calldata cd) = element(data, i);
                execs[i] = Execution(target, value, cd);
            }
        } else {
            (address target, uint256 value, bytes calldata cd) = single(data);
            execs = new Execution[](1);
            execs[0] = Execution(target, value, cd);
        }
    }

    /// @notice Checks the mode's exec type and unused bytes, and tells a batch (true) from a single
    /// call (false); any other call type reverts.
    function isBatch(bytes32 mode) internal pure returns (bool) {
        bytes1 execType = FunctorMode.execType(mode);
        if (execType != FunctorMode.EXECTYPE_DEFAULT) revert UnsupportedExecType(execType);
        if (FunctorMode.unused(mode) != 0) revert NonCanonicalCalldata();
        bytes1 callType = FunctorMode.callType(mode);
        if (callType == FunctorMode.CALLTYPE_BATCH) return true;
        if (callType != FunctorMode.CALLTYPE_SINGLE) revert UnsupportedCallType(callType);
        return false;
    }

    /// @notice A single call's parts, read in place (no copy). Its calldata is `data[52:]`.
    function single(bytes calldata data) internal pure returns (address target, uint256 value, bytes calldata cd) {
        if (data.length < 52) revert NonCanonicalCalldata();
        target = address(bytes20(data[:20]));
        value = uint256(bytes32(data[20:52]));
        cd = data[52:];
    }

    /// @notice A batch's executions read in place (no copy into memory), with no check of layout:
    /// only for bytes that `strictBatch` accepted (the hook reads calldata the validator's ticket
    /// vouches for, keyed by its hash).
    function batch(bytes calldata data) internal pure returns (Execution[] calldata execs) {
        // a calldata view of abi.encode(Execution[]), as ERC-7579 accounts decode batches; Solidity
        // has no abi.decode into calldata
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let p := add(data.offset, calldataload(data.offset))
            execs.length := calldataload(p)
            execs.offset := add(p, 0x20)
        }
    }

    /// @notice A batch's executions read in place, refusing any layout but the canonical one:
    /// re-encoding what was read must give back exactly `data` (no aliasing offsets, no dirty
    /// padding, nothing outside `data`).
    /// The canonical `abi.encode(Execution[])` is fixed by the calls' calldata lengths, so it is
    /// checked word by word in place (re-encoding into memory and hashing both cost about 2,000 gas
    /// per call): head 0x20 and n; each offset where the previous element ends; per element a clean
    /// address, the bytes' offset 0x60, its length inside `data` and zero padding after it; nothing
    /// after the last element. Differential test against the re-encoding: test/unit/StrictBatch.t.sol.
    function strictBatch(bytes calldata data) internal pure returns (Execution[] calldata execs) {
        execs = batch(data);
        bool ok;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let start := data.offset
            let size := data.length
            ok := and(gt(size, 0x3f), eq(calldataload(start), 0x20))
            let n := calldataload(add(start, 0x20))
            // every offset word inside `data` (and no overflow in what follows)
            ok := and(ok, iszero(gt(n, shr(5, sub(size, 0x40)))))
            let heads := add(start, 0x40)
            let off := shl(5, n) // where element i starts, from `heads`
            // per element, one flag (few live words: via-IR's stack shuffling was most of the cost):
            // its offset word, a clean address, the bytes' offset 0x60, its length inside `data`,
            // the element inside `data` (which also puts its four head words there), and the bytes
            // of the last word after `len` zero
            for { let h := heads } and(ok, lt(h, add(heads, shl(5, n)))) { h := add(h, 0x20) } {
                let e := add(heads, off)
                let len := calldataload(add(e, 0x60))
                let padded := and(add(len, 31), not(31))
                let r := and(len, 31)
                ok := and(
                    and(eq(calldataload(h), off), iszero(shr(160, calldataload(e)))),
                    and(eq(calldataload(add(e, 0x40)), 0x60), iszero(or(gt(len, size), gt(add(add(off, 0xc0), padded), size))))
                )
                ok := and(ok, or(iszero(r), iszero(shl(shl(3, r), calldataload(add(add(e, 0x60), padded))))))
                off := add(off, add(0x80, padded))
            }
            ok := and(ok, eq(add(0x40, off), size))
        }
        if (!ok) revert NonCanonicalCalldata();
    }

    /// @dev Call i of a batch whose layout strictBatch accepted (validation), or whose calldata is
    /// bound to that check by a ticket (preCheck): read in place, without the ABI decoder's offset
    /// and range checks, which the canonical layout makes redundant (element heads relative to
    /// the array, offset 0x60 to the call data, a clean target word). Never on unchecked calldata.
    function element(bytes calldata data, uint256 i)
        internal
        pure
        returns (address target, uint256 value, bytes calldata cd)
    {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let heads := add(data.offset, 0x40)
            let e := add(heads, calldataload(add(heads, shl(5, i))))
            target := calldataload(e)
            value := calldataload(add(e, 0x20))
            cd.length := calldataload(add(e, 0x60))
            cd.offset := add(e, 0x80)
        }
    }

    /// @dev The number of calls of a batch strictBatch accepted (see element).
    function count(bytes calldata data) internal pure returns (uint256 n) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            n := calldataload(add(data.offset, 0x20))
        }
    }

    /// @notice The selector a call runs: its first four bytes, or EMPTY_CALLDATA for a value transfer.
    function selectorOf(address target, bytes calldata cd) internal pure returns (bytes4) {
        uint256 n = cd.length;
        if (n == 0) return EMPTY_CALLDATA;
        if (n < 4) revert ShortCalldata(target);
        return bytes4(cd[:4]);
    }

    /// @notice The selector a call runs: its first four bytes, or EMPTY_CALLDATA for a value transfer.
    function selectorOf(Execution memory e) internal pure returns (bytes4) {
        uint256 n = e.callData.length;
        if (n == 0) return EMPTY_CALLDATA;
        if (n < 4) revert ShortCalldata(e.target);
        return bytes4(e.callData);
    }
}
