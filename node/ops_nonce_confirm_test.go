package node

import (
	"context"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// receiptsLateChain answers Track as Anvil can for a moment under load: the account's
// nonce in the live state already moved past a transaction that was just mined, but its
// receipt is not stored yet (the miner releases the state before it stores the block's
// transactions), so the first look at the first mined transaction reads "nonce taken".
type receiptsLateChain struct {
	Chain
	mu   sync.Mutex
	lied bool
}

func (c *receiptsLateChain) Track(ctx context.Context, tx SignedTx, replaced []common.Hash) (TxStatus, error) {
	st, err := c.Chain.Track(ctx, tx, replaced)
	if err != nil || !st.Mined {
		return st, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.lied {
		c.lied = true
		return TxStatus{NonceTaken: true}, nil
	}
	return st, nil
}

// TestOpenIsNotSignedAgainWhileItsReceiptIsLate: TestHubClaimsOnChainOnAnvil once found
// 2000 wei in the escrow where one open of 1000 should be. The op runner took one
// "nonce taken" answer for the truth and signed the open again with a fresh nonce: the
// chain executed both, and the same deposit left the wallet twice. "Nonce taken" must
// be shown by the block where our nonce passed the open's (ADR 0042) before a call is
// signed again.
func TestOpenIsNotSignedAgainWhileItsReceiptIsLate(t *testing.T) {
	tn := newTestNet(t)
	late := &receiptsLateChain{}
	a := tn.startNode(1, nodeOpts{wrapChain: func(c Chain) Chain { late.Chain = c; return late }})
	b := tn.startNode(2, nodeOpts{})
	before := escrowOf(t, tn)
	openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	// The open returns once a version of it is mined: a second signing is counted by then.
	if n := metricValue(t, a.metrics.txResigned); n != 0 {
		t.Errorf("re-signed %v transactions; none had its nonce taken", n)
	}
	time.Sleep(time.Second) // a second open, if one was signed, is mined by now
	if got := new(big.Int).Sub(escrowOf(t, tn), before); got.Int64() != 1000 {
		t.Fatalf("the escrow took %s wei for one open of 1000", got)
	}
	chans, err := a.Channels(context.Background(), ChannelFilter{})
	if err != nil || len(chans) != 1 {
		t.Fatalf("the wallet has %d channels (%v), want 1", len(chans), err)
	}
}
