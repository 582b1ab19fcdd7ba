// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {KeyStore} from "./KeyStore.sol";
import {FunctorPolicyHookBase} from "./FunctorPolicyHookBase.sol";
import {FunctorUserOpValidation} from "./FunctorUserOpValidation.sol";
import {FunctorPolicyGeneral} from "./FunctorPolicyGeneral.sol";
import {FunctorValidator} from "./FunctorValidator.sol";
import {FunctorMode} from "./lib/FunctorMode.sol";
import {ExecutionParser} from "./lib/ExecutionParser.sol";
import {TermsCache} from "./lib/TermsCache.sol";
import {LeanCalls} from "./lib/LeanCalls.sol";
import {ValidationWord} from "./lib/ValidationWord.sol";
// used in assembly only, where solhint does not look
/* solhint-disable no-unused-import */
import {
    CHECK_ACCOUNT,
    CHECK_KEY_ID,
    CHECK_MODE,
    CHECK_EXEC_HASH,
    CHECK_SIGNER,
    CHECK_DATA_LENGTH,
    CHECK_DATA
} from "./lib/ValidationCheck.sol";
/* solhint-enable no-unused-import */

/// @title FunctorPolicyHook
/// @notice Functor's module: ERC-7579 validator (type 1) and hook (type 4) at one address
/// (contracts/README.md, "One module for validator and hook"). As the validator
/// (FunctorUserOpValidation) it answers *who signed* a key's UserOp and checks its calls and gas in
/// validation; as the hook, *what a key may do*. Per (keyId, account) it holds the
/// key's policies (calls, spend per token with sliding or fixed periods, rate, time, gas, custom
/// policy contracts) and enforces them around every execution that carries a keyId; counters are
/// keyed by keyId (never by signer), so a new signer of the same keyId inherits them. Emits one
/// `KeyExecuted` audit event per keyed execution.
///
/// Dangers, first:
/// - Fails closed: a Functor-mode execution not sent by the EntryPoint, a delegatecall or unknown
///   mode, a call not allowed, an unknown selector on a limited token, native value without a native
///   limit, a missing configuration: all revert.
/// - A keyId is trusted only from `execute(mode, ...)` calldata sent by the EntryPoint, with the
///   ticket this module's validateUserOp left, or from `executeFromExecutor(mode, ...)` sent by
///   FunctorValidator (a redemption, ERC-7710), with the ticket FunctorValidator left (through
///   checkCallsWhenValidating, which only it may call): in the same transaction, for exactly that
///   calldata.
/// - One install state for both roles: only the hook role's install (data 0x04) installs it, and
///   either role's uninstall voids the account's policies (FunctorPolicyConfig.onInstall).
/// - While a key executes on an account, any other hooked entry into that account reverts (a
///   transient guard), so a keyed batch cannot re-enter the account through a path with no keyId.
/// - Works as Kernel v3.1's validator-bound hook (it gets the inner `execute` calldata), and as the
///   global hook of Nexus and of Safe7579 (which appends the Safe's 20-byte caller).
/// - Deployed with FunctorValidator (the ERC-7710 executor) and FunctorPolicyConfig by FunctorDeployer (deterministic
///   addresses on every chain). Setting and reading policies (setPolicies, clearPolicies,
///   policiesOf, spendUsage, rateUsage, isCallAllowed) and the ERC-7579 module functions (onInstall,
///   onUninstall, isInitialized, isModuleType, name, version) reach FunctorPolicyConfig's code
///   through this contract's fallback (DELEGATECALL to an immutable address: this contract's
///   storage, the account as msg.sender), so the ABI of the pair is the two contracts' together.
/// - preCheck's common case (a single call or a batch under an exact allowlist entry, no custom
///   policy, at most two spend limits) runs by hand (FunctorPolicyHookCommon); anything else, and
///   any refusal, through the general path, FunctorPolicyGeneral's code, which preCheck runs by
///   DELEGATECALL (an immutable address: this storage, the account as msg.sender), as postCheck
///   runs its custom policies' checkAfter.
contract FunctorPolicyHook is FunctorUserOpValidation {
    /// @notice The FunctorValidator (the ERC-7710 executor) this module works with. Named for its
    /// selector (0xf755f94c), which sorts after validateUserOp's (0x97003203): via-IR's dispatcher
    /// compares selectors one by one in ascending order (preCheck, taken by the fallback, comes after
    /// every one of them).
    FunctorValidator public immutable functorValidator;
    /// @dev FunctorPolicyConfig: the code that sets and reads policies, run on this storage (its
    /// `config()` answers it through the fallback).
    address internal immutable _config;
    /// @dev FunctorPolicyGeneral: preCheck's general path and the custom policies' postCheck, run on
    /// this storage (FunctorDeployer's `general()` answers it: a getter here would be one more
    /// selector in the dispatch).
    address internal immutable _general;
    /// @dev The KeyStore's code (KeyStore), which the fallback runs on this storage for the KeyStore's
    /// selectors (the hook is the KeyStore: KeyStoreState).
    address internal immutable _keyStoreCode;

    /// @dev Deployed by FunctorDeployer, which creates the validator right after and checks that it
    /// landed at `validator_`; `config_` (FunctorPolicyConfig) and `general_` (FunctorPolicyGeneral)
    /// are deployed through the CREATE2 factory.
    constructor(
        address entryPoint_,
        FunctorValidator validator_,
        address config_,
        address general_,
        address keyStoreCode_
    ) FunctorPolicyHookBase(entryPoint_) {
        functorValidator = validator_;
        _config = config_;
        _general = general_;
        _keyStoreCode = keyStoreCode_;
    }

    function _validatorAddress() internal view override returns (address) {
        return address(functorValidator);
    }

    /*//////////////////////////////////////////////////////////////
                              VALIDATION VIEW
    //////////////////////////////////////////////////////////////*/

    /// @notice Called by FunctorValidator when it redeems a delegation (ERC-7710), as this module's
    /// validateUserOp calls _checkCallsInValidation directly: checks the static policies (every call
    /// allowed, no forbidden target, argument conditions) from account-associated storage, leaves the
    /// ticket `preCheck` will take for this execution (`execHash`: keccak256 of the `execute` calldata,
    /// and who signed it), and returns what validation enforces itself (time bounds, gas caps) as the
    /// key's stored validation words: `word` the first (see StoredValidation: flags, validAfter,
    /// validUntil, maxFeePerGas, maxCostPerOp, opCeiling from the low bits), `extra` the second
    /// (gasBudget ‖ paymaster) when the flags say it is set, else 0. Two words, not a struct: the
    /// caller reads the fields where it needs them (no ABI struct on the hot path).
    /// `mode` (its call type) and `data` are the execution's, which the caller parsed strictly.
    /// The arguments are not ABI-decoded (Solidity's checks of the address, the uint176 and the
    /// bytes' offset and length were about 300 gas on every keyed UserOp): only FunctorValidator may
    /// call, and its `_checkCallsInValidation` writes them after the selector as fixed words,
    /// `account`, `keyId`, `mode`, `execHash`, `signer`, then `data`'s length and its bytes
    /// (src/lib/ValidationCheck.sol); a caller that is not the validator is refused before anything
    /// is read.
    /// Payable only to skip the value check: the validator sends none, anyone else is refused.
    /// Named for its selector (0x01ea8ba8), the lowest of the hook's: via-IR's dispatcher compares
    /// selectors one by one in ascending order.
    function checkCallsWhenValidating() external payable returns (uint256 word, uint256 extra) {
        if (msg.sender != address(functorValidator)) revert OnlyValidator(msg.sender);
        address account;
        uint176 keyId;
        bytes32 mode;
        bytes calldata data = msg.data[0:0];
        bytes32 execHash;
        bytes32 signer;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            account := and(calldataload(CHECK_ACCOUNT), 0xffffffffffffffffffffffffffffffffffffffff)
            keyId := and(calldataload(CHECK_KEY_ID), 0xffffffffffffffffffffffffffffffffffffffffffff)
            mode := calldataload(CHECK_MODE)
            execHash := calldataload(CHECK_EXEC_HASH)
            signer := calldataload(CHECK_SIGNER)
            data.length := calldataload(CHECK_DATA_LENGTH)
            data.offset := CHECK_DATA
        }
        return _checkCallsInValidation(account, keyId, mode, data, execHash, signer, 0);
    }

    /// @dev checkCallsWhenValidating's checks, for a redemption (above) and for this module's own
    /// validateUserOp (FunctorUserOpValidation), which calls it directly.
    function _checkCallsInValidation(
        address account,
        uint176 keyId,
        bytes32 mode,
        bytes calldata data,
        bytes32 execHash,
        bytes32 signer,
        uint256 signerWord
    ) internal override returns (uint256 word, uint256 extra) {
        uint256 install = _install[account];
        if (install & 1 == 0) revert NotInstalled(account);
        uint256 epoch = install >> 1;
        // the validation word from the signer's word's cache when it holds this module's (TermsCache:
        // the same word, without reading `_vcfg`'s cold slot), else from its slot
        bool cached;
        (cached, word) = TermsCache.unpack(signerWord, epoch, address(this));
        if (!cached) {
            StoredValidation storage v = _vcfg[_cfgKey(keyId, epoch)][account];
            word = _firstWord(v);
            if (!ValidationWord.active(word)) revert NoPolicies(keyId, account);
            if (ValidationWord.hasSecond(word)) extra = _secondWord(v);
        }
        if (ExecutionParser.isBatch(mode)) {
            // the validator accepted the batch's layout (strictBatch) before calling: the common case
            // in one loop, each call it stops at through _checkStatic
            uint256 n = ExecutionParser.count(data);
            // i < n, a calldata count: i + 1 cannot overflow
            unchecked {
                for (uint256 i = _staticBatch(account, keyId, epoch, data, 0, n); i < n; i = _staticBatch(account, keyId, epoch, data, i + 1, n)) {
                    (address target,, bytes calldata callData) = ExecutionParser.element(data, i);
                    _checkStatic(account, keyId, epoch, target, callData);
                }
            }
        } else {
            (address target,, bytes calldata callData) = ExecutionParser.single(data);
            _checkStatic(account, keyId, epoch, target, callData);
        }
        // Pushed even when the signature turns out wrong: such an op never executes (the EntryPoint
        // refuses the whole bundle), and gas estimation with a dummy signature needs the ticket.
        // (counts of ops in one transaction: nothing here can overflow; slot + 1 as the readers,
        // the common case's assembly, compute it)
        uint256 slot = _ticketSlot(account, execHash);
        uint256 guard = _pendingSlot(account);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            tstore(slot, add(tload(slot), 1))
            tstore(add(slot, 1), signer)
            // the account's count of keyed ops pending, in its guard word (see G_OUT)
            tstore(guard, add(tload(guard), OUT_ONE))
        }
    }

    /// @dev _plainBatchAt's loop without the spend accounting, its words written again each time
    /// (_checkStatic uses that memory).
    function _staticBatch(address account, uint176 keyId, uint256 epoch, bytes calldata data, uint256 from, uint256 n)
        internal
        returns (uint256)
    {
        // Never taken (`from` is a call's index); it makes the function recursive, which via-IR's
        // inliner leaves alone: one copy for the loop's two calls, for the room under EIP-170.
        if (from == type(uint256).max) return _staticBatch(account, keyId, epoch, data, 0, n);
        return _plainBatchAt(_lookupMemory(account, keyId, epoch), data, from, n, false);
    }

    /// @dev One call's static checks in validation: allowed, not forbidden, its argument conditions.
    function _checkStatic(address account, uint176 keyId, uint256 epoch, address target, bytes calldata cd)
        internal
        view
    {
        (uint256 plain, bytes4 sel) = _plainEntry(account, keyId, epoch, target, cd);
        if (plain != 0) {
            if (plain & ENTRY_CONDITIONS != 0) _checkConditions(account, keyId, epoch, target, sel, cd);
            return;
        }
        bytes4 selector = ExecutionParser.selectorOf(target, cd);
        (uint256 entry,) = _checkCall(account, keyId, epoch, target, selector);
        if (entry & ENTRY_CONDITIONS != 0) _checkConditions(account, keyId, epoch, target, selector, cd);
    }

    /*//////////////////////////////////////////////////////////////
                                   HOOK
    //////////////////////////////////////////////////////////////*/

    /// @notice IERC7579Hook.preCheck(address msgSender, uint256 msgValue, bytes msgData), which the
    /// fallback takes (see there): every path ends the call with preCheck's ABI-encoded answer, the
    /// hook data, or reverts.
    /// @dev The pending state for postCheck (keyId, signer, configuration, calls, decoded amounts and
    /// balances) goes through transient storage at slots associated with the account, not through
    /// `hookData` (which the account copies and hands back): hookData is a 1-byte marker, or the
    /// custom policies' contexts when the key has any. A keyed execution cannot nest in another one
    /// on the same account (the guard), and a revert rolls the transient writes back with it.
    function _preCheck(address msgSender, bytes calldata msgData) internal {
        address account = msg.sender;
        // Anything that is not a Functor-mode `execute` is not a key's: it passes, unless a key is
        // executing on this account right now (re-entry through a path that carries no keyId).
        bytes4 entry = msgData.length < 36 ? bytes4(0) : bytes4(msgData[:4]);
        if (
            (entry != ExecutionParser.EXECUTE && entry != ExecutionParser.EXECUTE_FROM_EXECUTOR)
                || !FunctorMode.isFunctor(bytes32(msgData[4:36]))
        ) {
            _requireNotExecuting(account);
            // Uninstalling this hook while a keyed op of the account validated in this bundle waits
            // to execute would let that op run with no policy at all (Nexus and Safe7579 read their
            // global hook at execution time): the uninstall waits for a bundle without one.
            if (
                msgData.length >= 68 && bytes4(msgData[:4]) == UNINSTALL_MODULE
                    && address(uint160(uint256(bytes32(msgData[36:68])))) == address(this)
            ) _requireNoKeyedOpPending(account);
            _returnEmpty();
        }
        // A UserOp's `execute` from the EntryPoint, or a redemption's `executeFromExecutor` from
        // FunctorValidator (the ERC-7710 path); each left its ticket for this calldata.
        if (msgSender != (entry == ExecutionParser.EXECUTE ? _entryPoint : address(functorValidator))) {
            revert KeyedCallNotFromEntryPoint(msgSender);
        }
        uint256 base = _pendingSlot(account);
        uint256 guard = _tload(base);
        if (guard >> 255 != 0) revert KeyExecutionInProgress(account);
        // The common case by hand (FunctorPolicyHookCommon); anything else, from scratch here.
        if (_commonCall(account, base, guard, msgData)) _returnMarker();

        // Anything else, and every refusal, in FunctorPolicyGeneral's code on this storage.
        _runGeneral(abi.encodeCall(FunctorPolicyGeneral.generalPreCheck, (address(functorValidator), msgData)), true);
    }

    /// @notice IERC7579Hook.postCheck.
    /// @dev The spend limits and the rate limit are counted by hand (_countSpends, which also lays
    /// out the audit event's data: the record's raw words), then the custom policies.
    function postCheck(bytes calldata hookData) external {
        if (hookData.length == 0) return;
        (uint256 base, uint256 data, uint256 size, uint256 guard, uint256 header) = _countSpends();
        uint256 keyId = uint176(guard);
        address account = msg.sender;
        if (uint8(header >> 72) != 0) {
            _runGeneral(
                abi.encodeCall(
                    FunctorPolicyGeneral.customsAfter, (address(functorValidator), hookData, header, uint176(keyId))
                ),
                false
            );
            // read again after calls out: the count of ops pending is kept as it is now
            guard = _tload(base);
        }

        // The guard down, the count of ops pending and CONFIG_WRITTEN kept.
        _tstore(base, guard & KEEP_MASK);
        bytes32 topic = KeyExecuted.selector;
        uint256 signer;
        // the guard word's slot (a keccak256) plus 1: it wraps only for a hash of all ones
        unchecked {
            signer = _tload(base + P_SIGNER);
        }
        // KeyExecuted(account, keyId, signer), its data the record's words filled above
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            log4(data, size, topic, account, keyId, signer)
        }
    }

    /// @dev Runs `data` (a call of FunctorPolicyGeneral's) by DELEGATECALL on this storage, the
    /// account still msg.sender. Its revert comes back as is; on success, `returnIt` ends the
    /// current call with its answer as is (preCheck's hook data, already ABI-encoded), else goes on.
    function _runGeneral(bytes memory data, bool returnIt) internal {
        address target = _general;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ok := delegatecall(gas(), target, add(data, 0x20), mload(data), 0, 0)
            if or(iszero(ok), returnIt) {
                let m := mload(0x40)
                returndatacopy(m, 0, returndatasize())
                if iszero(ok) { revert(m, returndatasize()) }
                return(m, returndatasize())
            }
        }
    }

    /// @dev Ends preCheck with empty hook data (abi.encode of bytes ""): the call is not a key's.
    function _returnEmpty() internal pure {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, 0x20)
            mstore(0x20, 0)
            return(0x00, 0x40)
        }
    }

    /// @dev preCheck's arguments as Solidity's decoder reads them, with its checks: the three head
    /// words present, `msgSender` a clean address, the bytes' offset and length each below 2^64, and
    /// its bytes inside the calldata; anything else reverts with no data, as the decoder does.
    /// `msgValue` is not read (the hook does not use it).
    function _preCheckArgs() internal pure returns (address msgSender, bytes calldata msgData) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            msgSender := calldataload(0x04)
            let off := calldataload(0x44)
            let at := add(off, 0x04) // the bytes' length word
            let len := calldataload(at)
            // (off and len below 2^64: at + 0x20 + len cannot overflow)
            if or(
                or(lt(calldatasize(), 0x64), shr(160, msgSender)),
                or(or(gt(off, 0xffffffffffffffff), gt(len, 0xffffffffffffffff)), gt(add(add(at, 0x20), len), calldatasize()))
            ) { revert(0, 0) }
            msgData.offset := add(at, 0x20)
            msgData.length := len
        }
    }

    /*//////////////////////////////////////////////////////////////
                          CONFIGURATION AND READS
    //////////////////////////////////////////////////////////////*/

    /// @dev preCheck first: it is taken here, not by Solidity's dispatch, so that its arguments are
    /// read by hand (_preCheckArgs: Solidity's decoder spent about 300 gas on every execution of an
    /// account the hook guards, the owner's own on Nexus and Safe7579, which run it as their global
    /// hook). Then the KeyStore's revoke and readStoreSlot in this code; the KeyStore's other
    /// selectors (KEYSTORE_ROUTES) run the KeyStore's code, and every other selector
    /// FunctorPolicyConfig's, on this contract's storage, with the caller as msg.sender (setPolicies
    /// and clearPolicies act on the calling account, register's controller is the caller). Not
    /// payable: no function of the pair takes value, nor preCheck. The answer or the revert comes
    /// back as is.
    // solhint-disable-next-line no-complex-fallback, payable-fallback
    fallback() external {
        if (msg.sig == PRE_CHECK) {
            (address msgSender, bytes calldata msgData) = _preCheckArgs();
            _preCheck(msgSender, msgData);
        }
        // Two of the KeyStore's functions in this code, not in its own (KeyStoreState): revoke, whose
        // price per account is a bar of its own (two more cold contracts would be 5,200 on each), and
        // readStoreSlot, which FunctorValidator asks on every redemption.
        if (msg.sig == REVOKE) _revokeHere();
        if (msg.sig == READ_STORE_SLOT) _readStoreSlotHere();
        address target = _isKeyStoreSelector(msg.sig) ? _keyStoreCode : _config;
        bool writesWord = msg.sig == SET_POLICIES || msg.sig == CLEAR_POLICIES;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            calldatacopy(m, 0, calldatasize())
            let ok := delegatecall(gas(), target, m, calldatasize(), 0, 0)
            returndatacopy(m, 0, returndatasize())
            if iszero(ok) { revert(m, returndatasize()) }
            if iszero(writesWord) { return(m, returndatasize()) }
        }
        // setPolicies or clearPolicies landed (both answer nothing): the key's validation word, as
        // they left it, cached in its signers' words in the KeyStore (none when it does not fit, or
        // after a clear). The account must have named this module its terms writer, or the KeyStore
        // refuses and the whole edit reverts: the cache is never older than the word.
        _cacheTerms(msg.sender, uint176(uint256(bytes32(msg.data[4:36]))));
    }

    /// @dev `KeyStore.writeTerms(account, keyId, TermsCache.pack(word, epoch, this))` for the key's
    /// validation word at the account's epoch (0, no cache, once cleared); a revert passed on as it is.
    /// A call to this module itself (the KeyStore, KeyStoreState), so that the KeyStore's code sees
    /// this module as the writer the account named (KeyStore.setTermsWriter), as before the merge.
    function _cacheTerms(address account, uint176 keyId) internal {
        uint256 epoch = _install[account] >> 1;
        uint256 terms = TermsCache.pack(_firstWord(_vcfg[_cfgKey(keyId, epoch)][account]), epoch, address(this));
        LeanCalls.writeTerms(KeyStore(address(this)), account, keyId, terms);
    }

    /// @dev KeyStore.revoke(keyId) on this storage, its arguments checked as Solidity's decoder checks
    /// them (a word present, below 2^176; else a revert with no data), then it ends the call with no
    /// answer, as KeyStore.revoke does.
    function _revokeHere() internal {
        uint256 keyId;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            keyId := calldataload(4)
            if or(lt(calldatasize(), 36), shr(176, keyId)) { revert(0, 0) }
        }
        _revoke(uint176(keyId), msg.sender);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            return(0, 0)
        }
    }

    /// @dev KeyStore.readStoreSlot(slot) on this storage (a word present, else a revert with no data).
    function _readStoreSlotHere() internal view {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            if lt(calldatasize(), 36) { revert(0, 0) }
            mstore(0x00, sload(calldataload(4)))
            return(0x00, 0x20)
        }
    }
}
