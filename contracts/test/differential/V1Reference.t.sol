// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {IEntryPoint} from "account-abstraction/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {FunctorTest, TestAccount, IUserOpValidator} from "../utils/FunctorTest.sol";
import {V1Modules} from "./V1Modules.sol";
import {BytesWords} from "../utils/BytesWords.sol";
import {AuditWords, CallRecord, SpendRecord} from "../utils/AuditWords.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {FunctorPolicyHook} from "../../src/FunctorPolicyHook.sol";
import {FunctorPolicyHookBase} from "../../src/FunctorPolicyHookBase.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {Execution, ExecutionParser} from "../../src/lib/ExecutionParser.sol";
import {
    ArgCondition,
    ArgOp,
    CallPermission,
    SpendLimit,
    RateLimit,
    Policies,
    PeriodKind,
    NATIVE_TOKEN,
    ANY_SELECTOR
} from "../../src/lib/PolicyTypes.sol";

/// @dev A wildcard target (the key may call any selector on it): `ping` emits or refuses, `pull`
/// takes tokens through an allowance (a spend the calldata does not show, only the balance).
contract Sink {
    event Pinged(address indexed from, uint256 x, uint256 value);

    error Refused(uint256 x);

    function ping(uint256 x) external payable {
        if (x % 3 == 0) revert Refused(x);
        emit Pinged(msg.sender, x, msg.value);
    }

    function pull(IERC20 token, address from, uint256 amount) external {
        require(token.transferFrom(from, address(this), amount), "pull");
    }

    fallback() external payable {}

    receive() external payable {}
}

