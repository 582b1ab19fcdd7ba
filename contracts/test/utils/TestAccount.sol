// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC7579Validator, IERC7579Hook} from "../../src/interfaces/IERC7579Module.sol";
import {Execution} from "../../src/lib/ExecutionParser.sol";

/// @title TestAccount: a STAND-IN ERC-7579 account for forge tests.
/// @notice Not a mock of Functor, but a stand-in for Kernel, Nexus and Safe7579, which the forge
/// suite cannot deploy with their init flows in isolation (the integration suite runs the real
/// bytecode through a real bundler). It reproduces, from reading their code, the one thing that
/// matters to Functor: HOW each account calls the hook and the validator.
/// - Kernel: the hook is bound to the validator; UserOps go through `executeUserOp`, the hook gets
///   `callData[4:]` (the inner `execute`), then the account delegatecalls itself with it.
/// - Nexus: one global hook called on `execute` (and executor calls) with `msg.data`.
/// - Safe: one global hook called with `msg.data` plus the 20-byte caller Safe appends.
/// Validators are chosen from the nonce key in each account's own layout (validatorOf); key 0 means
/// the owner (an EOA checked with ecrecover over the EIP-191 userOpHash).
contract TestAccount {
    enum Style {
        Kernel,
        Nexus,
        Safe
    }

    address public immutable entryPoint;
    address public owner;
    Style public immutable style;
    address public hook;
    mapping(address => bool) public validators;
    mapping(address => bool) public executors;
    /// @dev Kernel style: the hook each executor names at install (0x1: none), as Kernel v3.1.
    mapping(address => address) internal _executorHook;
    /// @dev Safe style: the Safe's fallback handler (the Safe7579 adapter on a real Safe), read
    /// through getStorageAt at Safe's slot, as a real Safe answers it.
    address public fallbackHandler;
    uint256 internal constant SAFE_FALLBACK_HANDLER_SLOT =
        0x6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5;

    error Unauthorized();

    constructor(address entryPoint_, address owner_, Style style_) {
        entryPoint = entryPoint_;
        owner = owner_;
        style = style_;
    }

    receive() external payable {}

    modifier onlyEntryPointOrSelf() {
        if (msg.sender != entryPoint && msg.sender != address(this)) revert Unauthorized();
        _;
    }

    // ----------------------------------------------------------- ERC-4337

    function validateUserOp(PackedUserOperation calldata op, bytes32 userOpHash, uint256 missingFunds)
        external
        returns (uint256 validationData)
    {
        if (msg.sender != entryPoint) revert Unauthorized();
        address validator = validatorOf(op.nonce);
        if (validator == address(0)) {
            bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", userOpHash));
            (bytes32 r, bytes32 s, uint8 v) = abi.decode(op.signature, (bytes32, bytes32, uint8));
            validationData = ecrecover(digest, v, r, s) == owner ? 0 : 1;
        } else {
            if (!validators[validator]) revert Unauthorized();
            validationData = IERC7579Validator(validator).validateUserOp(op, userOpHash);
        }
        if (missingFunds != 0) {
            (bool ok,) = payable(msg.sender).call{value: missingFunds}("");
            ok;
        }
    }

    /// @dev The validator a nonce routes to, each style in its account's layout (192-bit key ‖
    /// 64-bit sequence): Kernel `mode ‖ type ‖ validator ‖ 2-byte key` (type 1: a validator; else
    /// the root, here the owner), Nexus `3-byte key ‖ mode ‖ validator`, Safe7579 `validator ‖
    /// 4-byte key`. address(0): the owner.
    function validatorOf(uint256 nonce) public view returns (address) {
        uint192 key = uint192(nonce >> 64);
        if (style == Style.Kernel) return uint8(key >> 176) == 1 ? address(uint160(key >> 16)) : address(0);
        if (style == Style.Nexus) return address(uint160(key));
        return address(uint160(key >> 32));
    }

    /// @dev Kernel's form: the validator-bound hook sees the inner `execute` calldata.
    function executeUserOp(PackedUserOperation calldata op, bytes32) external {
        if (msg.sender != entryPoint) revert Unauthorized();
        bytes calldata inner = op.callData[4:];
        bytes memory hookData;
        if (style == Style.Kernel && hook != address(0)) {
            hookData = IERC7579Hook(hook).preCheck(msg.sender, 0, inner);
        }
        (bool ok, bytes memory ret) = address(this).delegatecall(inner);
        if (!ok) _bubble(ret);
        if (style == Style.Kernel && hook != address(0)) IERC7579Hook(hook).postCheck(hookData);
    }

    // ----------------------------------------------------------- ERC-7579 execution

    function execute(bytes32 mode, bytes calldata data) external payable onlyEntryPointOrSelf {
        bytes memory hookData = _pre();
        _run(mode, data);
        _post(hookData);
    }

    function executeFromExecutor(bytes32 mode, bytes calldata data) external payable returns (bytes[] memory) {
        if (!executors[msg.sender]) revert Unauthorized();
        if (style == Style.Kernel) {
            // Kernel v3.1: the executor's own hook, with the calldata as is.
            address h = _executorHook[msg.sender];
            bytes memory kData = h == address(1) ? bytes("") : IERC7579Hook(h).preCheck(msg.sender, msg.value, msg.data);
            _run(mode, data);
            if (h != address(1)) IERC7579Hook(h).postCheck(kData);
            return new bytes[](0);
        }
        bytes memory hookData = _pre();
        _run(mode, data);
        _post(hookData);
        return new bytes[](0);
    }

    /// @dev Kernel v3.1's `executorConfig(executor)` (its hook).
    function executorConfig(address executor) external view returns (address) {
        if (style != Style.Kernel) revert Unauthorized();
        return _executorHook[executor];
    }

    /// @dev Nexus's and Safe7579's global hook.
    function getActiveHook() external view returns (address) {
        if (style == Style.Kernel) revert Unauthorized();
        return hook;
    }

    function installModule(uint256 typeId, address module, bytes calldata data) external onlyEntryPointOrSelf {
        bytes memory hookData = _pre();
        if (typeId == 1) validators[module] = true;
        else if (typeId == 2) executors[module] = true;
        else if (typeId == 4) hook = module;
        else revert Unauthorized();
        if (typeId == 2 && style == Style.Kernel) {
            // Kernel style: the executor's data starts with the hook it runs under (0 or none: no hook).
            address h = data.length >= 20 ? address(bytes20(data[:20])) : address(0);
            _executorHook[module] = h == address(0) ? address(1) : h;
            IModule(module).onInstall(data.length >= 20 ? data[20:] : data);
        } else {
            IModule(module).onInstall(data);
        }
        _post(hookData);
    }

    function uninstallModule(uint256 typeId, address module, bytes calldata data) external onlyEntryPointOrSelf {
        bytes memory hookData = _pre();
        if (typeId == 1) delete validators[module];
        else if (typeId == 2) delete executors[module];
        else if (typeId == 4) delete hook;
        IModule(module).onUninstall(data);
        _post(hookData);
    }

    function setFallbackHandler(address handler) external onlyEntryPointOrSelf {
        fallbackHandler = handler;
    }

    /// @dev Safe's `getStorageAt(offset, length)`, for the fallback handler's slot (Safe style only).
    function getStorageAt(uint256 offset, uint256 length) external view returns (bytes memory) {
        if (style != Style.Safe || length != 1) revert Unauthorized();
        return abi.encode(offset == SAFE_FALLBACK_HANDLER_SLOT ? uint256(uint160(fallbackHandler)) : 0);
    }

    function isModuleInstalled(uint256 typeId, address module, bytes calldata) external view returns (bool) {
        if (typeId == 1) return validators[module];
        if (typeId == 2) return executors[module];
        if (typeId == 4) return hook == module;
        return false;
    }

    /// @dev ERC-1271 routed to the validator named by the signature's first 20 bytes (as Nexus).
    /// A bare 65-byte signature (r ‖ s ‖ v) is the owner's own: ecrecover over `hash` itself.
    function isValidSignature(bytes32 hash, bytes calldata sig) external view returns (bytes4) {
        if (sig.length == 65) {
            address signer = ecrecover(hash, uint8(sig[64]), bytes32(sig[:32]), bytes32(sig[32:64]));
            return signer != address(0) && signer == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
        }
        address validator = address(bytes20(sig[:20]));
        if (!validators[validator]) return 0xffffffff;
        return IERC7579Validator(validator).isValidSignatureWithSender(msg.sender, hash, sig[20:]);
    }

    // ----------------------------------------------------------- internal

    /// @dev Global hook (Nexus, Safe); Kernel's hook runs only in executeUserOp.
    function _pre() internal returns (bytes memory) {
        if (hook == address(0) || style == Style.Kernel) return "";
        bytes memory data = style == Style.Safe ? abi.encodePacked(msg.data, msg.sender) : msg.data;
        return IERC7579Hook(hook).preCheck(msg.sender, msg.value, data);
    }

    function _post(bytes memory hookData) internal {
        if (hook == address(0) || style == Style.Kernel) return;
        IERC7579Hook(hook).postCheck(hookData);
    }

    function _run(bytes32 mode, bytes calldata data) internal {
        bytes1 callType = mode[0];
        if (callType == 0x00) {
            _call(address(bytes20(data[:20])), uint256(bytes32(data[20:52])), data[52:]);
        } else if (callType == 0x01) {
            Execution[] memory execs = abi.decode(data, (Execution[]));
            for (uint256 i; i < execs.length; ++i) {
                _call(execs[i].target, execs[i].value, execs[i].callData);
            }
        } else if (callType == 0xff) {
            (bool ok, bytes memory ret) = address(bytes20(data[:20])).delegatecall(data[20:]);
            if (!ok) _bubble(ret);
        } else {
            revert Unauthorized();
        }
    }

    function _call(address target, uint256 value, bytes memory data) internal {
        (bool ok, bytes memory ret) = target.call{value: value}(data);
        if (!ok) _bubble(ret);
    }

    function _bubble(bytes memory ret) internal pure {
        assembly ("memory-safe") {
            revert(add(ret, 32), mload(ret))
        }
    }
}

interface IModule {
    function onInstall(bytes calldata) external;
    function onUninstall(bytes calldata) external;
}
