// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {SlidingWindow, FixedWindow} from "../../src/lib/SpendWindow.sol";

/// @dev Holds one SlidingWindow.State, as the hook does per (account, keyId, token). `spend` is what
/// the hook does in postCheck: add, then revert the whole thing when the window total is over the
/// limit (so a refused spend leaves no trace).
contract SlidingHarness {
    using SlidingWindow for SlidingWindow.State;

    SlidingWindow.State internal s;

    error Exceeded(uint256 total, uint256 limit);

    function spend(uint256 period, uint256 limit, uint256 amount) external returns (uint256 total) {
        total = s.add(period, block.timestamp, amount);
        if (total > limit) revert Exceeded(total, limit);
    }

    /// @dev `add(.., 0)`: moves the window to now without spending (must not change `used`).
    function touch(uint256 period) external returns (uint256) {
        return s.add(period, block.timestamp, 0);
    }

    function used(uint256 period) external view returns (uint256) {
        return s.used(period, block.timestamp);
    }
}

/// @dev Holds one FixedWindow.State.
contract FixedHarness {
    using FixedWindow for FixedWindow.State;

    FixedWindow.State internal s;

    error Exceeded(uint256 total, uint256 limit);

    function spend(uint256 start, uint256 period, uint256 limit, uint256 amount) external returns (uint256 total) {
        total = s.add(start, period, block.timestamp, amount);
        if (total > limit) revert Exceeded(total, limit);
    }

    function used(uint256 start, uint256 period) external view returns (uint256) {
        return s.used(start, period, block.timestamp);
    }

    function periodEnd(uint256 start, uint256 period) external view returns (uint256) {
        return FixedWindow.periodEnd(start, period, block.timestamp);
    }
}

