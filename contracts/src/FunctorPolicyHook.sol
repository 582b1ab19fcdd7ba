// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7579Hook, MODULE_TYPE_HOOK} from "./interfaces/IERC7579Module.sol";
import {IFunctorPolicy} from "./interfaces/IFunctorPolicy.sol";
import {KeyStore} from "./KeyStore.sol";
import {FunctorValidator} from "./FunctorValidator.sol";
import {FunctorMode} from "./lib/FunctorMode.sol";
import {Execution, ExecutionParser} from "./lib/ExecutionParser.sol";
import {SlidingWindow, FixedWindow} from "./lib/SpendWindow.sol";
import {LeanCalls} from "./lib/LeanCalls.sol";
import {WordHash} from "./lib/WordHash.sol";
import {
    ANY_SELECTOR,
    ANY_TARGET,
    NATIVE_TOKEN,
    CallPermission,
    GasPolicy,
    PeriodKind,
    Policies,
    RateLimit,
    SpendLimit,
    ValidationConfig
} from "./lib/PolicyTypes.sol";

/// @title FunctorPolicyHook
/// @notice ERC-7579 hook (type 4): answers *what a key may do*. Per (keyId, account) it holds the
/// key's policies (calls, spend per token with sliding or fixed periods, rate, time, gas, custom
/// policy contracts) and enforces them around every execution that carries a keyId; counters are
/// keyed by keyId (never by signer), so a new signer of the same keyId inherits them. Emits one
/// `KeyExecuted` audit event per keyed execution.
///
/// Dangers, first:
/// - Fails closed: a Functor-mode execution not sent by the EntryPoint, a delegatecall or unknown
///   mode, a call not allowed, an unknown selector on a limited token, native value without a native
///   limit, a missing configuration: all revert.
/// - A keyId is trusted only from `execute(mode, ...)` calldata sent by the EntryPoint, or from
///   `executeFromExecutor(mode, ...)` sent by FunctorValidator (a redemption, ERC-7710), with a
///   ticket FunctorValidator left (through checkValidation, which only it may call) in the same
///   transaction for exactly that calldata.
/// - While a key executes on an account, any other hooked entry into that account reverts (a
///   transient guard), so a keyed batch cannot re-enter the account through a path with no keyId.
/// - Works as Kernel v3.1's validator-bound hook (it gets the inner `execute` calldata), and as the
///   global hook of Nexus and of Safe7579 (which appends the Safe's 20-byte caller).
/// - Deployed with its FunctorValidator by FunctorDeployer (one deterministic pair per chain).
contract FunctorPolicyHook is IERC7579Hook {
    using SlidingWindow for SlidingWindow.State;
    using FixedWindow for FixedWindow.State;

    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 public constant MAX_CALLS = 32;
    uint256 public constant MAX_SPENDS = 8;
    uint256 public constant MAX_CUSTOMS = 4;

    bytes4 internal constant TRANSFER = 0xa9059cbb; // transfer(address,uint256)
    bytes4 internal constant TRANSFER_FROM = 0x23b872dd; // transferFrom(address,address,uint256)
    bytes4 internal constant APPROVE = 0x095ea7b3; // approve(address,uint256)
    bytes4 internal constant INCREASE_ALLOWANCE = 0x39509351; // increaseAllowance(address,uint256)
    bytes4 internal constant DECREASE_ALLOWANCE = 0xa457c2d7; // decreaseAllowance(address,uint256)

    bytes4 internal constant UNINSTALL_MODULE = 0xa71763a8; // uninstallModule(uint256,address,bytes)
    /// @dev What the hook asks a wildcard call's target and the account (see _isAccountMachinery).
    bytes4 internal constant IS_MODULE_TYPE = 0xecd05961; // isModuleType(uint256): every ERC-7579 module
    bytes4 internal constant SUPPORTS_MODULE = 0xf2dc691d; // supportsModule(uint256): an account, the Safe7579 adapter
    bytes4 internal constant IS_MODULE_INSTALLED = 0x112d3a7d; // isModuleInstalled(uint256,address,bytes)
    bytes4 internal constant IS_MODULE_ENABLED = 0x2d9ad53d; // Safe: isModuleEnabled(address)
    bytes4 internal constant GET_STORAGE_AT = 0x5624b25b; // Safe: getStorageAt(uint256,uint256)
    /// @dev keccak256("fallback_manager.handler.address"): where a Safe keeps its fallback handler.
    uint256 internal constant SAFE_FALLBACK_HANDLER_SLOT =
        0x6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5;
    /// @dev Gas for each probe of a wildcard target: enough for a view, not for a gas sink.
    uint256 internal constant PROBE_GAS = 30_000;

    /// @dev Seed of the transient count of keyed ops validated on an account and not executed yet.
    bytes32 internal constant OUTSTANDING_SEED = keccak256("functor.hook.outstanding");
    /// @dev Seed of the transient "a key is executing on this account" guard.
    bytes32 internal constant GUARD_SEED = keccak256("functor.hook.executing");
    /// @dev Offsets of the pending state from the account's guard slot (MAX_SPENDS pairs of decoded
    /// amount and balance before, then two words per call: target ‖ selector, value).
    uint256 internal constant P_SIGNER = 1;
    uint256 internal constant P_EXEC_KEY = 2;
    uint256 internal constant P_COUNTS = 3;
    uint256 internal constant P_HEADER = 4;
    uint256 internal constant P_SPENDS = 5;
    uint256 internal constant P_CALLS = P_SPENDS + 2 * MAX_SPENDS;
    /// @dev Window key "token" used for the rate counter.
    address internal constant RATE_SLOT = address(type(uint160).max);

    /*//////////////////////////////////////////////////////////////
                                  ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @dev The hook is not installed on the account.
    error NotInstalled(address account);
    /// @dev The keyId has no policies on the account.
    error NoPolicies(uint176 keyId, address account);
    /// @dev The keyId is not enabled on the account in the KeyStore (1: enabled, 2: revoked).
    error KeyNotActive(uint176 keyId, uint8 state);
    /// @dev The op's signer is no longer a signer of the key on the account (rotated or removed).
    error SignerNotAuthorized(uint176 keyId, bytes32 signer);
    /// @dev A keyed op of the account validated in this bundle and has not executed yet: the hook
    /// may not be uninstalled under it (it would run with no policy at all).
    error KeyedOpPending(address account);
    /// @dev The key is not valid yet.
    error KeyNotYetValid(uint176 keyId, uint256 validAfter);
    /// @dev The key has expired.
    error KeyExpired(uint176 keyId, uint256 validUntil);
    /// @dev A call the key may not make.
    error CallNotAllowed(uint176 keyId, address target, bytes4 selector);
    /// @dev A target no key may ever call (the account, EntryPoint, KeyStore, Functor modules, ...).
    error ForbiddenTarget(address target);
    /// @dev Spending `requested` of `token` on top of `used` would exceed `limit` in the window.
    error SpendLimitExceeded(uint176 keyId, address token, uint256 used, uint256 requested, uint256 limit);
    /// @dev Native value sent, but the key has no native spend limit.
    error NativeValueNotAllowed(uint176 keyId, uint256 value);
    /// @dev A selector on a limited token whose effect on spend is unknown.
    error UnknownTokenSelector(address token, bytes4 selector);
    /// @dev One more execution would exceed `max` in the rate window.
    error RateLimitExceeded(uint176 keyId, uint256 used, uint256 max);
    /// @dev A custom policy refused.
    error CustomPolicyRefused(address policy, bytes reason);
    /// @dev A Functor-mode execution that does not come from the EntryPoint (`execute`) or from
    /// FunctorValidator (`executeFromExecutor`, a redemption).
    error KeyedCallNotFromEntryPoint(address sender);
    /// @dev Re-entry into the account while a key executes on it.
    error KeyExecutionInProgress(address account);
    /// @dev postCheck with hook data but no keyed execution pending on the account.
    error NoPendingExecution(address account);
    /// @dev A Functor-mode execution that FunctorValidator did not validate (no ticket for its calldata).
    error NoTicket(address account);
    /// @dev checkValidation is FunctorValidator's: it leaves the ticket preCheck needs.
    error OnlyValidator(address caller);
    /// @dev A policy configuration that does not fit (which field, why).
    error InvalidPolicy(string reason);

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @dev A key executed on an account: the audit event (DESIGN 2.2), in packed words (a third
    /// fewer bytes logged than ABI structs; contracts/README.md "KeyExecuted" has the layout bit by bit):
    /// `calls`: per call, `target (160) ‖ selector (32) ‖ 0 (63) ‖ hasValue (1)`, followed by a word
    /// holding the call's native value when hasValue is 1 (a call with no value has no value word);
    /// `spends`: per spend limit of the key, in its order, `token (160) ‖ counted (96)` then
    /// `used (128) ‖ limit (128)`: what this execution counted, the window's usage after it, the limit.
    event KeyExecuted(
        address indexed account, uint176 indexed keyId, bytes32 indexed signer, bytes32[] calls, bytes32[] spends
    );
    /// @dev A keyId's policies on an account were set (or replaced: counters are kept).
    event PoliciesSet(address indexed account, uint176 indexed keyId);
    /// @dev A keyId's policies on an account were removed.
    event PoliciesCleared(address indexed account, uint176 indexed keyId);
    /// @dev The hook was installed on an account.
    event Installed(address indexed account);
    /// @dev The hook was uninstalled (all configurations of the account are void).
    event Uninstalled(address indexed account);

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Policies read only in execution. `header` packs, in one slot, the rate limit, the counts
    /// of spend limits and custom policies, and the geometry (period, kind, start) of the first two
    /// spend limits (see _packHeader): the first read of every keyed execution, so a key with one or
    /// two spend limits reads one slot per limit (token ‖ limit) after it. Spend limits and customs
    /// sit in mappings indexed 0..n-1, so no array length slot is read on the hot path; entries at n
    /// and above are stale and never read.
    struct ExecConfig {
        uint256 header;
        mapping(uint256 index => SpendHead) spends;
        mapping(uint256 index => uint256) geometry; // index >= 2 only, packed as in the header
        mapping(uint256 index => address) customs;
        CallPermission[] calls;
    }

    /// @dev The half of a spend limit that is not in the header: one slot.
    struct SpendHead {
        address token;
        uint96 limit;
    }

    /// @dev ValidationConfig as stored: `flags` bit 0 is `active`, bit 1 says the second slot (gas
    /// budget, paymaster) holds something, so validation reads one cold slot when it does not.
    struct StoredValidation {
        uint8 flags;
        uint48 validAfter;
        uint48 validUntil;
        uint48 maxFeePerGas;
        uint72 maxCostPerOp;
        uint32 opCeiling;
        uint96 gasBudget;
        address paymaster;
    }

    uint8 internal constant ACTIVE = 1;
    uint8 internal constant HAS_BUDGET_OR_PAYMASTER = 2;

    KeyStore public immutable keyStore;
    address public immutable entryPoint;
    FunctorValidator public immutable validator;

    /// @dev (epoch << 1) | installed. Uninstalling bumps the epoch, voiding every configuration.
    mapping(address account => uint256) internal _install;
    /// @dev Read in validation: account-associated (ERC-7562). Key: keccak(keyId, epoch).
    mapping(bytes32 cfgKey => mapping(address account => StoredValidation)) internal _vcfg;
    /// @dev Read in validation. Key: keccak(keyId, epoch, target, selector). The entry of an allowed
    /// call is the configuration's header word with bit 255 set (ENTRY_ALLOWED): validation reads the
    /// entry anyway (cold), so preCheck gets the header from it warm instead of a cold read of
    /// `ExecConfig.header`. Every live entry of a configuration carries its header: setPolicies
    /// deletes the previous configuration's entries before it writes the new ones, and an uninstall
    /// changes the epoch, which is part of the key.
    mapping(bytes32 callKey => mapping(address account => uint256)) internal _allowed;
    /// @dev Key: keccak(account, keyId, epoch).
    mapping(bytes32 execKey => ExecConfig) internal _xcfg;
    /// @dev Counters, keyed by (keyId, token, kind, period, start): the limit is the key's, shared by
    /// every account the key acts on; no epoch, no signer, so they survive a new signer and a
    /// reinstall; a window is only ever read with the geometry it was written with (a policy edit
    /// that changes it carries the usage over, `_migrateWindows`).
    mapping(bytes32 windowKey => SlidingWindow.State) internal _sliding;
    mapping(bytes32 windowKey => FixedWindow.State) internal _fixed;

    /// @dev Deployed by FunctorDeployer, which creates the validator right after and checks that
    /// it landed at `validator_`.
    constructor(KeyStore keyStore_, address entryPoint_, FunctorValidator validator_) {
        keyStore = keyStore_;
        entryPoint = entryPoint_;
        validator = validator_;
    }

    /*//////////////////////////////////////////////////////////////
                                  CONFIG
    //////////////////////////////////////////////////////////////*/

    function onInstall(bytes calldata) external {
        _install[msg.sender] |= 1;
        emit Installed(msg.sender);
    }

    function onUninstall(bytes calldata) external {
        _requireNoKeyedOpPending(msg.sender);
        _install[msg.sender] = ((_install[msg.sender] >> 1) + 1) << 1;
        emit Uninstalled(msg.sender);
    }

    function isInitialized(address account) public view returns (bool) {
        return _install[account] & 1 == 1;
    }

    /// @notice Sets (or replaces) the policies of `keyId` on the calling account. Counters are kept:
    /// an edit never resets what was spent.
    /// Only an account the key is enabled on in the KeyStore (with the controller's consent) may:
    /// the key's windows are shared by its accounts, and a policy edit migrates them.
    function setPolicies(uint176 keyId, Policies calldata p) external {
        address account = msg.sender;
        uint256 epoch = _epoch(account);
        uint8 state = keyStore.grantState(keyId, account);
        if (state != 1) revert KeyNotActive(keyId, state);
        bytes32 cfgKey = _cfgKey(keyId, epoch);
        ExecConfig storage x = _xcfg[_execKey(account, keyId, epoch)];
        _validate(account, p);
        _migrateWindows(keyId, _spends(x), p.spends);
        _clearCalls(account, keyId, epoch, x);

        _vcfg[cfgKey][account] = StoredValidation({
            flags: ACTIVE | (p.gas.budget != 0 || p.gas.paymaster != address(0) ? HAS_BUDGET_OR_PAYMASTER : 0),
            validAfter: p.validAfter,
            validUntil: p.validUntil,
            maxFeePerGas: p.gas.maxFeePerGas,
            maxCostPerOp: p.gas.maxCostPerOp,
            opCeiling: p.gas.opCeiling,
            gasBudget: p.gas.budget,
            paymaster: p.gas.paymaster
        });
        for (uint256 i; i < p.calls.length; ++i) {
            x.calls.push(p.calls[i]);
        }
        uint256 header = _packHeader(p.rate, p.spends.length, p.customs.length);
        for (uint256 i; i < p.spends.length; ++i) {
            SpendLimit calldata sl = p.spends[i];
            x.spends[i] = SpendHead(sl.token, sl.limit);
            uint256 geo = _packGeometry(sl);
            if (i < 2) header |= geo << (GEO_SHIFT + GEO_BITS * i);
            else x.geometry[i] = geo;
        }
        x.header = header;
        for (uint256 i; i < p.calls.length; ++i) {
            _allowed[_callKey(keyId, epoch, p.calls[i].target, p.calls[i].selector)][account] = header | ENTRY_ALLOWED;
        }
        for (uint256 i; i < p.customs.length; ++i) {
            x.customs[i] = p.customs[i];
        }
        emit PoliciesSet(account, keyId);
    }

    /// @notice Removes the policies of `keyId` on the calling account: the key can do nothing here.
    function clearPolicies(uint176 keyId) external {
        address account = msg.sender;
        uint256 epoch = _epoch(account);
        bytes32 execKey = _execKey(account, keyId, epoch);
        ExecConfig storage x = _xcfg[execKey];
        _clearCalls(account, keyId, epoch, x);
        delete _vcfg[_cfgKey(keyId, epoch)][account];
        x.header = 0;
        emit PoliciesCleared(account, keyId);
    }

    /*//////////////////////////////////////////////////////////////
                              VALIDATION VIEW
    //////////////////////////////////////////////////////////////*/

    /// @notice Called by FunctorValidator in validation: checks the static policies (every call
    /// allowed, no forbidden target) from account-associated storage, leaves the ticket `preCheck`
    /// will take for this execution (`execHash`: keccak256 of the `execute` calldata, and who signed
    /// it), and returns what validation enforces itself (time bounds, gas caps).
    function checkValidation(
        address account,
        uint176 keyId,
        address[] calldata targets,
        bytes4[] calldata selectors,
        bytes32 execHash,
        bytes32 signer
    ) external returns (ValidationConfig memory cfg) {
        if (msg.sender != address(validator)) revert OnlyValidator(msg.sender);
        uint256 install = _install[account];
        if (install & 1 == 0) revert NotInstalled(account);
        uint256 epoch = install >> 1;
        cfg = _validationConfig(keyId, epoch, account);
        if (!cfg.active) revert NoPolicies(keyId, account);
        for (uint256 i; i < targets.length; ++i) {
            _checkCall(account, keyId, epoch, targets[i], selectors[i]);
        }
        // Pushed even when the signature turns out wrong: such an op never executes (the EntryPoint
        // refuses the whole bundle), and gas estimation with a dummy signature needs the ticket.
        uint256 slot = _ticketSlot(account, execHash);
        _tstore(slot, _tload(slot) + 1);
        _tstore(slot + 1, uint256(signer));
        uint256 outstanding = _outstandingSlot(account);
        _tstore(outstanding, _tload(outstanding) + 1);
    }

    /*//////////////////////////////////////////////////////////////
                                   HOOK
    //////////////////////////////////////////////////////////////*/

    /// @dev What preCheck needs while it checks the calls.
    struct Ctx {
        address account;
        uint176 keyId;
        uint256 epoch;
        uint256 base; // the account's pending-state transient slot (see _pendingSlot)
        bytes32 execKey;
        uint256 header; // from the first call's allowlist entry (see _allowed), or ExecConfig.header
        uint256 nWords; // call words recorded for the audit event
        SpendLimit[] spends;
        address[] customs;
        uint256[] decoded;
    }

    /// @inheritdoc IERC7579Hook
    /// @dev The pending state for postCheck (keyId, signer, configuration, calls, decoded amounts and
    /// balances) goes through transient storage at slots associated with the account, not through
    /// `hookData` (which the account copies and hands back): hookData is a 1-byte marker, or the
    /// custom policies' contexts when the key has any. A keyed execution cannot nest in another one
    /// on the same account (the guard), and a revert rolls the transient writes back with it.
    function preCheck(address msgSender, uint256, bytes calldata msgData) external returns (bytes memory) {
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
            return "";
        }
        // A UserOp's `execute` from the EntryPoint, or a redemption's `executeFromExecutor` from
        // FunctorValidator (the ERC-7710 path); each left its ticket for this calldata.
        if (msgSender != (entry == ExecutionParser.EXECUTE ? entryPoint : address(validator))) {
            revert KeyedCallNotFromEntryPoint(msgSender);
        }
        _requireNotExecuting(account);

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
        _tstore(c.base + P_COUNTS, c.nWords | (c.spends.length << 128));
        _tstore(c.base + P_HEADER, c.header);
        // Last: the guard word (nonzero while a key executes on the account) holds the keyId.
        _tstore(c.base, (1 << 255) | c.keyId);
        return hookData;
    }

    /// @dev Checks every call again and records it; returns how many there are.
    function _checkExecutions(Ctx memory c, bytes32 mode, bytes calldata data) internal returns (uint256 n) {
        if (ExecutionParser.isBatch(mode)) {
            Execution[] calldata execs = ExecutionParser.batch(data);
            n = execs.length;
            for (uint256 i; i < n; ++i) {
                Execution calldata e = execs[i];
                _checkExecution(c, i, e.target, e.value, e.callData);
            }
        } else {
            (address target, uint256 value, bytes calldata callData) = ExecutionParser.single(data);
            n = 1;
            _checkExecution(c, 0, target, value, callData);
        }
    }

    /// @dev The spend limits and custom policies of the configuration whose header is `header`.
    function _loadConfig(Ctx memory c, uint256 header) internal view {
        ExecConfig storage x = _xcfg[c.execKey];
        c.header = header;
        c.spends = _spends(x, header);
        c.customs = _customs(x, header);
        c.decoded = new uint256[](c.spends.length);
    }

    /// @dev Refuses early with the decoded amounts (postCheck counts the real ones) and records the
    /// decoded amount and the balance before of every limited token.
    function _measureSpends(Ctx memory c) internal {
        for (uint256 i; i < c.spends.length; ++i) {
            SpendLimit memory s = c.spends[i];
            uint256 used = _used(c.keyId, s);
            if (used + c.decoded[i] > s.limit) {
                revert SpendLimitExceeded(c.keyId, s.token, used, c.decoded[i], s.limit);
            }
            uint256 slot = c.base + P_SPENDS + 2 * i;
            _tstore(slot, c.decoded[i]);
            _tstore(slot + 1, _balanceOf(s.token, c.account));
        }
    }

    /// @dev Runs the custom policies' checkBefore; their contexts are the hook data.
    function _customsBefore(Ctx memory c, bytes32 mode, bytes calldata data) internal returns (bytes memory) {
        Execution[] memory all = ExecutionParser.decode(mode, data);
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

    /// @inheritdoc IERC7579Hook
    function postCheck(bytes calldata hookData) external {
        if (hookData.length == 0) return;
        address account = msg.sender;
        uint256 base = _pendingSlot(account);
        uint256 head = _tload(base);
        if (head == 0) revert NoPendingExecution(account);
        uint176 keyId = uint176(head);
        ExecConfig storage x = _xcfg[bytes32(_tload(base + P_EXEC_KEY))];
        uint256 counts = _tload(base + P_COUNTS);

        uint256 header = _tload(base + P_HEADER);
        SpendLimit[] memory spends = _spends(x, header);
        if (spends.length != counts >> 128) revert NoPendingExecution(account);
        bytes32[] memory records = new bytes32[](2 * spends.length);
        for (uint256 i; i < spends.length; ++i) {
            SpendLimit memory s = spends[i];
            uint256 decoded = _tload(base + P_SPENDS + 2 * i);
            uint256 before = _tload(base + P_SPENDS + 2 * i + 1);
            uint256 afterBal = _balanceOf(s.token, account);
            uint256 decrease = before > afterBal ? before - afterBal : 0;
            // Count what the calldata says or what actually left the account, whichever is more:
            // a router pulling tokens through an old approval is counted too.
            uint256 counted = decrease > decoded ? decrease : decoded;
            uint256 used = counted == 0 ? _used(keyId, s) : _addSpend(keyId, s, counted);
            if (used > s.limit) revert SpendLimitExceeded(keyId, s.token, used - counted, counted, s.limit);
            // counted <= used <= limit < 2^96 here
            records[2 * i] = bytes32((uint256(uint160(s.token)) << 96) | counted);
            records[2 * i + 1] = bytes32((used << 128) | s.limit);
        }

        uint32 maxCalls = uint32(header); // the rate limit, as _rate(header) reads it
        if (maxCalls != 0) {
            uint32 period = uint32(header >> 32);
            uint256 n = _sliding[_rateKey(keyId, period)].add(period, block.timestamp, 1);
            if (n > maxCalls) revert RateLimitExceeded(keyId, n - 1, maxCalls);
        }

        address[] memory customs = _customs(x, header);
        if (customs.length != 0) {
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

        _tstore(base, 0);
        emit KeyExecuted(account, keyId, bytes32(_tload(base + P_SIGNER)), _pendingCalls(base, uint128(counts)), records);
    }

    /// @dev The call words preCheck recorded (see KeyExecuted), for the audit event.
    function _pendingCalls(uint256 base, uint256 n) internal view returns (bytes32[] memory calls) {
        calls = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            calls[i] = bytes32(_tload(base + P_CALLS + i));
        }
    }

    /*//////////////////////////////////////////////////////////////
                                   READS
    //////////////////////////////////////////////////////////////*/

    /// @notice The policies of a keyId on an account (empty when none).
    function policiesOf(address account, uint176 keyId) external view returns (Policies memory p) {
        uint256 epoch = _install[account] >> 1;
        ValidationConfig memory v = _validationConfig(keyId, epoch, account);
        if (!v.active) return p;
        ExecConfig storage x = _xcfg[_execKey(account, keyId, epoch)];
        p.validAfter = v.validAfter;
        p.validUntil = v.validUntil;
        p.calls = x.calls;
        p.spends = _spends(x);
        p.rate = _rate(x);
        p.gas = GasPolicy(v.maxFeePerGas, v.maxCostPerOp, v.opCeiling, v.gasBudget, v.paymaster);
        p.customs = _customs(x);
    }

    /// @notice Usage of each spend limit in its current window, and when a fixed period resets
    /// (0 for sliding windows, which free up continuously).
    function spendUsage(address account, uint176 keyId)
        external
        view
        returns (SpendLimit[] memory limits, uint256[] memory used, uint256[] memory resetsAt)
    {
        limits = _spends(_xcfg[_execKey(account, keyId, _install[account] >> 1)]);
        used = new uint256[](limits.length);
        resetsAt = new uint256[](limits.length);
        for (uint256 i; i < limits.length; ++i) {
            used[i] = _used(keyId, limits[i]);
            if (limits[i].kind == PeriodKind.Fixed) {
                resetsAt[i] = FixedWindow.periodEnd(limits[i].start, limits[i].period, block.timestamp);
            }
        }
    }

    /// @notice Executions in the current rate window, and the limit (0: none).
    function rateUsage(address account, uint176 keyId) external view returns (uint256 used, uint256 max) {
        RateLimit memory r = _rate(_xcfg[_execKey(account, keyId, _install[account] >> 1)]);
        if (r.maxCalls == 0) return (0, 0);
        return (_sliding[_rateKey(keyId, r.period)].used(r.period, block.timestamp), r.maxCalls);
    }

    /// @notice Is `target.selector` allowed for keyId on account (ignoring time and spend)?
    function isCallAllowed(address account, uint176 keyId, address target, bytes4 selector)
        external
        view
        returns (bool)
    {
        uint256 epoch = _install[account] >> 1;
        return !_forbidden(account, target) && _isAllowed(account, keyId, epoch, target, selector);
    }

    /*//////////////////////////////////////////////////////////////
                                 INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Header layout (low bits first): rate max (32), rate period (32), number of spend limits
    /// (8), number of custom policies (8), then the geometry of spend limits 0 and 1 (72 each).
    uint256 internal constant GEO_SHIFT = 80;
    uint256 internal constant GEO_BITS = 72;
    /// @dev Marks an allowlist entry as allowed; the entry's low bits are the header (see _allowed).
    uint256 internal constant ENTRY_ALLOWED = 1 << 255;

    function _packHeader(RateLimit calldata rate, uint256 nSpends, uint256 nCustoms) internal pure returns (uint256) {
        return uint256(rate.maxCalls) | (uint256(rate.period) << 32) | (nSpends << 64) | (nCustoms << 72);
    }

    /// @dev period (32) ‖ kind (8) ‖ start (32), low bits first.
    function _packGeometry(SpendLimit calldata sl) internal pure returns (uint256) {
        return uint256(sl.period) | (uint256(uint8(sl.kind)) << 32) | (uint256(sl.start) << 40);
    }

    function _spends(ExecConfig storage x) internal view returns (SpendLimit[] memory s) {
        return _spends(x, x.header);
    }

    /// @dev The spend limits, given the header word already read.
    function _spends(ExecConfig storage x, uint256 header) internal view returns (SpendLimit[] memory s) {
        s = new SpendLimit[](uint8(header >> 64));
        for (uint256 i; i < s.length; ++i) {
            SpendHead storage h = x.spends[i];
            uint256 geo = i < 2 ? header >> (GEO_SHIFT + GEO_BITS * i) : x.geometry[i];
            SpendLimit memory e = s[i]; // filled in place, as the spend records
            e.token = h.token;
            e.limit = h.limit;
            e.period = uint32(geo);
            e.kind = PeriodKind(uint8(geo >> 32));
            e.start = uint32(geo >> 40);
        }
    }

    function _customs(ExecConfig storage x) internal view returns (address[] memory) {
        return _customs(x, x.header);
    }

    function _customs(ExecConfig storage x, uint256 header) internal view returns (address[] memory c) {
        uint256 n = uint8(header >> 72);
        if (n == 0) return c; // the common case: no allocation
        c = new address[](n);
        for (uint256 i; i < n; ++i) {
            c[i] = x.customs[i];
        }
    }

    function _rate(ExecConfig storage x) internal view returns (RateLimit memory) {
        return _rate(x.header);
    }

    function _rate(uint256 header) internal pure returns (RateLimit memory) {
        return RateLimit(uint32(header), uint32(header >> 32));
    }

    /// @dev One SLOAD of the first slot; the second (gas budget, paymaster) only when it is set.
    function _validationConfig(uint176 keyId, uint256 epoch, address account)
        internal
        view
        returns (ValidationConfig memory cfg)
    {
        StoredValidation storage s = _vcfg[_cfgKey(keyId, epoch)][account];
        uint256 w = _firstWord(s);
        cfg.active = w & ACTIVE != 0;
        cfg.validAfter = uint48(w >> 8);
        cfg.validUntil = uint48(w >> 56);
        cfg.maxFeePerGas = uint48(w >> 104);
        cfg.maxCostPerOp = uint72(w >> 152);
        cfg.opCeiling = uint32(w >> 224);
        if (w & HAS_BUDGET_OR_PAYMASTER != 0) {
            cfg.gasBudget = s.gasBudget;
            cfg.paymaster = s.paymaster;
        }
    }

    /// @dev The packed first slot of a StoredValidation, in one SLOAD (the hot paths read it in
    /// validation and again in preCheck; reading the fields separately costs one SLOAD each).
    function _firstWord(StoredValidation storage s) internal view returns (uint256 w) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            w := sload(s.slot)
        }
    }

    function _epoch(address account) internal view returns (uint256) {
        uint256 install = _install[account];
        if (install & 1 == 0) revert NotInstalled(account);
        return install >> 1;
    }

    function _cfgKey(uint176 keyId, uint256 epoch) internal pure returns (bytes32) {
        return WordHash.hash(keyId, epoch);
    }

    function _callKey(uint176 keyId, uint256 epoch, address target, bytes4 selector) internal pure returns (bytes32) {
        return WordHash.hash(keyId, epoch, uint160(target), uint256(bytes32(selector)));
    }

    function _execKey(address account, uint176 keyId, uint256 epoch) internal pure returns (bytes32) {
        return WordHash.hash(uint160(account), keyId, epoch);
    }

    function _windowKey(uint176 keyId, SpendLimit memory s) internal pure returns (bytes32) {
        return WordHash.hash(keyId, uint160(s.token), uint8(s.kind), s.period, s.start);
    }

    function _rateKey(uint176 keyId, uint32 period) internal pure returns (bytes32) {
        return WordHash.hash(keyId, uint160(RATE_SLOT), uint8(PeriodKind.Sliding), period, 0);
    }

    /// @dev Targets no key may call, directly or in a batch, whatever its policies say.
    function _forbidden(address account, address target) internal view returns (bool) {
        return target == account || target == entryPoint || target == address(keyStore) || target == address(this)
            || target == address(validator);
    }

    function _isAllowed(address account, uint176 keyId, uint256 epoch, address target, bytes4 selector)
        internal
        view
        returns (bool)
    {
        return _allowed[_callKey(keyId, epoch, target, selector)][account] != 0
            || _allowed[_callKey(keyId, epoch, target, ANY_SELECTOR)][account] != 0
            || _allowed[_callKey(keyId, epoch, ANY_TARGET, selector)][account] != 0;
    }

    /// @return entry The entry that allows the call (the configuration's header | ENTRY_ALLOWED).
    /// @return wildcard The call is allowed only by an ANY_TARGET entry (execution then probes the
    /// target, see _isAccountMachinery); exact entries are looked up first, so they cost no more.
    function _checkCall(address account, uint176 keyId, uint256 epoch, address target, bytes4 selector)
        internal
        view
        returns (uint256 entry, bool wildcard)
    {
        if (_forbidden(account, target)) revert ForbiddenTarget(target);
        entry = _allowed[_callKey(keyId, epoch, target, selector)][account];
        if (entry == 0) entry = _allowed[_callKey(keyId, epoch, target, ANY_SELECTOR)][account];
        if (entry != 0) return (entry, false);
        entry = _allowed[_callKey(keyId, epoch, ANY_TARGET, selector)][account];
        if (entry == 0) revert CallNotAllowed(keyId, target, selector);
        wildcard = true;
    }

    /// @dev Is `target` part of the account's machinery, which a call from the account could
    /// reconfigure (a module's `onInstall` or owner setter, the Safe7579 adapter's `validateUserOp`
    /// with the EntryPoint appended, ...)? Asked in execution of calls a wildcard target allowed, and
    /// in setPolicies of exact targets: any ERC-7579 module (it answers `isModuleType`), any ERC-7579
    /// account or adapter (`supportsModule`), a module the account says is installed, a Safe module
    /// or the Safe's fallback handler. Conservative: a module not installed here is refused too.
    function _isAccountMachinery(address account, address target) internal view returns (bool) {
        if (target.code.length == 0) return false;
        for (uint256 t = 1; t <= 4; ++t) {
            if (_answersTrue(target, IS_MODULE_TYPE, t, 0, 0x24)) return true;
            // (fallback modules need a selector as context: isModuleType covers them)
            if (t != 3 && _answersTrue(account, IS_MODULE_INSTALLED, t, uint160(target), 0x84)) return true;
        }
        return _answersTrue(target, SUPPORTS_MODULE, 1, 0, 0x24)
            || _answersTrue(account, IS_MODULE_ENABLED, uint160(target), 0, 0x24) || _safeFallbackHandler(account) == target;
    }

    /// @dev A bounded staticcall of `sel(a, b, "")` (the first `len` bytes of it) that answers exactly
    /// one word holding 1. Hand-made in scratch and free memory (not advanced): this code is probed
    /// several times per wildcard call and the hook must stay under the 24,576-byte code limit.
    function _answersTrue(address to, bytes4 sel, uint256 a, uint256 b, uint256 len) internal view returns (bool ok) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, sel)
            mstore(add(m, 0x04), a)
            mstore(add(m, 0x24), b)
            mstore(add(m, 0x44), 0x60) // the empty `bytes` of isModuleInstalled: offset, length 0
            mstore(add(m, 0x64), 0)
            ok := staticcall(PROBE_GAS, to, m, len, 0x00, 0x20)
            ok := and(ok, and(eq(returndatasize(), 0x20), eq(mload(0x00), 1)))
        }
    }

    /// @dev A Safe's fallback handler (Safe7579's adapter), from `getStorageAt(slot, 1)`, which
    /// returns `bytes` (offset, length 32, the word); 0 for anything that answers otherwise.
    function _safeFallbackHandler(address account) internal view returns (address handler) {
        bytes4 sel = GET_STORAGE_AT; // on the stack left-aligned, as mstore needs it
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, sel)
            mstore(add(m, 0x04), SAFE_FALLBACK_HANDLER_SLOT)
            mstore(add(m, 0x24), 1)
            let ok := staticcall(PROBE_GAS, account, m, 0x44, 0x00, 0x00) // before returndatasize is read
            if and(ok, eq(returndatasize(), 0x60)) {
                returndatacopy(0x00, 0x20, 0x40)
                if eq(mload(0x00), 0x20) { handler := and(mload(0x20), 0xffffffffffffffffffffffffffffffffffffffff) }
            }
        }
    }

    /// @dev Selectors a wildcard target may never be allowed with: module and account management
    /// (onInstall, onUninstall, installModule, uninstallModule, execute, executeUserOp,
    /// executeFromExecutor, validateUserOp, upgradeToAndCall, transferOwnership, setFallbackHandler,
    /// enableModule, disableModule, execTransactionFromModule, execTransactionFromModuleReturnData,
    /// emergencyUninstallHook), four bytes each.
    bytes internal constant MANAGEMENT_SELECTORS =
        hex"6d61fe708a91b0e39517e29fa71763a8e9ae5c538dd7712fd691c96419822f7c4f1ef286f2fde38bf08a0323610b5925e009cfde468721a75229073fcd64f80a";

    function _isManagementSelector(bytes4 s) internal pure returns (bool) {
        bytes memory list = MANAGEMENT_SELECTORS;
        for (uint256 i; i < list.length; i += 4) {
            if (bytes4(uint32(uint8(list[i])) << 24 | uint32(uint8(list[i + 1])) << 16 | uint32(uint8(list[i + 2])) << 8 | uint32(uint8(list[i + 3]))) == s) {
                return true;
            }
        }
        return false;
    }

    /// @dev Revocation, a disable, or the removal of the op's signer (a rotation) that landed after
    /// validation stops the op here. The KeyStore answers from its signer-on-account slot (warm:
    /// validation read it) when the key is enabled.
    function _checkKeyActive(address account, uint176 keyId, uint256 epoch, bytes32 signer) internal view {
        (uint8 state, bool signerOk) = LeanCalls.authorization(keyStore, keyId, account, signer);
        if (state != 1) revert KeyNotActive(keyId, state);
        // Signer 0 is a signature that did not verify: validation returned SIG_VALIDATION_FAILED,
        // which the EntryPoint refuses before any execution, so only a simulation (the bundler's
        // gas estimation with a stub signature) gets here with it.
        if (!signerOk && signer != 0) revert SignerNotAuthorized(keyId, signer);
        // Only the flags and the time bounds (the layout _validationConfig decodes).
        uint256 w = _firstWord(_vcfg[_cfgKey(keyId, epoch)][account]);
        if (w & ACTIVE == 0) revert NoPolicies(keyId, account);
        uint256 validAfter = uint48(w >> 8);
        uint256 validUntil = uint48(w >> 56);
        if (block.timestamp < validAfter) revert KeyNotYetValid(keyId, validAfter);
        if (validUntil != 0 && block.timestamp > validUntil) revert KeyExpired(keyId, validUntil);
    }

    /// @dev Checks one call again (policies may have changed since validation), records it for the
    /// audit event (transient, two words), and adds what its calldata says is spent per limited token.
    function _checkExecution(Ctx memory c, uint256 i, address target, uint256 value, bytes calldata cd) internal {
        bytes4 selector = ExecutionParser.selectorOf(target, cd);
        // A call allowed only by a wildcard target must not reach the account's own machinery,
        // including modules installed after the grant (validation cannot ask: ERC-7562).
        (uint256 entry, bool wildcard) = _checkCall(c.account, c.keyId, c.epoch, target, selector);
        if (wildcard && _isAccountMachinery(c.account, target)) revert ForbiddenTarget(target);
        // Every entry of the configuration carries its header (see _allowed): the first call's loads it.
        if (i == 0) _loadConfig(c, entry & ~ENTRY_ALLOWED);
        for (uint256 j; j < c.customs.length; ++j) {
            if (target == c.customs[j]) revert ForbiddenTarget(target);
        }
        uint256 w = c.base + P_CALLS + c.nWords;
        _tstore(w, (uint256(uint160(target)) << 96) | (uint256(uint32(selector)) << 64) | (value != 0 ? 1 : 0));
        if (value != 0) {
            _tstore(w + 1, value);
            c.nWords += 2;
        } else {
            ++c.nWords;
        }
        if (value != 0) {
            uint256 n = _indexOf(c.spends, NATIVE_TOKEN);
            if (n == type(uint256).max) revert NativeValueNotAllowed(c.keyId, value);
            c.decoded[n] += value;
        }
        if (target != NATIVE_TOKEN) {
            uint256 t = _indexOf(c.spends, target);
            if (t != type(uint256).max) c.decoded[t] += _tokenSpend(c.account, target, selector, cd);
        }
    }

    /// @dev What an ERC-20 call spends from the account. Approvals are spends: an approved spender
    /// can pull the amount later, outside any hook.
    function _tokenSpend(address account, address token, bytes4 selector, bytes calldata cd)
        internal
        pure
        returns (uint256)
    {
        if (selector == TRANSFER || selector == APPROVE || selector == INCREASE_ALLOWANCE) {
            return _word(cd, 1, token, selector);
        }
        if (selector == TRANSFER_FROM) {
            return address(uint160(_word(cd, 0, token, selector))) == account ? _word(cd, 2, token, selector) : 0;
        }
        if (selector == DECREASE_ALLOWANCE) return 0;
        revert UnknownTokenSelector(token, selector);
    }

    /// @dev The k-th 32-byte argument of calldata `cd`.
    function _word(bytes calldata cd, uint256 k, address token, bytes4 selector) internal pure returns (uint256) {
        if (cd.length < 4 + 32 * (k + 1)) revert UnknownTokenSelector(token, selector);
        return uint256(bytes32(cd[4 + 32 * k:36 + 32 * k]));
    }

    function _indexOf(SpendLimit[] memory spends, address token) internal pure returns (uint256) {
        for (uint256 i; i < spends.length; ++i) {
            if (spends[i].token == token) return i;
        }
        return type(uint256).max;
    }

    function _balanceOf(address token, address account) internal view returns (uint256) {
        // A token that cannot report a balance is measured by its calldata only (LeanCalls answers 0).
        return token == NATIVE_TOKEN ? account.balance : LeanCalls.balanceOf(token, account);
    }

    function _used(uint176 keyId, SpendLimit memory s) internal view returns (uint256) {
        bytes32 k = _windowKey(keyId, s);
        return s.kind == PeriodKind.Sliding
            ? _sliding[k].used(s.period, block.timestamp)
            : _fixed[k].used(s.start, s.period, block.timestamp);
    }

    function _addSpend(uint176 keyId, SpendLimit memory s, uint256 amount)
        internal
        returns (uint256)
    {
        if (amount > type(uint96).max) revert SpendLimitExceeded(keyId, s.token, 0, amount, s.limit);
        bytes32 k = _windowKey(keyId, s);
        return s.kind == PeriodKind.Sliding
            ? _sliding[k].add(s.period, block.timestamp, amount)
            : _fixed[k].add(s.start, s.period, block.timestamp, amount);
    }

    /// @dev When a token's period changes, the new window is raised to read at least what the old
    /// one reads (the difference goes into its current bucket/period): never a reset, and never
    /// more than was really spent. It is not added whole: the new window may already hold this very
    /// spend from an earlier edit the other way, and adding it again on every toggle between two
    /// geometries would raise what the key's windows read without bound (a freeze of the key on all
    /// its accounts; attack test_Attack_GeometryToggle_CannotInflateWindow). (A fixed period that has
    /// not started yet refuses every spend until it starts, so nothing is carried there.)
    function _migrateWindows(uint176 keyId, SpendLimit[] memory old, SpendLimit[] calldata next)
        internal
    {
        for (uint256 i; i < next.length; ++i) {
            for (uint256 j; j < old.length; ++j) {
                SpendLimit memory o = old[j];
                if (o.token != next[i].token) continue;
                if (o.kind == next[i].kind && o.period == next[i].period && o.start == next[i].start) break;
                // The old window stays as it is: other accounts of the key may still use it.
                uint256 carried = _used(keyId, o);
                if (carried != 0 && (next[i].kind == PeriodKind.Sliding || block.timestamp >= next[i].start)) {
                    SpendLimit memory n = next[i];
                    uint256 have = _used(keyId, n);
                    if (carried > have) _addSpend(keyId, n, carried - have);
                }
                break;
            }
        }
    }

    function _clearCalls(address account, uint176 keyId, uint256 epoch, ExecConfig storage x) internal {
        CallPermission[] storage calls = x.calls;
        for (uint256 i; i < calls.length; ++i) {
            delete _allowed[_callKey(keyId, epoch, calls[i].target, calls[i].selector)][account];
        }
        delete x.calls;
    }

    function _validate(address account, Policies calldata p) internal view {
        if (p.calls.length > MAX_CALLS) revert InvalidPolicy("too many calls");
        if (p.spends.length > MAX_SPENDS) revert InvalidPolicy("too many spend limits");
        if (p.customs.length > MAX_CUSTOMS) revert InvalidPolicy("too many custom policies");
        if (p.validUntil != 0 && p.validUntil <= p.validAfter) revert InvalidPolicy("validUntil <= validAfter");
        if (p.gas.maxFeePerGas == 0 || p.gas.maxCostPerOp == 0) revert InvalidPolicy("gas caps are mandatory");
        if (p.gas.opCeiling == 0) revert InvalidPolicy("op ceiling is mandatory");
        if (p.rate.maxCalls != 0 && p.rate.period == 0) revert InvalidPolicy("rate period is zero");
        for (uint256 i; i < p.calls.length; ++i) {
            CallPermission calldata c = p.calls[i];
            if (c.target == ANY_TARGET) {
                if (c.selector == ANY_SELECTOR) revert InvalidPolicy("any target, any selector");
                if (_isManagementSelector(c.selector)) revert InvalidPolicy("any target with a management selector");
            } else if (_forbidden(account, c.target) || _isAccountMachinery(account, c.target)) {
                revert ForbiddenTarget(c.target);
            }
        }
        for (uint256 i; i < p.spends.length; ++i) {
            SpendLimit calldata s = p.spends[i];
            if (s.period == 0) revert InvalidPolicy("spend period is zero");
            if (s.kind == PeriodKind.Sliding && s.start != 0) revert InvalidPolicy("start is for fixed periods");
            for (uint256 j; j < i; ++j) {
                if (p.spends[j].token == s.token) revert InvalidPolicy("token listed twice");
            }
        }
        for (uint256 i; i < p.customs.length; ++i) {
            if (p.customs[i].code.length == 0) revert InvalidPolicy("custom policy has no code");
            if (_forbidden(account, p.customs[i])) revert ForbiddenTarget(p.customs[i]);
        }
    }

    /// @dev The account's pending-state transient slots: `base` is the guard word (nonzero while a
    /// key executes on the account: 1 << 255 | keyId), then the fields at the P_* offsets.
    /// keccak256(account ‖ seed) + n: associated with the account.
    function _pendingSlot(address account) internal pure returns (uint256) {
        return uint256(WordHash.hash(uint160(account), uint256(GUARD_SEED)));
    }

    /// @dev keccak256(account ‖ execHash): associated with the account (ERC-7562); slot + 1 holds
    /// the signer. The count allows two identical calldatas of one account in one bundle.
    function _ticketSlot(address account, bytes32 execHash) internal pure returns (uint256) {
        return uint256(WordHash.hash(uint160(account), uint256(execHash)));
    }

    /// @dev keccak256(account ‖ seed): the number of the account's keyed ops validated in this
    /// transaction and not executed yet (associated with the account).
    function _outstandingSlot(address account) internal pure returns (uint256) {
        return uint256(WordHash.hash(uint160(account), uint256(OUTSTANDING_SEED)));
    }

    function _requireNoKeyedOpPending(address account) internal view {
        if (_tload(_outstandingSlot(account)) != 0) revert KeyedOpPending(account);
    }

    /// @dev Takes the ticket FunctorValidator's validation left for this calldata; returns its signer.
    function _takeTicket(address account, bytes32 execHash) internal returns (bytes32) {
        uint256 slot = _ticketSlot(account, execHash);
        uint256 count = _tload(slot);
        if (count == 0) revert NoTicket(account);
        _tstore(slot, count - 1);
        uint256 outstanding = _outstandingSlot(account);
        _tstore(outstanding, _tload(outstanding) - 1);
        return bytes32(_tload(slot + 1));
    }

    function _requireNotExecuting(address account) internal view {
        if (_tload(_pendingSlot(account)) != 0) revert KeyExecutionInProgress(account);
    }

    function _tload(uint256 slot) internal view returns (uint256 v) {
        // transient storage at computed, account-associated slots: Solidity has no transient mappings yet
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            v := tload(slot)
        }
    }

    function _tstore(uint256 slot, uint256 v) internal {
        // the same transient slots as _tload
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            tstore(slot, v)
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 METADATA
    //////////////////////////////////////////////////////////////*/

    function isModuleType(uint256 typeId) external pure returns (bool) {
        return typeId == MODULE_TYPE_HOOK;
    }

    function name() external pure returns (string memory) {
        return "FunctorPolicyHook";
    }

    function version() external pure returns (string memory) {
        return "0.1.0";
    }
}
