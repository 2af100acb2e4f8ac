// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {OwnedForwarder} from "./OwnedForwarder.sol";

/// @notice A hostile participant: whenever it receives ETH it calls back into the escrow with
/// preset calldata (settle, claim, withdraw...). It swallows the outcome and reports it in an
/// event, so a test sees both that the payout arrived and how the re-entry ended. Test only.
contract ReentrantReceiver is OwnedForwarder {
    bytes private reentryData;

    event ReentryAttempted(bool succeeded, bytes4 errorSelector);

    constructor(address channels_) OwnedForwarder(channels_) {}

    /// @notice Sets the calldata to re-enter with; empty disables re-entry.
    function arm(bytes calldata data) external {
        if (msg.sender != owner) revert NotOwner();
        reentryData = data;
    }

    receive() external payable {
        bytes memory data = reentryData;
        if (data.length == 0) return;
        (bool ok, bytes memory ret) = channels.call(data);
        bytes4 selector;
        if (ret.length >= 4) {
            assembly ("memory-safe") {
                selector := mload(add(ret, 0x20))
            }
        }
        emit ReentryAttempted(ok, selector);
    }
}