/// @notice Fuzz tests of the spend rules (DESIGN 2), on the libraries themselves, against a reference
/// model that keeps every admitted spend with its timestamp.
///
/// What the sliding window promises, with B = 24 buckets of width w = ceil(period / 24):
/// - safety: no span (t - period, t] ever sees more than `limit` of admitted spends;
/// - `used(t)` is exactly the sum of the spends in buckets floor(t/w)-24 .. floor(t/w), hence
///   conservative (>= the exact sum over (t - period, t]) and never counting anything older than
///   25 buckets (<= the exact sum over (t - 25w, t]): it refuses at most one bucket early. When
///   24 divides the period (an hour, a day, a week...), 25w = period + width: the DESIGN's
///   "(t - period - width, t]". When it does not, 24w exceeds the period by at most 23 seconds,
///   and the bound is (t - 25w, t] (see testFuzz_Sliding_RoundedWidth).
/// - after 25w seconds (period + width when 24 divides it) without spends, `used` is 0.
contract SpendWindowFuzzTest is Test {
    SlidingHarness internal sliding;
    FixedHarness internal fixedW;

    uint256 internal constant STEPS = 48;
    uint256 internal constant B = 24;

    /// @dev The reference model: every admitted spend, in time order.
    struct Model {
        uint256[] times;
        uint256[] amounts;
        uint256 n;
    }

    function setUp() public {
        sliding = new SlidingHarness();
        fixedW = new FixedHarness();
    }

    /*//////////////////////////////////////////////////////////////
                                 HELPERS
    //////////////////////////////////////////////////////////////*/

    function _newModel(uint256 size) internal pure returns (Model memory m) {
        m.times = new uint256[](size);
        m.amounts = new uint256[](size);
    }

    function _record(Model memory m, uint256 t, uint256 amount) internal pure {
        m.times[m.n] = t;
        m.amounts[m.n] = amount;
        ++m.n;
    }

    /// @dev Sum of the admitted spends at times in [lo, t].
    function _sumIn(Model memory m, uint256 lo, uint256 t) internal pure returns (uint256 sum) {
        for (uint256 i = m.n; i > 0; --i) {
            uint256 ti = m.times[i - 1];
            if (ti < lo) break; // times are non-decreasing
            if (ti <= t) sum += m.amounts[i - 1];
        }
    }

    /// @dev Exact sum over the open-closed span (t - span, t].
    function _sumLast(Model memory m, uint256 span, uint256 t) internal pure returns (uint256) {
        return _sumIn(m, t + 1 > span ? t + 1 - span : 0, t);
    }

    /// @dev What the bucketed window counts at time t: buckets floor(t/w)-24 .. floor(t/w).
    function _sumBuckets(Model memory m, uint256 period, uint256 t) internal pure returns (uint256) {
        uint256 w = SlidingWindow.width(period);
        uint256 n = t / w;
        return _sumIn(m, n >= B ? (n - B) * w : 0, t);
    }

    function _rand(uint256 seed, uint256 i, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, i, salt)));
    }

    /// @dev A value in [lo, hi] (no console log, unlike bound: used in loops).
    function _between(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return lo + x % (hi - lo + 1);
    }

    /// @dev Periods worth testing: tiny (width 1, 24w > period), round (24 divides them: the DESIGN's
    /// case), or anything up to 30 days.
    function _period(uint256 seed) internal pure returns (uint256) {
        uint256 kind = seed % 4;
        if (kind == 0) return _between(seed >> 8, 1, 100);
        if (kind == 1) {
            uint256[5] memory round = [uint256(24), 1 hours, 1 days, 7 days, 30 days];
            return round[(seed >> 8) % 5];
        }
        if (kind == 2) return 24 * _between(seed >> 8, 1, 30 days / 24);
        return _between(seed >> 8, 1, 30 days);
    }

    /// @dev A time step: often inside one bucket, sometimes a period, sometimes long enough to
    /// expire everything.
    function _step(uint256 r, uint256 period) internal pure returns (uint256) {
        uint256 w = SlidingWindow.width(period);
        uint256 kind = r % 8;
        if (kind == 0) return 0;
        if (kind <= 3) return _between(r >> 8, 0, w);
        if (kind <= 6) return _between(r >> 8, 0, period);
        return _between(r >> 8, 0, 2 * (B + 1) * w);
    }

    /// @dev An amount: zero, all that is left, the whole limit, or anything up to the limit.
    function _amount(uint256 r, uint256 limit, uint256 left) internal pure returns (uint256) {
        uint256 kind = r % 8;
        if (kind == 0) return 0;
        if (kind == 1) return left;
        if (kind == 2) return limit;
        if (kind == 3) return left + 1;
        if (kind <= 5) return _between(r >> 8, 1, limit / 4 + 1);
        return _between(r >> 8, 1, limit);
    }

    /// @dev Checks `used(t)` against the model: exact per bucket, conservative, at most one bucket early.
    function _checkUsed(Model memory m, uint256 period, uint256 t) internal view returns (uint256 u) {
        uint256 w = SlidingWindow.width(period);
        u = sliding.used(period);
        assertEq(u, _sumBuckets(m, period, t), "used != sum of the last 25 buckets");
        assertGe(u, _sumLast(m, period, t), "used < exact sum over (t - period, t]: not conservative");
        assertLe(u, _sumLast(m, (B + 1) * w, t), "used counts spends older than 25 buckets");
        if (period % B == 0) {
            assertLe(u, _sumLast(m, period + w, t), "used > exact sum over (t - period - width, t]");
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 SLIDING
    //////////////////////////////////////////////////////////////*/

    /// @notice Random sequences of (time step, amount), each admitted only when the window total stays
    /// within the limit; checked at every step against the model.
    function testFuzz_Sliding_MatchesModel(uint256 seed, uint256 periodSeed, uint96 limitSeed, uint32 t0Seed) public {
        uint256 period = _period(periodSeed);
        uint256 limit = bound(limitSeed, 1, type(uint96).max);
        uint256 t = bound(t0Seed, 0, 1 << 31);
        Model memory m = _newModel(STEPS);

        for (uint256 i; i < STEPS; ++i) {
            t += _step(_rand(seed, i, 0), period);
            vm.warp(t);

            // (b) used() before the spend.
            uint256 u = _checkUsed(m, period, t);

            uint256 left = limit > u ? limit - u : 0;
            uint256 amount = _amount(_rand(seed, i, 1), limit, left);
            try sliding.spend(period, limit, amount) returns (uint256 total) {
                // The hook's preCheck uses used(), its postCheck add(): both must agree.
                assertEq(total, u + amount, "add() != used() + amount");
                assertLe(total, limit, "admitted over the limit");
                _record(m, t, amount);
                // (a) the window that ends at this spend: the max over all spans is reached at one.
                assertLe(_sumLast(m, period, t), limit, "a span of length period exceeds the limit");
            } catch {
                assertGt(u + amount, limit, "refused although the window had room");
                // Refuses at most one bucket early: even counting 25 whole buckets, it would not fit.
                uint256 w = SlidingWindow.width(period);
                assertGt(_sumLast(m, (B + 1) * w, t) + amount, limit, "refused more than one bucket early");
                if (period % B == 0) {
                    assertGt(_sumLast(m, period + w, t) + amount, limit, "refused before t - period - width");
                }
            }

            // add(.., 0) (what moving the window does) never changes the total.
            if (_rand(seed, i, 2) % 4 == 0) {
                uint256 before = sliding.used(period);
                assertEq(sliding.touch(period), before, "add(0) != used()");
                assertEq(sliding.used(period), before, "add(0) changed used()");
            }
            _checkUsed(m, period, t);
        }
    }

    /// @notice (c) After 25 bucket widths (period + width when 24 divides the period) without spends,
    /// nothing is counted any more, and the whole limit is available again; one second earlier, the
    /// last bucket still counts.
    function testFuzz_Sliding_ExpiresAfterPeriodPlusWidth(
        uint256 periodSeed,
        uint96 limitSeed,
        uint32 t0Seed,
        uint256 firstSeed,
        uint256 gapSeed,
        uint256 extraSeed
    ) public {
        uint256 period = _period(periodSeed);
        uint256 w = SlidingWindow.width(period);
        uint256 limit = bound(limitSeed, 1, type(uint96).max);
        uint256 t = bound(t0Seed, 0, 1 << 31);
        vm.warp(t);
        uint256 first = bound(firstSeed, 1, limit);
        sliding.spend(period, limit, first);

        // A second spend later in the same bucket, if any room is left.
        uint256 last = t - t % w + bound(gapSeed, t % w, w - 1);
        vm.warp(last);
        uint256 second = limit - first;
        sliding.spend(period, limit, second);

        // The last bucket expires at the start of bucket floor(last/w) + 25.
        uint256 expiry = (last / w + B + 1) * w;
        vm.warp(expiry - 1);
        assertEq(sliding.used(period), limit, "the last bucket expired early");
        if (first + second != 0) {
            vm.expectRevert();
            sliding.spend(period, limit, 1);
        }

        uint256 later = expiry + bound(extraSeed, 0, 10 * uint256(period));
        assertGe(later - last, period + 1, "expired before a period");
        vm.warp(later);
        assertEq(sliding.used(period), 0, "used not zero after 25 buckets");
        // The DESIGN's wording, for round periods: more than period + width seconds without spends.
        if (period % B == 0) assertLe(expiry - last, period + w, "period + width is not enough");
        assertEq(sliding.spend(period, limit, limit), limit, "the whole limit is not available again");
    }

    /// @notice The calendar-window attack (the limit at 23:59 and again at 00:01) never works: after
    /// spending the limit, not one unit more fits before a whole period has passed, at any offset
    /// inside the bucket.
    function testFuzz_Sliding_NoDoubleSpendAcrossBoundary(
        uint256 periodSeed,
        uint96 limitSeed,
        uint32 t0Seed,
        uint256 delaySeed
    ) public {
        uint256 period = _period(periodSeed);
        // Below the uint96 maximum, so that limit + 1 reaches the limit check.
        uint256 limit = bound(limitSeed, 1, type(uint96).max - 1);
        uint256 t = bound(t0Seed, 0, 1 << 31);
        vm.warp(t);
        sliding.spend(period, limit, limit);
        uint256 delay = bound(delaySeed, 0, period - 1);
        vm.warp(t + delay);
        vm.expectRevert(abi.encodeWithSelector(SlidingHarness.Exceeded.selector, limit + 1, limit));
        sliding.spend(period, limit, 1);
    }

    /// @notice Periods that 24 does not divide: the width is rounded up, so the 25 buckets span up to
    /// 23 seconds more than period + width. Still safe, and never more than 25 widths early.
    function testFuzz_Sliding_RoundedWidth(uint256 periodSeed, uint32 t0Seed) public {
        uint256 period = bound(periodSeed, 1, 30 days);
        uint256 w = SlidingWindow.width(period);
        assertGe(B * w, period, "24 buckets shorter than the period");
        assertLt(B * w - period, B, "rounding adds 24 seconds or more");
        // A spend at the very start of a bucket still counts 25w - 1 seconds later, and not at 25w.
        uint256 t = bound(t0Seed, 0, 1 << 31);
        t -= t % w;
        vm.warp(t);
        sliding.spend(period, 1, 1);
        vm.warp(t + (B + 1) * w - 1);
        assertEq(sliding.used(period), 1);
        vm.warp(t + (B + 1) * w);
        assertEq(sliding.used(period), 0);
    }

    /*//////////////////////////////////////////////////////////////
                                  FIXED
    //////////////////////////////////////////////////////////////*/

    /// @dev One fixed-window run (a struct: too many locals otherwise).
    struct FixedRun {
        uint256 start;
        uint256 period;
        uint256 limit;
        uint256 t;
        uint256 index; // current period index (type(uint256).max: none yet)
        uint256 spent; // admitted in the current period, per the model
    }

    /// @notice Random sequences on a fixed-period window: exact (no early refusal), never more than the
    /// limit per period, PeriodNotStarted before the start, `used` 0 at each new period.
    function testFuzz_Fixed_MatchesModel(
        uint256 seed,
        uint32 startSeed,
        uint256 periodSeed,
        uint96 limitSeed,
        uint256 leadSeed
    ) public {
        FixedRun memory f;
        f.start = bound(startSeed, 1, 1 << 31);
        f.period = bound(periodSeed, 1, 365 days);
        f.limit = bound(limitSeed, 1, type(uint96).max);
        // Begin up to one period before the start.
        f.t = f.start - bound(leadSeed, 0, f.period < f.start ? f.period : f.start);
        f.index = type(uint256).max;
        for (uint256 i; i < STEPS; ++i) {
            _fixedStep(f, _rand(seed, i, 0), _rand(seed, i, 1));
        }
    }

    function _fixedStep(FixedRun memory f, uint256 r, uint256 r2) internal {
        uint256 kind = r % 4;
        if (kind == 1) f.t += _between(r >> 8, 0, f.period);
        else if (kind == 2) f.t += _between(r >> 8, 0, f.period / 4 + 1);
        else if (kind == 3) f.t = f.t < f.start ? f.start : f.start + ((f.t - f.start) / f.period + 1) * f.period;
        vm.warp(f.t);

        uint256 amount = _amount(r2, f.limit, f.limit > f.spent ? f.limit - f.spent : 0);
        if (f.t < f.start) {
            assertEq(fixedW.used(f.start, f.period), 0, "used before start");
            assertEq(fixedW.periodEnd(f.start, f.period), f.start, "periodEnd before start");
            vm.expectRevert(abi.encodeWithSelector(FixedWindow.PeriodNotStarted.selector, f.start));
            fixedW.spend(f.start, f.period, f.limit, amount);
            return;
        }

        uint256 index = (f.t - f.start) / f.period;
        if (index != f.index) {
            f.index = index;
            f.spent = 0; // a new period: the whole limit again
        }
        assertEq(fixedW.used(f.start, f.period), f.spent, "used != spent this period");
        uint256 end = fixedW.periodEnd(f.start, f.period);
        assertEq(end, f.start + (index + 1) * f.period, "periodEnd");
        assertGt(end, f.t, "periodEnd not after now");

        bool fits = f.spent + amount <= f.limit;
        try fixedW.spend(f.start, f.period, f.limit, amount) returns (uint256 total) {
            assertTrue(fits, "admitted over the limit");
            f.spent += amount;
            assertEq(total, f.spent, "total != spent this period");
        } catch {
            assertFalse(fits, "refused although the period had room");
        }
        assertLe(f.spent, f.limit, "a period exceeds the limit");
        assertEq(fixedW.used(f.start, f.period), f.spent, "used != spent this period (after)");
    }

    /// @notice The full limit at each period start: spend it all anywhere in period k, nothing more
    /// fits in period k, and at the first second of period k+1 (and any later period) the full limit
    /// is available again. Before the start: PeriodNotStarted.
    function testFuzz_Fixed_FullLimitEachPeriod(
        uint32 startSeed,
        uint256 periodSeed,
        uint96 limitSeed,
        uint256 kSeed,
        uint256 offsetSeed,
        uint256 skipSeed
    ) public {
        uint256 start = bound(startSeed, 1, 1 << 31);
        uint256 period = bound(periodSeed, 1, 365 days);
        uint256 limit = bound(limitSeed, 1, type(uint96).max - 1);

        vm.warp(start - 1);
        vm.expectRevert(abi.encodeWithSelector(FixedWindow.PeriodNotStarted.selector, start));
        fixedW.spend(start, period, limit, 0);

        uint256 k = bound(kSeed, 0, 1000);
        uint256 periodStart = start + k * period;
        vm.warp(periodStart + bound(offsetSeed, 0, period - 1));
        assertEq(fixedW.spend(start, period, limit, limit), limit);
        vm.expectRevert(abi.encodeWithSelector(FixedHarness.Exceeded.selector, limit + 1, limit));
        fixedW.spend(start, period, limit, 1);

        // Last second of period k: still full.
        vm.warp(periodStart + period - 1);
        assertEq(fixedW.used(start, period), limit);

        uint256 next = periodStart + (1 + bound(skipSeed, 0, 3)) * period;
        vm.warp(next);
        assertEq(fixedW.used(start, period), 0, "not reset at the period start");
        assertEq(fixedW.spend(start, period, limit, limit), limit, "full limit not available at period start");
    }
}
