// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FunctorTest, TestAccount} from "../utils/FunctorTest.sol";

contract SmokeTest is FunctorTest {
    function test_SessionTransfer_AllStyles() public {
        for (uint256 s; s < 3; ++s) {
            TestAccount a = _newAccount(TestAccount.Style(s));
            (address agent, uint256 pk) = makeAddrAndKey(string.concat("agent", vm.toString(s)));
            uint176 keyId = _grant(a, bytes32(s), agent, _usdcPolicies());
            (bool ok, bytes memory reason) = _sendAndResult(_sessionOp(a, keyId, _one(_transfer(address(usdc), bob, 60 * USDC)), pk));
            assertTrue(ok, string(reason));
        }
        assertEq(usdc.balanceOf(bob), 180 * USDC);
    }
}
