// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {IEntryPoint} from "account-abstraction/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {FunctorValidator} from "../../src/FunctorValidator.sol";
import {FunctorPolicyHook} from "../../src/FunctorPolicyHook.sol";
import {FunctorPolicyHookBase} from "../../src/FunctorPolicyHookBase.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {Execution} from "../../src/lib/ExecutionParser.sol";
import {
    CallPermission, Policies, SpendLimit, PeriodKind, ANY_TARGET
} from "../../src/lib/PolicyTypes.sol";

/// @dev An owner validator as real ones are (ZeroDev's ECDSAValidator, Biconomy's K1Validator):
/// configured by the account calling it, on install or through a setter.
contract OwnerValidatorLike {
    mapping(address account => address) public ownerOf;

    function onInstall(bytes calldata data) external {
        ownerOf[msg.sender] = address(bytes20(data));
    }

    function onUninstall(bytes calldata) external {
        delete ownerOf[msg.sender];
    }

    function isModuleType(uint256 t) external pure returns (bool) {
        return t == 1;
    }

    function setOwner(address o) external {
        ownerOf[msg.sender] = o;
    }
}

/// @dev Like the Safe7579 adapter: an ERC-7579 account implementation that trusts the Safe that
/// calls it (here: sweeps the caller's ETH to whoever it names). Not a module: no isModuleType.
contract AdapterLike {
    function supportsModule(uint256) external pure returns (bool) {
        return true;
    }

    function sweep(address payable to) external {
        to.transfer(0);
    }
}

/// @dev A fallback handler that answers no probe at all (a Safe's handler can be any contract).
contract PlainHandler {
    uint256 public calls;

    function onInstall(bytes calldata) external {}

    function onUninstall(bytes calldata) external {}

    function sweep(address) external {
        ++calls;
    }
}

