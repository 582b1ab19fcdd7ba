// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IFunctorPolicy} from "./interfaces/IFunctorPolicy.sol";
import {KeyStore} from "./KeyStore.sol";
import {FunctorHookCode} from "./FunctorHookCode.sol";
import {FunctorMode} from "./lib/FunctorMode.sol";
import {Execution, ExecutionParser} from "./lib/ExecutionParser.sol";
import {NATIVE_TOKEN} from "./lib/PolicyTypes.sol";

/// @title FunctorPolicyGeneral
/// @notice preCheck's general path and the custom policies' postCheck: the code FunctorPolicyHook
/// runs by DELEGATECALL, on its own storage with the account as msg.sender, for every keyed
/// execution its common case (FunctorPolicyHookCommon) does not take: a wildcard target, a custom
/// policy, more than two spend limits, a batch across entries, and every refusal in execution.
/// Why a code contract of its own: the hook must stay under EIP-170's 24,576 bytes, and this path
/// was 9,100 of them (the hook 24,502 with it, 15,402 without); the room it leaves is for the
/// validator's hot path (contracts/README.md, "One module for validator and hook"). A key on this
/// path pays one cold contract more (2,600 gas) and the call's copy; the common case nothing.
///
/// Dangers, first:
/// - Only the hook reaches this code: the hook calls its two functions by DELEGATECALL from
///   preCheck and postCheck, after its own checks (a Functor-mode call, from the EntryPoint or
///   FunctorValidator, no key executing on the account); the hook's fallback runs
///   FunctorPolicyConfig, which has neither function; called at its own address, both revert
///   (`NotThroughHook`), so no event or state of this address can be taken for the hook's.
/// - Both functions take the hook's FunctorValidator as their first argument (the hook's
///   immutable, which this code cannot read): `_validatorAddress` reads it from the calldata.
/// - Deployed through the CREATE2 factory with the KeyStore and the EntryPoint, which FunctorDeployer
///   checks against its own (this code reads both from its immutables).
contract FunctorPolicyGeneral is FunctorHookCode {
    constructor(KeyStore keyStoreCode_, address entryPoint_) FunctorHookCode(keyStoreCode_, entryPoint_) {}

    /// @dev The hook's FunctorValidator: the first argument of both functions below.
    function _validatorAddress() internal pure override returns (address v) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            v := and(calldataload(4), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }

    /// @notice preCheck's general path for `msgData`, a Functor-mode `execute` or
    /// `executeFromExecutor` whose sender the hook checked, with no key executing on the account (the
    /// caller): the ticket, the key, every call, the spends measured, the custom policies' checkBefore;
    /// returns preCheck's hook data.
    function generalPreCheck(address, bytes calldata msgData) external throughHook returns (bytes memory) {
        address account = msg.sender;
        uint256 extra = ExecutionParser.trailing(msgData);
        if (extra != 0 && extra != 20) revert ExecutionParser.NonCanonicalCalldata();
        bytes calldata execCall = msgData[:msgData.length - extra];
        (bytes32 mode, bytes calldata data) = ExecutionParser.splitExecute(execCall, 0);

        Ctx memory c;
        c.account = account;
        c.keyId = FunctorMode.keyId(mode);
        c.epoch = _epoch(account);
        c.base = _pendingSlot(account);
        // The signer comes from the ticket FunctorValidator left for this very calldata (so the
        // calldata below is what the validator parsed strictly).
        bytes32 signer = _takeTicket(account, keccak256(execCall));
        _checkKeyActive(account, c.keyId, c.epoch, signer);

        c.execKey = _execKey(account, c.keyId, c.epoch);
        // The configuration is loaded with the first call's entry (_checkExecution); an empty batch
        // reads the header itself.
        if (_checkExecutions(c, mode, data) == 0) _loadConfig(c, _xcfg[c.execKey].header);
        _measureSpends(c);
        bytes memory hookData = c.customs.length == 0 ? bytes(hex"01") : _customsBefore(c, mode, data);

        _tstore(c.base + P_SIGNER, uint256(signer));
        _tstore(c.base + P_EXEC_KEY, uint256(c.execKey));
        _tstore(c.base + P_HEADER, c.header);
        // Last: the guard word (bit 255 set while a key executes on the account) holds the keyId
        // and the counts (see G_WORDS), beside the count of ops pending _takeTicket lowered.
        _tstore(
            c.base,
            (_tload(c.base) & KEEP_MASK) | (1 << 255) | c.keyId | (c.nWords << G_WORDS) | (c.heads.length << G_SPENDS)
        );
        return hookData;
    }

    /// @notice The custom policies' checkAfter of the keyed execution pending on the account (the
    /// caller) by `keyId`, whose configuration's header is `header`, with the contexts preCheck
    /// returned.
    function customsAfter(address, bytes calldata hookData, uint256 header, uint176 keyId) external throughHook {
        address account = msg.sender;
        ExecConfig storage x = _xcfg[bytes32(_tload(_pendingSlot(account) + P_EXEC_KEY))];
        address[] memory customs = _customs(x, header);
        bytes[] memory contexts = abi.decode(hookData, (bytes[]));
        for (uint256 i; i < customs.length; ++i) {
            // a custom policy that returns accepts: nothing to do on success; its revert is what is handled
            // solhint-disable-next-line no-empty-blocks
            try IFunctorPolicy(customs[i]).checkAfter(account, keyId, contexts[i]) {}
            catch (bytes memory reason) {
                revert CustomPolicyRefused(customs[i], reason);
            }
        }
    }

    /// @dev Checks every call again and records it; returns how many there are.
    function _checkExecutions(Ctx memory c, bytes32 mode, bytes calldata data) internal returns (uint256 n) {
        if (ExecutionParser.isBatch(mode)) {
            // The ticket taken binds this calldata to validation's strictBatch check.
            n = ExecutionParser.count(data);
            // the first call loads the configuration (the common case never gets here: see
            // FunctorPolicyHookCommon)
            for (uint256 i; i < n; ++i) {
                (address target, uint256 value, bytes calldata callData) = ExecutionParser.element(data, i);
                _checkExecution(c, i, target, value, callData);
            }
        } else {
            (address target, uint256 value, bytes calldata callData) = ExecutionParser.single(data);
            n = 1;
            _checkExecution(c, 0, target, value, callData);
        }
    }

    /// @dev The spend limits' words and the custom policies of the configuration whose header is
    /// `header`.
    function _loadConfig(Ctx memory c, uint256 header) internal view {
        ExecConfig storage x = _xcfg[c.execKey];
        c.header = header;
        uint256 n = uint8(header >> 64);
        uint256[] memory heads = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            heads[i] = _headWord(x, i);
        }
        c.heads = heads;
        c.customs = _customs(x, header);
        c.decoded = new uint256[](n);
    }

    /// @dev Refuses early with the decoded amounts (postCheck counts the real ones) and records the
    /// decoded amount and the balance before of every limited token.
    function _measureSpends(Ctx memory c) internal {
        ExecConfig storage x = _xcfg[c.execKey];
        for (uint256 i; i < c.heads.length; ++i) {
            uint256 w = c.heads[i];
            address token = address(uint160(w));
            uint256 decoded = c.decoded[i];
            uint256 used = _usedAt(c.keyId, token, _geometry(x, c.header, i));
            if (used + decoded > w >> 160) revert SpendLimitExceeded(c.keyId, token, used, decoded, w >> 160);
            uint256 slot = c.base + P_SPENDS + 2 * i;
            _tstore(slot, decoded);
            _tstore(slot + 1, _balanceOf(token, c.account));
        }
    }

    /// @dev Runs the custom policies' checkBefore; their contexts are the hook data.
    function _customsBefore(Ctx memory c, bytes32 mode, bytes calldata data) internal returns (bytes memory) {
        // the calls _checkExecutions read (a ticket binds a batch to validation's strictBatch)
        Execution[] memory all = ExecutionParser.copy(mode, data);
        bytes[] memory contexts = new bytes[](c.customs.length);
        for (uint256 i; i < c.customs.length; ++i) {
            try IFunctorPolicy(c.customs[i]).checkBefore(c.account, c.keyId, all) returns (bytes memory ctx) {
                contexts[i] = ctx;
            } catch (bytes memory reason) {
                revert CustomPolicyRefused(c.customs[i], reason);
            }
        }
        return abi.encode(contexts);
    }

    /// @dev Checks one call again (policies may have changed since validation), records it for the
    /// audit event (transient, two words), and adds what its calldata says is spent per limited token.
    function _checkExecution(Ctx memory c, uint256 i, address target, uint256 value, bytes calldata cd) internal {
        bytes4 selector = ExecutionParser.selectorOf(target, cd);
        // A call allowed only by a wildcard target must not reach the account's own machinery,
        // including modules installed after the grant (validation cannot ask: ERC-7562).
        (uint256 entry, bool wildcard) = _checkCall(c.account, c.keyId, c.epoch, target, selector);
        if (wildcard && _isAccountMachinery(c.account, target)) revert ForbiddenTarget(target);
        if (entry & ENTRY_CONDITIONS != 0) _checkConditions(c.account, c.keyId, c.epoch, target, selector, cd);
        // Every entry of the configuration carries its header (see _allowed): the first call's loads it.
        if (i == 0) _loadConfig(c, entry & ENTRY_HEADER);
        for (uint256 j; j < c.customs.length; ++j) {
            if (target == c.customs[j]) revert ForbiddenTarget(target);
        }
        c.nWords = _recordCall(c.base + P_CALLS, c.nWords, target, selector, value);
        uint256[] memory heads = c.heads;
        if (value != 0) {
            uint256 n = _indexOf(heads, NATIVE_TOKEN);
            if (n == type(uint256).max) revert NativeValueNotAllowed(c.keyId, value);
            c.decoded[n] += value;
        }
        if (target != NATIVE_TOKEN) {
            uint256 t = _indexOf(heads, target);
            if (t != type(uint256).max) c.decoded[t] += _tokenSpend(c.account, target, selector, cd);
        }
    }

    /// @dev Records a call for the audit event at transient word `calls + nWords` (see KeyExecuted:
    /// target ‖ selector ‖ CALL_WORD ‖ repeat 0 ‖ hasValue, then the value when there is one); returns
    /// the new word count.
    function _recordCall(uint256 calls, uint256 nWords, address target, bytes4 selector, uint256 value)
        internal
        returns (uint256)
    {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let at := add(calls, nWords)
            tstore(at, or(or(or(shl(96, target), shl(64, shr(224, selector))), CALL_WORD), iszero(iszero(value))))
            if value { tstore(add(at, 1), value) }
        }
        return value != 0 ? nWords + 2 : nWords + 1;
    }
}
