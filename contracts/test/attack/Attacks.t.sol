// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEntryPoint} from "account-abstraction/interfaces/IEntryPoint.sol";
import {IStakeManager} from "account-abstraction/interfaces/IStakeManager.sol";
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {Vm} from "forge-std/Vm.sol";
import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {AuditWords, CallRecord, SpendRecord} from "../utils/AuditWords.sol";
import {PullingRouter} from "../utils/TestToken.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {FunctorValidator} from "../../src/FunctorValidator.sol";
import {FunctorPolicyHook} from "../../src/FunctorPolicyHook.sol";
import {FunctorPolicyHookBase} from "../../src/FunctorPolicyHookBase.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {FunctorMode} from "../../src/lib/FunctorMode.sol";
import {Execution, ExecutionParser} from "../../src/lib/ExecutionParser.sol";
import {CallPermission, Policies, ANY_TARGET, ANY_SELECTOR} from "../../src/lib/PolicyTypes.sol";
import {IERC7579Hook} from "../../src/interfaces/IERC7579Module.sol";

/// @dev An executor module that, when a key calls it, tries to re-enter the account through
/// `executeFromExecutor`, a path that carries no keyId.
contract ReenteringExecutor {
    function onInstall(bytes calldata) external {}
    function onUninstall(bytes calldata) external {}

    function drain(TestAccount account, address token, address to, uint256 amount) external {
        account.executeFromExecutor(bytes32(0), abi.encodePacked(token, uint256(0), abi.encodeCall(IERC20.transfer, (to, amount))));
    }
}

