// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title DevRegistry (devnet only)
/// @notice Safe7579's launchpad is constructed with an ERC-7484 module registry and calls it when
/// configuring attesters and installing modules. On the devnet there are no attesters: this
/// registry accepts every call and attests nothing. Public chains use Rhinestone's registry.
contract DevRegistry {
    // devnet stand-in for an ERC-7484 registry: it answers every call and must never hold ETH
    // solhint-disable-next-line payable-fallback
    fallback() external {}
}
