// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// solhint does not read foundry.toml remappings (account-abstraction/); forge build checks this import
// solhint-disable-next-line import-path-check
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";

/// @dev The ERC-7579 module interfaces Functor implements (written from the ERC text).
interface IERC7579Module {
    function onInstall(bytes calldata data) external;
    function onUninstall(bytes calldata data) external;
    function isModuleType(uint256 moduleTypeId) external view returns (bool);
    function isInitialized(address smartAccount) external view returns (bool);
}

interface IERC7579Validator is IERC7579Module {
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash) external payable returns (uint256);
    function isValidSignatureWithSender(address sender, bytes32 hash, bytes calldata data)
        external
        view
        returns (bytes4);
}

interface IERC7579Hook is IERC7579Module {
    function preCheck(address msgSender, uint256 msgValue, bytes calldata msgData)
        external
        returns (bytes memory hookData);
    function postCheck(bytes calldata hookData) external;
}

interface IERC7579AccountExecute {
    function execute(bytes32 mode, bytes calldata executionCalldata) external payable;
}

interface IERC7579AccountExecutor {
    function executeFromExecutor(bytes32 mode, bytes calldata executionCalldata)
        external
        payable
        returns (bytes[] memory returnData);
}

uint256 constant MODULE_TYPE_VALIDATOR = 1;
uint256 constant MODULE_TYPE_EXECUTOR = 2;
uint256 constant MODULE_TYPE_HOOK = 4;
