// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TermsCache} from "./lib/TermsCache.sol";
import {KeyStoreState} from "./KeyStoreState.sol";
import {EIP712Slots} from "./EIP712Slots.sol";
import {SlidingWindow, FixedWindow} from "./lib/SpendWindow.sol";
import {LeanCalls} from "./lib/LeanCalls.sol";
import {WordHash} from "./lib/WordHash.sol";
import {ValidationWord} from "./lib/ValidationWord.sol";
import {
    ANY_SELECTOR,
    ANY_TARGET,
    ArgOp,
    NATIVE_TOKEN,
    CallPermission,
    PeriodKind,
    Policies,
    RateLimit,
    SpendLimit,
    ValidationConfig
} from "./lib/PolicyTypes.sol";

/// @title FunctorPolicyHookBase
/// @notice What FunctorPolicyHook (the hot paths: validation's checks, preCheck's common case,
/// postCheck), FunctorPolicyConfig (setting policies and reading them) and FunctorPolicyGeneral
/// (preCheck's general path, the custom policies), both run by the hook through DELEGATECALL on the
/// hook's own storage, share: the storage layout, the constants, errors and events, and the internal
/// functions they use. One layout declared once, so the three parts cannot disagree on it.
/// Why three: one contract holding everything had 113 bytes left under the 24,576-byte code limit
/// (EIP-170); the hot paths need room to grow (argument conditions, a leaner path, the validator's
/// own), the configuration code is never on a key's execution path, and the general path only on
/// the executions the common case does not take.
abstract contract FunctorPolicyHookBase is EIP712Slots, KeyStoreState {
    using SlidingWindow for SlidingWindow.State;
    using FixedWindow for FixedWindow.State;

    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 internal constant CAP_CALLS = 32;
    uint256 internal constant CAP_SPENDS = 8;
    uint256 internal constant CAP_CUSTOMS = 4;
    uint256 internal constant CAP_CONDITIONS = 16;
    uint256 internal constant CAP_CONDITIONS_PER_CALL = 8;
    uint256 internal constant CAP_ONE_OF = 16;

    bytes4 internal constant TRANSFER = 0xa9059cbb; // transfer(address,uint256)
    bytes4 internal constant TRANSFER_FROM = 0x23b872dd; // transferFrom(address,address,uint256)
    bytes4 internal constant APPROVE = 0x095ea7b3; // approve(address,uint256)
    bytes4 internal constant INCREASE_ALLOWANCE = 0x39509351; // increaseAllowance(address,uint256)
    bytes4 internal constant DECREASE_ALLOWANCE = 0xa457c2d7; // decreaseAllowance(address,uint256)

    bytes4 internal constant PRE_CHECK = 0xd68f6025; // preCheck(address,uint256,bytes)
    /// @dev FunctorPolicyConfig's two writers of a key's validation word, after which the hook writes
    /// its cache (test_TermsCache_Selectors).
    bytes4 internal constant SET_POLICIES = 0x0ff8e3ab;
    bytes4 internal constant CLEAR_POLICIES = 0x10c51b8b;
    /// @dev KeyStore's revoke(uint176) and readStoreSlot(uint256), which the hook runs in its own code
    /// (test_Merged_Selectors).
    bytes4 internal constant REVOKE = 0x3c4f3ede;
    bytes4 internal constant READ_STORE_SLOT = 0x0122d851;
    /// @dev The KeyStore's other selectors, which the hook's fallback sends straight to the KeyStore's
    /// code (one DELEGATECALL, where FunctorPolicyConfig's fallback would be a second, and a second
    /// cold contract: about 3,400 gas on every KeyStore transaction). A selector's bit in
    /// KEYSTORE_ROUTES is bits 24-31 of its low 32 bits times KEYSTORE_ROUTE_MUL (mod 2^32): set for
    /// every KeyStore function's, clear for every FunctorPolicyConfig function's, so neither is sent
    /// to the other's code; an unknown selector reverts on either path. Chosen by search over the two
    /// ABIs; test/unit/keyStoreRoutes.test.ts checks both sets against the generated ABIs (a function
    /// added to either must keep them apart), and a KeyStore selector missing here still works,
    /// through FunctorPolicyConfig's fallback.
    uint256 internal constant KEYSTORE_ROUTE_MUL = 29;
    uint256 internal constant KEYSTORE_ROUTES = 0x1040001000010400c1010008401010000a000002260081000008410001a0080;
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

    /// @dev Seed of the transient "a key is executing on this account" guard.
    bytes32 internal constant GUARD_SEED = keccak256("functor.hook.executing");
    /// @dev Offsets of the pending state from the account's guard slot (CAP_SPENDS pairs of decoded
    /// amount and balance before, then the call words as KeyExecuted records them).
    uint256 internal constant P_SIGNER = 1;
    uint256 internal constant P_EXEC_KEY = 2;
    uint256 internal constant P_HEADER = 3;
    uint256 internal constant P_SPENDS = 4;
    uint256 internal constant P_CALLS = P_SPENDS + 2 * CAP_SPENDS;
    /// @dev The guard word (the pending state's first): bit 255 set while a key executes, with the
    /// keyId in bits 0-175 and the counts postCheck needs: the call words recorded from bit G_WORDS
    /// (32 bits), the spend limits measured from bit G_SPENDS (8 bits; at most CAP_SPENDS). Bits
    /// G_OUT to G_OUT + 31 hold, executing or not, the number of the account's keyed ops validated in
    /// this transaction and not executed yet (validation raises it, preCheck lowers it with the
    /// ticket it takes; the hook's uninstall waits for 0). One word, so preCheck reads and writes
    /// the count with the guard it reads and writes anyway. The counts cannot reach 2^32: each
    /// word, and each op, costs more than 100 gas (a TSTORE), and 2^32 of them no transaction holds.
    uint256 internal constant G_WORDS = 176;
    uint256 internal constant G_SPENDS = 208;
    uint256 internal constant G_OUT = 216;
    /// @dev 1 << G_OUT and 0xffffffff << G_OUT, as plain numbers (assembly names them).
    uint256 internal constant OUT_ONE = 0x1000000000000000000000000000000000000000000000000000000;
    uint256 internal constant OUT_MASK = 0xffffffff000000000000000000000000000000000000000000000000000000;
    /// @dev Bit 254 of the guard word, executing or not: set for the rest of the transaction once the
    /// account has run a function of FunctorPolicyConfig that writes its configuration (setPolicies,
    /// clearPolicies, onInstall, onUninstall: _markConfigWritten). While it is clear, the account's
    /// configuration is the one its keyed ops were validated against in this transaction, and
    /// preCheck's common case does not read a key's validation word again: validation refused an
    /// inactive one (NoPolicies), and its time bounds were enforced in this block (the EntryPoint's
    /// AA22 on the validation data, or FunctorValidator.executeFromExecutor's KeyNotYetValid and
    /// KeyExpired). A plain number for assembly: 1 << 254.
    uint256 internal constant CONFIG_WRITTEN = 0x4000000000000000000000000000000000000000000000000000000000000000;
    /// @dev What the guard word keeps when a keyed execution starts or ends: the count of ops
    /// pending and CONFIG_WRITTEN (OUT_MASK | CONFIG_WRITTEN).
    uint256 internal constant KEEP_MASK = 0x40ffffffff000000000000000000000000000000000000000000000000000000;
    /// @dev Bit 63 of a call word in KeyExecuted's record: set in every call word, clear in a spend
    /// pair's first word, so a reader finds where the spends start (a plain number: assembly names it).
    uint256 internal constant CALL_WORD = 0x8000000000000000;
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
    /// @dev FunctorPolicyConfig's or FunctorPolicyGeneral's code called at its own address rather than
    /// through FunctorPolicyHook.
    error NotThroughHook();
    /// @dev checkCallsWhenValidating is FunctorValidator's: it leaves the ticket preCheck needs.
    error OnlyValidator(address caller);
    /// @dev The call's argument `arg` (its word `value`) does not meet a condition of the key.
    error ArgumentNotAllowed(uint176 keyId, address target, bytes4 selector, uint256 arg, bytes32 value);
    /// @dev The call's calldata is too short to hold argument `arg`, which a condition of the key reads.
    error ArgumentMissing(uint176 keyId, address target, bytes4 selector, uint256 arg);
    /// @dev A policy configuration that does not fit (which field, why).
    error InvalidPolicy(string reason);
    /// @dev Install data that is neither the validator role's (empty) nor the hook role's (0x04).
    error BadInstallData();
    /// @dev validateUserOp called by someone other than the UserOp's sender.
    error NotSender(address caller, address sender);
    /// @dev The UserOp's execution mode is not a Functor mode (no keyId bound).
    error NotFunctorMode(bytes32 mode);
    /// @dev maxFeePerGas above the key's cap.
    error GasFeeTooHigh(uint256 maxFeePerGas, uint256 cap);
    /// @dev The op's maximum cost (all gas limits x maxFeePerGas, in wei) above the key's cap.
    error OpCostTooHigh(uint256 cost, uint256 cap);
    /// @dev The op's maximum cost would exceed the key's gas budget on this account.
    error GasBudgetExceeded(uint256 spent, uint256 cost, uint256 budget);
    /// @dev A paymaster the key may not use.
    error PaymasterNotAllowed(address paymaster);
    /// @dev The op's nonce key is not the key's lane on this module (see _isLane).
    error WrongNonceKey(uint192 key);
    /// @dev The key has used every op its grant allows on this account (nonce sequence >= ceiling).
    error OpCeilingReached(uint256 sequence, uint256 ceiling);

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @dev A key executed on an account: the audit event (DESIGN 2.2). Its data is the `record`,
    /// packed 32-byte words laid end to end with no ABI head (a third fewer bytes logged than ABI
    /// structs, one record rather than two arrays, and no array offset and length: every byte logged
    /// is 8 gas on every keyed execution; contracts/README.md "KeyExecuted" has the layout bit by
    /// bit, lib/audit/auditWords.ts reads it). The record: first the calls, in call order, each
    /// `target (160) ‖ selector (32) ‖ 1 (bit 63) ‖ repeat (62) ‖ hasValue (1)`, followed by a word
    /// holding the call's native value when hasValue is 1 (a call with no value has no value word);
    /// a word stands for 1 + repeat calls in a row (a run of one target and selector). Then per
    /// spend limit of the key, in its order, `used (96) ‖ limit (96) ‖ 0 (64)` and
    /// `token (160) ‖ counted (96)`: the window's usage after this execution, the limit, what this
    /// execution counted. The first word without bit 63 where a call word could be starts the spends.
    event KeyExecuted(address indexed account, uint176 indexed keyId, bytes32 indexed signer);
    /// @dev A keyId's policies on an account were set (or replaced: counters are kept).
    event PoliciesSet(address indexed account, uint176 indexed keyId);
    /// @dev A keyId's policies on an account were removed.
    event PoliciesCleared(address indexed account, uint176 indexed keyId);
    /// @dev The module was installed on an account (its first role: validator or hook).
    event Installed(address indexed account);
    /// @dev The module was uninstalled (any role: all configurations of the account are void).
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

    uint8 internal constant ACTIVE = uint8(ValidationWord.ACTIVE);
    uint8 internal constant HAS_BUDGET_OR_PAYMASTER = uint8(ValidationWord.HAS_SECOND);

    /// @dev Internal: FunctorPolicyConfig answers `keyStore()` (this module: KeyStoreState) and
    /// `entryPoint()` through the hook's fallback (see FunctorPolicyConfig.MAX_CALLS for why).
    address internal immutable _entryPoint;

    /// @dev (epoch << 1) | installed. Uninstalling bumps the epoch, voiding every configuration.
    mapping(address account => uint256) internal _install;
    /// @dev Read in validation: account-associated (ERC-7562). Key: _cfgKey(keyId, epoch).
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
    /// @dev Argument conditions of one exact call (the entry's ENTRY_CONDITIONS bit says there are),
    /// keyed like its entry: bits 0-7 their count, 8-39 a generation, then per condition i at bit
    /// 40 + 24 i: arg (8), op (8), number of values (8). Read in validation (account-associated).
    /// The generation is raised each time the call's conditions are written, and is part of the keys
    /// below, so values of an earlier configuration are never read again.
    mapping(bytes32 callKey => mapping(address account => uint256)) internal _conds;
    /// @dev Value j of condition i: key keccak(callKey, generation, i, j).
    mapping(bytes32 valueKey => mapping(address account => bytes32)) internal _condValues;
    /// @dev OneOf membership: key keccak(callKey, generation, i, value): one read per check.
    mapping(bytes32 memberKey => mapping(address account => bool)) internal _condMembers;
    /// @dev Counters, keyed by (keyId, token, kind, period, start): the limit is the key's, shared by
    /// every account the key acts on; no epoch, no signer, so they survive a new signer and a
    /// reinstall; a window is only ever read with the geometry it was written with (a policy edit
    /// that changes it carries the usage over, `_migrateWindows`).
    mapping(bytes32 windowKey => SlidingWindow.State) internal _sliding;
    mapping(bytes32 windowKey => FixedWindow.State) internal _fixed;
    /// @dev Wei of maximum op cost debited from each (keyId, account)'s gas budget in validation
    /// (account-associated: the account is the inner key). No epoch: a reinstall does not refill it.
    mapping(uint176 keyId => mapping(address account => uint256)) internal _gasSpent;

    /// @dev The hook is deployed by FunctorDeployer, the configuration code through the CREATE2
    /// factory (it needs no address that depends on the hook's): both with the same two addresses.
    constructor(address entryPoint_) {
        _entryPoint = entryPoint_;
    }

    /// @dev Whether the hook's fallback sends selector `sel` to the KeyStore's code (KEYSTORE_ROUTES).
    function _isKeyStoreSelector(bytes4 sel) internal pure returns (bool r) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            r := and(shr(shr(24, and(mul(shr(224, sel), KEYSTORE_ROUTE_MUL), 0xffffffff)), KEYSTORE_ROUTES), 1)
        }
    }

    /// @dev FunctorValidator's address: the hook's immutable (the configuration code asks the hook).
    function _validatorAddress() internal view virtual returns (address);


    /// @dev What preCheck needs while it checks the calls. `heads` are the spend limits' stored
    /// words (token ‖ limit, see SpendHead), read once; their geometry stays in `header`.
    struct Ctx {
        address account;
        uint176 keyId;
        uint256 epoch;
        uint256 base; // the account's pending-state transient slot (see _pendingSlot)
        bytes32 execKey;
        uint256 header; // from the first call's allowlist entry (see _allowed), or ExecConfig.header
        uint256 nWords; // call words recorded for the audit event
        uint256[] heads;
        address[] customs;
        uint256[] decoded;
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
    /// @dev Marks an allowlist entry whose call has argument conditions (see _conds).
    uint256 internal constant ENTRY_CONDITIONS = 1 << 254;
    /// @dev The header bits of an allowlist entry.
    uint256 internal constant ENTRY_HEADER = (1 << 224) - 1;
    /// @dev Marks an allowlist entry whose call target is the token of the configuration's only
    /// spend limit: bits 152-247 (ENTRY_LIMIT_SHIFT) then hold that limit, where the header keeps
    /// limit 1's geometry (none with one limit). preCheck's common case takes the limit's word
    /// (token: the call's target ‖ limit) from the entry it reads anyway, instead of the spend
    /// limit's own slot (cold: 2,100 gas); postCheck from the pending header and the first call word.
    uint256 internal constant ENTRY_LIMIT = 1 << 253;
    uint256 internal constant ENTRY_LIMIT_SHIFT = 152;
    /// @dev What preCheck's common case keeps of the first call's entry as the pending header: the
    /// header, and the limit with its mark when the entry carries one (bits 224-253 are 0 otherwise).
    uint256 internal constant ENTRY_PENDING = (1 << 254) - 1;

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
            uint256 geo = _geometry(x, header, i);
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
        cfg.active = ValidationWord.active(w);
        cfg.validAfter = ValidationWord.validAfter(w);
        cfg.validUntil = ValidationWord.validUntil(w);
        cfg.maxFeePerGas = ValidationWord.maxFeePerGas(w);
        cfg.maxCostPerOp = ValidationWord.maxCostPerOp(w);
        cfg.opCeiling = ValidationWord.opCeiling(w);
        if (ValidationWord.hasSecond(w)) {
            uint256 x = _secondWord(s);
            cfg.gasBudget = ValidationWord.gasBudget(x);
            cfg.paymaster = ValidationWord.paymaster(x);
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

    /// @dev The second slot of a StoredValidation: gasBudget (96) ‖ paymaster (160), low bits first.
    function _secondWord(StoredValidation storage s) internal view returns (uint256 w) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            w := sload(add(s.slot, 1))
        }
    }

    function _epoch(address account) internal view returns (uint256) {
        uint256 install = _install[account];
        if (install & 1 == 0) revert NotInstalled(account);
        return install >> 1;
    }

    /// @dev epoch (80) ‖ keyId (176), no hash (validation and preCheck each computed one): distinct
    /// for every pair the hook can meet, since a keyId is 176 bits and the epoch rises by one per
    /// uninstall of the hook (2^80 uninstalls are more gas than any chain will ever have burned).
    function _cfgKey(uint176 keyId, uint256 epoch) internal pure returns (bytes32) {
        return bytes32((epoch << 176) | keyId);
    }

    function _callKey(uint176 keyId, uint256 epoch, address target, bytes4 selector) internal pure returns (bytes32) {
        return WordHash.hash(keyId, epoch, uint160(target), uint256(bytes32(selector)));
    }

    function _execKey(address account, uint176 keyId, uint256 epoch) internal pure returns (bytes32) {
        return WordHash.hash(uint160(account), keyId, epoch);
    }

    function _rateKey(uint176 keyId, uint32 period) internal pure returns (bytes32) {
        return WordHash.hash(keyId, uint160(RATE_SLOT), uint8(PeriodKind.Sliding), period, 0);
    }

    function _condValueKey(bytes32 callKey, uint256 gen, uint256 i, uint256 j) internal pure returns (bytes32) {
        return WordHash.hash(uint256(callKey), gen, i, j);
    }

    function _condMemberKey(bytes32 callKey, uint256 gen, uint256 i, bytes32 value) internal pure returns (bytes32) {
        // i's top bit set: never equal to a value key (j < CAP_ONE_OF)
        return WordHash.hash(uint256(callKey), gen, i | (1 << 255), uint256(value));
    }

    /// @dev Every argument condition of an exact call (its entry has ENTRY_CONDITIONS) against the
    /// call's calldata `cd` (selector included). Static rules on calldata only: checked in validation
    /// and again in execution (an edit may land between them in one bundle).
    function _checkConditions(
        address account,
        uint176 keyId,
        uint256 epoch,
        address target,
        bytes4 selector,
        bytes calldata cd
    ) internal view {
        bytes32 key = _callKey(keyId, epoch, target, selector);
        uint256 w = _conds[key][account];
        uint256 gen = uint32(w >> 8);
        for (uint256 i; i < uint8(w); ++i) {
            uint256 d = w >> (40 + 24 * i);
            uint256 arg = uint8(d);
            if (cd.length < 36 + 32 * arg) revert ArgumentMissing(keyId, target, selector, arg);
            bytes32 v = bytes32(cd[4 + 32 * arg:36 + 32 * arg]);
            ArgOp op = ArgOp(uint8(d >> 8));
            bool ok;
            if (op == ArgOp.OneOf) {
                ok = _condMembers[_condMemberKey(key, gen, i, v)][account];
            } else {
                uint256 want = uint256(_condValues[_condValueKey(key, gen, i, 0)][account]);
                ok = op == ArgOp.Equal ? uint256(v) == want : op == ArgOp.AtMost ? uint256(v) <= want : uint256(v) >= want;
            }
            if (!ok) revert ArgumentNotAllowed(keyId, target, selector, arg, v);
        }
    }

    /// @dev Targets no key may call, directly or in a batch, whatever its policies say.
    function _forbidden(address account, address target) internal view returns (bool f) {
        address ep = _entryPoint;
        address v = _validatorAddress();
        // four comparisons without a branch each: asked for every call of every keyed op, twice. This
        // module is the KeyStore too (KeyStoreState): no key may call either
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := 0xffffffffffffffffffffffffffffffffffffffff
            let t := and(target, m)
            f := or(or(eq(t, and(account, m)), eq(t, and(ep, m))), or(eq(t, address()), eq(t, and(v, m))))
        }
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
        // The three lookups of _isAllowed by hand (on every call of every keyed op, twice): the
        // entry keys are _callKey's, keccak(keyId, epoch, target, selector) over four words, at the
        // free memory pointer (not advanced); each mapping slot as Solidity computes it.
        uint256 base;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            base := _allowed.slot
        }
        entry = _entryAt(base, account, keyId, epoch, target, selector);
        if (entry == 0) entry = _entryAt(base, account, keyId, epoch, target, ANY_SELECTOR);
        if (entry != 0) return (entry, false);
        entry = _entryAt(base, account, keyId, epoch, ANY_TARGET, selector);
        if (entry == 0) revert CallNotAllowed(keyId, target, selector);
        wildcard = true;
    }

    /// @dev The common case of a call's static checks, by hand (via-IR spends about 650 opcodes per
    /// call on the general path, mostly helper calls): calldata of at least 4 bytes, a target that is
    /// not forbidden, an exact allowlist entry (target and selector).
    /// Returns that entry (its ENTRY_CONDITIONS bit says the caller must check the call's argument
    /// conditions, as the general path would next) and the selector, or entry 0 when the call needs
    /// the general checks (_checkCall and the rest), which then decide or refuse. Reads only.
    function _plainEntry(address account, uint176 keyId, uint256 epoch, address target, bytes calldata cd)
        internal
        view
        returns (uint256 entry, bytes4 selector)
    {
        if (cd.length < 4 || _forbidden(account, target)) return (0, selector);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            selector := and(calldataload(cd.offset), shl(224, 0xffffffff))
        }
        uint256 base;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            base := _allowed.slot
        }
        entry = _entryAt(base, account, keyId, epoch, target, selector);
    }

    /// @dev The common case of a batch's calls `from` to `n - 1` in one loop by hand (via-IR spent
    /// about 570 opcodes per call of a batch in preCheck through helper calls), on the words at `m`
    /// (_lookupMemory's; when `record`, in preCheck, also the spend state at m + 0x120 to + 0x180: the
    /// spend limits' words and decoded amounts as uint256[] memory, the transient slot of the call
    /// words and how many are recorded, see FunctorPolicyHookCommon._restOfBatch): per call what
    /// _plainEntry accepts (not forbidden, an exact entry), its argument conditions as
    /// _checkConditions checks them and, when `record`, the spend accounting of the general path's
    /// _checkExecution for a known token selector or native value, recorded as it records it. A call
    /// with the target and selector of the previous entry looked up reuses it and its conditions word
    /// (nothing writes storage while the loop runs); the conditions themselves are checked against
    /// each call's calldata. Stops at the first call that is not the common case (a condition it does
    /// not hold included) and returns its index (n when none), having changed nothing for it.
    /// Validation sends that call through _checkStatic, which decides (and refuses with its error),
    /// and goes on from the next one; preCheck's common case gives up (the general path starts over).
    /// Only on a batch that strictBatch accepted (validation) or that a ticket binds to that check
    /// (preCheck): calls are read as ExecutionParser.element reads them. What the loop reads stays in
    /// free memory (not advanced, see _lookupMemory), so that its own state fits the stack.
    function _plainBatchAt(uint256 m, bytes calldata data, uint256 from, uint256 n, bool record)
        internal
        returns (uint256 i)
    {
        // Never taken (n is a calldata count); it makes the function recursive, which via-IR's
        // inliner leaves alone: one copy of this loop instead of one per caller (validation's and
        // preCheck's), which the hook's 24,576 bytes (EIP-170) have no room for.
        if (n == type(uint256).max) return _plainBatchAt(m, data, from, n - 1, record);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            function indexOf(h, token) -> idx {
                let count := mload(h)
                idx := count
                for { let k := 0 } lt(k, count) { k := add(k, 1) } {
                    if eq(and(mload(add(h, shl(5, add(k, 1)))), 0xffffffffffffffffffffffffffffffffffffffff), token) {
                        idx := k
                        break
                    }
                }
            }
            // _tokenSpend's amount, known 0 for the general path
            function tokenAmount(selector, cdo, len, account) -> known, amount {
                known := 1
                switch shr(224, selector)
                case 0xa9059cbb { amount := calldataload(add(cdo, 36)) if lt(len, 68) { known := 0 } }
                case 0x095ea7b3 { amount := calldataload(add(cdo, 36)) if lt(len, 68) { known := 0 } }
                case 0x39509351 { amount := calldataload(add(cdo, 36)) if lt(len, 68) { known := 0 } }
                case 0x23b872dd {
                    if lt(len, 36) { known := 0 }
                    if and(known, eq(and(calldataload(add(cdo, 4)), 0xffffffffffffffffffffffffffffffffffffffff), account)) {
                        amount := calldataload(add(cdo, 68))
                        if lt(len, 100) { known := 0 }
                    }
                }
                case 0xa457c2d7 { amount := 0 } // decreaseAllowance spends nothing
                default { known := 0 }
            }
            // the spend accounting for call element `e`: the state at mem (m + 0x120 to + 0x180);
            // ok 0, nothing written, for the general path
            function spend(mem, e) -> ok {
                let target := calldataload(e)
                let len := calldataload(add(e, 0x60))
                let cdo := add(e, 0x80)
                let selector := and(calldataload(cdo), shl(224, 0xffffffff))
                let heads := mload(add(mem, 0x120))
                let count := mload(heads)
                let value := calldataload(add(e, 0x20))
                // native value: its limit's index, or the general path (NativeValueNotAllowed)
                let ni := count
                if value {
                    ni := indexOf(heads, 0)
                    if eq(ni, count) { leave }
                }
                // a limited token: what the calldata spends, or the general path
                let ti := count
                let amount := 0
                if target {
                    ti := indexOf(heads, target)
                    if lt(ti, count) {
                        let known := 0
                        known, amount := tokenAmount(selector, cdo, len, mload(add(mem, 0x80)))
                        if iszero(known) { leave }
                    }
                }
                // the sums, checked before anything is written (an overflow is the general path's panic)
                let decoded := mload(add(mem, 0x140))
                let pn := add(decoded, shl(5, add(ni, 1)))
                let pa := add(decoded, shl(5, add(ti, 1)))
                let sn := add(mload(pn), value)
                let sa := add(mload(pa), amount)
                if and(lt(ni, count), lt(sn, value)) { leave }
                if and(lt(ti, count), lt(sa, amount)) { leave }
                if lt(ni, count) { mstore(pn, sn) }
                if lt(ti, count) { mstore(pa, sa) }
                // the call's words for the audit event (_recordCall)
                let nWords := mload(add(mem, 0x180))
                let w := add(mload(add(mem, 0x160)), nWords)
                tstore(w, or(or(or(shl(96, target), shl(64, shr(224, selector))), CALL_WORD), iszero(iszero(value))))
                mstore(add(mem, 0x360), w)
                nWords := add(nWords, 1)
                if value {
                    tstore(add(w, 1), value)
                    nWords := add(nWords, 1)
                }
                mstore(add(mem, 0x180), nWords)
                ok := 1
                // what fastSpend needs to repeat this for a next call with the same target and
                // selector and no value: whether it may (no value here, and a target without a limit
                // or one of the selectors whose amount is the word at cd[36:68]), the decoded
                // amount's word when the target has a limit, the call's word and its transient slot
                // (at + 0x360, written above)
                let s := shr(224, selector)
                mstore(
                    add(mem, 0x320),
                    and(iszero(value), or(eq(ti, count), or(eq(s, 0xa9059cbb), or(eq(s, 0x095ea7b3), eq(s, 0x39509351)))))
                )
                mstore(add(mem, 0x340), mul(pa, lt(ti, count)))
                mstore(add(mem, 0x3a0), or(or(shl(96, target), shl(64, s)), CALL_WORD))
            }
            // spend for call element `e` with the target and selector of the call spend last took
            // (run makes sure), when that one allowed it (see the end of spend): the same sums and
            // record, without the limits' lookups; the record is the last call word's repeat count
            // (contracts/README.md, KeyExecuted), which counts calls and cannot reach its 62 bits.
            // 0, nothing written, when it does not apply (value sent, calldata short of the amount,
            // an overflow): spend then decides.
            function fastSpend(mem, e) -> ok {
                if iszero(mload(add(mem, 0x320))) { leave }
                if calldataload(add(e, 0x20)) { leave }
                let pa := mload(add(mem, 0x340))
                if pa {
                    if lt(calldataload(add(e, 0x60)), 68) { leave }
                    let amount := calldataload(add(e, 0xa4)) // cd[36:68], cd at e + 0x80
                    let sa := add(mload(pa), amount)
                    if lt(sa, amount) { leave }
                    mstore(pa, sa)
                }
                // the same call again: one more repeat in the last call word (its bits 1 to 62), not
                // a word of its own (32 bytes less in KeyExecuted, one transient word less)
                let w := add(mload(add(mem, 0x3a0)), 2)
                mstore(add(mem, 0x3a0), w)
                tstore(mload(add(mem, 0x360)), w)
                ok := 1
            }
            // _checkConditions for call element `e` and the last entry looked up: 1 when every
            // condition holds; 0 when one fails or cannot be read (the general path then refuses
            // with its error). The keys as _condValueKey and _condMemberKey make them, hashed at
            // mem + 0x200 (see _lookupMemory)
            function holds(mem, e) -> ok {
                let len := calldataload(add(e, 0x60))
                let cdo := add(e, 0x80)
                // the call key of the last entry looked up (its target and selector still at
                // mem + 0x40 and + 0x60), then _conds[callKey][account]
                let ck := keccak256(mem, 0x80)
                mstore(add(mem, 0x200), ck)
                mstore(0x00, ck)
                mstore(0x20, mload(add(mem, 0x1e0)))
                mstore(0x20, keccak256(0x00, 0x40))
                mstore(0x00, mload(add(mem, 0x80)))
                let w := sload(keccak256(0x00, 0x40))
                mstore(add(mem, 0x220), and(shr(8, w), 0xffffffff))
                for { let j := 0 } lt(j, and(w, 0xff)) { j := add(j, 1) } {
                    let d := shr(add(40, mul(24, j)), w)
                    // the argument's word ends at 36 + 32 arg
                    let end := add(36, shl(5, and(d, 0xff)))
                    if lt(len, end) { leave }
                    let v := calldataload(add(cdo, sub(end, 32)))
                    let op := and(shr(8, d), 0xff)
                    if gt(op, 3) { leave }
                    // op 3, OneOf: its membership word; else the condition's value 0
                    mstore(add(mem, 0x240), or(j, shl(255, eq(op, 3))))
                    mstore(add(mem, 0x260), mul(v, eq(op, 3)))
                    mstore(0x00, keccak256(add(mem, 0x200), 0x80))
                    mstore(0x20, mload(add(mem, add(0x1a0, shl(5, eq(op, 3))))))
                    mstore(0x20, keccak256(0x00, 0x40))
                    mstore(0x00, mload(add(mem, 0x80)))
                    let word := sload(keccak256(0x00, 0x40))
                    switch op
                    case 0 { if iszero(eq(v, word)) { leave } }
                    case 1 { if gt(v, word) { leave } }
                    case 2 { if lt(v, word) { leave } }
                    default { if iszero(and(word, 0xff)) { leave } }
                }
                ok := 1
            }
            function run(mem, at, start, count, rec) -> k {
                // count and rec in memory: fewer words on the stack keep via-IR from spilling the
                // loop's (about 100 gas per call, forge's snapshot)
                mstore(add(mem, 0x2c0), count)
                mstore(add(mem, 0x2e0), rec)
                let memoKey := mload(add(mem, 0x280))
                let memoEntry := mload(add(mem, 0x2a0))
                for { k := start } lt(k, mload(add(mem, 0x2c0))) { k := add(k, 1) } {
                    let e := add(at, calldataload(add(at, shl(5, k))))
                    let target := calldataload(e)
                    let len := calldataload(add(e, 0x60))
                    if lt(len, 4) { leave }
                    let cdo := add(e, 0x80)
                    let selector := and(calldataload(cdo), shl(224, 0xffffffff))
                    let key := or(target, shl(160, shr(224, selector)))
                    if iszero(and(eq(key, memoKey), iszero(iszero(memoEntry)))) {
                        // _forbidden, then _entryAt (see _lookupMemory)
                        if or(
                            or(eq(target, mload(add(mem, 0x80))), eq(target, mload(add(mem, 0xa0)))),
                            or(or(eq(target, mload(add(mem, 0xc0))), eq(target, address())), eq(target, mload(add(mem, 0xe0))))
                        ) { leave }
                        mstore(add(mem, 0x40), target)
                        mstore(add(mem, 0x60), selector)
                        mstore(0x00, keccak256(mem, 0x80))
                        mstore(0x20, mload(add(mem, 0x100)))
                        mstore(0x20, keccak256(0x00, 0x40))
                        mstore(0x00, mload(add(mem, 0x80)))
                        let entry := sload(keccak256(0x00, 0x40))
                        if iszero(entry) { leave }
                        memoKey := key
                        memoEntry := entry
                        // a new target or selector: fastSpend waits for spend to take one
                        mstore(add(mem, 0x320), 0)
                    }
                    // argument conditions depend on each call's calldata: checked for every call
                    if and(memoEntry, ENTRY_CONDITIONS) { if iszero(holds(mem, e)) { leave } }
                    if mload(add(mem, 0x2e0)) { if iszero(fastSpend(mem, e)) { if iszero(spend(mem, e)) { leave } } }
                }
            }
            i := run(m, add(data.offset, 0x40), from, n, record)
        }
    }

    function _mstore(uint256 at, uint256 v) internal pure {
        // into a block the caller allocated (_accept's), or past the free memory pointer as
        // scratch (_plainBatchAt's words)
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(at, v)
        }
    }

    function _mload(uint256 at) internal pure returns (uint256 v) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            v := mload(at)
        }
    }

    /// @dev Writes what _plainBatchAt's lookups read at the free memory pointer (not advanced) and
    /// returns it: _callKey's first two words (keyId, epoch; target and selector go at + 0x40 and
    /// + 0x60), then the account, the entry point, the KeyStore, the validator (the forbidden targets
    /// besides this contract) and `_allowed.slot`; at + 0x120 to + 0x180 the spend state (see _plainBatchAt); at
    /// + 0x1a0 the slots of `_condValues`, `_condMembers` and `_conds`; from + 0x200, four words
    /// where the conditions' keys are hashed; at + 0x280 and + 0x2a0 the key (target ‖ selector) and
    /// entry of a lookup the loop starts from (none: 0); at + 0x2c0 and + 0x2e0 the loop's call count and
    /// whether it records spends; at + 0x320, + 0x340, + 0x360 and + 0x3a0 fastSpend's flag, decoded
    /// amount's word, the last call word's transient slot and that word.
    function _lookupMemory(address account, uint176 keyId, uint256 epoch) internal view returns (uint256 m) {
        address ep = _entryPoint;
        address ks = address(this); // the KeyStore is this module (KeyStoreState)
        address v = _validatorAddress();
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let mask := 0xffffffffffffffffffffffffffffffffffffffff
            m := mload(0x40)
            mstore(m, and(keyId, 0xffffffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x20), epoch)
            mstore(add(m, 0x80), and(account, mask))
            mstore(add(m, 0xa0), and(ep, mask))
            mstore(add(m, 0xc0), and(ks, mask))
            mstore(add(m, 0xe0), and(v, mask))
            mstore(add(m, 0x100), _allowed.slot)
            mstore(add(m, 0x1a0), _condValues.slot)
            mstore(add(m, 0x1c0), _condMembers.slot)
            mstore(add(m, 0x1e0), _conds.slot)
            // no entry looked up yet (preCheck's common case seeds the first call's)
            mstore(add(m, 0x280), 0)
            mstore(add(m, 0x2a0), 0)
        }
    }

    /// @dev `_allowed[_callKey(keyId, epoch, target, selector)][account]`, `base` being `_allowed.slot`.
    function _entryAt(uint256 base, address account, uint176 keyId, uint256 epoch, address target, bytes4 selector)
        internal
        view
        returns (uint256 entry)
    {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, and(keyId, 0xffffffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x20), epoch)
            mstore(add(m, 0x40), and(target, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x60), and(selector, shl(224, 0xffffffff)))
            mstore(0x00, keccak256(m, 0x80))
            mstore(0x20, base)
            mstore(0x20, keccak256(0x00, 0x40))
            mstore(0x00, and(account, 0xffffffffffffffffffffffffffffffffffffffff))
            entry := sload(keccak256(0x00, 0x40))
        }
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
    /// validation stops the op here. The signer-on-account word (this module's own storage: the
    /// KeyStore's, KeyStoreState; warm, validation read it) answers when the key is enabled.
    function _checkKeyActive(address account, uint176 keyId, uint256 epoch, bytes32 signer) internal view {
        uint256 signerWord = _signerWord(keyId, account, signer);
        (uint8 state, bool signerOk) = uint8(signerWord) == 1 ? (uint8(1), true) : _authorizedState(keyId, account, signer);
        if (state != 1) revert KeyNotActive(keyId, state);
        if (!signerOk) {
            // The KeyStore marks a revoked key in its own signers' words only (one write per signer
            // and account), so anyone else's signature, such as the stub one of a bundler's gas
            // estimation, reads ENABLED there and learns of the revocation here, in execution, where
            // the KeyStore's views may be read (validation may not: ERC-7562). Failure path only.
            uint8 granted = _grantState(keyId, account);
            if (granted != 1) revert KeyNotActive(keyId, granted);
            // Signer 0 is a signature that did not verify: validation returned SIG_VALIDATION_FAILED,
            // which the EntryPoint refuses before any execution, so only a simulation (the bundler's
            // gas estimation with a stub signature) gets here with it.
            if (signer != 0) revert SignerNotAuthorized(keyId, signer);
        }
        // Only the flags and the time bounds (the layout _validationConfig decodes), from the signer's
        // word's cache when it holds this module's, as validation took it: a real op then reads the
        // word's slot nowhere, and a stub-signed estimate (a miss) reads it warm from its validation,
        // so the estimate is never below the op (test/integration/callGas.test.ts).
        (bool cached, uint256 w) = TermsCache.unpack(signerWord, epoch, address(this));
        if (!cached) w = _firstWord(_vcfg[_cfgKey(keyId, epoch)][account]);
        if (!ValidationWord.active(w)) revert NoPolicies(keyId, account);
        uint256 validAfter = ValidationWord.validAfter(w);
        uint256 validUntil = ValidationWord.validUntil(w);
        if (block.timestamp < validAfter) revert KeyNotYetValid(keyId, validAfter);
        if (validUntil != 0 && block.timestamp > validUntil) revert KeyExpired(keyId, validUntil);
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
    function _word(bytes calldata cd, uint256 k, address token, bytes4 selector) internal pure returns (uint256 w) {
        if (cd.length < 4 + 32 * (k + 1)) revert UnknownTokenSelector(token, selector);
        // in bounds (checked above): the word at cd[4 + 32k], without a slice's checks
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            w := calldataload(add(cd.offset, add(4, shl(5, k))))
        }
    }

    /// @dev The index of `token` among the spend limits' words, or type(uint256).max.
    function _indexOf(uint256[] memory heads, address token) internal pure returns (uint256 index) {
        index = type(uint256).max;
        // a scan of at most CAP_SPENDS words, on every call of every keyed execution
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let n := mload(heads)
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                if eq(and(mload(add(heads, shl(5, add(i, 1)))), 0xffffffffffffffffffffffffffffffffffffffff), token) {
                    index := i
                    break
                }
            }
        }
    }

    function _balanceOf(address token, address account) internal view returns (uint256) {
        // A token that cannot report a balance is measured by its calldata only (LeanCalls answers 0).
        return token == NATIVE_TOKEN ? account.balance : LeanCalls.balanceOf(token, account);
    }

    /// @dev Spend limit i's stored word, token (160) ‖ limit (96) from the low bits (SpendHead):
    /// one SLOAD for both fields.
    function _headWord(ExecConfig storage x, uint256 i) internal view returns (uint256 w) {
        SpendHead storage h = x.spends[i];
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            w := sload(h.slot)
        }
    }

    /// @dev Spend limit i's geometry (see _packGeometry): in the header for the first two.
    function _geometry(ExecConfig storage x, uint256 header, uint256 i) internal view returns (uint256) {
        return i < 2 ? header >> (GEO_SHIFT + GEO_BITS * i) : x.geometry[i];
    }

    /// @dev The window of `token` with geometry `geo`: period (32) ‖ kind (8) ‖ start (32).
    function _windowAt(uint176 keyId, address token, uint256 geo) internal pure returns (bytes32) {
        return WordHash.hash(keyId, uint160(token), uint8(geo >> 32), uint32(geo), uint32(geo >> 40));
    }

    function _windowKey(uint176 keyId, SpendLimit memory s) internal pure returns (bytes32) {
        return _windowAt(keyId, s.token, _geo(s));
    }

    /// @dev What the window of `token` with geometry `geo` holds now: SlidingWindow.used or
    /// FixedWindow.used on its state (_windowAt's key), written out by hand as postCheck's
    /// _countSpends writes them (via-IR's library calls and struct reads were about 770 gas on every
    /// limited keyed execution, in preCheck's common case). The same words read, the same Panic
    /// (0x12) for a period of 0; test/unit/WordHash.t.sol fuzzes it against the libraries
    /// (testFuzz_UsedAt_AsTheLibraries).
    function _usedAt(uint176 keyId, address token, uint256 geo) internal view returns (uint256 used) {
        uint256 slidingSlot;
        uint256 fixedSlot;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            slidingSlot := _sliding.slot
            fixedSlot := _fixed.slot
        }
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m96 := 0xffffffffffffffffffffffff
            let period := and(geo, 0xffffffff)
            let kind := and(shr(32, geo), 0xff)
            let start := and(shr(40, geo), 0xffffffff)
            // _windowAt: keccak(keyId, token, kind, period, start), past the free memory pointer
            let m := mload(0x40)
            mstore(m, and(keyId, 0xffffffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x20), and(token, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x40), kind)
            mstore(add(m, 0x60), period)
            mstore(add(m, 0x80), start)
            mstore(0x00, keccak256(m, 0xa0))
            switch kind
            case 0 {
                // SlidingWindow.used: sum (96) ‖ current (96) ‖ head (32) ‖ live (32) from the low
                // bits, then the ring of 25 uint128 amounts, two per slot from slot + 1
                mstore(0x20, slidingSlot)
                let slot := keccak256(0x00, 0x40)
                let word := sload(slot)
                // width(period) = ceil(period / 24): 0 for a period of 0, a division by zero
                let width := div(add(period, 23), 24)
                if iszero(width) {
                    mstore(0x00, 0x4e487b71)
                    mstore(0x20, 0x12)
                    revert(0x1c, 0x24)
                }
                let n := div(timestamp(), width)
                let head := and(shr(192, word), 0xffffffff)
                switch gt(n, head)
                case 0 { used := add(and(word, m96), and(shr(96, word), m96)) }
                default {
                    if iszero(gt(sub(n, head), 24)) {
                        used := and(shr(96, word), m96)
                        let live := shr(224, word)
                        let k := 0
                        if iszero(lt(head, 24)) { k := sub(head, 24) }
                        for {} lt(k, head) { k := add(k, 1) } {
                            if iszero(lt(add(k, 24), n)) {
                                let i := mod(k, 25)
                                if and(live, shl(i, 1)) {
                                    let e := shr(shl(7, and(i, 1)), sload(add(add(slot, 1), shr(1, i))))
                                    used := add(used, and(e, 0xffffffffffffffffffffffffffffffff))
                                }
                            }
                        }
                    }
                }
            }
            default {
                // FixedWindow.used: 0 before `start`, else `spent` (96) when its `index` (64) is the
                // current period's, (now - start) / period + 1
                if iszero(lt(timestamp(), start)) {
                    mstore(0x20, fixedSlot)
                    let word := sload(keccak256(0x00, 0x40))
                    if iszero(period) {
                        mstore(0x00, 0x4e487b71)
                        mstore(0x20, 0x12)
                        revert(0x1c, 0x24)
                    }
                    let index := add(div(sub(timestamp(), start), period), 1)
                    used := mul(and(word, m96), eq(and(shr(96, word), 0xffffffffffffffff), index))
                }
            }
        }
    }

    function _addAt(uint176 keyId, address token, uint256 geo, uint256 amount, uint256 limit)
        internal
        returns (uint256)
    {
        if (amount > type(uint96).max) revert SpendLimitExceeded(keyId, token, 0, amount, limit);
        bytes32 k = _windowAt(keyId, token, geo);
        return uint8(geo >> 32) == uint8(PeriodKind.Sliding)
            ? _sliding[k].add(uint32(geo), block.timestamp, amount)
            : _fixed[k].add(uint32(geo >> 40), uint32(geo), block.timestamp, amount);
    }

    /// @dev The geometry word of a spend limit (as the header and `geometry` hold it).
    function _geo(SpendLimit memory s) internal pure returns (uint256) {
        return uint256(s.period) | (uint256(uint8(s.kind)) << 32) | (uint256(s.start) << 40);
    }

    function _used(uint176 keyId, SpendLimit memory s) internal view returns (uint256) {
        return _usedAt(keyId, s.token, _geo(s));
    }

    function _addSpend(uint176 keyId, SpendLimit memory s, uint256 amount) internal returns (uint256) {
        return _addAt(keyId, s.token, _geo(s), amount, s.limit);
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
        if (p.calls.length > CAP_CALLS) revert InvalidPolicy("too many calls");
        if (p.spends.length > CAP_SPENDS) revert InvalidPolicy("too many spend limits");
        if (p.customs.length > CAP_CUSTOMS) revert InvalidPolicy("too many custom policies");
        if (p.conditions.length > CAP_CONDITIONS) revert InvalidPolicy("too many argument conditions");
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

    /// @dev The account's pending-state transient slots: `base` is the guard word (bit 255 set while a
    /// key executes on the account; see G_WORDS), then the fields at the P_* offsets.
    /// keccak256(account ‖ seed) + n: associated with the account.
    function _pendingSlot(address account) internal pure returns (uint256) {
        return uint256(WordHash.hash(uint160(account), uint256(GUARD_SEED)));
    }

    /// @dev keccak256(account ‖ execHash): associated with the account (ERC-7562); slot + 1 holds
    /// the signer. The count allows two identical calldatas of one account in one bundle.
    function _ticketSlot(address account, bytes32 execHash) internal pure returns (uint256) {
        return uint256(WordHash.hash(uint160(account), uint256(execHash)));
    }

    /// @dev The guard word's count of the account's keyed ops validated and not executed yet is 0.
    function _requireNoKeyedOpPending(address account) internal view {
        if (_tload(_pendingSlot(account)) & OUT_MASK != 0) revert KeyedOpPending(account);
    }

    /// @dev Takes the ticket FunctorValidator's validation left for this calldata; returns its signer.
    function _takeTicket(address account, bytes32 execHash) internal returns (bytes32) {
        uint256 slot = _ticketSlot(account, execHash);
        uint256 count = _tload(slot);
        if (count == 0) revert NoTicket(account);
        _tstore(slot, count - 1);
        // the guard word's count of ops pending is at least this ticket's (raised with it)
        uint256 guard = _pendingSlot(account);
        _tstore(guard, _tload(guard) - OUT_ONE);
        return bytes32(_tload(slot + 1));
    }

    /// @dev Sets CONFIG_WRITTEN in the calling account's guard word (FunctorPolicyConfig's writers).
    function _markConfigWritten() internal {
        uint256 slot = _pendingSlot(msg.sender);
        _tstore(slot, _tload(slot) | CONFIG_WRITTEN);
    }

    function _requireNotExecuting(address account) internal view {
        if (_tload(_pendingSlot(account)) >> 255 != 0) revert KeyExecutionInProgress(account);
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
}
