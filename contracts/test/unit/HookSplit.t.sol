// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {FunctorDeployer} from "../../src/FunctorDeployer.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {FunctorValidator, IFunctorPolicyCheck} from "../../src/FunctorValidator.sol";
import {FunctorPolicyHook} from "../../src/FunctorPolicyHook.sol";
import {Policies} from "../../src/lib/PolicyTypes.sol";

/// @notice The hook's configuration half (FunctorPolicyConfig), reached only through the hook's
/// fallback by DELEGATECALL: what lands where, and what a stranger can do with either address.
contract HookSplitTest is FunctorTest {
    TestAccount internal acct;
    FunctorPolicyConfig internal configAtItsOwnAddress;

    function setUp() public override {
        super.setUp();
        acct = _newAccount(TestAccount.Style.Nexus);
        configAtItsOwnAddress = FunctorPolicyConfig(hookConfig.config());
    }

    function test_Deployer_NamesTheThreeThatNameEachOther() public {
        FunctorPolicyConfig c = new FunctorPolicyConfig(keyStore, address(ep));
        FunctorDeployer d = new FunctorDeployer(keyStore, address(ep), c);
        assertEq(FunctorPolicyConfig(address(d.hook())).config(), address(c));
        assertEq(address(d.config()), address(c));
        assertEq(address(d.hook().functorValidator()), address(d.validator()));
        assertEq(address(d.validator().policyHook()), address(d.hook()));
        assertEq(address(d.validator().keyStoreAddress()), address(keyStore));
        assertEq(address(c.keyStore()), address(keyStore));
        assertEq(c.entryPoint(), address(ep));
    }

    /// @dev The validator's getters sort after validateUserOp: via-IR's dispatcher compares selectors
    /// one by one in ascending order, so a getter before it would cost every keyed op 22 gas.
    function test_Validator_GettersSortAfterValidateUserOp() public pure {
        uint32 v = uint32(FunctorValidator.validateUserOp.selector);
        assertGt(uint32(FunctorValidator.policyHook.selector), v, "policyHook");
        assertGt(uint32(FunctorValidator.keyStoreAddress.selector), v, "keyStoreAddress");
    }

    /// @dev The hook's getter sorts after preCheck, for the same reason (every preCheck, keyed or not).
    function test_Hook_GetterSortsAfterPreCheck() public view {
        assertGt(uint32(hook.functorValidator.selector), uint32(FunctorPolicyHook.preCheck.selector));
    }

    /// @dev The validator's call in validation is the hook's lowest selector, first in via-IR's
    /// one-at-a-time dispatch (issue 17), and the validator calls it by that name.
    function test_Hook_ValidationCheckFirstInTheDispatch() public view {
        bytes4 check = FunctorPolicyHook.checkCallsWhenValidating.selector;
        assertEq(check, bytes4(keccak256("checkCallsWhenValidating()")));
        assertEq(check, IFunctorPolicyCheck.checkCallsWhenValidating.selector);
        assertLt(uint32(check), uint32(FunctorPolicyHook.postCheck.selector));
        assertLt(uint32(check), uint32(FunctorPolicyHook.preCheck.selector));
        assertLt(uint32(check), uint32(hook.functorValidator.selector));
    }

    /// @dev The configuration code answers the hook's keyStore() and entryPoint() with its own
    /// copies, so the deployer refuses one built for another KeyStore or EntryPoint.
    function test_Deployer_RefusesConfigOfAnotherKeyStoreOrEntryPoint() public {
        FunctorPolicyConfig otherStore = new FunctorPolicyConfig(KeyStore(makeAddr("another KeyStore")), address(ep));
        vm.expectRevert(FunctorDeployer.ConfigMismatch.selector);
        new FunctorDeployer(keyStore, address(ep), otherStore);
        FunctorPolicyConfig otherEp = new FunctorPolicyConfig(keyStore, makeAddr("another EntryPoint"));
        vm.expectRevert(FunctorDeployer.ConfigMismatch.selector);
        new FunctorDeployer(keyStore, address(ep), otherEp);
    }

    /// @dev Policies set through the hook live in the hook's storage and read back through it; the
    /// configuration code's own address holds nothing and refuses every call.
    function test_SetThroughHook_StoredInTheHook() public {
        uint176 keyId = _grant(acct, "k", makeAddr("agent"), _usdcPolicies());
        Policies memory p = hookConfig.policiesOf(address(acct), keyId);
        assertEq(p.calls.length, 1);
        assertEq(p.spends[0].limit, 100 * USDC);

        vm.expectRevert(FunctorPolicyConfig.NotThroughHook.selector);
        configAtItsOwnAddress.policiesOf(address(acct), keyId);
    }

    /// @dev Called directly, the configuration code writes nothing and emits nothing anywhere.
    function test_Attack_DirectCallToConfigCode_Refused() public {
        Policies memory p = _usdcPolicies();
        vm.recordLogs();
        vm.prank(address(acct));
        vm.expectRevert(FunctorPolicyConfig.NotThroughHook.selector);
        configAtItsOwnAddress.setPolicies(1, p);
        vm.prank(address(acct));
        vm.expectRevert(FunctorPolicyConfig.NotThroughHook.selector);
        configAtItsOwnAddress.clearPolicies(1);
        assertEq(vm.getRecordedLogs().length, 0);
        vm.expectRevert(FunctorPolicyConfig.NotThroughHook.selector);
        configAtItsOwnAddress.spendUsage(address(acct), 1);
        vm.expectRevert(FunctorPolicyConfig.NotThroughHook.selector);
        configAtItsOwnAddress.rateUsage(address(acct), 1);
        vm.expectRevert(FunctorPolicyConfig.NotThroughHook.selector);
        configAtItsOwnAddress.isCallAllowed(address(acct), 1, address(usdc), bytes4(0xa9059cbb));
    }

    /// @dev The fallback takes no value, and a selector neither half has reverts (no silent success).
    function test_Fallback_NoValue_UnknownSelectorReverts() public {
        vm.deal(address(this), 1 ether);
        (bool ok,) = address(hook).call{value: 1}(abi.encodeCall(FunctorPolicyConfig.clearPolicies, (1)));
        assertFalse(ok, "value refused");
        (ok,) = address(hook).call(abi.encodeWithSignature("selfdestruct()"));
        assertFalse(ok, "unknown selector reverts");
        (ok,) = address(hook).call("");
        assertFalse(ok, "empty calldata reverts");
        assertEq(address(hook).balance, 0);
    }

    /// @dev setPolicies through the hook acts on msg.sender only: a stranger's call configures the
    /// stranger (where the hook is not installed: refused), never the account.
    function test_Attack_StrangerCannotConfigureAnAccount() public {
        uint176 keyId = _grant(acct, "k", makeAddr("agent"), _usdcPolicies());
        address stranger = makeAddr("stranger");
        Policies memory wide = _usdcPolicies();
        wide.spends[0].limit = type(uint96).max;
        vm.prank(stranger);
        vm.expectRevert();
        hookConfig.setPolicies(keyId, wide);
        assertEq(hookConfig.policiesOf(address(acct), keyId).spends[0].limit, 100 * USDC);
    }
}
