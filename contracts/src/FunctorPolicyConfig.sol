// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {KeyStore} from "./KeyStore.sol";
import {MODULE_TYPE_VALIDATOR, MODULE_TYPE_HOOK} from "./interfaces/IERC7579Module.sol";
import {FunctorPolicyHook} from "./FunctorPolicyHook.sol";
import {ExecutionParser} from "./lib/ExecutionParser.sol";
import {FunctorHookCode} from "./FunctorHookCode.sol";
import {SlidingWindow, FixedWindow} from "./lib/SpendWindow.sol";
import {
    ANY_SELECTOR,
    ANY_TARGET,
    ArgCondition,
    ArgOp,
    CallPermission,
    GasPolicy,
    NATIVE_TOKEN,
    Policies,
    RateLimit,
    SpendLimit,
    PeriodKind,
    ValidationConfig
} from "./lib/PolicyTypes.sol";

/// @title FunctorPolicyConfig
/// @notice The configuration code of FunctorPolicyHook: setting a key's policies on the calling
/// account and reading them back, and the hook's ERC-7579 module functions (install, metadata). It
/// has no storage of its own that matters: FunctorPolicyHook runs this code through DELEGATECALL
/// from its fallback, on the hook's storage with the account as msg.sender. Called directly, every
/// function reverts (`NotThroughHook`), so no event or state of this address can be taken for the
/// hook's. Deployed through the CREATE2 factory with only the KeyStore and the EntryPoint as
/// arguments (what the hook holds besides is the hook's to answer), so its address is known before
/// the FunctorDeployer's, which passes it to the hook.
contract FunctorPolicyConfig is FunctorHookCode {
    using SlidingWindow for SlidingWindow.State;
    using FixedWindow for FixedWindow.State;

    /// @notice The most a key's policies may hold. Answered here, not by the hook's own code: each
    /// external function of the hook is one more selector compared before preCheck's and
    /// postCheck's in the dispatcher (via-IR compares selectors one by one, in ascending order).
    uint256 public constant MAX_CALLS = CAP_CALLS;
    uint256 public constant MAX_SPENDS = CAP_SPENDS;
    uint256 public constant MAX_CUSTOMS = CAP_CUSTOMS;
    uint256 public constant MAX_CONDITIONS = CAP_CONDITIONS;
    uint256 public constant MAX_CONDITIONS_PER_CALL = CAP_CONDITIONS_PER_CALL;
    uint256 public constant MAX_ONE_OF = CAP_ONE_OF;

    constructor(KeyStore keyStoreCode_, address entryPoint_) FunctorHookCode(keyStoreCode_, entryPoint_) {}

    /// @notice This configuration code's address: the hook's getter, answered here for the reason
    /// MAX_CALLS gives (as keyStore() and entryPoint(), FunctorHookCode's).
    function config() external view returns (address) {
        return _self;
    }

    /// @notice Every other selector is the KeyStore's: its code (KeyStore) run on the hook's storage,
    /// the caller still msg.sender, through the hook's fallback and this one (two DELEGATECALLs: the
    /// hook's storage holds the KeyStore's, KeyStoreState). Not at this code's own address
    /// (throughHook). Its answer or revert comes back as is.
    // solhint-disable-next-line no-complex-fallback, payable-fallback
    fallback() external throughHook {
        address target = _keyStoreCode;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            calldatacopy(m, 0, calldatasize())
            let ok := delegatecall(gas(), target, m, calldatasize(), 0, 0)
            returndatacopy(m, 0, returndatasize())
            if iszero(ok) { revert(m, returndatasize()) }
            return(m, returndatasize())
        }
    }

    /// @dev Run on the hook (throughHook), so the hook answers: its immutable validator.
    function _validatorAddress() internal view override returns (address) {
        return address(FunctorPolicyHook(address(this)).functorValidator());
    }

    /*//////////////////////////////////////////////////////////////
                                  CONFIG
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets (or replaces) the policies of `keyId` on the calling account. Counters are kept:
    /// an edit never resets what was spent.
    /// Only an account the key is enabled on in the KeyStore (with the controller's consent) may:
    /// the key's windows are shared by its accounts, and a policy edit migrates them.
    function setPolicies(uint176 keyId, Policies calldata p) external throughHook {
        _markConfigWritten();
        address account = msg.sender;
        uint256 epoch = _epoch(account);
        uint8 state = _grantState(keyId, account);
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
        // an entry whose target is the only limit's token carries the limit (ENTRY_LIMIT); never
        // for native value's limit (address 0, which is also the wildcard target)
        address limited = p.spends.length == 1 ? p.spends[0].token : NATIVE_TOKEN;
        uint256 withLimit = limited == NATIVE_TOKEN
            ? 0
            : header | ENTRY_ALLOWED | ENTRY_LIMIT | (uint256(p.spends[0].limit) << ENTRY_LIMIT_SHIFT);
        for (uint256 i; i < p.calls.length; ++i) {
            CallPermission calldata cp = p.calls[i];
            _allowed[_callKey(keyId, epoch, cp.target, cp.selector)][account] =
                withLimit != 0 && cp.target == limited ? withLimit : header | ENTRY_ALLOWED;
        }
        _writeConditions(account, keyId, epoch, p.conditions);
        for (uint256 i; i < p.customs.length; ++i) {
            x.customs[i] = p.customs[i];
        }
        emit PoliciesSet(account, keyId);
    }

    /// @notice Removes the policies of `keyId` on the calling account: the key can do nothing here.
    function clearPolicies(uint176 keyId) external throughHook {
        _markConfigWritten();
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
                                   READS
    //////////////////////////////////////////////////////////////*/

    /// @notice The policies of a keyId on an account (empty when none).
    function policiesOf(address account, uint176 keyId) external view throughHook returns (Policies memory p) {
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
        p.conditions = _conditionsOf(account, keyId, epoch, x.calls);
    }

    /// @notice Usage of each spend limit in its current window, and when a fixed period resets
    /// (0 for sliding windows, which free up continuously).
    function spendUsage(address account, uint176 keyId)
        external
        view
        throughHook
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
    function rateUsage(address account, uint176 keyId) external view throughHook returns (uint256 used, uint256 max) {
        RateLimit memory r = _rate(_xcfg[_execKey(account, keyId, _install[account] >> 1)]);
        if (r.maxCalls == 0) return (0, 0);
        return (_sliding[_rateKey(keyId, r.period)].used(r.period, block.timestamp), r.maxCalls);
    }

    /// @notice Is `target.selector` allowed for keyId on account (ignoring time and spend)?
    function isCallAllowed(address account, uint176 keyId, address target, bytes4 selector)
        external
        view
        throughHook
        returns (bool)
    {
        uint256 epoch = _install[account] >> 1;
        return !_forbidden(account, target) && _isAllowed(account, keyId, epoch, target, selector);
    }

    /// @notice Runs the static checks validation runs on one call (allowed, not forbidden, its
    /// argument conditions) and reverts with the same error, or returns. For clients whose account
    /// does not pass the hook's revert data through (Safe7579 turns it into ExecutionFailed()): the
    /// reason comes from the hook's own rules, not from a copy of them.
    function explainCall(address account, uint176 keyId, address target, bytes calldata data)
        external
        view
        throughHook
    {
        uint256 epoch = _install[account] >> 1;
        bytes4 selector = ExecutionParser.selectorOf(target, data);
        (uint256 entry,) = _checkCall(account, keyId, epoch, target, selector);
        if (entry & ENTRY_CONDITIONS != 0) _checkConditions(account, keyId, epoch, target, selector, data);
    }

    /*//////////////////////////////////////////////////////////////
                            ARGUMENT CONDITIONS
    //////////////////////////////////////////////////////////////*/

    /// @dev Writes the conditions, one exact call's group at a time (adjacent in the list), after
    /// the new configuration's entries: each group raises its call's generation (so no value of an
    /// earlier configuration is read again) and marks its entry with ENTRY_CONDITIONS.
    function _writeConditions(address account, uint176 keyId, uint256 epoch, ArgCondition[] calldata conds) internal {
        uint256 i;
        while (i < conds.length) {
            ArgCondition calldata first = conds[i];
            if (first.target == ANY_TARGET || first.selector == ANY_SELECTOR || first.selector == bytes4(0)) {
                revert InvalidPolicy("a condition needs an exact target and selector");
            }
            bytes32 key = _callKey(keyId, epoch, first.target, first.selector);
            uint256 entry = _allowed[key][account];
            if (entry == 0) revert InvalidPolicy("a condition on a call the key may not make");
            if (entry & ENTRY_CONDITIONS != 0) revert InvalidPolicy("conditions of one call must be adjacent");
            uint256 gen = uint32(_conds[key][account] >> 8) + 1;
            uint256 w = gen << 8;
            uint256 n;
            for (; i < conds.length && conds[i].target == first.target && conds[i].selector == first.selector; ++i) {
                ArgCondition calldata c = conds[i];
                if (n == CAP_CONDITIONS_PER_CALL) revert InvalidPolicy("too many conditions on one call");
                uint256 nv = c.values.length;
                if (c.op == ArgOp.OneOf ? nv == 0 || nv > CAP_ONE_OF : nv != 1) {
                    revert InvalidPolicy("condition values do not fit its operator");
                }
                w |= (uint256(c.arg) | (uint256(uint8(c.op)) << 8) | (nv << 16)) << (40 + 24 * n);
                for (uint256 j; j < nv; ++j) {
                    _condValues[_condValueKey(key, gen, n, j)][account] = c.values[j];
                    if (c.op == ArgOp.OneOf) _condMembers[_condMemberKey(key, gen, n, c.values[j])][account] = true;
                }
                ++n;
            }
            _conds[key][account] = w | n;
            _allowed[key][account] = entry | ENTRY_CONDITIONS;
        }
    }

    /// @dev The conditions of a configuration, in the order of its calls.
    function _conditionsOf(address account, uint176 keyId, uint256 epoch, CallPermission[] storage calls)
        internal
        view
        returns (ArgCondition[] memory out)
    {
        uint256 total;
        for (uint256 k; k < calls.length; ++k) {
            bytes32 key = _callKey(keyId, epoch, calls[k].target, calls[k].selector);
            if (_allowed[key][account] & ENTRY_CONDITIONS != 0) total += uint8(_conds[key][account]);
        }
        out = new ArgCondition[](total);
        uint256 o;
        for (uint256 k; k < calls.length && o < total; ++k) {
            CallPermission storage call = calls[k];
            bytes32 key = _callKey(keyId, epoch, call.target, call.selector);
            if (_allowed[key][account] & ENTRY_CONDITIONS == 0) continue;
            uint256 w = _conds[key][account];
            uint256 gen = uint32(w >> 8);
            for (uint256 i; i < uint8(w); ++i) {
                uint256 d = w >> (40 + 24 * i);
                ArgCondition memory c = out[o++];
                c.target = call.target;
                c.selector = call.selector;
                c.arg = uint8(d);
                c.op = ArgOp(uint8(d >> 8));
                c.values = new bytes32[](uint8(d >> 16));
                for (uint256 j; j < c.values.length; ++j) {
                    c.values[j] = _condValues[_condValueKey(key, gen, i, j)][account];
                }
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                          INSTALL AND METADATA
    //////////////////////////////////////////////////////////////*/

    // The module's ERC-7579 functions: cold code, here so that the hook's hot paths fit its
    // 24,576 bytes (EIP-170). Through the hook's fallback they act for the calling account on the
    // hook's storage and emit from the hook's address, as if the hook had them.

    /// @dev No account says which type it installs, so the two roles' installs differ by their
    /// data: the hook role's is `0x04` (MODULE_TYPE_HOOK) and installs the module (again: nothing
    /// changes but the event); the validator role's is empty and changes nothing. Keys act only once
    /// the hook role is installed: the validator role alone would accept ops that no hook checks in
    /// execution (fail closed: validation refuses NotInstalled). Any other data is refused.
    function onInstall(bytes calldata data) external throughHook {
        if (data.length == 0) return;
        if (data.length != 1 || uint8(data[0]) != MODULE_TYPE_HOOK) revert BadInstallData();
        _markConfigWritten();
        _install[msg.sender] |= 1;
        emit Installed(msg.sender);
    }

    /// @dev Either role's uninstall voids every configuration of the account (a new epoch) and
    /// leaves the module uninstalled for its other role too: Kernel's `uninstallModule(1)` runs the
    /// validator's alone, and keys must not outlive the owner's uninstall of either role.
    function onUninstall(bytes calldata) external throughHook {
        _requireNoKeyedOpPending(msg.sender);
        _markConfigWritten();
        _install[msg.sender] = ((_install[msg.sender] >> 1) + 1) << 1;
        emit Uninstalled(msg.sender);
    }

    function isInitialized(address account) external view throughHook returns (bool) {
        return _install[account] & 1 == 1;
    }

    /// @dev One module, two roles (contracts/README.md, "One module for validator and hook"): the
    /// validator (FunctorUserOpValidation) and the hook, with one install state for both. The
    /// ERC-7710 executor is FunctorValidator.
    function isModuleType(uint256 typeId) external view throughHook returns (bool) {
        return typeId == MODULE_TYPE_VALIDATOR || typeId == MODULE_TYPE_HOOK;
    }

    /// @notice Session keys never sign for the account (ERC-1271): always invalid.
    function isValidSignatureWithSender(address, bytes32, bytes calldata) external view throughHook returns (bytes4) {
        return 0xffffffff;
    }

    /// @notice Wei of maximum op cost debited from the key's gas budget on the account (validation).
    function gasSpent(uint176 keyId, address account) external view throughHook returns (uint256) {
        return _gasSpent[keyId][account];
    }

    function name() external view throughHook returns (string memory) {
        return "FunctorPolicyHook";
    }

    function version() external view throughHook returns (string memory) {
        return "0.1.0";
    }
}
