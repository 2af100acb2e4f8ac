// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice Lets a contract act as a channel participant: its owner sends it calldata for the
/// escrow (open, close, settle, claim...) and it makes the call as msg.sender. Test only.
abstract contract OwnedForwarder {
    address public immutable owner;
    address public immutable channels;

    error NotOwner();

    constructor(address channels_) {
        owner = msg.sender;
        channels = channels_;
    }

    /// @notice Calls the escrow with data and msg.value, bubbling up its revert data so tests
    /// can match the escrow's custom errors.
    function forward(bytes calldata data) external payable returns (bytes memory ret) {
        if (msg.sender != owner) revert NotOwner();
        bool ok;
        (ok, ret) = channels.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }
}
