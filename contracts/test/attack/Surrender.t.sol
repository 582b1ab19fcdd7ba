// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {KeyStoreState} from "../../src/KeyStoreState.sol";
import {FunctorValidator} from "../../src/FunctorValidator.sol";

/// @notice A key that retires itself (issue 20): one of its signers gives it back with a
/// signature anyone may submit. It must not be forgeable, replayable on another key or chain, or
/// usable for anything but ending the key.
contract SurrenderTest is FunctorTest {
    TestAccount internal a;
    TestAccount internal b;
    address internal agent;
    uint256 internal agentPk;
    uint176 internal keyId;
    address internal relayer = address(0x5E1A7);

    function setUp() public override {
        super.setUp();
        a = _newAccount(TestAccount.Style.Nexus);
        b = _newAccount(TestAccount.Style.Safe);
        (agent, agentPk) = makeAddrAndKey("agent");
        keyId = _grant(a, "k", agent, _usdcPolicies());
        // enabled on b too (b consents by ERC-1271, its owner signing)
        uint256 deadline = vm.getBlockTimestamp() + 1 hours;
        bytes32 digest = keyStore.enableDigest(keyId, address(b), keyStore.nonces(address(b)), deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerPk, digest);
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(address(b), deadline, abi.encodePacked(r, s, v));
        vm.startPrank(address(a));
        keyStore.enable(keyId, auths);
        vm.stopPrank();
        vm.prank(address(b));
        hookConfig.setPolicies(keyId, _usdcPolicies());
    }

    function _sig(uint256 pk, uint176 k) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, keyStore.surrenderDigest(k));
        return abi.encodePacked(r, s, v);
    }

    function test_Surrender_BySignerThroughAnyone_EndsTheKeyEverywhere() public {
        vm.expectEmit(address(keyStore));
        emit KeyStore.KeySurrendered(keyId, _signerId(agent));
        vm.prank(relayer);
        keyStore.surrender(keyId, _signerId(agent), _sig(agentPk, keyId));
        (, bool revoked,,,) = keyStore.keyInfo(keyId);
        assertTrue(revoked);
        assertEq(keyStore.grantState(keyId, address(a)), 2);
        assertEq(keyStore.grantState(keyId, address(b)), 2);
        // and its ops fail in validation on both accounts: the account pays nothing
        _expectValidationRevert(
            _sessionOp(a, keyId, _one(_transfer(address(usdc), agent, 1)), agentPk),
            abi.encodeWithSelector(FunctorValidator.KeyNotActive.selector, keyId, uint8(2))
        );
        _expectValidationRevert(
            _sessionOp(b, keyId, _one(_transfer(address(usdc), agent, 1)), agentPk),
            abi.encodeWithSelector(FunctorValidator.KeyNotActive.selector, keyId, uint8(2))
        );
    }

    function test_Attack_Surrender_Forged_Refused() public {
        (, uint256 otherPk) = makeAddrAndKey("mallory");
        bytes memory forged = _sig(otherPk, keyId);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadSurrender.selector, keyId, _signerId(agent)));
        keyStore.surrender(keyId, _signerId(agent), forged);
        // naming the forger as the signer does not help: it is not a signer of the key
        (address mallory,) = makeAddrAndKey("mallory");
        vm.expectRevert(abi.encodeWithSelector(KeyStore.SignerNotFound.selector, _signerId(mallory)));
        keyStore.surrender(keyId, _signerId(mallory), forged);
        // garbage and malleable (high-s) signatures are refused too
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadSurrender.selector, keyId, _signerId(agent)));
        keyStore.surrender(keyId, _signerId(agent), hex"1234");
        (, bool revoked,,,) = keyStore.keyInfo(keyId);
        assertFalse(revoked);
    }

    /// @dev The same agent signs for two keys: its surrender of one is not a surrender of the other.
    function test_Attack_Surrender_ReplayedOnAnotherKey_Refused() public {
        uint176 other = _grant(a, "other", agent, _usdcPolicies());
        bytes memory sig = _sig(agentPk, keyId);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadSurrender.selector, other, _signerId(agent)));
        keyStore.surrender(other, _signerId(agent), sig);
        keyStore.surrender(keyId, _signerId(agent), sig);
        (, bool otherRevoked,,,) = keyStore.keyInfo(other);
        assertFalse(otherRevoked, "the other key lives on");
        // and once used, it cannot be used again (the key is already gone)
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.KeyIsRevoked.selector, keyId));
        keyStore.surrender(keyId, _signerId(agent), sig);
    }

    /// @dev Another chain (or another KeyStore) has another EIP-712 domain: the digest differs.
    function test_Attack_Surrender_ReplayedOnAnotherChain_Refused() public {
        bytes memory sig = _sig(agentPk, keyId);
        vm.chainId(block.chainid + 1);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadSurrender.selector, keyId, _signerId(agent)));
        keyStore.surrender(keyId, _signerId(agent), sig);
    }

    /// @dev A signer rotated out has no say over the key any more.
    function test_Attack_Surrender_ByRotatedOutSigner_Refused() public {
        (address next,) = makeAddrAndKey("next");
        vm.prank(address(a));
        keyStore.rotateSigner(keyId, _signerId(agent), _signerId(next));
        bytes memory sig = _sig(agentPk, keyId);
        vm.expectRevert(abi.encodeWithSelector(KeyStore.SignerNotFound.selector, _signerId(agent)));
        keyStore.surrender(keyId, _signerId(agent), sig);
    }

    /// @dev A surrender only ends the key: the submitter gains no control, no other key or
    /// account changes, and the key can never come back (no enable, no new signer).
    function test_Attack_Surrender_CannotDoAnythingButEndTheKey() public {
        uint176 other = _grant(a, "other", makeAddr("agent2"), _usdcPolicies());
        uint256 before = usdc.balanceOf(address(a));
        vm.prank(relayer);
        keyStore.surrender(keyId, _signerId(agent), _sig(agentPk, keyId));
        (address controller,,,,) = keyStore.keyInfo(keyId);
        assertEq(controller, address(a), "control did not move");
        assertEq(usdc.balanceOf(address(a)), before);
        assertEq(keyStore.grantState(other, address(a)), 1, "the other key is untouched");
        vm.prank(address(a));
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.KeyIsRevoked.selector, keyId));
        keyStore.addSigner(keyId, _signerId(relayer));
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.NotController.selector, other, relayer));
        keyStore.revoke(other);
    }

    /// @dev A P-256 signer (a passkey-style agent key) surrenders with r ‖ s ‖ x ‖ y.
    function test_Surrender_P256Signer() public {
        uint256 pk = 0xC0FFEE;
        (uint256 x, uint256 y) = vm.publicKeyP256(pk);
        bytes32 p256Id = keyStore.p256SignerId(bytes32(x), bytes32(y));
        vm.prank(address(a));
        keyStore.addSigner(keyId, p256Id);
        (bytes32 r, bytes32 s) = vm.signP256(pk, keyStore.surrenderDigest(keyId));
        // low-s, as verifiers expect
        uint256 n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551;
        if (uint256(s) > n / 2) s = bytes32(n - uint256(s));
        // a wrong key in the signature is refused before the precompile
        vm.expectRevert(abi.encodeWithSelector(KeyStore.BadSurrender.selector, keyId, p256Id));
        keyStore.surrender(keyId, p256Id, abi.encodePacked(r, s, bytes32(y), bytes32(x)));
        keyStore.surrender(keyId, p256Id, abi.encodePacked(r, s, bytes32(x), bytes32(y)));
        (, bool revoked,,,) = keyStore.keyInfo(keyId);
        assertTrue(revoked);
    }

    function test_Surrender_UnknownKey() public {
        bytes memory sig = _sig(agentPk, 7);
        vm.expectRevert(abi.encodeWithSelector(KeyStoreState.UnknownKey.selector, uint176(7)));
        keyStore.surrender(7, _signerId(agent), sig);
    }
}

/// @dev The same tests on the frozen v1 reference's hook and validator (FunctorTest._deployV1Modules).
contract SurrenderV1Test is SurrenderTest {
    function _deployModules() internal override {
        _deployV1Modules();
    }
}
