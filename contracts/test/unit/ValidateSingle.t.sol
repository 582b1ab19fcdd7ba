// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorTest, TestAccount, IUserOpValidator} from "../utils/FunctorTest.sol";
import {SignerSlot} from "../../src/lib/SignerSlot.sol";
import {FunctorMode} from "../../src/lib/FunctorMode.sol";
import {Policies, ArgCondition, ArgOp} from "../../src/lib/PolicyTypes.sol";
import {Execution} from "../../src/lib/ExecutionParser.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
// solhint does not read foundry.toml remappings; forge build checks this import
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";

/// @notice Validation's single call in one block (FunctorUserOpValidation._validateSingle) against
/// the path it stands in for: the same op validated twice on the same state, once as it is (the
/// signer's word carries the terms cache: the one block) and once with the cache bits cleared (the
/// state byte kept: _validateCommon's general steps, which read the validation word's own slot).
/// Both must answer the same validation data or revert with the same error, over targets (allowed,
/// every forbidden one, one with no entry), selectors, calldata cut short, native value, fees,
/// costs and sequences around the key's caps, a wrong lane, and an argument condition met or not.
contract ValidateSingleTest is FunctorTest {
    uint256 internal agentPk = 0xA6E17;
    address internal agent;

    function setUp() public override {
        super.setUp();
        agent = vm.addr(agentPk);
    }

    struct Pick {
        uint8 style;
        uint8 target;
        uint8 selector;
        uint8 cut;
        uint96 value;
        uint64 fee;
        uint8 seq;
        bool wrongLane;
        uint256 pvg;
        uint64 callGas;
        bool condition;
        bool otherPayee;
    }

    function _calldata(Pick memory k) internal view returns (bytes memory cd) {
        uint256 s = k.selector % 3;
        cd = s == 0
            ? abi.encodeCall(IERC20.transfer, (k.otherPayee ? address(0xCAFE) : bob, 1e6))
            : s == 1 ? abi.encodeCall(IERC20.approve, (bob, 1)) : bytes(hex"deadbeef");
        // odd cuts keep 0 to 5 bytes: no selector, or one and a cut argument
        if (k.cut & 1 == 1) {
            uint256 n = (k.cut >> 1) % 6;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                mstore(cd, n)
            }
        }
    }

    function _pickOp(Pick memory k) internal returns (TestAccount a, uint176 keyId, PackedUserOperation memory op) {
        a = _newAccount(TestAccount.Style(k.style % 3));
        Policies memory p = _usdcPolicies();
        p.gas.opCeiling = 4;
        // the transfer's recipient one of one payee (checked in the one block through _checkConditions)
        if (k.condition) p.conditions = _onlyBob();
        keyId = _grant(a, "k", agent, p);
        address[6] memory targets =
            [address(usdc), address(hook), address(keyStore), address(ep), address(a), address(0xBEEF)];
        bytes memory exec = abi.encodeWithSelector(
            0xe9ae5c53,
            FunctorMode.encode(FunctorMode.CALLTYPE_SINGLE, keyId),
            abi.encodePacked(targets[k.target % 6], uint256(k.value % 3 == 0 ? k.value : 0), _calldata(k))
        );
        op = _op(a, _opCalldata(a, exec));
        if (k.wrongLane) op.nonce = uint256(uint192(op.nonce >> 64) ^ 1) << 64;
        op.nonce += k.seq % 7; // the ceiling is 4
        // fees around the 100 gwei cap, a cost around 0.01 ether, a pvg at or past 2^128 now and then
        op.gasFees = bytes32((uint256(1 gwei) << 128) | (uint256(k.fee) % 120 gwei));
        op.accountGasLimits = bytes32((uint256(100_000) << 128) | (uint256(k.callGas) % 200_000));
        op.preVerificationGas = k.pvg % 5 == 0 ? k.pvg : k.pvg % 100_000;
        op.signature = _signSession(op, agentPk);
    }

    function _validate(TestAccount a, PackedUserOperation memory op)
        internal
        returns (bool ok, bytes memory ret, uint256 used)
    {
        bytes32 h = ep.getUserOpHash(op);
        vm.prank(address(a));
        uint256 g = gasleft();
        (ok, ret) = address(opValidator).call(abi.encodeCall(IUserOpValidator.validateUserOp, (op, h)));
        used = g - gasleft();
    }

    function testFuzz_SingleCall_SameAsTheGeneralPath(Pick memory k) public {
        _srcOnly("the one block is v2's");
        (TestAccount a, uint176 keyId, PackedUserOperation memory op) = _pickOp(k);
        uint256 snap = vm.snapshotState();
        (bool ok1, bytes memory r1,) = _validate(a, op);
        vm.revertToState(snap);
        _dropCache(a, keyId);
        (bool ok2, bytes memory r2,) = _validate(a, op);
        assertEq(ok1, ok2, "revert or not");
        assertEq(r1, r2, "the same validation data or error");
    }

    /// @dev The common op takes the one block: cheaper than the general steps by a margin that
    /// only skipping them gives, and the same answer.
    function test_SingleCall_CommonOp_TakesTheOneBlock() public {
        _srcOnly("the one block is v2's");
        for (uint8 style; style < 3; ++style) {
            Pick memory k;
            k.style = style;
            k.fee = 2 gwei;
            k.callGas = 50_000;
            k.pvg = 50_001;
            (TestAccount a, uint176 keyId, PackedUserOperation memory op) = _pickOp(k);
            uint256 snap = vm.snapshotState();
            (bool ok1, bytes memory r1, uint256 fast) = _validate(a, op);
            vm.revertToState(snap);
            _dropCache(a, keyId);
            (bool ok2, bytes memory r2, uint256 general) = _validate(a, op);
            assertTrue(ok1 && ok2, "valid");
            assertEq(r1, r2, "the same validation data");
            assertEq(
                abi.decode(r1, (uint256)) >> 160, uint256(uint48(block.timestamp + 7 days)), "validUntil, signer ok"
            );
            // (the validation word's slot is warm here: setPolicies wrote it in this transaction)
            assertGt(general, fast + 500, "the one block skips the general steps");
        }
    }

    /// @dev Each keyed op raises the account's count of ops pending exactly once, whichever way it
    /// was validated: the one block (a plain key), or the general steps after the block gave up (a
    /// key with an argument condition). After the op runs, the owner's uninstall of the hook in the
    /// same bundle lands (it waits only while a validated keyed op has not run: KeyedOpPending).
    function test_OnePendingCountPerOp_WhicheverPathValidated() public {
        _srcOnly("the one block is v2's");
        for (uint256 withCondition; withCondition < 2; ++withCondition) {
            TestAccount a = _newAccount(TestAccount.Style.Nexus);
            Policies memory p = _usdcPolicies();
            if (withCondition == 1) p.conditions = _onlyBob();
            uint176 keyId = _grant(a, "k", agent, p);
            PackedUserOperation[] memory ops = new PackedUserOperation[](2);
            ops[0] = _sessionOp(a, keyId, _one(_transfer(address(usdc), bob, USDC)), agentPk);
            ops[1] = _ownerOp(
                a, _one(Execution(address(a), 0, abi.encodeCall(TestAccount.uninstallModule, (4, address(hook), ""))))
            );
            uint256 before = usdc.balanceOf(bob);
            ep.handleOps(ops, payable(address(0xFEE)));
            assertEq(usdc.balanceOf(bob), before + USDC, "the keyed op ran");
            assertFalse(hookConfig.isInitialized(address(a)), "the uninstall landed");
        }
    }

    /// @dev One argument condition: USDC transfers only to bob.
    function _onlyBob() internal view returns (ArgCondition[] memory c) {
        bytes32[] memory payees = new bytes32[](1);
        payees[0] = bytes32(uint256(uint160(bob)));
        c = new ArgCondition[](1);
        c[0] = ArgCondition(address(usdc), IERC20.transfer.selector, 0, ArgOp.OneOf, payees);
    }

    /// @dev The signer's word with its state byte alone: no terms cache, so validation reads the
    /// validation word's slot (the same word setPolicies wrote).
    function _dropCache(TestAccount a, uint176 keyId) internal {
        bytes32 slot = bytes32(SignerSlot.slotOf(keyId, _signerId(agent), address(a)));
        uint256 w = uint256(vm.load(address(keyStore), slot));
        assertGt(w >> 8, 0, "cached before");
        vm.store(address(keyStore), slot, bytes32(uint256(uint8(w))));
    }
}