/// @title The differential safety net for contracts v2 (issue 17, DESIGN 2.4)
/// @notice The REFERENCE is contracts/src as it was at git commit 99ce67f (the last commit before
/// the v2 hot paths), frozen as creation bytecode in test/reference/v1.json by
/// `node scripts/freeze-reference.mjs` and deployed here by V1Modules: test only, never deployed
/// nor shipped, and no duplicated source (its source is git history at that commit). Side 0 runs
/// the reference, side 1 runs src; both on ONE KeyStore (src's, which the reference calls through
/// the same ABI), the same EntryPoint and tokens, with a TestAccount each of the same style and owner
/// and the same starting balances. Each account registers its own key (it is the key's controller),
/// so a lifecycle change (revoke, disable, rotate) is that account's own owner op, landing in the
/// same bundle as its session op (one key enabled on both accounts would be revoked or rotated for
/// both sides at once, by one controller, outside either side's bundle); the keyIds differ, so
/// every compared word equal to side 0's keyId, account, hook or validator is replaced by side 1's
/// before comparing. What may differ by design is gas: native balances are compared with what each
/// account paid for gas added back, and the EntryPoint's events (gas, userOpHash) are not compared
/// but read for each op's success and revert reason.
/// From a seed: generated policies, then steps (warps, some onto a bucket or period boundary;
/// session ops single or batch; mutated session ops; a lifecycle change right before a session op
/// in one handleOps), and per step, side against side: the validation result called directly
/// (validation data or revert data), handleOps reverted or not and its revert data (FailedOp /
/// FailedOpWithRevert, the inner error), each op's success and revert reason, every log but the
/// EntryPoint's (KeyExecuted decoded: signer, the calls listed, spends words), the balances moved, and the
/// views (policiesOf, spendUsage, rateUsage, isInitialized, gasSpent).
contract V1ReferenceTest is FunctorTest {
    uint256 internal constant STEPS = 8;
    uint256 internal constant NRECIPIENTS = 5;
    /// @dev Periods drawn for spend and rate limits: small ones so that runs cross boundaries.
    uint32[9] internal periods = [uint32(24), 25, 47, 48, 100, 240, 1000, 3600, 1 days];

    /// @dev One side of the comparison: 0 the reference (v1), 1 src.
    struct Side {
        TestAccount acct;
        FunctorPolicyHook hook;
        /// @dev What validates its UserOps: v1's FunctorValidator, src's hook (one module).
        IUserOpValidator opValidator;
        uint176 keyId;
        uint256 signerPk;
        bool hookOn;
        uint256 gasPaid;
    }

    /// @dev What one side did in one step, normalized to side 1's words.
    struct Outcome {
        bytes probe;
        bool reverted;
        bytes revertData;
        bool[] ok;
        bytes[] reasons;
        bytes[] logs;
        bytes[] keyExecuted;
        int256[] deltas;
    }

    /// @dev A spend or rate window's geometry, for warps onto its boundaries.
    struct Geo {
        uint32 period;
        PeriodKind kind;
        uint32 start;
    }

    Side[2] internal sides;
    V1Modules.Deployed internal v1;
    Sink internal sink;
    address internal carol = address(0xCA201);
    address internal dave = address(0xDA7E);
    uint256 internal agentPk = 0xA6E27;
    uint256 internal agent2Pk = 0xA6E272;
    uint256 internal strangerPk = 0x57A27;

    bytes32 internal rng;
    uint256 internal saltCount;
    /// @dev Side 0's words and side 1's, replaced one by the other before comparing.
    bytes32[] internal substFrom;
    bytes32[] internal substTo;
    Geo[] internal geos;
    /// @dev The call kinds (see _execution) the last policies set allow.
    uint8[] internal allowedKinds;
    /// @dev The limits of the last policies set, per token (USDC, DAI, native), to draw amounts near.
    uint256[3] internal lims;
    string internal where;

    /// @dev How often each outcome was reached on side 1 (test_Differential_ReachesEveryOutcome).
    uint256[11] internal seen;
    /// @dev KeyExecuted events in which v2 logged a run of calls as one word (test_Differential_RunOfOneCall).
    uint256 internal runsLogged;
    string[11] internal seenNames = [
        string("bundle refused in validation"),
        "session op executed",
        "session op reverted in execution",
        "batch executed",
        "mutated op refused in validation",
        "mutated op executed",
        "lifecycle change between validation and execution",
        "... and the session op then reverted",
        "validation data returned (probe)",
        "warp onto a boundary",
        "spend counted (KeyExecuted)"
    ];

    error ProbeResult(bool ok, bytes ret);

    function setUp() public override {
        super.setUp();
        v1 = V1Modules.deploy(keyStore, address(ep));
        sink = new Sink();
        assertEq(address(FunctorPolicyConfig(address(v1.hook)).keyStore()), address(keyStore), "v1 hook's KeyStore");
        // v1's validator answers its hook under the old getter's name (src's is policyHook())
        (bool ok, bytes memory ret) = address(v1.validator).staticcall(abi.encodeWithSignature("hook()"));
        assertTrue(ok, "v1 validator's hook()");
        assertEq(abi.decode(ret, (address)), address(v1.hook), "v1 validator's hook");
        assertTrue(address(v1.hook) != address(hook), "two hooks");
    }

    /// forge-config: default.fuzz.runs = 160
    function testFuzz_Differential_Kernel(uint256 seed) public {
        _run(TestAccount.Style.Kernel, seed);
    }

    /// forge-config: default.fuzz.runs = 160
    function testFuzz_Differential_Nexus(uint256 seed) public {
        _run(TestAccount.Style.Nexus, seed);
    }

    /// forge-config: default.fuzz.runs = 160
    function testFuzz_Differential_Safe(uint256 seed) public {
        _run(TestAccount.Style.Safe, seed);
    }

    /// @dev The generator reaches every kind of outcome, on 12 seeds (4 per style): a differential
    /// test whose ops all failed the same way would compare little. Prints the counts.
    function test_Differential_ReachesEveryOutcome() public {
        uint256[11] memory total;
        for (uint256 seed = 1; seed <= 12; ++seed) {
            uint256 snap = vm.snapshotState();
            this.runSeed(uint8(seed % 3), seed);
            for (uint256 i; i < total.length; ++i) {
                total[i] += seen[i];
            }
            vm.revertToState(snap);
        }
        for (uint256 i; i < total.length; ++i) {
            emit log_named_uint(seenNames[i], total[i]);
            assertGt(total[i], 0, seenNames[i]);
        }
    }

    /// @dev A batch that repeats one target and selector, around another call (USDC, USDC, DAI,
    /// USDC, USDC to alice), which v2's common path logs as three call words with repeat counts:
    /// the same outcome, the same events with the calls listed, the same usage as v1, on each
    /// account convention. The fuzz reaches such runs only now and then (the common path wants
    /// exact entries and at most two limits).
    function test_Differential_RunOfOneCall() public {
        for (uint8 style; style < 3; ++style) {
            uint256 snap = vm.snapshotState();
            this.runOfOneCall(style);
            vm.revertToState(snap);
        }
    }

    function runOfOneCall(uint8 style) external {
        require(msg.sender == address(this), "runOfOneCall");
        rng = keccak256(abi.encode("run of one call", style));
        _setUpSides(TestAccount.Style(style));
        Policies memory p;
        p.calls = new CallPermission[](2);
        p.calls[0] = CallPermission(address(usdc), IERC20.transfer.selector);
        p.calls[1] = CallPermission(address(dai), IERC20.transfer.selector);
        p.spends = new SpendLimit[](1);
        p.spends[0] = SpendLimit(address(usdc), uint96(100 * USDC), 1 days, PeriodKind.Sliding, 0);
        p.gas = _gas();
        _grantBoth(p);
        CallSpec[] memory calls = new CallSpec[](5);
        uint8[5] memory kinds = [0, 0, 2, 0, 0];
        for (uint256 i; i < 5; ++i) {
            calls[i] = CallSpec(kinds[i], 0, (i + 1) * (kinds[i] == 2 ? 1 ether : USDC), 0);
        }
        where = "run of one call";
        (uint256 batches, uint256 runs, uint256 counted) = (seen[3], runsLogged, seen[10]);
        _stepSessionWith(calls, 0, 2, type(uint256).max);
        assertEq(seen[3], batches + 1, "the batch executed");
        assertEq(runsLogged, runs + 1, "v2 logged a run as one word");
        assertEq(seen[10], counted + 1, "the spend counted");
        _compareViews();
    }

    /// @dev One run in its own call frame (its own memory), for test_Differential_ReachesEveryOutcome.
    function runSeed(uint8 style, uint256 seed) external {
        require(msg.sender == address(this), "runSeed");
        _run(TestAccount.Style(style), seed);
    }

    // ------------------------------------------------------------------ the run

    function _run(TestAccount.Style style, uint256 seed) internal {
        rng = keccak256(abi.encode(seed, style));
        _setUpSides(style);
        _grantBoth(_genPolicies());
        for (uint256 i; i < STEPS; ++i) {
            if (_r(2) == 0) vm.warp(block.timestamp + _r(60));
            uint256 k = _r(10);
            if (k < 2) {
                where = string.concat("step ", vm.toString(i), " (warp)");
                _warp();
            } else if (k < 5) {
                where = string.concat("step ", vm.toString(i), " (session op)");
                _stepSession(false, type(uint256).max);
            } else if (k < 7) {
                where = string.concat("step ", vm.toString(i), " (mutated session op)");
                _stepSession(true, type(uint256).max);
            } else {
                uint256 kind = _lifecycleKind();
                where = string.concat("step ", vm.toString(i), " (lifecycle ", vm.toString(kind), " + session op)");
                _stepSession(_r(3) == 0, kind);
            }
            _compareViews();
        }
    }

    /// @dev The agent's key on both sides' accounts, with policies `p`.
    function _grantBoth(Policies memory p) internal {
        for (uint256 s; s < 2; ++s) {
            Side storage sd = sides[s];
            bytes32[] memory signers = new bytes32[](1);
            signers[0] = _signerId(vm.addr(agentPk));
            KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
            auths[0] = KeyStore.EnableAuth(address(sd.acct), 0, "");
            vm.startPrank(address(sd.acct));
            sd.keyId = keyStore.register(bytes32(0), signers, auths);
            FunctorPolicyConfig(address(sd.hook)).setPolicies(sd.keyId, p);
            vm.stopPrank();
            sd.signerPk = agentPk;
        }
        _subst(bytes32(uint256(sides[0].keyId)), bytes32(uint256(sides[1].keyId)));
        _noteGeometry(p);
        where = "after grant";
        _compareViews();
    }

    function _setUpSides(TestAccount.Style style) internal {
        sides[0].acct = _newAccountV1(style);
        sides[0].hook = v1.hook;
        sides[0].opValidator = IUserOpValidator(address(v1.validator));
        sides[1].acct = _newAccount(style);
        sides[1].hook = hook;
        sides[1].opValidator = opValidator;
        for (uint256 s; s < 2; ++s) {
            dai.mint(address(sides[s].acct), 10_000 ether);
            sides[s].hookOn = true;
        }
        _subst(_word(address(sides[0].acct)), _word(address(sides[1].acct)));
        _subst(_word(address(v1.hook)), _word(address(hook)));
        _subst(_word(address(v1.validator)), _word(address(validator)));
        _subst(_word(address(v1.config)), _word(FunctorPolicyConfig(address(hook)).config()));
    }

    /// @dev FunctorTest._newAccount with the reference's modules.
    function _newAccountV1(TestAccount.Style style) internal returns (TestAccount a) {
        a = new TestAccount(address(ep), owner, style);
        vm.deal(address(a), 100 ether);
        usdc.mint(address(a), 10_000 * USDC);
        vm.startPrank(address(a));
        a.installModule(1, address(v1.validator), "");
        a.installModule(4, address(v1.hook), "");
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ randomness

    function _r(uint256 n) internal returns (uint256) {
        rng = keccak256(abi.encode(rng));
        return uint256(rng) % n;
    }

    function _period() internal returns (uint32) {
        return periods[_r(periods.length)];
    }

    // ------------------------------------------------------------------ policies

    /// @dev Calls among USDC.transfer, USDC.approve, DAI.transfer, any selector on the sink, native
    /// value to alice; spend limits on USDC, DAI, native (sliding or fixed); sometimes a rate limit,
    /// a start, an expiry, argument conditions (payees, a cap per call), a gas budget.
    function _genPolicies() internal returns (Policies memory p) {
        CallPermission[5] memory menu = [
            CallPermission(address(usdc), IERC20.transfer.selector),
            CallPermission(address(usdc), IERC20.approve.selector),
            CallPermission(address(dai), IERC20.transfer.selector),
            CallPermission(address(sink), ANY_SELECTOR),
            CallPermission(alice, bytes4(0))
        ];
        bool[5] memory take;
        uint256 n;
        for (uint256 i; i < 5; ++i) {
            take[i] = _r(4) != 0;
            if (take[i]) ++n;
        }
        if (n == 0) (take[0], n) = (true, 1);
        p.calls = new CallPermission[](n);
        n = 0;
        for (uint256 i; i < 5; ++i) {
            if (take[i]) p.calls[n++] = menu[i];
        }

        address[3] memory tokens = [address(usdc), address(dai), NATIVE_TOKEN];
        uint256[3] memory units = [USDC, 1 ether, 0.01 ether];
        SpendLimit[3] memory sl;
        n = 0;
        for (uint256 i; i < 3; ++i) {
            lims[i] = 100 * units[i];
            if (_r(3) == 0) continue;
            uint96 limit = uint96((1 + _r(500)) * units[i] + _r(units[i]));
            uint32 period = _period();
            PeriodKind kind = _r(2) == 0 ? PeriodKind.Sliding : PeriodKind.Fixed;
            uint32 start;
            if (kind == PeriodKind.Fixed) {
                start = _r(5) == 0 ? uint32(block.timestamp + _r(120)) : uint32(block.timestamp - _r(3 * uint256(period)));
            }
            sl[n++] = SpendLimit(tokens[i], limit, period, kind, start);
            lims[i] = limit;
        }
        p.spends = new SpendLimit[](n);
        for (uint256 i; i < n; ++i) {
            p.spends[i] = sl[i];
        }

        if (_r(3) == 0) p.rate = RateLimit(uint32(1 + _r(4)), _period());
        if (_r(6) == 0) p.validAfter = uint48(block.timestamp + _r(200));
        if (_r(3) == 0) p.validUntil = uint48(uint256(p.validAfter == 0 ? block.timestamp : p.validAfter) + 30 + _r(2 days));
        p.gas = _gas();
        if (_r(6) == 0) p.gas.budget = 0.02 ether;
        p.conditions = _genConditions(take[0], take[2]);
    }

    /// @dev On USDC.transfer (if allowed): recipient OneOf payees, amount AtMost; on DAI.transfer,
    /// sometimes the recipient Equal one payee. One call's conditions adjacent.
    function _genConditions(bool usdcTransfer, bool daiTransfer) internal returns (ArgCondition[] memory c) {
        ArgCondition[3] memory all;
        uint256 n;
        if (usdcTransfer && _r(3) == 0) {
            uint256 k = 1 + _r(3);
            bytes32[] memory payees = new bytes32[](k);
            address[3] memory who = [alice, bob, carol];
            for (uint256 i; i < k; ++i) {
                payees[i] = _word(who[i]);
            }
            all[n++] = ArgCondition(address(usdc), IERC20.transfer.selector, 0, ArgOp.OneOf, payees);
        }
        if (usdcTransfer && _r(3) == 0) {
            bytes32[] memory cap = new bytes32[](1);
            cap[0] = bytes32(1 + _r(lims[0]));
            all[n++] = ArgCondition(address(usdc), IERC20.transfer.selector, 1, ArgOp.AtMost, cap);
        }
        if (daiTransfer && _r(4) == 0) {
            bytes32[] memory one = new bytes32[](1);
            one[0] = _word(bob);
            all[n++] = ArgCondition(address(dai), IERC20.transfer.selector, 0, ArgOp.Equal, one);
        }
        c = new ArgCondition[](n);
        for (uint256 i; i < n; ++i) {
            c[i] = all[i];
        }
    }

    function _noteGeometry(Policies memory p) internal {
        delete allowedKinds;
        for (uint256 i; i < p.calls.length; ++i) {
            CallPermission memory c = p.calls[i];
            if (c.target == address(usdc)) allowedKinds.push(c.selector == IERC20.transfer.selector ? 0 : 1);
            else if (c.target == address(dai)) allowedKinds.push(2);
            else if (c.target == address(sink)) allowedKinds.push(3); // ping (pull: below)
            else allowedKinds.push(5);
            if (c.target == address(sink)) allowedKinds.push(4);
        }
        delete geos;
        for (uint256 i; i < p.spends.length; ++i) {
            geos.push(Geo(p.spends[i].period, p.spends[i].kind, p.spends[i].start));
        }
        if (p.rate.maxCalls != 0) geos.push(Geo(p.rate.period, PeriodKind.Sliding, 0));
        if (p.validAfter != 0) geos.push(Geo(0, PeriodKind.Fixed, uint32(p.validAfter)));
        if (p.validUntil != 0) geos.push(Geo(0, PeriodKind.Fixed, uint32(p.validUntil)));
    }

    // ------------------------------------------------------------------ warps

    /// @dev A jump, or onto a boundary (one second before, on it, one after): a sliding window's
    /// next bucket or a whole period on, a fixed period's next start, validAfter or validUntil.
    function _warp() internal {
        uint256 t = block.timestamp;
        if (geos.length == 0 || _r(4) == 0) {
            vm.warp(t + 1 + _r(_r(2) == 0 ? 3 days : 600));
            return;
        }
        Geo memory g = geos[_r(geos.length)];
        uint256 b;
        if (g.period == 0) {
            b = g.start; // validAfter / validUntil
        } else if (g.kind == PeriodKind.Sliding) {
            uint256 w = (uint256(g.period) + 23) / 24;
            b = _r(2) == 0 ? (t / w + 1 + _r(3)) * w : t + g.period;
        } else {
            b = t < g.start ? g.start : g.start + ((t - g.start) / g.period + 1 + _r(2)) * uint256(g.period);
        }
        b = b + _r(3);
        if (b > 0) b -= 1;
        if (b > t) {
            vm.warp(b);
            ++seen[9];
        }
    }

    // ------------------------------------------------------------------ session ops

    /// @dev One call of a session op, independent of the side (built per side by _exec).
    struct CallSpec {
        uint8 kind;
        uint8 to;
        uint256 amount;
        uint256 value;
    }

    function _recipient(uint256 i, Side storage sd) internal view returns (address) {
        if (i == 0) return alice;
        if (i == 1) return bob;
        if (i == 2) return carol;
        if (i == 3) return dave;
        if (i == 4) return address(sink);
        return address(sd.acct);
    }

    /// @dev Mostly well under the limit (so that ops run and windows fill), sometimes zero, half
    /// of it, exactly it, one over, or anything up to three times it.
    function _amount(uint256 lim) internal returns (uint256) {
        uint256 k = _r(12);
        if (k < 6) return 1 + _r(lim / 8 + 1);
        if (k == 6) return 0;
        if (k == 7) return 1 + _r(lim / 2 + 1);
        if (k == 8) return lim;
        if (k == 9) return lim + 1;
        return _r(3 * lim + 1);
    }

    /// @dev 1 to 5 calls (a single call half the time): token transfers and approvals, the sink's
    /// ping (sometimes with value) and pull, native value, and calls no policy allows. Half the ops
    /// are "clean" (allowed calls, to alice, small amounts, runs of one kind), so that batches run too.
    function _genCalls() internal returns (CallSpec[] memory calls) {
        uint256 n = _r(2) == 0 ? 1 : 1 + _r(5);
        calls = new CallSpec[](n);
        bool clean = _r(2) == 0;
        for (uint256 i; i < n; ++i) {
            CallSpec memory c = calls[i];
            if (clean) {
                // half the time the previous call's kind again: a run of one target and selector,
                // which v2's common path logs as one word
                c.kind = uint8(i > 0 && _r(2) == 0 ? calls[i - 1].kind : _allowedKind());
                uint256 lim = lims[c.kind == 2 ? 1 : c.kind == 5 ? 2 : 0];
                c.amount = c.kind == 3 ? 1 + 3 * _r(30) : 1 + _r(lim / 16 + 1);
                if (c.kind == 5) c.value = 1 + _r(lims[2] / 16 + 1);
                if (c.kind == 1 || c.kind == 4) {
                    // approve the sink, which pulls: amounts of any size, and a pull mostly within
                    // the allowance (equal on both sides), so that a pull (a spend only the balance
                    // shows) can overrun a window the approval already counted in
                    c.to = 4;
                    c.amount = _amount(lim);
                    uint256 allowance = usdc.allowance(address(sides[1].acct), address(sink));
                    if (c.kind == 4 && allowance != 0 && _r(3) != 0) c.amount = _r(2) == 0 ? allowance : 1 + _r(allowance);
                }
                continue;
            }
            c.kind = uint8(_r(4) == 0 ? _r(8) : _allowedKind());
            c.to = uint8(_r(2) == 0 ? 0 : _r(NRECIPIENTS));
            if (c.kind == 0 || c.kind == 1 || c.kind == 4) c.amount = _amount(lims[0]);
            else if (c.kind == 2 || c.kind == 6) c.amount = _amount(lims[1]);
            else c.amount = _r(100);
            if (c.kind == 5 || (c.kind == 3 && _r(3) == 0)) c.value = _amount(lims[2]);
            if (c.kind == 5 && _r(4) != 0) c.to = 0; // mostly the allowed recipient
        }
    }

    /// @dev A call kind the last policies set allow (USDC.transfer when they allow none).
    function _allowedKind() internal returns (uint256) {
        uint256 n = allowedKinds.length;
        if (n == 0) return 0;
        return allowedKinds[_r(n)];
    }

    function _execution(CallSpec memory c, Side storage sd) internal view returns (Execution memory e) {
        address to = _recipient(c.to, sd);
        if (c.kind == 0) return Execution(address(usdc), 0, abi.encodeCall(IERC20.transfer, (to, c.amount)));
        if (c.kind == 1) return Execution(address(usdc), 0, abi.encodeCall(IERC20.approve, (to, c.amount)));
        if (c.kind == 2) return Execution(address(dai), 0, abi.encodeCall(IERC20.transfer, (to, c.amount)));
        if (c.kind == 3) return Execution(address(sink), c.value, abi.encodeCall(Sink.ping, (c.amount)));
        if (c.kind == 4) {
            return Execution(address(sink), 0, abi.encodeCall(Sink.pull, (IERC20(address(usdc)), address(sd.acct), c.amount)));
        }
        if (c.kind == 5) return Execution(to, c.value, "");
        if (c.kind == 6) return Execution(address(dai), 0, abi.encodeCall(IERC20.approve, (to, c.amount)));
        return Execution(address(usdc), 0, abi.encodeCall(IERC20.transferFrom, (address(sd.acct), to, c.amount)));
    }

    /// @dev A session op (mutated or not), preceded in the same handleOps by an owner op making the
    /// lifecycle change `lifecycle` (none: type(uint256).max). When the bundle reverts (the session
    /// op failed validation), the owner op is sent alone, so the change still lands (compared too).
    function _stepSession(bool mutate, uint256 lifecycle) internal {
        CallSpec[] memory calls = _genCalls();
        uint256 mutation = mutate ? 1 + _r(11) : 0;
        _stepSessionWith(calls, mutation, _r(12), lifecycle);
    }

    /// @dev signerChoice 0: a stranger signs; 1: the other agent key; else the key's signer.
    function _stepSessionWith(CallSpec[] memory calls, uint256 mutation, uint256 signerChoice, uint256 lifecycle)
        internal
    {
        bool mutate = mutation != 0;
        Policies memory p;
        if (lifecycle == 3 || lifecycle == 7 || lifecycle == 8) p = _genPolicies();
        if (lifecycle == 7) {
            // the new keyIds are known before the transaction (its KeyRegistered event names them)
            bytes32 salt = bytes32(saltCount + 1);
            _subst(
                bytes32(uint256(keyStore.keyIdFor(address(sides[0].acct), salt))),
                bytes32(uint256(keyStore.keyIdFor(address(sides[1].acct), salt)))
            );
        }
        bytes32 saved = rng;
        PackedUserOperation[][2] memory ops;
        Outcome[2] memory o;
        for (uint256 s; s < 2; ++s) {
            rng = saved; // both sides draw the same mutation bytes
            Side storage sd = sides[s];
            bool withOwner = lifecycle != type(uint256).max;
            ops[s] = new PackedUserOperation[](withOwner ? 2 : 1);
            if (withOwner) ops[s][0] = _ownerOp(sd.acct, _lifecycleExecs(sd, lifecycle, p));
            PackedUserOperation memory op = _op(sd.acct, _sessionCalldata(sd, calls, mutation));
            // the key's lane on this side's validator (FunctorTest._op routes to src's module)
            op.nonce = ep.getNonce(address(sd.acct), _nonceKey(sd.acct, address(sd.opValidator), uint16(sd.keyId)));
            uint256 pk = signerChoice == 0 ? strangerPk : signerChoice == 1 ? _otherAgent(sd.signerPk) : sd.signerPk;
            op.signature = _signSession(op, pk);
            ops[s][withOwner ? 1 : 0] = op;
            o[s].probe = _probe(s, op);
        }
        for (uint256 s; s < 2; ++s) {
            Outcome memory x = _exec(s, ops[s]);
            x.probe = o[s].probe;
            o[s] = x;
        }
        _compare(o[0], o[1]);
        _count(o[1], mutate, lifecycle != type(uint256).max, calls.length > 1);
        if (lifecycle == type(uint256).max) return;
        if (o[1].reverted) {
            string memory w = where;
            where = string.concat(w, ", owner op alone");
            for (uint256 s; s < 2; ++s) {
                PackedUserOperation[] memory alone = new PackedUserOperation[](1);
                alone[0] = _ownerOp(sides[s].acct, _lifecycleExecs(sides[s], lifecycle, p));
                o[s] = _exec(s, alone);
            }
            _compare(o[0], o[1]);
            where = w;
        }
        if (o[1].reverted || !o[1].ok[0]) return;
        for (uint256 s; s < 2; ++s) {
            if (!o[s].reverted && o[s].ok[0]) _applyLifecycle(sides[s], lifecycle);
        }
        if (lifecycle == 3 || lifecycle == 7 || lifecycle == 8) _noteGeometry(p);
    }

    function _count(Outcome memory o, bool mutated, bool withOwner, bool batch) internal {
        (bool probeOk,) = abi.decode(o.probe, (bool, bytes));
        if (probeOk) ++seen[8];
        if (o.reverted) {
            ++seen[0];
            if (mutated) ++seen[4];
            return;
        }
        bool ok = o.ok[o.ok.length - 1];
        if (ok) {
            ++seen[1];
            if (batch) ++seen[3];
            if (mutated) ++seen[5];
        } else {
            ++seen[2];
        }
        if (withOwner && o.ok[0]) {
            ++seen[6];
            if (!ok) ++seen[7];
        }
        for (uint256 i; i < o.keyExecuted.length; ++i) {
            (,,,, bytes32[] memory spends) = abi.decode(o.keyExecuted[i], (bytes32, bytes32, bytes32, CallRecord[], bytes32[]));
            for (uint256 j; j < spends.length; j += 2) {
                if (uint96(uint256(spends[j])) != 0) ++seen[10];
            }
        }
    }

    function _otherAgent(uint256 pk) internal view returns (uint256) {
        return pk == agentPk ? agent2Pk : agentPk;
    }

    /// @dev The op's `execute` calldata (with Kernel's prefix), after `mutation` (0: none).
    function _sessionCalldata(Side storage sd, CallSpec[] memory calls, uint256 mutation)
        internal
        returns (bytes memory)
    {
        Execution[] memory execs = new Execution[](calls.length);
        for (uint256 i; i < calls.length; ++i) {
            execs[i] = _execution(calls[i], sd);
        }
        uint256 m = _r(execs.length);
        if (mutation == 1) {
            // dirty upper bits on the first argument (an address for transfers, approvals, pull)
            bytes memory cd = execs[m].callData;
            if (cd.length >= 36) cd[4 + _r(12)] = bytes1(uint8(1 + _r(255)));
        } else if (mutation == 2) {
            // trailing bytes after a call's calldata
            execs[m].callData = bytes.concat(execs[m].callData, _junk(1 + _r(40)));
        } else if (mutation == 3) {
            // short calldata: under a selector, or a selector without all its arguments
            bytes memory cd = execs[m].callData;
            uint256 keep = _r(2) == 0 ? 1 + _r(3) : 4 + _r(60);
            if (keep < cd.length) {
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    mstore(cd, keep)
                }
            }
        }
        bytes memory exec = _executeCalldata(sd.keyId, execs);
        if (mutation >= 4) exec = _mutateExecute(exec, execs.length > 1, mutation);
        return _opCalldata(sd.acct, exec);
    }

    /// @dev Mutations of the `execute(mode, data)` calldata itself.
    function _mutateExecute(bytes memory cd, bool isBatch, uint256 mutation) internal returns (bytes memory) {
        if (mutation == 4) {
            // trailing bytes after execute (20: what Safe7579 appends)
            return bytes.concat(cd, _junk(_r(2) == 0 ? 20 : 1 + _r(40)));
        }
        if (mutation == 5) {
            // a non-canonical offset of `data`: 0x60, with a word of junk before it
            return bytes.concat(_slice(cd, 0, 36), bytes32(uint256(0x60)), _junk(32), _slice(cd, 68, cd.length));
        }
        if (mutation == 6 && isBatch) {
            // aliasing: the second execution's offset points at the first's
            BytesWords.put(cd, 100 + 96, BytesWords.at(cd, 100 + 64));
            return cd;
        }
        if (mutation == 7) {
            // dirty padding: the last byte of the calldata (a single call: the padding after
            // `data`; a batch: the padding after its last execution's calldata)
            cd[cd.length - 1] = bytes1(uint8(cd[cd.length - 1]) | 0x01);
            return cd;
        }
        if (mutation == 8 && isBatch) {
            // dirty upper bits of an execution's target word in the batch
            uint256 n = uint256(BytesWords.at(cd, 100 + 32));
            uint256 off = uint256(BytesWords.at(cd, 100 + 64 + 32 * _r(n)));
            cd[100 + 64 + off + _r(12)] = bytes1(uint8(1 + _r(255)));
            return cd;
        }
        if (mutation == 9) {
            // the mode: exec type try, unused bytes, delegatecall, or an unknown call type
            uint256 k = _r(4);
            if (k == 0) cd[4 + 1] = 0x01;
            else if (k == 1) cd[4 + 2 + _r(4)] = bytes1(uint8(1 + _r(255)));
            else if (k == 2) cd[4] = 0xff;
            else cd[4] = 0xfe;
            return cd;
        }
        if (mutation == 10 && !isBatch) {
            // a single call's data shorter than target + value
            uint256 keep = _r(52);
            return bytes.concat(_slice(cd, 0, 68), bytes32(keep), _slice(cd, 100, 100 + keep), _pad(keep));
        }
        if (mutation == 11 && isBatch) {
            // a batch whose array length claims one execution more
            BytesWords.put(cd, 100 + 32, bytes32(uint256(BytesWords.at(cd, 100 + 32)) + 1));
            return cd;
        }
        // the mutation does not apply to this shape: junk in the last padding byte of the calldata
        cd[cd.length - 1] = bytes1(uint8(cd[cd.length - 1]) ^ 0x80);
        return cd;
    }

    function _junk(uint256 n) internal returns (bytes memory b) {
        b = new bytes(n);
        for (uint256 i; i < n; ++i) {
            b[i] = bytes1(uint8(_r(256)));
        }
    }

    function _pad(uint256 n) internal pure returns (bytes memory) {
        return new bytes((32 - (n % 32)) % 32);
    }

    function _slice(bytes memory b, uint256 from, uint256 to) internal pure returns (bytes memory out) {
        out = new bytes(to - from);
        for (uint256 i; i < out.length; ++i) {
            out[i] = b[from + i];
        }
    }


    // ------------------------------------------------------------------ lifecycle

    /// @dev 0 revoke, 1 disable, 2 rotate the signer, 3 new policies, 4 clear policies, 5 uninstall
    /// the hook, 6 enable again, 7 a new key with new policies, 8 reinstall the hook with policies.
    function _lifecycleKind() internal returns (uint256) {
        if (!sides[1].hookOn && _r(2) == 0) return 8;
        uint8[16] memory weighted = [0, 1, 1, 2, 2, 3, 3, 3, 4, 5, 6, 6, 7, 7, 7, 7];
        return weighted[_r(16)];
    }

    function _lifecycleExecs(Side storage sd, uint256 kind, Policies memory p)
        internal
        view
        returns (Execution[] memory x)
    {
        address a = address(sd.acct);
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(a, 0, "");
        x = new Execution[](kind >= 7 ? 2 : 1);
        if (kind == 0) {
            x[0] = Execution(address(keyStore), 0, abi.encodeCall(KeyStore.revoke, (sd.keyId)));
        } else if (kind == 1) {
            x[0] = Execution(address(keyStore), 0, abi.encodeCall(KeyStore.disable, (sd.keyId, a)));
        } else if (kind == 2) {
            bytes32 from = _signerId(vm.addr(sd.signerPk));
            bytes32 to = _signerId(vm.addr(_otherAgent(sd.signerPk)));
            x[0] = Execution(address(keyStore), 0, abi.encodeCall(KeyStore.rotateSigner, (sd.keyId, from, to)));
        } else if (kind == 3) {
            x[0] = Execution(address(sd.hook), 0, abi.encodeCall(FunctorPolicyConfig.setPolicies, (sd.keyId, p)));
        } else if (kind == 4) {
            x[0] = Execution(address(sd.hook), 0, abi.encodeCall(FunctorPolicyConfig.clearPolicies, (sd.keyId)));
        } else if (kind == 5) {
            x[0] = Execution(a, 0, abi.encodeCall(TestAccount.uninstallModule, (4, address(sd.hook), "")));
        } else if (kind == 6) {
            x[0] = Execution(address(keyStore), 0, abi.encodeCall(KeyStore.enable, (sd.keyId, auths)));
        } else if (kind == 7) {
            bytes32[] memory signers = new bytes32[](1);
            signers[0] = _signerId(vm.addr(sd.signerPk));
            bytes32 salt = bytes32(saltCount + 1);
            uint176 next = keyStore.keyIdFor(a, salt);
            x[0] = Execution(address(keyStore), 0, abi.encodeCall(KeyStore.register, (salt, signers, auths)));
            x[1] = Execution(address(sd.hook), 0, abi.encodeCall(FunctorPolicyConfig.setPolicies, (next, p)));
        } else {
            x[0] = Execution(a, 0, abi.encodeCall(TestAccount.installModule, (4, address(sd.hook), AS_HOOK)));
            x[1] = Execution(address(sd.hook), 0, abi.encodeCall(FunctorPolicyConfig.setPolicies, (sd.keyId, p)));
        }
    }

    function _applyLifecycle(Side storage sd, uint256 kind) internal {
        if (kind == 2) sd.signerPk = _otherAgent(sd.signerPk);
        else if (kind == 5) sd.hookOn = false;
        else if (kind == 8) sd.hookOn = true;
        else if (kind == 7) sd.keyId = keyStore.keyIdFor(address(sd.acct), bytes32(saltCount + 1));
        if (kind == 7 && sd.acct == sides[1].acct) ++saltCount;
    }

    // ------------------------------------------------------------------ running and observing

    /// @dev The validator's answer to `op` called directly as the account (validation data, or
    /// the revert data normalized), with every effect rolled back (transient storage too: the
    /// probe reverts).
    function _probe(uint256 s, PackedUserOperation memory op) internal returns (bytes memory) {
        try this.probeValidation(address(sides[s].opValidator), op) {
            revert("probe did not revert");
        } catch (bytes memory err) {
            require(bytes4(err) == ProbeResult.selector, "probe");
            (bool ok, bytes memory ret) = abi.decode(_slice(err, 4, err.length), (bool, bytes));
            return abi.encode(ok, ok ? ret : _normRevert(s, ret));
        }
    }

    /// @dev Called by _probe only: validates as the account, then reverts with the result.
    function probeValidation(address v, PackedUserOperation calldata op) external {
        require(msg.sender == address(this), "probe");
        bytes32 h = ep.getUserOpHash(op);
        vm.prank(op.sender);
        (bool ok, bytes memory ret) = v.call(abi.encodeCall(IUserOpValidator.validateUserOp, (op, h)));
        revert ProbeResult(ok, ret);
    }

    function _exec(uint256 s, PackedUserOperation[] memory ops) internal returns (Outcome memory o) {
        Side storage sd = sides[s];
        uint256[] memory before = _recipientBalances(sd);
        vm.recordLogs();
        try ep.handleOps(ops, beneficiary) {}
        catch (bytes memory err) {
            o.reverted = true;
            o.revertData = _normRevert(s, err);
        }
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256[] memory afterB = _recipientBalances(sd);
        o.deltas = new int256[](before.length);
        for (uint256 i; i < before.length; ++i) {
            o.deltas[i] = int256(afterB[i]) - int256(before[i]);
        }
        o.ok = new bool[](ops.length);
        o.reasons = new bytes[](ops.length);
        o.logs = new bytes[](logs.length);
        o.keyExecuted = new bytes[](logs.length);
        uint256 nOps;
        uint256 nLogs;
        uint256 nKeyExec;
        bytes memory reason;
        for (uint256 i; i < logs.length; ++i) {
            Vm.Log memory lg = logs[i];
            if (lg.emitter == address(ep)) {
                if (lg.topics[0] == IEntryPoint.UserOperationRevertReason.selector) {
                    (, reason) = abi.decode(lg.data, (uint256, bytes));
                } else if (lg.topics[0] == IEntryPoint.UserOperationEvent.selector) {
                    (, bool success, uint256 cost,) = abi.decode(lg.data, (uint256, bool, uint256, uint256));
                    assertEq(address(uint160(uint256(lg.topics[2]))), address(sd.acct), "op sender");
                    sd.gasPaid += cost;
                    o.ok[nOps] = success;
                    o.reasons[nOps++] = _normRevert(s, reason);
                    reason = "";
                }
                continue;
            }
            bool keyExecuted = lg.emitter == address(sd.hook)
                && (lg.topics[0] == FunctorPolicyHookBase.KeyExecuted.selector || lg.topics[0] == AuditWords.V1_KEY_EXECUTED);
            if (keyExecuted) {
                // compared as data too, in v1's form (two arrays; v2 logs one record, its call words
                // marked and its spend pairs in another order) with the calls one word per call (v2's
                // common path logs a run of one target and selector as one word with a repeat count)
                (CallRecord[] memory calls, SpendRecord[] memory spends) = AuditWords.parse(lg.topics[0], lg.data);
                if (s == 1 && calls.length > AuditWords.callWordCount(AuditWords.words(lg.data))) ++runsLogged;
                lg.topics[0] = AuditWords.V1_KEY_EXECUTED;
                lg.data = abi.encode(AuditWords.callsV1(calls), AuditWords.spendsV1(spends));
            }
            o.logs[nLogs++] = _normLog(s, lg);
            if (keyExecuted) o.keyExecuted[nKeyExec++] = _decodeKeyExecuted(s, lg);
        }
        if (!o.reverted) assertEq(nOps, ops.length, "one UserOperationEvent per op");
        _shrink(o.logs, nLogs);
        _shrink(o.keyExecuted, nKeyExec);
    }

    /// @dev KeyExecuted decoded, in v1's form (account, keyId, signer, calls, spends) as _outcome
    /// normalized it (contracts/README.md, "the audit event"); its spend words must keep counted <= used <= limit < 2^96.
    function _decodeKeyExecuted(uint256 s, Vm.Log memory lg) internal view returns (bytes memory) {
        (bytes32[] memory calls, bytes32[] memory spends) = abi.decode(lg.data, (bytes32[], bytes32[]));
        assertEq(spends.length % 2, 0, "spends: two words per limit");
        for (uint256 j; j < spends.length; j += 2) {
            uint256 counted = uint96(uint256(spends[j]));
            uint256 used = uint256(spends[j + 1]) >> 128;
            uint256 limit = uint128(uint256(spends[j + 1]));
            assertTrue(counted <= used && used <= limit && limit < 2 ** 96, "counted <= used <= limit");
        }
        // the calls as a list (a word's repeat count expanded: v2's common path logs a run of one
        // target and selector as one word, v1 a word per call)
        return abi.encode(_norm(s, lg.topics[1]), _norm(s, lg.topics[2]), lg.topics[3], AuditWords.decodeCalls(calls), spends);
    }

    function _shrink(bytes[] memory a, uint256 n) internal pure {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(a, n)
        }
    }

    /// @dev USDC, DAI and native balances of the recipients (shared by the sides: compared as deltas).
    function _recipientBalances(Side storage sd) internal view returns (uint256[] memory b) {
        b = new uint256[](3 * NRECIPIENTS);
        for (uint256 i; i < NRECIPIENTS; ++i) {
            address r = _recipient(i, sd);
            b[3 * i] = usdc.balanceOf(r);
            b[3 * i + 1] = dai.balanceOf(r);
            b[3 * i + 2] = r.balance;
        }
    }

    function _compare(Outcome memory a, Outcome memory b) internal view {
        assertEq(_worded(a.probe, b.probe), b.probe, string.concat(where, ": validation called directly"));
        assertEq(a.reverted, b.reverted, string.concat(where, ": handleOps reverted"));
        assertEq(_worded(a.revertData, b.revertData), b.revertData, string.concat(where, ": handleOps revert data"));
        assertEq(a.ok.length, b.ok.length, string.concat(where, ": ops"));
        for (uint256 i; i < a.ok.length; ++i) {
            assertEq(a.ok[i], b.ok[i], string.concat(where, ": op ", vm.toString(i), " succeeded"));
            assertEq(a.reasons[i], b.reasons[i], string.concat(where, ": op ", vm.toString(i), " revert reason"));
        }
        assertEq(a.keyExecuted.length, b.keyExecuted.length, string.concat(where, ": KeyExecuted events"));
        for (uint256 i; i < a.keyExecuted.length; ++i) {
            assertEq(a.keyExecuted[i], b.keyExecuted[i], string.concat(where, ": KeyExecuted decoded"));
        }
        assertEq(a.logs.length, b.logs.length, string.concat(where, ": logs"));
        for (uint256 i; i < a.logs.length; ++i) {
            assertEq(a.logs[i], b.logs[i], string.concat(where, ": log ", vm.toString(i)));
        }
        for (uint256 i; i < a.deltas.length; ++i) {
            assertEq(a.deltas[i], b.deltas[i], string.concat(where, ": a recipient's balance moved"));
        }
    }

    /// @dev The one refusal v2 words differently, on purpose: a batch that is not canonical ABI (a
    /// target with dirty upper bits, an offset out of bounds) made v1's ABI decoder revert with no
    /// data in validation; v2's hand-written ExecutionParser.strictBatch refuses every non-canonical
    /// batch with NonCanonicalCalldata() (test/unit/StrictBatch.t.sol: the same verdict on every
    /// mutation). Only then is v1's `a` taken as v2's `b`; any other difference stays one.
    function _worded(bytes memory a, bytes memory b) internal pure returns (bytes memory) {
        bytes memory ncc = abi.encodeWithSelector(ExecutionParser.NonCanonicalCalldata.selector);
        if (keccak256(a) == keccak256(abi.encode(false, bytes(""))) && keccak256(b) == keccak256(abi.encode(false, ncc))) {
            return b; // validateUserOp called directly
        }
        bytes4 failed = IEntryPoint.FailedOpWithRevert.selector;
        if (a.length < 4 || bytes4(a) != failed || b.length < 4 || bytes4(b) != failed) return a;
        (uint256 ia, string memory ra, bytes memory innerA) = abi.decode(_slice(a, 4, a.length), (uint256, string, bytes));
        (uint256 ib, string memory rb, bytes memory innerB) = abi.decode(_slice(b, 4, b.length), (uint256, string, bytes));
        bool same = ia == ib && keccak256(bytes(ra)) == keccak256(bytes(rb));
        return same && innerA.length == 0 && keccak256(innerB) == keccak256(ncc) ? b : a;
    }

    /// @dev The accounts' balances (native: with what each paid for gas added back, as gas differs
    /// by design) and allowances, and the views of the hook and the validator on every keyId used.
    function _compareViews() internal view {
        Side storage a = sides[0];
        Side storage b = sides[1];
        address aa = address(a.acct);
        address ba = address(b.acct);
        assertEq(usdc.balanceOf(aa), usdc.balanceOf(ba), string.concat(where, ": USDC balance"));
        assertEq(dai.balanceOf(aa), dai.balanceOf(ba), string.concat(where, ": DAI balance"));
        assertEq(
            aa.balance + ep.balanceOf(aa) + a.gasPaid,
            ba.balance + ep.balanceOf(ba) + b.gasPaid,
            string.concat(where, ": native balance, gas paid added back")
        );
        for (uint256 i; i < NRECIPIENTS; ++i) {
            address r = _recipient(i, a);
            assertEq(usdc.allowance(aa, r), usdc.allowance(ba, r), string.concat(where, ": USDC allowance"));
            assertEq(dai.allowance(aa, r), dai.allowance(ba, r), string.concat(where, ": DAI allowance"));
        }
        assertEq(
            FunctorPolicyConfig(address(a.hook)).isInitialized(aa),
            FunctorPolicyConfig(address(b.hook)).isInitialized(ba), string.concat(where, ": hook installed"));
        for (uint256 k; k < substFrom.length; ++k) {
            if (k < 4) continue; // account, hook, validator, config: the keyIds follow
            uint176 ka = uint176(uint256(substFrom[k]));
            uint176 kb = uint176(uint256(substTo[k]));
            assertEq(a.opValidator.gasSpent(ka, aa), b.opValidator.gasSpent(kb, ba), string.concat(where, ": gasSpent"));
            _compareView(abi.encodeCall(FunctorPolicyConfig.policiesOf, (aa, ka)), abi.encodeCall(FunctorPolicyConfig.policiesOf, (ba, kb)), "policiesOf");
            _compareView(abi.encodeCall(FunctorPolicyConfig.spendUsage, (aa, ka)), abi.encodeCall(FunctorPolicyConfig.spendUsage, (ba, kb)), "spendUsage");
            _compareView(abi.encodeCall(FunctorPolicyConfig.rateUsage, (aa, ka)), abi.encodeCall(FunctorPolicyConfig.rateUsage, (ba, kb)), "rateUsage");
        }
    }

    function _compareView(bytes memory callA, bytes memory callB, string memory name) internal view {
        (bool okA, bytes memory retA) = address(sides[0].hook).staticcall(callA);
        (bool okB, bytes memory retB) = address(sides[1].hook).staticcall(callB);
        assertEq(okA, okB, string.concat(where, ": ", name, " reverted"));
        assertEq(okA ? retA : _normRevert(0, retA), retB, string.concat(where, ": ", name));
    }

    // ------------------------------------------------------------------ normalizing side 0's words

    function _word(address a) internal pure returns (bytes32) {
        return bytes32(uint256(uint160(a)));
    }

    function _subst(bytes32 from, bytes32 to) internal {
        substFrom.push(from);
        substTo.push(to);
    }

    function _norm(uint256 s, bytes32 w) internal view returns (bytes32) {
        if (s != 0) return w;
        for (uint256 i; i < substFrom.length; ++i) {
            if (w == substFrom[i]) return substTo[i];
        }
        return w;
    }

    /// @dev Replaces side 0's words in `b` from byte `from` on, word by word (ABI-aligned).
    function _normWords(uint256 s, bytes memory b, uint256 from) internal view returns (bytes memory out) {
        out = bytes.concat(b);
        if (s != 0) return out;
        for (uint256 off = from; off + 32 <= out.length; off += 32) {
            BytesWords.put(out, off, _norm(s, BytesWords.at(out, off)));
        }
    }

    /// @dev Revert data: an error's arguments word by word; the EntryPoint's FailedOpWithRevert
    /// with its inner revert data normalized in turn.
    function _normRevert(uint256 s, bytes memory d) internal view returns (bytes memory) {
        if (d.length < 4) return d;
        if (bytes4(d) == IEntryPoint.FailedOpWithRevert.selector) {
            (uint256 i, string memory reason, bytes memory inner) =
                abi.decode(_slice(d, 4, d.length), (uint256, string, bytes));
            return abi.encodeWithSelector(IEntryPoint.FailedOpWithRevert.selector, i, reason, _normRevert(s, inner));
        }
        return _normWords(s, d, 4);
    }

    function _normLog(uint256 s, Vm.Log memory lg) internal view returns (bytes memory) {
        bytes32[] memory topics = new bytes32[](lg.topics.length);
        for (uint256 i; i < topics.length; ++i) {
            topics[i] = _norm(s, lg.topics[i]);
        }
        return abi.encode(_norm(s, _word(lg.emitter)), topics, _normWords(s, lg.data, 0));
    }
}
