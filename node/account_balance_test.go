package node

import (
	"context"
	"testing"
)

// The node reports its account's native balance (what pays its defenses' gas) as the
// chain holds it, in NodeInfo and as a metric, read by the watcher.
func TestInfoReportsTheAccountBalanceFromTheChain(t *testing.T) {
	tn := newTestNet(t)
	n := tn.startNode(1, nodeOpts{})
	waitFor(t, "the first balance read", func() bool {
		info, err := n.Info(context.Background())
		return err == nil && info.Balance != nil
	})
	info, err := n.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want, err := tn.chain.Client().BalanceAt(context.Background(), tn.chain.Accounts()[1].Address, nil)
	if err != nil {
		t.Fatal(err)
	}
	if info.Balance.Cmp(want) != 0 {
		t.Fatalf("info balance %s, chain holds %s", info.Balance, want)
	}
	if want.Sign() == 0 {
		t.Fatal("the test account holds nothing: the comparison proves nothing")
	}
}
