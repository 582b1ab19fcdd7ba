// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {FunctorPolicyHookBase} from "../../src/FunctorPolicyHookBase.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {KeyStoreState} from "../../src/KeyStoreState.sol";
import {SignerSlot} from "../../src/lib/SignerSlot.sol";
import {PeriodKind, SpendLimit} from "../../src/lib/PolicyTypes.sol";
import {SlidingWindow, FixedWindow} from "../../src/lib/SpendWindow.sol";
import {stdError} from "forge-std/StdError.sol";

/// @dev The slots of the KeyStore's mappings in the contract that inherits it (HookKeys: the module's
/// layout, KeyStoreKeys: KeyStore's). No storage of its own, so it moves no slot of either.
abstract contract KeyStoreSlots is KeyStoreState {
    function keyStoreSlots() external pure returns (uint256[8] memory s) {
        assembly ("memory-safe") {
            mstore(s, _keys.slot)
            mstore(add(s, 0x20), _signerAt.slot)
            mstore(add(s, 0x40), _accountAt.slot)
            mstore(add(s, 0x60), _grants.slot)
            mstore(add(s, 0x80), _signerOn.slot)
            mstore(add(s, 0xa0), _accountKeys.slot)
            mstore(add(s, 0xc0), _termsWriter.slot)
            mstore(add(s, 0xe0), _nonces.slot)
        }
    }
}

/// @dev The hook's key helpers, exposed (a harness: the hook itself keeps them internal).
contract HookKeys is FunctorPolicyHookBase, KeyStoreSlots {
    using SlidingWindow for SlidingWindow.State;
    using FixedWindow for FixedWindow.State;

    constructor() FunctorPolicyHookBase(address(2)) {}

    function firstOwnSlot() external pure returns (uint256 slot) {
        assembly ("memory-safe") {
            slot := _install.slot
        }
    }

    /// @dev The general path's spend (SlidingWindow.add / FixedWindow.add), with no limit.
    function addAt(uint176 keyId, address token, uint256 geo, uint256 amount) external returns (uint256) {
        return _addAt(keyId, token, geo, amount, type(uint256).max);
    }

    function usedAt(uint176 keyId, address token, uint256 geo) external view returns (uint256) {
        return _usedAt(keyId, token, geo);
    }

    /// @dev _usedAt as it was, through the libraries (the reference for the hand-written one).
    function usedByLibraries(uint176 keyId, address token, uint256 geo) external view returns (uint256) {
        bytes32 k = _windowAt(keyId, token, geo);
        return uint8(geo >> 32) == uint8(PeriodKind.Sliding)
            ? _sliding[k].used(uint32(geo), block.timestamp)
            : _fixed[k].used(uint32(geo >> 40), uint32(geo), block.timestamp);
    }

    function _validatorAddress() internal pure override returns (address) {
        return address(3);
    }

    /// @dev The storage slot of a key's validation word (`_vcfg[_cfgKey(keyId, epoch)][account]`).
    function vcfgSlot(address account, uint176 keyId, uint256 epoch) external view returns (bytes32 slot) {
        StoredValidation storage v = _vcfg[_cfgKey(keyId, epoch)][account];
        assembly ("memory-safe") {
            slot := v.slot
        }
    }

    function cfgKey(uint176 keyId, uint256 epoch) external pure returns (bytes32) {
        return _cfgKey(keyId, epoch);
    }

    function callKey(uint176 keyId, uint256 epoch, address target, bytes4 selector) external pure returns (bytes32) {
        return _callKey(keyId, epoch, target, selector);
    }

    function execKey(address account, uint176 keyId, uint256 epoch) external pure returns (bytes32) {
        return _execKey(account, keyId, epoch);
    }

    function windowKey(uint176 keyId, SpendLimit memory s) external pure returns (bytes32) {
        return _windowKey(keyId, s);
    }

    function rateKey(uint176 keyId, uint32 period) external pure returns (bytes32) {
        return _rateKey(keyId, period);
    }

    function pendingSlot(address account) external pure returns (uint256) {
        return _pendingSlot(account);
    }

    function ticketSlot(address account, bytes32 execHash) external pure returns (uint256) {
        return _ticketSlot(account, execHash);
    }

    /// @dev Writes an allowlist entry the way Solidity addresses the mapping (as setPolicies does).
    function setEntry(address account, uint176 keyId, uint256 epoch, address target, bytes4 selector, uint256 v)
        external
    {
        _allowed[_callKey(keyId, epoch, target, selector)][account] = v;
    }

    function entryAt(address account, uint176 keyId, uint256 epoch, address target, bytes4 selector)
        external
        view
        returns (uint256)
    {
        uint256 base;
        assembly ("memory-safe") {
            base := _allowed.slot
        }
        return _entryAt(base, account, keyId, epoch, target, selector);
    }

    function forbidden(address account, address target) external view returns (bool) {
        return _forbidden(account, target);
    }

    /// @dev The guard word's plain numbers (written out for assembly) and the bits they stand for.
    function guardNumbers()
        external
        pure
        returns (uint256 outOne, uint256 outMask, uint256 configWritten, uint256 keepMask, uint256 gOut)
    {
        return (OUT_ONE, OUT_MASK, CONFIG_WRITTEN, KEEP_MASK, G_OUT);
    }
}

