package store

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

func TestChannelRecordSurvivesReopen(t *testing.T) {
	s, _ := openTemp(t, Options{})
	rec := testChannel(1)
	commit(t, s, func(b *Batch) error { return b.PutChannel(&rec) })
	s = reopen(t, s, Options{})
	got, ok, err := s.GetChannel(rec.Params.ID)
	if err != nil || !ok {
		t.Fatalf("get channel: found=%v err=%v", ok, err)
	}
	if !reflect.DeepEqual(normalizeChannel(got), normalizeChannel(rec)) {
		t.Fatalf("got %+v, want %+v", got, rec)
	}
	if _, ok, err := s.GetChannel(testChannelID(2)); ok || err != nil {
		t.Fatalf("unknown channel: found=%v err=%v", ok, err)
	}
}

func TestPutProofKeepsOnlyTheLatestPerSigner(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	for n := uint64(1); n <= 3; n++ {
		commit(t, s, func(b *Batch) error { p := testProof(ch, n); return b.PutProof(channel.PartyA, &p) })
	}
	commit(t, s, func(b *Batch) error { p := testProof(ch, 9); return b.PutProof(channel.PartyB, &p) })
	proofs, err := s.GetProofs(ch)
	if err != nil {
		t.Fatal(err)
	}
	if proofs[channel.PartyA] == nil || proofs[channel.PartyA].Nonce != 3 || proofs[channel.PartyA].Transferred.Int64() != 3000 {
		t.Fatalf("proof signed by A: %+v, want nonce 3", proofs[channel.PartyA])
	}
	if proofs[channel.PartyB] == nil || proofs[channel.PartyB].Nonce != 9 || proofs[channel.PartyB].Sig != testSig(9) {
		t.Fatalf("proof signed by B: %+v, want nonce 9", proofs[channel.PartyB])
	}
	none, err := s.GetProofs(testChannelID(2))
	if err != nil || none[0] != nil || none[1] != nil {
		t.Fatalf("channel without proofs: %+v, %v", none, err)
	}
	if _, _, err := s.GetProof(ch, 2); err == nil {
		t.Fatal("GetProof accepted signer 2")
	}
}

func TestPutChannelDoesNotTouchProofs(t *testing.T) {
	s, _ := openTemp(t, Options{})
	rec := testChannel(1)
	commit(t, s, func(b *Batch) error { p := testProof(rec.Params.ID, 5); return b.PutProof(channel.PartyB, &p) })
	commit(t, s, func(b *Batch) error { return b.PutChannel(&rec) })
	p, ok, err := s.GetProof(rec.Params.ID, channel.PartyB)
	if err != nil || !ok || p.Nonce != 5 {
		t.Fatalf("proof after PutChannel: %+v found=%v err=%v", p, ok, err)
	}
}

func TestDeleteChannelRemovesRecordAndProofsButKeepsPayments(t *testing.T) {
	s, _ := openTemp(t, Options{})
	rec := testChannel(1)
	id := rec.Params.ID
	commit(t, s, func(b *Batch) error {
		if err := b.PutChannel(&rec); err != nil {
			return err
		}
		return putPayment(b, id, 1)
	})
	commit(t, s, func(b *Batch) error { b.DeleteChannel(id); return nil })
	if _, ok, _ := s.GetChannel(id); ok {
		t.Fatal("channel record still present")
	}
	if proofs, _ := s.GetProofs(id); proofs[0] != nil {
		t.Fatal("proof still present")
	}
	if _, ok, _ := s.GetPayment(testPaymentID(1)); !ok {
		t.Fatal("payment log entry deleted with the channel")
	}
}

