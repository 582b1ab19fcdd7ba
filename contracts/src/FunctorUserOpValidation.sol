// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// solhint does not read foundry.toml remappings (account-abstraction/); forge build checks this import
// solhint-disable-next-line import-path-check
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {FunctorPolicyHookCommon} from "./FunctorPolicyHookCommon.sol";
import {FunctorMode} from "./lib/FunctorMode.sol";
import {ExecutionParser} from "./lib/ExecutionParser.sol";
import {ValidationWord} from "./lib/ValidationWord.sol";

/// @title FunctorUserOpValidation
/// @notice The module's validator role (ERC-7579 type 1): *who signed* a key's UserOp, and whether
/// its calls and gas fit the key's policies, all in validation. It was FunctorValidator's until the
/// merge (contracts/README.md, "One module for validator and hook"): the hook's own checks are now
/// an internal call, and an op loads one Functor contract less.
///
/// A UserOp it accepts has callData `execute(mode, data)` (on Kernel: `executeUserOp` followed by
/// it) in canonical ABI layout, whose mode is a Functor mode carrying the keyId, single or batch,
/// default exec type. The signature is `0x00 ‖ ecdsa(65)` over the EIP-191 hash of the userOpHash, or
/// `0x01 ‖ r ‖ s ‖ x ‖ y` (P-256 over the userOpHash itself, through the 0x100 precompile).
///
/// Dangers, first:
/// - Everything read here is account-associated storage (ERC-7562): the KeyStore's per-account
///   copies and this module's per-account configuration. No TIMESTAMP/NUMBER: time limits go out as
///   `validAfter`/`validUntil`.
/// - A revoked, expired or unknown key, a disallowed call and gas above the key's caps fail HERE,
///   in validation: a UserOp that fails in execution still costs the account gas (DESIGN 2.1).
/// - One lane per key and account (_isLane): this module is the only Functor validator, so a key's
///   op ceiling and gas budget bound every op it can make on the account.
/// - ERC-1271 is always refused (FunctorPolicyConfig.isValidSignatureWithSender): a session key must
///   never sign for the account.
abstract contract FunctorUserOpValidation is FunctorPolicyHookCommon {
    uint256 internal constant SIG_VALIDATION_FAILED = 1;
    uint8 internal constant SIG_P256 = 0x01;
    address internal constant P256_VERIFY = address(0x100);

    /// @dev The hook's static checks of the execution's calls (every call allowed, no forbidden
    /// target, argument conditions) and the ticket preCheck will take; returns the key's two stored
    /// validation words (see FunctorPolicyHook.checkCallsWhenValidating).
    function _checkCallsInValidation(
        address account,
        uint176 keyId,
        bytes32 mode,
        bytes calldata data,
        bytes32 execHash,
        bytes32 signer,
        uint256 signerWord
    ) internal virtual returns (uint256 word, uint256 extra);

    /// @dev Refuses a batch whose layout is not the canonical one: it must re-encode to exactly its
    /// bytes (no aliasing offsets, no dirty padding). The hook then reads the calls in place (and
    /// refuses a single call too short to hold a target and a value).
    function _strict(bytes1 callType, bytes calldata data) internal pure {
        if (callType == FunctorMode.CALLTYPE_BATCH) ExecutionParser.strictBatch(data);
    }

    /// @notice ERC-7579 validator (type 1): validates a key's UserOp (see the title).
    function validateUserOp(PackedUserOperation calldata op, bytes32 userOpHash) external payable returns (uint256) {
        (bool done, uint256 result) = _validateCommon(op, userOpHash);
        if (done) return result;
        address account = op.sender;
        if (msg.sender != account) revert NotSender(msg.sender, account);

        bytes calldata cd = op.callData;
        if (cd.length >= 4 && bytes4(cd[:4]) == ExecutionParser.EXECUTE_USER_OP) cd = cd[4:];
        bytes32 signer = _recover(op, userOpHash);
        // The hook also leaves the ticket (calldata hash and signer) its preCheck will take.
        (uint176 keyId, uint256 word, uint256 extra) = _checkCalls(account, cd, signer);
        _checkGas(op, keyId, account, word, extra);

        (uint8 state, bool signerOk) = _authorizedState(keyId, account, signer);
        if (state != 1) revert KeyNotActive(keyId, state);
        return (signerOk ? 0 : SIG_VALIDATION_FAILED) | (uint256(ValidationWord.validUntil(word)) << 160)
            | (uint256(ValidationWord.validAfter(word)) << 208);
    }

    /// @dev validateUserOp's common case by hand (the ABI decoder's field accesses, the slices and
    /// checked arithmetic were most of the validator's own opcodes): an ECDSA signature, no
    /// paymaster, canonical `execute` calldata (Kernel's `executeUserOp` prefix allowed), gas that
    /// fits the key's caps with no gas budget. It changes nothing and returns `done` false when the
    /// op is anything else, so that the general path below runs from the start and refuses or
    /// accepts it exactly as it always did (every refusal's error is that path's). From the hook
    /// call on, it runs the general path's own steps (_checkCallsInValidation, _checkGas, the KeyStore).
    function _validateCommon(PackedUserOperation calldata op, bytes32 userOpHash)
        internal
        returns (bool done, uint256 result)
    {
        bytes calldata data = msg.data[0:0]; // set below
        bytes32 mode;
        bytes32 execHash;
        // Few live values at a time, in scoped blocks: with more, via-IR moves variables to memory.
        // Selectors as literals (Solidity constants that are not plain numbers cannot be named in
        // assembly): execute 0xe9ae5c53, Kernel's executeUserOp 0x8dd7712f, FunctorMode.SELECTOR
        // 0x2c232d5c. A wrong one would only send every op down the general path, which the gas
        // snapshot (contracts/snapshots) would show.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // A dynamic field of the op: where its bytes start, when its offset and length are small
            // and it lies inside the calldata (the general path's decoder reverts on what it cannot
            // read); else 0.
            function field(o, at) -> p, n {
                let rel := calldataload(add(o, at))
                n := calldataload(add(o, rel))
                p := add(add(o, rel), 0x20)
                p := mul(p, and(and(lt(rel, 0x100000000), lt(n, 0x100000000)), iszero(gt(add(p, n), calldatasize()))))
            }
            // the sender is the caller; no paymaster
            let ok := eq(calldataload(op), caller())
            {
                let p, n := field(op, 0xe0)
                ok := and(ok, and(iszero(iszero(p)), iszero(n)))
            }
            // Kernel's executeUserOp prefix, then canonical `execute(mode, data)` (splitExecute,
            // nothing after it), a Functor mode with the default exec type, no unused bits (bits
            // 208..247), single or batch (isBatch)
            {
                let cdo, cdl := field(op, 0x60)
                ok := and(ok, iszero(iszero(cdo)))
                if and(gt(cdl, 3), eq(shr(224, calldataload(cdo)), 0x8dd7712f)) {
                    cdo := add(cdo, 4)
                    cdl := sub(cdl, 4)
                }
                let len := calldataload(add(cdo, 68))
                ok := and(ok, and(gt(cdl, 99), eq(calldataload(add(cdo, 36)), 0x40)))
                ok := and(ok, and(iszero(gt(len, cdl)), eq(cdl, add(100, and(add(len, 31), not(31))))))
                ok := and(ok, eq(shr(224, calldataload(cdo)), 0xe9ae5c53))
                mode := calldataload(add(cdo, 4))
                ok := and(ok, eq(and(shr(176, mode), 0xffffffff), 0x2c232d5c))
                ok := and(ok, and(iszero(and(shr(208, mode), 0xffffffffff)), lt(byte(0, mode), 2)))
                data.offset := add(cdo, 100)
                data.length := len
                let m := mload(0x40)
                calldatacopy(m, cdo, cdl)
                execHash := keccak256(m, cdl)
            }
            done := ok
        }
        if (!done) return (false, 0);
        bytes32 signer = _ecdsaSigner(op, userOpHash);
        if (signer == bytes32(type(uint256).max)) return (false, 0);
        uint176 keyId = FunctorMode.keyId(mode);
        if (mode[0] == FunctorMode.CALLTYPE_BATCH) ExecutionParser.strictBatch(data);
        // The signer's word first: its terms cache spares validation the validation word's slot.
        // Its state is checked where it always was, after the calls and the gas.
        uint256 signerWord = _signerWord(keyId, msg.sender, signer);
        if (mode[0] == FunctorMode.CALLTYPE_SINGLE) {
            (bool taken, uint256 r) = _validateSingle(op, keyId, data, execHash, signer, signerWord);
            if (taken) return (true, r);
        }
        (uint256 word, uint256 extra) =
            _checkCallsInValidation(msg.sender, keyId, mode, data, execHash, signer, signerWord);
        if (!_gasFits(op, keyId, word, extra)) _checkGas(op, keyId, msg.sender, word, extra);
        (uint8 state, bool signerOk) =
            uint8(signerWord) == 1 ? (uint8(1), true) : _authorizedState(keyId, msg.sender, signer);
        if (state != 1) revert KeyNotActive(keyId, state);
        result = (signerOk ? 0 : SIG_VALIDATION_FAILED) | (uint256(ValidationWord.validUntil(word)) << 160)
            | (uint256(ValidationWord.validAfter(word)) << 208);
    }

    /// @dev _validateCommon's single call when everything is the common case, by hand: the signer
    /// ENABLED with this module's terms cache at the account's epoch (TermsCache.unpack's hit), the
    /// module installed, calldata that holds a selector, a target that is not forbidden, an exact
    /// allowlist entry (_plainEntry) and its argument conditions (_checkConditions, which refuses as
    /// the general steps would at the same point: every check before it has passed), gas that fits
    /// the cached caps (_gasWithin, _gasFits's test). It then leaves the ticket and raises the count
    /// of ops pending exactly as _checkCallsInValidation does, and returns the validation data
    /// _validateCommon would (signer ok, the cached time bounds). Anything else returns `ok` false
    /// having written nothing, and _validateCommon goes on as before, which accepts or refuses with
    /// its own error. Why: via-IR's calls between those steps (seven arguments to
    /// _checkCallsInValidation, _checkStatic, _plainEntry, TermsCache.unpack, _gasFits) were about
    /// 700 gas of every keyed op's validation (forge snapshot, contracts/snapshots).
    function _validateSingle(
        PackedUserOperation calldata op,
        uint176 keyId,
        bytes calldata data,
        bytes32 execHash,
        bytes32 signer,
        uint256 w
    ) internal returns (bool ok, uint256 result) {
        uint256 entry;
        uint256 epoch;
        {
            address ep = _entryPoint;
            address v = _validatorAddress();
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                // a loop run once, for `leave`-like breaks; entry stays 0 unless every check passes
                for {} 1 {} {
                    // ENABLED (state 1) with a cache present
                    if iszero(eq(and(w, 0x1ff), 0x101)) { break }
                    let account := caller()
                    // the install word (_install[account]), then the cache's epoch field (TermsCache.field)
                    mstore(0x00, account)
                    mstore(0x20, _install.slot)
                    let install := sload(keccak256(0x00, 0x40))
                    if iszero(and(install, 1)) { break }
                    epoch := shr(1, install)
                    if iszero(lt(epoch, 0x400000)) { break }
                    if iszero(eq(and(shr(9, w), 0x3fffff), and(add(epoch, address()), 0x3fffff))) { break }
                    // ExecutionParser.single: a target, a value, then calldata of at least a selector
                    if lt(data.length, 56) { break }
                    let target := shr(96, calldataload(data.offset))
                    // _forbidden (this module is the KeyStore too)
                    if or(or(eq(target, account), eq(target, ep)), or(eq(target, address()), eq(target, v))) { break }
                    // _entryAt: _allowed[keccak(keyId, epoch, target, selector)][account]
                    let m := mload(0x40)
                    mstore(m, keyId)
                    mstore(add(m, 0x20), epoch)
                    mstore(add(m, 0x40), target)
                    mstore(add(m, 0x60), and(calldataload(add(data.offset, 52)), shl(224, 0xffffffff)))
                    mstore(0x00, keccak256(m, 0x80))
                    mstore(0x20, _allowed.slot)
                    mstore(0x20, keccak256(0x00, 0x40))
                    mstore(0x00, account)
                    entry := sload(keccak256(0x00, 0x40))
                    break
                }
            }
        }
        if (entry == 0) return (false, 0);
        if (entry & ENTRY_CONDITIONS != 0) {
            _checkConditions(
                msg.sender, keyId, epoch, address(bytes20(data[:20])), bytes4(data[52:56]), data[52:]
            );
        }
        // _gasFits on the cached caps (a cache has no gas budget)
        if (!_gasWithin(op, keyId, uint32(w >> 223), uint48(w >> 111), uint64(w >> 159))) return (false, 0);
        bytes32 guardSeed = GUARD_SEED;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // the ticket (_ticketSlot: its count, then the signer) and the guard word's count of
            // ops pending (_pendingSlot, G_OUT), as _checkCallsInValidation leaves them
            let account := caller()
            mstore(0x00, account)
            mstore(0x20, execHash)
            let ticket := keccak256(0x00, 0x40)
            tstore(ticket, add(tload(ticket), 1))
            tstore(add(ticket, 1), signer)
            mstore(0x20, guardSeed)
            let guard := keccak256(0x00, 0x40)
            tstore(guard, add(tload(guard), OUT_ONE))
            // signer ok; validUntil, validAfter from the cache
            result := or(shl(160, and(shr(71, w), 0xffffffffff)), shl(208, and(shr(31, w), 0xffffffffff)))
        }
        ok = true;
    }

    /// @dev An ECDSA signature's signer (type byte 0 and 65 bytes), by hand: a high s is no signer
    /// (rejected as OpenZeppelin's ECDSA does), else ecrecover of the EIP-191 hash of userOpHash
    /// (0 when no address comes back). Any other signature, or one whose field is not plainly inside
    /// the calldata: all ones (never an address), for _recover's other cases.
    function _ecdsaSigner(PackedUserOperation calldata op, bytes32 userOpHash) internal view returns (bytes32 signer) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let rel := calldataload(add(op, 0x100))
            let so := add(add(op, rel), 0x20)
            signer := not(0)
            if and(
                and(lt(rel, 0x100000000), eq(calldataload(sub(so, 0x20)), 66)),
                and(iszero(gt(add(so, 66), calldatasize())), iszero(byte(0, calldataload(so))))
            ) {
                signer := 0
                let s := calldataload(add(so, 33))
                if iszero(gt(s, 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0)) {
                    // the precompile's input from the free memory pointer on (not allocated)
                    let m := mload(0x40)
                    mstore(0x00, "\x19Ethereum Signed Message:\n32")
                    mstore(0x1c, userOpHash)
                    mstore(m, keccak256(0x00, 0x3c))
                    mstore(add(m, 0x20), byte(0, calldataload(add(so, 65))))
                    mstore(add(m, 0x40), calldataload(add(so, 1)))
                    mstore(add(m, 0x60), s)
                    // as Solidity's ecrecover: a failed call reverts, no address back is 0
                    if iszero(staticcall(gas(), 1, m, 0x80, 0x00, 0x20)) { revert(0, 0) }
                    signer := mul(mload(0x00), eq(returndatasize(), 0x20))
                }
            }
        }
    }

    /// @dev True when _checkGas would accept the op and change nothing: no paymaster (the caller
    /// checked), the key's lane, a sequence under the ceiling, the fee and the cost under their caps
    /// (computed where nothing can overflow), no gas budget. False sends the op through _checkGas,
    /// which refuses it with its own error (or accepts it and debits the budget).
    function _gasFits(PackedUserOperation calldata op, uint176 keyId, uint256 word, uint256 extra)
        internal
        view
        returns (bool)
    {
        return uint96(extra) == 0
            && _gasWithin(op, keyId, word >> 224, uint48(word >> 104), uint72(word >> 152));
    }

    /// @dev The op on the key's lane, its sequence under `ceiling`, its fee under `feeCap` (below
    /// 2^48) and its cost under `costCap`, computed where nothing can overflow: _gasFits's test, and
    /// _validateSingle's on the terms cache's fields.
    function _gasWithin(PackedUserOperation calldata op, uint176 keyId, uint256 ceiling, uint256 feeCap, uint256 costCap)
        internal
        view
        returns (bool fits)
    {
        address self = address(this);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m128 := 0xffffffffffffffffffffffffffffffff
            let nonce := calldataload(add(op, 0x20))
            let agl := calldataload(add(op, 0x80))
            let pvg := calldataload(add(op, 0xa0))
            let fee := and(calldataload(add(op, 0xc0)), m128)
            let key := shr(64, nonce)
            let lane := and(keyId, 0xffff)
            // _isLane: Kernel, Nexus, Safe7579
            let isLane := or(
                eq(key, or(or(shl(176, 1), shl(16, self)), lane)),
                or(eq(key, or(shl(168, lane), self)), eq(key, or(shl(32, self), lane)))
            )
            fits := and(isLane, lt(and(nonce, 0xffffffffffffffff), ceiling))
            // with pvg < 2^128 the gas is under 2^130, and with fee <= feeCap < 2^48 the cost under 2^178
            fits := and(fits, and(lt(pvg, shl(128, 1)), iszero(gt(fee, feeCap))))
            let cost := mul(add(add(shr(128, agl), and(agl, m128)), pvg), fee)
            fits := and(fits, iszero(gt(cost, costCap)))
        }
    }

    /// @dev Parses the execution, takes its keyId, and has the hook check every call (static
    /// policies) from account-associated storage and leave the ticket for `signer`.
    function _checkCalls(address account, bytes calldata cd, bytes32 signer)
        internal
        returns (uint176 keyId, uint256 word, uint256 extra)
    {
        (bytes32 mode, bytes calldata data) = ExecutionParser.splitExecute(cd, 0);
        // A UserOp runs `execute` (the library also reads the executor path's calldata).
        if (bytes4(cd[:4]) != ExecutionParser.EXECUTE) revert ExecutionParser.NotExecute();
        if (!FunctorMode.isFunctor(mode)) revert NotFunctorMode(mode);
        keyId = FunctorMode.keyId(mode);
        // isBatch refuses any other call type, exec type or unused bits.
        bytes1 callType = ExecutionParser.isBatch(mode) ? FunctorMode.CALLTYPE_BATCH : FunctorMode.CALLTYPE_SINGLE;
        _strict(callType, data);
        (word, extra) = _checkCallsInValidation(account, keyId, mode, data, keccak256(cd), signer, 0);
    }

    /// @dev The key's gas caps, from its stored validation words (see ValidationWord).
    function _checkGas(PackedUserOperation calldata op, uint176 keyId, address account, uint256 word, uint256 extra)
        internal
    {
        uint256 maxFeePerGas = uint128(uint256(op.gasFees));
        uint256 gas = uint128(bytes16(op.accountGasLimits)) + uint128(uint256(op.accountGasLimits))
            + op.preVerificationGas;
        bytes calldata pmd = op.paymasterAndData;
        if (pmd.length != 0) {
            address pm = pmd.length >= 20 ? address(bytes20(pmd[:20])) : address(0);
            if (pm == address(0) || pm != ValidationWord.paymaster(extra) || pmd.length < 52) revert PaymasterNotAllowed(pm);
            gas += uint128(bytes16(pmd[20:36])) + uint128(bytes16(pmd[36:52]));
        }
        // The total bound: every op of this key on this account runs on one nonce key (its lane),
        // whose sequence the EntryPoint raises by one per op, so the ceiling bounds the number of
        // ops, and so what they can cost, without a storage write (DESIGN 2.5).
        if (!_isLane(uint192(op.nonce >> 64), keyId)) revert WrongNonceKey(uint192(op.nonce >> 64));
        uint256 ceiling = ValidationWord.opCeiling(word);
        if (uint64(op.nonce) >= ceiling) revert OpCeilingReached(uint64(op.nonce), ceiling);
        uint256 feeCap = ValidationWord.maxFeePerGas(word);
        if (maxFeePerGas > feeCap) revert GasFeeTooHigh(maxFeePerGas, feeCap);
        uint256 cost = gas * maxFeePerGas;
        uint256 costCap = ValidationWord.maxCostPerOp(word);
        if (cost > costCap) revert OpCostTooHigh(cost, costCap);
        uint256 budget = ValidationWord.gasBudget(extra);
        if (budget != 0) {
            uint256 spent = _gasSpent[keyId][account];
            if (spent + cost > budget) revert GasBudgetExceeded(spent, cost, budget);
            _gasSpent[keyId][account] = spent + cost;
        }
    }

    /// @dev The key's lane: the nonce key that routes an op to this validator with `uint16(keyId)`
    /// in its free bytes, in the layout of Kernel v3.1 (mode 0 ‖ type validator ‖ validator ‖ 2-byte
    /// key), Nexus 1.0 (3-byte key ‖ mode 0 ‖ validator) or Safe7579 (validator ‖ 4-byte key). Each of
    /// these accounts routes only its own layout to this validator, so a key has exactly one nonce
    /// key (one sequence) per account: another lane, or another mode, is refused.
    function _isLane(uint192 key, uint176 keyId) internal view returns (bool) {
        uint192 lane = uint16(keyId);
        uint192 v = uint160(address(this));
        return key == ((uint192(1) << 176) | (v << 16) | lane) // Kernel
            || key == ((lane << 168) | v) // Nexus
            || key == ((v << 32) | lane); // Safe7579
    }

    /// @dev The signer id of the op's signature, or 0 when it does not verify: ECDSA through
    /// _ecdsaSigner (the one implementation of it), else P-256.
    function _recover(PackedUserOperation calldata op, bytes32 userOpHash) internal view returns (bytes32) {
        bytes32 signer = _ecdsaSigner(op, userOpHash);
        if (signer != bytes32(type(uint256).max)) return signer;
        bytes calldata sig = op.signature; // the decoder refuses a field it cannot read
        if (sig.length == 129 && uint8(sig[0]) == SIG_P256) {
            (bool ok, bytes memory ret) = P256_VERIFY.staticcall(abi.encodePacked(userOpHash, sig[1:129]));
            if (!ok || ret.length != 32 || abi.decode(ret, (uint256)) != 1) return 0;
            return keccak256(sig[65:129]);
        }
        return 0;
    }
}
