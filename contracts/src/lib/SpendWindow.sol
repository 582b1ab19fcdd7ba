// SPDX-License-Identifier: MIT
// SlidingWindow and FixedWindow are the two window kinds of one policy, tested together against one reference model
// solhint-disable-next-line one-contract-per-file
pragma solidity ^0.8.28;

/// @title SlidingWindow
/// @notice "No span of length `period` ever sees more than `limit`", enforced cheaply and
/// conservatively (DESIGN 2). The period is split into BUCKETS buckets of width ceil(period/BUCKETS);
/// an amount at a time in bucket j is admitted only if buckets j-BUCKETS .. j plus the amount stay
/// within the limit. Any span of length `period` lies inside the BUCKETS+1 buckets ending at its last
/// spend, so no span exceeds the limit; the price is refusing early: a spend stays counted for
/// 25 × width seconds instead of `period` (one bucket more when 24 divides the period, as for an
/// hour, a day, a week or 30 days; up to 23 s more besides for other periods).
///
/// Layout: one header slot (live sum of past buckets, the head bucket's amount, the head's index and
/// a bitmap of live ring entries), plus a ring of BUCKETS+1 amounts packed two per slot. Spends in the
/// head bucket touch the header only; expired ring entries are skipped through the bitmap without
/// reading them and are never zeroed.
library SlidingWindow {
    uint256 internal constant BUCKETS = 24;
    uint256 internal constant RING = BUCKETS + 1;

    struct State {
        uint96 sum; // sum of the live ring entries (buckets head-BUCKETS .. head-1)
        uint96 current; // amount in bucket `head`
        uint32 head; // absolute index of the newest bucket (timestamp / width)
        uint32 live; // bit i set: ring[i] holds a live bucket
        uint128[RING] ring; // ring[k % RING] = amount of bucket k
    }

    function width(uint256 period) internal pure returns (uint256) {
        return (period + BUCKETS - 1) / BUCKETS;
    }

    /// @notice Amount spent in the window that ends now (what a new spend is added to).
    function used(State storage s, uint256 period, uint256 timestamp) internal view returns (uint256 total) {
        uint256 n = timestamp / width(period);
        uint256 head = s.head;
        if (n <= head) return uint256(s.sum) + s.current;
        uint256 gap = n - head;
        if (gap > BUCKETS) return 0;
        // Ring entries still live at bucket n: indices >= n - BUCKETS; the head's amount is live too.
        total = s.current;
        uint256 live = s.live;
        for (uint256 k = head < BUCKETS ? 0 : head - BUCKETS; k < head; ++k) {
            if (k + BUCKETS >= n) {
                uint256 i = k % RING;
                if (live & (1 << i) != 0) total += s.ring[i];
            }
        }
    }

    /// @notice Moves the window to now, then adds `amount`. Returns the window total after the add;
    /// the caller compares it with the limit.
    function add(State storage s, uint256 period, uint256 timestamp, uint256 amount)
        internal
        returns (uint256 total)
    {
        uint256 n = timestamp / width(period);
        uint256 head = s.head;
        uint256 sum = s.sum;
        uint256 current = s.current;
        uint256 live = s.live;
        if (n > head) {
            if (n - head > BUCKETS) {
                // Everything has expired, the head bucket included.
                sum = 0;
                live = 0;
            } else {
                // The old head becomes a ring entry; entries older than n - BUCKETS expire.
                uint256 hi = head % RING;
                if (current != 0) {
                    s.ring[hi] = uint128(current);
                    live |= 1 << hi;
                    sum += current;
                } else {
                    live &= ~(1 << hi);
                }
                uint256 from = head < BUCKETS ? 0 : head - BUCKETS;
                for (uint256 k = from; k + BUCKETS < n; ++k) {
                    uint256 i = k % RING;
                    if (live & (1 << i) != 0) {
                        sum -= s.ring[i];
                        live &= ~(1 << i);
                    }
                }
            }
            current = 0;
            head = n;
        }
        current += amount;
        total = sum + current;
        // Amounts are bounded by limits (uint96) before they get here; a larger total reverts in the
        // caller's limit check, but the casts must never truncate silently.
        // A bare require: unreachable (see above), so no message or error for it.
        // solhint-disable-next-line reason-string, gas-custom-errors
        require(total <= type(uint96).max);
        // The four fields are one word (sum ‖ current ‖ head ‖ live from the low bits): one SSTORE,
        // with the casts' truncation, instead of a read-modify-write per field.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m96 := 0xffffffffffffffffffffffff
            let w := or(and(sum, m96), shl(96, and(current, m96)))
            w := or(w, or(shl(192, and(head, 0xffffffff)), shl(224, and(live, 0xffffffff))))
            sstore(s.slot, w)
        }
    }
}

/// @title FixedWindow
/// @notice Periods of `period` seconds counted from `start`, as ERC-7715's `*-periodic` types:
/// the whole limit is available again at each period start (subscriptions).
library FixedWindow {
    struct State {
        uint96 spent;
        uint64 index; // period index + 1 of `used` (0: never used)
    }

    /// @dev Thrown when the first period has not started yet.
    error PeriodNotStarted(uint256 start);

    function indexAt(uint256 start, uint256 period, uint256 timestamp) internal pure returns (uint256) {
        if (timestamp < start) revert PeriodNotStarted(start);
        return (timestamp - start) / period + 1;
    }

    function used(State storage s, uint256 start, uint256 period, uint256 timestamp)
        internal
        view
        returns (uint256)
    {
        if (timestamp < start) return 0;
        return s.index == indexAt(start, period, timestamp) ? s.spent : 0;
    }

    function add(State storage s, uint256 start, uint256 period, uint256 timestamp, uint256 amount)
        internal
        returns (uint256 total)
    {
        uint256 index = indexAt(start, period, timestamp);
        total = (s.index == index ? s.spent : 0) + amount;
        // Unreachable (amounts are uint96 limits checked by the caller): a bare require, no message.
        // solhint-disable-next-line reason-string, gas-custom-errors
        require(total <= type(uint96).max);
        s.spent = uint96(total);
        s.index = uint64(index);
    }

    /// @notice When the current period ends (for "resets at" in clients).
    function periodEnd(uint256 start, uint256 period, uint256 timestamp) internal pure returns (uint256) {
        if (timestamp < start) return start;
        return start + ((timestamp - start) / period + 1) * period;
    }
}
