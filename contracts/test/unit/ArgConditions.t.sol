// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {PolicyHookHelpers, PolicyOpsBase} from "./PolicyHook.t.sol";
import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {FunctorPolicyHookBase} from "../../src/FunctorPolicyHookBase.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {Execution} from "../../src/lib/ExecutionParser.sol";
import {ANY_SELECTOR, ANY_TARGET, ArgCondition, ArgOp, Policies} from "../../src/lib/PolicyTypes.sol";

/// @dev Policies with argument conditions.
abstract contract ConditionHelpers is PolicyHookHelpers {
    address internal carol = address(0xCA201);
    address internal mallory = address(0x3A11041);

    function _cond(Policies memory p, address target, bytes4 selector, uint8 arg, ArgOp op, bytes32[] memory values)
        internal
        pure
        returns (Policies memory)
    {
        ArgCondition[] memory c = new ArgCondition[](p.conditions.length + 1);
        for (uint256 i; i < p.conditions.length; ++i) c[i] = p.conditions[i];
        c[p.conditions.length] = ArgCondition(target, selector, arg, op, values);
        p.conditions = c;
        return p;
    }

    function _words(address a) internal pure returns (bytes32[] memory w) {
        w = new bytes32[](1);
        w[0] = bytes32(uint256(uint160(a)));
    }

    function _words(address a, address b) internal pure returns (bytes32[] memory w) {
        w = new bytes32[](2);
        w[0] = bytes32(uint256(uint160(a)));
        w[1] = bytes32(uint256(uint160(b)));
    }

    function _word(uint256 v) internal pure returns (bytes32[] memory w) {
        w = new bytes32[](1);
        w[0] = bytes32(v);
    }

    /// @dev usdc.transfer only, 100 USDC a day, to bob or carol, at most 30 USDC per call.
    function _payees() internal view returns (Policies memory p) {
        p = _cond(_usdcOnly(), address(usdc), TRANSFER, 0, ArgOp.OneOf, _words(bob, carol));
        p = _cond(p, address(usdc), TRANSFER, 1, ArgOp.AtMost, _word(30 * USDC));
    }

    function _argErr(uint176 keyId, bytes4 selector, uint256 arg, bytes32 value) internal view returns (bytes memory) {
        return abi.encodeWithSelector(
            FunctorPolicyHookBase.ArgumentNotAllowed.selector, keyId, address(usdc), selector, arg, value
        );
    }
}

