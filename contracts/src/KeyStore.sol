// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {WordHash} from "./lib/WordHash.sol";

/// @title KeyStore
/// @notice A registry of agent keys, independent of any wallet. A `keyId` is a stable identity (one
/// agent) with a controller, up to MAX_SIGNERS session signers, and up to MAX_ACCOUNTS accounts it
/// is enabled on. Revoking a keyId is one transaction and takes effect on every account at once.
///
/// Dangers, first:
/// - The controller of a keyId is fully trusted for that key: it chooses its signers. An account
///   that enables a keyId trusts its controller (usually the account's own owner or the account).
/// - Validation (ERC-4337) may only read storage associated with the account (ERC-7562), so what
///   FunctorValidator reads lives in per-account copies: `_grants[keyId][account]` and
///   `_signerOn[hash(keyId, signer)][account]`, set only while the keyId is enabled on the account
///   (so validation's common case reads that one slot). Every write that changes who may sign (enable,
///   disable, rotate, revoke) updates those copies for every enabled account, in a bounded loop.
/// - No owner, no admin, no upgrade: one deployment per chain at a deterministic address.
///
/// Signers are `bytes32` ids: a secp256k1 signer is its address, left-padded
/// (`bytes32(uint256(uint160(addr)))`); a P-256 signer is `keccak256(abi.encode(x, y))`.
contract KeyStore is EIP712 {
    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 public constant MAX_SIGNERS = 4;
    uint256 public constant MAX_ACCOUNTS = 32;

    /// @dev Grant states of a keyId on an account.
    uint8 public constant NONE = 0;
    uint8 public constant ENABLED = 1;
    uint8 public constant REVOKED = 2;

    /// @dev What an account signs (ERC-1271) to consent to a keyId being enabled on it.
    bytes32 public constant ENABLE_TYPEHASH =
        keccak256("EnableKey(uint176 keyId,address account,uint256 nonce,uint256 deadline)");

    /// @dev What a key's signer signs to give the key back (surrender): bound to the keyId, and by
    /// the EIP-712 domain to this KeyStore on this chain.
    bytes32 public constant SURRENDER_TYPEHASH = keccak256("Surrender(uint176 keyId)");

    /// @dev The P-256 verification precompile (EIP-7951 / RIP-7212).
    address internal constant P256_VERIFY = address(0x100);

    /*//////////////////////////////////////////////////////////////
                                  ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @dev The keyId is already registered.
    error KeyExists(uint176 keyId);
    /// @dev The keyId was never registered.
    error UnknownKey(uint176 keyId);
    /// @dev The keyId has been revoked, for good.
    error KeyIsRevoked(uint176 keyId);
    /// @dev The caller is not the keyId's controller.
    error NotController(uint176 keyId, address caller);
    /// @dev The caller may not disable the keyId on that account.
    error NotAllowed(uint176 keyId, address caller);
    /// @dev A signer id of zero.
    error ZeroSigner();
    /// @dev A keyId needs at least one signer.
    error NoSigner();
    /// @dev More than MAX_SIGNERS signers.
    error TooManySigners(uint256 count);
    /// @dev More than MAX_ACCOUNTS accounts.
    error TooManyAccounts(uint256 count);
    /// @dev The signer is already a signer of the keyId.
    error SignerExists(bytes32 signer);
    /// @dev The signer is not a signer of the keyId.
    error SignerNotFound(bytes32 signer);
    /// @dev The keyId is already enabled on the account.
    error AlreadyEnabled(uint176 keyId, address account);
    /// @dev The keyId is not enabled on the account.
    error NotEnabled(uint176 keyId, address account);
    /// @dev The account's consent has expired.
    error ConsentExpired(address account, uint256 deadline);
    /// @dev The account's consent signature does not verify.
    error BadConsent(address account);
    /// @dev The zero address cannot be a controller or an account.
    error ZeroAddress();
    /// @dev The surrender's signature is not the named signer's over surrenderDigest(keyId).
    error BadSurrender(uint176 keyId, bytes32 signer);

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @dev A keyId was registered.
    event KeyRegistered(uint176 indexed keyId, address indexed controller);
    /// @dev A signer was added to a keyId.
    event SignerAdded(uint176 indexed keyId, bytes32 indexed signer);
    /// @dev A signer was removed from a keyId.
    event SignerRemoved(uint176 indexed keyId, bytes32 indexed signer);
    /// @dev A keyId was enabled on an account.
    event KeyEnabled(uint176 indexed keyId, address indexed account);
    /// @dev A keyId was disabled on an account.
    event KeyDisabled(uint176 indexed keyId, address indexed account);
    /// @dev A keyId was revoked on every account it was enabled on.
    event KeyRevoked(uint176 indexed keyId, uint256 accounts);
    /// @dev A keyId was given back by one of its own signers (then revoked, as by its controller).
    event KeySurrendered(uint176 indexed keyId, bytes32 indexed signer);
    /// @dev A keyId's controller changed.
    event ControllerTransferred(uint176 indexed keyId, address indexed from, address indexed to);

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Key {
        address controller;
        uint40 registeredAt;
        bool revoked;
    }

    /// @dev Per-(keyId, account) copy read in validation; `index` is the account's place in
    /// `_accounts[keyId]` (for O(1) removal).
    struct Grant {
        uint8 state;
        uint8 index;
    }

    /// @dev An account's consent to `enable`: empty signature when the account itself calls.
    struct EnableAuth {
        address account;
        uint256 deadline;
        bytes signature;
    }

    mapping(uint176 keyId => Key) internal _keys;
    mapping(uint176 keyId => bytes32[]) internal _signers;
    mapping(uint176 keyId => address[]) internal _accounts;
    mapping(uint176 keyId => mapping(address account => Grant)) internal _grants;
    mapping(bytes32 keySigner => mapping(address account => bool)) internal _signerOn;
    /// @dev Every keyId ever enabled on an account (for enumeration; filtered by state in views).
    mapping(address account => uint176[]) internal _accountKeys;
    mapping(address account => mapping(uint176 keyId => bool)) internal _listed;
    /// @notice Consent nonces of accounts (one per signed EnableKey).
    mapping(address account => uint256) public nonces;

    constructor() EIP712("Functor KeyStore", "1") {}

    /*//////////////////////////////////////////////////////////////
                                 MODIFIERS
    //////////////////////////////////////////////////////////////*/

    modifier onlyController(uint176 keyId) {
        Key storage k = _keys[keyId];
        if (k.controller == address(0)) revert UnknownKey(keyId);
        if (k.controller != msg.sender) revert NotController(keyId, msg.sender);
        if (k.revoked) revert KeyIsRevoked(keyId);
        _;
    }

    /*//////////////////////////////////////////////////////////////
                              KEY LIFECYCLE
    //////////////////////////////////////////////////////////////*/

    /// @notice Registers a keyId controlled by the caller, with its first signers, and enables it on
    /// the accounts in `auths` (each consents by being the caller or by an ERC-1271 signature).
    /// @dev The keyId derives from (caller, salt), so a client knows it before sending and nobody can
    /// squat it.
    function register(bytes32 salt, bytes32[] calldata signers, EnableAuth[] calldata auths)
        external
        returns (uint176 keyId)
    {
        keyId = keyIdFor(msg.sender, salt);
        if (_keys[keyId].controller != address(0)) revert KeyExists(keyId);
        if (signers.length == 0) revert NoSigner();
        if (signers.length > MAX_SIGNERS) revert TooManySigners(signers.length);
        _keys[keyId] = Key({controller: msg.sender, registeredAt: uint40(block.timestamp), revoked: false});
        emit KeyRegistered(keyId, msg.sender);
        bytes32[] storage list = _signers[keyId];
        for (uint256 i; i < signers.length; ++i) {
            bytes32 s = signers[i];
            if (s == bytes32(0)) revert ZeroSigner();
            for (uint256 j; j < i; ++j) {
                if (signers[j] == s) revert SignerExists(s);
            }
            list.push(s);
            emit SignerAdded(keyId, s);
        }
        _enableAll(keyId, auths);
    }

    /// @notice Enables a keyId on more accounts (controller only; each account consents).
    function enable(uint176 keyId, EnableAuth[] calldata auths) external onlyController(keyId) {
        _enableAll(keyId, auths);
    }

    /// @notice Disables a keyId on one account. The account itself or the controller may do it.
    function disable(uint176 keyId, address account) external {
        Key storage k = _keys[keyId];
        if (k.controller == address(0)) revert UnknownKey(keyId);
        if (msg.sender != account && msg.sender != k.controller) revert NotAllowed(keyId, msg.sender);
        if (k.revoked) revert KeyIsRevoked(keyId);
        Grant memory g = _grants[keyId][account];
        if (g.state != ENABLED) revert NotEnabled(keyId, account);

        address[] storage accounts = _accounts[keyId];
        address last = accounts[accounts.length - 1];
        accounts[g.index] = last;
        _grants[keyId][last].index = g.index;
        accounts.pop();
        delete _grants[keyId][account];
        bytes32[] storage signers = _signers[keyId];
        for (uint256 i; i < signers.length; ++i) {
            delete _signerOn[_keySigner(keyId, signers[i])][account];
        }
        emit KeyDisabled(keyId, account);
    }

    /// @notice Revokes a keyId for good, on every account it is enabled on, in this transaction.
    function revoke(uint176 keyId) external onlyController(keyId) {
        _revoke(keyId);
    }

    /// @notice A key's own signer gives the key back: revoked for good, on every account, as its
    /// controller's `revoke` would. `signature` is the signer's over `surrenderDigest(keyId)`: 65
    /// bytes (r ‖ s ‖ v) for a secp256k1 signer, or r ‖ s ‖ x ‖ y for a P-256 one. Anyone may submit
    /// it, so an agent without ETH hands it to anyone; it can do nothing but end this key.
    function surrender(uint176 keyId, bytes32 signer, bytes calldata signature) external {
        Key storage k = _keys[keyId];
        if (k.controller == address(0)) revert UnknownKey(keyId);
        if (k.revoked) revert KeyIsRevoked(keyId);
        if (!_hasSigner(keyId, signer)) revert SignerNotFound(signer);
        if (!_signedBy(signer, surrenderDigest(keyId), signature)) revert BadSurrender(keyId, signer);
        emit KeySurrendered(keyId, signer);
        _revoke(keyId);
    }

    /// @dev Revokes `keyId` everywhere (the controller's revoke, or a signer's surrender).
    function _revoke(uint176 keyId) internal {
        _keys[keyId].revoked = true;
        address[] storage accounts = _accounts[keyId];
        bytes32[] storage signers = _signers[keyId];
        uint256 n = accounts.length;
        uint256 m = signers.length;
        bytes32[] memory ks = new bytes32[](m);
        for (uint256 j; j < m; ++j) {
            ks[j] = _keySigner(keyId, signers[j]);
        }
        for (uint256 i; i < n; ++i) {
            address account = accounts[i];
            _grants[keyId][account].state = REVOKED;
            // `_signerOn` implies "enabled" (authorization reads it first): clear it everywhere.
            for (uint256 j; j < m; ++j) {
                delete _signerOn[ks[j]][account];
            }
        }
        emit KeyRevoked(keyId, n);
    }

    /// @notice Hands control of a keyId to another address.
    function transferControl(uint176 keyId, address to) external onlyController(keyId) {
        if (to == address(0)) revert ZeroAddress();
        _keys[keyId].controller = to;
        emit ControllerTransferred(keyId, msg.sender, to);
    }

    /*//////////////////////////////////////////////////////////////
                                  SIGNERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Adds a signer, authorized at once on every account the keyId is enabled on.
    function addSigner(uint176 keyId, bytes32 signer) external onlyController(keyId) {
        _addSigner(keyId, signer);
    }

    /// @notice Removes a signer everywhere. Counters belong to the keyId and are untouched.
    function removeSigner(uint176 keyId, bytes32 signer) external onlyController(keyId) {
        _removeSigner(keyId, signer);
        if (_signers[keyId].length == 0) revert NoSigner();
    }

    /// @notice Replaces one signer by another (a new session key for the same agent): the keyId,
    /// its policies and its counters stay.
    function rotateSigner(uint176 keyId, bytes32 oldSigner, bytes32 newSigner) external onlyController(keyId) {
        _removeSigner(keyId, oldSigner);
        _addSigner(keyId, newSigner);
    }

    /*//////////////////////////////////////////////////////////////
                                   READS
    //////////////////////////////////////////////////////////////*/

    /// @notice The keyId that `registrant` gets for `salt`.
    function keyIdFor(address registrant, bytes32 salt) public pure returns (uint176) {
        return uint176(uint256(keccak256(abi.encode(registrant, salt))));
    }

    /// @notice What validation needs, from account-associated storage only (ERC-7562): the grant
    /// state of `keyId` on `account`, and whether `signer` may sign for it there.
    function authorization(uint176 keyId, address account, bytes32 signer)
        external
        view
        returns (uint8 state, bool signerOk)
    {
        // `_signerOn` is set only while the keyId is enabled on the account (revoke and disable
        // clear it), so the common case reads one slot; the grant is read only when it is not set.
        signerOk = _signerOn[_keySigner(keyId, signer)][account];
        state = signerOk ? ENABLED : _grants[keyId][account].state;
    }

    /// @notice Is `signer` authorized to sign for `keyId` on `account` right now?
    function isAuthorized(uint176 keyId, address account, bytes32 signer) external view returns (bool) {
        return _signerOn[_keySigner(keyId, signer)][account];
    }

    /// @notice The grant state of a keyId on an account (NONE, ENABLED, REVOKED).
    function grantState(uint176 keyId, address account) external view returns (uint8) {
        return _grants[keyId][account].state;
    }

    /// @notice A keyId's state: controller (zero if unknown), revocation, signers and accounts.
    function keyInfo(uint176 keyId)
        external
        view
        returns (
            address controller,
            bool revoked,
            uint40 registeredAt,
            bytes32[] memory signers,
            address[] memory accounts
        )
    {
        Key memory k = _keys[keyId];
        return (k.controller, k.revoked, k.registeredAt, _signers[keyId], _accounts[keyId]);
    }

    /// @notice The keyIds enabled (and not revoked) on an account.
    function activeKeysOf(address account) external view returns (uint176[] memory keys) {
        uint176[] storage all = _accountKeys[account];
        keys = new uint176[](all.length);
        uint256 n;
        for (uint256 i; i < all.length; ++i) {
            if (_grants[all[i]][account].state == ENABLED) keys[n++] = all[i];
        }
        // shrink the returned array to the n enabled keys in place (no second allocation and copy)
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(keys, n)
        }
    }

    /// @notice The EIP-712 digest an account signs to consent to `keyId` being enabled on it.
    function enableDigest(uint176 keyId, address account, uint256 nonce, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(ENABLE_TYPEHASH, keyId, account, nonce, deadline)));
    }

    /// @notice The EIP-712 digest a key's signer signs to surrender the key.
    function surrenderDigest(uint176 keyId) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SURRENDER_TYPEHASH, keyId)));
    }

    /// @notice The id of a secp256k1 signer.
    function ecdsaSignerId(address signer) external pure returns (bytes32) {
        return bytes32(uint256(uint160(signer)));
    }

    /// @notice The id of a P-256 signer.
    function p256SignerId(bytes32 x, bytes32 y) external pure returns (bytes32) {
        return keccak256(abi.encode(x, y));
    }

    /*//////////////////////////////////////////////////////////////
                                 INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _hasSigner(uint176 keyId, bytes32 signer) internal view returns (bool) {
        bytes32[] storage signers = _signers[keyId];
        for (uint256 i; i < signers.length; ++i) {
            if (signers[i] == signer) return true;
        }
        return false;
    }

    /// @dev Whether `signature` over `digest` is from `signer`: a secp256k1 id is an address
    /// (upper 96 bits zero; ECDSA, low-s only), a P-256 id is keccak256(x, y) of the key the
    /// signature carries (verified by the precompile).
    function _signedBy(bytes32 signer, bytes32 digest, bytes calldata signature) internal view returns (bool) {
        if (uint256(signer) >> 160 == 0) {
            (address got, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
            return err == ECDSA.RecoverError.NoError && got != address(0) && bytes32(uint256(uint160(got))) == signer;
        }
        if (signature.length != 128 || keccak256(signature[64:128]) != signer) return false;
        (bool ok, bytes memory ret) = P256_VERIFY.staticcall(abi.encodePacked(digest, signature));
        return ok && ret.length == 32 && abi.decode(ret, (uint256)) == 1;
    }

    function _keySigner(uint176 keyId, bytes32 signer) internal pure returns (bytes32) {
        return WordHash.hash(keyId, uint256(signer));
    }

    function _enableAll(uint176 keyId, EnableAuth[] calldata auths) internal {
        address[] storage accounts = _accounts[keyId];
        if (accounts.length + auths.length > MAX_ACCOUNTS) revert TooManyAccounts(accounts.length + auths.length);
        bytes32[] storage signers = _signers[keyId];
        for (uint256 a; a < auths.length; ++a) {
            address account = auths[a].account;
            if (account == address(0)) revert ZeroAddress();
            if (account != msg.sender) _checkConsent(keyId, auths[a]);
            Grant storage g = _grants[keyId][account];
            if (g.state != NONE) revert AlreadyEnabled(keyId, account);
            g.state = ENABLED;
            g.index = uint8(accounts.length);
            accounts.push(account);
            for (uint256 i; i < signers.length; ++i) {
                _signerOn[_keySigner(keyId, signers[i])][account] = true;
            }
            if (!_listed[account][keyId]) {
                _listed[account][keyId] = true;
                _accountKeys[account].push(keyId);
            }
            emit KeyEnabled(keyId, account);
        }
    }

    function _checkConsent(uint176 keyId, EnableAuth calldata auth) internal {
        if (block.timestamp > auth.deadline) revert ConsentExpired(auth.account, auth.deadline);
        bytes32 digest = enableDigest(keyId, auth.account, nonces[auth.account]++, auth.deadline);
        if (!SignatureChecker.isValidSignatureNow(auth.account, digest, auth.signature)) {
            revert BadConsent(auth.account);
        }
    }

    function _addSigner(uint176 keyId, bytes32 signer) internal {
        if (signer == bytes32(0)) revert ZeroSigner();
        bytes32[] storage signers = _signers[keyId];
        if (signers.length >= MAX_SIGNERS) revert TooManySigners(signers.length + 1);
        for (uint256 i; i < signers.length; ++i) {
            if (signers[i] == signer) revert SignerExists(signer);
        }
        signers.push(signer);
        bytes32 ks = _keySigner(keyId, signer);
        address[] storage accounts = _accounts[keyId];
        for (uint256 i; i < accounts.length; ++i) {
            _signerOn[ks][accounts[i]] = true;
        }
        emit SignerAdded(keyId, signer);
    }

    function _removeSigner(uint176 keyId, bytes32 signer) internal {
        bytes32[] storage signers = _signers[keyId];
        uint256 n = signers.length;
        uint256 i;
        while (i < n && signers[i] != signer) ++i;
        if (i == n) revert SignerNotFound(signer);
        signers[i] = signers[n - 1];
        signers.pop();
        bytes32 ks = _keySigner(keyId, signer);
        address[] storage accounts = _accounts[keyId];
        for (uint256 j; j < accounts.length; ++j) {
            delete _signerOn[ks][accounts[j]];
        }
        emit SignerRemoved(keyId, signer);
    }
}
