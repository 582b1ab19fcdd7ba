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

    /// @dev EIP-170: public chains refuse runtime code above 24,576 bytes (the devnet's anvil runs
    /// without the limit for Kernel, so only this test catches a Functor contract that grew past it).
    function test_CodeSize_UnderEIP170() public view {
        assertLe(address(hook).code.length, 24_576, "FunctorPolicyHook");
        assertLe(address(validator).code.length, 24_576, "FunctorValidator");
        assertLe(address(keyStore).code.length, 24_576, "KeyStore");
    }
}
