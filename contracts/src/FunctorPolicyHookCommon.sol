// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorPolicyHookBase} from "./FunctorPolicyHookBase.sol";
import {KeyStore} from "./KeyStore.sol";

/// @title FunctorPolicyHookCommon
/// @notice preCheck's common case by hand: a single call or a batch whose first call has an exact
/// allowlist entry, no custom policy, at most two spend limits, spends read from the calldata as
/// the general path reads them (a batch's other calls through the general path's own loop,
/// _plainBatchAt). The general path (FunctorPolicyHook.preCheck after it) spent about 2,400 opcodes
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
///   writes (ticket taken, spends measured, calls recorded, pending state, guard last); only a
///   batch's loop records calls 1 and later as it goes, words the general path rewrites from the
///   first before anything reads them (postCheck reads as many as the pending state counts).
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
    uint256 internal constant C_EXEC_HASH = 0xc0; // keccak256 of the `execute` calldata, the ticket's
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
    function _commonCall(address account, uint256 base, bytes calldata msgData) internal returns (bool) {
        uint256 c = _accept(account, msgData);
        if (c == 0) return false;
        uint256 entry = _mload(c + C_ENTRY);
        if (entry & ENTRY_CONDITIONS != 0) {
            (address target, bytes4 sel, bytes calldata cd, uint176 keyId, uint256 epoch) = _firstCall(c);
            _checkConditions(account, keyId, epoch, target, sel, cd);
        }
        uint256 count = _mload(c + C_COUNT);
        if (count > 1 && !_restOfBatch(c, account, base, count)) return false;
        // _measureSpends' refusal, as a fallback: the general path refuses with its error
        uint256 n = uint8(entry >> 64);
        uint176 keyId_ = uint176(_mload(c + C_KEY_ID));
        for (uint256 i; i < n; ++i) {
            uint256 at = 0x20 * (i + 1);
            if (!_fits(keyId_, _mload(c + C_HEADS + at), _mload(c + C_DECODED + at), entry >> (GEO_SHIFT + GEO_BITS * i))) {
                return false;
            }
        }
        _commit(c, account, base, n);
        return true;
    }

    /// @dev Every check of the general path up to the batch's other calls, by hand, on the calldata
    /// in place: ExecutionParser.trailing's and splitExecute's layout, isBatch's mode, single's or
    /// element(0)'s reads (a batch's layout is the one the validator's strictBatch accepted: its
    /// ticket is keyed by this calldata's hash, and nothing read is used before the ticket is found),
    /// the install, the ticket, _checkKeyActive (an active grant, this signer, the time bounds),
    /// _plainEntry (not forbidden, an exact entry), no custom policy and at most two spend limits, and
    /// _plainSpend for the first call. Returns the block it filled (see C_*), or 0 for the general path.
    function _accept(address account, bytes calldata msgData) internal view returns (uint256 c) {
        uint256 ctx = _lookupWords();
        bytes4 authSel = KeyStore.authorization.selector;
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
                mstore(add(c, C_EXEC_HASH), execHash)
                // the install word (_epoch)
                mstore(0x00, account)
                mstore(0x20, _install.slot)
                let install := sload(keccak256(0x00, 0x40))
                if iszero(and(install, 1)) { break }
                let epoch := shr(1, install)
                mstore(add(c, C_EPOCH), epoch)
                // the ticket (_ticketSlot) and its signer; the account's outstanding count is at
                // least a ticket's (checkValidation raises both, _takeTicket lowers both)
                mstore(0x20, execHash)
                let ticket := keccak256(0x00, 0x40)
                if iszero(tload(ticket)) { break }
                let signer := tload(add(ticket, 1))
                mstore(add(c, C_TICKET), ticket)
                mstore(add(c, C_SIGNER), signer)
                // KeyStore.authorization(keyId, account, signer): enabled and this signer. LeanCalls'
                // call inlined: calling LeanCalls.authorization splits this block and cost +223 gas
                // per op (forge snapshot); a failed call falls back (the general path's call reverts)
                mstore(m, authSel)
                mstore(add(m, 0x04), keyId)
                mstore(add(m, 0x24), account)
                mstore(add(m, 0x44), signer)
                if iszero(and(gt(returndatasize(), 0x3f), staticcall(gas(), mload(add(ctx, 0x40)), m, 0x64, 0x00, 0x40))) {
                    break
                }
                if iszero(and(eq(and(mload(0x00), 0xff), 1), iszero(iszero(mload(0x20))))) { break }
                // the first validation word (_vcfg[_cfgKey(keyId, epoch)][account]): active, the
                // time bounds (ValidationWord's layout)
                mstore(0x00, keyId)
                mstore(0x20, epoch)
                mstore(0x00, keccak256(0x00, 0x40))
                mstore(0x20, _vcfg.slot)
                mstore(0x20, keccak256(0x00, 0x40))
                mstore(0x00, account)
                let w := sload(keccak256(0x00, 0x40))
                if iszero(and(w, 1)) { break }
                if lt(timestamp(), and(shr(8, w), 0xffffffffffff)) { break }
                let validUntil := and(shr(56, w), 0xffffffffffff)
                if and(iszero(iszero(validUntil)), gt(timestamp(), validUntil)) { break }
                // _forbidden
                if or(
                    or(eq(target, account), eq(target, mload(ctx))),
                    or(or(eq(target, mload(add(ctx, 0x40))), eq(target, address())), eq(target, mload(add(ctx, 0x20))))
                ) { break }
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
                // the spend limits' words: _xcfg[_execKey(account, keyId, epoch)].spends[i]
                mstore(m, account)
                mstore(add(m, 0x20), keyId)
                mstore(add(m, 0x40), epoch)
                let execKey := keccak256(m, 0x60)
                mstore(add(c, C_EXEC_KEY), execKey)
                mstore(0x00, execKey)
                mstore(0x20, _xcfg.slot)
                mstore(0x20, add(keccak256(0x00, 0x40), 1))
                let h0 := 0
                let h1 := 0
                if n {
                    mstore(0x00, 0)
                    h0 := sload(keccak256(0x00, 0x40))
                }
                if gt(n, 1) {
                    mstore(0x00, 1)
                    h1 := sload(keccak256(0x00, 0x40))
                }
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

    /// @dev The words _accept compares targets with (as _forbidden): the entry point, the
    /// validator, the KeyStore, at the free memory pointer (not advanced).
    function _lookupWords() internal view returns (uint256 ctx) {
        address ep = entryPoint;
        address v = _validatorAddress();
        address ks = address(keyStore);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            ctx := mload(0x40)
            mstore(0x40, add(ctx, 0x60))
            mstore(ctx, ep)
            mstore(add(ctx, 0x20), v)
            mstore(add(ctx, 0x40), ks)
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
        uint256 m = _lookupMemory(account, uint176(_mload(c + C_KEY_ID)), _mload(c + C_EPOCH));
        // the spend state _plainBatchAt reads at m + 0x120 to + 0x180, from the block
        _mstore(m + 0x120, c + C_HEADS);
        _mstore(m + 0x140, c + C_DECODED);
        _mstore(m + 0x160, base + P_CALLS);
        _mstore(m + 0x180, _mload(c + C_WORDS));
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

    /// @dev Whether `decoded` more fits spend limit `head` (token ‖ limit) with geometry `geo`
    /// (period, kind, start from its low bits, as _geometry gives it), without an overflow.
    function _fits(uint176 keyId, uint256 head, uint256 decoded, uint256 geo) internal view returns (bool) {
        uint256 limit = head >> 160;
        if (decoded > limit) return false;
        return _usedAt(keyId, address(uint160(head)), geo) <= limit - decoded;
    }

    /// @dev The general path's writes, in its order: the ticket taken (_takeTicket), the first call's
    /// words (_recordCall; a batch's others are recorded), each limit's decoded amount and balance
    /// before (_measureSpends), the pending state, the guard word last.
    function _commit(uint256 c, address account, uint256 base, uint256 n) internal {
        uint256 outstanding = _outstandingSlot(account);
        uint256 calls = base + P_CALLS;
        uint256 header = _mload(c + C_ENTRY) & ENTRY_HEADER;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ticket := mload(add(c, C_TICKET))
            tstore(ticket, sub(tload(ticket), 1))
            tstore(outstanding, sub(tload(outstanding), 1))
            let value := mload(add(c, C_VALUE))
            tstore(
                calls,
                or(or(shl(96, mload(add(c, C_TARGET))), shl(64, shr(224, mload(add(c, C_SEL))))), iszero(iszero(value)))
            )
            if value { tstore(add(calls, 1), value) }
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
            tstore(add(base, P_EXEC_KEY), mload(add(c, C_EXEC_KEY)))
            tstore(add(base, P_COUNTS), or(mload(add(c, C_WORDS)), shl(128, n)))
            tstore(add(base, P_HEADER), header)
            tstore(base, or(shl(255, 1), mload(add(c, C_KEY_ID))))
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
}
