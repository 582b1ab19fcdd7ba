// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Test.sol";
import {IEntryPoint} from "account-abstraction/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {AuditWords, CallRecord, SpendRecord} from "../utils/AuditWords.sol";
import {TestToken, PullingRouter} from "../utils/TestToken.sol";
import {DevToken} from "../../src/dev/DevToken.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {FunctorPolicyHook} from "../../src/FunctorPolicyHook.sol";
import {FunctorPolicyHookBase} from "../../src/FunctorPolicyHookBase.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {IFunctorPolicy} from "../../src/interfaces/IFunctorPolicy.sol";
import {Execution, ExecutionParser} from "../../src/lib/ExecutionParser.sol";
import {FixedWindow} from "../../src/lib/SpendWindow.sol";
import {
    ANY_SELECTOR,
    ANY_TARGET,
    NATIVE_TOKEN,
    CallPermission,
    SpendLimit,
    RateLimit,
    GasPolicy,
    Policies,
    PeriodKind
} from "../../src/lib/PolicyTypes.sol";
import {ValidationWord} from "../../src/lib/ValidationWord.sol";
import {IERC7579Hook} from "../../src/interfaces/IERC7579Module.sol";
import {HookKeys} from "./WordHash.t.sol";

/*//////////////////////////////////////////////////////////////
                        TEST POLICY CONTRACT
//////////////////////////////////////////////////////////////*/

/// @dev A custom policy that refuses batches longer than `maxExecutions` (before) or everything
/// when `refuseAfter` is set (after), and records what the hook handed it.
contract RecordingPolicy is IFunctorPolicy {
    error TooManyExecutions(uint256 count, uint256 max);
    error RefusedAfter(uint256 afters);

    uint256 public maxExecutions = type(uint256).max;
    bool public refuseAfter;
    uint256 public befores;
    uint256 public afters;
    address public lastAccount;
    uint176 public lastKeyId;
    address public lastAfterAccount;
    uint176 public lastAfterKeyId;
    bytes public lastContext;

    function configure(uint256 maxExecutions_, bool refuseAfter_) external {
        maxExecutions = maxExecutions_;
        refuseAfter = refuseAfter_;
    }

    function checkBefore(address account, uint176 keyId, Execution[] calldata executions)
        external
        returns (bytes memory)
    {
        if (executions.length > maxExecutions) revert TooManyExecutions(executions.length, maxExecutions);
        ++befores;
        lastAccount = account;
        lastKeyId = keyId;
        return abi.encode(executions.length, executions[0].target);
    }

    function checkAfter(address account, uint176 keyId, bytes calldata context) external {
        if (refuseAfter) revert RefusedAfter(afters);
        ++afters;
        lastAfterAccount = account;
        lastAfterKeyId = keyId;
        lastContext = context;
    }
}

/*//////////////////////////////////////////////////////////////
                              HELPERS
//////////////////////////////////////////////////////////////*/

abstract contract PolicyHookHelpers is FunctorTest {
    bytes4 internal constant TRANSFER = IERC20.transfer.selector;
    bytes4 internal constant APPROVE = IERC20.approve.selector;
    bytes4 internal constant TRANSFER_FROM = IERC20.transferFrom.selector;
    bytes4 internal constant VALUE_CALL = 0x00000000;

    uint256 internal constant OP_GAS = 2_050_000; // FunctorTest._op: 1M + 1M + 50k
    uint256 internal constant OP_FEE = 2 gwei; // FunctorTest._op: maxFeePerGas
    uint256 internal constant OP_COST = OP_GAS * OP_FEE;

    uint256 internal _salt;

    // ---------------------------------------------------------------- policies

    function _base() internal pure returns (Policies memory p) {
        p.gas = _gas();
    }

    function _allow(Policies memory p, address target, bytes4 selector) internal pure returns (Policies memory) {
        CallPermission[] memory c = new CallPermission[](p.calls.length + 1);
        for (uint256 i; i < p.calls.length; ++i) c[i] = p.calls[i];
        c[p.calls.length] = CallPermission(target, selector);
        p.calls = c;
        return p;
    }

    function _limitAs(Policies memory p, address token, uint256 limit, uint32 period, PeriodKind kind, uint32 start)
        internal
        pure
        returns (Policies memory)
    {
        SpendLimit[] memory s = new SpendLimit[](p.spends.length + 1);
        for (uint256 i; i < p.spends.length; ++i) s[i] = p.spends[i];
        s[p.spends.length] = SpendLimit(token, uint96(limit), period, kind, start);
        p.spends = s;
        return p;
    }

    /// @dev A sliding limit.
    function _limit(Policies memory p, address token, uint256 limit, uint32 period)
        internal
        pure
        returns (Policies memory)
    {
        return _limitAs(p, token, limit, period, PeriodKind.Sliding, 0);
    }

    /// @dev "usdc.transfer only, 100 USDC a day (sliding)".
    function _usdcOnly() internal view returns (Policies memory) {
        return _limit(_allow(_base(), address(usdc), TRANSFER), address(usdc), 100 * USDC, DAY);
    }

    function _setPolicies(TestAccount a, uint176 keyId, Policies memory p) internal {
        vm.prank(address(a));
        hookConfig.setPolicies(keyId, p);
    }

    /// @dev A fresh key on `a`, controlled by `a`, signed by `signer`.
    function _key(TestAccount a, address signer, Policies memory p) internal returns (uint176) {
        return _grant(a, bytes32(++_salt), signer, p);
    }

    // ---------------------------------------------------------------- executions

    function _call(address target, uint256 value, bytes memory data) internal pure returns (Execution memory) {
        return Execution(target, value, data);
    }

    function _two(Execution memory a, Execution memory b) internal pure returns (Execution[] memory x) {
        x = new Execution[](2);
        x[0] = a;
        x[1] = b;
    }

    function _three(Execution memory a, Execution memory b, Execution memory c)
        internal
        pure
        returns (Execution[] memory x)
    {
        x = new Execution[](3);
        x[0] = a;
        x[1] = b;
        x[2] = c;
    }

    function _usdcTo(address to, uint256 amount) internal view returns (Execution memory) {
        return _transfer(address(usdc), to, amount);
    }

    /// @dev One usdc transfer of `amount` to bob.
    function _pay(uint256 amount) internal view returns (Execution[] memory) {
        return _one(_usdcTo(bob, amount));
    }

    // ---------------------------------------------------------------- errors

    function _spendErr(uint176 keyId, address token, uint256 used, uint256 requested, uint256 limit)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(FunctorPolicyHookBase.SpendLimitExceeded.selector, keyId, token, used, requested, limit);
    }

    function _callErr(uint176 keyId, address target, bytes4 selector) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(FunctorPolicyHookBase.CallNotAllowed.selector, keyId, target, selector);
    }

    function _invalid(string memory reason) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(FunctorPolicyHookBase.InvalidPolicy.selector, reason);
    }

    function _forbidden(address target) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(FunctorPolicyHookBase.ForbiddenTarget.selector, target);
    }

    /// @dev Sends [first, second] in one bundle; returns whether `second` executed, and its reason.
    function _bundle(PackedUserOperation memory first, PackedUserOperation memory second)
        internal
        returns (bool ok, bytes memory reason)
    {
        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        ops[0] = first;
        ops[1] = second;
        bytes32 h = ep.getUserOpHash(second);
        vm.recordLogs();
        ep.handleOps(ops, beneficiary);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(ep) || logs[i].topics.length < 2 || logs[i].topics[1] != h) continue;
            if (logs[i].topics[0] == IEntryPoint.UserOperationRevertReason.selector) {
                (, reason) = abi.decode(logs[i].data, (uint256, bytes));
            }
            if (logs[i].topics[0] == IEntryPoint.UserOperationEvent.selector) {
                (, ok,,) = abi.decode(logs[i].data, (uint256, bool, uint256, uint256));
            }
        }
    }

    /// @dev A key enabled on `a` with no policies yet (setPolicies needs the key enabled on the
    /// account, with the controller's consent).
    function _enabledKey(TestAccount a, bytes32 salt) internal returns (uint176) {
        bytes32[] memory signers = new bytes32[](1);
        signers[0] = _signerId(address(0xA6E47));
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(address(a), 0, "");
        vm.prank(address(a));
        return keyStore.register(salt, signers, auths);
    }

    function _expectFailedOp(PackedUserOperation memory op, string memory reason) internal {
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, reason));
        _send(op);
    }

    function _expectOk(PackedUserOperation memory op) internal {
        (bool ok, bytes memory reason) = _sendAndResult(op);
        assertTrue(ok, string.concat("execution reverted: ", vm.toString(reason)));
    }
}

/*//////////////////////////////////////////////////////////////
                   POLICIES THROUGH REAL USEROPS
//////////////////////////////////////////////////////////////*/

/// @dev One account of the style the concrete contract names, an agent, and ops for both (the
/// policy suites through real UserOps: this file's and ArgConditions.t.sol's).
abstract contract PolicyOpsBase is PolicyHookHelpers {
    TestAccount internal acct;
    address internal agent;
    uint256 internal agentPk;

    function _style() internal pure virtual returns (TestAccount.Style);

    function setUp() public virtual override {
        super.setUp();
        acct = _newAccount(_style());
        (agent, agentPk) = makeAddrAndKey("agent");
    }

    function _keyOp(uint176 keyId, Execution[] memory execs) internal view returns (PackedUserOperation memory) {
        return _sessionOp(acct, keyId, execs, agentPk);
    }

    /// @dev An owner op of `acct` calling `target` with `data`.
    function _ownerCall(address target, bytes memory data) internal view returns (PackedUserOperation memory) {
        return _ownerOp(acct, _one(_call(target, 0, data)));
    }
}

