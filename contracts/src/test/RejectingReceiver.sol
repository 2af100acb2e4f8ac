// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {OwnedForwarder} from "./OwnedForwarder.sol";

/// @notice A participant whose receive() reverts until its owner lets ETH in, to prove a
/// refusing receiver cannot block its partner's payout and can claim later. Test only.
contract RejectingReceiver is OwnedForwarder {
    bool public accepting;

    error Rejected();

    constructor(address channels_) OwnedForwarder(channels_) {}

    function setAccepting(bool accepting_) external {
        if (msg.sender != owner) revert NotOwner();
        accepting = accepting_;
    }

    receive() external payable {
        if (!accepting) revert Rejected();
    }
}