/// @notice Argument conditions through real UserOps, per account kind: refused in validation (the
/// account pays nothing), and again in execution when an edit lands between the two in one bundle.
abstract contract ArgConditionsOpsTest is ConditionHelpers, PolicyOpsBase {
    function setUp() public override(FunctorTest, PolicyOpsBase) {
        super.setUp(); // PolicyOpsBase's: the account and the agent
    }


    function test_Payees_OnlyListedRecipients() public {
        uint176 keyId = _key(acct, agent, _payees());
        _expectOk(_keyOp(keyId, _one(_usdcTo(bob, 10 * USDC))));
        _expectOk(_keyOp(keyId, _one(_usdcTo(carol, 10 * USDC))));
        // A leaked key paying itself: refused in validation, nothing paid, nothing moved.
        uint256 deposit = ep.balanceOf(address(acct));
        _expectValidationRevert(
            _keyOp(keyId, _one(_usdcTo(mallory, 1))), _argErr(keyId, TRANSFER, 0, bytes32(uint256(uint160(mallory))))
        );
        assertEq(usdc.balanceOf(mallory), 0);
        assertEq(ep.balanceOf(address(acct)), deposit, "a refused op costs the account nothing");
    }

    function test_AmountAtMostPerCall() public {
        uint176 keyId = _key(acct, agent, _payees());
        _expectOk(_keyOp(keyId, _one(_usdcTo(bob, 30 * USDC))));
        _expectValidationRevert(_keyOp(keyId, _one(_usdcTo(bob, 30 * USDC + 1))), _argErr(keyId, TRANSFER, 1, bytes32(30 * USDC + 1)));
    }

    /// @dev Every call of a batch is checked: one bad recipient refuses the whole batch.
    function test_Batch_EveryCallChecked() public {
        uint176 keyId = _key(acct, agent, _payees());
        _expectOk(_keyOp(keyId, _two(_usdcTo(bob, 1), _usdcTo(carol, 1))));
        _expectValidationRevert(
            _keyOp(keyId, _two(_usdcTo(bob, 1), _usdcTo(mallory, 1))),
            _argErr(keyId, TRANSFER, 0, bytes32(uint256(uint160(mallory))))
        );
    }

    /// @dev A batch whose every call has conditions (the batch loop checks them, reusing the entry
    /// of the previous call): every call's conditions are checked (a later bad recipient or amount
    /// refuses the batch in validation) and every call's spend is counted (the four calls use the
    /// whole day's 100 USDC, so one more unit is refused).
    function test_Batch_ConditionedCalls_EachCheckedAndCounted() public {
        uint176 keyId = _key(acct, agent, _payees());
        Execution[] memory four = new Execution[](4);
        four[0] = _usdcTo(bob, 30 * USDC);
        four[1] = _usdcTo(carol, 30 * USDC);
        four[2] = _usdcTo(bob, 30 * USDC);
        four[3] = _usdcTo(mallory, 10 * USDC);
        _expectValidationRevert(_keyOp(keyId, four), _argErr(keyId, TRANSFER, 0, bytes32(uint256(uint160(mallory)))));
        four[3] = _usdcTo(carol, 30 * USDC + 1);
        _expectValidationRevert(_keyOp(keyId, four), _argErr(keyId, TRANSFER, 1, bytes32(30 * USDC + 1)));
        four[3] = _usdcTo(carol, 10 * USDC);
        _expectOk(_keyOp(keyId, four));
        assertEq(usdc.balanceOf(bob), 60 * USDC);
        assertEq(usdc.balanceOf(carol), 40 * USDC);
        _expectExecutionRevert(_keyOp(keyId, _pay(1)), _spendErr(keyId, address(usdc), 100 * USDC, 1, 100 * USDC));
    }

    /// @dev The same for spends only the calldata shows (an approval moves no balance): three
    /// approvals of 40 to the one allowed spender, each under its condition, are 120 of a 100 limit.
    function test_Batch_ConditionedApprovals_EachCounted() public {
        Policies memory p = _limit(_allow(_base(), address(usdc), APPROVE), address(usdc), 100 * USDC, DAY);
        uint176 keyId = _key(acct, agent, _cond(p, address(usdc), APPROVE, 0, ArgOp.OneOf, _words(bob)));
        Execution memory approveBob = _call(address(usdc), 0, abi.encodeCall(IERC20.approve, (bob, 40 * USDC)));
        _expectExecutionRevert(
            _keyOp(keyId, _three(approveBob, approveBob, approveBob)),
            _spendErr(keyId, address(usdc), 0, 120 * USDC, 100 * USDC)
        );
        assertEq(usdc.allowance(address(acct), bob), 0);
        _expectOk(_keyOp(keyId, _two(approveBob, approveBob)));
        assertEq(usdc.allowance(address(acct), bob), 40 * USDC);
    }

    /// @dev An address argument with dirty upper bits is not the payee's word: refused (the token
    /// might read it as the payee's address, but the rule compares whole words and fails closed).
    function test_DirtyUpperBits_Refused() public {
        uint176 keyId = _key(acct, agent, _payees());
        bytes32 dirty = bytes32(uint256(uint160(bob)) | (1 << 200));
        bytes memory cd = abi.encodePacked(TRANSFER, dirty, uint256(1));
        _expectValidationRevert(_keyOp(keyId, _one(_call(address(usdc), 0, cd))), _argErr(keyId, TRANSFER, 0, dirty));
    }

    /// @dev Calldata too short to hold the argument a condition reads: refused in words.
    function test_ShortCalldata_ArgumentMissing() public {
        uint176 keyId = _key(acct, agent, _payees());
        bytes memory cd = abi.encodePacked(TRANSFER, bytes32(uint256(uint160(bob))));
        _expectValidationRevert(
            _keyOp(keyId, _one(_call(address(usdc), 0, cd))),
            abi.encodeWithSelector(FunctorPolicyHookBase.ArgumentMissing.selector, keyId, address(usdc), TRANSFER, 1)
        );
    }

    /// @dev The owner narrows the payees in the same bundle, before the key's op executes: the
    /// execution re-check refuses it (validation saw the old list).
    function test_EditInSameBundle_ExecutionRefuses() public {
        uint176 keyId = _key(acct, agent, _payees());
        Policies memory onlyCarol = _cond(_usdcOnly(), address(usdc), TRANSFER, 0, ArgOp.OneOf, _words(carol));
        PackedUserOperation memory ownerOp =
            _ownerCall(address(hook), abi.encodeCall(FunctorPolicyConfig.setPolicies, (keyId, onlyCarol)));
        (bool ok, bytes memory reason) = _bundle(ownerOp, _keyOp(keyId, _one(_usdcTo(bob, 1))));
        assertFalse(ok);
        assertEq(reason, _argErr(keyId, TRANSFER, 0, bytes32(uint256(uint160(bob)))));
        assertEq(usdc.balanceOf(bob), 0);
    }

    /// @dev A later configuration's list replaces the earlier one: nothing of the old set is read.
    function test_Edit_OldPayeesGone_ConditionsRemovable() public {
        uint176 keyId = _key(acct, agent, _payees());
        _setPolicies(acct, keyId, _cond(_usdcOnly(), address(usdc), TRANSFER, 0, ArgOp.OneOf, _words(mallory)));
        _expectValidationRevert(_keyOp(keyId, _one(_usdcTo(bob, 1))), _argErr(keyId, TRANSFER, 0, bytes32(uint256(uint160(bob)))));
        _expectOk(_keyOp(keyId, _one(_usdcTo(mallory, 1))));
        // Back to the first list: mallory (in the second only) is refused again, bob is fine.
        _setPolicies(acct, keyId, _payees());
        _expectValidationRevert(
            _keyOp(keyId, _one(_usdcTo(mallory, 1))), _argErr(keyId, TRANSFER, 0, bytes32(uint256(uint160(mallory))))
        );
        _expectOk(_keyOp(keyId, _one(_usdcTo(bob, 1))));
        // No conditions any more: anyone may be paid (within the limit).
        _setPolicies(acct, keyId, _usdcOnly());
        _expectOk(_keyOp(keyId, _one(_usdcTo(mallory, 50 * USDC))));
    }

    /// @dev Equal and AtLeast on another selector; other calls of the key are not affected.
    function test_EqualAndAtLeast_OnApprove() public {
        Policies memory p = _allow(_usdcOnly(), address(usdc), APPROVE);
        p = _cond(p, address(usdc), APPROVE, 0, ArgOp.Equal, _words(carol));
        p = _cond(p, address(usdc), APPROVE, 1, ArgOp.AtLeast, _word(2));
        uint176 keyId = _key(acct, agent, p);
        Execution memory approveCarol = _call(address(usdc), 0, abi.encodeCall(IERC20.approve, (carol, 5)));
        _expectOk(_keyOp(keyId, _one(approveCarol)));
        _expectValidationRevert(
            _keyOp(keyId, _one(_call(address(usdc), 0, abi.encodeCall(IERC20.approve, (bob, 5))))),
            _argErr(keyId, APPROVE, 0, bytes32(uint256(uint160(bob))))
        );
        _expectValidationRevert(
            _keyOp(keyId, _one(_call(address(usdc), 0, abi.encodeCall(IERC20.approve, (carol, 1))))),
            _argErr(keyId, APPROVE, 1, bytes32(uint256(1)))
        );
        _expectOk(_keyOp(keyId, _one(_usdcTo(mallory, 1)))); // transfer has no condition here
    }

    /// @dev The same conditions on a batch's second call (the batch loop checks it): the bounds
    /// hold (AtLeast 2 accepts 2), a wrong spender or amount is refused in validation.
    function test_EqualAndAtLeast_LaterInBatch() public {
        Policies memory p = _allow(_usdcOnly(), address(usdc), APPROVE);
        p = _cond(p, address(usdc), APPROVE, 0, ArgOp.Equal, _words(carol));
        p = _cond(p, address(usdc), APPROVE, 1, ArgOp.AtLeast, _word(2));
        uint176 keyId = _key(acct, agent, p);
        Execution memory pay = _usdcTo(mallory, 1);
        _expectOk(_keyOp(keyId, _two(pay, _call(address(usdc), 0, abi.encodeCall(IERC20.approve, (carol, 2))))));
        assertEq(usdc.allowance(address(acct), carol), 2);
        _expectValidationRevert(
            _keyOp(keyId, _two(pay, _call(address(usdc), 0, abi.encodeCall(IERC20.approve, (bob, 5))))),
            _argErr(keyId, APPROVE, 0, bytes32(uint256(uint160(bob))))
        );
        _expectValidationRevert(
            _keyOp(keyId, _two(pay, _call(address(usdc), 0, abi.encodeCall(IERC20.approve, (carol, 1))))),
            _argErr(keyId, APPROVE, 1, bytes32(uint256(1)))
        );
    }

    /// @dev explainCall answers with the error validation gives (for accounts that hide it).
    function test_ExplainCall_SameErrorAsValidation() public {
        uint176 keyId = _key(acct, agent, _payees());
        hookConfig.explainCall(address(acct), keyId, address(usdc), abi.encodeCall(IERC20.transfer, (bob, 1)));
        vm.expectRevert(_argErr(keyId, TRANSFER, 0, bytes32(uint256(uint160(mallory)))));
        hookConfig.explainCall(address(acct), keyId, address(usdc), abi.encodeCall(IERC20.transfer, (mallory, 1)));
        vm.expectRevert(
            abi.encodeWithSelector(FunctorPolicyHookBase.CallNotAllowed.selector, keyId, address(usdc), APPROVE)
        );
        hookConfig.explainCall(address(acct), keyId, address(usdc), abi.encodeCall(IERC20.approve, (bob, 1)));
    }

    function test_PoliciesOf_RoundTrip() public {
        uint176 keyId = _key(acct, agent, _payees());
        Policies memory p = hookConfig.policiesOf(address(acct), keyId);
        assertEq(p.conditions.length, 2);
        assertEq(p.conditions[0].target, address(usdc));
        assertEq(p.conditions[0].selector, TRANSFER);
        assertEq(p.conditions[0].arg, 0);
        assertEq(uint8(p.conditions[0].op), uint8(ArgOp.OneOf));
        assertEq(p.conditions[0].values.length, 2);
        assertEq(p.conditions[0].values[1], bytes32(uint256(uint160(carol))));
        assertEq(p.conditions[1].arg, 1);
        assertEq(uint8(p.conditions[1].op), uint8(ArgOp.AtMost));
        assertEq(p.conditions[1].values[0], bytes32(30 * USDC));
        _setPolicies(acct, keyId, _usdcOnly());
        assertEq(hookConfig.policiesOf(address(acct), keyId).conditions.length, 0);
    }
}

