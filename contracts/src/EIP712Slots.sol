// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title EIP712Slots
/// @notice Slots 0 and 1 held empty in FunctorPolicyHook's storage: where KeyStore keeps OpenZeppelin
/// EIP712's two fallback strings (see KeyStoreState).
abstract contract EIP712Slots {
    string private _eip712NameSlot;
    string private _eip712VersionSlot;
}
