package follow

import (
	"errors"
	"time"
)

// Health is the follower's view of the chain and of the RPC it reads it through.
type Health struct {
	Head          uint64 // newest block seen
	HeadTime      uint64 // its timestamp (unix seconds)
	Processed     uint64 // newest block whose logs were read
	Confirmed     uint64 // newest block everything up to which was delivered
	Confirmations uint64 // the depth in force
	// RPCOK is false from the first failed chain call until a poll succeeds again.
	RPCOK     bool
	LastError string
	// Since is when RPCOK last changed; LastOK is the end of the last successful poll.
	Since  time.Time
	LastOK time.Time
	// Reorgs counts reorganisations detected; LastReorgDepth is the latest one's depth.
	Reorgs         uint64
	LastReorgDepth uint64
}

// Health returns a snapshot of the follower's health.
func (f *Follower[E]) Health() Health {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.health
}

func (f *Follower[E]) setHead(h Header, conf uint64) {
	f.mu.Lock()
	f.health.Head, f.health.HeadTime, f.health.Confirmations = h.Number, h.Time, conf
	f.mu.Unlock()
}

// rpcFailed records a failed chain call and returns err. A reorganisation seen
// mid-read is not the RPC's fault.
func (f *Follower[E]) rpcFailed(err error) error {
	if errors.Is(err, ErrChainMoved) {
		return err
	}
	f.mu.Lock()
	if f.health.RPCOK {
		f.health.RPCOK = false
		f.health.Since = time.Now()
	}
	f.health.LastError = err.Error()
	f.mu.Unlock()
	return err
}

func (f *Follower[E]) rpcOK() {
	f.mu.Lock()
	if !f.health.RPCOK {
		f.health.RPCOK = true
		f.health.Since = time.Now()
	}
	f.health.LastOK = time.Now()
	f.mu.Unlock()
}
