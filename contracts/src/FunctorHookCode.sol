// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {KeyStore} from "./KeyStore.sol";
import {FunctorPolicyHookBase} from "./FunctorPolicyHookBase.sol";

/// @title FunctorHookCode
/// @notice What the hook's two code contracts (FunctorPolicyConfig, FunctorPolicyGeneral) share:
/// FunctorPolicyHook runs them by DELEGATECALL on its own storage, the account as msg.sender; each
/// is built for one KeyStore and EntryPoint, which it answers so that FunctorDeployer can refuse one
/// built for others; called at its own address, every function behind `throughHook` reverts
/// (`NotThroughHook`), so no event or state of that address can be taken for the hook's.
abstract contract FunctorHookCode is FunctorPolicyHookBase {
    /// @dev This code's own address (where `throughHook` refuses).
    address internal immutable _self;

    constructor(KeyStore keyStore_, address entryPoint_) FunctorPolicyHookBase(keyStore_, entryPoint_) {
        _self = address(this);
    }

    /// @notice The KeyStore and the EntryPoint this code was built for. Through the hook's fallback
    /// (FunctorPolicyConfig's) they answer for the hook: with them in the hook, preCheck's selector
    /// came seventh of seven, 22 gas per comparison on every keyed execution. The hook and its code
    /// are deployed with the same KeyStore and EntryPoint (FunctorDeployer checks).
    function keyStore() external view returns (KeyStore) {
        return _keyStore;
    }

    function entryPoint() external view returns (address) {
        return _entryPoint;
    }

    modifier throughHook() {
        if (address(this) == _self) revert NotThroughHook();
        _;
    }
}