contract ArgConditionsKernelTest is ArgConditionsOpsTest {
    function _style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Kernel;
    }
}

contract ArgConditionsNexusTest is ArgConditionsOpsTest {
    function _style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Nexus;
    }
}

contract ArgConditionsSafeTest is ArgConditionsOpsTest {
    function _style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Safe;
    }
}

/// @notice Conditions that do not fit are refused when set, with the reason.
contract ArgConditionsConfigTest is ConditionHelpers {
    TestAccount internal acct;
    uint176 internal KEY;

    function setUp() public override {
        super.setUp();
        acct = _newAccount(TestAccount.Style.Nexus);
        KEY = _enabledKey(acct, "conditions");
    }

    function _expectSetRevert(Policies memory p, string memory reason) internal {
        vm.prank(address(acct));
        vm.expectRevert(_invalid(reason));
        hookConfig.setPolicies(KEY, p);
    }

    function test_RevertWhen_ConditionOnACallNotAllowed() public {
        _expectSetRevert(
            _cond(_usdcOnly(), address(usdc), APPROVE, 0, ArgOp.Equal, _words(bob)), "a condition on a call the key may not make"
        );
    }

    function test_RevertWhen_ConditionOnAWildcard() public {
        Policies memory p = _allow(_usdcOnly(), address(usdc), ANY_SELECTOR);
        _expectSetRevert(_cond(p, address(usdc), ANY_SELECTOR, 0, ArgOp.Equal, _words(bob)), "a condition needs an exact target and selector");
        p = _allow(_usdcOnly(), ANY_TARGET, TRANSFER);
        _expectSetRevert(_cond(p, ANY_TARGET, TRANSFER, 0, ArgOp.Equal, _words(bob)), "a condition needs an exact target and selector");
        p = _allow(_usdcOnly(), bob, VALUE_CALL);
        _expectSetRevert(_cond(p, bob, VALUE_CALL, 0, ArgOp.Equal, _words(bob)), "a condition needs an exact target and selector");
    }

    function test_RevertWhen_ValuesDoNotFitTheOperator() public {
        _expectSetRevert(_cond(_usdcOnly(), address(usdc), TRANSFER, 0, ArgOp.Equal, _words(bob, carol)), "condition values do not fit its operator");
        _expectSetRevert(_cond(_usdcOnly(), address(usdc), TRANSFER, 1, ArgOp.AtMost, new bytes32[](0)), "condition values do not fit its operator");
        _expectSetRevert(_cond(_usdcOnly(), address(usdc), TRANSFER, 0, ArgOp.OneOf, new bytes32[](0)), "condition values do not fit its operator");
        _expectSetRevert(_cond(_usdcOnly(), address(usdc), TRANSFER, 0, ArgOp.OneOf, new bytes32[](17)), "condition values do not fit its operator");
    }

    /// @dev A call's conditions split in two groups would let the second group's write drop the
    /// first: refused.
    function test_RevertWhen_ConditionsOfOneCallNotAdjacent() public {
        Policies memory p = _allow(_usdcOnly(), address(usdc), APPROVE);
        p = _cond(p, address(usdc), TRANSFER, 0, ArgOp.OneOf, _words(bob));
        p = _cond(p, address(usdc), APPROVE, 0, ArgOp.Equal, _words(bob));
        p = _cond(p, address(usdc), TRANSFER, 1, ArgOp.AtMost, _word(1));
        _expectSetRevert(p, "conditions of one call must be adjacent");
    }

    function test_RevertWhen_TooManyConditions() public {
        Policies memory p = _usdcOnly();
        for (uint256 i; i < 9; ++i) p = _cond(p, address(usdc), TRANSFER, uint8(i), ArgOp.AtLeast, _word(0));
        _expectSetRevert(p, "too many conditions on one call");
        p = _allow(_usdcOnly(), address(usdc), APPROVE);
        for (uint256 i; i < 8; ++i) p = _cond(p, address(usdc), TRANSFER, uint8(i), ArgOp.AtLeast, _word(0));
        for (uint256 i; i < 9; ++i) p = _cond(p, address(usdc), APPROVE, uint8(i), ArgOp.AtLeast, _word(0));
        _expectSetRevert(p, "too many argument conditions");
    }
}

