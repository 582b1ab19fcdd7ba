// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {KeyStoreState} from "../../src/KeyStoreState.sol";
import {LeanCalls} from "../../src/lib/LeanCalls.sol";
import {SignerSlot} from "../../src/lib/SignerSlot.sol";

/// @notice Unit tests of the KeyStore: every path of the key lifecycle (register, enable, disable,
/// revoke, transferControl), the signer set (add, remove, rotate) and its propagation to the
/// per-account copies that validation reads, account consent (self-call, ERC-1271, ECDSA), and
/// the views.
/// @dev LeanCalls.authorizedStateOf (internal), exposed.
contract LeanReader {
    function authorizedStateOf(KeyStore keyStore, uint176 keyId, address account, bytes32 signer)
        external
        view
        returns (uint8, bool)
    {
        return LeanCalls.authorizedStateOf(keyStore, keyId, account, signer);
    }
}

contract KeyStoreTest is FunctorTest {
    LeanReader internal lean = new LeanReader();

    TestAccount internal acctA;
    TestAccount internal acctB;
    TestAccount internal acctC;

    address internal agent1;
    address internal agent2;
    address internal agent3;
    bytes32 internal s1;
    bytes32 internal s2;
    bytes32 internal s3;

    address internal stranger = address(0x5757);

    bytes32 internal constant SALT = bytes32("agent-key");

    function setUp() public override {
        super.setUp();
        acctA = _newAccount(TestAccount.Style.Nexus);
        acctB = _newAccount(TestAccount.Style.Nexus);
        acctC = _newAccount(TestAccount.Style.Nexus);
        agent1 = makeAddr("agent1");
        agent2 = makeAddr("agent2");
        agent3 = makeAddr("agent3");
        s1 = _signerId(agent1);
        s2 = _signerId(agent2);
        s3 = _signerId(agent3);
    }

    /*//////////////////////////////////////////////////////////////
                                 HELPERS
    //////////////////////////////////////////////////////////////*/

    function _list(bytes32 a) internal pure returns (bytes32[] memory l) {
        l = new bytes32[](1);
        l[0] = a;
    }

    function _list(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory l) {
        l = new bytes32[](2);
        l[0] = a;
        l[1] = b;
    }

    function _none() internal pure returns (KeyStore.EnableAuth[] memory) {
        return new KeyStore.EnableAuth[](0);
    }

    function _auths(KeyStore.EnableAuth memory a) internal pure returns (KeyStore.EnableAuth[] memory l) {
        l = new KeyStore.EnableAuth[](1);
        l[0] = a;
    }

    /// @dev The account consents by being the caller: empty signature.
    function _self(address account) internal pure returns (KeyStore.EnableAuth memory) {
        return KeyStore.EnableAuth(account, 0, "");
    }

    /// @dev ERC-1271 consent of a TestAccount: its owner signs enableDigest with the account's nonce.
    function _consent(TestAccount account, uint176 keyId, uint256 deadline)
        internal
        view
        returns (KeyStore.EnableAuth memory)
    {
        bytes32 digest = keyStore.enableDigest(keyId, address(account), keyStore.nonces(address(account)), deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerPk, digest);
        return KeyStore.EnableAuth(address(account), deadline, abi.encodePacked(r, s, v));
    }

    /// @dev ECDSA consent of an EOA account (SignatureChecker's EOA path).
    function _eoaConsent(address account, uint256 pk, uint176 keyId)
        internal
        view
        returns (KeyStore.EnableAuth memory)
    {
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = keyStore.enableDigest(keyId, account, keyStore.nonces(account), deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return KeyStore.EnableAuth(account, deadline, abi.encodePacked(r, s, v));
    }

    /// @dev acctA registers a key with signer s1, enabled on itself only.
    function _registerOnA() internal returns (uint176 keyId) {
        vm.prank(address(acctA));
        keyId = keyStore.register(SALT, _list(s1), _auths(_self(address(acctA))));
    }

    /// @dev acctA registers a key with signer s1, enabled on A (self), B and C (ERC-1271 consent).
    function _registerOnABC() internal returns (uint176 keyId) {
        keyId = keyStore.keyIdFor(address(acctA), SALT);
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](3);
        auths[0] = _self(address(acctA));
        auths[1] = _consent(acctB, keyId, block.timestamp + 1 hours);
        auths[2] = _consent(acctC, keyId, block.timestamp + 1 hours);
        vm.prank(address(acctA));
        assertEq(keyStore.register(SALT, _list(s1), auths), keyId);
    }

    /// @dev alice (an EOA) registers a key with signer s1, enabled nowhere.
    function _registerByAlice() internal returns (uint176 keyId) {
        vm.prank(alice);
        keyId = keyStore.register(SALT, _list(s1), _none());
    }

    function _accountsOf(uint176 keyId) internal view returns (address[] memory accounts) {
        (,,,, accounts) = keyStore.keyInfo(keyId);
    }

    function _signersOf(uint176 keyId) internal view returns (bytes32[] memory signers) {
        (,,, signers,) = keyStore.keyInfo(keyId);
    }

    function _assertAuthorizedOnABC(uint176 keyId, bytes32 signer, bool expected) internal view {
        assertEq(keyStore.isAuthorized(keyId, address(acctA), signer), expected, "A");
        assertEq(keyStore.isAuthorized(keyId, address(acctB), signer), expected, "B");
        assertEq(keyStore.isAuthorized(keyId, address(acctC), signer), expected, "C");
    }

    function _err(bytes4 sel, uint176 keyId) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(sel, keyId);
    }

    /*//////////////////////////////////////////////////////////////
                                 REGISTER
    //////////////////////////////////////////////////////////////*/

    function test_KeyIdFor_IsHashOfRegistrantAndSalt() public view {
        assertEq(keyStore.keyIdFor(alice, SALT), uint176(uint256(keccak256(abi.encode(alice, SALT)))));
        assertTrue(keyStore.keyIdFor(alice, SALT) != keyStore.keyIdFor(bob, SALT));
        assertTrue(keyStore.keyIdFor(alice, SALT) != keyStore.keyIdFor(alice, bytes32("other")));
    }

    function test_Register_ReturnsKeyIdForCallerAndSalt() public {
        uint176 keyId = _registerByAlice();
        assertEq(keyId, keyStore.keyIdFor(alice, SALT));
        (address controller, bool revoked, uint40 registeredAt, bytes32[] memory signers, address[] memory accounts) =
            keyStore.keyInfo(keyId);
        assertEq(controller, alice);
        assertFalse(revoked);
        assertEq(registeredAt, block.timestamp);
        assertEq(signers.length, 1);
        assertEq(signers[0], s1);
        assertEq(accounts.length, 0);
    }

    function test_Register_SameSaltByAnotherRegistrantIsAnotherKey() public {
        uint176 k1 = _registerByAlice();
        vm.prank(bob);
        uint176 k2 = keyStore.register(SALT, _list(s1), _none());
        assertTrue(k1 != k2);
        (address controller,,,,) = keyStore.keyInfo(k2);
        assertEq(controller, bob);
    }

    function test_Register_EmitsRegisteredSignersAndEnabled() public {
        uint176 keyId = keyStore.keyIdFor(address(acctA), SALT);
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.KeyRegistered(keyId, address(acctA));
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.SignerAdded(keyId, s1);
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.SignerAdded(keyId, s2);
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.KeyEnabled(keyId, address(acctA));
        vm.prank(address(acctA));
        keyStore.register(SALT, _list(s1, s2), _auths(_self(address(acctA))));
    }

    function test_Register_EnablesCallerWithEmptySignature() public {
        uint176 keyId = _registerOnA();
        assertEq(keyStore.grantState(keyId, address(acctA)), keyStore.ENABLED());
        assertTrue(keyStore.isAuthorized(keyId, address(acctA), s1));
        assertEq(keyStore.nonces(address(acctA)), 0, "a self-consent uses no nonce");
    }

    function test_Register_EnablesSeveralAccountsWithConsent() public {
        uint176 keyId = _registerOnABC();
        _assertAuthorizedOnABC(keyId, s1, true);
        address[] memory accounts = _accountsOf(keyId);
        assertEq(accounts.length, 3);
        assertEq(accounts[0], address(acctA));
        assertEq(accounts[1], address(acctB));
        assertEq(accounts[2], address(acctC));
        assertEq(keyStore.nonces(address(acctB)), 1);
        assertEq(keyStore.nonces(address(acctC)), 1);
    }

    function test_Register_EOAAccountConsentsWithECDSA() public {
        (address eoa, uint256 pk) = makeAddrAndKey("eoa-account");
        uint176 keyId = keyStore.keyIdFor(alice, SALT);
        KeyStore.EnableAuth[] memory auths = _auths(_eoaConsent(eoa, pk, keyId));
        vm.prank(alice);
        keyStore.register(SALT, _list(s1), auths);
        assertTrue(keyStore.isAuthorized(keyId, eoa, s1));
        assertEq(keyStore.nonces(eoa), 1);
    }

    function test_RevertWhen_RegisterTwice_KeyExists() public {
        uint176 keyId = _registerByAlice();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.KeyExists.selector, keyId));
        keyStore.register(SALT, _list(s2), _none());
    }

    function test_RevertWhen_RegisterWithoutSigner_NoSigner() public {
        vm.prank(alice);
        vm.expectRevert(KeyStore.NoSigner.selector);
        keyStore.register(SALT, new bytes32[](0), _none());
    }

    function test_RevertWhen_RegisterWithTooManySigners() public {
        bytes32[] memory signers = new bytes32[](5);
        for (uint256 i; i < 5; ++i) {
            signers[i] = bytes32(i + 1);
        }
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.TooManySigners.selector, 5));
        keyStore.register(SALT, signers, _none());
    }

    function test_Register_MaxSignersAccepted() public {
        bytes32[] memory signers = new bytes32[](4);
        for (uint256 i; i < 4; ++i) {
            signers[i] = bytes32(i + 1);
        }
        vm.prank(alice);
        uint176 keyId = keyStore.register(SALT, signers, _none());
        assertEq(_signersOf(keyId).length, keyStore.MAX_SIGNERS());
    }

    function test_RevertWhen_RegisterWithZeroSigner() public {
        vm.prank(alice);
        vm.expectRevert(KeyStore.ZeroSigner.selector);
        keyStore.register(SALT, _list(s1, bytes32(0)), _none());
    }

    function test_RevertWhen_RegisterWithDuplicateSigner_SignerExists() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.SignerExists.selector, s1));
        keyStore.register(SALT, _list(s1, s1), _none());
    }

    function test_RevertWhen_RegisterEnablesZeroAddress() public {
        vm.prank(alice);
        vm.expectRevert(KeyStore.ZeroAddress.selector);
        keyStore.register(SALT, _list(s1), _auths(KeyStore.EnableAuth(address(0), 0, "")));
    }

    function test_RevertWhen_RegisterEnablesSameAccountTwice_AlreadyEnabled() public {
        uint176 keyId = keyStore.keyIdFor(address(acctA), SALT);
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](2);
        auths[0] = _self(address(acctA));
        auths[1] = _self(address(acctA));
        vm.prank(address(acctA));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.AlreadyEnabled.selector, keyId, address(acctA)));
        keyStore.register(SALT, _list(s1), auths);
    }

    /*//////////////////////////////////////////////////////////////
                                 CONSENT
    //////////////////////////////////////////////////////////////*/

    function test_Enable_ConsentAtDeadlineIsAccepted() public {
        uint176 keyId = _registerByAlice();
        KeyStore.EnableAuth[] memory auths = _auths(_consent(acctB, keyId, block.timestamp));
        vm.prank(alice);
        keyStore.enable(keyId, auths);
        assertTrue(keyStore.isAuthorized(keyId, address(acctB), s1));
    }

    function test_RevertWhen_ConsentExpired() public {
        uint176 keyId = _registerByAlice();
        uint256 deadline = block.timestamp - 1;
        KeyStore.EnableAuth[] memory auths = _auths(_consent(acctB, keyId, deadline));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.ConsentExpired.selector, address(acctB), deadline));
        keyStore.enable(keyId, auths);
    }

    function test_RevertWhen_ConsentSignedByAnotherKey_BadConsent() public {
        uint176 keyId = _registerByAlice();
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = keyStore.enableDigest(keyId, address(acctB), 0, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(0xBAD, digest);
        KeyStore.EnableAuth[] memory auths =
            _auths(KeyStore.EnableAuth(address(acctB), deadline, abi.encodePacked(r, s, v)));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadConsent.selector, address(acctB)));
        keyStore.enable(keyId, auths);
    }

    function test_RevertWhen_ConsentForAnotherAccount_BadConsent() public {
        uint176 keyId = _registerByAlice();
        // acctB and acctC share an owner: B's consent does not enable C (the account is signed).
        KeyStore.EnableAuth memory a = _consent(acctB, keyId, block.timestamp + 1 hours);
        a.account = address(acctC);
        KeyStore.EnableAuth[] memory auths = _auths(a);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadConsent.selector, address(acctC)));
        keyStore.enable(keyId, auths);
    }

    function test_RevertWhen_ConsentForAnotherKey_BadConsent() public {
        uint176 keyId = _registerByAlice();
        vm.prank(alice);
        uint176 other = keyStore.register(bytes32("other"), _list(s2), _none());
        KeyStore.EnableAuth[] memory auths = _auths(_consent(acctB, keyId, block.timestamp + 1 hours));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadConsent.selector, address(acctB)));
        keyStore.enable(other, auths);
    }

    function test_RevertWhen_ConsentDeadlineAltered_BadConsent() public {
        uint176 keyId = _registerByAlice();
        KeyStore.EnableAuth memory a = _consent(acctB, keyId, block.timestamp + 1 hours);
        a.deadline += 1;
        KeyStore.EnableAuth[] memory auths = _auths(a);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadConsent.selector, address(acctB)));
        keyStore.enable(keyId, auths);
    }

    function test_RevertWhen_ConsentEmptyFromAnotherAccount_BadConsent() public {
        uint176 keyId = _registerByAlice();
        KeyStore.EnableAuth[] memory auths = _auths(KeyStore.EnableAuth(address(acctB), block.timestamp, ""));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadConsent.selector, address(acctB)));
        keyStore.enable(keyId, auths);
    }

    /// @dev A session key cannot consent for its account: FunctorValidator answers ERC-1271 with
    /// 0xffffffff, whatever it is given.
    function test_RevertWhen_ConsentSignedBySessionKeyThroughValidator_BadConsent() public {
        (address agent, uint256 agentPk) = makeAddrAndKey("session");
        _grant(acctB, bytes32("k"), agent, _usdcPolicies());
        vm.prank(alice);
        uint176 other = keyStore.register(SALT, _list(s1), _none());
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = keyStore.enableDigest(other, address(acctB), 0, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(agentPk, digest);
        bytes memory sig = abi.encodePacked(address(opValidator), uint8(0), r, s, v);
        KeyStore.EnableAuth[] memory auths = _auths(KeyStore.EnableAuth(address(acctB), deadline, sig));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadConsent.selector, address(acctB)));
        keyStore.enable(other, auths);
    }

    function test_RevertWhen_ConsentReplayed_NonceUsed() public {
        uint176 keyId = _registerByAlice();
        KeyStore.EnableAuth[] memory auths = _auths(_consent(acctB, keyId, block.timestamp + 1 hours));
        vm.prank(alice);
        keyStore.enable(keyId, auths);
        assertEq(keyStore.nonces(address(acctB)), 1);

        // Disabled, the account's old consent cannot enable the key again.
        vm.prank(address(acctB));
        keyStore.disable(keyId, address(acctB));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadConsent.selector, address(acctB)));
        keyStore.enable(keyId, auths);

        // A fresh consent (next nonce) does.
        KeyStore.EnableAuth[] memory fresh = _auths(_consent(acctB, keyId, block.timestamp + 1 hours));
        vm.prank(alice);
        keyStore.enable(keyId, fresh);
        assertTrue(keyStore.isAuthorized(keyId, address(acctB), s1));
        assertEq(keyStore.nonces(address(acctB)), 2);
    }

    function test_EnableDigest_IsEIP712TypedData() public view {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Functor KeyStore"),
                keccak256("1"),
                block.chainid,
                address(keyStore)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("EnableKey(uint176 keyId,address account,uint256 nonce,uint256 deadline)"),
                uint176(7),
                alice,
                uint256(3),
                uint256(99)
            )
        );
        assertEq(
            keyStore.ENABLE_TYPEHASH(),
            keccak256("EnableKey(uint176 keyId,address account,uint256 nonce,uint256 deadline)")
        );
        assertEq(keyStore.enableDigest(7, alice, 3, 99), keccak256(abi.encodePacked(hex"1901", domain, structHash)));
    }

    /*//////////////////////////////////////////////////////////////
                                  ENABLE
    //////////////////////////////////////////////////////////////*/

    function test_Enable_ByControllerWithConsent() public {
        uint176 keyId = _registerOnA();
        KeyStore.EnableAuth[] memory auths = _auths(_consent(acctB, keyId, block.timestamp + 1 hours));
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.KeyEnabled(keyId, address(acctB));
        vm.prank(address(acctA));
        keyStore.enable(keyId, auths);
        assertTrue(keyStore.isAuthorized(keyId, address(acctB), s1));
        assertEq(_accountsOf(keyId).length, 2);
    }

    function test_RevertWhen_EnableByNonController() public {
        uint176 keyId = _registerOnA();
        KeyStore.EnableAuth[] memory auths = _auths(_self(address(acctB)));
        // Even the account itself cannot enable a key it does not control.
        vm.prank(address(acctB));
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.NotController.selector, keyId, address(acctB)));
        keyStore.enable(keyId, auths);
    }

    function test_RevertWhen_EnableUnknownKey() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.UnknownKey.selector, uint176(42)));
        keyStore.enable(42, _none());
    }

    function test_RevertWhen_EnableAlreadyEnabled() public {
        uint176 keyId = _registerOnA();
        vm.prank(address(acctA));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.AlreadyEnabled.selector, keyId, address(acctA)));
        keyStore.enable(keyId, _auths(_self(address(acctA))));
    }

    function test_Enable_UpToMaxAccounts_ThenTooManyAccounts() public {
        uint176 keyId = _registerByAlice();
        uint256 max = keyStore.MAX_ACCOUNTS();
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](max);
        for (uint256 i; i < max; ++i) {
            (address eoa, uint256 pk) = makeAddrAndKey(string.concat("acct", vm.toString(i)));
            auths[i] = _eoaConsent(eoa, pk, keyId);
        }
        vm.prank(alice);
        keyStore.enable(keyId, auths);
        assertEq(_accountsOf(keyId).length, max);

        (address extra, uint256 extraPk) = makeAddrAndKey("one-too-many");
        KeyStore.EnableAuth[] memory more = _auths(_eoaConsent(extra, extraPk, keyId));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.TooManyAccounts.selector, max + 1));
        keyStore.enable(keyId, more);

        // Disabling one frees a place.
        vm.prank(alice);
        keyStore.disable(keyId, auths[0].account);
        vm.prank(alice);
        keyStore.enable(keyId, more);
        assertTrue(keyStore.isAuthorized(keyId, extra, s1));
    }

    function test_RevertWhen_RegisterWithTooManyAccounts() public {
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](33);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.TooManyAccounts.selector, 33));
        keyStore.register(SALT, _list(s1), auths);
    }

    /*//////////////////////////////////////////////////////////////
                                 SIGNERS
    //////////////////////////////////////////////////////////////*/

    function test_AddSigner_AuthorizedOnEveryEnabledAccount() public {
        uint176 keyId = _registerOnABC();
        _assertAuthorizedOnABC(keyId, s2, false);
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.SignerAdded(keyId, s2);
        vm.prank(address(acctA));
        keyStore.addSigner(keyId, s2);
        _assertAuthorizedOnABC(keyId, s2, true);
        _assertAuthorizedOnABC(keyId, s1, true);
        assertEq(_signersOf(keyId).length, 2);
    }

    function test_RevertWhen_AddSignerByNonController() public {
        uint176 keyId = _registerOnA();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.NotController.selector, keyId, stranger));
        keyStore.addSigner(keyId, s2);
    }

    function test_RevertWhen_AddSignerToUnknownKey() public {
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.UnknownKey.selector, uint176(1)));
        keyStore.addSigner(1, s2);
    }

    function test_RevertWhen_AddZeroSigner() public {
        uint176 keyId = _registerOnA();
        vm.prank(address(acctA));
        vm.expectRevert(KeyStore.ZeroSigner.selector);
        keyStore.addSigner(keyId, bytes32(0));
    }

    function test_RevertWhen_AddExistingSigner() public {
        uint176 keyId = _registerOnA();
        vm.prank(address(acctA));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.SignerExists.selector, s1));
        keyStore.addSigner(keyId, s1);
    }

    function test_RevertWhen_AddSignerBeyondMax() public {
        uint176 keyId = _registerOnA();
        vm.startPrank(address(acctA));
        keyStore.addSigner(keyId, s2);
        keyStore.addSigner(keyId, s3);
        keyStore.addSigner(keyId, bytes32(uint256(4)));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.TooManySigners.selector, 5));
        keyStore.addSigner(keyId, bytes32(uint256(5)));
        vm.stopPrank();
    }

    function test_RemoveSigner_UnauthorizedOnEveryEnabledAccount() public {
        uint176 keyId = _registerOnABC();
        vm.prank(address(acctA));
        keyStore.addSigner(keyId, s2);
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.SignerRemoved(keyId, s1);
        vm.prank(address(acctA));
        keyStore.removeSigner(keyId, s1);
        _assertAuthorizedOnABC(keyId, s1, false);
        _assertAuthorizedOnABC(keyId, s2, true);
        bytes32[] memory signers = _signersOf(keyId);
        assertEq(signers.length, 1);
        assertEq(signers[0], s2);
    }

    function test_RevertWhen_RemoveLastSigner_NoSigner() public {
        uint176 keyId = _registerOnA();
        vm.prank(address(acctA));
        vm.expectRevert(KeyStore.NoSigner.selector);
        keyStore.removeSigner(keyId, s1);
        assertTrue(keyStore.isAuthorized(keyId, address(acctA), s1));
    }

    function test_RevertWhen_RemoveUnknownSigner_SignerNotFound() public {
        uint176 keyId = _registerOnA();
        vm.prank(address(acctA));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.SignerNotFound.selector, s2));
        keyStore.removeSigner(keyId, s2);
    }

    function test_RevertWhen_RemoveSignerByNonController() public {
        uint176 keyId = _registerOnA();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.NotController.selector, keyId, stranger));
        keyStore.removeSigner(keyId, s1);
    }

    function test_RotateSigner_ReplacesOnEveryEnabledAccount() public {
        uint176 keyId = _registerOnABC();
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.SignerRemoved(keyId, s1);
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.SignerAdded(keyId, s2);
        vm.prank(address(acctA));
        keyStore.rotateSigner(keyId, s1, s2);
        _assertAuthorizedOnABC(keyId, s1, false);
        _assertAuthorizedOnABC(keyId, s2, true);
        bytes32[] memory signers = _signersOf(keyId);
        assertEq(signers.length, 1);
        assertEq(signers[0], s2);
    }

    function test_RotateSigner_WorksAtMaxSigners() public {
        uint176 keyId = _registerOnA();
        vm.startPrank(address(acctA));
        keyStore.addSigner(keyId, s2);
        keyStore.addSigner(keyId, s3);
        keyStore.addSigner(keyId, bytes32(uint256(4)));
        keyStore.rotateSigner(keyId, s2, bytes32(uint256(5)));
        vm.stopPrank();
        assertTrue(keyStore.isAuthorized(keyId, address(acctA), bytes32(uint256(5))));
        assertFalse(keyStore.isAuthorized(keyId, address(acctA), s2));
        assertEq(_signersOf(keyId).length, 4);
    }

    function test_RevertWhen_RotateUnknownSigner_SignerNotFound() public {
        uint176 keyId = _registerOnA();
        vm.prank(address(acctA));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.SignerNotFound.selector, s3));
        keyStore.rotateSigner(keyId, s3, s2);
    }

    function test_RevertWhen_RotateToExistingSigner_SignerExists() public {
        uint176 keyId = _registerOnA();
        vm.startPrank(address(acctA));
        keyStore.addSigner(keyId, s2);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.SignerExists.selector, s2));
        keyStore.rotateSigner(keyId, s1, s2);
        vm.stopPrank();
    }

    function test_RevertWhen_RotateToZeroSigner() public {
        uint176 keyId = _registerOnA();
        vm.prank(address(acctA));
        vm.expectRevert(KeyStore.ZeroSigner.selector);
        keyStore.rotateSigner(keyId, s1, bytes32(0));
    }

    function test_RevertWhen_RotateByNonController() public {
        uint176 keyId = _registerOnA();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.NotController.selector, keyId, stranger));
        keyStore.rotateSigner(keyId, s1, s2);
    }

    /*//////////////////////////////////////////////////////////////
                                 DISABLE
    //////////////////////////////////////////////////////////////*/

    function test_Disable_ByAccount() public {
        uint176 keyId = _registerOnABC();
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.KeyDisabled(keyId, address(acctB));
        vm.prank(address(acctB));
        keyStore.disable(keyId, address(acctB));
        assertEq(keyStore.grantState(keyId, address(acctB)), keyStore.NONE());
        assertFalse(keyStore.isAuthorized(keyId, address(acctB), s1));
        (uint8 state, bool signerOk) = keyStore.authorizedStateOf(keyId, address(acctB), s1);
        assertEq(state, 0);
        assertFalse(signerOk, "the per-account signer copy is cleared");
        assertTrue(keyStore.isAuthorized(keyId, address(acctA), s1));
        assertTrue(keyStore.isAuthorized(keyId, address(acctC), s1));
        assertEq(_accountsOf(keyId).length, 2);
    }

    function test_Disable_ByController() public {
        uint176 keyId = _registerOnABC();
        vm.prank(address(acctA));
        keyStore.disable(keyId, address(acctC));
        assertFalse(keyStore.isAuthorized(keyId, address(acctC), s1));
        assertEq(_accountsOf(keyId).length, 2);
    }

    function test_RevertWhen_DisableByStranger_NotAllowed() public {
        uint176 keyId = _registerOnABC();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotAllowed.selector, keyId, stranger));
        keyStore.disable(keyId, address(acctB));
    }

    function test_RevertWhen_DisableByAnotherEnabledAccount_NotAllowed() public {
        uint176 keyId = _registerOnABC();
        vm.prank(address(acctC));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotAllowed.selector, keyId, address(acctC)));
        keyStore.disable(keyId, address(acctB));
    }

    function test_RevertWhen_DisableNotEnabled() public {
        uint176 keyId = _registerOnA();
        vm.prank(address(acctB));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotEnabled.selector, keyId, address(acctB)));
        keyStore.disable(keyId, address(acctB));
    }

    function test_RevertWhen_DisableTwice_NotEnabled() public {
        uint176 keyId = _registerOnA();
        vm.startPrank(address(acctA));
        keyStore.disable(keyId, address(acctA));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotEnabled.selector, keyId, address(acctA)));
        keyStore.disable(keyId, address(acctA));
        vm.stopPrank();
    }

    function test_RevertWhen_DisableUnknownKey() public {
        vm.prank(address(acctA));
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.UnknownKey.selector, uint176(9)));
        keyStore.disable(9, address(acctA));
    }

    /// @dev Swap-and-pop: disabling the first of three moves the last into its place; both others
    /// keep their grant and signers, their indices stay right, and each can still be disabled.
    function test_Disable_FirstOfThree_KeepsOthersAndIndices() public {
        uint176 keyId = _registerOnABC();
        vm.prank(address(acctA));
        keyStore.disable(keyId, address(acctA));

        address[] memory accounts = _accountsOf(keyId);
        assertEq(accounts.length, 2);
        assertEq(accounts[0], address(acctC), "last moved into the freed place");
        assertEq(accounts[1], address(acctB));
        assertTrue(keyStore.isAuthorized(keyId, address(acctB), s1));
        assertTrue(keyStore.isAuthorized(keyId, address(acctC), s1));

        // Signer changes still reach both.
        vm.prank(address(acctA));
        keyStore.rotateSigner(keyId, s1, s2);
        assertTrue(keyStore.isAuthorized(keyId, address(acctB), s2));
        assertTrue(keyStore.isAuthorized(keyId, address(acctC), s2));
        assertFalse(keyStore.isAuthorized(keyId, address(acctA), s2), "disabled account not reached");

        // C now sits at index 0, B at 1: disabling C (moved) then B must hit the right entries.
        vm.prank(address(acctC));
        keyStore.disable(keyId, address(acctC));
        accounts = _accountsOf(keyId);
        assertEq(accounts.length, 1);
        assertEq(accounts[0], address(acctB));
        assertTrue(keyStore.isAuthorized(keyId, address(acctB), s2));

        vm.prank(address(acctB));
        keyStore.disable(keyId, address(acctB));
        assertEq(_accountsOf(keyId).length, 0);
        assertFalse(keyStore.isAuthorized(keyId, address(acctB), s2));
    }

    function test_Disable_ThenReEnable_GetsCurrentSigners() public {
        uint176 keyId = _registerOnABC();
        vm.prank(address(acctB));
        keyStore.disable(keyId, address(acctB));
        vm.prank(address(acctA));
        keyStore.rotateSigner(keyId, s1, s2);

        KeyStore.EnableAuth[] memory auths = _auths(_consent(acctB, keyId, block.timestamp + 1 hours));
        vm.prank(address(acctA));
        keyStore.enable(keyId, auths);
        assertFalse(keyStore.isAuthorized(keyId, address(acctB), s1), "old signer stays out");
        assertTrue(keyStore.isAuthorized(keyId, address(acctB), s2));
        address[] memory accounts = _accountsOf(keyId);
        assertEq(accounts.length, 3);
        assertEq(accounts[2], address(acctB));
    }

    /*//////////////////////////////////////////////////////////////
                                  REVOKE
    //////////////////////////////////////////////////////////////*/

    function test_Revoke_EveryAccountInOneTransaction() public {
        uint176 keyId = _registerOnABC();
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStoreState.KeyRevoked(keyId);
        vm.prank(address(acctA));
        keyStore.revoke(keyId);

        uint8 revokedState = keyStore.REVOKED();
        assertEq(keyStore.grantState(keyId, address(acctA)), revokedState);
        assertEq(keyStore.grantState(keyId, address(acctB)), revokedState);
        assertEq(keyStore.grantState(keyId, address(acctC)), revokedState);
        _assertAuthorizedOnABC(keyId, s1, false);
        (, bool revoked,,,) = keyStore.keyInfo(keyId);
        assertTrue(revoked);
        // Validation reads (REVOKED, no signer): revoke turns every signer-on-account word to
        // REVOKED (one write per signer and account), which authorizedStateOf reads first.
        (uint8 state, bool signerOk) = keyStore.authorizedStateOf(keyId, address(acctB), s1);
        assertEq(state, revokedState);
        assertFalse(signerOk);
    }

    /// @dev The signer-on-account flag implies "enabled", for every signer and account, across
    /// add, rotate, disable and revoke (authorizedStateOf reads the grant only when the flag is unset).
    function test_Authorization_SignerFlagImpliesEnabled() public {
        uint176 keyId = _registerOnABC();
        vm.startPrank(address(acctA));
        keyStore.addSigner(keyId, s2);
        keyStore.disable(keyId, address(acctC));
        vm.stopPrank();
        (uint8 state, bool ok) = keyStore.authorizedStateOf(keyId, address(acctB), s2);
        assertEq(state, keyStore.ENABLED());
        assertTrue(ok);
        (state, ok) = keyStore.authorizedStateOf(keyId, address(acctC), s2);
        assertEq(state, keyStore.NONE());
        assertFalse(ok);
        (state, ok) = keyStore.authorizedStateOf(keyId, address(acctB), bytes32(uint256(0xDEAD)));
        assertEq(state, keyStore.ENABLED(), "an unknown signer still reads the real grant state");
        assertFalse(ok);
        vm.prank(address(acctA));
        keyStore.revoke(keyId);
        address[3] memory all = [address(acctA), address(acctB), address(acctC)];
        for (uint256 i; i < 3; ++i) {
            for (uint256 j; j < 2; ++j) {
                (state, ok) = keyStore.authorizedStateOf(keyId, all[i], j == 0 ? s1 : s2);
                assertFalse(ok);
                assertEq(state, i == 2 ? keyStore.NONE() : keyStore.REVOKED());
                assertFalse(keyStore.isAuthorized(keyId, all[i], j == 0 ? s1 : s2));
            }
        }
    }

    /// @dev Whatever happened before (signers added, rotated, removed; accounts disabled and
    /// re-enabled), after revoke no signer, the key's own or a stranger, is authorized on any
    /// account, the key's own signers read REVOKED, and the views agree.
    function testFuzz_Revoke_NothingAuthorizedAnywhere(uint256 seed, bytes32 stranger_) public {
        vm.assume(stranger_ != s1 && stranger_ != s2 && stranger_ != s3 && stranger_ != 0);
        uint176 keyId = _registerOnABC();
        TestAccount[3] memory all = [acctA, acctB, acctC];
        vm.startPrank(address(acctA));
        if (seed & 1 != 0) keyStore.addSigner(keyId, s2);
        if (seed & 2 != 0) keyStore.rotateSigner(keyId, s1, s3);
        TestAccount off = all[(seed >> 8) % 3];
        if (seed & 4 != 0) keyStore.disable(keyId, address(off));
        vm.stopPrank();
        if (seed & 12 == 12) {
            // re-enabled: the disabled account's index moved, its words are written again
            KeyStore.EnableAuth memory auth =
                off == acctA ? _self(address(acctA)) : _consent(off, keyId, block.timestamp + 1 hours);
            vm.prank(address(acctA));
            keyStore.enable(keyId, _auths(auth));
        }
        bytes32[] memory signers = _signersOf(keyId);
        address[] memory enabled = _accountsOf(keyId);

        vm.prank(address(acctA));
        keyStore.revoke(keyId);

        for (uint256 i; i < 3; ++i) {
            address a = address(all[i]);
            bool wasEnabled;
            for (uint256 k; k < enabled.length; ++k) {
                wasEnabled = wasEnabled || enabled[k] == a;
            }
            for (uint256 j; j < signers.length; ++j) {
                (uint8 state, bool ok) = keyStore.authorizedStateOf(keyId, a, signers[j]);
                assertFalse(ok, "a signer of a revoked key");
                assertEq(state, wasEnabled ? keyStore.REVOKED() : keyStore.NONE());
                assertFalse(keyStore.isAuthorized(keyId, a, signers[j]));
            }
            (, bool strangerOk) = keyStore.authorizedStateOf(keyId, a, stranger_);
            assertFalse(strangerOk, "a stranger on a revoked key");
            assertEq(keyStore.grantState(keyId, a), wasEnabled ? keyStore.REVOKED() : keyStore.NONE());
            assertEq(keyStore.activeKeysOf(a).length, 0);
        }
        assertEq(_accountsOf(keyId).length, enabled.length, "keyInfo still lists where it was enabled");
    }

    /// @dev `authorizedStateOf` (hand-written slots, read twice by every keyed op) against the
    /// Solidity views, after a random history: the signer may sign iff the account and the signer are
    /// listed by keyInfo and the key is not revoked; the state is NONE off the listed accounts,
    /// REVOKED for the key's own signers once revoked, ENABLED otherwise.
    function testFuzz_Authorization_MatchesKeyInfo(uint256 seed) public {
        uint176 keyId = _registerOnABC();
        TestAccount[3] memory all = [acctA, acctB, acctC];
        bytes32[4] memory ids = [s1, s2, s3, bytes32(uint256(0x5757))];
        for (uint256 step; step < 6; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            bytes32 x = ids[(r >> 8) % 3];
            bytes32 y = ids[(r >> 16) % 3];
            address acct = address(all[(r >> 24) % 3]);
            bytes memory call;
            uint256 op = r % 7;
            if (op == 0) call = abi.encodeCall(KeyStore.addSigner, (keyId, x));
            else if (op == 1) call = abi.encodeCall(KeyStore.removeSigner, (keyId, x));
            else if (op == 2) call = abi.encodeCall(KeyStore.rotateSigner, (keyId, x, y));
            else if (op == 3) call = abi.encodeCall(KeyStore.disable, (keyId, acct));
            else if (op == 4) call = abi.encodeCall(KeyStore.enable, (keyId, _auths(_self(address(acctA)))));
            else if (op == 5 && r % 5 == 0) call = abi.encodeCall(KeyStore.revoke, (keyId));
            else continue;
            vm.prank(address(acctA));
            (bool done,) = address(keyStore).call(call); // refused steps change nothing
            done;
        }
        (, bool revoked,, bytes32[] memory signers, address[] memory accounts) = keyStore.keyInfo(keyId);
        for (uint256 i; i < 3; ++i) {
            address a = address(all[i]);
            bool listed;
            for (uint256 k; k < accounts.length; ++k) {
                listed = listed || accounts[k] == a;
            }
            for (uint256 j; j < 4; ++j) {
                bool isSigner;
                for (uint256 k; k < signers.length; ++k) {
                    isSigner = isSigner || signers[k] == ids[j];
                }
                (uint8 state, bool ok) = keyStore.authorizedStateOf(keyId, a, ids[j]);
                assertEq(ok, listed && isSigner && !revoked, "signerOk");
                assertEq(ok, keyStore.isAuthorized(keyId, a, ids[j]), "isAuthorized");
                uint8 want = !listed ? keyStore.NONE() : revoked && isSigner ? keyStore.REVOKED() : keyStore.ENABLED();
                assertEq(state, want, "state");
                (uint8 oldState, bool oldOk) = keyStore.authorization(keyId, a, ids[j]);
                assertEq(oldState, state, "authorization's state (its first name)");
                assertEq(oldOk, ok, "authorization's signerOk (its first name)");
                // what the validator and the hook ask: the signer's word first (readStoreSlot), then
                // authorizedStateOf when it is not ENABLED
                (uint8 leanState, bool leanOk) = lean.authorizedStateOf(keyStore, keyId, a, ids[j]);
                assertEq(leanState, state, "LeanCalls' state");
                assertEq(leanOk, ok, "LeanCalls' signerOk");
                uint256 word = keyStore.readStoreSlot(SignerSlot.slotOf(keyId, ids[j], a));
                assertEq(word == keyStore.ENABLED(), ok, "the signer's word is ENABLED exactly when it may sign");
            }
        }
    }

    function test_Revoke_DoesNotTouchDisabledAccount() public {
        uint176 keyId = _registerOnABC();
        vm.prank(address(acctB));
        keyStore.disable(keyId, address(acctB));
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStoreState.KeyRevoked(keyId);
        vm.prank(address(acctA));
        keyStore.revoke(keyId);
        assertEq(keyStore.grantState(keyId, address(acctB)), keyStore.NONE());
        assertEq(keyStore.grantState(keyId, address(acctC)), keyStore.REVOKED());
        assertEq(_accountsOf(keyId).length, 2, "the accounts it was revoked on: A and C");
        (uint8 state,) = keyStore.authorizedStateOf(keyId, address(acctB), s1);
        assertEq(state, keyStore.NONE(), "B was not written: it reads its disabled grant");
    }

    function test_RevertWhen_RevokeByNonController() public {
        uint176 keyId = _registerOnABC();
        vm.prank(address(acctB));
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.NotController.selector, keyId, address(acctB)));
        keyStore.revoke(keyId);
    }

    function test_RevertWhen_RevokeUnknownKey() public {
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.UnknownKey.selector, uint176(5)));
        keyStore.revoke(5);
    }

    function test_RevertWhen_AnythingAfterRevoke_KeyIsRevoked() public {
        uint176 keyId = _registerOnABC();
        vm.startPrank(address(acctA));
        keyStore.revoke(keyId);
        bytes memory err = _err(KeyStoreState.KeyIsRevoked.selector, keyId);

        vm.expectRevert(err);
        keyStore.revoke(keyId);
        vm.expectRevert(err);
        keyStore.addSigner(keyId, s2);
        vm.expectRevert(err);
        keyStore.removeSigner(keyId, s1);
        vm.expectRevert(err);
        keyStore.rotateSigner(keyId, s1, s2);
        vm.expectRevert(err);
        keyStore.transferControl(keyId, alice);
        vm.expectRevert(err);
        keyStore.disable(keyId, address(acctA));
        vm.stopPrank();

        KeyStore.EnableAuth[] memory auths = _auths(_consent(acctB, keyId, block.timestamp + 1 hours));
        vm.prank(address(acctA));
        vm.expectRevert(err);
        keyStore.enable(keyId, auths);

        // The account itself cannot un-revoke by disabling either.
        vm.prank(address(acctB));
        vm.expectRevert(err);
        keyStore.disable(keyId, address(acctB));
    }

    function test_RevertWhen_RegisterRevokedKeyAgain_KeyExists() public {
        uint176 keyId = _registerOnA();
        vm.prank(address(acctA));
        keyStore.revoke(keyId);
        vm.prank(address(acctA));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.KeyExists.selector, keyId));
        keyStore.register(SALT, _list(s2), _none());
    }

    /*//////////////////////////////////////////////////////////////
                             TRANSFER CONTROL
    //////////////////////////////////////////////////////////////*/

    function test_TransferControl_NewControllerHasPowerOldHasNone() public {
        uint176 keyId = _registerOnABC();
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.ControllerTransferred(keyId, address(acctA), alice);
        vm.prank(address(acctA));
        keyStore.transferControl(keyId, alice);
        (address controller,,,,) = keyStore.keyInfo(keyId);
        assertEq(controller, alice);

        bytes memory notCtl = abi.encodeWithSelector(KeyStoreState.NotController.selector, keyId, address(acctA));
        vm.startPrank(address(acctA));
        vm.expectRevert(notCtl);
        keyStore.addSigner(keyId, s2);
        vm.expectRevert(notCtl);
        keyStore.revoke(keyId);
        vm.expectRevert(notCtl);
        keyStore.transferControl(keyId, address(acctA));
        vm.stopPrank();
        // acctA is still an enabled account, so it may still disable the key on itself only.
        vm.prank(address(acctA));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotAllowed.selector, keyId, address(acctA)));
        keyStore.disable(keyId, address(acctB));

        vm.startPrank(alice);
        keyStore.addSigner(keyId, s2);
        keyStore.disable(keyId, address(acctB));
        vm.stopPrank();
        assertTrue(keyStore.isAuthorized(keyId, address(acctC), s2));
        assertFalse(keyStore.isAuthorized(keyId, address(acctB), s1));
    }

    function test_RevertWhen_TransferControlToZero() public {
        uint176 keyId = _registerOnA();
        vm.prank(address(acctA));
        vm.expectRevert(KeyStore.ZeroAddress.selector);
        keyStore.transferControl(keyId, address(0));
    }

    function test_RevertWhen_TransferControlByNonController() public {
        uint176 keyId = _registerOnA();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.NotController.selector, keyId, stranger));
        keyStore.transferControl(keyId, stranger);
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    function test_Authorization_StateAndSignerSeparately() public {
        uint176 keyId = _registerOnA();
        (uint8 state, bool ok) = keyStore.authorizedStateOf(keyId, address(acctA), s1);
        assertEq(state, 1);
        assertTrue(ok);
        (state, ok) = keyStore.authorizedStateOf(keyId, address(acctA), s2);
        assertEq(state, 1);
        assertFalse(ok, "not a signer");
        (state, ok) = keyStore.authorizedStateOf(keyId, address(acctB), s1);
        assertEq(state, 0);
        assertFalse(ok, "not enabled there");
        assertFalse(keyStore.isAuthorized(keyId, address(acctB), s1));
        assertFalse(keyStore.isAuthorized(keyId + 1, address(acctA), s1), "another keyId");
    }

    function test_KeyInfo_UnknownKeyIsEmpty() public view {
        (address controller, bool revoked, uint40 at, bytes32[] memory signers, address[] memory accounts) =
            keyStore.keyInfo(123);
        assertEq(controller, address(0));
        assertFalse(revoked);
        assertEq(at, 0);
        assertEq(signers.length, 0);
        assertEq(accounts.length, 0);
    }

    function test_ActiveKeysOf_FiltersDisabledAndRevoked() public {
        vm.startPrank(address(acctA));
        uint176 k1 = keyStore.register(bytes32("k1"), _list(s1), _auths(_self(address(acctA))));
        uint176 k2 = keyStore.register(bytes32("k2"), _list(s1), _auths(_self(address(acctA))));
        uint176 k3 = keyStore.register(bytes32("k3"), _list(s1), _auths(_self(address(acctA))));
        uint176 k4 = keyStore.register(bytes32("k4"), _list(s1), _auths(_self(address(acctA))));
        vm.stopPrank();

        uint176[] memory keys = keyStore.activeKeysOf(address(acctA));
        assertEq(keys.length, 4);

        vm.startPrank(address(acctA));
        keyStore.disable(k2, address(acctA));
        keyStore.revoke(k3);
        vm.stopPrank();
        keys = keyStore.activeKeysOf(address(acctA));
        assertEq(keys.length, 2);
        assertEq(keys[0], k1);
        assertEq(keys[1], k4);

        // Re-enabling a disabled key lists it once, not twice.
        vm.prank(address(acctA));
        keyStore.enable(k2, _auths(_self(address(acctA))));
        keys = keyStore.activeKeysOf(address(acctA));
        assertEq(keys.length, 3);
        assertEq(keys[0], k1);
        assertEq(keys[1], k2);
        assertEq(keys[2], k4);

        assertEq(keyStore.activeKeysOf(address(acctB)).length, 0);
    }

    /// @dev An account's first key writes no more new storage than its next one: the list's length
    /// shares the first entry's word (README "An account's keys"); with a separate length slot, the
    /// first register + enable cost 17,100 gas more (the bench's "register + enable" range). Each
    /// call measured with the KeyStore's storage cold, as in a transaction of its own.
    function test_FirstKeyOnAnAccount_CostsNoMoreThanTheNext() public {
        vm.startPrank(address(acctA));
        _coolKeyStore();
        uint256 g = gasleft();
        uint176 k1 = keyStore.register(bytes32("first"), _list(s1), _auths(_self(address(acctA))));
        uint256 first = g - gasleft();
        _coolKeyStore();
        g = gasleft();
        uint176 k2 = keyStore.register(bytes32("second"), _list(s2), _auths(_self(address(acctA))));
        uint256 second = g - gasleft();
        vm.stopPrank();
        assertLe(first, second, "the first key costs no more than the second");
        uint176[] memory keys = keyStore.activeKeysOf(address(acctA));
        assertEq(keys.length, 2);
        assertEq(keys[0], k1);
        assertEq(keys[1], k2);
    }

    /// @dev Every address a KeyStore call loads, cold again: the KeyStore (the module) and the code
    /// its fallback runs (FunctorPolicyConfig's, then the KeyStore's).
    function _coolKeyStore() internal {
        vm.cool(address(keyStore));
        vm.cool(address(keyStoreCode));
        vm.cool(hookConfig.config());
    }

    /// @dev The list keeps every keyId whole and in order whatever its bits (the first entry's word
    /// also holds the length above bit 176).
    function testFuzz_ActiveKeysOf_ListsEveryKeyInOrder(uint8 count, bytes32 seed) public {
        count = uint8(bound(count, 1, 6));
        uint176[] memory made = new uint176[](count);
        vm.startPrank(address(acctA));
        for (uint256 i; i < count; ++i) {
            made[i] = keyStore.register(keccak256(abi.encode(seed, i)), _list(s1), _auths(_self(address(acctA))));
        }
        vm.stopPrank();
        assertEq(abi.encode(keyStore.activeKeysOf(address(acctA))), abi.encode(made));
        assertEq(keyStore.activeKeysOf(address(acctB)).length, 0);
    }

    function test_SignerIds() public view {
        assertEq(keyStore.ecdsaSignerId(agent1), bytes32(uint256(uint160(agent1))));
        bytes32 x = bytes32(uint256(1));
        bytes32 y = bytes32(uint256(2));
        assertEq(keyStore.p256SignerId(x, y), keccak256(abi.encode(x, y)));
        assertEq(keyStore.p256SignerId(x, y), keccak256(abi.encodePacked(x, y)));
    }

    function test_Constants() public view {
        assertEq(keyStore.MAX_SIGNERS(), 4);
        assertEq(keyStore.MAX_ACCOUNTS(), 32);
        assertEq(keyStore.NONE(), 0);
        assertEq(keyStore.ENABLED(), 1);
        assertEq(keyStore.REVOKED(), 2);
    }

    /*//////////////////////////////////////////////////////////////
                               TERMS CACHE
    //////////////////////////////////////////////////////////////*/

    /// @dev The writer acctA names (a stand-in: the module's own writes are tested with the module),
    /// and the terms it writes (bit 8 and up, arbitrary here).
    function _validatorOnA() internal returns (TermsWriter v) {
        v = new TermsWriter(keyStore);
        vm.prank(address(acctA));
        keyStore.setTermsWriter(address(v));
    }

    uint256 internal constant TERMS = uint256(keccak256("terms")) << 8;

    function _word(uint176 keyId, bytes32 signer, address account) internal view returns (uint256) {
        return keyStore.readStoreSlot(SignerSlot.slotOf(keyId, signer, account));
    }

    function test_WriteTerms_AboveTheStateByte_StateUnchanged() public {
        uint176 keyId = _registerOnA();
        TermsWriter v = _validatorOnA();
        v.write(address(acctA), keyId, TERMS);
        assertEq(_word(keyId, s1, address(acctA)), TERMS | 1, "the cache above ENABLED");
        (uint8 state, bool ok) = keyStore.authorizedStateOf(keyId, address(acctA), s1);
        assertEq(state, 1);
        assertTrue(ok);
        assertTrue(keyStore.isAuthorized(keyId, address(acctA), s1));
        (state, ok) = new LeanReader().authorizedStateOf(keyStore, keyId, address(acctA), s1);
        assertEq(state, 1, "the lean read masks the state byte");
        assertTrue(ok);
    }

    /// @dev Only the writer the account named writes its keys' terms: not a stranger, not the writer
    /// another account named, not a writer once the account names another, not anyone for an
    /// account that named none.
    function test_RevertWhen_WriteTermsByNotTheAccountsWriter() public {
        uint176 keyId = _registerOnA();
        TermsWriter stranger = new TermsWriter(keyStore);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotTermsWriter.selector, address(acctA), address(stranger)));
        stranger.write(address(acctA), keyId, TERMS);
        TermsWriter ofB = new TermsWriter(keyStore);
        vm.prank(address(acctB));
        keyStore.setTermsWriter(address(ofB));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotTermsWriter.selector, address(acctA), address(ofB)));
        ofB.write(address(acctA), keyId, TERMS);
        TermsWriter v = _validatorOnA();
        vm.expectEmit(true, true, true, true, address(keyStore));
        emit KeyStore.TermsWriterSet(address(acctA), address(stranger));
        vm.prank(address(acctA));
        keyStore.setTermsWriter(address(stranger));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotTermsWriter.selector, address(acctA), address(v)));
        v.write(address(acctA), keyId, TERMS);
        vm.prank(address(acctA));
        keyStore.setTermsWriter(address(0));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotTermsWriter.selector, address(acctA), address(0)));
        vm.prank(address(0));
        keyStore.writeTerms(address(acctA), keyId, TERMS);
        assertEq(_word(keyId, s1, address(acctA)), 1, "nothing written");
    }

    function test_RevertWhen_WriteTermsTouchesTheStateByte() public {
        uint176 keyId = _registerOnA();
        TermsWriter v = _validatorOnA();
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadTerms.selector, TERMS | 2));
        v.write(address(acctA), keyId, TERMS | 2);
    }

    /// @dev Every write of a state drops the cache: a disable and a re-enable, a revoke; a signer
    /// added or rotated in starts without one; words not ENABLED are not written.
    function test_WriteTerms_EveryStateWriteDropsTheCache() public {
        uint176 keyId = _registerOnA();
        TermsWriter v = _validatorOnA();
        v.write(address(acctA), keyId, TERMS);
        vm.prank(address(acctA));
        keyStore.disable(keyId, address(acctA));
        assertEq(_word(keyId, s1, address(acctA)), 0, "disabled");
        v.write(address(acctA), keyId, TERMS);
        assertEq(_word(keyId, s1, address(acctA)), 0, "a disabled word is not written");
        vm.prank(address(acctA));
        keyStore.enable(keyId, _auths(_self(address(acctA))));
        assertEq(_word(keyId, s1, address(acctA)), 1, "re-enabled without the old cache");

        v.write(address(acctA), keyId, TERMS);
        vm.prank(address(acctA));
        keyStore.addSigner(keyId, s2);
        assertEq(_word(keyId, s2, address(acctA)), 1, "an added signer starts without one");
        assertEq(_word(keyId, s1, address(acctA)), TERMS | 1, "the other signer keeps its cache");
        vm.prank(address(acctA));
        keyStore.rotateSigner(keyId, s1, s3);
        assertEq(_word(keyId, s1, address(acctA)), 0, "rotated out");
        assertEq(_word(keyId, s3, address(acctA)), 1, "rotated in without one");

        v.write(address(acctA), keyId, TERMS);
        assertEq(_word(keyId, s2, address(acctA)), TERMS | 1);
        assertEq(_word(keyId, s3, address(acctA)), TERMS | 1, "every current signer written");
        vm.prank(address(acctA));
        keyStore.revoke(keyId);
        assertEq(_word(keyId, s2, address(acctA)), 2, "revoked: the whole word");
        assertEq(_word(keyId, s3, address(acctA)), 2);
        v.write(address(acctA), keyId, TERMS);
        assertEq(_word(keyId, s3, address(acctA)), 2, "a revoked word is not written");
        (uint8 state,) = keyStore.authorizedStateOf(keyId, address(acctA), s3);
        assertEq(state, 2);
    }

    /// @dev Terms written on one account leave the key's words on its other accounts as they are.
    function test_WriteTerms_OnlyTheNamedAccount() public {
        uint176 keyId = _registerOnABC();
        TermsWriter v = _validatorOnA();
        v.write(address(acctA), keyId, TERMS);
        assertEq(_word(keyId, s1, address(acctA)), TERMS | 1);
        assertEq(_word(keyId, s1, address(acctB)), 1);
        assertEq(_word(keyId, s1, address(acctC)), 1);
    }
}

/// @dev A stand-in terms writer (test-only: the module's own cache writes are tested with the
/// module): writes terms through the KeyStore as itself.
contract TermsWriter {
    KeyStore internal immutable ks;

    constructor(KeyStore ks_) {
        ks = ks_;
    }

    function write(address account, uint176 keyId, uint256 terms) external {
        ks.writeTerms(account, keyId, terms);
    }
}
