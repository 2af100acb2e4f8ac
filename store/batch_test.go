package store

import (
	"context"
	"testing"

	"github.com/sluicepay/sluice/channel"
)

// A batch writes one proof record per channel side, the last one put, and the reads after
// the commit are those of writing every proof in order.
func TestBatchWritesOnlyTheLastProofOfEachChannelSide(t *testing.T) {
	for _, channels := range []uint64{2, 3 * proofScanMax} { // linear search and index
		s, _ := openTemp(t, Options{})
		b := NewBatch()
		for nonce := uint64(1); nonce <= 5; nonce++ {
			for c := uint64(1); c <= channels; c++ {
				p := testProof(testChannelID(c), nonce)
				if err := b.PutProof(channel.PartyA, &p); err != nil {
					t.Fatal(err)
				}
				rec := testPayment(testChannelID(c), 100*c+nonce)
				if err := b.PutPayment(&rec); err != nil {
					t.Fatal(err)
				}
			}
		}
		p := testProof(testChannelID(1), 2)
		if err := b.PutProof(channel.PartyB, &p); err != nil {
			t.Fatal(err)
		}
		wantEntries := int(channels)*5*2 + int(channels) + 1 // payments (record, index), proofs
		if b.Len() != wantEntries {
			t.Fatalf("Len = %d, want %d", b.Len(), wantEntries)
		}
		before := s.Stats().Entries
		if err := s.Commit(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		if got := s.Stats().Entries - before; got != uint64(wantEntries) {
			t.Fatalf("%d channels: %d key writes reached disk, want %d", channels, got, wantEntries)
		}
		for c := uint64(1); c <= channels; c++ {
			got, found, err := s.GetProof(testChannelID(c), channel.PartyA)
			if err != nil || !found || got.Nonce != 5 || got.Sig != testSig(5) {
				t.Fatalf("channel %d: proof %+v found %v err %v, want nonce 5", c, got.BalanceProof, found, err)
			}
		}
		if got, found, _ := s.GetProof(testChannelID(1), channel.PartyB); !found || got.Nonce != 2 {
			t.Fatalf("party B proof %+v found %v, want nonce 2", got.BalanceProof, found)
		}
	}
}

// Coalescing never reorders writes to one key: a proof put before DeleteChannel in the
// same batch stays deleted, one put after it survives, and the same holds across Append.
func TestBatchKeepsProofWritesInOrderAroundDeletes(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch1, ch2 := testChannelID(1), testChannelID(2)
	p1, p2 := testProof(ch1, 1), testProof(ch2, 7)
	commit(t, s, func(b *Batch) error {
		rec := testChannel(1)
		return b.PutChannel(&rec)
	})

	b := NewBatch()
	if err := b.PutProof(channel.PartyA, &p1); err != nil {
		t.Fatal(err)
	}
	b.DeleteChannel(ch1)
	if err := b.PutProof(channel.PartyA, &p2); err != nil {
		t.Fatal(err)
	}
	// o deletes ch2 after b put its proof: appended, the delete must win.
	o := NewBatch()
	o.DeleteChannel(ch2)
	later := testProof(ch1, 3)
	if err := o.PutProof(channel.PartyB, &later); err != nil {
		t.Fatal(err)
	}
	if err := b.Append(o); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.GetProof(ch1, channel.PartyA); found {
		t.Error("proof put before DeleteChannel in the same batch survived the delete")
	}
	if _, found, _ := s.GetProof(ch2, channel.PartyA); found {
		t.Error("proof put before an appended batch's DeleteChannel survived the delete")
	}
	if got, found, _ := s.GetProof(ch1, channel.PartyB); !found || got.Nonce != 3 {
		t.Errorf("appended batch's proof %+v found %v, want nonce 3", got.BalanceProof, found)
	}
}

// Reset forgets waiting proofs, so a reused batch does not write the last group's.
func TestBatchResetDropsWaitingProofs(t *testing.T) {
	s, _ := openTemp(t, Options{})
	b := NewBatch()
	p := testProof(testChannelID(1), 1)
	if err := b.PutProof(channel.PartyA, &p); err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if b.Len() != 0 || b.Size() != 0 {
		t.Fatalf("after Reset: Len %d Size %d", b.Len(), b.Size())
	}
	rec := testPayment(testChannelID(1), 1)
	if err := b.PutPayment(&rec); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.GetProof(testChannelID(1), channel.PartyA); found {
		t.Fatal("a proof dropped by Reset was written")
	}
}
