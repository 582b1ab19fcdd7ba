// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";
import {KeyStore} from "../../src/KeyStore.sol";
import {Execution} from "../../src/lib/ExecutionParser.sol";

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
        validator.validateUserOp(op, h);
        vm.stopSnapshotGas();

        vm.startSnapshotGas("preCheck");
        vm.prank(address(acct));
        bytes memory hookData = hook.preCheck(address(ep), 0, op.callData);
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
        hook.preCheck(address(ep), 0, cd);
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