/// @notice Every policy enforced through real UserOps sent to the EntryPoint v0.7. Run once per
/// account style (Kernel, Nexus, Safe) by the three concrete contracts at the bottom.
abstract contract PolicyHookOpsTest is PolicyOpsBase {
    function _used(uint176 keyId, uint256 i) internal view returns (uint256) {
        (, uint256[] memory used,) = hookConfig.spendUsage(address(acct), keyId);
        return used[i];
    }

    /*//////////////////////////////////////////////////////////////
                           CALLS (VALIDATION)
    //////////////////////////////////////////////////////////////*/

    function test_Calls_ExactTargetAndSelector() public {
        uint176 keyId = _key(acct, agent, _allow(_base(), address(usdc), TRANSFER));
        _expectOk(_keyOp(keyId, _pay(10 * USDC)));
        assertEq(usdc.balanceOf(bob), 10 * USDC);

        _expectValidationRevert(
            _keyOp(keyId, _one(_call(address(usdc), 0, abi.encodeCall(IERC20.approve, (bob, 1))))),
            _callErr(keyId, address(usdc), APPROVE)
        );
        _expectValidationRevert(_keyOp(keyId, _one(_transfer(address(dai), bob, 1))), _callErr(keyId, address(dai), TRANSFER));
    }

    function test_Calls_AnySelectorOnOneTarget() public {
        dai.mint(address(acct), 100 ether);
        uint176 keyId = _key(acct, agent, _allow(_base(), address(dai), ANY_SELECTOR));
        _expectOk(_keyOp(keyId, _one(_transfer(address(dai), bob, 1 ether))));
        _expectOk(_keyOp(keyId, _one(_call(address(dai), 0, abi.encodeCall(IERC20.approve, (bob, 5 ether))))));
        assertEq(dai.balanceOf(bob), 1 ether);
        assertEq(dai.allowance(address(acct), bob), 5 ether);

        _expectValidationRevert(_keyOp(keyId, _pay(1)), _callErr(keyId, address(usdc), TRANSFER));
    }

    function test_Calls_AnyTargetWithOneSelector() public {
        dai.mint(address(acct), 100 ether);
        uint176 keyId = _key(acct, agent, _allow(_base(), ANY_TARGET, TRANSFER));
        _expectOk(_keyOp(keyId, _two(_transfer(address(dai), bob, 1 ether), _usdcTo(bob, 3 * USDC))));
        assertEq(dai.balanceOf(bob), 1 ether);
        assertEq(usdc.balanceOf(bob), 3 * USDC);

        _expectValidationRevert(
            _keyOp(keyId, _one(_call(address(dai), 0, abi.encodeCall(IERC20.approve, (bob, 1))))),
            _callErr(keyId, address(dai), APPROVE)
        );
    }

    /// @dev ANY_TARGET never reaches the account, the EntryPoint, the KeyStore or the Functor modules.
    function test_RevertWhen_AnyTargetReachesForbiddenTarget() public {
        uint176 keyId = _key(acct, agent, _allow(_base(), ANY_TARGET, TRANSFER));
        address[5] memory targets = [address(acct), address(ep), address(keyStore), address(hook), address(validator)];
        for (uint256 i; i < targets.length; ++i) {
            _expectValidationRevert(_keyOp(keyId, _one(_transfer(targets[i], bob, 1))), _forbidden(targets[i]));
        }
    }

    function test_Calls_EmptyCalldataIsValueTransferSelector() public {
        Policies memory p = _limit(_allow(_base(), bob, VALUE_CALL), NATIVE_TOKEN, 1 ether, DAY);
        uint176 keyId = _key(acct, agent, p);
        uint256 before = bob.balance;
        _expectOk(_keyOp(keyId, _one(_call(bob, 0.4 ether, ""))));
        assertEq(bob.balance - before, 0.4 ether);

        // The same target with calldata is another selector: not allowed.
        _expectValidationRevert(_keyOp(keyId, _one(_call(bob, 0, hex"12345678"))), _callErr(keyId, bob, 0x12345678));
        // Another recipient of a plain value transfer: not allowed.
        _expectValidationRevert(_keyOp(keyId, _one(_call(alice, 1, ""))), _callErr(keyId, alice, VALUE_CALL));
    }

    function test_RevertWhen_OneCallOfBatchNotAllowed() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        Execution[] memory b =
            _two(_usdcTo(bob, 1 * USDC), _call(address(usdc), 0, abi.encodeCall(IERC20.approve, (bob, 1))));
        _expectValidationRevert(_keyOp(keyId, b), _callErr(keyId, address(usdc), APPROVE));
        assertEq(usdc.balanceOf(bob), 0);
    }

    /*//////////////////////////////////////////////////////////////
                             SPEND: SLIDING
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_SlidingSpendOverLimit_InExecution() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        _expectOk(_keyOp(keyId, _pay(60 * USDC)));
        _expectOk(_keyOp(keyId, _pay(30 * USDC)));
        _expectExecutionRevert(_keyOp(keyId, _pay(20 * USDC)), _spendErr(keyId, address(usdc), 90 * USDC, 20 * USDC, 100 * USDC));
        assertEq(usdc.balanceOf(bob), 90 * USDC);
        assertEq(_used(keyId, 0), 90 * USDC);
    }

    /// @dev The window slides in buckets of period/24 (1 h for a day). A spend leaves the window
    /// when its whole bucket is more than 24 buckets old: exactly 24 h later it still counts (the
    /// conservative price of buckets: refusing up to one bucket's width early), one bucket later
    /// it is gone.
    function test_SlidingSpend_FreesUpOneBucketAfterThePeriod() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        uint256 t0 = vm.getBlockTimestamp(); // not block.timestamp: via-IR may re-read it after vm.warp
        _expectOk(_keyOp(keyId, _pay(60 * USDC)));
        _expectOk(_keyOp(keyId, _pay(30 * USDC)));

        vm.warp(t0 + 1 days);
        assertEq(_used(keyId, 0), 90 * USDC, "still in the window at exactly 24h (bucket price)");
        _expectExecutionRevert(_keyOp(keyId, _pay(20 * USDC)), _spendErr(keyId, address(usdc), 90 * USDC, 20 * USDC, 100 * USDC));

        vm.warp(t0 + 1 days + 1 hours);
        assertEq(_used(keyId, 0), 0);
        _expectOk(_keyOp(keyId, _pay(20 * USDC)));
        assertEq(_used(keyId, 0), 20 * USDC);
        assertEq(usdc.balanceOf(bob), 110 * USDC);
    }

    /// @dev Sliding, not calendar: an old spend leaves the window while a recent one stays in.
    function test_SlidingSpend_OnlyOldSpendsExpire() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        uint256 t0 = vm.getBlockTimestamp(); // not block.timestamp: via-IR may re-read it after vm.warp
        _expectOk(_keyOp(keyId, _pay(60 * USDC)));
        vm.warp(t0 + 12 hours);
        _expectOk(_keyOp(keyId, _pay(30 * USDC)));

        vm.warp(t0 + 25 hours);
        assertEq(_used(keyId, 0), 30 * USDC);
        _expectExecutionRevert(_keyOp(keyId, _pay(80 * USDC)), _spendErr(keyId, address(usdc), 30 * USDC, 80 * USDC, 100 * USDC));
        _expectOk(_keyOp(keyId, _pay(70 * USDC)));
        assertEq(_used(keyId, 0), 100 * USDC);
    }

    /// @dev No 2x the limit across a calendar day boundary (100 at 23:59, 1 more at 00:01 refused).
    function test_RevertWhen_SlidingSpendAcrossMidnight() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        uint256 midnight = (block.timestamp / 1 days + 1) * 1 days;
        vm.warp(midnight - 60);
        _expectOk(_keyOp(keyId, _pay(100 * USDC)));
        vm.warp(midnight + 60);
        _expectExecutionRevert(_keyOp(keyId, _pay(1 * USDC)), _spendErr(keyId, address(usdc), 100 * USDC, 1 * USDC, 100 * USDC));
    }

    /*//////////////////////////////////////////////////////////////
                              SPEND: FIXED
    //////////////////////////////////////////////////////////////*/

    function test_FixedSpend_PeriodsFromStart() public {
        uint32 start = uint32(block.timestamp + 1 hours);
        Policies memory p = _limitAs(_allow(_base(), address(usdc), TRANSFER), address(usdc), 100 * USDC, DAY, PeriodKind.Fixed, start);
        uint176 keyId = _key(acct, agent, p);

        // Before the first period: nothing may be spent.
        (, uint256[] memory used, uint256[] memory resetsAt) = hookConfig.spendUsage(address(acct), keyId);
        assertEq(used[0], 0);
        assertEq(resetsAt[0], start);
        _expectExecutionRevert(_keyOp(keyId, _pay(10 * USDC)), abi.encodeWithSelector(FixedWindow.PeriodNotStarted.selector, start));

        // First period: the whole limit, not one unit more.
        vm.warp(start);
        _expectOk(_keyOp(keyId, _pay(100 * USDC)));
        (, used, resetsAt) = hookConfig.spendUsage(address(acct), keyId);
        assertEq(used[0], 100 * USDC);
        assertEq(resetsAt[0], uint256(start) + DAY);
        _expectExecutionRevert(_keyOp(keyId, _pay(1 * USDC)), _spendErr(keyId, address(usdc), 100 * USDC, 1 * USDC, 100 * USDC));

        vm.warp(uint256(start) + DAY - 1);
        _expectExecutionRevert(_keyOp(keyId, _pay(1 * USDC)), _spendErr(keyId, address(usdc), 100 * USDC, 1 * USDC, 100 * USDC));

        // Reset at the period start (a subscription pays again).
        vm.warp(uint256(start) + DAY);
        assertEq(_used(keyId, 0), 0);
        _expectOk(_keyOp(keyId, _pay(100 * USDC)));
        (, used, resetsAt) = hookConfig.spendUsage(address(acct), keyId);
        assertEq(used[0], 100 * USDC);
        assertEq(resetsAt[0], uint256(start) + 2 * DAY);
        assertEq(usdc.balanceOf(bob), 200 * USDC);
    }

    /*//////////////////////////////////////////////////////////////
                              SPEND: NATIVE
    //////////////////////////////////////////////////////////////*/

    function test_NativeSpend_LimitOnNativeToken() public {
        Policies memory p = _allow(_allow(_base(), bob, VALUE_CALL), alice, VALUE_CALL);
        uint176 keyId = _key(acct, agent, _limit(p, NATIVE_TOKEN, 1 ether, DAY));
        // A batch: both values counted together.
        _expectOk(_keyOp(keyId, _two(_call(bob, 0.3 ether, ""), _call(alice, 0.3 ether, ""))));
        assertEq(_used(keyId, 0), 0.6 ether);
        _expectExecutionRevert(
            _keyOp(keyId, _one(_call(alice, 0.5 ether, ""))), _spendErr(keyId, NATIVE_TOKEN, 0.6 ether, 0.5 ether, 1 ether)
        );
        _expectOk(_keyOp(keyId, _one(_call(alice, 0.4 ether, ""))));
        assertEq(_used(keyId, 0), 1 ether);
    }

    /// @dev The geometry of the first two spend limits sits in the configuration's header slot, the
    /// others' in their own: four limits of mixed kinds round-trip, and the fourth is enforced with its
    /// own period (a fixed period started an hour ago, so its window is not the others').
    function test_SpendLimitsBeyondTheHeader_RoundTripAndEnforce() public {
        Policies memory p = _allow(_allow(_usdcOnly(), address(dai), TRANSFER), bob, VALUE_CALL);
        p = _limitAs(p, address(dai), 5 ether, 2 hours, PeriodKind.Fixed, uint32(block.timestamp));
        p = _limitAs(p, address(0xbeef), 1, 3 days, PeriodKind.Sliding, 0);
        p = _limitAs(p, NATIVE_TOKEN, 1 ether, 7 * DAY, PeriodKind.Fixed, uint32(block.timestamp - 1 hours));
        uint176 keyId = _key(acct, agent, p);
        assertEq(abi.encode(hookConfig.policiesOf(address(acct), keyId)), abi.encode(p));

        (SpendLimit[] memory limits,, uint256[] memory resetsAt) = hookConfig.spendUsage(address(acct), keyId);
        assertEq(limits.length, 4);
        assertEq(resetsAt[1], block.timestamp + 2 hours, "limit 1: fixed, from the header");
        assertEq(resetsAt[2], 0, "limit 2: sliding, from its own slot");
        assertEq(resetsAt[3], block.timestamp - 1 hours + 7 days, "limit 3: fixed, from its own slot");

        _expectOk(_keyOp(keyId, _one(_call(bob, 0.7 ether, ""))));
        assertEq(_used(keyId, 3), 0.7 ether);
        _expectExecutionRevert(
            _keyOp(keyId, _one(_call(bob, 0.4 ether, ""))), _spendErr(keyId, NATIVE_TOKEN, 0.7 ether, 0.4 ether, 1 ether)
        );
    }

    function test_RevertWhen_ValueWithoutNativeLimit() public {
        Policies memory p = _allow(_usdcOnly(), bob, VALUE_CALL);
        uint176 keyId = _key(acct, agent, p);
        _expectExecutionRevert(
            _keyOp(keyId, _one(_call(bob, 1 ether, ""))),
            abi.encodeWithSelector(FunctorPolicyHookBase.NativeValueNotAllowed.selector, keyId, 1 ether)
        );
    }

    /*//////////////////////////////////////////////////////////////
                         SPEND: TOKEN SELECTORS
    //////////////////////////////////////////////////////////////*/

    function _usdcAny() internal view returns (Policies memory) {
        return _limit(_allow(_base(), address(usdc), ANY_SELECTOR), address(usdc), 100 * USDC, DAY);
    }

    function _usdcCall(bytes memory data) internal view returns (Execution[] memory) {
        return _one(_call(address(usdc), 0, data));
    }

    function test_Approve_CountedAsSpend() public {
        uint176 keyId = _key(acct, agent, _usdcAny());
        _expectOk(_keyOp(keyId, _usdcCall(abi.encodeCall(IERC20.approve, (bob, 70 * USDC)))));
        assertEq(_used(keyId, 0), 70 * USDC);
        assertEq(usdc.balanceOf(address(acct)), 10_000 * USDC, "nothing left the account yet");
        _expectExecutionRevert(_keyOp(keyId, _pay(40 * USDC)), _spendErr(keyId, address(usdc), 70 * USDC, 40 * USDC, 100 * USDC));
    }

    function test_IncreaseAllowance_CountedAsSpend() public {
        uint176 keyId = _key(acct, agent, _usdcAny());
        _expectOk(_keyOp(keyId, _usdcCall(abi.encodeCall(DevToken.increaseAllowance, (bob, 70 * USDC)))));
        assertEq(_used(keyId, 0), 70 * USDC);
        assertEq(usdc.allowance(address(acct), bob), 70 * USDC);
        _expectExecutionRevert(
            _keyOp(keyId, _usdcCall(abi.encodeCall(DevToken.increaseAllowance, (bob, 31 * USDC)))),
            _spendErr(keyId, address(usdc), 70 * USDC, 31 * USDC, 100 * USDC)
        );
    }

    function test_TransferFromAccount_Counted() public {
        vm.prank(address(acct));
        usdc.approve(address(acct), type(uint256).max);
        uint176 keyId = _key(acct, agent, _usdcAny());
        _expectOk(_keyOp(keyId, _usdcCall(abi.encodeCall(IERC20.transferFrom, (address(acct), bob, 70 * USDC)))));
        assertEq(_used(keyId, 0), 70 * USDC);
        _expectExecutionRevert(
            _keyOp(keyId, _usdcCall(abi.encodeCall(IERC20.transferFrom, (address(acct), bob, 31 * USDC)))),
            _spendErr(keyId, address(usdc), 70 * USDC, 31 * USDC, 100 * USDC)
        );
    }

    function test_TransferFromAnotherAddress_NotCounted() public {
        usdc.mint(alice, 500 * USDC);
        vm.prank(alice);
        usdc.approve(address(acct), 500 * USDC);
        uint176 keyId = _key(acct, agent, _usdcAny());
        // Above the limit, but none of it leaves the account.
        _expectOk(_keyOp(keyId, _usdcCall(abi.encodeCall(IERC20.transferFrom, (alice, bob, 200 * USDC)))));
        assertEq(usdc.balanceOf(bob), 200 * USDC);
        assertEq(_used(keyId, 0), 0);
    }

    function test_DecreaseAllowance_AllowedNotCounted() public {
        vm.prank(address(acct));
        usdc.approve(bob, 50 * USDC);
        uint176 keyId = _key(acct, agent, _usdcAny());
        _expectOk(_keyOp(keyId, _usdcCall(abi.encodeCall(DevToken.decreaseAllowance, (bob, 20 * USDC)))));
        assertEq(usdc.allowance(address(acct), bob), 30 * USDC);
        assertEq(_used(keyId, 0), 0);
    }

    function test_RevertWhen_UnknownSelectorOnLimitedToken() public {
        uint176 keyId = _key(acct, agent, _usdcAny());
        _expectExecutionRevert(
            _keyOp(keyId, _usdcCall(abi.encodeCall(TestToken.mint, (address(acct), 1)))),
            abi.encodeWithSelector(FunctorPolicyHookBase.UnknownTokenSelector.selector, address(usdc), TestToken.mint.selector)
        );
        // A truncated transfer (amount missing) is refused the same way.
        _expectExecutionRevert(
            _keyOp(keyId, _usdcCall(abi.encodeWithSelector(TRANSFER, bob))),
            abi.encodeWithSelector(FunctorPolicyHookBase.UnknownTokenSelector.selector, address(usdc), TRANSFER)
        );
    }

    function test_UnknownSelectorOnUnlimitedToken_Passes() public {
        Policies memory p = _allow(_usdcAny(), address(dai), ANY_SELECTOR);
        uint176 keyId = _key(acct, agent, p);
        _expectOk(_keyOp(keyId, _one(_call(address(dai), 0, abi.encodeCall(TestToken.mint, (bob, 1 ether))))));
        assertEq(dai.balanceOf(bob), 1 ether);
    }

    /*//////////////////////////////////////////////////////////////
                          SPEND: BALANCE DELTA
    //////////////////////////////////////////////////////////////*/

    function _routerPolicies(PullingRouter router) internal view returns (Policies memory) {
        return _allow(_usdcOnly(), address(router), PullingRouter.pull.selector);
    }

    function _pull(PullingRouter router, uint256 amount) internal view returns (Execution memory) {
        return _call(address(router), 0, abi.encodeCall(PullingRouter.pull, (address(usdc), address(acct), amount)));
    }

    /// @dev A router pulling through an old approval spends nothing in the calldata: the balance
    /// decrease is counted.
    function test_BalanceDelta_RouterPullThroughOldApprovalCounted() public {
        PullingRouter router = new PullingRouter();
        vm.prank(address(acct));
        usdc.approve(address(router), type(uint256).max);
        uint176 keyId = _key(acct, agent, _routerPolicies(router));

        _expectOk(_keyOp(keyId, _one(_pull(router, 80 * USDC))));
        assertEq(_used(keyId, 0), 80 * USDC);
        assertEq(usdc.balanceOf(address(router)), 80 * USDC);

        // Refused in postCheck, when the balance shows it.
        _expectExecutionRevert(_keyOp(keyId, _one(_pull(router, 30 * USDC))), _spendErr(keyId, address(usdc), 80 * USDC, 30 * USDC, 100 * USDC));
        assertEq(usdc.balanceOf(address(router)), 80 * USDC);
    }

    /// @dev counted = max(decoded, balance decrease): here the decrease is larger.
    function test_BalanceDelta_CountsDecreaseWhenLarger() public {
        PullingRouter router = new PullingRouter();
        vm.prank(address(acct));
        usdc.approve(address(router), type(uint256).max);
        uint176 keyId = _key(acct, agent, _routerPolicies(router));
        _expectOk(_keyOp(keyId, _two(_usdcTo(bob, 10 * USDC), _pull(router, 40 * USDC))));
        assertEq(_used(keyId, 0), 50 * USDC);
    }

    /// @dev counted = max(decoded, balance decrease): a transfer to itself decreases nothing but
    /// still counts what the calldata says.
    function test_BalanceDelta_CountsDecodedWhenLarger() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        _expectOk(_keyOp(keyId, _one(_usdcTo(address(acct), 50 * USDC))));
        assertEq(usdc.balanceOf(address(acct)), 10_000 * USDC);
        assertEq(_used(keyId, 0), 50 * USDC);
    }

    function test_Batch_TransfersCountedTogether() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        _expectOk(_keyOp(keyId, _three(_usdcTo(bob, 30 * USDC), _usdcTo(alice, 30 * USDC), _usdcTo(bob, 30 * USDC))));
        assertEq(_used(keyId, 0), 90 * USDC);
        _expectExecutionRevert(
            _keyOp(keyId, _two(_usdcTo(bob, 6 * USDC), _usdcTo(alice, 5 * USDC))),
            _spendErr(keyId, address(usdc), 90 * USDC, 11 * USDC, 100 * USDC)
        );
    }

    /// @dev The calls of a batch after the first are checked in one hand-written loop (_plainBatch),
    /// which reuses the entry of a repeated target and selector: each of the five token selectors,
    /// allowed by an exact entry each, counts there as it counts alone, and a transferFrom from
    /// someone else counts nothing.
    function test_Batch_EveryTokenSelector_CountedAsAlone() public {
        Policies memory p = _allow(_allow(_usdcOnly(), address(usdc), APPROVE), address(usdc), TRANSFER_FROM);
        p = _allow(_allow(p, address(usdc), DevToken.increaseAllowance.selector), address(usdc), DevToken.decreaseAllowance.selector);
        uint176 keyId = _key(acct, agent, p);
        vm.prank(address(acct));
        usdc.approve(address(acct), type(uint256).max);
        usdc.mint(alice, 500 * USDC);
        vm.prank(alice);
        usdc.approve(address(acct), 500 * USDC);
        Execution[] memory b = new Execution[](7);
        b[0] = _usdcTo(bob, 10 * USDC);
        b[1] = _usdcTo(alice, 11 * USDC);
        b[2] = _call(address(usdc), 0, abi.encodeCall(IERC20.approve, (bob, 20 * USDC)));
        b[3] = _call(address(usdc), 0, abi.encodeCall(DevToken.increaseAllowance, (bob, 5 * USDC)));
        b[4] = _call(address(usdc), 0, abi.encodeCall(IERC20.transferFrom, (address(acct), bob, 7 * USDC)));
        b[5] = _call(address(usdc), 0, abi.encodeCall(IERC20.transferFrom, (alice, bob, 200 * USDC)));
        b[6] = _call(address(usdc), 0, abi.encodeCall(DevToken.decreaseAllowance, (bob, 1 * USDC)));
        _expectOk(_keyOp(keyId, b));
        assertEq(_used(keyId, 0), 53 * USDC, "10 + 11 + 20 + 5 + 7");
        assertEq(usdc.allowance(address(acct), bob), 24 * USDC);
        // Summed in the loop before anything runs: refused at once.
        _expectExecutionRevert(
            _keyOp(keyId, _three(_usdcTo(bob, 1 * USDC), _usdcTo(bob, 1 * USDC), _usdcTo(bob, 46 * USDC))),
            _spendErr(keyId, address(usdc), 53 * USDC, 48 * USDC, 100 * USDC)
        );
    }

    /// @dev A later call of a batch that the loop does not handle goes through the general path and
    /// is refused there as it would be alone: an unknown selector on a limited token, native value
    /// without a native limit (validation does not look at value).
    function test_RevertWhen_BatchLaterCallNotCommonCase() public {
        uint176 keyId = _key(acct, agent, _allow(_usdcOnly(), address(usdc), TestToken.mint.selector));
        _expectExecutionRevert(
            _keyOp(keyId, _three(_usdcTo(bob, 1), _usdcTo(bob, 1), _call(address(usdc), 0, abi.encodeCall(TestToken.mint, (bob, 1))))),
            abi.encodeWithSelector(FunctorPolicyHookBase.UnknownTokenSelector.selector, address(usdc), TestToken.mint.selector)
        );
        _expectExecutionRevert(
            _keyOp(keyId, _three(_usdcTo(bob, 1), _usdcTo(bob, 1), _call(address(usdc), 1, abi.encodeCall(IERC20.transfer, (bob, 1))))),
            abi.encodeWithSelector(FunctorPolicyHookBase.NativeValueNotAllowed.selector, keyId, 1)
        );
        assertEq(usdc.balanceOf(bob), 0);
    }

    /// @dev A batch's third call repeats the second's target and selector (the batch loop then
    /// takes its spend without the limits' lookups, fastSpend) but is not the common case: calldata
    /// short of the amount, or an amount whose sum overflows (an approval for everything after
    /// small ones: counting it modulo 2^256 would let a leaked key approve without limit). Both are
    /// refused as the general path refuses them, nothing approved or moved.
    function test_RevertWhen_BatchRepeatedCallNotCommonCase() public {
        uint176 keyId = _key(acct, agent, _allow(_usdcOnly(), address(usdc), APPROVE));
        bytes memory short = abi.encodePacked(IERC20.transfer.selector, bytes32(uint256(uint160(bob))));
        (bool ok,) = _sendAndResult(_keyOp(keyId, _three(_usdcTo(bob, 1), _usdcTo(bob, 1), _call(address(usdc), 0, short))));
        assertFalse(ok, "short transfer calldata");
        Execution memory small = _call(address(usdc), 0, abi.encodeCall(IERC20.approve, (bob, 1)));
        Execution memory all = _call(address(usdc), 0, abi.encodeCall(IERC20.approve, (bob, type(uint256).max)));
        _expectExecutionRevert(_keyOp(keyId, _three(small, small, all)), abi.encodeWithSignature("Panic(uint256)", 0x11));
        assertEq(usdc.allowance(address(acct), bob), 0);
        assertEq(usdc.balanceOf(bob), 0);
    }

    function test_RevertWhen_BatchOverLimitAtOnce() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        _expectExecutionRevert(
            _keyOp(keyId, _three(_usdcTo(bob, 40 * USDC), _usdcTo(bob, 40 * USDC), _usdcTo(bob, 30 * USDC))),
            _spendErr(keyId, address(usdc), 0, 110 * USDC, 100 * USDC)
        );
        assertEq(usdc.balanceOf(bob), 0);
    }

    /*//////////////////////////////////////////////////////////////
                                  RATE
    //////////////////////////////////////////////////////////////*/

    function test_Rate_LimitsExecutionsPerPeriod() public {
        Policies memory p = _usdcOnly();
        p.rate = RateLimit({maxCalls: 2, period: 1 hours});
        uint176 keyId = _key(acct, agent, p);
        uint256 t0 = vm.getBlockTimestamp(); // not block.timestamp: via-IR may re-read it after vm.warp

        // A batch is one execution.
        _expectOk(_keyOp(keyId, _two(_usdcTo(bob, 1), _usdcTo(bob, 1))));
        (uint256 used, uint256 max) = hookConfig.rateUsage(address(acct), keyId);
        assertEq(used, 1);
        assertEq(max, 2);
        _expectOk(_keyOp(keyId, _pay(1)));
        _expectExecutionRevert(
            _keyOp(keyId, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.RateLimitExceeded.selector, keyId, 2, 2)
        );
        (used,) = hookConfig.rateUsage(address(acct), keyId);
        assertEq(used, 2, "a refused execution is not counted");

        // Period + one bucket (1h / 24) later, it frees up.
        vm.warp(t0 + 1 hours + 150);
        (used,) = hookConfig.rateUsage(address(acct), keyId);
        assertEq(used, 0);
        _expectOk(_keyOp(keyId, _pay(1)));
        (used,) = hookConfig.rateUsage(address(acct), keyId);
        assertEq(used, 1);
    }

    /*//////////////////////////////////////////////////////////////
                                  TIME
    //////////////////////////////////////////////////////////////*/

    function test_Time_BoundsReturnedInValidationData() public {
        Policies memory p = _usdcOnly();
        p.validAfter = uint48(block.timestamp + 1 hours);
        p.validUntil = uint48(block.timestamp + 2 hours);
        uint176 keyId = _key(acct, agent, p);
        PackedUserOperation memory op = _keyOp(keyId, _pay(1));
        bytes32 userOpHash = ep.getUserOpHash(op);
        vm.prank(address(acct));
        uint256 data = opValidator.validateUserOp(op, userOpHash);
        assertEq(data, (uint256(p.validUntil) << 160) | (uint256(p.validAfter) << 208));
        assertEq(uint160(data), 0, "signature ok, no aggregator");
    }

    function test_RevertWhen_NotYetValid_AA22() public {
        Policies memory p = _usdcOnly();
        p.validAfter = uint48(block.timestamp + 1 hours);
        uint176 keyId = _key(acct, agent, p);
        _expectFailedOp(_keyOp(keyId, _pay(1)), "AA22 expired or not due");
        vm.warp(p.validAfter);
        _expectOk(_keyOp(keyId, _pay(1)));
    }

    function test_RevertWhen_Expired_AA22() public {
        Policies memory p = _usdcOnly();
        p.validUntil = uint48(block.timestamp + 1 hours);
        uint176 keyId = _key(acct, agent, p);
        vm.warp(p.validUntil);
        _expectOk(_keyOp(keyId, _pay(1)));
        vm.warp(uint256(p.validUntil) + 1);
        _expectFailedOp(_keyOp(keyId, _pay(1)), "AA22 expired or not due");
    }

    /// @dev The hook re-checks time in execution: an owner op earlier in the same bundle shortens
    /// the expiry after the key's op was validated.
    function test_RevertWhen_ExpiredBetweenValidationAndExecution_KeyExpired() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        Policies memory p = _usdcOnly();
        p.validUntil = uint48(block.timestamp - 1);
        PackedUserOperation memory ownerOp = _ownerCall(address(hook), abi.encodeCall(FunctorPolicyConfig.setPolicies, (keyId, p)));
        (bool ok, bytes memory reason) = _bundle(ownerOp, _keyOp(keyId, _pay(1)));
        assertFalse(ok);
        assertEq(reason, abi.encodeWithSelector(FunctorPolicyHookBase.KeyExpired.selector, keyId, p.validUntil));
    }

    function test_RevertWhen_NotYetValidBetweenValidationAndExecution_KeyNotYetValid() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        Policies memory p = _usdcOnly();
        p.validAfter = uint48(block.timestamp + 1);
        PackedUserOperation memory ownerOp = _ownerCall(address(hook), abi.encodeCall(FunctorPolicyConfig.setPolicies, (keyId, p)));
        (bool ok, bytes memory reason) = _bundle(ownerOp, _keyOp(keyId, _pay(1)));
        assertFalse(ok);
        assertEq(reason, abi.encodeWithSelector(FunctorPolicyHookBase.KeyNotYetValid.selector, keyId, p.validAfter));
    }

    /*//////////////////////////////////////////////////////////////
                            GAS (VALIDATION)
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_GasFeeTooHigh() public {
        Policies memory p = _usdcOnly();
        p.gas.maxFeePerGas = 1 gwei;
        uint176 keyId = _key(acct, agent, p);
        _expectValidationRevert(
            _keyOp(keyId, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.GasFeeTooHigh.selector, OP_FEE, 1 gwei)
        );
    }

    function test_RevertWhen_OpCostTooHigh() public {
        Policies memory p = _usdcOnly();
        p.gas.maxCostPerOp = uint72(OP_COST - 1);
        uint176 keyId = _key(acct, agent, p);
        _expectValidationRevert(
            _keyOp(keyId, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.OpCostTooHigh.selector, OP_COST, OP_COST - 1)
        );
        p.gas.maxCostPerOp = uint72(OP_COST);
        _setPolicies(acct, keyId, p);
        _expectOk(_keyOp(keyId, _pay(1)));
    }

    /// @dev Each op debits its maximum cost, even one that then reverts in execution.
    function test_RevertWhen_GasBudgetExceeded() public {
        Policies memory p = _usdcOnly();
        p.gas.budget = uint96(OP_COST * 5 / 2);
        uint176 keyId = _key(acct, agent, p);
        assertEq(opValidator.gasSpent(keyId, address(acct)), 0);

        _expectOk(_keyOp(keyId, _pay(1)));
        assertEq(opValidator.gasSpent(keyId, address(acct)), OP_COST);
        _expectExecutionRevert(_keyOp(keyId, _pay(200 * USDC)), _spendErr(keyId, address(usdc), 1, 200 * USDC, 100 * USDC));
        assertEq(opValidator.gasSpent(keyId, address(acct)), 2 * OP_COST);

        _expectValidationRevert(
            _keyOp(keyId, _pay(1)),
            abi.encodeWithSelector(FunctorPolicyHookBase.GasBudgetExceeded.selector, 2 * OP_COST, OP_COST, p.gas.budget)
        );
        assertEq(opValidator.gasSpent(keyId, address(acct)), 2 * OP_COST);
    }

    function _withPaymaster(PackedUserOperation memory op, address pm) internal view returns (PackedUserOperation memory) {
        op.paymasterAndData = abi.encodePacked(pm, uint128(100_000), uint128(50_000));
        op.signature = _signSession(op, agentPk);
        return op;
    }

    function test_RevertWhen_PaymasterNotAllowed() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        address pm = address(0xDEAD);
        _expectValidationRevert(
            _withPaymaster(_keyOp(keyId, _pay(1)), pm),
            abi.encodeWithSelector(FunctorPolicyHookBase.PaymasterNotAllowed.selector, pm)
        );
    }

    /// @dev A listed paymaster passes the validator (the EntryPoint then stops at the paymaster's own
    /// deposit), and its gas limits count in the op's gas.
    function test_Paymaster_ListedPassesValidatorAndItsGasCounts() public {
        address pm = address(0xDEAD);
        Policies memory p = _usdcOnly();
        p.gas.paymaster = pm;
        uint176 keyId = _key(acct, agent, p);
        _expectFailedOp(_withPaymaster(_keyOp(keyId, _pay(1)), pm), "AA31 paymaster deposit too low");

        p.gas.maxCostPerOp = uint72((OP_GAS + 100_000) * OP_FEE);
        _setPolicies(acct, keyId, p);
        _expectValidationRevert(
            _withPaymaster(_keyOp(keyId, _pay(1)), pm),
            abi.encodeWithSelector(FunctorPolicyHookBase.OpCostTooHigh.selector, (OP_GAS + 150_000) * OP_FEE, (OP_GAS + 100_000) * OP_FEE)
        );
    }

    /*//////////////////////////////////////////////////////////////
                             CUSTOM POLICY
    //////////////////////////////////////////////////////////////*/

    function _withCustom(Policies memory p, address policy) internal pure returns (Policies memory) {
        p.customs = new address[](1);
        p.customs[0] = policy;
        return p;
    }

    function test_Custom_CalledBeforeAndAfterWithContext() public {
        RecordingPolicy policy = new RecordingPolicy();
        uint176 keyId = _key(acct, agent, _withCustom(_usdcOnly(), address(policy)));
        _expectOk(_keyOp(keyId, _pay(1)));
        assertEq(policy.befores(), 1);
        assertEq(policy.afters(), 1);
        assertEq(policy.lastAccount(), address(acct));
        assertEq(policy.lastKeyId(), keyId);
        assertEq(policy.lastAfterAccount(), address(acct));
        assertEq(policy.lastAfterKeyId(), keyId);
        assertEq(policy.lastContext(), abi.encode(uint256(1), address(usdc)));
    }

    function test_RevertWhen_CustomRefusesBefore() public {
        RecordingPolicy policy = new RecordingPolicy();
        policy.configure(1, false);
        uint176 keyId = _key(acct, agent, _withCustom(_usdcOnly(), address(policy)));
        _expectOk(_keyOp(keyId, _pay(1)));
        _expectExecutionRevert(
            _keyOp(keyId, _two(_usdcTo(bob, 1), _usdcTo(bob, 1))),
            abi.encodeWithSelector(
                FunctorPolicyHookBase.CustomPolicyRefused.selector,
                address(policy),
                abi.encodeWithSelector(RecordingPolicy.TooManyExecutions.selector, 2, 1)
            )
        );
        assertEq(usdc.balanceOf(bob), 1);
    }

    function test_RevertWhen_CustomRefusesAfter() public {
        RecordingPolicy policy = new RecordingPolicy();
        policy.configure(type(uint256).max, true);
        uint176 keyId = _key(acct, agent, _withCustom(_usdcOnly(), address(policy)));
        _expectExecutionRevert(
            _keyOp(keyId, _pay(5 * USDC)),
            abi.encodeWithSelector(
                FunctorPolicyHookBase.CustomPolicyRefused.selector,
                address(policy),
                abi.encodeWithSelector(RecordingPolicy.RefusedAfter.selector, 0)
            )
        );
        assertEq(usdc.balanceOf(bob), 0);
        assertEq(_used(keyId, 0), 0);
    }

    /// @dev A key may not call its own custom policy (it could reconfigure it).
    function test_RevertWhen_KeyCallsItsCustomPolicy() public {
        RecordingPolicy policy = new RecordingPolicy();
        Policies memory p = _withCustom(_allow(_usdcOnly(), address(policy), ANY_SELECTOR), address(policy));
        uint176 keyId = _key(acct, agent, p);
        _expectExecutionRevert(
            _keyOp(keyId, _one(_call(address(policy), 0, abi.encodeCall(RecordingPolicy.configure, (99, false))))),
            _forbidden(address(policy))
        );
        assertEq(policy.maxExecutions(), type(uint256).max);
    }

    /*//////////////////////////////////////////////////////////////
                       INSTALL, CLEAR, EDIT, EPOCH
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_HookNotInstalled_NotInstalled() public {
        TestAccount bare = new TestAccount(address(ep), owner, _style());
        vm.deal(address(bare), 10 ether);
        usdc.mint(address(bare), 1_000 * USDC);
        vm.prank(address(bare));
        bare.installModule(1, address(opValidator), "");

        bytes32[] memory signers = new bytes32[](1);
        signers[0] = _signerId(agent);
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(address(bare), 0, "");
        vm.prank(address(bare));
        uint176 keyId = keyStore.register(bytes32("bare"), signers, auths);

        bytes memory err = abi.encodeWithSelector(FunctorPolicyHookBase.NotInstalled.selector, address(bare));
        Policies memory p = _usdcOnly();
        vm.prank(address(bare));
        vm.expectRevert(err);
        hookConfig.setPolicies(keyId, p);

        _expectValidationRevert(_sessionOp(bare, keyId, _pay(1), agentPk), err);
    }

    function test_ClearPolicies_KeyCanDoNothing() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        _expectOk(_keyOp(keyId, _pay(1)));
        vm.expectEmit(true, true, true, true, address(hook));
        emit FunctorPolicyHookBase.PoliciesCleared(address(acct), keyId);
        vm.prank(address(acct));
        hookConfig.clearPolicies(keyId);

        _expectValidationRevert(
            _keyOp(keyId, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.NoPolicies.selector, keyId, address(acct))
        );
        assertFalse(hookConfig.isCallAllowed(address(acct), keyId, address(usdc), TRANSFER));
        Policies memory p = hookConfig.policiesOf(address(acct), keyId);
        assertEq(p.calls.length, 0);
        assertEq(p.spends.length, 0);
        assertEq(p.gas.maxFeePerGas, 0);
    }

    function test_RevertWhen_KeyDisabledOrRevoked_InValidation() public {
        uint176 k1 = _key(acct, agent, _usdcOnly());
        uint176 k2 = _key(acct, agent, _usdcOnly());
        vm.startPrank(address(acct));
        keyStore.disable(k1, address(acct));
        keyStore.revoke(k2);
        vm.stopPrank();
        _expectValidationRevert(
            _keyOp(k1, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.KeyNotActive.selector, k1, uint8(0))
        );
        _expectValidationRevert(
            _keyOp(k2, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.KeyNotActive.selector, k2, uint8(2))
        );
    }

    /// @dev An op validated before a revoke lands in the same bundle is stopped by the hook.
    function test_RevertWhen_RevokedBetweenValidationAndExecution_KeyNotActive() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        PackedUserOperation memory ownerOp = _ownerCall(address(keyStore), abi.encodeCall(KeyStore.revoke, (keyId)));
        (bool ok, bytes memory reason) = _bundle(ownerOp, _keyOp(keyId, _pay(1)));
        assertFalse(ok);
        assertEq(reason, abi.encodeWithSelector(FunctorPolicyHookBase.KeyNotActive.selector, keyId, uint8(2)));
        assertEq(usdc.balanceOf(bob), 0);
    }

    /// @dev Policies changed between validation and execution: the hook re-checks every call.
    function test_RevertWhen_CallRemovedBetweenValidationAndExecution() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        Policies memory p = _limit(_allow(_base(), address(dai), TRANSFER), address(usdc), 100 * USDC, DAY);
        PackedUserOperation memory ownerOp = _ownerCall(address(hook), abi.encodeCall(FunctorPolicyConfig.setPolicies, (keyId, p)));
        (bool ok, bytes memory reason) = _bundle(ownerOp, _keyOp(keyId, _pay(1)));
        assertFalse(ok);
        assertEq(reason, _callErr(keyId, address(usdc), TRANSFER));
    }

    function test_PolicyEdit_KeepsCounters() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        _expectOk(_keyOp(keyId, _pay(60 * USDC)));
        _setPolicies(acct, keyId, _usdcOnly());
        assertEq(_used(keyId, 0), 60 * USDC);
        _expectExecutionRevert(_keyOp(keyId, _pay(50 * USDC)), _spendErr(keyId, address(usdc), 60 * USDC, 50 * USDC, 100 * USDC));
        _expectOk(_keyOp(keyId, _pay(40 * USDC)));
    }

    /// @dev Each allowlist entry carries its configuration's header (rate, spend count and geometry),
    /// which preCheck reads from the entry of the first call: an edit that keeps a call must rewrite
    /// that call's entry, or the old rate and limits would still apply through it.
    function test_PolicyEdit_KeptCall_TakesTheNewRateAndLimits() public {
        Policies memory p = _usdcOnly();
        p.rate = RateLimit({maxCalls: 1, period: 1 hours});
        uint176 keyId = _key(acct, agent, p);
        _expectOk(_keyOp(keyId, _pay(10 * USDC)));
        _expectExecutionRevert(
            _keyOp(keyId, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.RateLimitExceeded.selector, keyId, 1, 1)
        );

        // Same call, a higher rate and a weekly limit of 30: both apply at once.
        Policies memory q = _limit(_allow(_base(), address(usdc), TRANSFER), address(usdc), 30 * USDC, 7 * DAY);
        q.rate = RateLimit({maxCalls: 3, period: 1 hours});
        _setPolicies(acct, keyId, q);
        _expectOk(_keyOp(keyId, _pay(15 * USDC)));
        _expectExecutionRevert(_keyOp(keyId, _pay(6 * USDC)), _spendErr(keyId, address(usdc), 25 * USDC, 6 * USDC, 30 * USDC));

        // No rate and no limit any more: nothing stale is read from the entry.
        Policies memory r = _allow(_base(), address(usdc), TRANSFER);
        _setPolicies(acct, keyId, r);
        for (uint256 i; i < 4; ++i) {
            _expectOk(_keyOp(keyId, _pay(20 * USDC)));
        }
        assertEq(usdc.balanceOf(bob), 105 * USDC);
    }

    /// @dev An entry whose target is the only limit's token carries that limit (ENTRY_LIMIT, README
    /// "Allowlist entry"), which preCheck's common case and postCheck read instead of the limit's
    /// slot; every edit rewrites it. Here: the owner lowers the limit in the same bundle, before the
    /// key's op, and the execution counts against the new one; a batch led by another call (DAI,
    /// whose entry carries nothing) counts against the same limit from its slot; with a second
    /// limit, no entry carries one and both apply.
    function test_EntryLimit_FollowsEveryEdit() public {
        dai.mint(address(acct), 10 ether);
        uint176 keyId = _key(acct, agent, _allow(_usdcOnly(), address(dai), TRANSFER)); // 100 USDC a day
        _expectOk(_keyOp(keyId, _pay(40 * USDC)));

        Policies memory lower = _limit(_allow(_allow(_base(), address(usdc), TRANSFER), address(dai), TRANSFER), address(usdc), 50 * USDC, DAY);
        (bool ok, bytes memory reason) = _bundle(
            _ownerCall(address(hook), abi.encodeCall(FunctorPolicyConfig.setPolicies, (keyId, lower))), _keyOp(keyId, _pay(20 * USDC))
        );
        assertFalse(ok, "over the lowered limit");
        assertEq(reason, _spendErr(keyId, address(usdc), 40 * USDC, 20 * USDC, 50 * USDC));
        assertEq(_used(keyId, 0), 40 * USDC);

        _expectOk(_keyOp(keyId, _two(_transfer(address(dai), bob, 1), _usdcTo(bob, 10 * USDC))));
        assertEq(_used(keyId, 0), 50 * USDC, "counted with the batch led by DAI");
        _expectExecutionRevert(_keyOp(keyId, _pay(1)), _spendErr(keyId, address(usdc), 50 * USDC, 1, 50 * USDC));

        Policies memory two = _limit(lower, address(dai), 1 ether, DAY);
        _setPolicies(acct, keyId, two);
        _expectExecutionRevert(_keyOp(keyId, _pay(1)), _spendErr(keyId, address(usdc), 50 * USDC, 1, 50 * USDC));
        vm.warp(block.timestamp + DAY + 1 hours); // past the sliding window's last bucket
        _expectOk(_keyOp(keyId, _pay(30 * USDC)));
        assertEq(_used(keyId, 0), 30 * USDC);
        assertEq(usdc.balanceOf(bob), 80 * USDC);
    }

    /// @dev A batch whose calls are allowed by different entries (an exact one and a selector
    /// wildcard) reads one configuration: the spend is counted once against the current limit.
    function test_PolicyEdit_BatchAcrossEntries_OneConfiguration() public {
        Policies memory p = _limit(_allow(_allow(_base(), address(usdc), TRANSFER), bob, ANY_SELECTOR), address(usdc), 100 * USDC, DAY);
        uint176 keyId = _key(acct, agent, p);
        vm.deal(address(acct), 1 ether);
        // Value to bob is not limited by this configuration: no native limit, so value is refused.
        _expectExecutionRevert(
            _keyOp(keyId, _two(_usdcTo(bob, 1), _call(bob, 1, ""))),
            abi.encodeWithSelector(FunctorPolicyHookBase.NativeValueNotAllowed.selector, keyId, 1)
        );
        // With a native limit added, the same batch runs and both limits count.
        _setPolicies(acct, keyId, _limit(p, NATIVE_TOKEN, 1 ether, DAY));
        _expectOk(_keyOp(keyId, _two(_call(bob, 0.5 ether, ""), _usdcTo(bob, 40 * USDC))));
        assertEq(_used(keyId, 0), 40 * USDC);
        assertEq(_used(keyId, 1), 0.5 ether);
    }

    /// @dev A new period carries what was spent in the old window into the new one.
    function test_PolicyEdit_NewPeriodCarriesUsage() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        uint256 t0 = vm.getBlockTimestamp(); // not block.timestamp: via-IR may re-read it after vm.warp
        _expectOk(_keyOp(keyId, _pay(60 * USDC)));
        Policies memory week = _limit(_allow(_base(), address(usdc), TRANSFER), address(usdc), 100 * USDC, 7 * DAY);
        _setPolicies(acct, keyId, week);
        assertEq(_used(keyId, 0), 60 * USDC);

        // Under the old daily window this would be free again; under the weekly one it is not.
        vm.warp(t0 + 2 days);
        _expectExecutionRevert(_keyOp(keyId, _pay(50 * USDC)), _spendErr(keyId, address(usdc), 60 * USDC, 50 * USDC, 100 * USDC));

        // Into a fixed period that has started: carried into the current period.
        Policies memory monthly = _limitAs(
            _allow(_base(), address(usdc), TRANSFER), address(usdc), 100 * USDC, 30 * DAY, PeriodKind.Fixed, uint32(t0)
        );
        _setPolicies(acct, keyId, monthly);
        assertEq(_used(keyId, 0), 60 * USDC);
        _expectExecutionRevert(_keyOp(keyId, _pay(50 * USDC)), _spendErr(keyId, address(usdc), 60 * USDC, 50 * USDC, 100 * USDC));
    }

    /// @dev The limit is the key's: one keyId on two accounts shares one spend counter.
    function test_KeyOnTwoAccounts_SharesOneSpendCounter() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        TestAccount other = _newAccount(_style());
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = keyStore.enableDigest(keyId, address(other), keyStore.nonces(address(other)), deadline);
        (uint8 v, bytes32 r, bytes32 s_) = vm.sign(ownerPk, digest);
        auths[0] = KeyStore.EnableAuth(address(other), deadline, abi.encodePacked(r, s_, v));
        vm.prank(address(acct));
        keyStore.enable(keyId, auths);
        _setPolicies(other, keyId, _usdcOnly());

        _expectOk(_keyOp(keyId, _pay(60 * USDC)));
        assertEq(_usedOn(other, keyId), 60 * USDC, "the other account sees the key's usage");
        _expectExecutionRevert(
            _sessionOp(other, keyId, _pay(50 * USDC), agentPk), _spendErr(keyId, address(usdc), 60 * USDC, 50 * USDC, 100 * USDC)
        );
        _expectOk(_sessionOp(other, keyId, _pay(40 * USDC), agentPk));
        assertEq(_used(keyId, 0), 100 * USDC);
    }

    function _usedOn(TestAccount a, uint176 keyId) internal view returns (uint256) {
        (, uint256[] memory used,) = hookConfig.spendUsage(address(a), keyId);
        return used[0];
    }

    /// @dev Regression: a window must never be read with another period than it was written with.
    /// Clear the policies, then set the same token with a weekly period: the daily usage is neither
    /// stretched over a week nor stuck forever; with the daily period again, it is still there.
    function test_ClearThenNewPeriod_WindowsNeverReadWithAnotherPeriod() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        uint256 t0 = vm.getBlockTimestamp(); // not block.timestamp: via-IR may re-read it after vm.warp
        _expectOk(_keyOp(keyId, _pay(60 * USDC)));
        vm.prank(address(acct));
        hookConfig.clearPolicies(keyId);

        Policies memory week = _limit(_allow(_base(), address(usdc), TRANSFER), address(usdc), 100 * USDC, 7 * DAY);
        _setPolicies(acct, keyId, week);
        assertEq(_used(keyId, 0), 0, "a weekly window of its own");
        _expectOk(_keyOp(keyId, _pay(30 * USDC)));
        vm.warp(t0 + 365 days);
        assertEq(_used(keyId, 0), 0, "weekly usage expires");

        vm.warp(t0 + 1 hours);
        _setPolicies(acct, keyId, _usdcOnly());
        // The clear ended the chain of edits: the daily window is raised to what the weekly one reads
        // only where that is more (never added: see test_Attack_GeometryToggle_CannotInflateWindow).
        assertEq(_used(keyId, 0), 60 * USDC, "the daily window kept its 60; the weekly 30 is below it");
    }

    function test_Uninstall_VoidsConfigs_ReinstallKeepsCounters() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        _expectOk(_keyOp(keyId, _pay(60 * USDC)));

        vm.prank(address(acct));
        acct.uninstallModule(4, address(hook), "");
        assertFalse(hookConfig.isInitialized(address(acct)));
        _expectValidationRevert(
            _keyOp(keyId, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.NotInstalled.selector, address(acct))
        );

        vm.prank(address(acct));
        acct.installModule(4, address(hook), AS_HOOK);
        _expectValidationRevert(
            _keyOp(keyId, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.NoPolicies.selector, keyId, address(acct))
        );
        assertEq(hookConfig.policiesOf(address(acct), keyId).calls.length, 0);

        _setPolicies(acct, keyId, _usdcOnly());
        _expectExecutionRevert(_keyOp(keyId, _pay(50 * USDC)), _spendErr(keyId, address(usdc), 60 * USDC, 50 * USDC, 100 * USDC));
        _expectOk(_keyOp(keyId, _pay(40 * USDC)));
    }

    /// @dev One module, two roles: uninstalling the validator role alone (Kernel's
    /// `uninstallModule(1)` runs no hook's onUninstall) voids the account's policies as the hook
    /// role's uninstall does, and installing the validator role again installs nothing (its data is
    /// empty): keys wait for the hook role, which starts a new epoch with no policies.
    function test_Merged_UninstallValidatorRole_VoidsPolicies() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        _expectOk(_keyOp(keyId, _pay(1)));
        vm.startPrank(address(acct));
        acct.uninstallModule(1, address(hook), "");
        assertFalse(hookConfig.isInitialized(address(acct)), "uninstalled by the validator role");
        acct.installModule(1, address(hook), "");
        vm.stopPrank();
        assertFalse(hookConfig.isInitialized(address(acct)), "the validator role installs nothing");
        _expectValidationRevert(
            _keyOp(keyId, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.NotInstalled.selector, address(acct))
        );
        vm.prank(address(acct));
        acct.installModule(4, address(hook), AS_HOOK);
        _expectValidationRevert(
            _keyOp(keyId, _pay(1)), abi.encodeWithSelector(FunctorPolicyHookBase.NoPolicies.selector, keyId, address(acct))
        );
    }

    /// @dev The hook role installed again (Kernel binding the module to its executor too) and the
    /// validator role's install keep the account's policies.
    function test_Merged_SecondInstall_ChangesNothing() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        vm.expectEmit(true, true, true, true, address(hook));
        emit FunctorPolicyHookBase.Installed(address(acct));
        vm.startPrank(address(acct));
        hookConfig.onInstall(AS_HOOK);
        hookConfig.onInstall("");
        vm.stopPrank();
        assertTrue(hookConfig.isInitialized(address(acct)));
        _expectOk(_keyOp(keyId, _pay(1)));
    }

    /// @dev Install data that is neither role's is refused, and installs nothing.
    function test_RevertWhen_InstallDataOfNeitherRole_BadInstallData() public {
        TestAccount bare = new TestAccount(address(ep), owner, _style());
        bytes[3] memory bad = [bytes(hex"01"), bytes(hex"0400"), abi.encode(uint256(4))];
        for (uint256 i; i < bad.length; ++i) {
            vm.prank(address(bare));
            vm.expectRevert(FunctorPolicyHookBase.BadInstallData.selector);
            bare.installModule(4, address(hook), bad[i]);
        }
        assertFalse(hookConfig.isInitialized(address(bare)));
    }

    /// @dev The hook's uninstall costs the same whatever the number of keys on the account: Nexus
    /// and Safe7579 swallow a reverting `onUninstall`, so one that grows with the keys can run out of
    /// gas unseen and leave every policy live (contracts/README.md, "Uninstalling the hook"). At a
    /// small fixed cost, the 63/64 rule leaves it gas whenever the owner's op completes at all.
    function test_Uninstall_CostsTheSameForAnyNumberOfKeys() public {
        TestAccount many = _newAccount(_style());
        _key(acct, agent, _usdcOnly());
        for (uint256 i; i < 12; ++i) {
            _key(many, agent, _usdcOnly());
        }
        uint256 fewGas = _uninstallGas(acct);
        uint256 manyGas = _uninstallGas(many);
        assertEq(manyGas, fewGas, "one key or twelve: the same uninstall");
        assertLt(fewGas, 20_000, "an uninstall the 63/64 rule always leaves gas for");
        assertFalse(hookConfig.isInitialized(address(many)), "uninstalled");
    }

    /// @dev Gas of the hook's own onUninstall for `a`, its storage cold (a transaction of its own).
    function _uninstallGas(TestAccount a) internal returns (uint256 used) {
        vm.cool(address(hook));
        vm.cool(address(keyStore));
        vm.prank(address(a));
        uint256 g = gasleft();
        hookConfig.onUninstall("");
        used = g - gasleft();
    }

    /// @dev Counters belong to the keyId: a new signer inherits them; the old one is out.
    function test_RotateSigner_KeepsCounters() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        _expectOk(_keyOp(keyId, _pay(60 * USDC)));
        (address agent2, uint256 agent2Pk) = makeAddrAndKey("agent2");
        vm.prank(address(acct));
        keyStore.rotateSigner(keyId, _signerId(agent), _signerId(agent2));

        _expectFailedOp(_keyOp(keyId, _pay(1)), "AA24 signature error");
        _expectExecutionRevert(
            _sessionOp(acct, keyId, _pay(50 * USDC), agent2Pk), _spendErr(keyId, address(usdc), 60 * USDC, 50 * USDC, 100 * USDC)
        );
        _expectOk(_sessionOp(acct, keyId, _pay(40 * USDC), agent2Pk));
    }

    /*//////////////////////////////////////////////////////////////
                               AUDIT EVENT
    //////////////////////////////////////////////////////////////*/

    function test_KeyExecuted_RecordsCallsAndSpends() public {
        Policies memory p = _limit(_allow(_usdcOnly(), bob, VALUE_CALL), NATIVE_TOKEN, 1 ether, DAY);
        uint176 keyId = _key(acct, agent, p);

        CallRecord[] memory calls = new CallRecord[](2);
        calls[0] = CallRecord(address(usdc), TRANSFER, 0);
        calls[1] = CallRecord(bob, VALUE_CALL, 0.1 ether);
        SpendRecord[] memory spends = new SpendRecord[](2);
        spends[0] = SpendRecord(address(usdc), 60 * USDC, 60 * USDC, 100 * USDC);
        spends[1] = SpendRecord(NATIVE_TOKEN, 0.1 ether, 0.1 ether, 1 ether);
        PackedUserOperation memory op = _keyOp(keyId, _two(_usdcTo(bob, 60 * USDC), _call(bob, 0.1 ether, "")));
        vm.expectEmit(true, true, true, true, address(hook));
        AuditWords.emitKeyExecuted(address(acct), keyId, _signerId(agent), AuditWords.record(calls, spends));
        _send(op);

        // A second execution: nothing native counted, the window usage reported as is.
        calls = new CallRecord[](1);
        calls[0] = CallRecord(address(usdc), TRANSFER, 0);
        spends[0] = SpendRecord(address(usdc), 30 * USDC, 90 * USDC, 100 * USDC);
        spends[1] = SpendRecord(NATIVE_TOKEN, 0, 0.1 ether, 1 ether);
        op = _keyOp(keyId, _pay(30 * USDC));
        vm.expectEmit(true, true, true, true, address(hook));
        AuditWords.emitKeyExecuted(address(acct), keyId, _signerId(agent), AuditWords.record(calls, spends));
        _send(op);
    }

    /// @dev A batch that repeats one call (same target and selector, no value) logs it once, with the
    /// number of repeats in bits 1 to 62 of its word (contracts/README.md, KeyExecuted): USDC to bob,
    /// alice, bob, then DAI, then USDC again is three words. Every call still counts: the spend is the
    /// four transfers' sum.
    function test_KeyExecuted_RunOfOneCallLoggedAsOneWord() public {
        dai.mint(address(acct), 10);
        uint176 keyId = _key(acct, agent, _allow(_usdcOnly(), address(dai), TRANSFER));
        Execution[] memory x = new Execution[](5);
        x[0] = _usdcTo(bob, 1 * USDC);
        x[1] = _usdcTo(alice, 2 * USDC);
        x[2] = _usdcTo(bob, 3 * USDC);
        x[3] = _transfer(address(dai), bob, 1);
        x[4] = _usdcTo(bob, 4 * USDC);
        uint256 usdcTransfer = (uint256(uint160(address(usdc))) << 96) | (uint256(uint32(TRANSFER)) << 64) | (1 << 63);
        bytes32[] memory words = new bytes32[](3);
        words[0] = bytes32(usdcTransfer | (2 << 1));
        words[1] = bytes32((uint256(uint160(address(dai))) << 96) | (uint256(uint32(TRANSFER)) << 64) | (1 << 63));
        words[2] = bytes32(usdcTransfer);
        SpendRecord[] memory spends = new SpendRecord[](1);
        spends[0] = SpendRecord(address(usdc), 10 * USDC, 10 * USDC, 100 * USDC);

        vm.expectEmit(true, true, true, true, address(hook));
        AuditWords.emitKeyExecuted(
            address(acct), keyId, _signerId(agent), AuditWords.join(words, AuditWords.spends(spends))
        );
        _send(_keyOp(keyId, x));

        CallRecord[] memory calls = AuditWords.decodeCalls(words);
        assertEq(calls.length, 5, "the words list every call");
        assertEq(abi.encode(AuditWords.callWords(calls, true)), abi.encode(words), "callWords merged writes the same words");
        assertEq(usdc.balanceOf(bob), 8 * USDC);
    }

    /// @dev preCheck's common case (FunctorPolicyHookCommon) records a batch's calls as its loop
    /// takes them; a later call the loop does not take (here a plain value transfer: empty
    /// calldata) sends the whole execution through the general path, which records every call again
    /// from the first. The event lists exactly the batch's calls, once each, and both spends.
    function test_KeyExecuted_BatchLeavingTheCommonCaseMidway() public {
        Policies memory p = _limit(_allow(_usdcOnly(), bob, VALUE_CALL), NATIVE_TOKEN, 1 ether, DAY);
        uint176 keyId = _key(acct, agent, p);

        CallRecord[] memory calls = new CallRecord[](3);
        calls[0] = CallRecord(address(usdc), TRANSFER, 0);
        calls[1] = CallRecord(address(usdc), TRANSFER, 0);
        calls[2] = CallRecord(bob, VALUE_CALL, 0.1 ether);
        SpendRecord[] memory spends = new SpendRecord[](2);
        spends[0] = SpendRecord(address(usdc), 30 * USDC, 30 * USDC, 100 * USDC);
        spends[1] = SpendRecord(NATIVE_TOKEN, 0.1 ether, 0.1 ether, 1 ether);
        PackedUserOperation memory op =
            _keyOp(keyId, _three(_usdcTo(bob, 10 * USDC), _usdcTo(bob, 20 * USDC), _call(bob, 0.1 ether, "")));
        vm.expectEmit(true, true, true, true, address(hook));
        AuditWords.emitKeyExecuted(address(acct), keyId, _signerId(agent), AuditWords.record(calls, spends));
        _send(op);
    }

    /// @dev transferFrom's `from` with dirty upper bits is the account as the general path reads it
    /// (masked): what it moves is counted in preCheck on every path. The batch loop compared the
    /// unmasked word, counted nothing, and the op got as far as the token's own revert.
    function test_RevertWhen_BatchTransferFromDirtyFromOverLimit() public {
        uint176 keyId = _key(acct, agent, _allow(_usdcOnly(), address(usdc), IERC20.transferFrom.selector));
        bytes memory dirtyFrom = abi.encodePacked(
            IERC20.transferFrom.selector, (uint256(1) << 160) | uint160(address(acct)), uint256(uint160(bob)), 101 * USDC
        );
        PackedUserOperation memory op = _keyOp(keyId, _two(_usdcTo(bob, 1), _call(address(usdc), 0, dirtyFrom)));
        _expectExecutionRevert(op, _spendErr(keyId, address(usdc), 0, 101 * USDC + 1, 100 * USDC));
    }

    /// @dev An empty batch executes nothing: its record is the key's limits alone, nothing counted
    /// (the reader knows there is no call: the first word lacks bit 63, contracts/README.md, KeyExecuted).
    function test_KeyExecuted_EmptyBatchLogsItsLimitsOnly() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        SpendRecord[] memory spends = new SpendRecord[](1);
        spends[0] = SpendRecord(address(usdc), 0, 0, 100 * USDC);
        vm.expectEmit(true, true, true, true, address(hook));
        AuditWords.emitKeyExecuted(
            address(acct), keyId, _signerId(agent), AuditWords.record(new CallRecord[](0), spends)
        );
        _send(_keyOp(keyId, new Execution[](0)));
    }

    /// @dev Every call word carries bit 63 and a spend pair's first word has bits 0 to 63 zero, so a
    /// reader finds where the spends start; a value word is skipped by its call's hasValue, even with
    /// bit 63 set (10 ether is above 2^63 wei): here the USDC call word, the value call word, its
    /// value, then two spend pairs.
    function test_KeyExecuted_CallWordsMarked_SpendsFollowValueWord() public {
        Policies memory p = _limit(_allow(_usdcOnly(), bob, VALUE_CALL), NATIVE_TOKEN, 20 ether, DAY);
        uint176 keyId = _key(acct, agent, p);
        vm.recordLogs();
        _send(_keyOp(keyId, _two(_usdcTo(bob, 1 * USDC), _call(bob, 10 ether, ""))));
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32[] memory r;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(hook) && logs[i].topics[0] == FunctorPolicyHookBase.KeyExecuted.selector) {
                r = AuditWords.words(logs[i].data);
            }
        }
        assertEq(r.length, 7, "two call words, a value word, two spend pairs");
        assertEq(uint256(r[0]) >> 63 & 1, 1, "a call word");
        assertEq(uint256(r[1]) >> 63 & 1, 1, "a call word");
        assertEq(uint256(r[2]), 10 ether, "its value word follows");
        assertEq(uint256(r[2]) >> 63 & 1, 1, "bit 63 set in the value word too");
        assertEq(uint64(uint256(r[3])), 0, "a spend pair's first word");
        (CallRecord[] memory calls, SpendRecord[] memory spends) = AuditWords.decode(r);
        assertEq(calls.length, 2);
        assertEq(calls[1].value, 10 ether);
        assertEq(spends.length, 2);
        assertEq(spends[1].counted, 10 ether);
        assertEq(spends[1].limit, 20 ether);
    }

    function test_KeyExecuted_NotEmittedWhenRefused() public {
        uint176 keyId = _key(acct, agent, _usdcOnly());
        vm.recordLogs();
        _send(_keyOp(keyId, _pay(101 * USDC)));
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            assertTrue(logs[i].emitter != address(hook), "no event of the hook");
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 P-256
    //////////////////////////////////////////////////////////////*/

    function _p256Op(uint176 keyId, uint256 pk, uint256 x, uint256 y) internal view returns (PackedUserOperation memory op) {
        op = _op(acct, _opCalldata(acct, _executeCalldata(keyId, _pay(10 * USDC))));
        (bytes32 r, bytes32 s) = vm.signP256(pk, ep.getUserOpHash(op));
        op.signature = abi.encodePacked(uint8(1), r, s, x, y);
    }

    function test_P256Signer() public {
        uint256 pk = 0xC0FFEE;
        (uint256 x, uint256 y) = vm.publicKeyP256(pk);
        bytes32 signer = keyStore.p256SignerId(bytes32(x), bytes32(y));
        assertEq(signer, keccak256(abi.encode(x, y)));

        bytes32[] memory signers = new bytes32[](1);
        signers[0] = signer;
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(address(acct), 0, "");
        vm.startPrank(address(acct));
        uint176 keyId = keyStore.register(bytes32("p256"), signers, auths);
        hookConfig.setPolicies(keyId, _usdcOnly());
        vm.stopPrank();

        PackedUserOperation memory op = _p256Op(keyId, pk, x, y);
        vm.expectEmit(true, true, true, false, address(hook));
        AuditWords.emitKeyExecuted(
            address(acct), keyId, signer, new bytes32[](0)
        );
        _expectOk(op);
        assertEq(usdc.balanceOf(bob), 10 * USDC);

        // Signed by another P-256 key, claiming the registered public key: does not verify.
        op = _p256Op(keyId, 0xBEEF, x, y);
        _expectFailedOp(op, "AA24 signature error");
        // Signed by another P-256 key with its own public key: verifies, but is not a signer.
        (uint256 x2, uint256 y2) = vm.publicKeyP256(0xBEEF);
        op = _p256Op(keyId, 0xBEEF, x2, y2);
        _expectFailedOp(op, "AA24 signature error");
    }
}

