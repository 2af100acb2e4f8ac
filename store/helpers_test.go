package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

func openTemp(t *testing.T, o Options) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "db")
	s, err := Open(dir, o)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func reopen(t *testing.T, s *Store, o Options) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	s2, err := Open(s.Path(), o)
	if err != nil {
		t.Fatalf("reopen %s: %v", s.Path(), err)
	}
	t.Cleanup(func() { s2.Close() })
	return s2
}

func commit(t *testing.T, s *Store, fill func(b *Batch) error) {
	t.Helper()
	b := NewBatch()
	if err := fill(b); err != nil {
		t.Fatalf("fill batch: %v", err)
	}
	if err := s.Commit(context.Background(), b); err != nil {
		t.Fatalf("commit: %v", err)
	}
}

func testChannelID(n uint64) channel.ID {
	var id channel.ID
	binary.BigEndian.PutUint64(id[24:], n)
	id[0] = 0xc4
	return id
}

func testPaymentID(n uint64) PaymentID {
	sum := sha256.Sum256(binary.BigEndian.AppendUint64(nil, n))
	var id PaymentID
	copy(id[:], sum[:])
	return id
}

func testSig(seed byte) channel.Signature {
	var s channel.Signature
	for i := range s {
		s[i] = seed + byte(i)
	}
	s[64] = 27
	return s
}

func testChannel(n uint64) ChannelRecord {
	id := testChannelID(n)
	return ChannelRecord{
		Params: channel.Params{
			ID:              id,
			Domain:          channel.Domain{ChainID: big.NewInt(31337), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")},
			Participants:    [2]common.Address{common.HexToAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")},
			Token:           common.Address{},
			ChallengePeriod: 3600,
		},
		Self:        channel.PartyB,
		Status:      channel.StatusOpen,
		Deposit:     [2]*big.Int{big.NewInt(1e18), big.NewInt(5)},
		Withdrawn:   [2]*big.Int{big.NewInt(0), big.NewInt(2)},
		SettleAfter: 0,
		Withdrawals: []WithdrawalRecord{{
			Withdrawal: channel.Withdrawal{Channel: id, Participant: common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), TotalWithdrawn: big.NewInt(3), Expiry: 1_900_000_000},
			Sigs:       [2]channel.Signature{testSig(1), {}},
		}},
		Settlement: &SettlementRecord{
			Settlement: channel.Settlement{Channel: id, BalanceA: big.NewInt(7), BalanceB: new(big.Int).Lsh(big.NewInt(1), 127)},
			Sigs:       [2]channel.Signature{testSig(2), testSig(3)},
		},
	}
}

func testProof(ch channel.ID, nonce uint64) channel.SignedProof {
	return channel.SignedProof{
		BalanceProof: channel.BalanceProof{Channel: ch, Nonce: nonce, Transferred: new(big.Int).SetUint64(nonce * 1000)},
		Sig:          testSig(byte(nonce)),
	}
}

var testEpoch = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func testPayment(ch channel.ID, n uint64) PaymentRecord {
	return PaymentRecord{
		ID:          testPaymentID(n),
		Channel:     ch,
		Direction:   Outgoing,
		Nonce:       n,
		Amount:      big.NewInt(1000),
		Transferred: new(big.Int).SetUint64(n * 1000),
		Time:        testEpoch.Add(time.Duration(n) * time.Millisecond),
		Memo:        "coffee",
	}
}

// putPayment is a payment write as the node does it: the proof and the log entry together.
func putPayment(b *Batch, ch channel.ID, n uint64) error {
	p := testProof(ch, n)
	if err := b.PutProof(channel.PartyA, &p); err != nil {
		return err
	}
	rec := testPayment(ch, n)
	return b.PutPayment(&rec)
}

// commitPayment commits one payment write and returns Commit's verdict.
func commitPayment(s *Store, ch channel.ID, n uint64) error {
	b := NewBatch()
	if err := putPayment(b, ch, n); err != nil {
		return err
	}
	return s.Commit(context.Background(), b)
}

// waitQueued waits until n requests wait in the committer's queue; n == 0 waits until
// the committer has taken everything.
func waitQueued(t *testing.T, g *GroupCommitter, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		g.mu.Lock()
		got := len(g.queue)
		g.mu.Unlock()
		if (n > 0 && got >= n) || (n == 0 && got == 0) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d commits queued after 10s", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}
