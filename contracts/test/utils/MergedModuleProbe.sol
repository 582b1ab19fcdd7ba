// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// solhint-disable-next-line import-path-check
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/// @title MergedModuleProbe (TEST ONLY: a stand-in, never deployed outside tests)
/// @notice A stand-in for Contracts v2's merged module (issue 17: one address that is validator,
/// executor and hook). It answers `isModuleType` 1, 2 and 4, never reverts in `onInstall`,
/// `onUninstall`, `preCheck` or `postCheck`, and records every call it receives per account, in
/// order, so that `test/integration/mergedModule.test.ts` can read what the real Kernel v3.1,
/// Nexus 1.0 and Safe7579 1.0 bytecode calls on a module installed under several types at once.
/// It validates a UserOp signed by one fixed ECDSA key (`0x00 ‖ r ‖ s ‖ v` over the EIP-191 hash
/// of the userOpHash, Functor's session-key format), so an op it validates can run. It enforces
/// nothing: it is not a model of Functor's checks, only of the call sequence.
contract MergedModuleProbe {
    enum Kind {
        None,
        OnInstall,
        OnUninstall,
        PreCheck,
        PostCheck,
        ValidateUserOp
    }

    /// @dev One call received. `caller` is msg.sender (the account, for every call an account
    /// makes). PreCheck: `sender` and `value` are its msgSender and msgValue arguments, `selector`,
    /// `length` and `dataHash` describe its msgData. ValidateUserOp: `sender` is op.sender,
    /// `selector` and `length` describe op.callData, `dataHash` is the userOpHash. OnInstall,
    /// OnUninstall and PostCheck: `data` is their bytes argument (and `length`, `dataHash` of it).
    struct Record {
        Kind kind;
        address caller;
        address sender;
        uint256 value;
        uint256 length;
        bytes4 selector;
        bytes32 dataHash;
        bytes data;
        bool initializedBefore;
    }

    /// @dev The tag at the head of every context `preCheck` returns: `abi.encode(CONTEXT_TAG, index)`,
    /// index being the preCheck's own record, so a test can tell which preCheck a postCheck closes.
    bytes32 public constant CONTEXT_TAG = keccak256("MergedModuleProbe.context");

    address public immutable SIGNER;

    mapping(address account => Record[]) internal _records;
    /// @dev onInstall calls minus onUninstall calls (floored at 0): what `isInitialized` reads.
    mapping(address account => uint256) public installs;

    constructor(address signer) {
        SIGNER = signer;
    }

    function records(address account) external view returns (Record[] memory) {
        return _records[account];
    }

    function recordCount(address account) external view returns (uint256) {
        return _records[account].length;
    }

    function isModuleType(uint256 typeId) external pure returns (bool) {
        return typeId == 1 || typeId == 2 || typeId == 4;
    }

    function isInitialized(address account) public view returns (bool) {
        return installs[account] != 0;
    }

    function onInstall(bytes calldata data) external {
        _record(Kind.OnInstall, address(0), 0, data, data);
        installs[msg.sender] += 1;
    }

    function onUninstall(bytes calldata data) external {
        _record(Kind.OnUninstall, address(0), 0, data, data);
        if (installs[msg.sender] != 0) installs[msg.sender] -= 1;
    }

    function preCheck(address msgSender, uint256 msgValue, bytes calldata msgData) external returns (bytes memory) {
        uint256 index = _records[msg.sender].length;
        _record(Kind.PreCheck, msgSender, msgValue, msgData, "");
        return abi.encode(CONTEXT_TAG, index);
    }

    function postCheck(bytes calldata hookData) external {
        _record(Kind.PostCheck, address(0), 0, hookData, hookData);
    }

    function validateUserOp(PackedUserOperation calldata op, bytes32 userOpHash) external returns (uint256) {
        _records[msg.sender].push(
            Record({
                kind: Kind.ValidateUserOp,
                caller: msg.sender,
                sender: op.sender,
                value: 0,
                length: op.callData.length,
                selector: op.callData.length >= 4 ? bytes4(op.callData[:4]) : bytes4(0),
                dataHash: userOpHash,
                data: "",
                initializedBefore: isInitialized(msg.sender)
            })
        );
        bytes calldata sig = op.signature;
        if (sig.length != 66 || sig[0] != 0x00) return 1;
        (address a,,) = ECDSA.tryRecover(MessageHashUtils.toEthSignedMessageHash(userOpHash), sig[1:]);
        return a == SIGNER ? 0 : 1;
    }

    /// @dev A probe never signs for an account.
    function isValidSignatureWithSender(address, bytes32, bytes calldata) external pure returns (bytes4) {
        return 0xffffffff;
    }

    function _record(Kind kind, address sender, uint256 value, bytes calldata described, bytes memory kept) internal {
        _records[msg.sender].push(
            Record({
                kind: kind,
                caller: msg.sender,
                sender: sender,
                value: value,
                length: described.length,
                selector: described.length >= 4 ? bytes4(described[:4]) : bytes4(0),
                dataHash: keccak256(described),
                data: kept,
                initializedBefore: isInitialized(msg.sender)
            })
        );
    }
}