/// @notice The holes a leaked or hostile key could use (issue 14, DESIGN 2.5), each as the attack
/// that showed it, on the three hook conventions.
abstract contract LeakedKeyHolesBase is FunctorTest {
    TestAccount internal acct;
    address internal agent;
    uint256 internal agentPk;
    uint176 internal keyId;

    function style() internal pure virtual returns (TestAccount.Style);

    function setUp() public override {
        super.setUp();
        acct = _newAccount(style());
        (agent, agentPk) = makeAddrAndKey("agent");
        keyId = _grant(acct, "key", agent, _usdcPolicies());
    }

    function _set(Policies memory p) internal {
        vm.prank(address(acct));
        hookConfig.setPolicies(keyId, p);
    }

    function _callOp(address target, bytes memory data) internal view returns (PackedUserOperation memory) {
        return _sessionOp(acct, keyId, _one(Execution(target, 0, data)), agentPk);
    }

    function _withCall(Policies memory p, address target, bytes4 selector) internal pure returns (Policies memory) {
        CallPermission[] memory calls = new CallPermission[](p.calls.length + 1);
        for (uint256 i; i < p.calls.length; ++i) calls[i] = p.calls[i];
        calls[p.calls.length] = CallPermission(target, selector);
        p.calls = calls;
        return p;
    }

    // ------------------------------------------------------------ 1. gas drain

    /// @dev The attacker holds the key and calls handleOps as its own beneficiary, with ops that
    /// revert in execution (over the spend limit) at the highest fee and gas the caps allow. With a
    /// ceiling of 3 ops, ten ops in one bundle are refused whole (nothing paid), and one op at a time
    /// stops at the third: the account pays at most 3 x maxCostPerOp in all.
    function test_Attack_GasDrain_BoundedByOpCeiling() public {
        Policies memory p = _usdcPolicies();
        uint64 seq = uint64(ep.getNonce(address(acct), _laneKey(acct, keyId)));
        p.gas.opCeiling = uint32(seq + 3);
        _set(p);
        uint256 before = address(acct).balance;

        PackedUserOperation[] memory ten = new PackedUserOperation[](10);
        for (uint256 i; i < 10; ++i) ten[i] = _drainOp(seq + i);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEntryPoint.FailedOpWithRevert.selector,
                3,
                "AA23 reverted",
                abi.encodeWithSelector(FunctorPolicyHookBase.OpCeilingReached.selector, seq + 3, seq + 3)
            )
        );
        ep.handleOps(ten, beneficiary);
        assertEq(address(acct).balance, before, "a refused bundle costs the account nothing");

        for (uint256 i; i < 3; ++i) {
            (bool ok,) = _sendAndResult(_drainOp(seq + i));
            assertFalse(ok, "the drain op reverts in execution, and the account pays for it");
        }
        _expectValidationRevert(
            _drainOp(seq + 3), abi.encodeWithSelector(FunctorPolicyHookBase.OpCeilingReached.selector, seq + 3, seq + 3)
        );
        assertLe(before - address(acct).balance, 3 * uint256(p.gas.maxCostPerOp), "at most 3 ops' maximum cost");
        assertGt(before - address(acct).balance, 0, "the three ops were paid");
    }

    /// @dev An op over the spend limit (reverts in execution) at the op cost cap, nonce `n` on the lane.
    function _drainOp(uint256 n) internal view returns (PackedUserOperation memory op) {
        op = _op(acct, _opCalldata(acct, _executeCalldata(keyId, _one(_transfer(address(usdc), agent, 1_000 * USDC)))));
        op.nonce = (uint256(_laneKey(acct, keyId)) << 64) | n;
        // the op's maximum cost right at the 0.01 ether cap: 1,000,000 gas at 10 gwei
        op.accountGasLimits = bytes32((uint256(500_000) << 128) | 450_000);
        op.preVerificationGas = 50_000;
        op.gasFees = bytes32((uint256(10 gwei) << 128) | 10 gwei);
        op.signature = _signSession(op, agentPk);
    }

    /// @dev Another nonce key (a fresh lane, or the lane with another mode) would start a fresh
    /// sequence, so the validator refuses it: the ceiling counts every op of the key.
    function test_Attack_OtherNonceLane_Refused() public {
        PackedUserOperation memory op = _callOp(address(usdc), abi.encodeCall(IERC20.transfer, (alice, 1)));
        uint192 other = _nonceKey(acct, address(opValidator), uint16(keyId) ^ 1);
        op.nonce = ep.getNonce(address(acct), other);
        op.signature = _signSession(op, agentPk);
        _expectValidationRevert(op, abi.encodeWithSelector(FunctorPolicyHookBase.WrongNonceKey.selector, other));
    }

    function test_RevertWhen_OpCeilingMissing() public {
        Policies memory p = _usdcPolicies();
        p.gas.opCeiling = 0;
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.InvalidPolicy.selector, "op ceiling is mandatory"));
        hookConfig.setPolicies(keyId, p);
    }

    // ------------------------------------------------------------ 2. the account's own modules

    /// @dev A wildcard target with a module's own setter: the key would make itself the owner of
    /// the account's owner validator. Refused in execution (the target answers isModuleType).
    function test_Attack_WildcardTarget_RewritesOwnerValidator() public {
        OwnerValidatorLike ov = _installOwnerValidator();
        _set(_withCall(_usdcPolicies(), ANY_TARGET, OwnerValidatorLike.setOwner.selector));
        _expectExecutionRevert(
            _callOp(address(ov), abi.encodeCall(OwnerValidatorLike.setOwner, (agent))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(ov))
        );
        assertEq(ov.ownerOf(address(acct)), owner, "the owner validator still names the owner");
    }

    /// @dev The issue's own attack: the owner validator's onInstall through a wildcard. The
    /// management selector cannot be granted with a wildcard target at all.
    function test_Attack_WildcardTarget_CallsOnInstall_RefusedAsPolicy() public {
        Policies memory p = _withCall(_usdcPolicies(), ANY_TARGET, OwnerValidatorLike.onInstall.selector);
        vm.prank(address(acct));
        vm.expectRevert(
            abi.encodeWithSelector(FunctorPolicyHookBase.InvalidPolicy.selector, "any target with a management selector")
        );
        hookConfig.setPolicies(keyId, p);
    }

    /// @dev A module installed after the grant is reached through the wildcard: still refused.
    function test_Attack_WildcardTarget_ModuleInstalledAfterGrant() public {
        _set(_withCall(_usdcPolicies(), ANY_TARGET, OwnerValidatorLike.setOwner.selector));
        OwnerValidatorLike ov = _installOwnerValidator();
        _expectExecutionRevert(
            _callOp(address(ov), abi.encodeCall(OwnerValidatorLike.setOwner, (agent))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(ov))
        );
        assertEq(ov.ownerOf(address(acct)), owner);
    }

    /// @dev A module named as an exact target (installed or not) is refused when the policy is set.
    function test_Attack_ExactTargetThatIsAModule_RefusedAsPolicy() public {
        OwnerValidatorLike ov = new OwnerValidatorLike();
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(ov)));
        hookConfig.setPolicies(keyId, _withCall(_usdcPolicies(), address(ov), OwnerValidatorLike.setOwner.selector));
    }

    /// @dev An ERC-7579 account implementation (the Safe7579 adapter) is refused, exact or wildcard.
    function test_Attack_AdapterLike_Refused() public {
        AdapterLike ad = new AdapterLike();
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(ad)));
        hookConfig.setPolicies(keyId, _withCall(_usdcPolicies(), address(ad), AdapterLike.sweep.selector));
        _set(_withCall(_usdcPolicies(), ANY_TARGET, AdapterLike.sweep.selector));
        _expectExecutionRevert(
            _callOp(address(ad), abi.encodeCall(AdapterLike.sweep, (payable(agent)))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(ad))
        );
    }

    /// @dev An executor the account says is installed, though it answers no probe itself.
    function test_Attack_WildcardTarget_InstalledPlainModule() public {
        PlainHandler h = new PlainHandler();
        _set(_withCall(_usdcPolicies(), ANY_TARGET, PlainHandler.sweep.selector));
        vm.prank(address(acct));
        acct.installModule(2, address(h), "");
        _expectExecutionRevert(
            _callOp(address(h), abi.encodeCall(PlainHandler.sweep, (agent))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(h))
        );
        assertEq(h.calls(), 0);
    }

    function _installOwnerValidator() internal returns (OwnerValidatorLike ov) {
        ov = new OwnerValidatorLike();
        vm.prank(address(acct));
        acct.installModule(1, address(ov), abi.encodePacked(owner));
    }

    // ------------------------------------------------------------ 3. strangers and edits

    /// @dev Any contract could call setPolicies for any keyId on itself and migrate the key's shared
    /// windows: only an account the key is enabled on may.
    function test_Attack_StrangerSetsPoliciesForVictimKey_Refused() public {
        TestAccount stranger = _newAccount(style());
        vm.prank(address(stranger));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.KeyNotActive.selector, keyId, uint8(0)));
        hookConfig.setPolicies(keyId, _usdcPolicies());
        // a revoked key cannot be re-configured either
        vm.prank(address(acct));
        keyStore.revoke(keyId);
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.KeyNotActive.selector, keyId, uint8(2)));
        hookConfig.setPolicies(keyId, _usdcPolicies());
    }

    /// @dev Toggling a limit between two geometries used to add the window's usage into the other
    /// one each time (610/100 after a few rounds): a freeze of the key on every account. Now a
    /// window reads at most what was really spent, and the key keeps its room.
    function test_Attack_GeometryToggle_CannotInflateWindow() public {
        (bool ok,) = _sendAndResult(_callOp(address(usdc), abi.encodeCall(IERC20.transfer, (bob, 60 * USDC))));
        assertTrue(ok);
        Policies memory daily = _usdcPolicies();
        Policies memory weekly = _usdcPolicies();
        weekly.spends[0].period = 7 days;
        for (uint256 i; i < 5; ++i) {
            _set(weekly);
            _set(daily);
        }
        assertEq(_usedNow(), 60 * USDC, "the daily window reads what was spent");
        _set(weekly);
        assertEq(_usedNow(), 60 * USDC, "the weekly window reads what was spent");
        (ok,) = _sendAndResult(_callOp(address(usdc), abi.encodeCall(IERC20.transfer, (bob, 40 * USDC))));
        assertTrue(ok, "the remaining 40 can still be spent");
    }

    /// @dev Over random sequences of spends and edits among three geometries, no window ever reads
    /// more than the key really spent (and the one in force never less than its own spends).
    /// forge-config: default.fuzz.runs = 64
    function testFuzz_PolicyEdits_NeverRaiseWindowAboveSpent(uint256 seed) public {
        uint32[3] memory periods = [uint32(1 days), uint32(7 days), uint32(12 hours)];
        uint256 spent;
        for (uint256 step; step < 12; ++step) {
            seed = uint256(keccak256(abi.encode(seed, step)));
            if (seed % 3 == 0) {
                Policies memory p = _usdcPolicies();
                p.spends[0].period = periods[(seed >> 8) % 3];
                _set(p);
            } else {
                uint256 amount = ((seed >> 16) % 30 + 1) * USDC;
                (bool ok,) = _sendAndResult(_callOp(address(usdc), abi.encodeCall(IERC20.transfer, (bob, amount))));
                if (ok) spent += amount;
            }
            if (seed % 5 == 0) vm.warp(vm.getBlockTimestamp() + (seed >> 32) % 6 hours);
            for (uint256 g; g < 3; ++g) {
                assertLe(_usedWith(periods[g]), spent, "a window reads more than was spent");
            }
        }
    }

    function _usedNow() internal view returns (uint256) {
        (, uint256[] memory used,) = hookConfig.spendUsage(address(acct), keyId);
        return used[0];
    }

    /// @dev What the key's USDC window of `period` reads (set the geometry, read, set it back).
    function _usedWith(uint32 period) internal returns (uint256 used) {
        uint256 snap = vm.snapshotState();
        Policies memory p = _usdcPolicies();
        p.spends[0].period = period;
        // a fresh account of the key reads the window of that geometry without migrating anything
        TestAccount probe = _newAccount(style());
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        uint256 deadline = vm.getBlockTimestamp() + 1;
        bytes32 digest = keyStore.enableDigest(keyId, address(probe), keyStore.nonces(address(probe)), deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerPk, digest);
        auths[0] = KeyStore.EnableAuth(address(probe), deadline, abi.encodePacked(r, s, v));
        vm.prank(address(acct));
        keyStore.enable(keyId, auths);
        vm.prank(address(probe));
        hookConfig.setPolicies(keyId, p);
        (, uint256[] memory u,) = hookConfig.spendUsage(address(probe), keyId);
        used = u[0];
        vm.revertToState(snap);
    }

    // ------------------------------------------------------------ 4. rotated signer

    /// @dev The old signer's op, bundled right after the owner's rotation op: it validated before
    /// the rotation landed, and the hook's re-check stops it in execution.
    function test_Attack_RotatedOutSigner_BundledAfterRotation_Refused() public {
        (address next,) = makeAddrAndKey("next");
        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        ops[0] = _ownerOp(
            acct,
            _one(Execution(address(keyStore), 0, abi.encodeCall(KeyStore.rotateSigner, (keyId, _signerId(agent), _signerId(next)))))
        );
        ops[1] = _callOp(address(usdc), abi.encodeCall(IERC20.transfer, (agent, 10 * USDC)));
        _handleAndExpect(ops, 1, abi.encodeWithSelector(FunctorPolicyHookBase.SignerNotAuthorized.selector, keyId, _signerId(agent)));
        assertFalse(keyStore.isAuthorized(keyId, address(acct), _signerId(agent)), "the rotation landed");
        assertEq(usdc.balanceOf(agent), 0, "the rotated-out signer moved nothing");
    }

    // ------------------------------------------------------------ 5. the rest of the family

    /// @dev The owner's op uninstalls the hook; a key's op validated in the same bundle would then
    /// run with no policy at all (500 USDC against a 100 limit). The uninstall waits instead.
    function test_Attack_HookUninstalledUnderValidatedOp_Refused() public {
        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        ops[0] = _ownerOp(
            acct, _one(Execution(address(acct), 0, abi.encodeCall(TestAccount.uninstallModule, (4, address(hook), ""))))
        );
        ops[1] = _callOp(address(usdc), abi.encodeCall(IERC20.transfer, (agent, 500 * USDC)));
        vm.recordLogs();
        ep.handleOps(ops, beneficiary);
        assertEq(usdc.balanceOf(agent), 0, "nothing moved past the limit");
        assertTrue(hookConfig.isInitialized(address(acct)), "the uninstall did not land under the pending op");
    }

    /// @dev Two keyed ops of the account in one bundle, the owner's uninstall between them: after the
    /// first has run, the second still waits (the count of ops pending lives in the guard word,
    /// which the first's postCheck lowers, not clears), so the uninstall is refused and the second
    /// op, 500 USDC against the 100 limit, meets the hook.
    function test_Attack_HookUninstalledBetweenTwoKeyedOps_Refused() public {
        uint256 nonce = ep.getNonce(address(acct), _laneKey(acct, keyId));
        PackedUserOperation[] memory ops = new PackedUserOperation[](3);
        ops[0] = _callOp(address(usdc), abi.encodeCall(IERC20.transfer, (agent, 10 * USDC)));
        ops[1] = _ownerOp(
            acct, _one(Execution(address(acct), 0, abi.encodeCall(TestAccount.uninstallModule, (4, address(hook), ""))))
        );
        ops[2] = _op(acct, _opCalldata(acct, _executeCalldata(keyId, _one(_transfer(address(usdc), agent, 500 * USDC)))));
        ops[2].nonce = nonce + 1;
        ops[2].signature = _signSession(ops[2], agentPk);
        ep.handleOps(ops, beneficiary);
        assertEq(usdc.balanceOf(agent), 10 * USDC, "the first op ran, the second moved nothing past the limit");
        assertTrue(hookConfig.isInitialized(address(acct)), "the uninstall did not land under the second op");
    }

    /// @dev CONFIG_WRITTEN (the guard word's bit 254) holds for the rest of the transaction: the
    /// owner expires a second key in the bundle, then the first key's op runs (its preCheck and
    /// postCheck write the guard word), then the second key's op, validated before the edit, must
    /// still meet the validation word it no longer passes. (With preCheck or postCheck dropping the
    /// bit, the second op's preCheck skips the word and its transfer lands: this test fails.)
    function test_Attack_EditInBundle_AnotherKeysOpBetween_StillRefused() public {
        (address agent2, uint256 agent2Pk) = makeAddrAndKey("agent2");
        uint176 k2 = _grant(acct, "k2", agent2, _usdcPolicies());
        Policies memory expired = _usdcPolicies();
        expired.validUntil = uint48(block.timestamp - 1);
        PackedUserOperation[] memory ops = new PackedUserOperation[](3);
        ops[0] = _ownerOp(
            acct, _one(Execution(address(hook), 0, abi.encodeCall(FunctorPolicyConfig.setPolicies, (k2, expired))))
        );
        ops[1] = _callOp(address(usdc), abi.encodeCall(IERC20.transfer, (agent, 10 * USDC)));
        ops[2] = _op(acct, _opCalldata(acct, _executeCalldata(k2, _one(_transfer(address(usdc), agent2, 20 * USDC)))));
        ops[2].nonce = ep.getNonce(address(acct), _laneKey(acct, k2));
        ops[2].signature = _signSession(ops[2], agent2Pk);
        vm.recordLogs();
        ep.handleOps(ops, beneficiary);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        (bool ok1,) = _resultOf(logs, ep.getUserOpHash(ops[1]));
        (bool ok2, bytes memory reason) = _resultOf(logs, ep.getUserOpHash(ops[2]));
        assertTrue(ok1, "the first key's op ran");
        assertFalse(ok2, "the expired key's op did not");
        assertEq(reason, abi.encodeWithSelector(FunctorPolicyHookBase.KeyExpired.selector, k2, expired.validUntil));
        assertEq(usdc.balanceOf(agent), 10 * USDC);
        assertEq(usdc.balanceOf(agent2), 0, "nothing moved under the expired key");
    }

    /// @dev Two keyed ops of the account with the same calldata in one bundle: validation leaves two
    /// tickets for it, each execution takes one, so both run (and a third execution would find none).
    function test_TwoKeyedOpsWithTheSameCalldata_EachTakesItsTicket() public {
        uint256 nonce = ep.getNonce(address(acct), _laneKey(acct, keyId));
        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        ops[0] = _callOp(address(usdc), abi.encodeCall(IERC20.transfer, (agent, 10 * USDC)));
        ops[1] = _callOp(address(usdc), abi.encodeCall(IERC20.transfer, (agent, 10 * USDC)));
        ops[1].nonce = nonce + 1;
        ops[1].signature = _signSession(ops[1], agentPk);
        assertEq(ops[0].callData, ops[1].callData, "the same calldata");
        vm.recordLogs();
        ep.handleOps(ops, beneficiary);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 k; k < 2; ++k) {
            (bool ok,) = _resultOf(logs, ep.getUserOpHash(ops[k]));
            assertTrue(ok, "each op ran");
        }
        assertEq(usdc.balanceOf(agent), 20 * USDC, "both transfers landed");
    }

    /// @dev The guard holds the uninstall only while a keyed op waits: after the key's op has run
    /// in the same bundle, the owner's uninstall lands.
    function test_HookUninstall_AfterKeyedOpRan_Lands() public {
        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        ops[0] = _callOp(address(usdc), abi.encodeCall(IERC20.transfer, (agent, 10 * USDC)));
        ops[1] = _ownerOp(
            acct, _one(Execution(address(acct), 0, abi.encodeCall(TestAccount.uninstallModule, (4, address(hook), ""))))
        );
        ep.handleOps(ops, beneficiary);
        assertEq(usdc.balanceOf(agent), 10 * USDC);
        assertFalse(hookConfig.isInitialized(address(acct)), "the uninstall landed");
    }

    /// @dev Policies narrowed (or the key disabled) by the owner's op in the same bundle, after the
    /// key's op validated against the old ones: the hook's re-check in execution stops it.
    function test_Attack_PoliciesNarrowedAfterValidation_StoppedInExecution() public {
        Policies memory daiOnly = _usdcPolicies();
        daiOnly.calls[0] = CallPermission(address(dai), IERC20.transfer.selector);
        daiOnly.spends[0].token = address(dai);
        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        ops[0] = _ownerOp(acct, _one(Execution(address(hook), 0, abi.encodeCall(FunctorPolicyConfig.setPolicies, (keyId, daiOnly)))));
        ops[1] = _callOp(address(usdc), abi.encodeCall(IERC20.transfer, (agent, 10 * USDC)));
        _handleAndExpect(
            ops, 1, abi.encodeWithSelector(FunctorPolicyHookBase.CallNotAllowed.selector, keyId, address(usdc), IERC20.transfer.selector)
        );
        assertEq(usdc.balanceOf(agent), 0);
    }

    function test_Attack_DisabledAfterValidation_StoppedInExecution() public {
        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        ops[0] = _ownerOp(acct, _one(Execution(address(keyStore), 0, abi.encodeCall(KeyStore.disable, (keyId, address(acct))))));
        ops[1] = _callOp(address(usdc), abi.encodeCall(IERC20.transfer, (agent, 10 * USDC)));
        _handleAndExpect(ops, 1, abi.encodeWithSelector(FunctorPolicyHookBase.KeyNotActive.selector, keyId, uint8(0)));
        assertEq(usdc.balanceOf(agent), 0);
    }

    /// @dev Sends the bundle; op `i` must fail in execution with `reason`, every other op succeed.
    function _handleAndExpect(PackedUserOperation[] memory ops, uint256 i, bytes memory reason) internal {
        vm.recordLogs();
        ep.handleOps(ops, beneficiary);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 k; k < ops.length; ++k) {
            (bool ok, bytes memory got) = _resultOf(logs, ep.getUserOpHash(ops[k]));
            if (k == i) {
                assertFalse(ok, "the key's op failed");
                assertEq(got, reason, "with the reason");
            } else {
                assertTrue(ok, "the other ops succeed");
            }
        }
    }

    function _resultOf(Vm.Log[] memory logs, bytes32 opHash) internal view returns (bool success, bytes memory reason) {
        for (uint256 k; k < logs.length; ++k) {
            if (logs[k].emitter != address(ep) || logs[k].topics.length < 2 || logs[k].topics[1] != opHash) continue;
            if (logs[k].topics[0] == IEntryPoint.UserOperationRevertReason.selector) {
                (, reason) = abi.decode(logs[k].data, (uint256, bytes));
            }
            if (logs[k].topics[0] == IEntryPoint.UserOperationEvent.selector) {
                (, success,,) = abi.decode(logs[k].data, (uint256, bool, uint256, uint256));
            }
        }
    }
}

