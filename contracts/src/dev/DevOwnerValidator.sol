// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// solhint does not read foundry.toml remappings (account-abstraction/); forge build checks this import
// solhint-disable-next-line import-path-check
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/// @title DevOwnerValidator (devnet only)
/// @notice The owner validator of Kernel and Nexus accounts on the local devnet, where no npm
/// package ships the bytecode of ZeroDev's ECDSAValidator or Biconomy's K1Validator. It keeps their
/// formats, so the same client code works on public chains with the canonical validators:
/// install data is the owner's 20-byte address; a UserOp signature is a 65-byte ECDSA signature
/// over the userOpHash, raw or EIP-191; ERC-1271 likewise over the hash it is given. The devnet lays
/// its code at both canonical addresses (ZeroDev's ECDSAValidator for Kernel v3.1, Biconomy's
/// K1Validator for Nexus 1.0), and it answers both validators' owner reads, so the wallet reads an
/// account's owner the same way on the devnet as on a public chain.
contract DevOwnerValidator {
    /// @dev The account's owner.
    mapping(address account => address) public owners;

    /// @dev The validator was installed with an owner.
    event OwnerSet(address indexed account, address indexed owner);

    function onInstall(bytes calldata data) external {
        address o = address(bytes20(data[:20]));
        owners[msg.sender] = o;
        emit OwnerSet(msg.sender, o);
    }

    function onUninstall(bytes calldata) external {
        delete owners[msg.sender];
        emit OwnerSet(msg.sender, address(0));
    }

    /// @dev ZeroDev ECDSAValidator's read: `ecdsaValidatorStorage(account)` returns the struct {owner}.
    function ecdsaValidatorStorage(address account) external view returns (address) {
        return owners[account];
    }

    /// @dev Biconomy K1Validator (Nexus 1.0)'s read of an account's owner.
    function smartAccountOwners(address account) external view returns (address) {
        return owners[account];
    }

    function isInitialized(address account) external view returns (bool) {
        return owners[account] != address(0);
    }

    function isModuleType(uint256 typeId) external pure returns (bool) {
        return typeId == 1;
    }

    function validateUserOp(PackedUserOperation calldata op, bytes32 userOpHash) external view returns (uint256) {
        return _isOwner(owners[op.sender], userOpHash, op.signature) ? 0 : 1;
    }

    function isValidSignatureWithSender(address, bytes32 hash, bytes calldata sig) external view returns (bytes4) {
        return _isOwner(owners[msg.sender], hash, sig) ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }

    function _isOwner(address owner, bytes32 hash, bytes calldata sig) internal pure returns (bool) {
        if (owner == address(0)) return false;
        (address a,,) = ECDSA.tryRecover(hash, sig);
        if (a == owner) return true;
        (a,,) = ECDSA.tryRecover(MessageHashUtils.toEthSignedMessageHash(hash), sig);
        return a == owner;
    }
}
