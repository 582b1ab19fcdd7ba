// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
/// @dev The tests use the devnet's token (open mint, chosen decimals, legacy allowance calls).
import {DevToken as TestToken} from "../../src/dev/DevToken.sol";

/// @dev A router that pulls tokens from the caller through an allowance it already has: the
/// spend does not show in the calldata the key signs, only in the balance.
contract PullingRouter {
    function pull(address token, address from, uint256 amount) external {
        ERC20(token).transferFrom(from, address(this), amount);
    }
}
