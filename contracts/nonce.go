package contracts

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// nonceSource is what the nonce manager needs from the chain.
type nonceSource interface {
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
}

// nonceManager hands out consecutive nonces for one sender. Asking the node for the
// pending nonce on every transaction races as soon as two transactions are in flight
// (both get the same nonce: "already known" / "replacement underpriced"), so the next
// nonce is kept locally and only resynchronised from the node after a nonce error or a
// transaction that may not have reached the pool.
//
// The lock is held from taking a nonce until the transaction is accepted by the node,
// so transactions reach the pool in nonce order and a rejected one leaves no gap.
type nonceManager struct {
	mu     sync.Mutex
	sender common.Address
	source nonceSource
	next   uint64
	synced bool
}

func newNonceManager(sender common.Address, source nonceSource) *nonceManager {
	return &nonceManager{sender: sender, source: source}
}

// send calls submit with the next nonce, advancing only when submit succeeds. On a nonce
// error it resynchronises from the node and tries again, a few times.
func (m *nonceManager) send(ctx context.Context, submit func(nonce uint64) error) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	const attempts = 4
	var err error
	for range attempts {
		if !m.synced {
			n, serr := m.source.PendingNonceAt(ctx, m.sender)
			if serr != nil {
				return 0, fmt.Errorf("pending nonce of %s: %w", m.sender, serr)
			}
			m.next, m.synced = n, true
		}
		nonce := m.next
		err = submit(nonce)
		if err == nil {
			m.next++
			return nonce, nil
		}
		if !isNonceError(err) {
			return 0, err
		}
		m.synced = false
	}
	return 0, fmt.Errorf("nonce for %s still rejected after %d resyncs: %w", m.sender, attempts, err)
}

// reserve hands out the next nonce for a transaction signed now and sent later
// (PrepareTx). A reserved nonce that is never sent leaves a gap: whoever reserved it
// must send it or invalidate.
func (m *nonceManager) reserve(ctx context.Context) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.synced {
		n, err := m.source.PendingNonceAt(ctx, m.sender)
		if err != nil {
			return 0, fmt.Errorf("pending nonce of %s: %w", m.sender, err)
		}
		m.next, m.synced = n, true
	}
	n := m.next
	m.next++
	return n, nil
}

// invalidate forces a resync before the next transaction, e.g. after one was dropped.
func (m *nonceManager) invalidate() {
	m.mu.Lock()
	m.synced = false
	m.mu.Unlock()
}

// isNonceError recognises the messages geth and Anvil use when a nonce is taken or out
// of sequence. They are strings on the wire, so matching text is the only option.
func isNonceError(err error) bool {
	msg := strings.ToLower(err.Error())
	for _, s := range []string{
		"nonce too low", "nonce too high", "already known", "replacement transaction underpriced",
		"invalid nonce", "nonce has already been used", "transaction already imported",
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
