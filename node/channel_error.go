package node

import (
	"fmt"
	"strings"

	"github.com/sluicepay/sluice/channel"
)

// channelError is an operation's failure on one channel, worded once: the channel
// package names the channel in its own errors ("channel 0x..: party A pays ..."), so
// wrapping one with "pay on channel 0x..: %w" said the channel twice (issue 21,
// finding 9). errors.Is and errors.As see the wrapped error.
type channelError struct {
	what string // the operation with the channel's id, e.g. "pay on channel 0xab.."
	id   channel.ID
	err  error
}

// WrapChannelError returns err as the failure of what (a phrase naming id), without
// repeating id when err already begins with it.
func WrapChannelError(id channel.ID, err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &channelError{what: fmt.Sprintf(format, args...), id: id, err: err}
}

func (e *channelError) Error() string {
	msg := strings.TrimPrefix(e.err.Error(), "channel "+e.id.String()+": ")
	return e.what + ": " + msg
}

func (e *channelError) Unwrap() error { return e.err }
