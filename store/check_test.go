package store

import (
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/syndtr/goleveldb/leveldb"
)

func TestCheckCountsEveryRecordKind(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannel(1)
	commit(t, s, func(b *Batch) error {
		if err := b.PutChannel(&ch); err != nil {
			return err
		}
		for n := uint64(1); n <= 4; n++ {
			if err := putPayment(b, ch.Params.ID, n); err != nil {
				return err
			}
		}
		b.PutCursor(ChainCursor{Block: 1})
		if err := b.PutPeer(&PeerRecord{Address: common.HexToAddress("0x1"), PeerID: "p"}); err != nil {
			return err
		}
		if err := b.PutOp(&OpRecord{ID: OpID{1}, Kind: "settle", State: OpDecided}); err != nil {
			return err
		}
		// Issue 21, finding 7: `db check` called every recorded op pending.
		if err := b.PutOp(&OpRecord{ID: OpID{2}, Kind: "open", State: OpMined, TxHash: common.Hash{9}}); err != nil {
			return err
		}
		return b.PutMeta("risk", "n", []byte{1})
	})
	rep, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	want := CheckReport{Channels: 1, Proofs: 1, Payments: 4, IndexEntries: 4, Peers: 1, Ops: 2, PendingOps: 1, Meta: 1, Cursor: true}
	if rep.Channels != want.Channels || rep.Proofs != want.Proofs || rep.Payments != want.Payments ||
		rep.IndexEntries != want.IndexEntries || rep.Peers != want.Peers || rep.Ops != want.Ops || rep.PendingOps != want.PendingOps ||
		rep.Meta != want.Meta || rep.Cursor != want.Cursor || rep.BadCount != 0 || rep.StaleIndex != 0 {
		t.Fatalf("report %+v, want %+v", rep, want)
	}
}

func TestCheckCountsStaleIndexEntriesWithoutCallingThemBad(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	commit(t, s, func(b *Batch) error { return putPayment(b, ch, 1) })
	moved := testPayment(ch, 1)
	moved.Time = moved.Time.Add(time.Minute)
	commit(t, s, func(b *Batch) error { return b.PutPayment(&moved) })
	rep, err := s.Check()
	if err != nil || rep.StaleIndex != 1 || rep.BadCount != 0 || rep.IndexEntries != 2 {
		t.Fatalf("report %+v (%v), want one stale index entry of two and nothing bad", rep, err)
	}
}

func TestCheckAndRecoverReportUndecodableRecords(t *testing.T) {
	s, dir := openTemp(t, Options{})
	commit(t, s, func(b *Batch) error { return putPayment(b, testChannelID(1), 1) })
	s.Close()
	db, err := leveldb.OpenFile(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range [][]byte{channelKey(testChannelID(2)), paymentKey(testPaymentID(1)), {'Z', 1}} {
		if err := db.Put(k, []byte{0xff, 0xff}, nil); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Check()
	s.Close()
	// The damaged payment also makes its index entry unreadable: four bad records.
	if err != nil || rep.BadCount != 4 || len(rep.Bad) != 4 {
		t.Fatalf("check: %+v (%v), want 4 bad records", rep, err)
	}
	rec, err := Recover(dir)
	if err != nil || rec.Check.BadCount != 4 {
		t.Fatalf("recover report %+v (%v), want its check to list the 4 bad records", rec.Check, err)
	}
}
