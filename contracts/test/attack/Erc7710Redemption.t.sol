// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {AuditWords, CallRecord, IKeyExecutedV1, SpendRecord} from "../utils/AuditWords.sol";
import {Caveat, Delegation, DelegationManagerStandIn} from "../utils/DelegationManagerStandIn.sol";
import {FunctorValidator} from "../../src/FunctorValidator.sol";
import {FunctorPolicyHook} from "../../src/FunctorPolicyHook.sol";
import {FunctorPolicyHookBase} from "../../src/FunctorPolicyHookBase.sol";
import {FunctorMode} from "../../src/lib/FunctorMode.sol";
import {Execution, ExecutionParser} from "../../src/lib/ExecutionParser.sol";
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice The ERC-7710 path (issue 15, contracts/README.md "ERC-7710"): a redemption through a
/// DelegationManager runs on the account under the same keyId, policies and counters as a UserOp,
/// and every new trust path is attacked: another redeemer, another account's terms, a forged or
/// reshaped delegation, a redelegation, a direct call, an untrusted DelegationManager, an executor
/// the hook does not guard. The DelegationManager here is a stand-in (forge cannot load MetaMask's
/// bytecode from npm); test/integration/erc7710.test.ts runs the same against the real one.
abstract contract Erc7710RedemptionBase is FunctorTest {
    TestAccount internal acct;
    DelegationManagerStandIn internal dm;
    address internal agent;
    uint256 internal agentPk;
    uint176 internal keyId;

    function style() internal pure virtual returns (TestAccount.Style);

    function setUp() public override {
        super.setUp();
        dm = new DelegationManagerStandIn();
        acct = _newAccount(style());
        _installExecutor(acct, address(hook), address(dm));
        (agent, agentPk) = makeAddrAndKey("agent");
        keyId = _grant(acct, "key", agent, _usdcPolicies());
    }

    function _installExecutor(TestAccount a, address guard, address manager) internal {
        bytes memory data = abi.encode(manager);
        if (a.style() == TestAccount.Style.Kernel) data = abi.encodePacked(guard, data);
        vm.prank(address(a));
        a.installModule(2, address(validator), data);
    }

    /// @dev The delegation the wallet answers with (lib/erc7715/response.ts encodeContext).
    function _delegation(address account, uint176 k) internal view returns (Delegation memory d) {
        bytes memory terms = abi.encode(account, k);
        d.delegate = address(0xa11);
        d.delegator = address(validator);
        d.authority = bytes32(type(uint256).max);
        d.caveats = new Caveat[](1);
        d.caveats[0] = Caveat(address(validator), terms, "");
        d.salt = 0;
        d.signature = terms;
    }

    function _context(Delegation memory d) internal pure returns (bytes memory) {
        Delegation[] memory ds = new Delegation[](1);
        ds[0] = d;
        return abi.encode(ds);
    }

    function _single(Execution memory e) internal pure returns (bytes memory) {
        return abi.encodePacked(e.target, e.value, e.callData);
    }

    function _redeem(address redeemer, bytes memory context, bytes32 mode, bytes memory execution) internal {
        bytes[] memory contexts = new bytes[](1);
        contexts[0] = context;
        bytes32[] memory modes = new bytes32[](1);
        modes[0] = mode;
        bytes[] memory calldatas = new bytes[](1);
        calldatas[0] = execution;
        vm.prank(redeemer);
        dm.redeemDelegations(contexts, modes, calldatas);
    }

    function _pay(address redeemer, uint256 amount) internal {
        _redeem(redeemer, _context(_delegation(address(acct), keyId)), bytes32(0), _single(_transfer(address(usdc), bob, amount)));
    }

    // ------------------------------------------------------------------ the path works

    function test_Redemption_WithinLimit_MovesAndEmitsKeyExecuted() public {
        CallRecord[] memory calls = new CallRecord[](1);
        calls[0] = CallRecord(address(usdc), IERC20.transfer.selector, 0);
        SpendRecord[] memory spends = new SpendRecord[](1);
        spends[0] = SpendRecord(address(usdc), 40 * USDC, 40 * USDC, 100 * USDC);
        vm.expectEmit(address(hook));
        if (onV1) {
            emit IKeyExecutedV1.KeyExecuted(
                address(acct), keyId, _signerId(agent), AuditWords.callsV1(calls), AuditWords.spendsV1(spends)
            );
        } else {
            AuditWords.emitKeyExecuted(address(acct), keyId, _signerId(agent), AuditWords.record(calls, spends));
        }
        _pay(agent, 40 * USDC);
        assertEq(usdc.balanceOf(bob), 40 * USDC);
    }

    function test_Redemption_Batch() public {
        Execution[] memory execs = new Execution[](2);
        execs[0] = _transfer(address(usdc), bob, 10 * USDC);
        execs[1] = _transfer(address(usdc), alice, 20 * USDC);
        _redeem(agent, _context(_delegation(address(acct), keyId)), bytes32(uint256(1) << 248), abi.encode(execs));
        assertEq(usdc.balanceOf(bob), 10 * USDC);
        assertEq(usdc.balanceOf(alice), 20 * USDC);
    }

    /// @dev One window for both paths: 60 by UserOp, then 50 by redemption is over 100.
    function test_Redemption_SharesTheWindowWithUserOps() public {
        _send(_sessionOp(acct, keyId, _one(_transfer(address(usdc), bob, 60 * USDC)), agentPk));
        bytes memory ctx = _context(_delegation(address(acct), keyId));
        vm.expectRevert(
            abi.encodeWithSelector(FunctorPolicyHookBase.SpendLimitExceeded.selector, keyId, address(usdc), 60 * USDC, 50 * USDC, 100 * USDC)
        );
        _redeem(agent, ctx, bytes32(0), _single(_transfer(address(usdc), bob, 50 * USDC)));
        _pay(agent, 40 * USDC);
        assertEq(usdc.balanceOf(bob), 100 * USDC);
    }

    function test_Redemption_OverLimit_Refused() public {
        vm.expectRevert(
            abi.encodeWithSelector(FunctorPolicyHookBase.SpendLimitExceeded.selector, keyId, address(usdc), 0, 101 * USDC, 100 * USDC)
        );
        _pay(agent, 101 * USDC);
    }

    function test_Redemption_CallNotAllowed_Refused() public {
        Execution memory e = Execution(address(usdc), 0, abi.encodeCall(IERC20.approve, (bob, 1)));
        vm.expectRevert(
            abi.encodeWithSelector(FunctorPolicyHookBase.CallNotAllowed.selector, keyId, address(usdc), IERC20.approve.selector)
        );
        _redeem(agent, _context(_delegation(address(acct), keyId)), bytes32(0), _single(e));
    }

    function test_Redemption_AfterRevoke_Refused() public {
        vm.prank(address(acct));
        keyStore.revoke(keyId);
        vm.expectRevert(abi.encodeWithSelector(FunctorValidator.KeyNotActive.selector, keyId, uint8(2)));
        _pay(agent, 1 * USDC);
    }

    /// @dev Refused by the validator itself (an account that wraps the hook's reverts cannot hide it).
    function test_Redemption_AfterExpiry_Refused() public {
        uint256 validUntil = block.timestamp + 7 days;
        vm.warp(block.timestamp + 8 days);
        vm.expectRevert(abi.encodeWithSelector(FunctorValidator.KeyExpired.selector, keyId, validUntil));
        _pay(agent, 1 * USDC);
        assertEq(usdc.balanceOf(bob), 0);
    }

    /// @dev Rotation: the old signer's redemption of the same context is refused, the new one's lands.
    function test_Redemption_Rotation() public {
        (address next,) = makeAddrAndKey("next");
        vm.prank(address(acct));
        keyStore.rotateSigner(keyId, _signerId(agent), _signerId(next));
        vm.expectRevert(abi.encodeWithSelector(FunctorValidator.NotKeySigner.selector, keyId, agent));
        _pay(agent, 1 * USDC);
        _pay(next, 1 * USDC);
        assertEq(usdc.balanceOf(bob), 1 * USDC);
    }

    // ------------------------------------------------------------------ attacks

    /// @dev Anyone may send the context (delegate ANY): only a signer of the key gets past.
    function test_Attack_StrangerRedeems_Refused() public {
        address stranger = address(0x5757);
        vm.expectRevert(abi.encodeWithSelector(FunctorValidator.NotKeySigner.selector, keyId, stranger));
        _pay(stranger, 1 * USDC);
    }

    /// @dev The agent redelegates its context to a friend (the kit's redelegatePermissionContext):
    /// the friend is the redeemer, not a signer of the key.
    function test_Attack_Redelegation_Refused() public {
        (address friend,) = makeAddrAndKey("friend");
        Delegation memory root = _delegation(address(acct), keyId);
        Delegation memory leaf;
        leaf.delegate = friend;
        leaf.delegator = agent;
        leaf.authority = dm.hashOf(root);
        leaf.caveats = new Caveat[](0);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(agentPk, dm.typedHashOf(leaf));
        leaf.signature = abi.encodePacked(r, s, v);
        Delegation[] memory chain = new Delegation[](2);
        chain[0] = leaf;
        chain[1] = root;
        vm.expectRevert(abi.encodeWithSelector(FunctorValidator.NotKeySigner.selector, keyId, friend));
        _redeem(friend, abi.encode(chain), bytes32(0), _single(_transfer(address(usdc), bob, 1 * USDC)));
    }

    /// @dev The key's context pointed at another account (the key is not granted there).
    function test_Attack_OtherAccountsTerms_Refused() public {
        TestAccount victim = _newAccount(style());
        _installExecutor(victim, address(hook), address(dm));
        vm.expectRevert();
        _redeem(agent, _context(_delegation(address(victim), keyId)), bytes32(0), _single(_transfer(address(usdc), bob, 1 * USDC)));
        assertEq(usdc.balanceOf(bob), 0);
    }

    /// @dev The Functor caveat stripped: the delegation no longer has the shape the validator signs
    /// for (and nothing would arm the execution).
    function test_Attack_CaveatStripped_Refused() public {
        Delegation memory d = _delegation(address(acct), keyId);
        d.caveats = new Caveat[](0);
        vm.expectRevert(DelegationManagerStandIn.InvalidERC1271Signature.selector);
        _redeem(agent, _context(d), bytes32(0), _single(_transfer(address(usdc), bob, 1 * USDC)));
    }

    /// @dev A caveat added (any enforcer): another hash, refused.
    function test_Attack_CaveatAdded_Refused() public {
        Delegation memory d = _delegation(address(acct), keyId);
        Caveat[] memory two = new Caveat[](2);
        two[0] = d.caveats[0];
        two[1] = Caveat(address(validator), d.caveats[0].terms, "");
        d.caveats = two;
        vm.expectRevert(DelegationManagerStandIn.InvalidERC1271Signature.selector);
        _redeem(agent, _context(d), bytes32(0), _single(_transfer(address(usdc), bob, 1 * USDC)));
    }

    /// @dev A delegation with another delegate, salt or signature than the terms: refused.
    function test_Attack_ReshapedDelegation_Refused() public {
        Delegation memory d = _delegation(address(acct), keyId);
        d.salt = 1;
        vm.expectRevert(DelegationManagerStandIn.InvalidERC1271Signature.selector);
        _redeem(agent, _context(d), bytes32(0), _single(_transfer(address(usdc), bob, 1 * USDC)));
        d = _delegation(address(acct), keyId);
        d.signature = abi.encode(address(acct), keyId + 1);
        vm.expectRevert(DelegationManagerStandIn.InvalidERC1271Signature.selector);
        _redeem(agent, _context(d), bytes32(0), _single(_transfer(address(usdc), bob, 1 * USDC)));
    }

    /// @dev Dirty terms (a high bit above the address) are refused, not read as the account.
    function test_Attack_DirtyTerms_Refused() public {
        Delegation memory d = _delegation(address(acct), keyId);
        bytes memory terms = abi.encode(uint256(uint160(address(acct))) | (1 << 200), keyId);
        d.caveats[0].terms = terms;
        d.signature = terms;
        vm.expectRevert(FunctorValidator.BadTerms.selector);
        _redeem(agent, _context(d), bytes32(0), _single(_transfer(address(usdc), bob, 1 * USDC)));
    }

    /// @dev The validator's execution called directly, by anyone: nothing armed it.
    function test_Attack_DirectExecute_Refused() public {
        vm.expectRevert(FunctorValidator.NotArmed.selector);
        vm.prank(agent);
        validator.executeFromExecutor(bytes32(0), _single(_transfer(address(usdc), bob, 1 * USDC)));
        // even by the trusted DelegationManager itself
        vm.expectRevert(FunctorValidator.NotArmed.selector);
        vm.prank(address(dm));
        validator.executeFromExecutor(bytes32(0), _single(_transfer(address(usdc), bob, 1 * USDC)));
    }

    /// @dev A contract of the attacker's calls the caveat hook claiming a signer as redeemer.
    function test_Attack_FakeManagerArms_Refused() public {
        DelegationManagerStandIn fake = new DelegationManagerStandIn();
        bytes memory exec = _single(_transfer(address(usdc), bob, 1 * USDC));
        vm.expectRevert(
            abi.encodeWithSelector(FunctorValidator.UntrustedDelegationManager.selector, address(fake), address(dm))
        );
        vm.prank(address(fake));
        validator.beforeHook(abi.encode(address(acct), keyId), "", bytes32(0), exec, bytes32(0), address(validator), agent);
        // the whole redemption through another DelegationManager
        bytes[] memory contexts = new bytes[](1);
        contexts[0] = _context(_delegation(address(acct), keyId));
        bytes32[] memory modes = new bytes32[](1);
        bytes[] memory calldatas = new bytes[](1);
        calldatas[0] = exec;
        vm.expectRevert(
            abi.encodeWithSelector(FunctorValidator.UntrustedDelegationManager.selector, address(fake), address(dm))
        );
        vm.prank(agent);
        fake.redeemDelegations(contexts, modes, calldatas);
    }

    /// @dev The Functor caveat on a delegation rooted at someone else does not arm anything.
    function test_Attack_CaveatOnForeignDelegation_Refused() public {
        vm.expectRevert(abi.encodeWithSelector(FunctorValidator.NotFunctorDelegation.selector, agent));
        vm.prank(address(dm));
        validator.beforeHook(abi.encode(address(acct), keyId), "", bytes32(0), "", bytes32(0), agent, agent);
    }

    /// @dev Armed for one execution, another is run: refused.
    function test_Attack_ArmedForOtherCalldata_Refused() public {
        bytes memory small = _single(_transfer(address(usdc), bob, 1 * USDC));
        vm.startPrank(address(dm));
        validator.beforeHook(abi.encode(address(acct), keyId), "", bytes32(0), small, bytes32(0), address(validator), agent);
        vm.expectRevert(FunctorValidator.NotArmed.selector);
        validator.executeFromExecutor(bytes32(0), _single(_transfer(address(usdc), bob, 99 * USDC)));
        vm.stopPrank();
    }

    /// @dev Try mode, delegatecall, or a mode that carries its own selector or payload: refused.
    function test_Attack_OtherModes_Refused() public {
        bytes memory exec = _single(_transfer(address(usdc), bob, 1 * USDC));
        bytes32[3] memory modes = [
            bytes32(uint256(1) << 240), // single, try
            bytes32(uint256(0xff) << 248), // delegatecall
            FunctorMode.encode(FunctorMode.CALLTYPE_SINGLE, keyId + 1) // a keyId of the redeemer's choosing
        ];
        for (uint256 i; i < modes.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(FunctorValidator.UnsupportedMode.selector, modes[i]));
            _redeem(agent, _context(_delegation(address(acct), keyId)), modes[i], exec);
        }
    }

    /// @dev Another executor of the account sends a Functor-mode executeFromExecutor itself: the
    /// hook trusts a keyed execution from FunctorValidator only.
    function test_Attack_OtherExecutorForgesKeyedCall_Refused() public {
        RogueExecutor rogue = new RogueExecutor();
        bytes memory data = style() == TestAccount.Style.Kernel ? abi.encodePacked(address(hook)) : bytes("");
        vm.prank(address(acct));
        acct.installModule(2, address(rogue), data);
        bytes memory exec = _single(_transfer(address(usdc), bob, 1 * USDC));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.KeyedCallNotFromEntryPoint.selector, address(rogue)));
        rogue.go(acct, FunctorMode.encode(FunctorMode.CALLTYPE_SINGLE, keyId), exec);
    }

    /// @dev Executor installed with no hook in front of it (Kernel hook 0x1), or the global hook
    /// gone: the validator refuses to execute.
    function test_Attack_ExecutorWithoutHook_Refused() public {
        if (style() == TestAccount.Style.Kernel) {
            vm.prank(address(acct));
            acct.uninstallModule(2, address(validator), abi.encode(address(dm)));
            _installExecutor(acct, address(0), address(dm));
        } else {
            vm.prank(address(acct));
            acct.uninstallModule(4, address(hook), "");
        }
        vm.expectRevert(abi.encodeWithSelector(FunctorValidator.HookNotGuarding.selector, address(acct)));
        _pay(agent, 1 * USDC);
    }

    /// @dev No ERC-7710 path until the account names a DelegationManager; uninstalling ends it.
    function test_NoManager_NoPath() public {
        vm.prank(address(acct));
        acct.uninstallModule(2, address(validator), abi.encode(address(dm)));
        assertEq(validator.delegationManagerOf(address(acct)), address(0));
        vm.expectRevert(abi.encodeWithSelector(FunctorValidator.UntrustedDelegationManager.selector, address(dm), address(0)));
        _pay(agent, 1 * USDC);
        // the module that validates UserOps stays installed
        assertTrue(opValidator.isInitialized(address(acct)));
    }

    function test_RevertWhen_ExecutorDataMalformed() public {
        TestAccount b = _newAccount(TestAccount.Style.Nexus);
        vm.startPrank(address(b));
        vm.expectRevert(FunctorValidator.BadInstallData.selector);
        b.installModule(2, address(validator), abi.encode(address(0)));
        vm.expectRevert(FunctorValidator.BadInstallData.selector);
        b.installModule(2, address(validator), abi.encodePacked(address(dm)));
        vm.stopPrank();
    }

    /// @dev A UserOp cannot carry executeFromExecutor calldata into validation.
    function test_UserOp_ExecuteFromExecutorCalldata_Refused() public {
        bytes memory exec = abi.encodeWithSelector(
            0xd691c964, FunctorMode.encode(FunctorMode.CALLTYPE_SINGLE, keyId), _single(_transfer(address(usdc), bob, 1 * USDC))
        );
        PackedUserOperation memory op = _op(acct, _opCalldata(acct, exec));
        op.signature = _signSession(op, agentPk);
        _expectValidationRevert(op, abi.encodeWithSelector(ExecutionParser.NotExecute.selector));
    }
}

