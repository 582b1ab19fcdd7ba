// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {KeyStore} from "./KeyStore.sol";
import {FunctorPolicyHookBase} from "./FunctorPolicyHookBase.sol";

/// @title FunctorHookCode
/// @notice What the hook's two code contracts (FunctorPolicyConfig, FunctorPolicyGeneral) share:
/// FunctorPolicyHook runs them by DELEGATECALL on its own storage, the account as msg.sender; each
/// is built for one KeyStore code (the KeyStore's functions, which FunctorPolicyConfig's fallback runs
/// on the hook's storage: the hook is the KeyStore) and EntryPoint, which it answers so that
/// FunctorDeployer can refuse one built for others; called at its own address, every function behind
/// `throughHook` reverts (`NotThroughHook`), so no event or state of that address can be taken for
/// the hook's.
abstract contract FunctorHookCode is FunctorPolicyHookBase {
    /// @dev This code's own address (where `throughHook` refuses).
    address internal immutable _self;
    /// @dev The KeyStore's code (KeyStore, deployed through the CREATE2 factory), which
    /// FunctorPolicyConfig's fallback runs on the hook's storage.
    address internal immutable _keyStoreCode;

    constructor(KeyStore keyStoreCode_, address entryPoint_) FunctorPolicyHookBase(entryPoint_) {
        _self = address(this);
        _keyStoreCode = address(keyStoreCode_);
    }

    /// @notice The KeyStore: through the hook's fallback (FunctorPolicyConfig's), the hook itself,
    /// which holds the KeyStore's storage and runs its code (KeyStoreState). Answered here: with it in
    /// the hook, preCheck's selector came seventh of seven, 22 gas per comparison on every keyed
    /// execution.
    function keyStore() external view returns (KeyStore) {
        return KeyStore(address(this));
    }

    /// @notice The KeyStore's code this was built for, and the EntryPoint (FunctorDeployer checks
    /// that the hook's two code contracts name the same).
    function keyStoreCode() external view returns (address) {
        return _keyStoreCode;
    }

    function entryPoint() external view returns (address) {
        return _entryPoint;
    }

    modifier throughHook() {
        if (address(this) == _self) revert NotThroughHook();
        _;
    }
}
