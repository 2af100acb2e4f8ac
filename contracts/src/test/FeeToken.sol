// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestToken} from "./TestToken.sol";

/// @notice An ERC-20 that burns 1% of every transfer, so the receiver gets less than was
/// sent: the escrow must credit what arrived, not what was asked. Test only.
contract FeeToken is TestToken {
    constructor() TestToken("Fee Token", "FEE") {}

    function _move(address from, address to, uint256 amount) internal override {
        uint256 fee = amount / 100;
        super._move(from, to, amount - fee);
        if (fee != 0) {
            balanceOf[from] -= fee;
            totalSupply -= fee;
            emit Transfer(from, address(0), fee);
        }
    }
}
