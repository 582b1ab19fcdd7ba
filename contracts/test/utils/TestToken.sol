// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @dev A plain ERC-20 with public mint, `decimals` chosen (USDC: 6), and the legacy
/// increase/decreaseAllowance that many tokens still have.
contract TestToken is ERC20 {
    uint8 internal immutable _decimals;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function increaseAllowance(address spender, uint256 added) external returns (bool) {
        _approve(msg.sender, spender, allowance(msg.sender, spender) + added);
        return true;
    }

    function decreaseAllowance(address spender, uint256 subtracted) external returns (bool) {
        _approve(msg.sender, spender, allowance(msg.sender, spender) - subtracted);
        return true;
    }
}

/// @dev A router that pulls tokens from the caller through an allowance it already has: the
/// spend does not show in the calldata the key signs, only in the balance.
contract PullingRouter {
    function pull(address token, address from, uint256 amount) external {
        ERC20(token).transferFrom(from, address(this), amount);
    }
}
