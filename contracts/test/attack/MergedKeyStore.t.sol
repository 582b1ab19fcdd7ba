// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {KeyStoreState} from "../../src/KeyStoreState.sol";
import {FunctorPolicyHookBase} from "../../src/FunctorPolicyHookBase.sol";
import {Execution} from "../../src/lib/ExecutionParser.sol";
import {Policies} from "../../src/lib/PolicyTypes.sol";
import {FunctorTest} from "../utils/FunctorTest.sol";
import {TestAccount} from "../utils/TestAccount.sol";

/// @dev The KeyStore inside the module (contracts/README.md, "The KeyStore inside the module"): the
/// module holds the KeyStore's storage and runs its code, revoke and readStoreSlot in its own
/// bytecode, everything else through FunctorPolicyConfig's fallback. What each entry does, what a
/// stranger or a key can do with it, and that the KeyStore's code at its own address moves nothing.
/// The KeyStore's whole suite (test/unit/KeyStore.t.sol) runs on the module too: FunctorTest's
/// `keyStore` is the module.
contract MergedKeyStoreTest is FunctorTest {
    TestAccount internal acct;
    uint256 internal agentPk = 0xA6E47;
    address internal agent;
    uint176 internal keyId;

    function setUp() public override {
        super.setUp();
        agent = vm.addr(agentPk);
        acct = _newAccount(TestAccount.Style.Nexus);
        keyId = _grant(acct, "agent", agent, _usdcPolicies());
    }

    function test_Merged_TheHookIsTheKeyStore() public view {
        assertEq(address(keyStore), address(hook), "FunctorTest's KeyStore");
        assertEq(address(hookConfig.keyStore()), address(hook), "the hook's keyStore()");
        assertEq(address(validator.keyStoreAddress()), address(hook), "FunctorValidator reads keys in the hook");
        assertEq(keyStore.MAX_SIGNERS(), 4, "the KeyStore's getters, through the fallback");
        assertEq(keyStore.grantState(keyId, address(acct)), keyStore.ENABLED());
        assertTrue(keyStore.isAuthorized(keyId, address(acct), _signerId(agent)));
        assertTrue(address(keyStoreCode) != address(hook), "the KeyStore's code is a contract of its own");
    }

    /// @dev A key's op that calls the KeyStore's functions (the module) is refused like any other
    /// call to the module: enable itself elsewhere, add a signer, write its own terms cache.
    function test_Attack_KeyedOpCallsTheKeyStore_Forbidden() public {
        bytes[3] memory calls = [
            abi.encodeCall(KeyStore.addSigner, (keyId, bytes32(uint256(0xBAD)))),
            abi.encodeCall(KeyStore.writeTerms, (address(acct), keyId, uint256(1) << 200)),
            abi.encodeCall(KeyStore.setTermsWriter, (address(0xBAD)))
        ];
        for (uint256 i; i < calls.length; ++i) {
            PackedUserOperation memory op =
                _sessionOp(acct, keyId, _one(Execution(address(hook), 0, calls[i])), agentPk);
            _expectValidationRevert(
                op, abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(hook))
            );
        }
        assertEq(keyStore.termsWriter(address(acct)), address(hook), "the writer is unchanged");
    }

    /// @dev writeTerms from anyone but the writer the account named is refused, on the module too; the
    /// module's own call (after setPolicies) is the only one that lands.
    function test_Attack_WriteTermsByAStranger_Refused() public {
        vm.prank(makeAddr("stranger"));
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotTermsWriter.selector, address(acct), makeAddr("stranger")));
        keyStore.writeTerms(address(acct), keyId, uint256(1) << 200);
    }

    /// @dev The KeyStore's code at its own address is a KeyStore of its own storage that no module
    /// reads: a key registered and enabled there is not a key of the module's, and its signer's op on
    /// the account is refused as a stranger's.
    function test_Attack_KeyStoreCodeAtItsOwnAddress_MovesNothing() public {
        address intruder = vm.addr(0xD00D);
        bytes32[] memory signers = new bytes32[](1);
        signers[0] = _signerId(intruder);
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(address(acct), 0, "");
        vm.prank(address(acct));
        uint176 other = keyStoreCode.register("intruder", signers, auths);
        assertEq(keyStoreCode.grantState(other, address(acct)), keyStore.ENABLED(), "enabled at the code's address");
        assertEq(keyStore.grantState(other, address(acct)), keyStore.NONE(), "not in the module");
        assertFalse(keyStore.isAuthorized(other, address(acct), signers[0]));
        // the module never read the code's storage: the account cannot give that key policies, and
        // its signer's op fails validation as a key without any
        Policies memory p = _usdcPolicies();
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.KeyNotActive.selector, other, uint8(0)));
        hookConfig.setPolicies(other, p);
        PackedUserOperation memory op = _sessionOp(acct, other, _one(_transfer(address(usdc), bob, USDC)), 0xD00D);
        _expectValidationRevert(
            op, abi.encodeWithSelector(FunctorPolicyHookBase.NoPolicies.selector, other, address(acct))
        );
        assertEq(usdc.balanceOf(bob), 0);
    }

    /// @dev FunctorPolicyConfig's fallback, which runs the KeyStore's code, refuses at its own address:
    /// the KeyStore's functions act on the hook's storage only.
    function test_Attack_KeyStoreThroughConfigAtItsOwnAddress_Refused() public {
        address config = hookConfig.config();
        vm.prank(address(acct));
        vm.expectRevert(FunctorPolicyHookBase.NotThroughHook.selector);
        KeyStore(config).setTermsWriter(address(0xBAD));
        vm.expectRevert(FunctorPolicyHookBase.NotThroughHook.selector);
        KeyStore(config).grantState(keyId, address(acct));
    }

    /// @dev revoke in the module's own code: the same event and state as KeyStore.revoke, the same
    /// errors, in the same order; a malformed call (no word, a keyId at 2^176 or more) reverts with no
    /// data, as Solidity's decoder does, and changes nothing.
    function test_Merged_Revoke_AsTheKeyStores() public {
        // malformed
        (bool ok, bytes memory ret) = address(hook).call(abi.encodePacked(KeyStore.revoke.selector, bytes31(0)));
        assertFalse(ok, "short");
        assertEq(ret.length, 0, "no data");
        vm.prank(address(acct));
        (ok, ret) = address(hook).call(abi.encodePacked(KeyStore.revoke.selector, uint256(keyId) | (uint256(1) << 176)));
        assertFalse(ok, "keyId above 176 bits");
        assertEq(ret.length, 0, "no data");
        assertEq(keyStore.grantState(keyId, address(acct)), keyStore.ENABLED(), "nothing changed");
        // unknown key, not the controller
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.UnknownKey.selector, uint176(7)));
        keyStore.revoke(7);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.NotController.selector, keyId, bob));
        keyStore.revoke(keyId);
        // the controller's revoke
        vm.expectEmit(true, false, false, true, address(hook));
        emit KeyStoreState.KeyRevoked(keyId);
        vm.prank(address(acct));
        keyStore.revoke(keyId);
        assertEq(keyStore.grantState(keyId, address(acct)), keyStore.REVOKED());
        assertEq(uint8(keyStore.readStoreSlot(_signerSlot(keyId, agent, address(acct)))), keyStore.REVOKED());
        // once only
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.KeyIsRevoked.selector, keyId));
        keyStore.revoke(keyId);
        // and the key is dead on the account
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_transfer(address(usdc), bob, USDC)), agentPk);
        _expectValidationRevert(
            op, abi.encodeWithSelector(FunctorPolicyHookBase.KeyNotActive.selector, keyId, keyStore.REVOKED())
        );
    }

    /// @dev readStoreSlot in the module's own code answers the module's storage word as stored; a call
    /// without its word reverts with no data.
    function test_Merged_ReadStoreSlot() public {
        uint256 slot = _signerSlot(keyId, agent, address(acct));
        assertEq(keyStore.readStoreSlot(slot), uint256(vm.load(address(hook), bytes32(slot))));
        assertEq(uint8(keyStore.readStoreSlot(slot)), keyStore.ENABLED());
        (bool ok, bytes memory ret) = address(hook).call(abi.encodePacked(KeyStore.readStoreSlot.selector, bytes31(0)));
        assertFalse(ok);
        assertEq(ret.length, 0);
    }

    /// @dev One storage, two owners: the KeyStore's writes leave the policies as they were, and a
    /// policy edit and a keyed op leave the KeyStore's views as they were.
    function testFuzz_Merged_KeyStoreAndPoliciesDoNotTouch(bytes32 salt, uint96 amount) public {
        amount = uint96(bound(amount, 1, 50 * USDC));
        vm.assume(salt != "agent"); // setUp's key
        bytes memory policies = abi.encode(hookConfig.policiesOf(address(acct), keyId));
        // KeyStore writes: another key registered and enabled, a signer added and removed
        bytes32[] memory signers = new bytes32[](1);
        signers[0] = keccak256(abi.encode(salt));
        if (signers[0] == 0) signers[0] = bytes32(uint256(1));
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(address(acct), 0, "");
        vm.startPrank(address(acct));
        keyStore.register(salt, signers, auths);
        keyStore.addSigner(keyId, signers[0]);
        keyStore.removeSigner(keyId, signers[0]);
        vm.stopPrank();
        assertEq(abi.encode(hookConfig.policiesOf(address(acct), keyId)), policies, "policies untouched");
        // policy writes and a keyed op
        (address c, bool revoked, uint40 at, bytes32[] memory ss, address[] memory aa) = keyStore.keyInfo(keyId);
        bytes memory info = abi.encode(c, revoked, at, ss, aa);
        Policies memory p = _usdcPolicies();
        vm.prank(address(acct));
        hookConfig.setPolicies(keyId, p);
        _send(_sessionOp(acct, keyId, _one(_transfer(address(usdc), bob, amount)), agentPk));
        assertEq(usdc.balanceOf(bob), amount, "the op ran");
        (c, revoked, at, ss, aa) = keyStore.keyInfo(keyId);
        assertEq(abi.encode(c, revoked, at, ss, aa), info, "the key untouched");
        assertTrue(keyStore.isAuthorized(keyId, address(acct), _signerId(agent)));
    }

    function _signerSlot(uint176 k, address signer, address account) internal pure returns (uint256) {
        bytes32 inner = keccak256(abi.encode(keccak256(abi.encode(k, _signerId(signer))), uint256(6)));
        return uint256(keccak256(abi.encode(account, inner)));
    }
}
