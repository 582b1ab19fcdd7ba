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
/// event checks the layout too.
library AuditWords {
    uint256 internal constant LAST = 1 << 63;
    uint256 internal constant REPEAT_MASK = 2 ** 62 - 1;
    /// @dev The frozen v1 reference's event, which logged the call words and the spend words as
    /// two arrays (test/differential/V1Modules.sol).
    bytes32 internal constant V1_KEY_EXECUTED = keccak256("KeyExecuted(address,uint176,bytes32,bytes32[],bytes32[])");

    /// @dev A KeyExecuted log's call words and spend words, from src's event (one record) or v1's.
    function parse(bytes32 topic0, bytes memory data)
        internal
        pure
        returns (bytes32[] memory callWords, bytes32[] memory spendWords)
    {
        if (topic0 == V1_KEY_EXECUTED) return abi.decode(data, (bytes32[], bytes32[]));
        return split(abi.decode(data, (bytes32[])));
    }

    /// @dev The event's record: the call words, then the spend words; empty for an empty batch.
    function record(CallRecord[] memory c, SpendRecord[] memory s) internal pure returns (bytes32[] memory) {
        return c.length == 0 ? new bytes32[](0) : join(markLast(calls(c)), spends(s));
    }

    /// @dev The record as the hook's common path logs a batch (callsMerged).
    function recordMerged(CallRecord[] memory c, SpendRecord[] memory s) internal pure returns (bytes32[] memory) {
        return c.length == 0 ? new bytes32[](0) : join(markLast(callsMerged(c)), spends(s));
    }

    /// @dev A record's call words (up to the word marked last, and its value word) and spend words.
    function split(bytes32[] memory r) internal pure returns (bytes32[] memory callWords, bytes32[] memory spendWords) {
        uint256 n;
        while (n < r.length) {
            uint256 word = uint256(r[n]);
            n += word & 1 == 1 ? 2 : 1;
            if (word & LAST != 0) break;
        }
        require(n <= r.length, "AuditWords: value word missing");
        callWords = new bytes32[](n);
        spendWords = new bytes32[](r.length - n);
        for (uint256 i; i < r.length; ++i) {
            if (i < n) callWords[i] = r[i];
            else spendWords[i - n] = r[i];
        }
    }

    /// @dev `a` then `b`, as one record.
    function join(bytes32[] memory a, bytes32[] memory b) internal pure returns (bytes32[] memory w) {
        w = new bytes32[](a.length + b.length);
        for (uint256 i; i < a.length; ++i) {
            w[i] = a[i];
        }
        for (uint256 i; i < b.length; ++i) {
            w[a.length + i] = b[i];
        }
    }

    /// @dev The call words, one per call (none marked last: v1's form; record marks it).
    function calls(CallRecord[] memory c) internal pure returns (bytes32[] memory w) {
        uint256 n;
        for (uint256 i; i < c.length; ++i) n += c[i].value == 0 ? 1 : 2;
        w = new bytes32[](n);
        n = 0;
        for (uint256 i; i < c.length; ++i) {
            bool hasValue = c[i].value != 0;
            w[n++] = bytes32(
                (uint256(uint160(c[i].target)) << 96) | (uint256(uint32(c[i].selector)) << 64) | (hasValue ? 1 : 0)
            );
            if (hasValue) w[n++] = bytes32(c[i].value);
        }
    }

    /// @dev The call words `w` with `last` set on the last call word (the one before a final value
    /// word when it has one), in place.
    function markLast(bytes32[] memory w) internal pure returns (bytes32[] memory) {
        uint256 at = type(uint256).max;
        for (uint256 i; i < w.length; ++i) {
            at = i;
            if (uint256(w[i]) & 1 == 1) ++i;
        }
        if (at != type(uint256).max) w[at] = bytes32(uint256(w[at]) | LAST);
        return w;
    }

    function spends(SpendRecord[] memory s) internal pure returns (bytes32[] memory w) {
        w = new bytes32[](2 * s.length);
        for (uint256 i; i < s.length; ++i) {
            require(s[i].counted < 2 ** 96 && s[i].used < 2 ** 128 && s[i].limit < 2 ** 128, "AuditWords: out of range");
            w[2 * i] = bytes32((uint256(uint160(s[i].token)) << 96) | s[i].counted);
            w[2 * i + 1] = bytes32((s[i].used << 128) | s[i].limit);
        }
    }

    /// @dev The calls as the hook's common path logs a batch of token transfers, approvals or calls
    /// to a target without a limit: a run of calls with one target and selector and no value is one
    /// word whose repeat count (bits 1 to 62) says how many more follow the first.
    function callsMerged(CallRecord[] memory c) internal pure returns (bytes32[] memory w) {
        uint256 n;
        for (uint256 i; i < c.length; ++i) {
            if (!_repeats(c, i)) n += c[i].value == 0 ? 1 : 2;
        }
        w = new bytes32[](n);
        n = 0;
        for (uint256 i; i < c.length; ++i) {
            if (_repeats(c, i)) {
                w[n - 1] = bytes32(uint256(w[n - 1]) + 2);
                continue;
            }
            bool hasValue = c[i].value != 0;
            w[n++] = bytes32(
                (uint256(uint160(c[i].target)) << 96) | (uint256(uint32(c[i].selector)) << 64) | (hasValue ? 1 : 0)
            );
            if (hasValue) w[n++] = bytes32(c[i].value);
        }
    }

    /// @dev Whether call i repeats call i - 1 (same target and selector, neither with value).
    function _repeats(CallRecord[] memory c, uint256 i) private pure returns (bool) {
        return i > 0 && c[i].value == 0 && c[i - 1].value == 0 && c[i].target == c[i - 1].target
            && c[i].selector == c[i - 1].selector;
    }

    /// @dev The calls of a record's call words (split), one per call.
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

    function decodeSpends(bytes32[] memory w) internal pure returns (SpendRecord[] memory s) {
        s = new SpendRecord[](w.length / 2);
        for (uint256 i; i < s.length; ++i) {
            uint256 a = uint256(w[2 * i]);
            uint256 b = uint256(w[2 * i + 1]);
            s[i] = SpendRecord(address(uint160(a >> 96)), uint96(a), b >> 128, uint128(b));
        }
    }
}
