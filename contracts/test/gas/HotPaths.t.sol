// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {Execution} from "../../src/lib/ExecutionParser.sol";
import {ArgCondition, ArgOp, NATIVE_TOKEN, PeriodKind, Policies, SpendLimit} from "../../src/lib/PolicyTypes.sol";
import {IERC7579Hook} from "../../src/interfaces/IERC7579Module.sol";

/// @notice Gas of the hot paths, recorded in contracts/snapshots/HotPathsTest.json (committed).
/// With `gas_snapshot_check = true` in foundry.toml, a run whose figures differ from the committed
/// ones fails, so a regression shows in the diff. Update on purpose with FORGE_SNAPSHOT_CHECK=false.
contract HotPathsTest is FunctorTest {
    TestAccount internal acct;
    address internal agent;
    uint256 internal agentPk;
    uint176 internal keyId;

    function setUp() public override {
        super.setUp();
        acct = _newAccount(TestAccount.Style.Nexus);
        (agent, agentPk) = makeAddrAndKey("agent");
        keyId = _grant(acct, "key", agent, _usdcPolicies());
        usdc.mint(bob, 1); // the recipient already holds the token, as in steady state
    }

    function _coolAll() internal {
        vm.cool(address(keyStore));
        vm.cool(address(validator));
        vm.cool(address(hook));
        vm.cool(address(usdc));
        vm.cool(address(acct));
        vm.cool(bob);
    }

    /// @dev Validation, preCheck and postCheck of one session-key USDC transfer (calls + one sliding
    /// spend limit), each measured as it runs inside handleOps (validation cold, the hook warm).
    function test_Gas_SessionTransfer_Phases() public {
        Execution[] memory x = _one(_transfer(address(usdc), bob, 10 * USDC));
        PackedUserOperation memory op = _sessionOp(acct, keyId, x, agentPk);
        bytes32 h = ep.getUserOpHash(op);
        _coolAll();

        vm.startSnapshotGas("validateUserOp");
        vm.prank(address(acct));
        opValidator.validateUserOp(op, h);
        vm.stopSnapshotGas();

        vm.startSnapshotGas("preCheck");
        vm.prank(address(acct));
        bytes memory hookData = IERC7579Hook(address(hook)).preCheck(address(ep), 0, op.callData);
        vm.stopSnapshotGas();

        vm.prank(address(acct));
        usdc.transfer(bob, 10 * USDC);

        vm.startSnapshotGas("postCheck");
        vm.prank(address(acct));
        hook.postCheck(hookData);
        vm.stopSnapshotGas();
    }

    /// @dev The owner's own execution through the global hook (no keyId): what every owner
    /// transaction pays for having Functor installed.
    function test_Gas_OwnerExecution_HookPassThrough() public {
        bytes memory cd = abi.encodeWithSelector(
            0xe9ae5c53, bytes32(0), abi.encodePacked(address(usdc), uint256(0), abi.encodeCall(IERC20.transfer, (bob, 1)))
        );
        vm.cool(address(hook));
        vm.startSnapshotGas("preCheck_ownerPassThrough");
        vm.prank(address(acct));
        IERC7579Hook(address(hook)).preCheck(address(ep), 0, cd);
        vm.stopSnapshotGas();
    }

    /// @dev Whole bundles, owner-signed vs session-key, per account convention, in a warm state (a
    /// forge test is one transaction; the bench measures real receipts on a chain).
    function test_Gas_HandleOps_OwnerVsSession() public {
        for (uint256 s; s < 3; ++s) {
            TestAccount a = _newAccount(TestAccount.Style(s));
            uint176 k = _grant(a, "k", agent, _usdcPolicies());
            string memory name = s == 0 ? "kernel" : s == 1 ? "nexus" : "safe";
            // Warm the account's nonce slots and the recipient once, as in steady state.
            _send(_ownerOp(a, _one(_transfer(address(usdc), bob, 1))));
            _send(_sessionOp(a, k, _one(_transfer(address(usdc), bob, 1)), agentPk));

            PackedUserOperation memory ownerOp = _ownerOp(a, _one(_transfer(address(usdc), bob, 10 * USDC)));
            uint256 g = gasleft();
            _send(ownerOp);
            vm.snapshotValue(string.concat("handleOps_warm_owner_", name), g - gasleft());

            PackedUserOperation memory sessionOp = _sessionOp(a, k, _one(_transfer(address(usdc), bob, 10 * USDC)), agentPk);
            g = gasleft();
            _send(sessionOp);
            vm.snapshotValue(string.concat("handleOps_warm_session_", name), g - gasleft());
        }
    }

    /// @dev The worst roll of a sliding window, against a spend in the same bucket: the head bucket's
    /// amount written into a ring slot that is still zero, and the oldest bucket, live, expired (a cold
    /// read). The agent gives an op that may land after a bucket boundary this much more call gas
    /// (lib/agent/windowRoll.ts ROLL_CALL_GAS = 40,000): the roll must fit in three quarters of it.
    function test_Gas_WindowRoll_FitsTheAgentsMargin() public {
        uint256 width = DAY / 24;
        // Bucket b with b % 25 == 0: ring[0] (slot 0) gets bucket b; bucket b + 24 goes to ring[24],
        // alone in slot 12, still zero when the measured roll writes it.
        uint256 b = (block.timestamp / width / 25 + 1) * 25;
        _spendAt(b * width, 1);
        _spendAt((b + 1) * width, 1); // roll: bucket b into ring[0]
        _spendAt((b + 24) * width, 1); // roll: bucket b + 1 into ring[1], nothing expires yet
        uint256 rolled = _spendAt((b + 25) * width, 1); // roll: bucket b + 24 into ring[24]; bucket b expires
        uint256 same = _spendAt((b + 25) * width + 1, 1); // same bucket: no roll
        vm.snapshotValue("windowRoll_worst_extra", rolled - same);
        assertLt(rolled - same, 30_000, "a roll must fit in 3/4 of the agent's ROLL_CALL_GAS (40,000)");
        assertGt(rolled - same, 22_100, "the measured roll wrote a fresh ring slot");
    }

    /// @dev One session transfer at `t`, cold as a new transaction; returns the bundle's gas.
    function _spendAt(uint256 t, uint256 amount) internal returns (uint256 used) {
        vm.warp(t);
        PackedUserOperation memory op = _sessionOp(acct, keyId, _one(_transfer(address(usdc), bob, amount)), agentPk);
        _coolAll();
        uint256 g = gasleft();
        (bool ok,) = _sendAndResult(op);
        used = g - gasleft();
        assertTrue(ok, "session transfer");
    }

    /// @dev The cost of one argument condition (the transfer's recipient one of one payee), on each
    /// kind: the same warm session transfer by a key without and with it (a key without conditions
    /// pays nothing for the feature: the other figures above are the plain key's); then the same for
    /// a batch of five such transfers (`oneCondition_batch5_extra_*`).
    function test_Gas_HandleOps_OneCondition() public {
        for (uint256 s; s < 3; ++s) {
            TestAccount a = _newAccount(TestAccount.Style(s));
            Policies memory p = _usdcPolicies();
            uint176 plain = _grant(a, "plain", agent, p);
            bytes32[] memory payees = new bytes32[](1);
            payees[0] = bytes32(uint256(uint160(bob)));
            p.conditions = new ArgCondition[](1);
            p.conditions[0] = ArgCondition(address(usdc), IERC20.transfer.selector, 0, ArgOp.OneOf, payees);
            uint176 payee = _grant(a, "payee", agent, p);
            string memory name = s == 0 ? "kernel" : s == 1 ? "nexus" : "safe";
            _send(_sessionOp(a, plain, _one(_transfer(address(usdc), bob, 1)), agentPk));
            _send(_sessionOp(a, payee, _one(_transfer(address(usdc), bob, 1)), agentPk));

            PackedUserOperation memory op = _sessionOp(a, plain, _one(_transfer(address(usdc), bob, 10 * USDC)), agentPk);
            uint256 g = gasleft();
            _send(op);
            uint256 without = g - gasleft();
            op = _sessionOp(a, payee, _one(_transfer(address(usdc), bob, 10 * USDC)), agentPk);
            g = gasleft();
            _send(op);
            uint256 with_ = g - gasleft();
            vm.snapshotValue(string.concat("handleOps_warm_session_oneCondition_", name), with_);
            vm.snapshotValue(string.concat("oneCondition_extra_", name), with_ - without);

            // a batch of five, each call under the condition (checked in the batch loop)
            Execution[] memory five = new Execution[](5);
            for (uint256 i; i < 5; ++i) {
                five[i] = _transfer(address(usdc), bob, USDC);
            }
            op = _sessionOp(a, plain, five, agentPk);
            g = gasleft();
            _send(op);
            without = g - gasleft();
            op = _sessionOp(a, payee, five, agentPk);
            g = gasleft();
            _send(op);
            with_ = g - gasleft();
            vm.snapshotValue(string.concat("oneCondition_batch5_extra_", name), with_ - without);
        }
    }

    /// @dev What the general path costs over the common case (issue 17: it runs as
    /// FunctorPolicyGeneral's code, by DELEGATECALL from a cold address): the same warm session
    /// transfer by a key with one spend limit (the common case) and by one with three (USDC, DAI and
    /// native value: the general path), `generalPath_extra_*` the difference. The general path's code
    /// is cooled before the measured op, as on a chain, where it is first reached in the transaction.
    function test_Gas_HandleOps_GeneralPath() public {
        for (uint256 s; s < 3; ++s) {
            TestAccount a = _newAccount(TestAccount.Style(s));
            Policies memory p = _usdcPolicies();
            uint176 common = _grant(a, "common", agent, p);
            SpendLimit[] memory three = new SpendLimit[](3);
            three[0] = p.spends[0];
            three[1] = SpendLimit(address(dai), uint96(100 ether), DAY, PeriodKind.Sliding, 0);
            three[2] = SpendLimit(NATIVE_TOKEN, uint96(1 ether), DAY, PeriodKind.Sliding, 0);
            p.spends = three;
            uint176 general = _grant(a, "general", agent, p);
            string memory name = s == 0 ? "kernel" : s == 1 ? "nexus" : "safe";
            _send(_sessionOp(a, common, _one(_transfer(address(usdc), bob, 1)), agentPk));
            _send(_sessionOp(a, general, _one(_transfer(address(usdc), bob, 1)), agentPk));

            uint256 without = _gasOf(_sessionOp(a, common, _one(_transfer(address(usdc), bob, 10 * USDC)), agentPk));
            PackedUserOperation memory op = _sessionOp(a, general, _one(_transfer(address(usdc), bob, 10 * USDC)), agentPk);
            vm.cool(generalCode);
            uint256 with_ = _gasOf(op);
            vm.snapshotValue(string.concat("handleOps_warm_session_generalPath_", name), with_);
            vm.snapshotValue(string.concat("generalPath_extra_", name), with_ - without);
        }
    }

    /// @dev What each extra call of a batch costs a key, per convention: a batch of five transfers
    /// and one transfer, owner-signed and session-key, warm; `perExtraCall_*` is
    /// ((session5 - owner5) - (session1 - owner1)) / 4, the bench's "each extra call" in forge.
    function test_Gas_HandleOps_Batch5() public {
        for (uint256 s; s < 3; ++s) {
            TestAccount a = _newAccount(TestAccount.Style(s));
            uint176 k = _grant(a, "k", agent, _usdcPolicies());
            string memory name = s == 0 ? "kernel" : s == 1 ? "nexus" : "safe";
            Execution[] memory five = new Execution[](5);
            for (uint256 i; i < 5; ++i) {
                five[i] = _transfer(address(usdc), bob, USDC);
            }
            _send(_ownerOp(a, five));
            _send(_sessionOp(a, k, five, agentPk));

            uint256 owner1 = _gasOf(_ownerOp(a, _one(_transfer(address(usdc), bob, USDC))));
            uint256 session1 = _gasOf(_sessionOp(a, k, _one(_transfer(address(usdc), bob, USDC)), agentPk));
            uint256 owner5 = _gasOf(_ownerOp(a, five));
            uint256 session5 = _gasOf(_sessionOp(a, k, five, agentPk));
            vm.snapshotValue(string.concat("handleOps_warm_batch5_owner_", name), owner5);
            vm.snapshotValue(string.concat("handleOps_warm_batch5_session_", name), session5);
            vm.snapshotValue(string.concat("perExtraCall_", name), ((session5 - owner5) - (session1 - owner1)) / 4);
        }
    }

    function _gasOf(PackedUserOperation memory op) internal returns (uint256) {
        uint256 g = gasleft();
        _send(op);
        return g - gasleft();
    }

    function test_Gas_KeyStore() public {
        bytes32[] memory signers = new bytes32[](1);
        signers[0] = _signerId(agent);
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(address(acct), 0, "");

        vm.cool(address(keyStore));
        vm.startSnapshotGas("keyStore_register_enable1");
        vm.prank(address(acct));
        uint176 k = keyStore.register("gas", signers, auths);
        vm.stopSnapshotGas();

        vm.cool(address(keyStore));
        vm.startSnapshotGas("keyStore_rotateSigner_1account");
        vm.prank(address(acct));
        keyStore.rotateSigner(k, _signerId(agent), _signerId(alice));
        vm.stopSnapshotGas();

        vm.cool(address(keyStore));
        vm.startSnapshotGas("keyStore_revoke_1account");
        vm.prank(address(acct));
        keyStore.revoke(k);
        vm.stopSnapshotGas();
    }
}