/// @dev An executor module of the account's other than Functor's.
contract RogueExecutor {
    function onInstall(bytes calldata) external {}

    function go(TestAccount a, bytes32 mode, bytes calldata data) external {
        a.executeFromExecutor(mode, data);
    }
}

contract Erc7710RedemptionKernelTest is Erc7710RedemptionBase {
    function style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Kernel;
    }
}

contract Erc7710RedemptionNexusTest is Erc7710RedemptionBase {
    function style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Nexus;
    }
}

contract Erc7710RedemptionSafeTest is Erc7710RedemptionBase {
    function style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Safe;
    }
}

// ---------------------------------------------------------------------- the frozen v1 reference
// The same tests, each convention's, on v1's hook and validator (FunctorTest._deployV1Modules);
// the src-only ones (_srcOnly) are reported skipped.

contract Erc7710RedemptionKernelV1Test is Erc7710RedemptionKernelTest {
    function _deployModules() internal override {
        _deployV1Modules();
    }
}

contract Erc7710RedemptionNexusV1Test is Erc7710RedemptionNexusTest {
    function _deployModules() internal override {
        _deployV1Modules();
    }
}

contract Erc7710RedemptionSafeV1Test is Erc7710RedemptionSafeTest {
    function _deployModules() internal override {
        _deployV1Modules();
    }
}
