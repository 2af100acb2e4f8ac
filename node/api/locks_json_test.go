package api

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// A channel's latest proof with pending locks is exported with the lock list its
// locksRoot commits to, in creation order, so an auditor or a wallet can check the
// commitment and build the unlock call; a lock-free proof carries no list.
func TestChannelExportCarriesThePendingLockList(t *testing.T) {
	locks := []channel.Lock{
		{Amount: big.NewInt(7), Expiration: 1_900_000_000, SecretHash: channel.SecretHash([32]byte{9})},
		{Amount: big.NewInt(5), Expiration: 1_900_000_600, SecretHash: channel.SecretHash([32]byte{8})},
	}
	root, err := channel.LocksRoot(locks)
	if err != nil {
		t.Fatal(err)
	}
	var v node.ChannelView
	v.Domain = channel.Domain{ChainID: big.NewInt(31337)}
	v.Sent[0] = channel.SignedProof{BalanceProof: channel.BalanceProof{Nonce: 3, Transferred: big.NewInt(20), Locked: big.NewInt(12), LocksRoot: root}}
	v.Locks[0] = locks
	v.Sent[1] = channel.SignedProof{BalanceProof: channel.BalanceProof{Nonce: 1, Transferred: big.NewInt(1)}}
	for i := range 2 {
		v.Deposit[i], v.Withdrawn[i], v.Balance[i], v.Reserved[i] = new(big.Int), new(big.Int), new(big.Int), new(big.Int)
	}
	out := channelJSON(v)
	a, b := out.LatestProofs[0], out.LatestProofs[1]
	if a == nil || len(a.Locks) != 2 || a.Locks[0].Amount.Big().Cmp(big.NewInt(7)) != 0 || a.Locks[1].Expiration != 1_900_000_600 || [32]byte(a.Locks[1].SecretHash) != locks[1].SecretHash {
		t.Fatalf("proof with locks exported as %+v", a)
	}
	if b == nil || b.Locks != nil {
		t.Fatalf("lock-free proof exported with locks: %+v", b)
	}
	text, err := json.Marshal(out.LatestProofs)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), `"locks":[{"amount":"7","expiration":1900000000,"secretHash":"0x`) {
		t.Fatalf("JSON: %s", text)
	}
}
