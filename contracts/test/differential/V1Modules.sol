// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {FunctorDeployer} from "../../src/FunctorDeployer.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {FunctorPolicyHook} from "../../src/FunctorPolicyHook.sol";
import {FunctorValidator} from "../../src/FunctorValidator.sol";

/// @title V1Modules: the contracts v1 reference, deployed from frozen bytecode (test only).
/// @notice `test/reference/v1.json` holds the creation bytecode of FunctorDeployer and
/// FunctorPolicyConfig as built from contracts/src at git commit 99ce67f (the last commit before the
/// v2 hot paths), written by `node scripts/freeze-reference.mjs`. It is bytecode on purpose: never
/// deployed outside tests, never shipped, frozen while src changes, and no second copy of the source
/// (the source is git history at that commit). It is deployed here by CREATE with the same
/// constructor arguments as src, on a KeyStore and EntryPoint shared with src, and driven through
/// src's ABI (the interface is the same). To run an existing FunctorTest suite on the reference (as
/// the attack suites' `…V1Test` subclasses do), override `FunctorTest._deployModules()` to call
/// `_deployV1Modules()`: its setUp then takes the hook and validator from `deploy`.
library V1Modules {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    string internal constant PATH = "test/reference/v1.json";
    /// @dev The commit the bytecode was built from (checked against the file).
    string internal constant COMMIT = "99ce67f2e860170c90e6335d2639e3df0c575413";

    struct Deployed {
        FunctorDeployer deployer;
        FunctorPolicyConfig config;
        FunctorPolicyHook hook;
        FunctorValidator validator;
    }

    /// @dev Deploys the reference's FunctorPolicyConfig, then its FunctorDeployer (which creates the
    /// hook and the validator), as src's are deployed (FunctorTest.setUp).
    function deploy(KeyStore keyStore, address entryPoint) internal returns (Deployed memory d) {
        string memory json = VM.readFile(PATH);
        require(keccak256(bytes(VM.parseJsonString(json, ".commit"))) == keccak256(bytes(COMMIT)), "v1.json: commit");
        bytes memory configCode = VM.parseJsonBytes(json, ".FunctorPolicyConfig");
        bytes memory deployerCode = VM.parseJsonBytes(json, ".FunctorDeployer");
        d.config = FunctorPolicyConfig(_create(abi.encodePacked(configCode, abi.encode(keyStore, entryPoint))));
        d.deployer = FunctorDeployer(_create(abi.encodePacked(deployerCode, abi.encode(keyStore, entryPoint, d.config))));
        d.hook = d.deployer.hook();
        d.validator = d.deployer.validator();
    }

    function _create(bytes memory initCode) private returns (address a) {
        // CREATE from raw creation code: the reference has no source in this tree to `new` from
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            a := create(0, add(initCode, 0x20), mload(initCode))
        }
        require(a != address(0) && a.code.length != 0, "v1 reference: CREATE failed");
    }
}
