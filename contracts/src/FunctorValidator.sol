// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// solhint does not read foundry.toml remappings (account-abstraction/); forge build checks this import
// solhint-disable-next-line import-path-check
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {
    IERC7579Validator,
    IERC7579AccountExecutor,
    MODULE_TYPE_VALIDATOR,
    MODULE_TYPE_EXECUTOR
} from "./interfaces/IERC7579Module.sol";
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
/// @notice ERC-7579 validator (type 1) for session keys held in the KeyStore: answers *who signed*.
///
/// A UserOp it accepts has callData `execute(mode, data)` (on Kernel: `executeUserOp` followed by
/// it) in canonical ABI layout, whose mode is a Functor mode carrying the keyId, single or batch,
/// default exec type. The signature is `0x00 ‖ ecdsa(65)` over the EIP-191 hash of the userOpHash, or
/// `0x01 ‖ r ‖ s ‖ x ‖ y` (P-256 over the userOpHash itself, through the 0x100 precompile).
///
/// Dangers, first:
/// - Everything read here is account-associated storage (ERC-7562): the KeyStore's per-account
///   copies and the hook's per-account configuration. No TIMESTAMP/NUMBER: time limits go out as
///   `validAfter`/`validUntil`.
/// - A revoked, expired or unknown key, a disallowed call and gas above the key's caps fail HERE,
///   in validation: a UserOp that fails in execution still costs the account gas (DESIGN 2.1).
/// - ERC-1271 is always refused: a session key must never sign for the account.
/// - Deployed with FunctorPolicyHook by FunctorDeployer, so the two know each other immutably.
///
/// It is also the ERC-7710 path (contracts/README.md, "ERC-7710"): installed as an executor with the
/// address of the DelegationManager the account trusts, it is the root delegator and the caveat
/// enforcer of every Functor delegation, and turns a redemption into a keyed
/// `executeFromExecutor` that the hook checks as it checks a UserOp's `execute`.
contract FunctorValidator is IERC7579Validator {
    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 internal constant SIG_VALIDATION_FAILED = 1;
    /// @dev MetaMask Delegation Framework's EIP-712 types and constants (DelegationManager).
    bytes32 internal constant DELEGATION_TYPEHASH = keccak256(
        "Delegation(address delegate,address delegator,bytes32 authority,Caveat[] caveats,uint256 salt)Caveat(address enforcer,bytes terms)"
    );
    bytes32 internal constant CAVEAT_TYPEHASH = keccak256("Caveat(address enforcer,bytes terms)");
    bytes32 internal constant ROOT_AUTHORITY = bytes32(type(uint256).max);
    address internal constant ANY_DELEGATE = address(0xa11);
    uint8 internal constant SIG_ECDSA = 0x00;
    uint8 internal constant SIG_P256 = 0x01;
    address internal constant P256_VERIFY = address(0x100);
    /// @dev Gas for each probe of the account's hook wiring (a view).
    uint256 internal constant PROBE_GAS = 30_000;

    /*//////////////////////////////////////////////////////////////
                                  ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @dev The validator was called by someone other than the UserOp's sender.
    error NotSender(address caller, address sender);
    /// @dev The UserOp's execution mode is not a Functor mode (no keyId bound).
    error NotFunctorMode(bytes32 mode);
    /// @dev The keyId is not enabled on the account (1: enabled, 0: never or disabled, 2: revoked).
    error KeyNotActive(uint176 keyId, uint8 state);
    /// @dev maxFeePerGas above the key's cap.
    error GasFeeTooHigh(uint256 maxFeePerGas, uint256 cap);
    /// @dev The op's maximum cost (all gas limits x maxFeePerGas, in wei) above the key's cap.
    error OpCostTooHigh(uint256 cost, uint256 cap);
    /// @dev The op's maximum cost would exceed the key's gas budget on this account.
    error GasBudgetExceeded(uint256 spent, uint256 cost, uint256 budget);
    /// @dev A paymaster the key may not use.
    error PaymasterNotAllowed(address paymaster);
    /// @dev The op's nonce key is not the key's lane on this validator (see _isLane).
    error WrongNonceKey(uint192 key);
    /// @dev The key has used every op its grant allows on this account (nonce sequence >= ceiling).
    error OpCeilingReached(uint256 sequence, uint256 ceiling);
    /// @dev Executor install data must be abi.encode(delegationManager), a nonzero address.
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

    /// @dev The validator was installed on an account.
    event Installed(address indexed account);
    /// @dev The validator was uninstalled from an account.
    event Uninstalled(address indexed account);
    /// @dev The account set (or, with zero, removed) the DelegationManager it trusts for ERC-7710.
    event DelegationManagerSet(address indexed account, address delegationManager);

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    KeyStore internal immutable _keyStore;
    IFunctorPolicyCheck internal immutable _hook;
    address public immutable entryPoint;

    mapping(address account => bool) internal _installed;
    /// @notice Wei of maximum op cost debited from each (keyId, account)'s gas budget.
    mapping(uint176 keyId => mapping(address account => uint256)) public gasSpent;
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

    /// @notice The FunctorPolicyHook this validator works with. Named for its selector (0xa5432a9f),
    /// which sorts after validateUserOp's (0x97003203): via-IR's dispatcher compares selectors one by
    /// one in ascending order, and a getter placed before validateUserOp cost every keyed op 22 gas.
    function policyHook() external view returns (IFunctorPolicyCheck) {
        return _hook;
    }

    /// @notice The KeyStore (selector 0x974fbd4d, after validateUserOp's for the same reason).
    function keyStoreAddress() external view returns (KeyStore) {
        return _keyStore;
    }

    /*//////////////////////////////////////////////////////////////
                                  CONFIG
    //////////////////////////////////////////////////////////////*/

    /// @dev As a validator the install data is empty; as an executor it is
    /// abi.encode(delegationManager): ERC-7579 does not tell a module which type it is installed as.
    function onInstall(bytes calldata data) external {
        if (data.length == 0) {
            _installed[msg.sender] = true;
            emit Installed(msg.sender);
            return;
        }
        if (data.length != 32 || uint256(bytes32(data)) >> 160 != 0 || bytes32(data) == 0) revert BadInstallData();
        address dm = address(bytes20(data[12:32]));
        delegationManagerOf[msg.sender] = dm;
        emit DelegationManagerSet(msg.sender, dm);
    }

    /// @dev Empty data uninstalls the validator; any other data the executor (the ERC-7710 path).
    function onUninstall(bytes calldata data) external {
        if (data.length == 0) {
            delete _installed[msg.sender];
            emit Uninstalled(msg.sender);
            return;
        }
        delete delegationManagerOf[msg.sender];
        emit DelegationManagerSet(msg.sender, address(0));
    }

    function isInitialized(address account) external view returns (bool) {
        return _installed[account];
    }

    /*//////////////////////////////////////////////////////////////
                                   LOGIC
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC7579Validator
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

        (uint8 state, bool signerOk) = LeanCalls.authorizedStateOf(_keyStore, keyId, account, signer);
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
        (uint256 word, uint256 extra) = _checkCallsInValidation(msg.sender, keyId, mode, data, execHash, signer);
        if (!_gasFits(op, keyId, word, extra)) _checkGas(op, keyId, msg.sender, word, extra);
        (uint8 state, bool signerOk) = LeanCalls.authorizedStateOf(_keyStore, keyId, msg.sender, signer);
        if (state != 1) revert KeyNotActive(keyId, state);
        result = (signerOk ? 0 : SIG_VALIDATION_FAILED) | (uint256(ValidationWord.validUntil(word)) << 160)
            | (uint256(ValidationWord.validAfter(word)) << 208);
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
            fits := and(isLane, lt(and(nonce, 0xffffffffffffffff), shr(224, word)))
            let feeCap := and(shr(104, word), 0xffffffffffff)
            // with pvg < 2^128 the gas is under 2^130, and with fee <= feeCap < 2^48 the cost under 2^178
            fits := and(fits, and(lt(pvg, shl(128, 1)), iszero(gt(fee, feeCap))))
            let cost := mul(add(add(shr(128, agl), and(agl, m128)), pvg), fee)
            fits := and(fits, and(iszero(gt(cost, and(shr(152, word), 0xffffffffffffffffff))), iszero(and(extra, 0xffffffffffffffffffffffff))))
        }
    }

    /// @notice Session keys never sign for the account (ERC-1271): always invalid.
    function isValidSignatureWithSender(address, bytes32, bytes calldata) external pure returns (bytes4) {
        return 0xffffffff;
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
        (word, extra) = _checkCallsInValidation(account, keyId, mode, data, keccak256(cd), signer);
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
            uint256 spent = gasSpent[keyId][account];
            if (spent + cost > budget) revert GasBudgetExceeded(spent, cost, budget);
            gasSpent[keyId][account] = spent + cost;
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

    /*//////////////////////////////////////////////////////////////
                                 METADATA
    //////////////////////////////////////////////////////////////*/

    /// @dev No `name()` or `version()`: nothing reads them, and via-IR's dispatcher compares selectors
    /// one at a time in ascending order, so both (0x06fdde03, 0x54fd4d50) cost every UserOp a
    /// comparison before `validateUserOp` (0x97003203).
    function isModuleType(uint256 typeId) external pure returns (bool) {
        return typeId == MODULE_TYPE_VALIDATOR || typeId == MODULE_TYPE_EXECUTOR;
    }
}