/// @notice Every storage and transient key the hook (and the KeyStore's signer key) computes with
/// WordHash is the keccak256 of the abi.encode it replaced: the same slots, with every value's
/// padding and alignment (addresses, uint176, bytes4 left-aligned, enum, uint32).
contract WordHashTest is Test {
    HookKeys internal keys;
    KeyStoreKeys internal ks;

    function setUp() public {
        keys = new HookKeys();
        ks = new KeyStoreKeys();
    }

    function testFuzz_HookKeys_EqualAbiEncode(
        uint176 keyId,
        uint256 epoch,
        address account,
        address target,
        bytes4 selector,
        uint32 period,
        uint32 start,
        bool fixedKind,
        bytes32 execHash
    ) public view {
        assertEq(
            keys.callKey(keyId, epoch, target, selector),
            keccak256(abi.encode(keyId, epoch, target, selector)),
            "callKey"
        );
        assertEq(keys.execKey(account, keyId, epoch), keccak256(abi.encode(account, keyId, epoch)), "execKey");
        PeriodKind kind = fixedKind ? PeriodKind.Fixed : PeriodKind.Sliding;
        SpendLimit memory s = SpendLimit(target, 0, period, kind, start);
        assertEq(keys.windowKey(keyId, s), keccak256(abi.encode(keyId, target, kind, period, start)), "windowKey");
        assertEq(
            keys.rateKey(keyId, period),
            keccak256(abi.encode(keyId, address(type(uint160).max), PeriodKind.Sliding, period, uint32(0))),
            "rateKey"
        );
        assertEq(
            keys.pendingSlot(account),
            uint256(keccak256(abi.encode(account, keccak256("functor.hook.executing")))),
            "pendingSlot"
        );
        assertEq(keys.ticketSlot(account, execHash), uint256(keccak256(abi.encode(account, execHash))), "ticketSlot");
    }

    /// @dev The validation word's key is epoch (80) ‖ keyId (176), unhashed: two different pairs the
    /// hook can meet (any keyId, an epoch below 2^80) never share a key, so an earlier epoch's
    /// configuration, or another key's, is never read for this one.
    /// @dev The guard word's numbers the assembly names are the bits their comments give: the
    /// count of ops pending in bits G_OUT to G_OUT + 31, CONFIG_WRITTEN bit 254 (above the count,
    /// below the executing bit), and what a keyed execution keeps is exactly those two.
    function test_GuardWord_PlainNumbers() public view {
        (uint256 outOne, uint256 outMask, uint256 configWritten, uint256 keepMask, uint256 gOut) = keys.guardNumbers();
        assertEq(outOne, 1 << gOut);
        assertEq(outMask, uint256(type(uint32).max) << gOut);
        assertEq(configWritten, 1 << 254);
        assertEq(outMask & configWritten, 0, "apart from the count");
        assertLt(gOut + 31, 254, "the count stays below bit 254");
        assertEq(keepMask, outMask | configWritten);
    }

    function testFuzz_CfgKey_PacksEpochOverKeyId(uint176 keyId, uint80 epoch, uint176 otherKeyId, uint80 otherEpoch)
        public
        view
    {
        bytes32 k = keys.cfgKey(keyId, epoch);
        assertEq(uint256(k), (uint256(epoch) << 176) | keyId, "the layout");
        assertEq(uint176(uint256(k)), keyId, "the keyId in bits 0-175");
        assertEq(uint256(k) >> 176, epoch, "the epoch above it");
        if (keyId != otherKeyId || epoch != otherEpoch) {
            assertNotEq(k, keys.cfgKey(otherKeyId, otherEpoch), "distinct pairs");
        }
    }

    /// @dev The hand-written allowlist lookup reads the slot Solidity's mapping writes, and only it.
    function testFuzz_EntryAt_ReadsTheMappingSlot(
        address account,
        uint176 keyId,
        uint256 epoch,
        address target,
        bytes4 selector,
        uint256 v,
        bytes4 other
    ) public {
        vm.assume(v != 0 && other != selector);
        keys.setEntry(account, keyId, epoch, target, selector, v);
        assertEq(keys.entryAt(account, keyId, epoch, target, selector), v, "the entry written");
        assertEq(keys.entryAt(account, keyId, epoch, target, other), 0, "another selector");
        assertEq(keys.entryAt(account, keyId, epoch ^ 1, target, selector), 0, "another epoch");
        assertEq(keys.entryAt(address(uint160(account) ^ 1), keyId, epoch, target, selector), 0, "another account");
    }

    /// @dev The branchless forbidden-target test agrees with the rule written out (the harness's
    /// EntryPoint is address(2), validator address(3); the KeyStore is the module itself).
    function testFuzz_Forbidden_MatchesTheRule(address account, address target, uint8 pick) public view {
        address[4] memory named = [account, address(2), address(3), address(keys)];
        if (pick < 4) target = named[pick];
        bool rule = target == account || target == address(2) || target == address(3) || target == address(keys);
        assertEq(keys.forbidden(account, target), rule);
    }

    /// @dev The hand-written _usedAt answers what SlidingWindow.used and FixedWindow.used answer on
    /// the same state, after spends at warps across buckets, periods and whole windows.
    function testFuzz_UsedAt_AsTheLibraries(
        uint176 keyId,
        address token,
        uint32 period,
        bool fixedKind,
        uint32 startBack,
        uint64[6] memory amounts,
        uint32[6] memory gaps
    ) public {
        period = uint32(bound(period, 1, 400 days));
        vm.warp(1_700_000_000);
        // a fixed window's start up to two periods back, or a little ahead (usage 0 until then)
        uint256 start = block.timestamp - bound(startBack, 0, 2 * uint256(period)) + (startBack % 7 == 0 ? 100 : 0);
        uint256 geo = uint256(period) | ((fixedKind ? 1 : 0) << 32) | (start << 40);
        for (uint256 i; i < 6; ++i) {
            assertEq(keys.usedAt(keyId, token, geo), keys.usedByLibraries(keyId, token, geo), "before the spend");
            if (!fixedKind || block.timestamp >= start) keys.addAt(keyId, token, geo, amounts[i]);
            assertEq(keys.usedAt(keyId, token, geo), keys.usedByLibraries(keyId, token, geo), "after the spend");
            // within a bucket, across a few, a period and more, or past the whole window
            vm.warp(block.timestamp + bound(gaps[i], 0, 3 * uint256(period)) / (1 + gaps[i] % 5));
        }
        assertEq(keys.usedAt(keyId, token, geo), keys.usedByLibraries(keyId, token, geo), "at the end");
    }

    /// @dev A period of 0 (never written by setPolicies) panics with a division by zero, as the
    /// libraries do, on either kind.
    function test_UsedAt_PeriodZero_PanicsAsTheLibraries() public {
        vm.warp(1_700_000_000);
        uint256 fixedGeo = (1 << 32) | (uint256(1_600_000_000) << 40);
        uint256[2] memory geos = [uint256(0), fixedGeo];
        for (uint256 i; i < 2; ++i) {
            vm.expectRevert(stdError.divisionError);
            keys.usedByLibraries(1, address(7), geos[i]);
            vm.expectRevert(stdError.divisionError);
            keys.usedAt(1, address(7), geos[i]);
        }
    }

    /// @dev The KeyStore's signer-on-account key: keccak256(abi.encode(keyId, signer)).
    /// @dev SignerSlot (the signer's word, which the validator and the hook read with readStoreSlot) is
    /// the slot of KeyStore's own `_signerOn[_keySigner(keyId, signer)][account]`.
    function test_SignerSlot_IsKeyStoresMapping() public view {
        assertEq(ks.signerOnSlot(), SignerSlot.MAP);
    }

    /// @dev The module holds the KeyStore's storage and runs KeyStore's code on it (KeyStoreState):
    /// each of the KeyStore's mappings sits at the same slot in both, EIP712's two strings (KeyStore's
    /// slots 0 and 1) held by EIP712Slots in the module, and the module's own storage after them.
    function test_Merged_KeyStoreSlots_SameAsKeyStores() public view {
        assertEq(abi.encode(keys.keyStoreSlots()), abi.encode(ks.keyStoreSlots()));
        assertEq(keys.keyStoreSlots()[4], SignerSlot.MAP, "_signerOn");
        assertGt(keys.firstOwnSlot(), keys.keyStoreSlots()[7], "the module's own storage after the KeyStore's");
    }

    /// @dev readStoreSlot, read twice per keyed op, comes first in the KeyStore's dispatcher (via-IR
    /// compares selectors in ascending order): below authorizedStateOf, activeKeysOf and rotateSigner,
    /// the lowest of the others.
    function test_ReadStoreSlot_FirstInTheDispatch() public pure {
        uint32 read = uint32(KeyStore.readStoreSlot.selector);
        assertLt(read, uint32(KeyStore.authorizedStateOf.selector));
        assertLt(read, uint32(KeyStore.activeKeysOf.selector));
        assertLt(read, uint32(KeyStore.rotateSigner.selector));
    }

    function testFuzz_SignerSlot_EqualAbiEncode(uint176 keyId, bytes32 signer, address account) public view {
        bytes32 inner = keccak256(abi.encode(ks.keySigner(keyId, signer), SignerSlot.MAP));
        assertEq(SignerSlot.slotOf(keyId, signer, account), uint256(keccak256(abi.encode(account, inner))));
    }

    function testFuzz_KeyStoreSignerKey_EqualAbiEncode(uint176 keyId, bytes32 signer) public view {
        assertEq(ks.keySigner(keyId, signer), keccak256(abi.encode(keyId, signer)));
    }
}

/// @dev The KeyStore's signer key helper, exposed.
contract KeyStoreKeys is KeyStore, KeyStoreSlots {
    function keySigner(uint176 keyId, bytes32 signer) external pure returns (bytes32) {
        return _keySigner(keyId, signer);
    }

    function signerOnSlot() external pure returns (uint256 slot) {
        assembly ("memory-safe") {
            slot := _signerOn.slot
        }
    }
}
