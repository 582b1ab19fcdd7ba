// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7579Module, IERC7579AccountExecutor, MODULE_TYPE_EXECUTOR} from "./interfaces/IERC7579Module.sol";
import {KeyStore} from "./KeyStore.sol";
import {FunctorMode} from "./lib/FunctorMode.sol";
import {ExecutionParser} from "./lib/ExecutionParser.sol";
import {ValidationWord} from "./lib/ValidationWord.sol";
import {LeanCalls} from "./lib/LeanCalls.sol";
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

interface IDelegationManagerDomain {
    function getDomainHash() external view returns (bytes32);
}

interface IFunctorPolicyCheck {
    /// @dev Its arguments follow the selector as fixed words (src/lib/ValidationCheck.sol), written
    /// by _checkCallsInValidation: no ABI encoding.
    function checkCallsWhenValidating() external payable returns (uint256 word, uint256 extra);
}

/// @title FunctorValidator
/// @notice The ERC-7710 path (contracts/README.md, "ERC-7710"), an ERC-7579 executor (type 2):
/// installed on an account with the address of the DelegationManager it trusts, it is the root
/// delegator and the caveat enforcer of every Functor delegation, and turns a redemption into a
/// keyed `executeFromExecutor` that FunctorPolicyHook checks as it checks a UserOp's `execute`.
///
/// It keeps its name from before the merge, when it was also the UserOp validator: since
/// (contracts/README.md, "One module for validator and hook") FunctorPolicyHook validates UserOps
/// itself (FunctorUserOpValidation), and this contract validates none. It answers only
/// `isModuleType(2)` and refuses an install without a DelegationManager, so no account can route a
/// UserOp to it: a key has one lane per account, on the module.
///
/// Dangers, first:
/// - A redemption is checked like a UserOp, at redemption time: the key active in the KeyStore, the
///   redeemer one of its signers, the hook guarding the account, the calls under the key's static
///   policies (the hook's checkCallsWhenValidating, which only this contract may call), the key's
///   time bounds; the hook's preCheck and postCheck then count and record it.
/// - ERC-1271 (`isValidSignature`) answers only for a Functor delegation's own shape (see there).
/// - Deployed with FunctorPolicyHook by FunctorDeployer, so the two know each other immutably.
contract FunctorValidator is IERC7579Module {
    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @dev MetaMask Delegation Framework's EIP-712 types and constants (DelegationManager).
    bytes32 internal constant DELEGATION_TYPEHASH = keccak256(
        "Delegation(address delegate,address delegator,bytes32 authority,Caveat[] caveats,uint256 salt)Caveat(address enforcer,bytes terms)"
    );
    bytes32 internal constant CAVEAT_TYPEHASH = keccak256("Caveat(address enforcer,bytes terms)");
    bytes32 internal constant ROOT_AUTHORITY = bytes32(type(uint256).max);
    address internal constant ANY_DELEGATE = address(0xa11);
    /// @dev Gas for each probe of the account's hook wiring (a view).
    uint256 internal constant PROBE_GAS = 30_000;

    /*//////////////////////////////////////////////////////////////
                                  ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @dev The keyId is not enabled on the account (1: enabled, 0: never or disabled, 2: revoked).
    error KeyNotActive(uint176 keyId, uint8 state);
    /// @dev Install data must be abi.encode(delegationManager), a nonzero address (an executor's).
    error BadInstallData();
    /// @dev A redemption step not called by the DelegationManager the account trusts (none: zero).
    error UntrustedDelegationManager(address caller, address trusted);
    /// @dev The Functor caveat is on a delegation whose delegator is not this contract.
    error NotFunctorDelegation(address delegator);
    /// @dev The caveat's terms are not abi.encode(address account, uint176 keyId).
    error BadTerms();
    /// @dev The redeemer is not a signer of the key on the account (a stranger, a redelegate, a
    /// rotated-out signer).
    error NotKeySigner(uint176 keyId, address redeemer);
    /// @dev An execution the Functor caveat did not arm just before (or a second one).
    error NotArmed();
    /// @dev Only single and batch calls with the default exec type are redeemed.
    error UnsupportedMode(bytes32 mode);
    /// @dev The account would run the execution without FunctorPolicyHook in front of it.
    error HookNotGuarding(address account);
    /// @dev A redemption before the key's start (the hook's error, raised here so that an account
    /// which wraps the hook's reverts, as Safe7579 does, cannot hide it).
    error KeyNotYetValid(uint176 keyId, uint256 validAfter);
    /// @dev A redemption after the key's expiry (see KeyNotYetValid).
    error KeyExpired(uint176 keyId, uint256 validUntil);

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @dev The account set (or, with zero, removed) the DelegationManager it trusts for ERC-7710.
    event DelegationManagerSet(address indexed account, address delegationManager);

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    KeyStore internal immutable _keyStore;
    IFunctorPolicyCheck internal immutable _hook;
    address public immutable entryPoint;

    /// @notice The DelegationManager each account trusts to redeem its keys' delegations (set when
    /// this module is installed on it as an executor; zero: no ERC-7710 path on that account).
    mapping(address account => address) public delegationManagerOf;

    /// @dev The redemption the Functor caveat armed for the execution that follows it in the same
    /// `redeemDelegations` (the DelegationManager runs a batch's beforeHooks, then its execution).
    bytes32 private transient _armedCall;
    address private transient _armedAccount;
    uint176 private transient _armedKeyId;
    address private transient _armedRedeemer;

    constructor(KeyStore keyStore_, address entryPoint_, address hook_) {
        _keyStore = keyStore_;
        entryPoint = entryPoint_;
        _hook = IFunctorPolicyCheck(hook_);
    }

    /// @notice The FunctorPolicyHook this executor works with.
    function policyHook() external view returns (IFunctorPolicyCheck) {
        return _hook;
    }

    /// @notice The KeyStore.
    function keyStoreAddress() external view returns (KeyStore) {
        return _keyStore;
    }

    /*//////////////////////////////////////////////////////////////
                                  CONFIG
    //////////////////////////////////////////////////////////////*/

    /// @dev The data is abi.encode(delegationManager): this module is only ever an executor. Empty
    /// data, what an install as a validator would send, is refused (no lane for UserOps here).
    function onInstall(bytes calldata data) external {
        if (data.length != 32 || uint256(bytes32(data)) >> 160 != 0 || bytes32(data) == 0) revert BadInstallData();
        address dm = address(bytes20(data[12:32]));
        delegationManagerOf[msg.sender] = dm;
        emit DelegationManagerSet(msg.sender, dm);
    }

    /// @dev Closes the account's ERC-7710 path, whatever the data.
    function onUninstall(bytes calldata) external {
        delete delegationManagerOf[msg.sender];
        emit DelegationManagerSet(msg.sender, address(0));
    }

    /// @notice Whether the account has this executor installed (it trusts a DelegationManager).
    function isInitialized(address account) external view returns (bool) {
        return delegationManagerOf[account] != address(0);
    }

    /*//////////////////////////////////////////////////////////////
                       ERC-7710: REDEMPTION (DESIGN 2.3)
    //////////////////////////////////////////////////////////////*/

    /// @notice A Functor delegation's "signature" check, called by the DelegationManager because
    /// this contract is its delegator. Nothing is signed: the authority is the onchain grant, checked
    /// at redemption. What this pins is the delegation's shape, so a context cannot be stretched:
    /// delegate ANY (the key's current signer redeems, so rotation needs no new context), this
    /// contract as delegator, root authority, exactly one caveat (this contract, `terms`), salt 0.
    /// `signature` is the terms. Another caveat added or the Functor caveat stripped changes the hash.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        bytes32 caveats = keccak256(abi.encode(keccak256(abi.encode(CAVEAT_TYPEHASH, address(this), keccak256(signature)))));
        bytes32 structHash =
            keccak256(abi.encode(DELEGATION_TYPEHASH, ANY_DELEGATE, address(this), ROOT_AUTHORITY, caveats, uint256(0)));
        bytes32 domain = IDelegationManagerDomain(msg.sender).getDomainHash();
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash)) == hash ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }

    /// @notice The Functor caveat (ICaveatEnforcer): arms the execution that follows for the
    /// account and keyId of `terms` and the redeemer, once the DelegationManager the account trusts
    /// calls it for a delegation rooted here.
    function beforeHook(
        bytes calldata terms,
        bytes calldata,
        bytes32 mode,
        bytes calldata executionCalldata,
        bytes32,
        address delegator,
        address redeemer
    ) external {
        if (delegator != address(this)) revert NotFunctorDelegation(delegator);
        (address account, uint176 keyId) = _terms(terms);
        address dm = delegationManagerOf[account];
        if (msg.sender != dm || dm == address(0)) revert UntrustedDelegationManager(msg.sender, dm);
        _armedCall = keccak256(abi.encode(mode, executionCalldata));
        _armedAccount = account;
        _armedKeyId = keyId;
        _armedRedeemer = redeemer;
    }

    // Two hooks of ICaveatEnforcer with nothing to do (empty on purpose).
    // solhint-disable no-empty-blocks

    /// @dev Nothing to check before the whole batch: each execution is armed by its beforeHook.
    function beforeAllHook(bytes calldata, bytes calldata, bytes32, bytes calldata, bytes32, address, address)
        external
        pure
    {}

    /// @dev After its execution, the arming must be spent (it is, unless the execution was skipped).
    function afterHook(bytes calldata, bytes calldata, bytes32, bytes calldata, bytes32, address, address)
        external
        view
    {
        if (_armedAccount != address(0)) revert NotArmed();
    }

    /// @dev Nothing to check after the whole batch.
    function afterAllHook(bytes calldata, bytes calldata, bytes32, bytes calldata, bytes32, address, address)
        external
        pure
    {}

    // solhint-enable no-empty-blocks

    /// @notice The root delegator's execution (IDeleGatorCore): the DelegationManager calls it right
    /// after the Functor caveat armed it. The redeemer must be a signer of the key; the calls pass the
    /// hook's static checks (which leave its ticket, signer = the redeemer) and then run on the
    /// account as `executeFromExecutor` in a Functor mode carrying the keyId, which the hook checks
    /// and counts exactly as a UserOp's `execute`, and records with `KeyExecuted`.
    function executeFromExecutor(bytes32 mode, bytes calldata executionCalldata)
        external
        payable
        returns (bytes[] memory)
    {
        address account = _armedAccount;
        uint176 keyId = _armedKeyId;
        address redeemer = _armedRedeemer;
        if (account == address(0) || _armedCall != keccak256(abi.encode(mode, executionCalldata))) revert NotArmed();
        _armedCall = 0;
        _armedAccount = address(0);
        address dm = delegationManagerOf[account];
        if (msg.sender != dm) revert UntrustedDelegationManager(msg.sender, dm);

        // The kit sends mode 0 (single); a batch is callType 0x01. Anything else (try, delegatecall,
        // a mode selector or payload of its own) is refused.
        bytes1 callType = mode[0];
        if ((mode << 8) != 0 || (callType != FunctorMode.CALLTYPE_SINGLE && callType != FunctorMode.CALLTYPE_BATCH)) {
            revert UnsupportedMode(mode);
        }
        bytes memory call = abi.encodeCall(
            IERC7579AccountExecutor.executeFromExecutor, (FunctorMode.encode(callType, keyId), executionCalldata)
        );
        bytes32 signer = bytes32(uint256(uint160(redeemer)));
        (uint8 state, bool signerOk) = LeanCalls.authorizedStateOf(_keyStore, keyId, account, signer);
        if (state != 1) revert KeyNotActive(keyId, state);
        if (!signerOk) revert NotKeySigner(keyId, redeemer);
        if (!_hookGuards(account)) revert HookNotGuarding(account);
        _strict(callType, executionCalldata);
        (uint256 word,) = _checkCallsInValidation(account, keyId, mode, executionCalldata, keccak256(call), signer);
        uint256 validAfter = ValidationWord.validAfter(word);
        uint256 validUntil = ValidationWord.validUntil(word);
        if (block.timestamp < validAfter) revert KeyNotYetValid(keyId, validAfter);
        if (validUntil != 0 && block.timestamp > validUntil) revert KeyExpired(keyId, validUntil);
        return IERC7579AccountExecutor(account).executeFromExecutor(FunctorMode.encode(callType, keyId), executionCalldata);
    }

    /*//////////////////////////////////////////////////////////////
                                 INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Refuses a batch whose layout is not the canonical one: it must re-encode to exactly its
    /// bytes (no aliasing offsets, no dirty padding). The hook then reads the calls in place (and
    /// refuses a single call too short to hold a target and a value).
    function _strict(bytes1 callType, bytes calldata data) internal pure {
        if (callType == FunctorMode.CALLTYPE_BATCH) ExecutionParser.strictBatch(data);
    }

    /// @dev abi.encode(address account, uint176 keyId), canonically (no dirty high bits).
    function _terms(bytes calldata terms) internal pure returns (address account, uint176 keyId) {
        if (terms.length != 64) revert BadTerms();
        uint256 a = uint256(bytes32(terms[:32]));
        uint256 k = uint256(bytes32(terms[32:]));
        if (a >> 160 != 0 || a == 0 || k >> 176 != 0 || k == 0) revert BadTerms();
        return (address(uint160(a)), uint176(k));
    }

    /// @dev Whether FunctorPolicyHook runs in front of this executor's calls on the account: Nexus and
    /// Safe7579 have one global hook (`getActiveHook`), Kernel v3.1 names a hook per executor
    /// (`executorConfig`). An account that answers neither is refused.
    /// Each probe gets PROBE_GAS: an account's fallback for a selector it lacks may burn all the gas
    /// it is given (an INVALID opcode), which would make every redemption cost a block's worth.
    function _hookGuards(address account) internal view returns (bool) {
        (bool ok, bytes memory ret) = account.staticcall{gas: PROBE_GAS}(abi.encodeWithSelector(0x0a664dba));
        if (!ok || ret.length != 32) {
            (ok, ret) = account.staticcall{gas: PROBE_GAS}(abi.encodeWithSelector(0x721e67f4, address(this)));
        }
        return ok && ret.length == 32 && abi.decode(ret, (address)) == address(_hook);
    }

    /// @dev `hook.checkCallsWhenValidating()` with (account, keyId, mode, data, execHash, signer) in
    /// ValidationCheck's layout (fixed words, then `data`'s length and bytes, no ABI offset and no
    /// padding), for a UserOp and for a redemption: written at the free memory pointer (not
    /// advanced), the two words back in scratch; a revert is passed on as it is, a short answer
    /// refused as the decoder would.
    function _checkCallsInValidation(
        address account,
        uint176 keyId,
        bytes32 mode,
        bytes calldata data,
        bytes32 execHash,
        bytes32 signer
    ) internal returns (uint256 word, uint256 extra) {
        address target = address(_hook);
        bytes4 selector = IFunctorPolicyCheck.checkCallsWhenValidating.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, selector)
            mstore(add(m, CHECK_ACCOUNT), account)
            mstore(add(m, CHECK_KEY_ID), keyId)
            mstore(add(m, CHECK_MODE), mode)
            mstore(add(m, CHECK_EXEC_HASH), execHash)
            mstore(add(m, CHECK_SIGNER), signer)
            mstore(add(m, CHECK_DATA_LENGTH), data.length)
            calldatacopy(add(m, CHECK_DATA), data.offset, data.length)
            if iszero(call(gas(), target, 0, m, add(CHECK_DATA, data.length), 0x00, 0x40)) {
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
            if lt(returndatasize(), 0x40) { revert(0, 0) }
            word := mload(0x00)
            extra := mload(0x20)
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 METADATA
    //////////////////////////////////////////////////////////////*/

    /// @dev An executor only (see the title).
    function isModuleType(uint256 typeId) external pure returns (bool) {
        return typeId == MODULE_TYPE_EXECUTOR;
    }
}
