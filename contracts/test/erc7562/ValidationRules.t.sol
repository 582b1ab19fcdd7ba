// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {Execution} from "../../src/lib/ExecutionParser.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {
    ANY_SELECTOR,
    ANY_TARGET,
    ArgCondition,
    ArgOp,
    CallPermission,
    NATIVE_TOKEN,
    PeriodKind,
    Policies,
    SpendLimit
} from "../../src/lib/PolicyTypes.sol";
import {TestToken} from "../utils/TestToken.sol";

/// @dev A validator that breaks ERC-7562 on purpose (TIMESTAMP, global storage): the negative
/// control that shows the checker below finds violations.
contract RuleBreakingValidator {
    mapping(uint256 => uint256) public globalCounter;

    function onInstall(bytes calldata) external {}
    function onUninstall(bytes calldata) external {}

    function validateUserOp(PackedUserOperation calldata, bytes32) external returns (uint256) {
        globalCounter[0] += block.timestamp;
        return 0;
    }
}

/// @notice Runs the validation of session-key UserOps under a tracer (forge's debug-trace recording)
/// and proves the ERC-7562 rules hold for Functor's entities (KeyStore, FunctorValidator,
/// FunctorPolicyHook): no banned opcode, GAS only right before a call, and every storage or
/// transient-storage slot they touch associated with the sender (the sender itself, or
/// keccak256(sender ‖ x) + n with n <= 128, from the keccak preimages seen in the trace).
contract ValidationRulesTest is FunctorTest {
    struct Finding {
        uint256 storageOps;
        uint256 transientOps;
        uint256 writes;
        uint256 violations;
        string first;
    }

    // ---------------------------------------------------------------- tests

    function test_ERC7562_SessionValidation_Kernel() public {
        _checkStyle(TestAccount.Style.Kernel);
    }

    function test_ERC7562_SessionValidation_Nexus() public {
        _checkStyle(TestAccount.Style.Nexus);
    }

    function test_ERC7562_SessionValidation_Safe() public {
        _checkStyle(TestAccount.Style.Safe);
    }

    /// @dev Every path of validation's checks, not only the hand-written common case: a call with an
    /// argument condition, one allowed by an any-selector entry, one by a wildcard target, native
    /// value with empty calldata, and all four in one batch, on each convention.
    function test_ERC7562_EveryCheckPath_Kernel() public {
        _everyCheckPath(TestAccount.Style.Kernel);
    }

    function test_ERC7562_EveryCheckPath_Nexus() public {
        _everyCheckPath(TestAccount.Style.Nexus);
    }

    function test_ERC7562_EveryCheckPath_Safe() public {
        _everyCheckPath(TestAccount.Style.Safe);
    }

    function _everyCheckPath(TestAccount.Style style) internal {
        TestToken other = new TestToken("Other", "OTH", 18);
        {
            TestAccount a = _newAccount(style);
            vm.deal(address(a), 1 ether);
            (address agent, uint256 pk) = makeAddrAndKey("agent");
            Policies memory p = _usdcPolicies();
            p.calls = new CallPermission[](4);
            p.calls[0] = CallPermission(address(usdc), IERC20.transfer.selector);
            p.calls[1] = CallPermission(address(dai), ANY_SELECTOR);
            p.calls[2] = CallPermission(ANY_TARGET, IERC20.approve.selector);
            p.calls[3] = CallPermission(alice, bytes4(0));
            p.spends = new SpendLimit[](2);
            p.spends[0] = SpendLimit(address(usdc), uint96(100 * USDC), DAY, PeriodKind.Sliding, 0);
            p.spends[1] = SpendLimit(NATIVE_TOKEN, uint96(1 ether), DAY, PeriodKind.Sliding, 0);
            bytes32[] memory payees = new bytes32[](1);
            payees[0] = bytes32(uint256(uint160(bob)));
            p.conditions = new ArgCondition[](1);
            p.conditions[0] = ArgCondition(address(usdc), IERC20.transfer.selector, 0, ArgOp.OneOf, payees);
            uint176 keyId = _grant(a, "k", agent, p);

            Execution[] memory b = new Execution[](4);
            b[0] = _transfer(address(usdc), bob, USDC);
            b[1] = _transfer(address(dai), alice, 1);
            b[2] = Execution(address(other), 0, abi.encodeCall(IERC20.approve, (bob, 1)));
            b[3] = Execution(alice, 1 wei, "");
            address[] memory entities = new address[](3);
            entities[0] = address(keyStore);
            entities[1] = address(opValidator);
            entities[2] = address(hook);
            for (uint256 i; i < 5; ++i) {
                Execution[] memory x = i < 4 ? _one(b[i]) : b;
                Finding memory f = _check(_trace(a, _sessionOp(a, keyId, x, pk)), address(a), entities);
                assertEq(f.violations, 0, f.first);
                // at least the install word, an allowlist entry and the KeyStore's signer word, whose
                // terms cache holds the validation word (its own slot is read only on a miss)
                assertGe(f.storageOps, 3, "the trace saw Functor's storage reads");
            }
        }
    }

    /// @dev The checker itself must fail on a validator that reads TIMESTAMP and global storage.
    function test_ERC7562_CheckerCatchesViolations() public {
        TestAccount a = _newAccount(TestAccount.Style.Nexus);
        RuleBreakingValidator bad = new RuleBreakingValidator();
        vm.prank(address(a));
        a.installModule(1, address(bad), "");
        PackedUserOperation memory op = _op(a, "");
        op.nonce = ep.getNonce(address(a), _nonceKey(a, address(bad), 0));
        address[] memory entities = new address[](1);
        entities[0] = address(bad);
        Finding memory f = _check(_trace(a, op), address(a), entities);
        assertGe(f.violations, 2, "TIMESTAMP and a global slot must both be flagged");
    }

    // ---------------------------------------------------------------- checks

    function _checkStyle(TestAccount.Style style) internal {
        TestAccount a = _newAccount(style);
        (address agent, uint256 pk) = makeAddrAndKey("agent");
        Policies memory p = _usdcPolicies();
        p.gas.budget = 1 ether; // exercises the budget write in validation
        uint176 keyId = _grant(a, "k", agent, p);

        address[] memory entities = new address[](3);
        entities[0] = address(keyStore);
        entities[1] = address(opValidator);
        entities[2] = address(hook);

        // Single call.
        Finding memory f = _check(
            _trace(a, _sessionOp(a, keyId, _one(_transfer(address(usdc), bob, 1 * USDC)), pk)), address(a), entities
        );
        assertEq(f.violations, 0, f.first);
        assertGe(f.storageOps, 5, "the trace saw Functor's storage reads");
        assertGe(f.transientOps, 2, "the trace saw the ticket");
        assertGe(f.writes, 1, "the trace saw the gas budget write");

        // Batch of three.
        Execution[] memory b = new Execution[](3);
        for (uint256 i; i < 3; ++i) b[i] = _transfer(address(usdc), bob, 1 * USDC);
        f = _check(_trace(a, _sessionOp(a, keyId, b, pk)), address(a), entities);
        assertEq(f.violations, 0, f.first);
        assertGe(f.storageOps, 7);
    }

    /// @dev The account's validation frame, as the EntryPoint runs it.
    function _trace(TestAccount a, PackedUserOperation memory op) internal returns (Vm.DebugStep[] memory steps) {
        bytes32 h = ep.getUserOpHash(op);
        vm.startDebugTraceRecording();
        vm.prank(address(ep));
        a.validateUserOp(op, h, 0);
        steps = vm.stopAndReturnDebugTraceRecording();
    }

    function _check(Vm.DebugStep[] memory steps, address sender, address[] memory entities)
        internal
        pure
        returns (Finding memory f)
    {
        // Keccak preimages that start with the sender (as a 32-byte word), anywhere in the trace.
        bytes32[] memory bases = new bytes32[](steps.length);
        uint256 nb;
        bytes32 senderWord = bytes32(uint256(uint160(sender)));
        for (uint256 i; i < steps.length; ++i) {
            if (steps[i].opcode != 0x20) continue;
            bytes memory m = steps[i].memoryInput;
            if (m.length >= 32 && bytes32(m) == senderWord) bases[nb++] = keccak256(m);
        }

        for (uint256 i; i < steps.length; ++i) {
            Vm.DebugStep memory s = steps[i];
            if (!_isEntity(s.contractAddr, entities)) continue;
            uint8 op = s.opcode;
            if (_banned(op)) {
                _flag(f, string.concat("banned opcode 0x", _hex(op), " in ", _addr(s.contractAddr)));
            } else if (op == 0x5a) {
                uint8 next = i + 1 < steps.length ? steps[i + 1].opcode : 0;
                if (next != 0xf1 && next != 0xf2 && next != 0xf4 && next != 0xfa) {
                    _flag(f, string.concat("GAS not followed by a call in ", _addr(s.contractAddr)));
                }
            } else if (op == 0x54 || op == 0x55 || op == 0x5c || op == 0x5d) {
                if (op == 0x54 || op == 0x55) f.storageOps++;
                else f.transientOps++;
                if (op == 0x55) f.writes++;
                uint256 slot = s.stack[0];
                if (!_associated(slot, sender, bases, nb)) {
                    _flag(f, string.concat("unassociated slot ", vmHex(slot), " in ", _addr(s.contractAddr)));
                }
            }
        }
    }

    function _associated(uint256 slot, address sender, bytes32[] memory bases, uint256 nb)
        internal
        pure
        returns (bool)
    {
        if (slot == uint256(uint160(sender))) return true;
        for (uint256 j; j < nb; ++j) {
            uint256 b = uint256(bases[j]);
            if (slot >= b && slot - b <= 128) return true;
        }
        return false;
    }

    /// @dev ERC-7562 OP-011/OP-080: opcodes an unstaked entity may not use in validation.
    function _banned(uint8 op) internal pure returns (bool) {
        return op == 0x3a /* GASPRICE */ || op == 0x45 /* GASLIMIT */ || op == 0x44 /* PREVRANDAO */
            || op == 0x42 /* TIMESTAMP */ || op == 0x48 /* BASEFEE */ || op == 0x40 /* BLOCKHASH */
            || op == 0x43 /* NUMBER */ || op == 0x47 /* SELFBALANCE */ || op == 0x31 /* BALANCE */
            || op == 0x32 /* ORIGIN */ || op == 0xf0 /* CREATE */ || op == 0xf5 /* CREATE2 */
            || op == 0x41 /* COINBASE */ || op == 0xff /* SELFDESTRUCT */ || op == 0x49 /* BLOBHASH */
            || op == 0x4a /* BLOBBASEFEE */ || op == 0xfe; /* INVALID */
    }

    function _isEntity(address a, address[] memory entities) internal pure returns (bool) {
        for (uint256 i; i < entities.length; ++i) {
            if (entities[i] == a) return true;
        }
        return false;
    }

    function _flag(Finding memory f, string memory what) internal pure {
        if (f.violations++ == 0) f.first = what;
    }

    function _hex(uint8 b) internal pure returns (string memory) {
        bytes memory d = "0123456789abcdef";
        return string(abi.encodePacked(d[b >> 4], d[b & 15]));
    }

    function vmHex(uint256 x) internal pure returns (string memory) {
        return vm.toString(bytes32(x));
    }

    function _addr(address a) internal pure returns (string memory) {
        return vm.toString(a);
    }
}
