// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorPolicyHookBase} from "./FunctorPolicyHookBase.sol";
import {FixedWindow} from "./lib/SpendWindow.sol";
import {SignerSlot} from "./lib/SignerSlot.sol";

/// @title FunctorPolicyHookCommon
/// @notice preCheck's common case by hand: a single call or a batch whose first call has an exact
/// allowlist entry, no custom policy, at most two spend limits, spends read from the calldata as
/// the general path reads them (a batch's other calls through the general path's own loop,
/// _plainBatchAt). The general path (FunctorPolicyGeneral, which preCheck runs after it) spent about 2,400 opcodes
/// on one transfer, mostly via-IR's memory structs, arrays and helper calls.
///
/// Dangers, first:
/// - It decides nothing by itself: it checks everything the general path checks, in the general
///   path's order, and on anything it does not accept (a check that would refuse, a case it does not
///   cover) it returns false having written nothing, and preCheck runs the general path from the
///   start, which then accepts or refuses with its own error. What it does not do by hand it runs
///   through the general path's own functions: the first call's argument conditions
///   (_checkConditions, which refuses as it does), a batch's other calls (_plainBatchAt), the
///   limits' usage (_usedAt).
/// - It writes only once every check has passed, the same transient words the general path
///   writes (ticket taken, spends measured, calls recorded, pending state, guard last), but the
///   calls' words, which it records as it goes (a run of one target and selector as one word with a
///   repeat count): words the general path rewrites from the first, one per call, before anything
///   reads them (postCheck reads as many as the pending state counts).
/// - It reads the calldata in place, after checking the canonical `execute` layout exactly as
///   ExecutionParser.trailing and splitExecute do; the differential test against the v1 reference
///   (test/differential) and the attack suites run through it.
abstract contract FunctorPolicyHookCommon is FunctorPolicyHookBase {
    /// @dev Where _accept leaves what it read (a memory block it allocates), offsets in bytes.
    uint256 internal constant C_TARGET = 0x00; // the first call's target, value, selector, calldata
    uint256 internal constant C_VALUE = 0x20;
    uint256 internal constant C_SEL = 0x40;
    uint256 internal constant C_CD_OFFSET = 0x60;
    uint256 internal constant C_CD_LENGTH = 0x80;
    uint256 internal constant C_KEY_ID = 0xa0;
    uint256 internal constant C_TICKETS = 0xc0; // the ticket's count, as _accept read it (_commit lowers it)
    uint256 internal constant C_COUNT = 0xe0; // calls: 1 for a single call
    uint256 internal constant C_DATA_OFFSET = 0x100; // a batch's `data`
    uint256 internal constant C_DATA_LENGTH = 0x120;
    uint256 internal constant C_EPOCH = 0x140;
    uint256 internal constant C_SIGNER = 0x160;
    uint256 internal constant C_TICKET = 0x180; // the ticket's transient slot
    uint256 internal constant C_ENTRY = 0x1a0; // the first call's allowlist entry
    uint256 internal constant C_HEADS = 0x1c0; // uint256[] of the spend limits' words (length, h0, h1)
    uint256 internal constant C_DECODED = 0x220; // uint256[] of the decoded amounts (length, d0, d1)
    uint256 internal constant C_WORDS = 0x280; // call words recorded
    uint256 internal constant C_EXEC_KEY = 0x2a0;
    uint256 internal constant C_SIZE = 0x2c0;

    /// @dev The execution of `msgData` (a Functor-mode `execute` or `executeFromExecutor`, its
    /// sender already checked, no key executing on `account`) when it is the common case: true,
    /// with the pending state written as the general path writes it; else false, with nothing
    /// written that the general path reads (a batch's later calls may have left call words, which
    /// it rewrites from the first before anything reads them).
    function _commonCall(address account, uint256 base, uint256 guard, bytes calldata msgData) internal returns (bool) {
        uint256 c = _accept(account, guard, msgData);
        if (c == 0) return false;
        // Memory offsets of the block _accept allocated, n at most 2, and the guard word's slot (a
        // keccak256) plus a few: none of these sums can overflow short of a hash of all ones
        // (checked, they were about 200 gas per keyed execution).
        unchecked {
            uint256 entry = _mload(c + C_ENTRY);
            if (entry & ENTRY_CONDITIONS != 0) {
                (address target, bytes4 sel, bytes calldata cd, uint176 keyId, uint256 epoch) = _firstCall(c);
                _checkConditions(account, keyId, epoch, target, sel, cd);
            }
            uint256 count = _mload(c + C_COUNT);
            if (count > 1) {
                if (!_restOfBatch(c, account, base, count)) return false;
            } else {
                _recordFirst(c, base + P_CALLS);
            }
            // _measureSpends' refusal, as a fallback: the general path refuses with its error
            uint256 n = uint8(entry >> 64);
            uint176 keyId_ = uint176(_mload(c + C_KEY_ID));
            for (uint256 i; i < n; ++i) {
                uint256 at = 0x20 * (i + 1);
                if (!_fits(keyId_, _mload(c + C_HEADS + at), _mload(c + C_DECODED + at), entry >> (GEO_SHIFT + GEO_BITS * i))) {
                    return false;
                }
            }
            _commit(c, account, base, guard, n);
            return true;
        }
    }

    /// @dev Every check of the general path up to the batch's other calls, by hand, on the calldata
    /// in place: ExecutionParser.trailing's and splitExecute's layout, isBatch's mode, single's or
    /// element(0)'s reads (a batch's layout is the one the validator's strictBatch accepted: its
    /// ticket is keyed by this calldata's hash, and nothing read is used before the ticket is found),
    /// the install, the ticket, _checkKeyActive (an active grant, this signer, the time bounds, these
    /// read again only after a write of the configuration in this transaction: CONFIG_WRITTEN),
    /// _plainEntry (not forbidden, an exact entry), no custom policy and at most two spend limits, and
    /// _plainSpend for the first call. Returns the block it filled (see C_*), or 0 for the general path.
    function _accept(address account, uint256 guard, bytes calldata msgData) internal view returns (uint256 c) {
        uint256 ctx = _lookupWords();
        uint256 signerMap = SignerSlot.MAP;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let mask := 0xffffffffffffffffffffffffffffffffffffffff
            c := mload(0x40)
            mstore(0x40, add(c, C_SIZE))
            // a loop run once, for `leave`-like breaks; c is set to 0 on the way out unless ok
            let ok := 0
            for {} 1 {} {
                let o := msgData.offset
                let size := msgData.length
                if lt(size, 100) { break }
                if iszero(eq(calldataload(add(o, 36)), 0x40)) { break }
                let len := calldataload(add(o, 68))
                if gt(len, size) { break }
                let canonical := add(100, and(add(len, 31), not(31)))
                if gt(canonical, size) { break }
                let extra := sub(size, canonical)
                if iszero(or(iszero(extra), eq(extra, 20))) { break }
                let mode := calldataload(add(o, 4))
                // call type single (0x00) or batch (0x01), exec type default, the unused bytes zero
                if shr(208, and(mode, not(shl(248, 1)))) { break }
                let d := add(o, 100)
                let count := 1
                switch shr(248, mode)
                case 0 {
                    // single: a target and a value, then the calldata
                    if lt(len, 52) { break }
                    mstore(add(c, C_TARGET), shr(96, calldataload(d)))
                    mstore(add(c, C_VALUE), calldataload(add(d, 20)))
                    mstore(add(c, C_CD_OFFSET), add(d, 52))
                    mstore(add(c, C_CD_LENGTH), sub(len, 52))
                }
                default {
                    // element(data, 0)
                    count := calldataload(add(d, 0x20))
                    if iszero(count) { break }
                    let e := add(add(d, 0x40), calldataload(add(d, 0x40)))
                    mstore(add(c, C_TARGET), calldataload(e))
                    mstore(add(c, C_VALUE), calldataload(add(e, 0x20)))
                    mstore(add(c, C_CD_OFFSET), add(e, 0x80))
                    mstore(add(c, C_CD_LENGTH), calldataload(add(e, 0x60)))
                }
                // a selector at least (empty calldata is the general path's)
                if lt(mload(add(c, C_CD_LENGTH)), 4) { break }
                let target := mload(add(c, C_TARGET))
                let sel := and(calldataload(mload(add(c, C_CD_OFFSET))), shl(224, 0xffffffff))
                let keyId := and(mode, 0xffffffffffffffffffffffffffffffffffffffffffff)
                mstore(add(c, C_SEL), sel)
                mstore(add(c, C_KEY_ID), keyId)
                mstore(add(c, C_COUNT), count)
                mstore(add(c, C_DATA_OFFSET), d)
                mstore(add(c, C_DATA_LENGTH), len)
                // the ticket's hash: keccak256 of the `execute` calldata without the trailing bytes
                let m := mload(0x40)
                calldatacopy(m, o, canonical)
                let execHash := keccak256(m, canonical)
                // the install word (_epoch)
                mstore(0x00, account)
                mstore(0x20, _install.slot)
                let install := sload(keccak256(0x00, 0x40))
                if iszero(and(install, 1)) { break }
                let epoch := shr(1, install)
                mstore(add(c, C_EPOCH), epoch)
                // the ticket (_ticketSlot) and its signer; the guard word's count of ops pending is
                // at least a ticket's (checkCallsWhenValidating raises both, _commit lowers both)
                mstore(0x20, execHash)
                let ticket := keccak256(0x00, 0x40)
                let tickets := tload(ticket)
                if iszero(tickets) { break }
                mstore(add(c, C_TICKETS), tickets)
                let signer := tload(add(ticket, 1))
                mstore(add(c, C_TICKET), ticket)
                mstore(add(c, C_SIGNER), signer)
                // _authorizedState(keyId, account, signer) is (ENABLED, true), enabled and this
                // signer, exactly when the signer's word (SignerSlot.slotOf, in this module's own
                // storage: KeyStoreState) is ENABLED (1). Any other word falls back: the general path
                // asks _authorizedState
                mstore(0x00, keyId)
                mstore(0x20, signer)
                mstore(0x00, keccak256(0x00, 0x40))
                mstore(0x20, signerMap)
                mstore(0x20, keccak256(0x00, 0x40))
                mstore(0x00, account)
                if iszero(eq(and(sload(keccak256(0x00, 0x40)), 0xff), 1)) { break }
                // the first validation word (_vcfg[_cfgKey(keyId, epoch)][account]): active, the
                // time bounds (ValidationWord's layout); only when the account's configuration was
                // written in this transaction: else it is the word validation checked (CONFIG_WRITTEN)
                if and(guard, CONFIG_WRITTEN) {
                    mstore(0x00, or(shl(176, epoch), keyId))
                    mstore(0x20, _vcfg.slot)
                    mstore(0x20, keccak256(0x00, 0x40))
                    mstore(0x00, account)
                    let w := sload(keccak256(0x00, 0x40))
                    if iszero(and(w, 1)) { break }
                    if lt(timestamp(), and(shr(8, w), 0xffffffffffff)) { break }
                    let validUntil := and(shr(56, w), 0xffffffffffff)
                    if and(iszero(iszero(validUntil)), gt(timestamp(), validUntil)) { break }
                }
                // _forbidden (this module is the KeyStore too)
                if or(or(eq(target, account), eq(target, mload(ctx))), or(eq(target, address()), eq(target, mload(add(ctx, 0x20))))) {
                    break
                }
                // _entryAt: _allowed[keccak(keyId, epoch, target, selector)][account]
                mstore(m, keyId)
                mstore(add(m, 0x20), epoch)
                mstore(add(m, 0x40), target)
                mstore(add(m, 0x60), sel)
                mstore(0x00, keccak256(m, 0x80))
                mstore(0x20, _allowed.slot)
                mstore(0x20, keccak256(0x00, 0x40))
                mstore(0x00, account)
                let entry := sload(keccak256(0x00, 0x40))
                if iszero(entry) { break }
                mstore(add(c, C_ENTRY), entry)
                // no custom policy, at most two spend limits
                if byte(22, entry) { break }
                let n := byte(23, entry)
                if gt(n, 2) { break }
                // the spend limits' words: _xcfg[_execKey(account, keyId, epoch)].spends[i]. The key
                // is hashed, and kept for postCheck, only when a limit's word is read from its slot:
                // not when the entry carries the only limit (ENTRY_LIMIT: its token is this target),
                // the common case (postCheck reads the key under the same condition)
                let carried := and(gt(n, 0), iszero(iszero(and(entry, ENTRY_LIMIT))))
                let execKey := 0
                let h0 := 0
                let h1 := 0
                if or(gt(n, 1), and(gt(n, 0), iszero(carried))) {
                    mstore(m, account)
                    mstore(add(m, 0x20), keyId)
                    mstore(add(m, 0x40), epoch)
                    execKey := keccak256(m, 0x60)
                    mstore(0x00, execKey)
                    mstore(0x20, _xcfg.slot)
                    mstore(0x20, add(keccak256(0x00, 0x40), 1))
                    if iszero(carried) {
                        mstore(0x00, 0)
                        h0 := sload(keccak256(0x00, 0x40))
                    }
                    if gt(n, 1) {
                        mstore(0x00, 1)
                        h1 := sload(keccak256(0x00, 0x40))
                    }
                }
                mstore(add(c, C_EXEC_KEY), execKey)
                if carried { h0 := or(and(target, mask), shl(160, and(shr(ENTRY_LIMIT_SHIFT, entry), 0xffffffffffffffffffffffff))) }
                let heads := add(c, C_HEADS)
                mstore(heads, n)
                mstore(add(heads, 0x20), h0)
                mstore(add(heads, 0x40), h1)
                // _plainSpend for the first call: native value on its limit (NATIVE_TOKEN, address 0),
                // the token's amount on the token's first limit; a single call's two sums cannot
                // overflow (one of them is 0)
                let value := mload(add(c, C_VALUE))
                let d0 := 0
                let d1 := 0
                if value {
                    switch and(gt(n, 0), iszero(and(h0, mask)))
                    case 1 { d0 := value }
                    default {
                        if iszero(and(gt(n, 1), iszero(and(h1, mask)))) { break }
                        d1 := value
                    }
                }
                if target {
                    let slot := 2
                    if and(gt(n, 1), eq(and(h1, mask), target)) { slot := 1 }
                    if and(gt(n, 0), eq(and(h0, mask), target)) { slot := 0 }
                    if lt(slot, 2) {
                        let cdo := mload(add(c, C_CD_OFFSET))
                        let cdl := mload(add(c, C_CD_LENGTH))
                        let amount := 0
                        switch shr(224, sel)
                        case 0xa9059cbb {
                            if lt(cdl, 68) { break }
                            amount := calldataload(add(cdo, 36))
                        }
                        case 0x095ea7b3 {
                            if lt(cdl, 68) { break }
                            amount := calldataload(add(cdo, 36))
                        }
                        case 0x39509351 {
                            if lt(cdl, 68) { break }
                            amount := calldataload(add(cdo, 36))
                        }
                        case 0x23b872dd {
                            if lt(cdl, 36) { break }
                            if eq(and(calldataload(add(cdo, 4)), mask), account) {
                                if lt(cdl, 100) { break }
                                amount := calldataload(add(cdo, 68))
                            }
                        }
                        case 0xa457c2d7 {} // decreaseAllowance spends nothing
                        default { break }
                        switch slot
                        case 0 { d0 := amount }
                        default { d1 := amount }
                    }
                }
                let decoded := add(c, C_DECODED)
                mstore(decoded, n)
                mstore(add(decoded, 0x20), d0)
                mstore(add(decoded, 0x40), d1)
                mstore(add(c, C_WORDS), add(1, iszero(iszero(value))))
                ok := 1
                break
            }
            c := mul(c, ok)
        }
    }

    /// @dev The words _accept compares targets with (as _forbidden): the entry point and the
    /// validator, at the free memory pointer (advanced).
    function _lookupWords() internal view returns (uint256 ctx) {
        address ep = _entryPoint;
        address v = _validatorAddress();
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            ctx := mload(0x40)
            mstore(0x40, add(ctx, 0x40))
            mstore(ctx, ep)
            mstore(add(ctx, 0x20), v)
        }
    }

    /// @dev The first call's target, selector and calldata, and the key's keyId and epoch.
    function _firstCall(uint256 c)
        internal
        pure
        returns (address target, bytes4 sel, bytes calldata cd, uint176 keyId, uint256 epoch)
    {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            target := mload(add(c, C_TARGET))
            sel := mload(add(c, C_SEL))
            cd.offset := mload(add(c, C_CD_OFFSET))
            cd.length := mload(add(c, C_CD_LENGTH))
            keyId := mload(add(c, C_KEY_ID))
            epoch := mload(add(c, C_EPOCH))
        }
    }

    /// @dev The batch's calls 1 to count - 1 through the general path's loop (_plainBatchAt, with
    /// the spend accounting), its call words from C_WORDS on: false when one of them is not its case.
    function _restOfBatch(uint256 c, address account, uint256 base, uint256 count) internal returns (bool) {
        // memory offsets and transient slots, as the assembly computes them: unchecked
        unchecked {
            uint256 m = _lookupMemory(account, uint176(_mload(c + C_KEY_ID)), _mload(c + C_EPOCH));
            // the spend state _plainBatchAt reads at m + 0x120 to + 0x180, from the block
            _mstore(m + 0x120, c + C_HEADS);
            _mstore(m + 0x140, c + C_DECODED);
            _mstore(m + 0x160, base + P_CALLS);
            _mstore(m + 0x180, _mload(c + C_WORDS));
            _seedLoop(c, m);
            bytes calldata data;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                data.offset := mload(add(c, C_DATA_OFFSET))
                data.length := mload(add(c, C_DATA_LENGTH))
            }
            if (_plainBatchAt(m, data, 1, count, true) != count) return false;
            _mstore(c + C_WORDS, _mload(m + 0x180));
            return true;
        }
    }

    /// @dev Starts _plainBatchAt's loop where _accept left the first call: its lookup (the key, the
    /// entry, the target and selector the conditions' keys are made from) and, when that call
    /// allows it, fastSpend's state, as spend would have left it for the same call (no value; a
    /// target without a limit, or one whose selector's amount is the word at cd[36:68]; the decoded
    /// amount's word of the target's first limit; the call word). A second call with the first
    /// one's target and selector then skips the lookup and the limits' search, which is what a
    /// batch of transfers of one token repeats; any other call looks up as before.
    function _seedLoop(uint256 c, uint256 m) internal {
        // the first call's words, before the loop (a repeat of it adds to its word)
        uint256 calls = _mload(m + 0x160);
        _recordFirst(c, calls);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let mask := 0xffffffffffffffffffffffffffffffffffffffff
            let target := mload(add(c, C_TARGET))
            let sel := mload(add(c, C_SEL))
            let s := shr(224, sel)
            // the call word a second call with the same target and selector repeats
            mstore(add(m, 0x360), calls)
            mstore(add(m, 0x40), target)
            mstore(add(m, 0x60), sel)
            mstore(add(m, 0x280), or(target, shl(160, s)))
            mstore(add(m, 0x2a0), mload(add(c, C_ENTRY)))
            // the target's first limit, as spend's indexOf finds it (none for target 0 or no limit)
            let heads := add(c, C_HEADS)
            let n := mload(heads)
            let idx := n
            if and(gt(n, 1), eq(and(mload(add(heads, 0x40)), mask), target)) { idx := 1 }
            if and(gt(n, 0), eq(and(mload(add(heads, 0x20)), mask), target)) { idx := 0 }
            let limited := and(iszero(iszero(target)), lt(idx, n))
            mstore(
                add(m, 0x320),
                and(iszero(mload(add(c, C_VALUE))), or(iszero(limited), or(eq(s, 0xa9059cbb), or(eq(s, 0x095ea7b3), eq(s, 0x39509351)))))
            )
            mstore(add(m, 0x340), mul(add(add(c, C_DECODED), shl(5, add(idx, 1))), limited))
            mstore(add(m, 0x3a0), or(or(shl(96, target), shl(64, s)), CALL_WORD))
        }
    }

    /// @dev The first call's words at transient slot `calls`, as FunctorPolicyHook._recordCall writes
    /// them (target ‖ selector ‖ CALL_WORD ‖ repeat 0 ‖ hasValue, then the value when there is one). Not a call to it:
    /// measured, that cost 134 gas per keyed execution (via-IR's argument shuffling).
    function _recordFirst(uint256 c, uint256 calls) internal {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let value := mload(add(c, C_VALUE))
            tstore(
                calls,
                or(or(or(shl(96, mload(add(c, C_TARGET))), shl(64, shr(224, mload(add(c, C_SEL))))), CALL_WORD), iszero(iszero(value)))
            )
            if value { tstore(add(calls, 1), value) }
        }
    }

    /// @dev Whether `decoded` more fits spend limit `head` (token ‖ limit) with geometry `geo`
    /// (period, kind, start from its low bits, as _geometry gives it), without an overflow.
    function _fits(uint176 keyId, uint256 head, uint256 decoded, uint256 geo) internal view returns (bool) {
        uint256 limit = head >> 160;
        if (decoded > limit) return false;
        // decoded <= limit
        unchecked {
            return _usedAt(keyId, address(uint160(head)), geo) <= limit - decoded;
        }
    }

    /// @dev The general path's writes, in its order, but the calls' words (_recordFirst's and the
    /// batch loop's): the ticket taken (_takeTicket), each limit's decoded amount and balance
    /// before (_measureSpends), the pending state, the guard word last. The pending header is the
    /// first call's entry's (ENTRY_PENDING): with ENTRY_LIMIT, the only limit's word for postCheck.
    function _commit(uint256 c, address account, uint256 base, uint256 guard, uint256 n) internal {
        uint256 header = _mload(c + C_ENTRY) & ENTRY_PENDING;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // the count _accept read: nothing has written it since (the calls out are static)
            tstore(mload(add(c, C_TICKET)), sub(mload(add(c, C_TICKETS)), 1))
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let slot := add(base, add(P_SPENDS, shl(1, i)))
                tstore(slot, mload(add(c, add(C_DECODED, shl(5, add(i, 1))))))
                // _balanceOf: the native balance, or LeanCalls.balanceOf (0 when the token does not
                // answer one word), inlined: a Solidity loop calling _balanceOf cost +461 gas per op
                let token := and(mload(add(c, add(C_HEADS, shl(5, add(i, 1))))), 0xffffffffffffffffffffffffffffffffffffffff)
                let bal := 0
                switch token
                case 0 { bal := balance(account) }
                default {
                    mstore(0x14, account)
                    mstore(0x00, 0x70a08231000000000000000000000000)
                    bal := mul(mload(0x20), and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x10, 0x24, 0x20, 0x20)))
                }
                tstore(add(slot, 1), bal)
            }
            tstore(add(base, P_SIGNER), mload(add(c, C_SIGNER)))
            // the execution config's key, when _accept hashed it (see there)
            let execKey := mload(add(c, C_EXEC_KEY))
            if execKey { tstore(add(base, P_EXEC_KEY), execKey) }
            tstore(add(base, P_HEADER), header)
            // the guard as preCheck read it (nothing here writes it: the calls out are static), its
            // count of ops pending lowered with the ticket
            tstore(
                base,
                or(
                    or(shl(255, 1), mload(add(c, C_KEY_ID))),
                    or(or(shl(G_WORDS, mload(add(c, C_WORDS))), shl(G_SPENDS, n)), sub(and(guard, KEEP_MASK), OUT_ONE))
                )
            )
        }
    }

    /// @dev Ends preCheck with its hook data, the 1-byte marker (abi.encode of bytes hex"01"), without
    /// Solidity's return encoding (about 100 opcodes).
    function _returnMarker() internal pure {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let r := mload(0x40)
            mstore(r, 0x20)
            mstore(add(r, 0x20), 1)
            mstore(add(r, 0x40), shl(248, 1))
            return(r, 0x60)
        }
    }

    /// @dev postCheck up to the custom policies, by hand (via-IR's Solidity was about 900 opcodes
    /// for one limit, most of them variables moved to memory and checked arithmetic): the pending
    /// state, then each spend limit counted (what left the account or what the calldata says,
    /// whichever is more) into its window exactly as _addAt writes it (_usedAt when nothing is
    /// counted), with _addAt's and postCheck's refusals, then the rate limit. SlidingWindow.add and
    /// .used, FixedWindow.add and .used are written out below with their checks (a Panic where
    /// Solidity's arithmetic would raise one, the same errors, the same words written); the
    /// differential test against the v1 reference (test/differential, which counts through the
    /// libraries) warps onto bucket and period boundaries and past whole windows. Leaves
    /// KeyExecuted's data at `data`, `size` bytes, allocated: the record's raw words (no ABI head),
    /// the call words preCheck recorded, then per limit used ‖ limit and token ‖ counted.
    function _countSpends()
        internal
        returns (uint256 base, uint256 data, uint256 size, uint256 guard, uint256 header)
    {
        bytes32 guardSeed = GUARD_SEED;
        uint256 pCalls = P_CALLS;
        bytes4 errPending = NoPendingExecution.selector;
        bytes4 errSpend = SpendLimitExceeded.selector;
        bytes4 errRate = RateLimitExceeded.selector;
        bytes4 errStart = FixedWindow.PeriodNotStarted.selector;
        uint256 xcfgSlot;
        uint256 slidingSlot;
        uint256 fixedSlot;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            xcfgSlot := _xcfg.slot
            slidingSlot := _sliding.slot
            fixedSlot := _fixed.slot
        }
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            function panic(code) {
                mstore(0x00, 0x4e487b71)
                mstore(0x20, code)
                revert(0x1c, 0x24)
            }
            // the window word's slot: mapping `mapSlot` at key keccak(keyId, token, kind, period,
            // start) (_windowAt's WordHash), the five words at `w`
            function windowSlot(w, id, token, kind, period, start, mapSlot) -> slot {
                mstore(w, id)
                mstore(add(w, 0x20), token)
                mstore(add(w, 0x40), kind)
                mstore(add(w, 0x60), period)
                mstore(add(w, 0x80), start)
                mstore(0x00, keccak256(w, 0xa0))
                mstore(0x20, mapSlot)
                slot := keccak256(0x00, 0x40)
            }
            // SlidingWindow.State: sum (96) ‖ current (96) ‖ head (32) ‖ live (32) from the low
            // bits, then the ring of 25 uint128 amounts, two per slot from slot + 1
            function ringAt(slot, i) -> e {
                e := and(shr(shl(7, and(i, 1)), sload(add(add(slot, 1), shr(1, i)))), 0xffffffffffffffffffffffffffffffff)
            }
            function bucket(period) -> n {
                if iszero(period) { panic(0x12) }
                n := div(timestamp(), div(add(period, 23), 24))
            }
            // SlidingWindow.used
            function slidingUsed(slot, period) -> total {
                let word := sload(slot)
                let n := bucket(period)
                let head := and(shr(192, word), 0xffffffff)
                switch gt(n, head)
                case 0 { total := add(and(word, 0xffffffffffffffffffffffff), and(shr(96, word), 0xffffffffffffffffffffffff)) }
                default {
                    if iszero(gt(sub(n, head), 24)) {
                        total := and(shr(96, word), 0xffffffffffffffffffffffff)
                        let live := shr(224, word)
                        let k := 0
                        if iszero(lt(head, 24)) { k := sub(head, 24) }
                        for {} lt(k, head) { k := add(k, 1) } {
                            if iszero(lt(add(k, 24), n)) {
                                let i := mod(k, 25)
                                if and(live, shl(i, 1)) { total := add(total, ringAt(slot, i)) }
                            }
                        }
                    }
                }
            }
            // SlidingWindow.add: the window moved to now, then `amount` added; its one word written
            // (and the old head's amount into the ring when the window moves)
            function slidingAdd(slot, period, amount) -> total {
                let m96 := 0xffffffffffffffffffffffff
                let word := sload(slot)
                let n := bucket(period)
                let sum := and(word, m96)
                let cur := and(shr(96, word), m96)
                let head := and(shr(192, word), 0xffffffff)
                let live := shr(224, word)
                if gt(n, head) {
                    switch gt(sub(n, head), 24)
                    case 1 {
                        sum := 0
                        live := 0
                    }
                    default {
                        let hi := mod(head, 25)
                        switch iszero(cur)
                        case 0 {
                            let rs := add(add(slot, 1), shr(1, hi))
                            let sh := shl(7, and(hi, 1))
                            sstore(rs, or(and(sload(rs), not(shl(sh, 0xffffffffffffffffffffffffffffffff))), shl(sh, cur)))
                            live := or(live, shl(hi, 1))
                            sum := add(sum, cur)
                        }
                        default { live := and(live, not(shl(hi, 1))) }
                        let k := 0
                        if iszero(lt(head, 24)) { k := sub(head, 24) }
                        for {} lt(add(k, 24), n) { k := add(k, 1) } {
                            let i := mod(k, 25)
                            if and(live, shl(i, 1)) {
                                let e := ringAt(slot, i)
                                if gt(e, sum) { panic(0x11) }
                                sum := sub(sum, e)
                                live := and(live, not(shl(i, 1)))
                            }
                        }
                    }
                    cur := 0
                    head := n
                }
                cur := add(cur, amount)
                total := add(sum, cur)
                // SlidingWindow's bare require
                if gt(total, m96) { revert(0, 0) }
                sstore(slot, or(or(sum, shl(96, cur)), or(shl(192, and(head, 0xffffffff)), shl(224, and(live, 0xffffffff)))))
            }

            let account := caller()
            mstore(0x00, account)
            mstore(0x20, guardSeed)
            base := keccak256(0x00, 0x40)
            let head := tload(base)
            header := tload(add(base, P_HEADER))
            let n := and(shr(64, header), 0xff)
            if or(iszero(shr(255, head)), iszero(eq(n, and(shr(G_SPENDS, head), 0xff)))) {
                mstore(0x00, errPending)
                mstore(0x04, account)
                revert(0x00, 0x24)
            }
            guard := head
            let keyId := and(head, 0xffffffffffffffffffffffffffffffffffffffffffff)
            let nWords := and(shr(G_WORDS, head), 0xffffffff)
            // the record, raw words (no ABI head: KeyExecuted): the call words preCheck recorded
            // (bit 63 set in each), then two words per limit
            data := mload(0x40)
            size := add(shl(5, nWords), shl(6, n))
            mstore(0x40, add(data, size))
            for { let i := 0 } lt(i, nWords) { i := add(i, 1) } {
                mstore(add(data, shl(5, i)), tload(add(add(base, pCalls), i)))
            }
            let records := add(data, shl(5, nWords))
            let w := mload(0x40) // scratch for window keys, past the buffer (not allocated)
            // _xcfg[execKey]: its spends (slot + 1) and geometry (slot + 2) mappings, hashed when a
            // limit's word is read from its slot (only then did preCheck keep the key: a limit the
            // first call's entry carried needs neither)
            let x := 0
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                // token (160) ‖ limit (96): from the pending header when the first call's entry
                // carried the only limit (ENTRY_LIMIT; the token is that call's target), else its slot
                let hw := 0
                switch and(iszero(i), iszero(iszero(and(header, ENTRY_LIMIT))))
                case 1 { hw := or(shr(96, mload(data)), shl(160, and(shr(ENTRY_LIMIT_SHIFT, header), 0xffffffffffffffffffffffff))) }
                default {
                    if iszero(x) {
                        mstore(0x00, tload(add(base, P_EXEC_KEY)))
                        mstore(0x20, xcfgSlot)
                        x := keccak256(0x00, 0x40)
                    }
                    mstore(0x00, i)
                    mstore(0x20, add(x, 1))
                    hw := sload(keccak256(0x00, 0x40))
                }
                let token := and(hw, 0xffffffffffffffffffffffffffffffffffffffff)
                let limit := shr(160, hw)
                // _geometry: period (32) ‖ kind (8) ‖ start (32), in the header for the first two
                let geo := shr(add(80, mul(72, i)), header)
                if gt(i, 1) {
                    mstore(0x20, add(x, 2))
                    geo := sload(keccak256(0x00, 0x40))
                }
                let period := and(geo, 0xffffffff)
                let kind := and(shr(32, geo), 0xff)
                let start := and(shr(40, geo), 0xffffffff)
                let at := add(add(base, P_SPENDS), shl(1, i))
                // _balanceOf: the native balance, or balanceOf (0 when the token does not answer a word)
                let bal := 0
                switch token
                case 0 { bal := balance(account) }
                default {
                    mstore(0x14, account)
                    mstore(0x00, 0x70a08231000000000000000000000000)
                    bal := mul(mload(0x20), and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x10, 0x24, 0x20, 0x20)))
                }
                let before := tload(add(at, 1))
                let counted := mul(sub(before, bal), gt(before, bal))
                let decoded := tload(at)
                if gt(decoded, counted) { counted := decoded }
                let used := 0
                switch counted
                case 0 {
                    // _usedAt
                    switch kind
                    case 0 { used := slidingUsed(windowSlot(w, keyId, token, 0, period, start, slidingSlot), period) }
                    default {
                        if iszero(lt(timestamp(), start)) {
                            if iszero(period) { panic(0x12) }
                            let word := sload(windowSlot(w, keyId, token, kind, period, start, fixedSlot))
                            used := mul(and(word, 0xffffffffffffffffffffffff), eq(and(shr(96, word), 0xffffffffffffffff), add(div(sub(timestamp(), start), period), 1)))
                        }
                    }
                }
                default {
                    // _addAt
                    if gt(counted, 0xffffffffffffffffffffffff) {
                        mstore(w, errSpend)
                        mstore(add(w, 0x04), keyId)
                        mstore(add(w, 0x24), token)
                        mstore(add(w, 0x44), 0)
                        mstore(add(w, 0x64), counted)
                        mstore(add(w, 0x84), limit)
                        revert(w, 0xa4)
                    }
                    switch kind
                    case 0 { used := slidingAdd(windowSlot(w, keyId, token, 0, period, start, slidingSlot), period, counted) }
                    default {
                        // FixedWindow.add: started, the current period's spend plus the amount
                        if lt(timestamp(), start) {
                            mstore(0x00, errStart)
                            mstore(0x04, start)
                            revert(0x00, 0x24)
                        }
                        if iszero(period) { panic(0x12) }
                        let index := add(div(sub(timestamp(), start), period), 1)
                        let slot := windowSlot(w, keyId, token, kind, period, start, fixedSlot)
                        let word := sload(slot)
                        used := add(mul(and(word, 0xffffffffffffffffffffffff), eq(and(shr(96, word), 0xffffffffffffffff), index)), counted)
                        if gt(used, 0xffffffffffffffffffffffff) { revert(0, 0) }
                        sstore(slot, or(and(word, not(0xffffffffffffffffffffffffffffffffffffffff)), or(shl(96, and(index, 0xffffffffffffffff)), used)))
                    }
                }
                if gt(used, limit) {
                    mstore(w, errSpend)
                    mstore(add(w, 0x04), keyId)
                    mstore(add(w, 0x24), token)
                    mstore(add(w, 0x44), sub(used, counted))
                    mstore(add(w, 0x64), counted)
                    mstore(add(w, 0x84), limit)
                    revert(w, 0xa4)
                }
                // counted <= used <= limit < 2^96 here: used (96) ‖ limit (96) ‖ 0 (64) (bit 63 clear:
                // not a call word), then token (160) ‖ counted (96)
                mstore(add(records, shl(6, i)), or(shl(160, used), shl(64, limit)))
                mstore(add(add(records, shl(6, i)), 0x20), or(shl(96, hw), counted))
            }
            // the rate limit: one more call in its sliding window (_rateKey's key)
            let maxCalls := and(header, 0xffffffff)
            if maxCalls {
                let period := and(shr(32, header), 0xffffffff)
                let calls := slidingAdd(windowSlot(w, keyId, 0xffffffffffffffffffffffffffffffffffffffff, 0, period, 0, slidingSlot), period, 1)
                if gt(calls, maxCalls) {
                    mstore(w, errRate)
                    mstore(add(w, 0x04), keyId)
                    mstore(add(w, 0x24), sub(calls, 1))
                    mstore(add(w, 0x44), maxCalls)
                    revert(w, 0x64)
                }
            }
        }
    }
}
