// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev One call of a keyed execution, as a test names it.
struct CallRecord {
    address target;
    bytes4 selector;
    uint256 value;
}

/// @dev What one spend limit counted, and its window's usage after it.
struct SpendRecord {
    address token;
    uint256 counted;
    uint256 used;
    uint256 limit;
}

/// @dev The frozen v1 reference's audit event, for tests that run on both (FunctorTest.onV1).
interface IKeyExecutedV1 {
    event KeyExecuted(
        address indexed account, uint176 indexed keyId, bytes32 indexed signer, bytes32[] calls, bytes32[] spends
    );
}

/// @notice KeyExecuted's packed words (FunctorPolicyHook, contracts/README.md "KeyExecuted"), written
/// from the layout's description and independent of the hook's code, so a test that expects an
/// event checks the layout too. src logs one `record` (the call words, each with bit 63 set, then
/// the spend pairs); the frozen v1 reference logged `calls` and `spends` as two arrays, its call
/// words without bit 63 and its spend pairs in the other order (the `…V1` functions).
library AuditWords {
    /// @dev Bit 63: set in every call word of src's record, zero in a spend pair's first word.
    uint256 internal constant CALL_WORD = 1 << 63;
    uint256 internal constant REPEAT_MASK = 2 ** 62 - 1;
    bytes32 internal constant V1_KEY_EXECUTED = keccak256("KeyExecuted(address,uint176,bytes32,bytes32[],bytes32[])");
    /// @dev src's event: three topics, its data the record's words end to end (no ABI head).
    bytes32 internal constant KEY_EXECUTED = keccak256("KeyExecuted(address,uint176,bytes32)");

    /// @dev Emits the log src's hook emits for `r` (for vm.expectEmit): KEY_EXECUTED, the three
    /// topics, the words with no ABI head.
    function emitKeyExecuted(address account, uint176 keyId, bytes32 signer, bytes32[] memory r) internal {
        bytes32 topic = KEY_EXECUTED;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            log4(add(r, 0x20), shl(5, mload(r)), topic, account, keyId, signer)
        }
    }

    /// @dev src's log data as its words: a whole number of 32-byte words, or the test fails.
    function words(bytes memory data) internal pure returns (bytes32[] memory w) {
        require(data.length % 32 == 0, "AuditWords: data is not whole words");
        w = new bytes32[](data.length / 32);
        for (uint256 i; i < w.length; ++i) {
            bytes32 word;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                word := mload(add(add(data, 0x20), shl(5, i)))
            }
            w[i] = word;
        }
    }

    // ---------------------------------------------------------------- src's record

    /// @dev The record, one word per call.
    function record(CallRecord[] memory c, SpendRecord[] memory s) internal pure returns (bytes32[] memory) {
        return join(_calls(c, false, CALL_WORD), spends(s));
    }

    /// @dev src's call words (bit 63 set), one per call, or merged as the common path logs a batch: a
    /// run of one target and selector without value as one word whose repeat count (bits 1 to 62) says
    /// how many more follow.
    function callWords(CallRecord[] memory c, bool merged) internal pure returns (bytes32[] memory) {
        return _calls(c, merged, CALL_WORD);
    }

    /// @dev src's spend pairs: `used (96) ‖ limit (96) ‖ 0 (64)`, then `token (160) ‖ counted (96)`.
    function spends(SpendRecord[] memory s) internal pure returns (bytes32[] memory w) {
        w = new bytes32[](2 * s.length);
        for (uint256 i; i < s.length; ++i) {
            require(s[i].counted < 2 ** 96 && s[i].used < 2 ** 96 && s[i].limit < 2 ** 96, "AuditWords: out of range");
            w[2 * i] = bytes32((s[i].used << 160) | (s[i].limit << 64));
            w[2 * i + 1] = bytes32((uint256(uint160(s[i].token)) << 96) | s[i].counted);
        }
    }

    /// @dev src's record read back: the call words (bit 63 set, each followed by its value word
    /// when hasValue), then the spend pairs, whose first word has bits 0 to 63 zero.
    function decode(bytes32[] memory r) internal pure returns (CallRecord[] memory c, SpendRecord[] memory s) {
        uint256 n = callWordCount(r);
        require((r.length - n) % 2 == 0, "AuditWords: spend words come in pairs");
        bytes32[] memory cw = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            cw[i] = r[i];
        }
        c = decodeCalls(cw);
        s = new SpendRecord[]((r.length - n) / 2);
        for (uint256 i; i < s.length; ++i) {
            uint256 a = uint256(r[n + 2 * i]);
            uint256 b = uint256(r[n + 2 * i + 1]);
            require(uint64(a) == 0, "AuditWords: a spend pair's first word has bits 0 to 63 zero");
            s[i] = SpendRecord(address(uint160(b >> 96)), uint96(b), a >> 160, uint96(a >> 64));
        }
    }

    /// @dev How many words of src's record are call words and their value words.
    function callWordCount(bytes32[] memory r) internal pure returns (uint256 n) {
        while (n < r.length && uint256(r[n]) & CALL_WORD != 0) {
            n += uint256(r[n]) & 1 == 1 ? 2 : 1;
        }
        require(n <= r.length, "AuditWords: value word missing");
    }

    // ---------------------------------------------------------------- v1's two arrays

    /// @dev v1's call words, one per call.
    function callsV1(CallRecord[] memory c) internal pure returns (bytes32[] memory) {
        return _calls(c, false, 0);
    }

    /// @dev v1's spend pairs: `token (160) ‖ counted (96)`, then `used (128) ‖ limit (128)`.
    function spendsV1(SpendRecord[] memory s) internal pure returns (bytes32[] memory w) {
        w = new bytes32[](2 * s.length);
        for (uint256 i; i < s.length; ++i) {
            require(s[i].counted < 2 ** 96 && s[i].used < 2 ** 128 && s[i].limit < 2 ** 128, "AuditWords: out of range");
            w[2 * i] = bytes32((uint256(uint160(s[i].token)) << 96) | s[i].counted);
            w[2 * i + 1] = bytes32((s[i].used << 128) | s[i].limit);
        }
    }

    // ---------------------------------------------------------------- either

    /// @dev A KeyExecuted log's calls (one per call) and spends, from src's event or v1's.
    function parse(bytes32 topic0, bytes memory data)
        internal
        pure
        returns (CallRecord[] memory c, SpendRecord[] memory s)
    {
        if (topic0 != V1_KEY_EXECUTED) return decode(words(data));
        (bytes32[] memory cw, bytes32[] memory sw) = abi.decode(data, (bytes32[], bytes32[]));
        c = decodeCalls(cw);
        s = new SpendRecord[](sw.length / 2);
        for (uint256 i; i < s.length; ++i) {
            uint256 a = uint256(sw[2 * i]);
            uint256 b = uint256(sw[2 * i + 1]);
            s[i] = SpendRecord(address(uint160(a >> 96)), uint96(a), b >> 128, uint128(b));
        }
    }

    /// @dev Call words (src's or v1's: bit 63 is not read), one entry per call.
    function decodeCalls(bytes32[] memory w) internal pure returns (CallRecord[] memory c) {
        uint256 n;
        for (uint256 i; i < w.length; ++i) {
            n += 1 + ((uint256(w[i]) >> 1) & REPEAT_MASK);
            if (uint256(w[i]) & 1 == 1) ++i;
        }
        c = new CallRecord[](n);
        n = 0;
        for (uint256 i; i < w.length; ++i) {
            uint256 word = uint256(w[i]);
            uint256 repeat = (word >> 1) & REPEAT_MASK;
            CallRecord memory r = CallRecord(address(uint160(word >> 96)), bytes4(uint32(word >> 64)), 0);
            if (word & 1 == 1) r.value = uint256(w[++i]);
            for (uint256 k; k <= repeat; ++k) {
                c[n++] = CallRecord(r.target, r.selector, r.value);
            }
        }
    }

    /// @dev `a` then `b`, as one array.
    function join(bytes32[] memory a, bytes32[] memory b) internal pure returns (bytes32[] memory w) {
        w = new bytes32[](a.length + b.length);
        for (uint256 i; i < a.length; ++i) {
            w[i] = a[i];
        }
        for (uint256 i; i < b.length; ++i) {
            w[a.length + i] = b[i];
        }
    }

    function _calls(CallRecord[] memory c, bool merged, uint256 mark) private pure returns (bytes32[] memory w) {
        uint256 n;
        for (uint256 i; i < c.length; ++i) {
            if (!(merged && _repeats(c, i))) n += c[i].value == 0 ? 1 : 2;
        }
        w = new bytes32[](n);
        n = 0;
        for (uint256 i; i < c.length; ++i) {
            if (merged && _repeats(c, i)) {
                w[n - 1] = bytes32(uint256(w[n - 1]) + 2);
                continue;
            }
            bool hasValue = c[i].value != 0;
            w[n++] = bytes32(
                (uint256(uint160(c[i].target)) << 96) | (uint256(uint32(c[i].selector)) << 64) | mark
                    | (hasValue ? 1 : 0)
            );
            if (hasValue) w[n++] = bytes32(c[i].value);
        }
    }

    /// @dev Whether call i repeats call i - 1 (same target and selector, neither with value).
    function _repeats(CallRecord[] memory c, uint256 i) private pure returns (bool) {
        return i > 0 && c[i].value == 0 && c[i - 1].value == 0 && c[i].target == c[i - 1].target
            && c[i].selector == c[i - 1].selector;
    }
}