/// @dev A key whose policies setUp wrote, in a transaction of its own: the test's ops meet an
/// account whose configuration nothing wrote in their transaction (CONFIG_WRITTEN clear).
abstract contract ConfigUnchangedTest is PolicyOpsBase {
    uint176 internal keyId;
    uint176 internal otherKey;

    function setUp() public virtual override {
        super.setUp();
        keyId = _key(acct, agent, _usdcOnly());
        otherKey = _key(acct, makeAddr("other agent"), _usdcOnly());
    }

    /// @dev preCheck's common case does not read the validation word again when nothing wrote the
    /// account's configuration in the transaction, and validation takes it from the signer's word's
    /// terms cache (TermsCache): the op reads the word's own slot not at all, and runs. An edit in the same bundle sets the bit, and preCheck reads the word
    /// (test_RevertWhen_ExpiredBetweenValidationAndExecution_KeyExpired here, LeakedKeyHoles'
    /// test_Attack_EditInBundle_AnotherKeysOpBetween_StillRefused).
    function test_ConfigUnchanged_ValidationWordReadOnce() public {
        bytes32 word = new HookKeys().vcfgSlot(address(acct), keyId, 0);
        vm.record();
        _expectOk(_keyOp(keyId, _pay(1)));
        uint256 n = _readsOf(word);
        assertEq(n, 0, "validation takes the cache, preCheck no word");
        assertEq(usdc.balanceOf(bob), 1, "the op ran");
    }

    /// @dev How many of the hook's storage reads since vm.record() were of `slot`.
    function _readsOf(bytes32 slot) internal returns (uint256 n) {
        (bytes32[] memory reads,) = vm.accesses(address(hook));
        for (uint256 i; i < reads.length; ++i) {
            if (reads[i] == slot) ++n;
        }
    }

    /// @dev The same op after the owner edits another key's policies in the same bundle: the
    /// account's configuration was written, so preCheck reads this key's word from its slot (once in
    /// all: validation took the cache; the edit itself does not touch it). With the edit not marking
    /// the account, never.
    function test_EditInTheBundle_ValidationWordReadAgain() public {
        bytes32 word = new HookKeys().vcfgSlot(address(acct), keyId, 0);
        vm.record();
        (bool ok,) = _bundle(
            _ownerCall(address(hook), abi.encodeCall(FunctorPolicyConfig.setPolicies, (otherKey, _usdcOnly()))),
            _keyOp(keyId, _pay(1))
        );
        uint256 n = _readsOf(word);
        assertTrue(ok, "the op ran");
        assertEq(n, 1, "preCheck's read alone");
    }
}

