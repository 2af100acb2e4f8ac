package contracts

import (
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// ClosedEvents asks only for the channels named (the indexed id topic), or for every close,
// and never returns the contract's other events.
func TestClosedEventsReadsOnlyTheNamedChannelsCloses(t *testing.T) {
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
	head, err := a.Head(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Many ids, most unknown, in more than one filter: only the named close comes back.
	named := []channel.ID{ids[1], ids[2]}
	for i := range 2 * MaxTopicIDs {
		named = append(named, channel.ID{0xaa, byte(i >> 8), byte(i)})
	}
	got, err := a.ClosedEvents(w.ctx, 0, head.Number, named)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != ids[1] || got[0].Closer != a.Address() || got[0].SettleAfter == 0 {
		t.Fatalf("closes of the named channels: %+v, want only %s", got, ids[1])
	}
	all, err := a.ClosedEvents(w.ctx, 0, head.Number, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].ID != ids[0] || all[1].ID != ids[1] || all[0].Block > all[1].Block {
		t.Fatalf("every close: %+v, want %s then %s", all, ids[0], ids[1])
	}
}
