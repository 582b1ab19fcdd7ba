// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorTest, TestAccount, IUserOpValidator} from "../utils/FunctorTest.sol";
// solhint does not read foundry.toml remappings; forge build checks this import
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {FunctorDeployer} from "../../src/FunctorDeployer.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {FunctorPolicyHookBase} from "../../src/FunctorPolicyHookBase.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {FunctorPolicyGeneral} from "../../src/FunctorPolicyGeneral.sol";
import {FunctorValidator, IFunctorPolicyCheck} from "../../src/FunctorValidator.sol";
import {FunctorPolicyHook} from "../../src/FunctorPolicyHook.sol";
import {Policies} from "../../src/lib/PolicyTypes.sol";
import {ExecutionParser} from "../../src/lib/ExecutionParser.sol";
import {IERC7579Hook} from "../../src/interfaces/IERC7579Module.sol";

/// @notice The hook's configuration code (FunctorPolicyConfig), reached only through the hook's
/// fallback by DELEGATECALL, and its general path (FunctorPolicyGeneral), reached only from the
/// hook's preCheck and postCheck by DELEGATECALL: what lands where, and what a stranger can do with
/// each address.
contract HookSplitTest is FunctorTest {
    TestAccount internal acct;
    FunctorPolicyConfig internal configAtItsOwnAddress;

    function setUp() public override {
        super.setUp();
        acct = _newAccount(TestAccount.Style.Nexus);
        configAtItsOwnAddress = FunctorPolicyConfig(hookConfig.config());
    }

    function test_Deployer_NamesTheFourThatNameEachOther() public {
        FunctorPolicyConfig c = new FunctorPolicyConfig(keyStoreCode, address(ep));
        FunctorPolicyGeneral g = new FunctorPolicyGeneral(keyStoreCode, address(ep));
        FunctorDeployer d = new FunctorDeployer(keyStoreCode, address(ep), c, g);
        assertEq(FunctorPolicyConfig(address(d.hook())).config(), address(c));
        assertEq(address(d.config()), address(c));
        assertEq(address(d.general()), address(g));
        assertEq(g.keyStoreCode(), address(keyStoreCode));
        assertEq(g.entryPoint(), address(ep));
        assertEq(address(d.hook().functorValidator()), address(d.validator()));
        assertEq(address(d.validator().policyHook()), address(d.hook()));
        assertEq(address(d.validator().keyStoreAddress()), address(d.hook()), "the hook is the KeyStore");
        assertEq(c.keyStoreCode(), address(keyStoreCode));
        assertEq(c.entryPoint(), address(ep));
    }

    /// @dev One module, two roles (contracts/README.md, "One module for validator and hook"): the
    /// hook answers the validator's type and its own; FunctorValidator answers the executor's alone.
    function test_Merged_TypesOfEachModule() public view {
        IUserOpValidator m = IUserOpValidator(address(hook));
        assertTrue(m.isModuleType(1), "module: validator");
        assertTrue(m.isModuleType(4), "module: hook");
        assertFalse(m.isModuleType(2), "module: no executor");
        assertTrue(validator.isModuleType(2), "FunctorValidator: executor");
        assertFalse(validator.isModuleType(1), "FunctorValidator: no validator");
        assertFalse(validator.isModuleType(4), "FunctorValidator: no hook");
    }

    /// @dev FunctorValidator validated UserOps before the merge. Were it still able to, an account
    /// with both installed would give a key two lanes, so two op ceilings and two gas budgets: it
    /// refuses a validator's install (empty data) and has no validateUserOp at all.
    function test_Attack_FunctorValidatorAsSecondValidator_Refused() public {
        TestAccount a = _newAccount(TestAccount.Style.Nexus);
        vm.prank(address(a));
        vm.expectRevert(FunctorValidator.BadInstallData.selector);
        a.installModule(1, address(validator), "");
        assertFalse(a.validators(address(validator)), "not installed");

        PackedUserOperation memory op = _op(a, "");
        vm.prank(address(a));
        (bool ok, bytes memory ret) =
            address(validator).call(abi.encodeCall(IUserOpValidator.validateUserOp, (op, bytes32(0))));
        assertFalse(ok, "no validateUserOp");
        assertEq(ret.length, 0, "the dispatcher's empty revert");
    }

    /// @dev The module's getter sorts after validateUserOp: via-IR's dispatcher compares selectors
    /// one by one in ascending order, so a getter before it would cost every keyed op 22 gas.
    function test_Hook_GetterSortsAfterValidateUserOp() public pure {
        assertGt(uint32(bytes4(keccak256("functorValidator()"))), uint32(IUserOpValidator.validateUserOp.selector));
    }

    /// @dev preCheck's arguments are read by hand in the fallback (issue 17), with Solidity's
    /// decoder's checks: for any calldata under preCheck's selector (the sender's upper bits, the
    /// value, the bytes' offset and length, the tail all chosen by the fuzzer), the hook refuses
    /// exactly what a Solidity function with preCheck's signature refuses, with no data, as it does;
    /// what both accept the hook answers as preCheck does for a call that is not a key's (empty hook
    /// data). The keyed case reads the same bytes: every keyed test runs through this reading.
    function testFuzz_PreCheckArgs_AsSoliditysDecoder(
        uint96 senderHigh,
        uint256 value,
        uint256 offset,
        uint256 length,
        bytes calldata tail
    ) public {
        PreCheckDecoderReference ref = new PreCheckDecoderReference();
        // small offsets and lengths most of the time, any word sometimes
        if (offset % 4 != 0) offset = offset % 0x100;
        if (length % 4 != 0) length = length % 0x100;
        bytes memory cd = abi.encodePacked(
            IERC7579Hook.preCheck.selector,
            bytes32(uint256(senderHigh) << 160 | uint160(address(this))),
            value,
            offset,
            length,
            tail
        );
        // a call that is not a key's (a keyed one is checked against its ticket)
        (bool refOk, bytes memory refRet) = address(ref).call(cd);
        if (refOk) {
            bytes4 head = abi.decode(refRet, (bytes4));
            vm.assume(head != ExecutionParser.EXECUTE && head != ExecutionParser.EXECUTE_FROM_EXECUTOR);
        }
        (bool ok, bytes memory ret) = address(hook).call(cd);
        assertEq(ok, refOk, "the same calldata refused");
        if (!ok) {
            assertEq(ret.length, 0, "refused with no data, as the decoder");
            assertEq(refRet.length, 0);
        } else {
            assertEq(ret, abi.encode(bytes("")), "not a key's: empty hook data");
        }
    }

    /// @dev The decoder's refusals one by one (each also in the fuzz run above): a short head, a
    /// dirty address, an offset or a length of 2^64, bytes past the end.
    function test_PreCheckArgs_Malformed_Refused() public {
        bytes4 sel = IERC7579Hook.preCheck.selector;
        bytes memory ok_ = abi.encodeWithSelector(sel, address(this), 0, hex"01020304");
        (bool ok,) = address(hook).call(ok_);
        assertTrue(ok, "well formed");
        bytes[5] memory bad = [
            abi.encodePacked(sel, bytes32(uint256(uint160(address(this)))), uint256(0)),
            abi.encodePacked(
                sel, bytes32(uint256(1) << 160 | uint160(address(this))), uint256(0), uint256(0x60), uint256(0)
            ),
            abi.encodePacked(sel, bytes32(0), uint256(0), uint256(1) << 64, uint256(0)),
            abi.encodePacked(sel, bytes32(0), uint256(0), uint256(0x60), uint256(1) << 64),
            abi.encodePacked(sel, bytes32(0), uint256(0), uint256(0x60), uint256(5), bytes4(0x01020304))
        ];
        for (uint256 i; i < bad.length; ++i) {
            bytes memory ret;
            (ok, ret) = address(hook).call(bad[i]);
            assertFalse(ok, string.concat("malformed ", vm.toString(i)));
            assertEq(ret.length, 0);
        }
    }

    /// @dev The validator's call in validation is the hook's lowest selector, first in via-IR's
    /// one-at-a-time dispatch (issue 17), and the validator calls it by that name.
    function test_Hook_ValidationCheckFirstInTheDispatch() public view {
        bytes4 check = FunctorPolicyHook.checkCallsWhenValidating.selector;
        assertEq(check, bytes4(keccak256("checkCallsWhenValidating()")));
        assertEq(check, IFunctorPolicyCheck.checkCallsWhenValidating.selector);
        assertLt(uint32(check), uint32(FunctorPolicyHook.postCheck.selector));
        assertLt(uint32(check), uint32(IERC7579Hook.preCheck.selector));
        assertLt(uint32(check), uint32(hook.functorValidator.selector));
    }

    /// @dev The configuration code answers the hook's keyStore() and entryPoint() with its own
    /// copies, so the deployer refuses one built for another KeyStore or EntryPoint.
    function test_Deployer_RefusesConfigOfAnotherKeyStoreOrEntryPoint() public {
        FunctorPolicyGeneral g = new FunctorPolicyGeneral(keyStoreCode, address(ep));
        FunctorPolicyConfig otherStore = new FunctorPolicyConfig(KeyStore(makeAddr("another KeyStore")), address(ep));
        vm.expectRevert(FunctorDeployer.ConfigMismatch.selector);
        new FunctorDeployer(keyStoreCode, address(ep), otherStore, g);
        FunctorPolicyConfig otherEp = new FunctorPolicyConfig(keyStoreCode, makeAddr("another EntryPoint"));
        vm.expectRevert(FunctorDeployer.ConfigMismatch.selector);
        new FunctorDeployer(keyStoreCode, address(ep), otherEp, g);
    }

    /// @dev The general path's code reads the KeyStore and the EntryPoint from its own immutables (the
    /// key's grant in execution, the forbidden targets), so the deployer refuses one built for others.
    function test_Deployer_RefusesGeneralOfAnotherKeyStoreOrEntryPoint() public {
        FunctorPolicyConfig c = new FunctorPolicyConfig(keyStoreCode, address(ep));
        FunctorPolicyGeneral otherStore = new FunctorPolicyGeneral(KeyStore(makeAddr("another KeyStore")), address(ep));
        vm.expectRevert(FunctorDeployer.ConfigMismatch.selector);
        new FunctorDeployer(keyStoreCode, address(ep), c, otherStore);
        FunctorPolicyGeneral otherEp = new FunctorPolicyGeneral(keyStoreCode, makeAddr("another EntryPoint"));
        vm.expectRevert(FunctorDeployer.ConfigMismatch.selector);
        new FunctorDeployer(keyStoreCode, address(ep), c, otherEp);
    }

    /// @dev Called at its own address, the general path's code refuses both its functions, for the
    /// account or anyone: it writes nothing and emits nothing anywhere.
    function test_Attack_DirectCallToGeneralCode_Refused() public {
        FunctorPolicyGeneral g = new FunctorPolicyGeneral(keyStoreCode, address(ep));
        bytes memory exec = abi.encodeWithSelector(ExecutionParser.EXECUTE, bytes32(0), "");
        vm.recordLogs();
        vm.prank(address(acct));
        vm.expectRevert(FunctorPolicyHookBase.NotThroughHook.selector);
        g.generalPreCheck(address(validator), exec);
        vm.prank(address(acct));
        vm.expectRevert(FunctorPolicyHookBase.NotThroughHook.selector);
        g.customsAfter(address(validator), abi.encode(new bytes[](0)), 0, 1);
        assertEq(vm.getRecordedLogs().length, 0);
    }

    /// @dev The hook's fallback runs the configuration code, which has neither of the general path's
    /// functions: called on the hook, by the account or a stranger, both revert with no data (the
    /// dispatcher's own revert: had they reached FunctorPolicyGeneral, preCheck's general path would
    /// have answered with an error of its own, and customsAfter with no policy would have returned).
    /// Only preCheck and postCheck, after their own checks, run that code.
    function test_Attack_GeneralCodeNotReachableThroughTheFallback() public {
        bytes memory exec = abi.encodeWithSelector(ExecutionParser.EXECUTE, bytes32(0), "");
        address stranger = makeAddr("stranger");
        address[2] memory callers = [address(acct), stranger];
        for (uint256 i; i < 2; ++i) {
            vm.prank(callers[i]);
            (bool ok, bytes memory ret) =
                address(hook).call(abi.encodeCall(FunctorPolicyGeneral.generalPreCheck, (address(validator), exec)));
            assertFalse(ok, "generalPreCheck through the fallback");
            assertEq(ret.length, 0, "generalPreCheck: the dispatcher's revert");
            vm.prank(callers[i]);
            (ok, ret) = address(hook)
                .call(
                    abi.encodeCall(
                        FunctorPolicyGeneral.customsAfter, (address(validator), abi.encode(new bytes[](0)), 0, 1)
                    )
                );
            assertFalse(ok, "customsAfter through the fallback");
            assertEq(ret.length, 0, "customsAfter: the dispatcher's revert");
        }
    }

    /// @dev Policies set through the hook live in the hook's storage and read back through it; the
    /// configuration code's own address holds nothing and refuses every call.
    function test_SetThroughHook_StoredInTheHook() public {
        uint176 keyId = _grant(acct, "k", makeAddr("agent"), _usdcPolicies());
        Policies memory p = hookConfig.policiesOf(address(acct), keyId);
        assertEq(p.calls.length, 1);
        assertEq(p.spends[0].limit, 100 * USDC);

        vm.expectRevert(FunctorPolicyHookBase.NotThroughHook.selector);
        configAtItsOwnAddress.policiesOf(address(acct), keyId);
    }

    /// @dev Called directly, the configuration code writes nothing and emits nothing anywhere.
    function test_Attack_DirectCallToConfigCode_Refused() public {
        Policies memory p = _usdcPolicies();
        vm.recordLogs();
        vm.prank(address(acct));
        vm.expectRevert(FunctorPolicyHookBase.NotThroughHook.selector);
        configAtItsOwnAddress.setPolicies(1, p);
        vm.prank(address(acct));
        vm.expectRevert(FunctorPolicyHookBase.NotThroughHook.selector);
        configAtItsOwnAddress.clearPolicies(1);
        assertEq(vm.getRecordedLogs().length, 0);
        vm.expectRevert(FunctorPolicyHookBase.NotThroughHook.selector);
        configAtItsOwnAddress.spendUsage(address(acct), 1);
        vm.expectRevert(FunctorPolicyHookBase.NotThroughHook.selector);
        configAtItsOwnAddress.rateUsage(address(acct), 1);
        vm.expectRevert(FunctorPolicyHookBase.NotThroughHook.selector);
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

/// @dev preCheck's signature with Solidity's own decoder: what it refuses, and the first four of
/// the bytes it reads (to tell a key's call from another's).
contract PreCheckDecoderReference {
    function preCheck(address, uint256, bytes calldata msgData) external pure returns (bytes4 head) {
        head = msgData.length < 4 ? bytes4(0) : bytes4(msgData[:4]);
    }
}
