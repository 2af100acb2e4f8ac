// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {OwnedForwarder} from "./OwnedForwarder.sol";

/// @notice A participant whose receive() burns all the gas it is given, to prove an ETH
/// push cannot be used to make its partner's settlement run out of gas. Test only.
contract GasBurningReceiver is OwnedForwarder {
    uint256 public spins;

    constructor(address channels_) OwnedForwarder(channels_) {}

    receive() external payable {
        while (true) {
            spins++;
        }
    }
}