func TestGetPaymentFindsCommittedPaymentsOnly(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	if _, ok, err := s.GetPayment(testPaymentID(1)); ok || err != nil {
		t.Fatalf("before commit: found=%v err=%v", ok, err)
	}
	commit(t, s, func(b *Batch) error { return putPayment(b, ch, 1) })
	s = reopen(t, s, Options{})
	got, ok, err := s.GetPayment(testPaymentID(1))
	if err != nil || !ok {
		t.Fatalf("after commit: found=%v err=%v", ok, err)
	}
	want := testPayment(ch, 1)
	if got.Channel != ch || got.Nonce != 1 || got.Amount.Cmp(want.Amount) != 0 || !got.Time.Equal(want.Time) || got.Memo != want.Memo {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestPeerAddressBookPutListDelete(t *testing.T) {
	s, _ := openTemp(t, Options{})
	a := PeerRecord{Address: common.HexToAddress("0xaa"), PeerID: "16Uiu2HAmA", Addrs: []string{"/ip4/127.0.0.1/tcp/1"}, LastSeen: testEpoch}
	b := PeerRecord{Address: common.HexToAddress("0xbb"), PeerID: "16Uiu2HAmB", LastSeen: testEpoch}
	commit(t, s, func(bt *Batch) error {
		if err := bt.PutPeer(&b); err != nil {
			return err
		}
		return bt.PutPeer(&a)
	})
	got, ok, err := s.GetPeer(a.Address)
	if err != nil || !ok || !reflect.DeepEqual(got, a) {
		t.Fatalf("get peer: %+v found=%v err=%v", got, ok, err)
	}
	all, err := s.ListPeers()
	if err != nil || len(all) != 2 || all[0].Address != a.Address || all[1].Address != b.Address {
		t.Fatalf("list peers: %+v, %v", all, err)
	}
	commit(t, s, func(bt *Batch) error { bt.DeletePeer(a.Address); return nil })
	if _, ok, _ := s.GetPeer(a.Address); ok {
		t.Fatal("deleted peer still present")
	}
}

func TestChainCursorIsAbsentUntilPut(t *testing.T) {
	s, _ := openTemp(t, Options{})
	if _, ok, err := s.GetCursor(); ok || err != nil {
		t.Fatalf("fresh store: found=%v err=%v", ok, err)
	}
	want := ChainCursor{Block: 120, BlockHash: common.HexToHash("0x01"), LogIndex: 4}
	commit(t, s, func(b *Batch) error { b.PutCursor(want); return nil })
	s = reopen(t, s, Options{})
	got, ok, err := s.GetCursor()
	if err != nil || !ok || got != want {
		t.Fatalf("cursor %+v found=%v err=%v, want %+v", got, ok, err, want)
	}
}

func TestOpsMoveFromDecidedToMinedAndPendingOpsFollows(t *testing.T) {
	s, _ := openTemp(t, Options{})
	settle := OpRecord{ID: NewOpID("settle", testChannelID(1), nil), Kind: "settle", Channel: testChannelID(1), State: OpDecided, Updated: testEpoch}
	update := OpRecord{ID: NewOpID("updateProof", testChannelID(2), []byte{7}), Kind: "updateProof", Channel: testChannelID(2), Payload: []byte{7}, State: OpDecided, Updated: testEpoch}
	commit(t, s, func(b *Batch) error {
		if err := b.PutOp(&settle); err != nil {
			return err
		}
		return b.PutOp(&update)
	})
	pendingIDs := func() []OpID {
		t.Helper()
		ops, err := s.PendingOps()
		if err != nil {
			t.Fatal(err)
		}
		var ids []OpID
		for _, op := range ops {
			ids = append(ids, op.ID)
		}
		return ids
	}
	if got := pendingIDs(); len(got) != 2 {
		t.Fatalf("pending after decide: %v", got)
	}
	settle.State, settle.TxHash, settle.RawTx = OpSubmitted, common.HexToHash("0x77"), []byte{0xf8}
	commit(t, s, func(b *Batch) error { return b.PutOp(&settle) })
	s = reopen(t, s, Options{})
	got, ok, err := s.GetOp(settle.ID)
	if err != nil || !ok || got.State != OpSubmitted || got.TxHash != settle.TxHash || !bytes.Equal(got.RawTx, settle.RawTx) {
		t.Fatalf("submitted op read back as %+v found=%v err=%v", got, ok, err)
	}
	settle.State = OpMined
	commit(t, s, func(b *Batch) error { return b.PutOp(&settle) })
	if got := pendingIDs(); len(got) != 1 || got[0] != update.ID {
		t.Fatalf("pending after mined: %v, want only %s", got, update.ID)
	}
	if all, err := s.ListOps(); err != nil || len(all) != 2 {
		t.Fatalf("list ops: %d ops, %v", len(all), err)
	}
	commit(t, s, func(b *Batch) error { b.DeleteOp(settle.ID); return nil })
	if _, ok, _ := s.GetOp(settle.ID); ok {
		t.Fatal("deleted op still present")
	}
}

func TestMetaNamespacesAreIsolated(t *testing.T) {
	s, _ := openTemp(t, Options{})
	commit(t, s, func(b *Batch) error {
		for _, kv := range [][3]string{{"risk", "count", "1"}, {"risk", "limit", "2"}, {"ris", "kcount", "3"}, {"watch", "count", "4"}} {
			if err := b.PutMeta(kv[0], kv[1], []byte(kv[2])); err != nil {
				return err
			}
		}
		return nil
	})
	v, ok, err := s.GetMeta("risk", "count")
	if err != nil || !ok || string(v) != "1" {
		t.Fatalf("risk/count = %q found=%v err=%v", v, ok, err)
	}
	if v, _, _ := s.GetMeta("ris", "kcount"); string(v) != "3" {
		t.Fatalf("ris/kcount = %q, namespaces collide", v)
	}
	entries, err := s.ListMeta("risk")
	if err != nil || len(entries) != 2 || entries[0].Key != "count" || entries[1].Key != "limit" {
		t.Fatalf("list risk: %+v, %v", entries, err)
	}
	commit(t, s, func(b *Batch) error { return b.DeleteMeta("risk", "count") })
	if _, ok, _ := s.GetMeta("risk", "count"); ok {
		t.Fatal("deleted meta still present")
	}
	if _, _, err := s.GetMeta("", "x"); err == nil {
		t.Fatal("GetMeta accepted an empty namespace")
	}
}

func TestBatchIsAtomicAcrossRecordKinds(t *testing.T) {
	s, _ := openTemp(t, Options{})
	rec := testChannel(1)
	b := NewBatch()
	if err := b.PutChannel(&rec); err != nil {
		t.Fatal(err)
	}
	if err := putPayment(b, rec.Params.ID, 1); err != nil {
		t.Fatal(err)
	}
	bad := testPayment(rec.Params.ID, 2)
	bad.Amount = big.NewInt(-1)
	if err := b.PutPayment(&bad); err == nil {
		t.Fatal("negative amount accepted")
	}
	if err := s.Commit(context.Background(), b); err == nil {
		t.Fatal("a batch with a failed put was committed")
	}
	if _, ok, _ := s.GetChannel(rec.Params.ID); ok {
		t.Fatal("part of a rejected batch reached the store")
	}
	b.Reset()
	if err := b.PutChannel(&rec); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(context.Background(), b); err != nil {
		t.Fatalf("commit after Reset: %v", err)
	}
}

func TestClosedStoreRefusesReadsAndCommits(t *testing.T) {
	s, _ := openTemp(t, Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	b := NewBatch()
	_ = putPayment(b, testChannelID(1), 1)
	if err := s.Commit(context.Background(), b); !errors.Is(err, ErrClosed) {
		t.Fatalf("commit after close: %v, want ErrClosed", err)
	}
	if _, _, err := s.GetPayment(testPaymentID(1)); !errors.Is(err, ErrClosed) {
		t.Fatalf("read after close: %v, want ErrClosed", err)
	}
	if _, err := s.ListChannels("", 10); !errors.Is(err, ErrClosed) {
		t.Fatalf("list after close: %v, want ErrClosed", err)
	}
}

func TestAppendAddsOnlyWholeValidBatches(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	shared := NewBatch()
	good := NewBatch()
	if err := putPayment(good, ch, 1); err != nil {
		t.Fatal(err)
	}
	bad := NewBatch()
	_ = putPayment(bad, ch, 2)
	_ = bad.PutMeta("", "k", nil)
	if err := shared.Append(good); err != nil {
		t.Fatal(err)
	}
	if err := shared.Append(bad); err == nil {
		t.Fatal("a poisoned batch was appended")
	}
	if shared.Err() != nil || shared.Len() != good.Len() {
		t.Fatalf("shared batch after a refused append: err=%v len=%d, want clean with %d writes", shared.Err(), shared.Len(), good.Len())
	}
	if err := s.Commit(context.Background(), shared); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.GetPayment(testPaymentID(1)); !ok {
		t.Fatal("appended payment missing")
	}
	if _, ok, _ := s.GetPayment(testPaymentID(2)); ok {
		t.Fatal("payment of the refused batch was written")
	}
}
