package contracts

import (
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// EndEvents asks only for the channels named (the indexed id topic), or for every close
// and settlement, and never returns the contract's other events.
func TestEndEventsReadsOnlyTheNamedChannelsClosesAndSettlements(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{LogPageBlocks: 3})
	a, b := w.clients[1], w.clients[2]
	ids := []channel.ID{w.open(1, 2, ether(1), 600), w.open(1, 2, ether(1), 600), w.open(1, 2, ether(1), 600)}
	for _, id := range ids[:2] {
		if _, err := a.Close(w.ctx, id, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Deposit(w.ctx, ids[2], b.Address(), ether(1)); err != nil {
		t.Fatal(err)
	}
	if err := w.chain.AdjustTime(601 * time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Settle(w.ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	head, err := a.Head(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Many ids, most unknown, in more than one filter: only the named channels' come back.
	named := []channel.ID{ids[1], ids[2]}
	for i := range 2 * MaxTopicIDs {
		named = append(named, channel.ID{0xaa, byte(i >> 8), byte(i)})
	}
	got, err := a.EndEvents(w.ctx, 0, head.Number, named)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("events of the named channels: %+v, want only the close of %s", got, ids[1])
	}
	if c, ok := got[0].(ChannelClosed); !ok || c.ID != ids[1] || c.Closer != a.Address() || c.SettleAfter == 0 {
		t.Fatalf("got %+v, want the close of %s", got[0], ids[1])
	}
	all, err := a.EndEvents(w.ctx, 0, head.Number, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("every close and settlement: %+v, want 3", all)
	}
	c0, ok0 := all[0].(ChannelClosed)
	c1, ok1 := all[1].(ChannelClosed)
	s0, ok2 := all[2].(ChannelSettled)
	if !ok0 || !ok1 || !ok2 || c0.ID != ids[0] || c1.ID != ids[1] || s0.ID != ids[0] {
		t.Fatalf("every close and settlement: %+v, want close %s, close %s, settle %s", all, ids[0], ids[1], ids[0])
	}
}
