// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// solhint does not read foundry.toml remappings (account-abstraction/); forge build checks this import
// solhint-disable-next-line import-path-check
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC7579Validator, MODULE_TYPE_VALIDATOR} from "./interfaces/IERC7579Module.sol";
import {KeyStore} from "./KeyStore.sol";
import {FunctorMode} from "./lib/FunctorMode.sol";
import {Execution, ExecutionParser} from "./lib/ExecutionParser.sol";
import {ValidationConfig} from "./lib/PolicyTypes.sol";
import {LeanCalls} from "./lib/LeanCalls.sol";

interface IFunctorPolicyCheck {
    function checkValidation(
        address account,
        uint176 keyId,
        address[] calldata targets,
        bytes4[] calldata selectors,
        bytes32 execHash,
        bytes32 signer
    ) external returns (ValidationConfig memory);
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
contract FunctorValidator is IERC7579Validator {
    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 internal constant SIG_VALIDATION_FAILED = 1;
    uint8 internal constant SIG_ECDSA = 0x00;
    uint8 internal constant SIG_P256 = 0x01;
    address internal constant P256_VERIFY = address(0x100);

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

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @dev The validator was installed on an account.
    event Installed(address indexed account);
    /// @dev The validator was uninstalled from an account.
    event Uninstalled(address indexed account);

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    KeyStore public immutable keyStore;
    IFunctorPolicyCheck public immutable hook;
    address public immutable entryPoint;

    mapping(address account => bool) internal _installed;
    /// @notice Wei of maximum op cost debited from each (keyId, account)'s gas budget.
    mapping(uint176 keyId => mapping(address account => uint256)) public gasSpent;

    constructor(KeyStore keyStore_, address entryPoint_, address hook_) {
        keyStore = keyStore_;
        entryPoint = entryPoint_;
        hook = IFunctorPolicyCheck(hook_);
    }

    /*//////////////////////////////////////////////////////////////
                                  CONFIG
    //////////////////////////////////////////////////////////////*/

    function onInstall(bytes calldata) external {
        _installed[msg.sender] = true;
        emit Installed(msg.sender);
    }

    function onUninstall(bytes calldata) external {
        delete _installed[msg.sender];
        emit Uninstalled(msg.sender);
    }

    function isInitialized(address account) external view returns (bool) {
        return _installed[account];
    }

    /*//////////////////////////////////////////////////////////////
                                   LOGIC
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC7579Validator
    function validateUserOp(PackedUserOperation calldata op, bytes32 userOpHash) external payable returns (uint256) {
        address account = op.sender;
        if (msg.sender != account) revert NotSender(msg.sender, account);

        bytes calldata cd = op.callData;
        if (cd.length >= 4 && bytes4(cd[:4]) == ExecutionParser.EXECUTE_USER_OP) cd = cd[4:];
        bytes32 signer = _recover(op.signature, userOpHash);
        // The hook also leaves the ticket (calldata hash and signer) its preCheck will take.
        (uint176 keyId, ValidationConfig memory cfg) = _checkCalls(account, cd, signer);
        _checkGas(op, keyId, account, cfg);

        (uint8 state, bool signerOk) = LeanCalls.authorization(keyStore, keyId, account, signer);
        if (state != 1) revert KeyNotActive(keyId, state);
        return (signerOk ? 0 : SIG_VALIDATION_FAILED) | (uint256(cfg.validUntil) << 160)
            | (uint256(cfg.validAfter) << 208);
    }

    /// @notice Session keys never sign for the account (ERC-1271): always invalid.
    function isValidSignatureWithSender(address, bytes32, bytes calldata) external pure returns (bytes4) {
        return 0xffffffff;
    }

    /*//////////////////////////////////////////////////////////////
                                 INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Parses the execution, takes its keyId, and has the hook check every call (static
    /// policies) from account-associated storage and leave the ticket for `signer`.
    function _checkCalls(address account, bytes calldata cd, bytes32 signer)
        internal
        returns (uint176 keyId, ValidationConfig memory cfg)
    {
        (bytes32 mode, bytes calldata data) = ExecutionParser.splitExecute(cd, 0);
        if (!FunctorMode.isFunctor(mode)) revert NotFunctorMode(mode);
        keyId = FunctorMode.keyId(mode);
        address[] memory targets;
        bytes4[] memory selectors;
        // Read in place (no copy of the calls' calldata into memory).
        if (ExecutionParser.isBatch(mode)) {
            Execution[] calldata execs = ExecutionParser.strictBatch(data);
            targets = new address[](execs.length);
            selectors = new bytes4[](execs.length);
            for (uint256 i; i < execs.length; ++i) {
                Execution calldata e = execs[i];
                targets[i] = e.target;
                selectors[i] = ExecutionParser.selectorOf(e.target, e.callData);
            }
        } else {
            (address target,, bytes calldata callData) = ExecutionParser.single(data);
            targets = new address[](1);
            selectors = new bytes4[](1);
            targets[0] = target;
            selectors[0] = ExecutionParser.selectorOf(target, callData);
        }
        cfg = hook.checkValidation(account, keyId, targets, selectors, keccak256(cd), signer);
    }

    function _checkGas(PackedUserOperation calldata op, uint176 keyId, address account, ValidationConfig memory cfg)
        internal
    {
        uint256 maxFeePerGas = uint128(uint256(op.gasFees));
        uint256 gas = uint128(bytes16(op.accountGasLimits)) + uint128(uint256(op.accountGasLimits))
            + op.preVerificationGas;
        bytes calldata pmd = op.paymasterAndData;
        if (pmd.length != 0) {
            address pm = pmd.length >= 20 ? address(bytes20(pmd[:20])) : address(0);
            if (pm == address(0) || pm != cfg.paymaster || pmd.length < 52) revert PaymasterNotAllowed(pm);
            gas += uint128(bytes16(pmd[20:36])) + uint128(bytes16(pmd[36:52]));
        }
        // The total bound: every op of this key on this account runs on one nonce key (its lane),
        // whose sequence the EntryPoint raises by one per op, so the ceiling bounds the number of
        // ops, and so what they can cost, without a storage write (DESIGN 2.5).
        if (!_isLane(uint192(op.nonce >> 64), keyId)) revert WrongNonceKey(uint192(op.nonce >> 64));
        if (uint64(op.nonce) >= cfg.opCeiling) revert OpCeilingReached(uint64(op.nonce), cfg.opCeiling);
        if (maxFeePerGas > cfg.maxFeePerGas) revert GasFeeTooHigh(maxFeePerGas, cfg.maxFeePerGas);
        uint256 cost = gas * maxFeePerGas;
        if (cost > cfg.maxCostPerOp) revert OpCostTooHigh(cost, cfg.maxCostPerOp);
        if (cfg.gasBudget != 0) {
            uint256 spent = gasSpent[keyId][account];
            if (spent + cost > cfg.gasBudget) revert GasBudgetExceeded(spent, cost, cfg.gasBudget);
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

    /// @dev The signer id of a signature, or 0 when it does not verify.
    function _recover(bytes calldata sig, bytes32 userOpHash) internal view returns (bytes32) {
        if (sig.length == 66 && uint8(sig[0]) == SIG_ECDSA) {
            bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", userOpHash));
            bytes32 r = bytes32(sig[1:33]);
            bytes32 s = bytes32(sig[33:65]);
            uint8 v = uint8(sig[65]);
            // Reject malleable (high-s) signatures, as OpenZeppelin's ECDSA does.
            if (uint256(s) > 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0) return 0;
            address a = ecrecover(digest, v, r, s);
            return bytes32(uint256(uint160(a)));
        }
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

    function isModuleType(uint256 typeId) external pure returns (bool) {
        return typeId == MODULE_TYPE_VALIDATOR;
    }

    function name() external pure returns (string memory) {
        return "FunctorValidator";
    }

    function version() external pure returns (string memory) {
        return "0.1.0";
    }
}