contract LeakedKeyHolesKernelTest is LeakedKeyHolesBase {
    function style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Kernel;
    }
}

contract LeakedKeyHolesNexusTest is LeakedKeyHolesBase {
    function style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Nexus;
    }
}

contract LeakedKeyHolesSafeTest is LeakedKeyHolesBase {
    function style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Safe;
    }

    /// @dev The Safe's fallback handler (the Safe7579 adapter, whose validateUserOp trusts the
    /// EntryPoint appended by the Safe) reached through a wildcard target: refused in execution.
    function test_Attack_WildcardTarget_SafeFallbackHandler() public {
        PlainHandler h = new PlainHandler();
        vm.prank(address(acct));
        acct.setFallbackHandler(address(h));
        _set(_withCall(_usdcPolicies(), ANY_TARGET, PlainHandler.sweep.selector));
        _expectExecutionRevert(
            _callOp(address(h), abi.encodeCall(PlainHandler.sweep, (agent))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(h))
        );
        assertEq(h.calls(), 0);
    }
}

// ---------------------------------------------------------------------- the frozen v1 reference
// The same tests, each convention's, on v1's hook and validator (FunctorTest._deployV1Modules);
// the src-only ones (_srcOnly) are reported skipped.

contract LeakedKeyHolesKernelV1Test is LeakedKeyHolesKernelTest {
    function _deployModules() internal override {
        _deployV1Modules();
    }
}

contract LeakedKeyHolesNexusV1Test is LeakedKeyHolesNexusTest {
    function _deployModules() internal override {
        _deployV1Modules();
    }
}

contract LeakedKeyHolesSafeV1Test is LeakedKeyHolesSafeTest {
    function _deployModules() internal override {
        _deployV1Modules();
    }
}
