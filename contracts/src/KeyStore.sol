// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {KeyStoreState} from "./KeyStoreState.sol";

/// @title KeyStore
/// @notice A registry of agent keys, independent of any wallet. A `keyId` is a stable identity (one
/// agent) with a controller, up to MAX_SIGNERS session signers, and up to MAX_ACCOUNTS accounts it
/// is enabled on. Revoking a keyId is one transaction and takes effect on every account at once.
///
/// Dangers, first:
/// - The controller of a keyId is fully trusted for that key: it chooses its signers. An account
///   that enables a keyId trusts its controller (usually the account's own owner or the account).
/// - Validation (ERC-4337) may only read storage associated with the account (ERC-7562), so what
///   FunctorValidator reads lives in per-account copies: `_signerOn[hash(keyId, signer)][account]`
///   (ENABLED while the keyId is enabled on the account, REVOKED once it is revoked) and, only when
///   that is unset, `_grants[keyId][account]`. Every write that changes who may sign (enable,
///   disable, rotate, revoke) updates those copies for every enabled account, in a bounded loop:
///   revoke writes one slot per signer and account (contracts/README.md, "KeyStore words").
/// - No owner, no admin, no upgrade: one deployment per chain at a deterministic address.
/// - In Functor this is the KeyStore's code, not the KeyStore: FunctorPolicyHook holds the
///   KeyStore's storage (KeyStoreState, at the same slots) and runs this code on it by DELEGATECALL,
///   through FunctorPolicyConfig's fallback, so the module is the KeyStore and validation reads a
///   signer's word in its own storage (contracts/README.md, "The KeyStore inside the module"). At its
///   own address this code is a KeyStore of its own storage that no module reads.
/// - A signer's word carries, above its state byte, a terms cache the KeyStore never reads
///   (writeTerms): only the writer the account itself named writes it, and every write of a state
///   drops it (contracts/README.md, "KeyStore words").
///
/// Signers are `bytes32` ids: a secp256k1 signer is its address, left-padded
/// (`bytes32(uint256(uint160(addr)))`); a P-256 signer is `keccak256(abi.encode(x, y))`.
contract KeyStore is EIP712, KeyStoreState {
    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 public constant MAX_SIGNERS = 4;
    uint256 public constant MAX_ACCOUNTS = 32;

    /// @dev Grant states of a keyId on an account.
    uint8 public constant NONE = STATE_NONE;
    uint8 public constant ENABLED = STATE_ENABLED;
    uint8 public constant REVOKED = STATE_REVOKED;

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
    /// @dev writeTerms from a caller the account has not named its terms writer.
    error NotTermsWriter(address account, address caller);
    /// @dev writeTerms with terms that touch the state byte (bits 0-7).
    error BadTerms(uint256 terms);

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
    /// @dev A keyId was given back by one of its own signers (then revoked, as by its controller).
    event KeySurrendered(uint176 indexed keyId, bytes32 indexed signer);
    /// @dev A keyId's controller changed.
    /// @dev An account named the writer of its keys' terms cache.
    event TermsWriterSet(address indexed account, address indexed writer);
    event ControllerTransferred(uint176 indexed keyId, address indexed from, address indexed to);

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    // KeyStoreState: the storage, at the same slots here and in FunctorPolicyHook.

    /// @dev An account's consent to `enable`: empty signature when the account itself calls.
    struct EnableAuth {
        address account;
        uint256 deadline;
        bytes signature;
    }


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
        _keys[keyId] = Key({
            controller: msg.sender,
            registeredAt: uint40(block.timestamp),
            revoked: false,
            signerCount: uint8(signers.length),
            accountCount: 0
        });
        emit KeyRegistered(keyId, msg.sender);
        mapping(uint256 => bytes32) storage list = _signerAt[keyId];
        for (uint256 i; i < signers.length; ++i) {
            bytes32 s = signers[i];
            if (s == bytes32(0)) revert ZeroSigner();
            for (uint256 j; j < i; ++j) {
                if (signers[j] == s) revert SignerExists(s);
            }
            list[i] = s;
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

        // The last account takes the disabled one's place.
        mapping(uint256 => address) storage accounts = _accountAt[keyId];
        uint256 last = k.accountCount - 1;
        if (g.index != last) {
            address moved = accounts[last];
            accounts[g.index] = moved;
            _grants[keyId][moved].index = g.index;
        }
        delete accounts[last];
        k.accountCount = uint8(last);
        _grants[keyId][account] = Grant({state: NONE, index: 0, listed: true});
        uint256 m = k.signerCount;
        for (uint256 i; i < m; ++i) {
            delete _signerOn[_keySigner(keyId, _signerAt[keyId][i])][account];
        }
        emit KeyDisabled(keyId, account);
    }

    /// @notice Revokes a keyId for good, on every account it is enabled on, in this transaction.
    function revoke(uint176 keyId) external {
        _revoke(keyId, msg.sender);
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
        _revoke(keyId, address(0));
    }


    /// @notice The calling account names the one address that may write the terms cache of its keys
    /// (writeTerms): its Functor module, named in the same op that installs it. Naming another
    /// address does not clear what the previous one wrote; the module tells its own cache apart
    /// (contracts/README.md, "What stands between v2 and the bars").
    function setTermsWriter(address writer) external {
        _termsWriter[msg.sender] = writer;
        emit TermsWriterSet(msg.sender, writer);
    }

    /// @notice Writes `terms` above the state byte of the words of `keyId`'s current signers that are
    /// ENABLED on `account` (the others keep theirs: 0, or REVOKED). The KeyStore never reads them: a
    /// cache of the writer's own per-key configuration, which validation then reads with the signer's
    /// word instead of a slot of its own. Only the account's named writer may write it. Any write of a
    /// state (enable, disable, revoke, a signer added, removed or rotated) writes the whole word and
    /// drops the cache.
    function writeTerms(address account, uint176 keyId, uint256 terms) external {
        if (uint8(terms) != 0) revert BadTerms(terms);
        if (msg.sender != _termsWriter[account] || msg.sender == address(0)) revert NotTermsWriter(account, msg.sender);
        uint256 n = _keys[keyId].signerCount;
        for (uint256 i; i < n; ++i) {
            mapping(address => uint256) storage on = _signerOn[_keySigner(keyId, _signerAt[keyId][i])];
            if (uint8(on[account]) == ENABLED) on[account] = terms | ENABLED;
        }
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
        if (_keys[keyId].signerCount == 0) revert NoSigner();
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

    /// @notice The one address `account` lets write the terms cache of its keys (setTermsWriter).
    function termsWriter(address account) external view returns (address) {
        return _termsWriter[account];
    }

    /// @notice `account`'s consent nonce (one per signed EnableKey).
    function nonces(address account) external view returns (uint256) {
        return _nonces[account];
    }

    /// @notice The keyId that `registrant` gets for `salt`.
    function keyIdFor(address registrant, bytes32 salt) public pure returns (uint176) {
        return uint176(uint256(keccak256(abi.encode(registrant, salt))));
    }

    /// @notice What validation needs, from account-associated storage only (ERC-7562): the grant
    /// state of `keyId` on `account`, and whether `signer` may sign for it there. Every keyed op
    /// calls it twice, so its name is chosen for its selector (0x0176328a), the lowest of this
    /// contract's: via-IR's dispatcher compares selectors one by one in ascending order, and under
    /// its first name it came 25th (about 24 x 22 gas per call).
    function authorizedStateOf(uint176 keyId, address account, bytes32 signer)
        external
        view
        returns (uint8 state, bool signerOk)
    {
        return _authorizedState(keyId, account, signer);
    }

    /// @notice The word at storage slot `slot`, as stored (all of this contract's storage is public
    /// anyway). On every redemption, FunctorValidator reads a signer's word with it (SignerSlot.slotOf,
    /// through LeanCalls.authorizedStateOf; the module answers it in its own code): ENABLED there
    /// answers authorizedStateOf without its three-argument ABI; any other word sends it to
    /// authorizedStateOf. Named for its
    /// selector (0x0122d851), the lowest of the KeyStore's: via-IR's dispatcher compares selectors one
    /// by one in ascending order, and each of the two reads per keyed op pays for those before it
    /// (test_ReadStoreSlot_FirstInTheDispatch).
    function readStoreSlot(uint256 slot) external view returns (uint256 word) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(slot)
        }
    }

    /// @notice authorizedStateOf under its first name, for code built against it (the v1 modules
    /// that test/differential runs beside this KeyStore): the same answer.
    function authorization(uint176 keyId, address account, bytes32 signer)
        external
        view
        returns (uint8 state, bool signerOk)
    {
        return _authorizedState(keyId, account, signer);
    }


    /// @notice Is `signer` authorized to sign for `keyId` on `account` right now?
    function isAuthorized(uint176 keyId, address account, bytes32 signer) external view returns (bool) {
        return uint8(_signerOn[_keySigner(keyId, signer)][account]) == ENABLED;
    }

    /// @notice The grant state of a keyId on an account (NONE, ENABLED, REVOKED).
    function grantState(uint176 keyId, address account) public view returns (uint8) {
        return _grantState(keyId, account);
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
        signers = new bytes32[](k.signerCount);
        for (uint256 i; i < signers.length; ++i) {
            signers[i] = _signerAt[keyId][i];
        }
        accounts = new address[](k.accountCount);
        for (uint256 i; i < accounts.length; ++i) {
            accounts[i] = _accountAt[keyId][i];
        }
        return (k.controller, k.revoked, k.registeredAt, signers, accounts);
    }

    /// @notice The keyIds enabled (and not revoked) on an account.
    function activeKeysOf(address account) external view returns (uint176[] memory keys) {
        mapping(uint256 => uint256) storage all = _accountKeys[account];
        uint256 first = all[0];
        uint256 length = first >> 176;
        keys = new uint176[](length);
        uint256 n;
        for (uint256 i; i < length; ++i) {
            uint176 keyId = uint176(i == 0 ? first : all[i]);
            if (grantState(keyId, account) == ENABLED) keys[n++] = keyId;
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
        uint256 m = _keys[keyId].signerCount;
        for (uint256 i; i < m; ++i) {
            if (_signerAt[keyId][i] == signer) return true;
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


    function _enableAll(uint176 keyId, EnableAuth[] calldata auths) internal {
        if (auths.length == 0) return;
        Key storage k = _keys[keyId];
        uint256 count = k.accountCount;
        if (count + auths.length > MAX_ACCOUNTS) revert TooManyAccounts(count + auths.length);
        uint256 m = k.signerCount;
        for (uint256 a; a < auths.length; ++a) {
            address account = auths[a].account;
            if (account == address(0)) revert ZeroAddress();
            if (account != msg.sender) _checkConsent(keyId, auths[a]);
            Grant storage g = _grants[keyId][account];
            if (g.state != NONE) revert AlreadyEnabled(keyId, account);
            bool listed = g.listed;
            _grants[keyId][account] = Grant({state: ENABLED, index: uint8(count), listed: true});
            _accountAt[keyId][count++] = account;
            for (uint256 i; i < m; ++i) {
                _signerOn[_keySigner(keyId, _signerAt[keyId][i])][account] = ENABLED;
            }
            if (!listed) _listKey(account, keyId);
            emit KeyEnabled(keyId, account);
        }
        k.accountCount = uint8(count);
    }

    /// @dev Appends `keyId` to the account's list (see `_accountKeys`).
    function _listKey(address account, uint176 keyId) internal {
        mapping(uint256 => uint256) storage all = _accountKeys[account];
        uint256 first = all[0];
        uint256 length = first >> 176;
        // a list longer than 2^80 - 1 keys would take more registrations than any chain can hold
        if (length == 0) {
            all[0] = uint256(keyId) | (1 << 176);
        } else {
            all[length] = keyId;
            all[0] = first + (1 << 176);
        }
    }

    function _checkConsent(uint176 keyId, EnableAuth calldata auth) internal {
        if (block.timestamp > auth.deadline) revert ConsentExpired(auth.account, auth.deadline);
        bytes32 digest = enableDigest(keyId, auth.account, _nonces[auth.account]++, auth.deadline);
        if (!SignatureChecker.isValidSignatureNow(auth.account, digest, auth.signature)) {
            revert BadConsent(auth.account);
        }
    }

    function _addSigner(uint176 keyId, bytes32 signer) internal {
        if (signer == bytes32(0)) revert ZeroSigner();
        Key storage k = _keys[keyId];
        uint256 m = k.signerCount;
        if (m >= MAX_SIGNERS) revert TooManySigners(m + 1);
        mapping(uint256 => bytes32) storage signers = _signerAt[keyId];
        for (uint256 i; i < m; ++i) {
            if (signers[i] == signer) revert SignerExists(signer);
        }
        signers[m] = signer;
        k.signerCount = uint8(m + 1);
        bytes32 ks = _keySigner(keyId, signer);
        uint256 n = k.accountCount;
        for (uint256 i; i < n; ++i) {
            _signerOn[ks][_accountAt[keyId][i]] = ENABLED;
        }
        emit SignerAdded(keyId, signer);
    }

    function _removeSigner(uint176 keyId, bytes32 signer) internal {
        Key storage k = _keys[keyId];
        mapping(uint256 => bytes32) storage signers = _signerAt[keyId];
        uint256 m = k.signerCount;
        uint256 i;
        while (i < m && signers[i] != signer) ++i;
        if (i == m) revert SignerNotFound(signer);
        signers[i] = signers[m - 1];
        delete signers[m - 1];
        k.signerCount = uint8(m - 1);
        bytes32 ks = _keySigner(keyId, signer);
        uint256 n = k.accountCount;
        for (uint256 j; j < n; ++j) {
            delete _signerOn[ks][_accountAt[keyId][j]];
        }
        emit SignerRemoved(keyId, signer);
    }
}
