// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Execution} from "../lib/ExecutionParser.sol";

/// @title IFunctorPolicy
/// @notice A custom policy contract, called by FunctorPolicyHook around every execution of a key
/// that lists it. Revert to refuse. Called only in the execution phase, so it may read time and any
/// storage; it must not call back into the account.
interface IFunctorPolicy {
    /// @dev Called before the executions run. Returns a context handed back to `checkAfter`.
    function checkBefore(address account, uint176 keyId, Execution[] calldata executions)
        external
        returns (bytes memory context);

    /// @dev Called after the executions ran.
    function checkAfter(address account, uint176 keyId, bytes calldata context) external;
}
