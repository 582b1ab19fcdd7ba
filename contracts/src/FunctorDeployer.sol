// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {KeyStore} from "./KeyStore.sol";
import {FunctorValidator} from "./FunctorValidator.sol";
import {FunctorPolicyHook} from "./FunctorPolicyHook.sol";
import {FunctorPolicyConfig} from "./FunctorPolicyConfig.sol";
import {FunctorPolicyGeneral} from "./FunctorPolicyGeneral.sol";

/// @title FunctorDeployer
/// @notice Deploys the FunctorPolicyHook and FunctorValidator pair in its constructor. The two
/// reference each other immutably; the cycle is broken by predicting the validator's CREATE address
/// (this contract's nonce 2) before creating the hook (nonce 1). The hook also names
/// FunctorPolicyConfig (its configuration code) and FunctorPolicyGeneral (preCheck's general path),
/// both run by DELEGATECALL and deployed before through the CREATE2 factory, built for the KeyStore's
/// code (KeyStore, also through the factory: FunctorPolicyConfig runs it on the hook's storage, so the
/// hook is the KeyStore). Deployed itself through the CREATE2 factory, so the pair has the same
/// addresses on every chain for the same KeyStore code, EntryPoint, configuration code and general
/// path.
contract FunctorDeployer {
    FunctorPolicyHook public immutable hook;
    FunctorValidator public immutable validator;
    FunctorPolicyConfig public immutable config;
    FunctorPolicyGeneral public immutable general;

    /// @dev The validator did not land where the hook expects it.
    error AddressMismatch();
    /// @dev The configuration code or the general path's was built for another KeyStore code or
    /// EntryPoint (each runs on the hook's storage with its own copies of both; the configuration code
    /// answers the hook's getters).
    error ConfigMismatch();

    constructor(KeyStore keyStoreCode, address entryPoint, FunctorPolicyConfig config_, FunctorPolicyGeneral general_) {
        if (config_.keyStoreCode() != address(keyStoreCode) || config_.entryPoint() != entryPoint) revert ConfigMismatch();
        if (general_.keyStoreCode() != address(keyStoreCode) || general_.entryPoint() != entryPoint) revert ConfigMismatch();
        address v = _createAddress(address(this), 2);
        FunctorPolicyHook h = new FunctorPolicyHook(entryPoint, FunctorValidator(v), address(config_), address(general_), address(keyStoreCode));
        // the hook is the KeyStore (KeyStoreState): the validator reads keys there
        FunctorValidator validator_ = new FunctorValidator(KeyStore(address(h)), entryPoint, address(h));
        if (address(validator_) != v) revert AddressMismatch();
        hook = h;
        validator = validator_;
        config = config_;
        general = general_;
    }

    /// @dev CREATE address for a nonce below 0x80: keccak256(rlp([deployer, nonce]))[12:].
    function _createAddress(address deployer, uint8 nonce) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, nonce)))));
    }
}
