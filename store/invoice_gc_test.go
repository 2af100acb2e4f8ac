package store

import (
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// An expired invoice's secret and routed record are deleted for good (also after a
// reopen, index entry included), and the secrets and records beside them stay.
func TestDeleteSecretAndRoutedLeaveTheOthers(t *testing.T) {
	s, _ := openTemp(t, Options{})
	gone, kept := [32]byte{1}, [32]byte{2}
	t0 := time.Unix(1_800_000_000, 0).UTC()
	r1, r2 := sampleRouted(1, t0), sampleRouted(2, t0.Add(time.Second))
	commit(t, s, func(b *Batch) error {
		b.PutSecret(gone)
		b.PutSecret(kept)
		if err := b.PutRouted(&r1); err != nil {
			return err
		}
		return b.PutRouted(&r2)
	})
	stored, _, err := s.GetRouted(r1.ID)
	if err != nil {
		t.Fatal(err)
	}
	commit(t, s, func(b *Batch) error {
		b.DeleteSecret(channel.SecretHash(gone))
		b.DeleteRouted(&stored)
		return nil
	})
	s = reopen(t, s, Options{})
	if _, found, err := s.GetSecret(channel.SecretHash(gone)); err != nil || found {
		t.Fatalf("deleted secret: found %v, %v", found, err)
	}
	if _, found, err := s.GetSecret(channel.SecretHash(kept)); err != nil || !found {
		t.Fatalf("other secret: found %v, %v", found, err)
	}
	if _, found, err := s.GetRouted(r1.ID); err != nil || found {
		t.Fatalf("deleted record: found %v, %v", found, err)
	}
	page, err := s.ListRouted("", 10)
	if err != nil || len(page.Records) != 1 || page.Records[0].ID != r2.ID {
		t.Fatalf("listing after the delete: %+v, %v", page.Records, err)
	}
	if rep, err := s.Check(); err != nil || rep.BadCount != 0 {
		t.Fatalf("check: %+v %v", rep, err)
	}
}
