//go:build !linux

package node

import "time"

// threadCPU is unavailable here; measureVerifyRate falls back to wall time.
func threadCPU() (time.Duration, bool) { return 0, false }

// processCPU is unavailable here.
func processCPU() (time.Duration, bool) { return 0, false }