/// @notice The payee and per-call rules against a model, over random recipients and amounts.
contract ArgConditionsFuzzTest is ConditionHelpers {
    TestAccount internal acct;
    address internal agent;
    uint256 internal agentPk;
    uint176 internal keyId;

    function setUp() public override {
        super.setUp();
        acct = _newAccount(TestAccount.Style.Nexus);
        (agent, agentPk) = makeAddrAndKey("agent");
        keyId = _key(acct, agent, _payees());
    }

    function testFuzz_TransferAllowedIffModelSays(uint256 toWord, uint256 amount) public {
        // a third of the runs pay a listed payee, some with dirty upper bits
        if (toWord % 3 == 0) toWord = uint256(uint160(bob)) | (toWord % 2 == 0 ? 0 : toWord << 160);
        amount = bound(amount, 0, 40 * USDC);
        bytes memory cd = abi.encodePacked(TRANSFER, bytes32(toWord), amount);
        bool payee = toWord == uint256(uint160(bob)) || toWord == uint256(uint160(carol));
        bool allowed = payee && amount <= 30 * USDC;
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_call(address(usdc), 0, cd)), agentPk);
        if (allowed) {
            (bool ok, bytes memory reason) = _sendAndResult(op);
            assertTrue(ok, vm.toString(reason));
        } else if (!payee) {
            _expectValidationRevert(op, _argErr(keyId, TRANSFER, 0, bytes32(toWord)));
        } else {
            _expectValidationRevert(op, _argErr(keyId, TRANSFER, 1, bytes32(amount)));
        }
    }
}