contract ConfigUnchangedKernelTest is ConfigUnchangedTest {
    function _style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Kernel;
    }
}

contract ConfigUnchangedNexusTest is ConfigUnchangedTest {
    function _style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Nexus;
    }
}

contract ConfigUnchangedSafeTest is ConfigUnchangedTest {
    function _style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Safe;
    }
}

contract PolicyHookKernelTest is PolicyHookOpsTest {
    function _style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Kernel;
    }
}

contract PolicyHookNexusTest is PolicyHookOpsTest {
    function _style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Nexus;
    }
}

contract PolicyHookSafeTest is PolicyHookOpsTest {
    function _style() internal pure override returns (TestAccount.Style) {
        return TestAccount.Style.Safe;
    }
}

/*//////////////////////////////////////////////////////////////
              CONFIGURATION AND VIEWS (STYLE-AGNOSTIC)
//////////////////////////////////////////////////////////////*/

/// @notice setPolicies validation, the views, and the hook's entry checks, called directly.
contract PolicyHookConfigTest is PolicyHookHelpers {
    TestAccount internal acct;
    uint176 internal KEY;

    function setUp() public override {
        super.setUp();
        acct = _newAccount(TestAccount.Style.Nexus);
        KEY = _enabledKey(acct, "config");
    }

    function _expectSetRevert(Policies memory p, bytes memory err) internal {
        vm.prank(address(acct));
        vm.expectRevert(err);
        hookConfig.setPolicies(KEY, p);
    }

    // ---------------------------------------------------------------- InvalidPolicy

    function test_RevertWhen_GasCapsMissing() public {
        Policies memory p = _usdcOnly();
        p.gas.maxFeePerGas = 0;
        _expectSetRevert(p, _invalid("gas caps are mandatory"));
        p = _usdcOnly();
        p.gas.maxCostPerOp = 0;
        _expectSetRevert(p, _invalid("gas caps are mandatory"));
    }

    function test_RevertWhen_AnyTargetAnySelector() public {
        _expectSetRevert(_allow(_base(), ANY_TARGET, ANY_SELECTOR), _invalid("any target, any selector"));
    }

    function test_RevertWhen_TooManyCalls() public {
        Policies memory p = _base();
        for (uint160 i = 1; i <= 32; ++i) p = _allow(p, address(0x1000 + i), TRANSFER);
        vm.prank(address(acct));
        hookConfig.setPolicies(KEY, p);
        assertEq(hookConfig.policiesOf(address(acct), KEY).calls.length, 32);
        _expectSetRevert(_allow(p, address(0x2000), TRANSFER), _invalid("too many calls"));
    }

    function test_RevertWhen_TooManySpendLimits() public {
        Policies memory p = _base();
        for (uint160 i = 1; i <= 9; ++i) p = _limit(p, address(0x1000 + i), 1, DAY);
        _expectSetRevert(p, _invalid("too many spend limits"));
    }

    function test_RevertWhen_TooManyCustomPolicies() public {
        Policies memory p = _usdcOnly();
        p.customs = new address[](5);
        for (uint256 i; i < 5; ++i) p.customs[i] = address(new RecordingPolicy());
        _expectSetRevert(p, _invalid("too many custom policies"));
    }

    function test_RevertWhen_TokenListedTwice() public {
        _expectSetRevert(_limit(_usdcOnly(), address(usdc), 5, DAY), _invalid("token listed twice"));
    }

    function test_RevertWhen_RatePeriodZero() public {
        Policies memory p = _usdcOnly();
        p.rate = RateLimit({maxCalls: 3, period: 0});
        _expectSetRevert(p, _invalid("rate period is zero"));
    }

    function test_RevertWhen_SpendPeriodZero() public {
        _expectSetRevert(_limit(_base(), address(usdc), 5, 0), _invalid("spend period is zero"));
    }

    function test_RevertWhen_SlidingWithStart() public {
        _expectSetRevert(
            _limitAs(_base(), address(usdc), 5, DAY, PeriodKind.Sliding, 1), _invalid("start is for fixed periods")
        );
    }

    function test_RevertWhen_ValidUntilNotAfterValidAfter() public {
        Policies memory p = _usdcOnly();
        p.validAfter = 1000;
        p.validUntil = 1000;
        _expectSetRevert(p, _invalid("validUntil <= validAfter"));
        p.validUntil = 999;
        _expectSetRevert(p, _invalid("validUntil <= validAfter"));
    }

    function test_RevertWhen_CustomPolicyWithoutCode() public {
        Policies memory p = _usdcOnly();
        p.customs = new address[](1);
        p.customs[0] = alice;
        _expectSetRevert(p, _invalid("custom policy has no code"));
    }

    function test_RevertWhen_ForbiddenCallTarget() public {
        address[5] memory targets = [address(acct), address(keyStore), address(hook), address(validator), address(ep)];
        for (uint256 i; i < targets.length; ++i) {
            _expectSetRevert(_allow(_base(), targets[i], ANY_SELECTOR), _forbidden(targets[i]));
            _expectSetRevert(_allow(_base(), targets[i], TRANSFER), _forbidden(targets[i]));
        }
    }

    function test_RevertWhen_ForbiddenCustomPolicy() public {
        Policies memory p = _usdcOnly();
        p.customs = new address[](1);
        p.customs[0] = address(keyStore);
        _expectSetRevert(p, _forbidden(address(keyStore)));
    }

    function test_RevertWhen_SetPoliciesNotInstalled() public {
        TestAccount bare = new TestAccount(address(ep), owner, TestAccount.Style.Nexus);
        Policies memory p = _usdcOnly();
        bytes memory err = abi.encodeWithSelector(FunctorPolicyHookBase.NotInstalled.selector, address(bare));
        vm.startPrank(address(bare));
        vm.expectRevert(err);
        hookConfig.setPolicies(KEY, p);
        vm.expectRevert(err);
        hookConfig.clearPolicies(KEY);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- views

    function test_SetPolicies_EmitsAndRoundTrips() public {
        RecordingPolicy policy = new RecordingPolicy();
        Policies memory p = _allow(_usdcOnly(), address(dai), ANY_SELECTOR);
        p = _limitAs(p, NATIVE_TOKEN, 1 ether, 7 * DAY, PeriodKind.Fixed, uint32(block.timestamp));
        p.validAfter = 10;
        p.validUntil = uint48(block.timestamp + 1 days);
        p.rate = RateLimit({maxCalls: 5, period: 1 hours});
        p.gas = GasPolicy({maxFeePerGas: 7 gwei, maxCostPerOp: 0.02 ether, opCeiling: 77, budget: 1 ether, paymaster: bob});
        p.customs = new address[](1);
        p.customs[0] = address(policy);

        vm.expectEmit(true, true, true, true, address(hook));
        emit FunctorPolicyHookBase.PoliciesSet(address(acct), KEY);
        vm.prank(address(acct));
        hookConfig.setPolicies(KEY, p);

        Policies memory got = hookConfig.policiesOf(address(acct), KEY);
        assertEq(abi.encode(got), abi.encode(p));
        assertEq(hookConfig.policiesOf(address(acct), KEY + 1).calls.length, 0, "another key has none");
        assertEq(hookConfig.policiesOf(bob, KEY).calls.length, 0, "another account has none");

        (SpendLimit[] memory limits, uint256[] memory used, uint256[] memory resetsAt) = hookConfig.spendUsage(address(acct), KEY);
        assertEq(limits.length, 2);
        assertEq(limits[1].token, NATIVE_TOKEN);
        assertEq(used[0], 0);
        assertEq(resetsAt[0], 0, "sliding: no reset time");
        assertEq(resetsAt[1], block.timestamp + 7 days);
        (uint256 rUsed, uint256 rMax) = hookConfig.rateUsage(address(acct), KEY);
        assertEq(rUsed, 0);
        assertEq(rMax, 5);
    }

    function test_SetPolicies_ReplacesCalls() public {
        vm.startPrank(address(acct));
        hookConfig.setPolicies(KEY, _allow(_base(), address(usdc), TRANSFER));
        hookConfig.setPolicies(KEY, _allow(_base(), address(dai), TRANSFER));
        vm.stopPrank();
        assertFalse(hookConfig.isCallAllowed(address(acct), KEY, address(usdc), TRANSFER), "old call removed");
        assertTrue(hookConfig.isCallAllowed(address(acct), KEY, address(dai), TRANSFER));
    }

    function test_IsCallAllowed() public {
        Policies memory p = _allow(_base(), address(usdc), TRANSFER);
        p = _allow(p, address(dai), ANY_SELECTOR);
        p = _allow(p, ANY_TARGET, APPROVE);
        vm.prank(address(acct));
        hookConfig.setPolicies(KEY, p);

        assertTrue(hookConfig.isCallAllowed(address(acct), KEY, address(usdc), TRANSFER), "exact");
        assertFalse(hookConfig.isCallAllowed(address(acct), KEY, address(usdc), TRANSFER_FROM));
        assertTrue(hookConfig.isCallAllowed(address(acct), KEY, address(dai), TRANSFER_FROM), "any selector");
        assertTrue(hookConfig.isCallAllowed(address(acct), KEY, bob, APPROVE), "any target");
        assertFalse(hookConfig.isCallAllowed(address(acct), KEY, bob, TRANSFER));
        // ANY_TARGET never covers a forbidden target.
        assertFalse(hookConfig.isCallAllowed(address(acct), KEY, address(acct), APPROVE));
        assertFalse(hookConfig.isCallAllowed(address(acct), KEY, address(keyStore), APPROVE));
        assertFalse(hookConfig.isCallAllowed(address(acct), KEY, address(validator), APPROVE));
        // Per key and per account.
        assertFalse(hookConfig.isCallAllowed(address(acct), KEY + 1, address(usdc), TRANSFER));
        assertFalse(hookConfig.isCallAllowed(bob, KEY, address(usdc), TRANSFER));
    }

    function test_Usage_EmptyWithoutPolicies() public view {
        (SpendLimit[] memory limits,,) = hookConfig.spendUsage(address(acct), KEY);
        assertEq(limits.length, 0);
        (uint256 used, uint256 max) = hookConfig.rateUsage(address(acct), KEY);
        assertEq(used, 0);
        assertEq(max, 0);
    }

    /// @dev hook.checkCallsWhenValidating() for acct, KEY, mode 0 and `data` (no ticket hash, no
    /// signer), its arguments in src/lib/ValidationCheck.sol's layout, written here from that
    /// description: whether it answered, and its answer or revert data.
    function _checkCallsRaw(bytes memory data) internal returns (bool ok, bytes memory answer) {
        bytes memory call = abi.encodePacked(
            FunctorPolicyHook.checkCallsWhenValidating.selector,
            abi.encode(address(acct), KEY, bytes32(0), bytes32(0), bytes32(0), data.length),
            data
        );
        (ok, answer) = address(hook).call(call);
    }

    /// @dev _checkCallsRaw's two words, which must come back.
    function _checkCalls(bytes memory data) internal returns (uint256 w, uint256 x) {
        (bool ok, bytes memory answer) = _checkCallsRaw(data);
        assertTrue(ok, "checkCallsWhenValidating answered");
        (w, x) = abi.decode(answer, (uint256, uint256));
    }

    function test_CheckValidation_ReturnsConfig() public {
        Policies memory p = _usdcOnly();
        p.validAfter = 5;
        p.gas.budget = 7;
        p.gas.paymaster = address(0xBEEF);
        vm.prank(address(acct));
        hookConfig.setPolicies(KEY, p);
        // mode 0: a single call; data: target ‖ value ‖ calldata (ERC-7579 single execution)
        bytes memory data = abi.encodePacked(address(usdc), uint256(0), abi.encodeCall(IERC20.transfer, (bob, 1)));
        vm.prank(address(validator));
        (uint256 w, uint256 x) = _checkCalls(data);
        assertTrue(ValidationWord.active(w));
        assertEq(ValidationWord.validAfter(w), 5);
        assertEq(ValidationWord.validUntil(w), p.validUntil);
        assertEq(ValidationWord.maxFeePerGas(w), p.gas.maxFeePerGas);
        assertEq(ValidationWord.maxCostPerOp(w), p.gas.maxCostPerOp);
        assertEq(ValidationWord.opCeiling(w), p.gas.opCeiling);
        assertEq(ValidationWord.gasBudget(x), 7);
        assertEq(ValidationWord.paymaster(x), address(0xBEEF));
        // Without a budget or a paymaster, the second word is not read: 0.
        p.gas.budget = 0;
        p.gas.paymaster = address(0);
        vm.prank(address(acct));
        hookConfig.setPolicies(KEY, p);
        vm.prank(address(validator));
        (w, x) = _checkCalls(data);
        assertFalse(ValidationWord.hasSecond(w));
        assertEq(x, 0);

        bytes memory approveData = abi.encodePacked(address(usdc), uint256(0), abi.encodeCall(IERC20.approve, (bob, 1)));
        vm.prank(address(validator));
        (bool ok, bytes memory reason) = _checkCallsRaw(approveData);
        assertFalse(ok, "a call outside the allowlist");
        assertEq(reason, _callErr(KEY, address(usdc), APPROVE));

        // Only FunctorValidator may call it: it leaves the ticket preCheck trusts.
        (ok, reason) = _checkCallsRaw(data);
        assertFalse(ok, "a stranger's call");
        assertEq(reason, abi.encodeWithSelector(FunctorPolicyHookBase.OnlyValidator.selector, address(this)));
    }

    // ---------------------------------------------------------------- module

    function test_InstallUninstall_EventsAndInitialized() public {
        TestAccount a = new TestAccount(address(ep), owner, TestAccount.Style.Nexus);
        assertFalse(hookConfig.isInitialized(address(a)));
        vm.expectEmit(true, true, true, true, address(hook));
        emit FunctorPolicyHookBase.Installed(address(a));
        vm.prank(address(a));
        a.installModule(4, address(hook), AS_HOOK);
        assertTrue(hookConfig.isInitialized(address(a)));
        vm.expectEmit(true, true, true, true, address(hook));
        emit FunctorPolicyHookBase.Uninstalled(address(a));
        vm.prank(address(a));
        a.uninstallModule(4, address(hook), "");
        assertFalse(hookConfig.isInitialized(address(a)));
    }

    function test_Metadata() public view {
        assertTrue(hookConfig.isModuleType(4));
        assertTrue(hookConfig.isModuleType(1), "the module is the validator too");
        assertFalse(hookConfig.isModuleType(2));
        assertEq(hookConfig.name(), "FunctorPolicyHook");
        assertEq(hookConfig.version(), "0.1.0");
        // answered by the configuration code through the hook's fallback
        assertEq(address(hookConfig.keyStore()), address(keyStore));
        assertEq(hookConfig.entryPoint(), address(ep));
        assertEq(address(hook.functorValidator()), address(validator));
        assertEq(hookConfig.MAX_CALLS(), 32);
        assertEq(hookConfig.MAX_SPENDS(), 8);
        assertEq(hookConfig.MAX_CUSTOMS(), 4);
    }

    // ---------------------------------------------------------------- preCheck entry

    function _keyedExecute() internal view returns (bytes memory) {
        return _executeCalldata(KEY, _one(_transfer(address(usdc), bob, 1)));
    }

    function test_PreCheck_NonKeyedCallPassesEmpty() public {
        vm.prank(address(acct));
        bytes memory ret = IERC7579Hook(address(hook)).preCheck(owner, 0, abi.encodeWithSelector(0xe9ae5c53, bytes32(0), hex""));
        assertEq(ret.length, 0);
        vm.prank(address(acct));
        ret = IERC7579Hook(address(hook)).preCheck(address(ep), 0, abi.encodeWithSignature("installModule(uint256,address,bytes)", 1, bob, ""));
        assertEq(ret.length, 0);
    }

    function test_RevertWhen_PreCheckKeyedCallNotFromEntryPoint() public {
        bytes memory data = _keyedExecute();
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.KeyedCallNotFromEntryPoint.selector, owner));
        IERC7579Hook(address(hook)).preCheck(owner, 0, data);
    }

    function test_RevertWhen_PreCheckKeyedCallWithoutTicket() public {
        bytes memory data = _keyedExecute();
        vm.prank(address(acct));
        vm.expectRevert(abi.encodeWithSelector(FunctorPolicyHookBase.NoTicket.selector, address(acct)));
        IERC7579Hook(address(hook)).preCheck(address(ep), 0, data);
    }

    function test_RevertWhen_PreCheckKeyedCallWithBadTrailingBytes() public {
        bytes memory data = abi.encodePacked(_keyedExecute(), bytes10(0));
        vm.prank(address(acct));
        vm.expectRevert(ExecutionParser.NonCanonicalCalldata.selector);
        IERC7579Hook(address(hook)).preCheck(address(ep), 0, data);
    }
}
