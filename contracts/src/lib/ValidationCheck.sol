// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ValidationCheck
/// @notice The call FunctorValidator makes to FunctorPolicyHook in validation,
/// `checkCallsWhenValidating()`, whose arguments follow the selector as fixed words rather than
/// ABI-encoded (the hook refuses any caller but the validator before it reads them, so it skips
/// the ABI decoder's checks): at these calldata offsets, the account (an address in the low 160
/// bits), the keyId (low 176 bits), the execution's mode, the hash of its `execute` calldata
/// (the ticket's key), the signer, then the execution data's length and, from CHECK_DATA, its bytes
/// (no padding). The validator's `_checkCallsInValidation` writes them, the hook reads them: the
/// layout is written once, here. The hook answers two words, the key's validation words.

/// @dev The account whose op is validated.
uint256 constant CHECK_ACCOUNT = 0x04;
/// @dev The keyId the mode carries.
uint256 constant CHECK_KEY_ID = 0x24;
/// @dev The execution's mode (call type, Functor mode selector, keyId).
uint256 constant CHECK_MODE = 0x44;
/// @dev keccak256 of the `execute` calldata: the ticket preCheck takes.
uint256 constant CHECK_EXEC_HASH = 0x64;
/// @dev Who signed (an address in the low 160 bits, or a P-256 signer id).
uint256 constant CHECK_SIGNER = 0x84;
/// @dev The execution data's length in bytes.
uint256 constant CHECK_DATA_LENGTH = 0xa4;
/// @dev Where the execution data's bytes start.
uint256 constant CHECK_DATA = 0xc4;
