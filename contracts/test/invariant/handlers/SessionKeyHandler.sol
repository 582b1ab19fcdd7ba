// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Test.sol";
import {IEntryPoint} from "account-abstraction/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {FunctorTest} from "../../utils/FunctorTest.sol";
import {TestAccount} from "../../utils/TestAccount.sol";
import {TestToken} from "../../utils/TestToken.sol";
import {KeyStore} from "../../../src/KeyStore.sol";
import {FunctorPolicyHook} from "../../../src/FunctorPolicyHook.sol";
import {FunctorValidator} from "../../../src/FunctorValidator.sol";
import {SlidingWindow} from "../../../src/lib/SpendWindow.sol";
import {CallPermission, SpendLimit, Policies, PeriodKind} from "../../../src/lib/PolicyTypes.sol";

/// @dev A successful keyed transfer, as the ghost model records it.
struct GhostSpend {
    uint64 time;
    uint64 blockNumber;
    uint128 amount;
}

/// @title SessionKeyHandler
/// @notice Drives real session-key UserOps through the EntryPoint v0.7 on three TestAccounts (Kernel,
/// Nexus and Safe styles), each with its own keyId (controller: the account) allowed
/// `USDC.transfer` under a sliding 100 USDC / day limit and `DAI.transfer` under a fixed
/// 100 DAI / 12 h limit (periods from setUp + 1 h). Between ops: time warps (0..6 h), signer
/// rotations by the controller, the owner's own transfers (owner-signed, no keyId), stale-signer
/// attempts and, rarely, a revoke (after which the handler keeps trying). Everything that happened
/// is recorded in ghost variables for the invariants.
/// @dev Inherits FunctorTest for its deployment and UserOp helpers: the invariant suite calls
/// `setUp()` then `init()` on it once, and only the functions listed in `selectors()` are fuzzed.
contract SessionKeyHandler is FunctorTest {
    uint256 public constant N = 3;

    uint96 public constant SLIDING_LIMIT = uint96(100 * USDC);
    uint32 public constant SLIDING_PERIOD = 1 days;
    uint96 public constant FIXED_LIMIT = 100 ether; // DAI, 18 decimals
    uint32 public constant FIXED_PERIOD = 12 hours;
    uint256 public constant MAX_WARP = 6 hours;

    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    uint32 public fixedStart;

    TestAccount[N] internal _accounts;
    uint176[N] internal _keyIds;
    uint256[N] internal _signerPk; // the keyId's current (only) signer
    uint256[N] internal _stalePk; // the last rotated-out signer (0: none yet)

    /// @dev The handler's clock: forge does not promise that vm.warp/vm.roll persist between calls,
    /// so every call (and every invariant) starts by moving the chain to these.
    uint256 public currentTime;
    uint256 public currentBlock;

    /*//////////////////////////////////////////////////////////////
                                 GHOSTS
    //////////////////////////////////////////////////////////////*/

    mapping(uint256 account => GhostSpend[]) internal _slidingSpends; // USDC
    mapping(uint256 account => GhostSpend[]) internal _fixedSpends; // DAI

    uint256[N] public rotations;
    bool[N] public revoked;
    uint256[N] public revokeBlock;
    /// @dev Keyed attempts on a revoked key; those handleOps accepted (passed validation); those that
    /// executed successfully.
    uint256[N] public attemptsAfterRevoke;
    uint256[N] public validatedAfterRevoke;
    uint256[N] public successesAfterRevoke;

    uint256 public ownerOps;
    uint256 public ownerFailures;
    uint256 public ownerCounterChanges;

    uint256 public staleAttempts;
    uint256 public staleValidated;

    /// @dev On live keys: ops by the current signer refused in validation; outcomes that differ
    /// from the exact models (bucketed sliding window, fixed periods); sliding refusals that would
    /// have fit even counting everything in (t - period - width, t]; transfers whose effect on the
    /// recipient differs from what was recorded.
    uint256 public liveValidationFailures;
    uint256 public slidingModelMismatches;
    uint256 public fixedModelMismatches;
    uint256 public earlyRefusals;
    uint256 public balanceMismatches;

    uint256 public keyedAttempts;
    uint256 public keyedSuccesses;
    uint256 public keyedRefusals;

    /*//////////////////////////////////////////////////////////////
                                  SET-UP
    //////////////////////////////////////////////////////////////*/

    function init() external {
        fixedStart = uint32(block.timestamp + 1 hours);
        for (uint256 i; i < N; ++i) {
            TestAccount a = _newAccount(TestAccount.Style(i));
            usdc.mint(address(a), 1_000_000 * USDC);
            dai.mint(address(a), 1_000_000 ether);
            _accounts[i] = a;
            _signerPk[i] = _pkFor(i, 0);
            _keyIds[i] = _grant(a, bytes32(i), vm.addr(_signerPk[i]), _policies());
        }
        currentTime = block.timestamp;
        currentBlock = block.number;
    }

    function _policies() internal view returns (Policies memory p) {
        p.calls = new CallPermission[](2);
        p.calls[0] = CallPermission(address(usdc), IERC20.transfer.selector);
        p.calls[1] = CallPermission(address(dai), IERC20.transfer.selector);
        p.spends = new SpendLimit[](2);
        p.spends[0] = SpendLimit(address(usdc), SLIDING_LIMIT, SLIDING_PERIOD, PeriodKind.Sliding, 0);
        p.spends[1] = SpendLimit(address(dai), FIXED_LIMIT, FIXED_PERIOD, PeriodKind.Fixed, fixedStart);
        p.gas = _gas(); // no expiry: the key lives as long as it is not revoked
    }

    /// @notice The handler functions the invariant suite fuzzes.
    function selectors() external pure returns (bytes4[] memory s) {
        s = new bytes4[](7);
        s[0] = this.keyedTransferUsdc.selector;
        s[1] = this.keyedTransferDai.selector;
        s[2] = this.warp.selector;
        s[3] = this.rotateSigner.selector;
        s[4] = this.ownerTransfer.selector;
        s[5] = this.staleSignerTransfer.selector;
        s[6] = this.revoke.selector;
    }

    /*//////////////////////////////////////////////////////////////
                              FUZZED ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice A session-key USDC transfer (sliding limit) signed by the key's current signer (the
    /// key may be revoked). Up to the whole limit: with the warps, the limit is hit often.
    function keyedTransferUsdc(uint256 accountSeed, uint256 amountSeed) external {
        _sync();
        _keyedTransfer(accountSeed % N, bound(amountSeed, 1, SLIDING_LIMIT), false);
    }

    /// @notice A session-key DAI transfer (fixed-period limit), as above.
    function keyedTransferDai(uint256 accountSeed, uint256 amountSeed) external {
        _sync();
        _keyedTransfer(accountSeed % N, bound(amountSeed, 1, FIXED_LIMIT), true);
    }

    function _keyedTransfer(uint256 i, uint256 amount, bool onDai) internal {
        // What the models say, before the op.
        bool expectOk = onDai ? _fixedFits(i, amount) : _slidingBucketSum(i) + amount <= SLIDING_LIMIT;
        bool fitsWithinPeriodPlusWidth = !onDai
            && _sumSince(_slidingSpends[i], _spanStart(SLIDING_PERIOD + SlidingWindow.width(SLIDING_PERIOD))) + amount
                <= SLIDING_LIMIT;

        ++keyedAttempts;
        (bool validated, bool success) = _sendKeyed(i, onDai ? dai : usdc, amount);

        if (revoked[i]) {
            ++attemptsAfterRevoke[i];
            if (validated) ++validatedAfterRevoke[i];
            if (success) ++successesAfterRevoke[i];
        } else {
            if (!validated) ++liveValidationFailures;
            if (success != expectOk) {
                if (onDai) ++fixedModelMismatches;
                else ++slidingModelMismatches;
            }
            if (!success && fitsWithinPeriodPlusWidth) ++earlyRefusals;
        }
        if (success) {
            GhostSpend memory g = GhostSpend(uint64(block.timestamp), uint64(block.number), uint128(amount));
            if (onDai) _fixedSpends[i].push(g);
            else _slidingSpends[i].push(g);
        }
    }

    /// @dev Sends account i's key's transfer of `amount` to bob, signed by the current signer, and
    /// checks that bob received exactly `amount` on success and nothing otherwise.
    function _sendKeyed(uint256 i, TestToken token, uint256 amount) internal returns (bool validated, bool success) {
        uint256 bobBefore = token.balanceOf(bob);
        PackedUserOperation memory op =
            _sessionOp(_accounts[i], _keyIds[i], _one(_transfer(address(token), bob, amount)), _signerPk[i]);
        (validated, success) = _submit(op);
        if (success) {
            ++keyedSuccesses;
            if (token.balanceOf(bob) != bobBefore + amount) ++balanceMismatches;
        } else {
            ++keyedRefusals;
            if (token.balanceOf(bob) != bobBefore) ++balanceMismatches;
        }
    }

    /// @notice Time passes (0..6 h).
    function warp(uint256 secondsSeed) external {
        _sync();
        currentTime += bound(secondsSeed, 0, MAX_WARP);
        vm.warp(currentTime);
    }

    /// @notice The controller (the account) rotates the keyId's signer in the KeyStore. On a revoked
    /// key this reverts (KeyIsRevoked) and nothing changes.
    function rotateSigner(uint256 accountSeed) external {
        _sync();
        uint256 i = accountSeed % N;
        uint256 next = _pkFor(i, rotations[i] + 1);
        vm.prank(address(_accounts[i]));
        try keyStore.rotateSigner(_keyIds[i], _signerId(vm.addr(_signerPk[i])), _signerId(vm.addr(next))) {
            _stalePk[i] = _signerPk[i];
            _signerPk[i] = next;
            ++rotations[i];
        } catch {}
    }

    /// @notice The owner's own transfer (owner-signed op, plain mode, no keyId), any size: it must
    /// succeed, whatever the keys' state, and touch no Functor counter.
    function ownerTransfer(uint256 accountSeed, uint256 amountSeed, bool onDai) external {
        _sync();
        uint256 i = accountSeed % N;
        TestAccount a = _accounts[i];
        TestToken token = onDai ? dai : usdc;
        uint256 amount = onDai ? bound(amountSeed, 1, 500 ether) : bound(amountSeed, 1, 500 * USDC);

        bytes32 before = _counters(i);
        uint256 aliceBefore = token.balanceOf(alice);
        ++ownerOps;
        (, bool success) = _submit(_ownerOp(a, _one(_transfer(address(token), alice, amount))));
        if (!success || token.balanceOf(alice) != aliceBefore + amount) ++ownerFailures;
        if (_counters(i) != before) ++ownerCounterChanges;
    }

    /// @notice A transfer signed by the last rotated-out signer (or, before any rotation, by a key
    /// that was never a signer): must be refused in validation.
    function staleSignerTransfer(uint256 accountSeed, uint256 amountSeed) external {
        _sync();
        uint256 i = accountSeed % N;
        uint256 pk = _stalePk[i] != 0 ? _stalePk[i] : _pkFor(i + 100, 0);
        uint256 amount = bound(amountSeed, 1, 10 * USDC);
        ++staleAttempts;
        (bool validated,) =
            _submit(_sessionOp(_accounts[i], _keyIds[i], _one(_transfer(address(usdc), bob, amount)), pk));
        if (validated) ++staleValidated;
    }

    /// @notice Rarely (1 in 32 calls, decided by a hash so the fuzzer's favourite values do not
    /// matter), the controller revokes the keyId. Revoking again reverts and changes nothing.
    function revoke(uint256 accountSeed, uint256 dice) external {
        _sync();
        uint256 i = accountSeed % N;
        if (uint256(keccak256(abi.encode(dice, currentBlock))) % 32 != 0) return;
        vm.prank(address(_accounts[i]));
        try keyStore.revoke(_keyIds[i]) {
            if (!revoked[i]) {
                revoked[i] = true;
                revokeBlock[i] = block.number;
            }
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    function account(uint256 i) external view returns (TestAccount) {
        return _accounts[i];
    }

    function keyId(uint256 i) external view returns (uint176) {
        return _keyIds[i];
    }

    function slidingSpends(uint256 i) external view returns (GhostSpend[] memory) {
        return _slidingSpends[i];
    }

    function fixedSpends(uint256 i) external view returns (GhostSpend[] memory) {
        return _fixedSpends[i];
    }

    function functorHook() external view returns (FunctorPolicyHook) {
        return hook;
    }

    function functorValidator() external view returns (FunctorValidator) {
        return validator;
    }

    function functorKeyStore() external view returns (KeyStore) {
        return keyStore;
    }

    /*//////////////////////////////////////////////////////////////
                                 INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Each call is a new block, at the handler's time.
    function _sync() internal {
        ++currentBlock;
        vm.roll(currentBlock);
        vm.warp(currentTime);
    }

    function _pkFor(uint256 i, uint256 rotation) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("functor.invariant.signer", i, rotation))) % (SECP256K1_N - 1) + 1;
    }

    /// @dev Sends one op. `validated`: handleOps did not revert (the op passed validation);
    /// `success`: its execution succeeded (the EntryPoint's UserOperationEvent).
    function _submit(PackedUserOperation memory op) internal returns (bool validated, bool success) {
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.recordLogs();
        try ep.handleOps(ops, beneficiary) {
            validated = true;
        } catch {}
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (!validated) return (false, false);
        for (uint256 k; k < logs.length; ++k) {
            if (logs[k].emitter == address(ep) && logs[k].topics[0] == IEntryPoint.UserOperationEvent.selector) {
                (, success,,) = abi.decode(logs[k].data, (uint256, bool, uint256, uint256));
            }
        }
    }

    /// @dev Every Functor counter of account i's key: spend usage, rate usage, gas budget spent.
    function _counters(uint256 i) internal view returns (bytes32) {
        address a = address(_accounts[i]);
        (, uint256[] memory used,) = hookConfig.spendUsage(a, _keyIds[i]);
        (uint256 rateUsed,) = hookConfig.rateUsage(a, _keyIds[i]);
        return keccak256(abi.encode(used, rateUsed, opValidator.gasSpent(_keyIds[i], a)));
    }

    /// @dev The first second of the span of length `span` that ends now: (now - span, now].
    function _spanStart(uint256 span) internal view returns (uint256) {
        return block.timestamp + 1 > span ? block.timestamp + 1 - span : 0;
    }

    /// @dev Recorded amount at times >= from (spends are in time order).
    function _sumSince(GhostSpend[] storage spends, uint256 from) internal view returns (uint256 sum) {
        for (uint256 k = spends.length; k > 0; --k) {
            if (spends[k - 1].time < from) break;
            sum += spends[k - 1].amount;
        }
    }

    /// @dev What the bucketed window counts now: buckets floor(now/w)-24 .. floor(now/w).
    function _slidingBucketSum(uint256 i) internal view returns (uint256) {
        uint256 w = SlidingWindow.width(SLIDING_PERIOD);
        uint256 n = block.timestamp / w;
        return _sumSince(_slidingSpends[i], n >= SlidingWindow.BUCKETS ? (n - SlidingWindow.BUCKETS) * w : 0);
    }

    function _fixedFits(uint256 i, uint256 amount) internal view returns (bool) {
        if (block.timestamp < fixedStart) return false; // PeriodNotStarted
        uint256 periodStart = block.timestamp - (block.timestamp - fixedStart) % FIXED_PERIOD;
        return _sumSince(_fixedSpends[i], periodStart) + amount <= FIXED_LIMIT;
    }
}
