// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestToken} from "./TestToken.sol";

/// @notice An ERC-20 with a USDC-style blocklist: transfers to or from a blocked address
/// revert, which is how a token payout from the escrow can fail. Test only.
contract BlockingToken is TestToken {
    mapping(address => bool) public blocked;

    error Blocked(address account);

    constructor() TestToken("Blocking Token", "BLK") {}

    function setBlocked(address account, bool blocked_) external {
        blocked[account] = blocked_;
    }

    function _move(address from, address to, uint256 amount) internal override {
        if (blocked[from]) revert Blocked(from);
        if (blocked[to]) revert Blocked(to);
        super._move(from, to, amount);
    }
}
