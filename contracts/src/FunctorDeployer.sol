// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {KeyStore} from "./KeyStore.sol";
import {FunctorValidator} from "./FunctorValidator.sol";
import {FunctorPolicyHook} from "./FunctorPolicyHook.sol";

/// @title FunctorDeployer
/// @notice Deploys the FunctorPolicyHook and FunctorValidator pair in its constructor. The two
/// reference each other immutably; the cycle is broken by predicting the validator's CREATE address
/// (this contract's nonce 2) before creating the hook (nonce 1). Deployed itself through the CREATE2
/// factory, so the pair has the same addresses on every chain for the same KeyStore and EntryPoint.
contract FunctorDeployer {
    FunctorPolicyHook public immutable hook;
    FunctorValidator public immutable validator;

    /// @dev The validator did not land where the hook expects it.
    error AddressMismatch();

    constructor(KeyStore keyStore, address entryPoint) {
        address predicted = _createAddress(address(this), 2);
        FunctorPolicyHook h = new FunctorPolicyHook(keyStore, entryPoint, FunctorValidator(predicted));
        FunctorValidator v = new FunctorValidator(keyStore, entryPoint, address(h));
        if (address(v) != predicted) revert AddressMismatch();
        hook = h;
        validator = v;
    }

    /// @dev CREATE address for a nonce below 0x80: keccak256(rlp([deployer, nonce]))[12:].
    function _createAddress(address deployer, uint8 nonce) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, nonce)))));
    }
}
