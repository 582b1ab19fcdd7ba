// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {SessionKeyHandler, GhostSpend} from "./handlers/SessionKeyHandler.sol";
import {FunctorPolicyHook} from "../../src/FunctorPolicyHook.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {SlidingWindow} from "../../src/lib/SpendWindow.sol";

/// @notice Invariants of the DESIGN's rules (section 2) under random sequences of real session-key
/// UserOps (through the EntryPoint v0.7, on Kernel-, Nexus- and Safe-style accounts), time warps,
/// signer rotations, owner transactions and revocations. See SessionKeyHandler.
contract SessionKeyInvariants is Test {
    SessionKeyHandler internal handler;
    FunctorPolicyHook internal hook;
    FunctorPolicyConfig internal hookConfig;
    KeyStore internal keyStore;
    uint256 internal n;

    function setUp() public {
        handler = new SessionKeyHandler();
        handler.setUp();
        handler.init();
        hook = handler.functorHook();
        hookConfig = FunctorPolicyConfig(address(hook));
        keyStore = handler.functorKeyStore();
        n = handler.N();

        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: handler.selectors()}));
    }

    /// @dev The chain at the handler's clock (forge does not promise warps persist between calls).
    function _sync() internal {
        vm.warp(handler.currentTime());
        vm.roll(handler.currentBlock());
    }

    /// @notice No window (t - period, t] over the recorded successful USDC spends sums above the
    /// limit. The maximum over all windows is reached at a window ending at a spend, so a two-pointer
    /// pass over the spends (in time order) checks every window.
    function invariant_SlidingWindowNeverExceedsLimit() public view {
        uint256 period = handler.SLIDING_PERIOD();
        uint256 limit = handler.SLIDING_LIMIT();
        for (uint256 i; i < n; ++i) {
            GhostSpend[] memory s = handler.slidingSpends(i);
            uint256 lo;
            uint256 sum;
            for (uint256 j; j < s.length; ++j) {
                if (j > 0) assertGe(s[j].time, s[j - 1].time, "ghost spends out of order");
                sum += s[j].amount;
                while (uint256(s[lo].time) + period <= s[j].time) {
                    sum -= s[lo].amount;
                    ++lo;
                }
                assertLe(sum, limit, "a span of one period saw more than the sliding limit");
            }
        }
    }

    /// @notice Per fixed period [start + k*period, start + (k+1)*period), recorded DAI spends <= limit,
    /// and nothing was spent before the start.
    function invariant_FixedPeriodNeverExceedsLimit() public view {
        uint256 start = handler.fixedStart();
        uint256 period = handler.FIXED_PERIOD();
        uint256 limit = handler.FIXED_LIMIT();
        for (uint256 i; i < n; ++i) {
            GhostSpend[] memory s = handler.fixedSpends(i);
            uint256 index = type(uint256).max;
            uint256 sum;
            for (uint256 j; j < s.length; ++j) {
                assertGe(s[j].time, start, "spent before the first period started");
                uint256 k = (s[j].time - start) / period;
                if (k != index) {
                    index = k;
                    sum = 0;
                }
                sum += s[j].amount;
                assertLe(sum, limit, "a fixed period saw more than the limit");
            }
        }
    }

    /// @notice Once a keyId is revoked: no keyed op of it ever passed validation (handleOps reverted
    /// for every attempt), none executed, and no recorded spend is in or after the revoke block.
    function invariant_RevokedKeyNeverValidatesNorExecutes() public view {
        for (uint256 i; i < n; ++i) {
            if (!handler.revoked(i)) continue;
            assertEq(keyStore.grantState(handler.keyId(i), address(handler.account(i))), 2, "not revoked on chain");
            assertEq(handler.successesAfterRevoke(i), 0, "a revoked key executed");
            assertEq(handler.validatedAfterRevoke(i), 0, "a revoked key passed validation");
            uint256 revokedAt = handler.revokeBlock(i);
            GhostSpend[] memory s = handler.slidingSpends(i);
            for (uint256 j; j < s.length; ++j) {
                assertLt(s[j].blockNumber, revokedAt, "USDC spent by a revoked key");
            }
            s = handler.fixedSpends(i);
            for (uint256 j; j < s.length; ++j) {
                assertLt(s[j].blockNumber, revokedAt, "DAI spent by a revoked key");
            }
        }
    }

    /// @notice The hook's usage for each keyId matches the ghost model however many times the signer
    /// was rotated: sliding, between the exact sums over (now - period, now] and
    /// (now - period - width, now]; fixed, exactly the sum spent in the current period.
    function invariant_NewSignerNeverResetsCounters() public {
        _sync();
        uint256 now_ = block.timestamp;
        uint256 period = handler.SLIDING_PERIOD();
        uint256 width = SlidingWindow.width(period);
        for (uint256 i; i < n; ++i) {
            (, uint256[] memory used,) = hookConfig.spendUsage(address(handler.account(i)), handler.keyId(i));
            GhostSpend[] memory s = handler.slidingSpends(i);
            assertGe(used[0], _sumSince(s, now_ + 1 - period), "sliding usage below the exact window: reset?");
            assertLe(used[0], _sumSince(s, now_ + 1 - period - width), "sliding usage above period + width");

            uint256 start = handler.fixedStart();
            uint256 fixedUsed;
            if (now_ >= start) {
                uint256 fperiod = handler.FIXED_PERIOD();
                fixedUsed = _sumSince(handler.fixedSpends(i), now_ - (now_ - start) % fperiod);
            }
            assertEq(used[1], fixedUsed, "fixed usage != spent this period: reset?");
        }
    }

    /// @notice Every owner op succeeded, whatever the state of the keys, and changed no Functor
    /// counter (spend usage, rate usage, gas budget).
    function invariant_OwnerTransactionsPassUntouched() public view {
        assertEq(handler.ownerFailures(), 0, "an owner op failed");
        assertEq(handler.ownerCounterChanges(), 0, "an owner op changed a Functor counter");
    }

    /// @notice A rotated-out signer (or one that never was) never passes validation.
    function invariant_RotatedOutSignerNeverValidates() public view {
        assertEq(handler.staleValidated(), 0, "an old signer passed validation");
    }

    /// @notice While a key is live, its current signer always passes validation and every outcome is
    /// the models' (refused exactly when the 25 buckets, or the fixed period, have no room; never
    /// more than one bucket early), and tokens move exactly as recorded.
    function invariant_LiveKeyFollowsTheModel() public view {
        assertEq(handler.liveValidationFailures(), 0, "the current signer was refused in validation");
        assertEq(handler.slidingModelMismatches(), 0, "sliding outcome differs from the bucket model");
        assertEq(handler.fixedModelMismatches(), 0, "fixed outcome differs from the model");
        assertEq(handler.earlyRefusals(), 0, "refused although (now - period - width, now] had room");
        assertEq(handler.balanceMismatches(), 0, "balances moved differently from what was recorded");
    }

    /// @notice The handler is not vacuous: a scripted sequence goes through every path (admitted,
    /// refused by the sliding and the fixed limit, rotation, stale signer, owner op, revoke).
    function test_HandlerExercisesEveryPath() public {
        uint256 usdc = 1e6;
        handler.warp(2 hours); // past the fixed start
        for (uint256 i; i < n; ++i) {
            handler.keyedTransferUsdc(i, 60 * usdc); // amounts within bounds pass unchanged
            handler.keyedTransferUsdc(i, 60 * usdc); // 120 > 100: refused
            handler.keyedTransferDai(i, 70 ether);
            handler.keyedTransferDai(i, 70 ether); // 140 > 100: refused
            handler.rotateSigner(i);
            handler.warp(6 hours);
            handler.keyedTransferUsdc(i, 40 * usdc); // new signer, same counters: 100 fits
            handler.keyedTransferUsdc(i, 0); // (0 is bound to 1) 1 unit more does not
            handler.staleSignerTransfer(i, 1);
            handler.ownerTransfer(i, 500 * usdc, false); // over the key's limit: the owner is not limited
        }
        assertEq(handler.keyedSuccesses(), 3 * n);
        assertEq(handler.keyedRefusals(), 3 * n);
        assertEq(handler.staleAttempts(), n);
        assertEq(handler.ownerOps(), n);
        for (uint256 i; i < n; ++i) {
            assertEq(handler.rotations(i), 1);
            (, uint256[] memory used,) = hookConfig.spendUsage(address(handler.account(i)), handler.keyId(i));
            assertEq(used[0], 100 * usdc);
        }

        // Revoke account 0's key (find a dice value that fires at the next block), then keep trying.
        uint256 nextBlock = handler.currentBlock() + 1;
        uint256 dice;
        while (uint256(keccak256(abi.encode(dice, nextBlock))) % 32 != 0) ++dice;
        handler.revoke(0, dice);
        assertTrue(handler.revoked(0));
        handler.warp(6 hours);
        handler.warp(6 hours);
        handler.warp(6 hours);
        handler.warp(6 hours);
        handler.keyedTransferUsdc(0, 0);
        handler.keyedTransferDai(0, 0);
        handler.rotateSigner(0); // KeyIsRevoked: nothing changes
        assertEq(handler.rotations(0), 1);
        assertEq(handler.attemptsAfterRevoke(0), 2);
        handler.keyedTransferUsdc(1, 0); // the other keys still work
        assertEq(handler.keyedSuccesses(), 3 * n + 1);

        invariant_SlidingWindowNeverExceedsLimit();
        invariant_FixedPeriodNeverExceedsLimit();
        invariant_RevokedKeyNeverValidatesNorExecutes();
        invariant_NewSignerNeverResetsCounters();
        invariant_OwnerTransactionsPassUntouched();
        invariant_RotatedOutSignerNeverValidates();
        invariant_LiveKeyFollowsTheModel();
    }

    function _sumSince(GhostSpend[] memory s, uint256 from) internal pure returns (uint256 sum) {
        for (uint256 k = s.length; k > 0; --k) {
            if (s[k - 1].time < from) break;
            sum += s[k - 1].amount;
        }
    }
}