/// @notice Attack tests, each named for its attack (DESIGN 2, 2.1). They run on the three hook
/// conventions (Kernel's validator-bound hook, Nexus's and Safe's global hook).
abstract contract AttacksBase is FunctorTest {
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

    function _callOp(address target, bytes memory data) internal view returns (PackedUserOperation memory) {
        return _sessionOp(acct, keyId, _one(Execution(target, 0, data)), agentPk);
    }

    /// @dev Lets the key call `target.selector` (the owner's mistake the attack relies on).
    function _allow(address target, bytes4 selector) internal {
        Policies memory p = _usdcPolicies();
        CallPermission[] memory calls = new CallPermission[](p.calls.length + 1);
        for (uint256 i; i < p.calls.length; ++i) calls[i] = p.calls[i];
        calls[p.calls.length] = CallPermission(target, selector);
        p.calls = calls;
        vm.prank(address(acct));
        hookConfig.setPolicies(keyId, p);
    }

    // ---------------------------------------------------------------- bundle confusion

    /// @dev A weak key's op bundled right after a strong key's op of the same account must be held
    /// to the weak key's policy: the keyId is bound in each op's own signed calldata.
    function test_Attack_WeakKeyBundledWithStrongKey_CannotBorrowStrongPolicy() public {
        _strongThenWeakBundle(1_000 * USDC, 1_000 * USDC);
        assertEq(usdc.balanceOf(bob), 1_000 * USDC, "strong key's op ran");
        assertEq(usdc.balanceOf(alice), 0, "weak key's op was held to its own 100 USDC limit");
    }

    /// @dev One bundle: a strong key (5,000 USDC a day) pays bob, then the weak `keyId` (100 a day)
    /// pays alice, both on `acct`. Logs are recorded.
    function _strongThenWeakBundle(uint256 toBob, uint256 toAlice) internal returns (uint176 strongKey, address strongAgent) {
        uint256 strongPk;
        (strongAgent, strongPk) = makeAddrAndKey("strong");
        Policies memory strong = _usdcPolicies();
        strong.spends[0].limit = uint96(5_000 * USDC);
        strongKey = _grant(acct, "strong", strongAgent, strong);

        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        ops[0] = _sessionOp(acct, strongKey, _one(_transfer(address(usdc), bob, toBob)), strongPk);
        // Each key's ops run on its own nonce lane, so both nonces are read before the bundle.
        ops[1] = _op(acct, _opCalldata(acct, _executeCalldata(keyId, _one(_transfer(address(usdc), alice, toAlice)))));
        ops[1].signature = _signSession(ops[1], agentPk);

        vm.recordLogs();
        ep.handleOps(ops, beneficiary);
    }

    /// @dev The weak key's signer puts the strong keyId in its mode: its signature is not a signer
    /// of that keyId, so validation fails (AA24) and nothing runs or is paid.
    function test_Attack_WeakSignerClaimsStrongKeyId_FailsSignature() public {
        (address strongAgent,) = makeAddrAndKey("strong");
        uint176 strongKey = _grant(acct, "strong", strongAgent, _usdcPolicies());
        PackedUserOperation memory op = _sessionOp(acct, strongKey, _one(_transfer(address(usdc), alice, 1 * USDC)), agentPk);
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        _send(op);
    }

    /// @dev An op validated by another validator (here the owner) cannot inject a keyId: the hook
    /// requires the ticket FunctorValidator leaves for exactly that calldata.
    function test_Attack_KeyIdInjectedThroughOtherValidator_HasNoTicket() public {
        PackedUserOperation memory op = _ownerOp(acct, _one(_transfer(address(usdc), alice, 1 * USDC)));
        op.callData = _opCalldata(acct, _executeCalldata(keyId, _one(_transfer(address(usdc), alice, 1 * USDC))));
        bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", ep.getUserOpHash(op)));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerPk, digest);
        op.signature = abi.encode(r, s, v);
        _expectExecutionRevert(op, abi.encodeWithSelector(FunctorPolicyHookBase.NoTicket.selector, address(acct)));
    }

    // ---------------------------------------------------------------- forbidden targets

    function test_Attack_SessionKeyInstallsModuleOnAccount() public {
        _expectValidationRevert(
            _callOp(address(acct), abi.encodeCall(TestAccount.installModule, (1, agent, ""))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(acct))
        );
    }

    function test_Attack_SessionKeyUninstallsHook() public {
        _expectValidationRevert(
            _callOp(address(acct), abi.encodeCall(TestAccount.uninstallModule, (4, address(hook), ""))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(acct))
        );
    }

    function test_Attack_SessionKeyCallsExecuteOnAccountItself() public {
        bytes memory inner = abi.encodeWithSelector(
            0xe9ae5c53, bytes32(0), abi.encodePacked(address(usdc), uint256(0), abi.encodeCall(IERC20.transfer, (alice, 1_000 * USDC)))
        );
        _expectValidationRevert(
            _callOp(address(acct), inner), abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(acct))
        );
    }

    /// @dev A wildcard target with a module-management selector is refused as a policy, and even a
    /// wildcard target the owner allowed never reaches the account itself.
    function test_Attack_WildcardTargetStillCannotReachAccount() public {
        Policies memory p = _usdcPolicies();
        p.calls[0] = CallPermission(ANY_TARGET, TestAccount.installModule.selector);
        vm.prank(address(acct));
        vm.expectRevert(
            abi.encodeWithSelector(FunctorPolicyHookBase.InvalidPolicy.selector, "any target with a management selector")
        );
        hookConfig.setPolicies(keyId, p);
        _allow(ANY_TARGET, TestAccount.isModuleInstalled.selector);
        _expectValidationRevert(
            _callOp(address(acct), abi.encodeCall(TestAccount.isModuleInstalled, (1, agent, ""))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(acct))
        );
    }

    function test_Attack_SessionKeyAddsItsOwnSignerInKeyStore() public {
        _allow(ANY_TARGET, KeyStore.addSigner.selector);
        _expectValidationRevert(
            _callOp(address(keyStore), abi.encodeCall(KeyStore.addSigner, (keyId, bytes32(uint256(1))))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(keyStore))
        );
    }

    function test_Attack_SessionKeyRewritesItsPolicies() public {
        _allow(ANY_TARGET, FunctorPolicyConfig.setPolicies.selector);
        Policies memory loose = _usdcPolicies();
        loose.spends[0].limit = type(uint96).max;
        _expectValidationRevert(
            _callOp(address(hook), abi.encodeCall(FunctorPolicyConfig.setPolicies, (keyId, loose))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(hook))
        );
    }

    function test_Attack_SessionKeyCallsEntryPointAndValidator() public {
        _allow(ANY_TARGET, IStakeManager.withdrawTo.selector);
        _expectValidationRevert(
            _callOp(address(ep), abi.encodeCall(IStakeManager.withdrawTo, (payable(agent), 1 ether))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(ep))
        );
        _allow(ANY_TARGET, FunctorValidator.isInitialized.selector);
        _expectValidationRevert(
            _callOp(address(validator), abi.encodeCall(FunctorValidator.isInitialized, (agent))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(validator))
        );
    }

    /// @dev A forbidden target hidden inside a batch of allowed calls.
    function test_Attack_ForbiddenTargetInsideBatch() public {
        Execution[] memory b = new Execution[](2);
        b[0] = _transfer(address(usdc), alice, 1 * USDC);
        b[1] = Execution(address(acct), 0, abi.encodeCall(TestAccount.installModule, (1, agent, "")));
        _expectValidationRevert(
            _sessionOp(acct, keyId, b, agentPk),
            abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, address(acct))
        );
    }

    /// @dev A keyed batch calls an executor module (allowed by mistake) that re-enters the account
    /// through `executeFromExecutor`: the hook's transient guard refuses it.
    /// (Run on the global-hook accounts, Nexus and Safe: Kernel binds our hook to our validator only,
    /// and its executors go through their own hooks.)
    /// @dev The executor does not answer isModuleType, and is installed after the grant: the one case
    /// setPolicies' probe cannot see (LeakedKeyHoles covers the others); the re-entry guard holds.
    function _reentryThroughExecutor() internal {
        ReenteringExecutor ex = new ReenteringExecutor();
        _allow(address(ex), ReenteringExecutor.drain.selector);
        vm.prank(address(acct));
        acct.installModule(2, address(ex), "");
        PackedUserOperation memory op =
            _callOp(address(ex), abi.encodeCall(ReenteringExecutor.drain, (acct, address(usdc), agent, 5_000 * USDC)));
        _expectExecutionRevert(op, abi.encodeWithSelector(FunctorPolicyHookBase.KeyExecutionInProgress.selector, address(acct)));
        assertEq(usdc.balanceOf(agent), 0);
    }

    /// @dev A Functor-mode `execute` that does not come from the EntryPoint is refused by the hook.
    function test_Attack_KeyedExecuteNotFromEntryPoint() public {
        bytes memory data = _executeCalldata(keyId, _one(_transfer(address(usdc), alice, 1)));
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.KeyedCallNotFromEntryPoint.selector, address(acct)));
        IERC7579Hook(address(hook)).preCheck(address(acct), 0, data);
    }

    // ---------------------------------------------------------------- modes and encodings

    function test_Attack_DelegatecallMode() public {
        bytes32 mode = bytes32(uint256(FunctorMode.encode(FunctorMode.CALLTYPE_SINGLE, keyId)) | (uint256(0xff) << 248));
        bytes memory exec = abi.encodeWithSelector(0xe9ae5c53, mode, abi.encodePacked(address(usdc), bytes4(0x12345678)));
        PackedUserOperation memory op = _op(acct, _opCalldata(acct, exec));
        op.signature = _signSession(op, agentPk);
        _expectValidationRevert(op, abi.encodeWithSelector(ExecutionParser.UnsupportedCallType.selector, bytes1(0xff)));
    }

    function test_Attack_TryExecType() public {
        bytes32 mode = bytes32(uint256(FunctorMode.encode(FunctorMode.CALLTYPE_SINGLE, keyId)) | (uint256(1) << 240));
        bytes memory exec = abi.encodeWithSelector(
            0xe9ae5c53, mode, abi.encodePacked(address(usdc), uint256(0), abi.encodeCall(IERC20.transfer, (alice, 1)))
        );
        PackedUserOperation memory op = _op(acct, _opCalldata(acct, exec));
        op.signature = _signSession(op, agentPk);
        _expectValidationRevert(op, abi.encodeWithSelector(ExecutionParser.UnsupportedExecType.selector, bytes1(0x01)));
    }

    /// @dev Non-canonical ABI (a second copy of the data behind a different offset) could make the
    /// account and the validator read different calls: refused.
    function test_Attack_NonCanonicalOffset() public {
        bytes memory exec = _executeCalldata(keyId, _one(_transfer(address(usdc), alice, 1)));
        // Point the bytes offset at 0x60 and insert one word: same data, shifted.
        bytes memory shifted = abi.encodePacked(
            _slice(exec, 0, 36), uint256(0x60), uint256(0), _slice(exec, 68, exec.length)
        );
        PackedUserOperation memory op = _op(acct, _opCalldata(acct, shifted));
        op.signature = _signSession(op, agentPk);
        _expectValidationRevert(op, abi.encodeWithSelector(ExecutionParser.NonCanonicalCalldata.selector));
    }

    function test_Attack_TrailingBytesAfterExecute() public {
        bytes memory exec = abi.encodePacked(_executeCalldata(keyId, _one(_transfer(address(usdc), alice, 1))), bytes32(uint256(1)));
        PackedUserOperation memory op = _op(acct, _opCalldata(acct, exec));
        op.signature = _signSession(op, agentPk);
        _expectValidationRevert(op, abi.encodeWithSelector(ExecutionParser.NonCanonicalCalldata.selector));
    }

    function test_Attack_PlainModeBySessionKey() public {
        bytes memory exec = abi.encodeWithSelector(
            0xe9ae5c53, bytes32(0), abi.encodePacked(address(usdc), uint256(0), abi.encodeCall(IERC20.transfer, (alice, 1)))
        );
        PackedUserOperation memory op = _op(acct, _opCalldata(acct, exec));
        op.signature = _signSession(op, agentPk);
        _expectValidationRevert(op, abi.encodeWithSelector(FunctorPolicyHookBase.NotFunctorMode.selector, bytes32(0)));
    }

    // ---------------------------------------------------------------- spend bypasses

    function test_Attack_ApproveToSlipPastSpendLimit() public {
        _allow(address(usdc), IERC20.approve.selector);
        _expectExecutionRevert(
            _callOp(address(usdc), abi.encodeCall(IERC20.approve, (agent, type(uint256).max))),
            abi.encodeWithSelector(FunctorPolicyHookBase.SpendLimitExceeded.selector, keyId, address(usdc), 0, type(uint256).max, 100 * USDC)
        );
        assertEq(usdc.allowance(address(acct), agent), 0);
    }

    function test_Attack_ApproveThenTransfer_CountsBoth() public {
        _allow(address(usdc), IERC20.approve.selector);
        (bool ok,) = _sendAndResult(_callOp(address(usdc), abi.encodeCall(IERC20.approve, (agent, 60 * USDC))));
        assertTrue(ok);
        _expectExecutionRevert(
            _sessionOp(acct, keyId, _one(_transfer(address(usdc), agent, 60 * USDC)), agentPk),
            abi.encodeWithSelector(FunctorPolicyHookBase.SpendLimitExceeded.selector, keyId, address(usdc), 60 * USDC, 60 * USDC, 100 * USDC)
        );
    }

    function test_Attack_IncreaseAllowanceToSlipPastSpendLimit() public {
        _allow(address(usdc), bytes4(keccak256("increaseAllowance(address,uint256)")));
        _expectExecutionRevert(
            _callOp(address(usdc), abi.encodeWithSignature("increaseAllowance(address,uint256)", agent, 101 * USDC)),
            abi.encodeWithSelector(FunctorPolicyHookBase.SpendLimitExceeded.selector, keyId, address(usdc), 0, 101 * USDC, 100 * USDC)
        );
    }

    function test_Attack_TransferFromAccountToSlipPastSpendLimit() public {
        _allow(address(usdc), IERC20.transferFrom.selector);
        _expectExecutionRevert(
            _callOp(address(usdc), abi.encodeCall(IERC20.transferFrom, (address(acct), agent, 150 * USDC))),
            abi.encodeWithSelector(FunctorPolicyHookBase.SpendLimitExceeded.selector, keyId, address(usdc), 0, 150 * USDC, 100 * USDC)
        );
    }

    /// @dev A router allowed by the owner pulls USDC through an approval the owner gave long ago:
    /// the calldata shows no USDC spend, the balance does.
    function test_Attack_RouterPullsThroughOldApproval_CountedByBalance() public {
        PullingRouter router = new PullingRouter();
        vm.prank(address(acct));
        usdc.approve(address(router), type(uint256).max);
        _allow(address(router), PullingRouter.pull.selector);
        _expectExecutionRevert(
            _callOp(address(router), abi.encodeCall(PullingRouter.pull, (address(usdc), address(acct), 500 * USDC))),
            abi.encodeWithSelector(FunctorPolicyHookBase.SpendLimitExceeded.selector, keyId, address(usdc), 0, 500 * USDC, 100 * USDC)
        );
        assertEq(usdc.balanceOf(address(router)), 0);
    }

    function test_Attack_UnknownSelectorOnLimitedToken() public {
        _allow(address(usdc), ANY_SELECTOR);
        bytes4 sel = bytes4(keccak256("permit(address,address,uint256,uint256,uint8,bytes32,bytes32)"));
        _expectExecutionRevert(
            _callOp(address(usdc), abi.encodeWithSelector(sel, address(acct), agent, 1, 1, 27, bytes32(0), bytes32(0))),
            abi.encodeWithSelector(FunctorPolicyHookBase.UnknownTokenSelector.selector, address(usdc), sel)
        );
    }

    function test_Attack_BatchTogetherExceedsLimit() public {
        Execution[] memory b = new Execution[](3);
        for (uint256 i; i < 3; ++i) b[i] = _transfer(address(usdc), agent, 40 * USDC);
        _expectExecutionRevert(
            _sessionOp(acct, keyId, b, agentPk),
            abi.encodeWithSelector(FunctorPolicyHookBase.SpendLimitExceeded.selector, keyId, address(usdc), 0, 120 * USDC, 100 * USDC)
        );
        assertEq(usdc.balanceOf(agent), 0);
    }

    // ---------------------------------------------------------------- signatures

    function test_Attack_SessionKeySignsERC1271ForAccount() public view {
        bytes32 hash = keccak256("transfer everything");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(agentPk, hash);
        bytes memory sig = abi.encodePacked(address(opValidator), uint8(0), r, s, v);
        assertEq(acct.isValidSignature(hash, sig), bytes4(0xffffffff));
        assertEq(opValidator.isValidSignatureWithSender(address(this), hash, abi.encodePacked(r, s, v)), bytes4(0xffffffff));
    }

    function test_Attack_SignatureReplayedOnAnotherAccount() public {
        // The same keyId, with the same policies, legitimately enabled on a second account.
        TestAccount other = _newAccount(style());
        vm.prank(address(acct));
        keyStore.transferControl(keyId, address(other));
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(address(other), 0, "");
        vm.startPrank(address(other));
        keyStore.enable(keyId, auths);
        hookConfig.setPolicies(keyId, _usdcPolicies());
        vm.stopPrank();

        // An op signed for `acct`, replayed as `other`'s: the userOpHash covers the sender.
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_transfer(address(usdc), agent, 10 * USDC)), agentPk);
        op.sender = address(other);
        op.nonce = ep.getNonce(address(other), _laneKey(other, keyId));
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        _send(op);
        assertEq(usdc.balanceOf(agent), 0);

        // Signed for `other`, it goes through: the refusal above was the replay, not the set-up.
        (bool ok,) = _sendAndResult(_sessionOp(other, keyId, _one(_transfer(address(usdc), agent, 10 * USDC)), agentPk));
        assertTrue(ok);
    }

    function test_Attack_SignatureReplayedOnAnotherChain() public {
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_transfer(address(usdc), agent, 10 * USDC)), agentPk);
        vm.chainId(block.chainid + 1);
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        _send(op);
    }

    function test_Attack_SignatureReplayedAfterLanding() public {
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_transfer(address(usdc), agent, 10 * USDC)), agentPk);
        _send(op);
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA25 invalid account nonce"));
        _send(op);
    }

    // ---------------------------------------------------------------- dead keys, gas griefing

    /// @dev A revoked key fails in VALIDATION: the whole handleOps reverts and the account pays no
    /// gas (DESIGN 2.1: otherwise a leaked key could drain ETH through gas alone).
    function test_Attack_RevokedKeyFailsInValidation_AccountPaysNothing() public {
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_transfer(address(usdc), agent, 10 * USDC)), agentPk);
        vm.prank(address(acct));
        keyStore.revoke(keyId);
        uint256 balance = address(acct).balance;
        uint256 deposit = ep.balanceOf(address(acct));
        _expectValidationRevert(op, abi.encodeWithSelector(FunctorValidator.KeyNotActive.selector, keyId, uint8(2)));
        assertEq(address(acct).balance, balance);
        assertEq(ep.balanceOf(address(acct)), deposit);
    }

    /// @dev After revoke only the key's own signers read REVOKED (KeyStore words): a stranger's
    /// signature on the revoked key is still refused in validation, as a signature failure.
    function test_Attack_StrangerOnRevokedKey_RefusedInValidation() public {
        (address thief, uint256 thiefPk) = makeAddrAndKey("thief");
        vm.prank(address(acct));
        keyStore.revoke(keyId);
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_transfer(address(usdc), thief, 10 * USDC)), thiefPk);
        uint256 deposit = ep.balanceOf(address(acct));
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        _send(op);
        assertEq(ep.balanceOf(address(acct)), deposit);
        assertEq(usdc.balanceOf(thief), 0);
    }

    /// @dev A bundler's gas estimate signs with a stub: on a revoked key it passes validation as a
    /// signature failure (only the key's own signers' words say REVOKED) and the hook, before
    /// execution, reads the KeyStore's grant state and refuses with KeyNotActive(keyId, 2), not with
    /// SignerNotAuthorized. The signed op itself fails in validation (test above).
    function test_RevokedKey_StubSignedEstimate_KeyNotActiveBeforeExecution() public {
        _srcOnly("v1's hook refused it with SignerNotAuthorized (the grant-state read is 475c3dd's fix)");
        (, uint256 stubPk) = makeAddrAndKey("stub");
        Execution[] memory x = _one(_transfer(address(usdc), agent, 10 * USDC));
        PackedUserOperation memory op = _sessionOp(acct, keyId, x, stubPk);
        vm.prank(address(acct));
        keyStore.revoke(keyId);
        bytes32 h = ep.getUserOpHash(op);
        vm.prank(address(acct));
        assertEq(opValidator.validateUserOp(op, h) & 1, 1, "a signature failure, not a revert");
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.KeyNotActive.selector, keyId, uint8(2)));
        IERC7579Hook(address(hook)).preCheck(address(ep), 0, _executeCalldata(keyId, x));
    }

    function test_Attack_ExpiredKeyFailsInValidation_AccountPaysNothing() public {
        vm.warp(block.timestamp + 8 days);
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_transfer(address(usdc), agent, 10 * USDC)), agentPk);
        uint256 balance = address(acct).balance;
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA22 expired or not due"));
        _send(op);
        assertEq(address(acct).balance, balance);
    }

    function test_Attack_DisabledKeyFailsInValidation() public {
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_transfer(address(usdc), agent, 10 * USDC)), agentPk);
        vm.prank(address(acct));
        keyStore.disable(keyId, address(acct));
        _expectValidationRevert(op, abi.encodeWithSelector(FunctorValidator.KeyNotActive.selector, keyId, uint8(0)));
    }

    /// @dev An op validated before the revoke landed (same bundle) is stopped by the hook.
    function test_Attack_OpValidatedBeforeRevoke_StoppedInExecution() public {
        // The owner's revoke and the agent's op in one bundle: the agent's op validates first
        // (all validations run before any execution), then the owner's op revokes.
        Execution memory revokeCall = Execution(address(keyStore), 0, abi.encodeCall(KeyStore.revoke, (keyId)));
        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        ops[0] = _ownerOp(acct, _one(revokeCall));
        ops[1] = _sessionOp(acct, keyId, _one(_transfer(address(usdc), agent, 10 * USDC)), agentPk);
        ep.handleOps(ops, beneficiary);
        assertEq(uint256(keyStore.grantState(keyId, address(acct))), 2);
        assertEq(usdc.balanceOf(agent), 0, "the op validated before the revoke did not execute");
    }

    /// @dev A leaked key cannot burn the account's ETH with a huge fee or huge gas limits.
    function test_Attack_GasGriefingWithHugeFee() public {
        PackedUserOperation memory op = _op(acct, _opCalldata(acct, _executeCalldata(keyId, _one(_transfer(address(usdc), agent, 1)))));
        op.gasFees = bytes32((uint256(1 gwei) << 128) | 10_000 gwei);
        op.signature = _signSession(op, agentPk);
        _expectValidationRevert(op, abi.encodeWithSelector(FunctorPolicyHookBase.GasFeeTooHigh.selector, 10_000 gwei, 100 gwei));

        op = _op(acct, _opCalldata(acct, _executeCalldata(keyId, _one(_transfer(address(usdc), agent, 1)))));
        op.accountGasLimits = bytes32((uint256(1_000_000) << 128) | 30_000_000);
        op.signature = _signSession(op, agentPk);
        _expectValidationRevert(op, abi.encodeWithSelector(FunctorPolicyHookBase.OpCostTooHigh.selector, 31_050_000 * 2 gwei, 0.01 ether));
    }

    /// @dev Nobody but the account can make the validator debit its gas budget or leave tickets, and
    /// nobody but the validator can have the hook leave one: a forged ticket would let a keyed
    /// execution through without its validation.
    function test_Attack_ValidatorCalledDirectlyForAnotherAccount() public {
        Execution[] memory x = _one(_transfer(address(usdc), agent, 1));
        PackedUserOperation memory op = _sessionOp(acct, keyId, x, agentPk);
        bytes memory exec = _executeCalldata(keyId, x); // what the hook sees (Kernel strips executeUserOp)
        bytes32 h = ep.getUserOpHash(op);
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.NotSender.selector, address(this), address(acct)));
        opValidator.validateUserOp(op, h);

        // (v1's hook named it checkValidation and ABI-decoded its arguments; src's takes them as
        // fixed words after the selector, src/lib/ValidationCheck.sol)
        bytes memory data = abi.encodePacked(address(usdc), uint256(0), x[0].callData);
        bytes memory check = onV1
            ? abi.encodeWithSignature(
                "checkValidation(address,uint176,bytes32,bytes,bytes32,bytes32)",
                address(acct), keyId, bytes32(0), data, keccak256(exec), bytes32(0)
            )
            : abi.encodePacked(
                bytes4(keccak256("checkCallsWhenValidating()")),
                abi.encode(address(acct), keyId, bytes32(0), keccak256(exec), bytes32(0), data.length),
                data
            );
        (bool called, bytes memory reason) = address(hook).call(check);
        assertFalse(called, "a stranger's checkCallsWhenValidating");
        assertEq(reason, abi.encodeWithSelector(FunctorPolicyHookBase.OnlyValidator.selector, address(this)));
        // Without a ticket, the keyed execution is refused in preCheck.
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.NoTicket.selector, address(acct)));
        IERC7579Hook(address(hook)).preCheck(address(ep), 0, exec);
    }

    // ---------------------------------------------------------------- pending state (transient)

    /// @dev The KeyExecuted events of the recorded logs, in order: (account, keyId, signer, first
    /// call's target, first spend's counted and used).
    /// @dev src's KeyExecuted, or the v1 reference's (two arrays) when the suite runs on it.
    function _isKeyExecuted(bytes32 topic0) internal view returns (bool) {
        return topic0 == (onV1 ? AuditWords.V1_KEY_EXECUTED : FunctorPolicyHookBase.KeyExecuted.selector);
    }

    function _audits() internal returns (uint256[6][] memory out) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 n;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(hook) && _isKeyExecuted(logs[i].topics[0])) ++n;
        }
        out = new uint256[6][](n);
        n = 0;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(hook) || !_isKeyExecuted(logs[i].topics[0])) continue;
            (CallRecord[] memory calls, SpendRecord[] memory spends) = AuditWords.parse(logs[i].topics[0], logs[i].data);
            out[n++] = [
                uint256(logs[i].topics[1]),
                uint256(logs[i].topics[2]),
                uint256(logs[i].topics[3]),
                uint256(uint160(calls[0].target)),
                spends[0].counted,
                spends[0].used
            ];
        }
    }

    /// @dev Two keys' ops on one account in one bundle: preCheck hands its state to postCheck
    /// through transient storage keyed by the account, so the second op must not see the first's
    /// keyId, signer, amounts or balances: each is audited and counted on its own.
    function test_Attack_PendingState_TwoKeysOneAccountOneBundle_NoLeak() public {
        (uint176 strongKey, address strongAgent) = _strongThenWeakBundle(30 * USDC, 20 * USDC);
        uint256[6][] memory a = _audits();
        assertEq(a.length, 2);
        assertEq(a[0][1], strongKey);
        assertEq(a[0][2], uint256(_signerId(strongAgent)));
        assertEq(a[0][4], 30 * USDC);
        assertEq(a[0][5], 30 * USDC);
        assertEq(a[1][1], keyId);
        assertEq(a[1][2], uint256(_signerId(agent)));
        assertEq(a[1][3], uint256(uint160(address(usdc))));
        assertEq(a[1][4], 20 * USDC, "the weak key's op counts its own amount");
        assertEq(a[1][5], 20 * USDC, "and its own window");
        (, uint256[] memory used,) = hookConfig.spendUsage(address(acct), keyId);
        assertEq(used[0], 20 * USDC);
    }

    /// @dev Two accounts' keyed ops in one bundle: each account's pending state is its own.
    function test_Attack_PendingState_TwoAccountsOneBundle_NoLeak() public {
        TestAccount other = _newAccount(style());
        uint176 k2 = _grant(other, "k2", agent, _usdcPolicies());
        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        ops[0] = _sessionOp(acct, keyId, _one(_transfer(address(usdc), bob, 7 * USDC)), agentPk);
        ops[1] = _sessionOp(other, k2, _one(_transfer(address(usdc), alice, 9 * USDC)), agentPk);
        vm.recordLogs();
        ep.handleOps(ops, beneficiary);
        uint256[6][] memory a = _audits();
        assertEq(a.length, 2);
        assertEq(a[0][0], uint256(uint160(address(acct))));
        assertEq(a[0][1], keyId);
        assertEq(a[0][4], 7 * USDC);
        assertEq(a[1][0], uint256(uint160(address(other))));
        assertEq(a[1][1], k2);
        assertEq(a[1][4], 9 * USDC);
        assertEq(usdc.balanceOf(alice), 9 * USDC);
    }

    /// @dev postCheck with hook data but nothing pending (called directly, after a keyed op landed,
    /// or after one reverted) refuses: no replay of a finished op's state, no forged audit entry.
    function test_Attack_PendingState_PostCheckWithNothingPending_Reverts() public {
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.NoPendingExecution.selector, address(acct)));
        hook.postCheck(hex"01");

        _send(_sessionOp(acct, keyId, _one(_transfer(address(usdc), bob, 1 * USDC)), agentPk));
        assertEq(usdc.balanceOf(bob), 1 * USDC);
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.NoPendingExecution.selector, address(acct)));
        hook.postCheck(hex"01");

        // An op refused in execution (over its limit) rolls its transient writes back with it.
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_transfer(address(usdc), bob, 500 * USDC)), agentPk);
        (bool ok,) = _sendAndResult(op);
        assertFalse(ok);
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.NoPendingExecution.selector, address(acct)));
        hook.postCheck(hex"01");
        // ... and leaves no guard behind: the owner's own op runs.
        _send(_ownerOp(acct, _one(_transfer(address(usdc), alice, 1 * USDC))));
        assertEq(usdc.balanceOf(alice), 1 * USDC);
    }

    /// @dev While a key's execution is pending on one account, another account can neither finish
    /// it nor is it blocked by it; the account itself cannot start another hooked entry.
    function test_Attack_PendingState_IsPerAccount() public {
        TestAccount other = _newAccount(style());
        Execution[] memory x = _one(_transfer(address(usdc), bob, 10 * USDC));
        PackedUserOperation memory op = _sessionOp(acct, keyId, x, agentPk);
        bytes32 h = ep.getUserOpHash(op);
        vm.prank(address(acct));
        opValidator.validateUserOp(op, h);
        bytes memory inner = _executeCalldata(keyId, x);
        vm.prank(address(acct));
        bytes memory hookData = IERC7579Hook(address(hook)).preCheck(address(ep), 0, inner);

        vm.prank(address(other));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.NoPendingExecution.selector, address(other)));
        hook.postCheck(hookData);
        bytes memory plain = abi.encodeWithSelector(ExecutionParser.EXECUTE, bytes32(0), hex"");
        vm.prank(address(other));
        assertEq(IERC7579Hook(address(hook)).preCheck(owner, 0, plain).length, 0, "another account is not blocked");
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.KeyExecutionInProgress.selector, address(acct)));
        IERC7579Hook(address(hook)).preCheck(owner, 0, plain);

        vm.prank(address(acct));
        usdc.transfer(bob, 10 * USDC);
        vm.recordLogs();
        vm.prank(address(acct));
        hook.postCheck(hookData);
        uint256[6][] memory a = _audits();
        assertEq(a.length, 1);
        assertEq(a[0][0], uint256(uint160(address(acct))));
        assertEq(a[0][1], keyId);
        assertEq(a[0][2], uint256(_signerId(agent)));
        assertEq(a[0][4], 10 * USDC);
        vm.prank(address(acct));
        assertEq(IERC7579Hook(address(hook)).preCheck(owner, 0, plain).length, 0, "the guard is cleared");
    }

    function _slice(bytes memory b, uint256 from, uint256 to) internal pure returns (bytes memory out) {
        out = new bytes(to - from);
        for (uint256 i; i < out.length; ++i) out[i] = b[from + i];
    }
}

contract AttacksKernelTest is AttacksBase {
    function style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Kernel;
    }
}

contract AttacksNexusTest is AttacksBase {
    function style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Nexus;
    }

    function test_Attack_ReentryThroughExecutorDuringKeyedExecution() public {
        _reentryThroughExecutor();
    }
}

contract AttacksSafeTest is AttacksBase {
    function style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Safe;
    }

    function test_Attack_ReentryThroughExecutorDuringKeyedExecution() public {
        _reentryThroughExecutor();
    }
}

// ---------------------------------------------------------------------- the frozen v1 reference
// The same tests, each convention's, on v1's hook and validator (FunctorTest._deployV1Modules);
// the src-only ones (_srcOnly) are reported skipped.

contract AttacksKernelV1Test is AttacksKernelTest {
    function _deployModules() internal override {
        _deployV1Modules();
    }
}

contract AttacksNexusV1Test is AttacksNexusTest {
    function _deployModules() internal override {
        _deployV1Modules();
    }
}

contract AttacksSafeV1Test is AttacksSafeTest {
    function _deployModules() internal override {
        _deployV1Modules();
    }
}
