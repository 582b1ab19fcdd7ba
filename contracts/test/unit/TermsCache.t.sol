// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {FunctorPolicyHookBase} from "../../src/FunctorPolicyHookBase.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {SignerSlot} from "../../src/lib/SignerSlot.sol";
import {TermsCache} from "../../src/lib/TermsCache.sol";
import {Policies} from "../../src/lib/PolicyTypes.sol";
import {Execution} from "../../src/lib/ExecutionParser.sol";
// solhint does not read foundry.toml remappings; forge build checks this import
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";

/// @dev TermsCache's two functions, exposed.
contract TermsCacheHarness {
    function pack(uint256 word, uint256 epoch, address writer) external pure returns (uint256) {
        return TermsCache.pack(word, epoch, writer);
    }

    function unpack(uint256 w, uint256 epoch, address writer) external pure returns (bool, uint256) {
        return TermsCache.unpack(w, epoch, writer);
    }
}

/// @notice The validation word cached in the KeyStore's signer word (contracts/README.md, "What
/// stands between v2 and the bars"): written by the module whenever the word changes, read by
/// validation in place of the word's slot, and never used when it is not this module's, not this
/// epoch's, or not the signer's while ENABLED.
contract TermsCacheTest is FunctorTest {
    TermsCacheHarness internal tc;
    TestAccount internal acct;
    uint256 internal agentPk = 0xA6E17;
    address internal agent;

    function setUp() public override {
        super.setUp();
        tc = new TermsCacheHarness();
        acct = _newAccount(TestAccount.Style.Nexus);
        agent = vm.addr(agentPk);
    }

    function _signerWord(TestAccount a, uint176 keyId) internal view returns (uint256) {
        return keyStore.readStoreSlot(SignerSlot.slotOf(keyId, _signerId(agent), address(a)));
    }

    /// @dev The validation word setPolicies stores for `p` (flags ACTIVE alone: no budget or paymaster).
    function _wordOf(Policies memory p) internal pure returns (uint256) {
        return 1 | (uint256(p.validAfter) << 8) | (uint256(p.validUntil) << 56) | (uint256(p.gas.maxFeePerGas) << 104)
            | (uint256(p.gas.maxCostPerOp) << 152) | (uint256(p.gas.opCeiling) << 224);
    }

    function _transferOp(uint176 keyId) internal view returns (PackedUserOperation memory) {
        Execution[] memory x = _one(_transfer(address(usdc), bob, 1e6));
        return _sessionOp(acct, keyId, x, agentPk);
    }

    function testFuzz_PackUnpack_TheSameWord(
        uint40 validAfter,
        uint40 validUntil,
        uint48 fee,
        uint64 cost,
        uint32 ceiling,
        uint24 epochSeed,
        address writer,
        address other
    ) public view {
        uint256 epoch = epochSeed % (1 << 22);
        uint256 word = 1 | (uint256(validAfter) << 8) | (uint256(validUntil) << 56) | (uint256(fee) << 104)
            | (uint256(cost) << 152) | (uint256(ceiling) << 224);
        uint256 c = tc.pack(word, epoch, writer);
        assertEq(uint8(c), 0, "the state byte is the KeyStore's");
        (bool hit, uint256 back) = tc.unpack(c | 1, epoch, writer);
        assertTrue(hit, "ENABLED, this epoch, this writer");
        assertEq(back, word, "the same word");
        (hit,) = tc.unpack(c | 2, epoch, writer);
        assertFalse(hit, "not while REVOKED");
        (hit,) = tc.unpack(c, epoch, writer);
        assertFalse(hit, "not while NONE");
        (hit,) = tc.unpack(c | 1, epoch + 1, writer);
        assertFalse(hit, "not at another epoch");
        (hit,) = tc.unpack(c | 1, epoch + (1 << 22), writer);
        assertFalse(hit, "not once the epoch passes 2^22");
        if ((uint160(writer) ^ uint160(other)) & ((1 << 22) - 1) != 0) {
            (hit,) = tc.unpack(c | 1, epoch, other);
            assertFalse(hit, "not another writer's");
        }
    }

    /// @dev A word that does not fit has no cache: a second word, wide fields, an epoch at 2^22.
    function test_Pack_NoCacheWhenTheWordDoesNotFit() public view {
        uint256 word = 1 | (uint256(1) << 104) | (uint256(1) << 152) | (uint256(1) << 224);
        assertTrue(tc.pack(word, 0, address(hook)) != 0, "fits");
        assertEq(tc.pack(word | 2, 0, address(hook)), 0, "a gas budget or paymaster");
        assertEq(tc.pack(word & ~uint256(1), 0, address(hook)), 0, "not active");
        assertEq(tc.pack(word | (uint256(1) << (8 + 40)), 0, address(hook)), 0, "validAfter at 2^40");
        assertEq(tc.pack(word | (uint256(1) << (56 + 40)), 0, address(hook)), 0, "validUntil at 2^40");
        assertEq(tc.pack(word | (uint256(1) << (152 + 64)), 0, address(hook)), 0, "maxCostPerOp at 2^64");
        assertEq(tc.pack(word, 1 << 22, address(hook)), 0, "epoch at 2^22");
    }

    function test_TermsCache_Selectors() public pure {
        assertEq(FunctorPolicyConfig.setPolicies.selector, bytes4(0x0ff8e3ab));
        assertEq(FunctorPolicyConfig.clearPolicies.selector, bytes4(0x10c51b8b));
    }

    /// @dev setPolicies caches the word in the signer's word, an edit replaces it, a clear drops it.
    function test_SetPolicies_CachesTheWord_EditReplaces_ClearDrops() public {
        _srcOnly("the terms cache is v2's");
        Policies memory p = _usdcPolicies();
        uint176 keyId = _grant(acct, "k", agent, p);
        (bool hit, uint256 word) = tc.unpack(_signerWord(acct, keyId), 0, address(hook));
        assertTrue(hit, "cached");
        assertEq(word, _wordOf(p));
        p.gas.maxFeePerGas = 1 gwei;
        vm.prank(address(acct));
        hookConfig.setPolicies(keyId, p);
        (hit, word) = tc.unpack(_signerWord(acct, keyId), 0, address(hook));
        assertTrue(hit);
        assertEq(word, _wordOf(p), "the edit's word");
        vm.prank(address(acct));
        hookConfig.clearPolicies(keyId);
        assertEq(_signerWord(acct, keyId), 1, "cleared: ENABLED, no cache");
    }

    /// @dev Validation takes the cached word: an edit that lowers the fee cap refuses an op above
    /// it, and a clear refuses the key (the cache is never older than the word).
    function test_Validation_FollowsEveryEdit() public {
        _srcOnly("the terms cache is v2's");
        Policies memory p = _usdcPolicies();
        uint176 keyId = _grant(acct, "k", agent, p);
        _send(_transferOp(keyId));
        p.gas.maxFeePerGas = 1 gwei;
        vm.prank(address(acct));
        hookConfig.setPolicies(keyId, p);
        _expectValidationRevert(
            _transferOp(keyId),
            abi.encodeWithSelector(FunctorPolicyHookBase.GasFeeTooHigh.selector, 2 gwei, 1 gwei)
        );
        vm.prank(address(acct));
        hookConfig.clearPolicies(keyId);
        _expectValidationRevert(
            _transferOp(keyId),
            abi.encodeWithSelector(FunctorPolicyHookBase.NoPolicies.selector, keyId, address(acct))
        );
    }

    /// @dev After an uninstall and a new install the old cache is still in the signer's word, at the
    /// old epoch: validation does not take it (NoPolicies).
    function test_Uninstall_OldCacheNotTaken() public {
        _srcOnly("the terms cache is v2's");
        uint176 keyId = _grant(acct, "k", agent, _usdcPolicies());
        vm.startPrank(address(acct));
        acct.uninstallModule(4, address(hook), "");
        acct.installModule(4, address(hook), AS_HOOK);
        vm.stopPrank();
        assertTrue(_signerWord(acct, keyId) >> 8 != 0, "the old cache is still there");
        _expectValidationRevert(
            _transferOp(keyId),
            abi.encodeWithSelector(FunctorPolicyHookBase.NoPolicies.selector, keyId, address(acct))
        );
    }

    /// @dev A cache another writer left (the account named it) is not this module's: validation
    /// reads the word's slot, whose fee cap then refuses.
    function test_AnotherWritersCache_NotTaken() public {
        _srcOnly("the terms cache is v2's");
        Policies memory p = _usdcPolicies();
        p.gas.maxFeePerGas = 1 gwei;
        uint176 keyId = _grant(acct, "k", agent, p);
        address other = makeAddr("other writer");
        vm.prank(address(acct));
        keyStore.setTermsWriter(other);
        uint256 loose = tc.pack(_wordOf(_usdcPolicies()), 0, other);
        vm.prank(other);
        keyStore.writeTerms(address(acct), keyId, loose);
        _expectValidationRevert(
            _transferOp(keyId),
            abi.encodeWithSelector(FunctorPolicyHookBase.GasFeeTooHigh.selector, 2 gwei, 1 gwei)
        );
        // and with another writer named, this module's edits are refused, so none leaves it stale
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotTermsWriter.selector, address(acct), address(hook)));
        vm.prank(address(acct));
        hookConfig.clearPolicies(keyId);
    }

    /// @dev An account that has not named the module its writer cannot set policies (the KeyStore's
    /// refusal, whole), and then can.
    function test_RevertWhen_SetPoliciesWithoutTheWriterNamed() public {
        _srcOnly("the terms cache is v2's");
        vm.prank(address(acct));
        keyStore.setTermsWriter(address(0));
        bytes32[] memory signers = new bytes32[](1);
        signers[0] = _signerId(agent);
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(address(acct), 0, "");
        vm.startPrank(address(acct));
        uint176 keyId = keyStore.register("k", signers, auths);
        Policies memory p = _usdcPolicies();
        vm.expectRevert(abi.encodeWithSelector(KeyStore.NotTermsWriter.selector, address(acct), address(hook)));
        hookConfig.setPolicies(keyId, p);
        keyStore.setTermsWriter(address(hook));
        hookConfig.setPolicies(keyId, p);
        vm.stopPrank();
        (bool hit,) = tc.unpack(_signerWord(acct, keyId), 0, address(hook));
        assertTrue(hit);
    }
}
