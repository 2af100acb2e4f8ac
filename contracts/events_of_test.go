package contracts

import (
	"math/big"
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// EventsOf returns a participant's channels' events, whether it opened them or was
// opened with, and no event of anyone else's channel.
func TestEventsOfReturnsOnlyTheParticipantsChannels(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	mine := w.open(1, 2, ether(1), 60)   // opened by us (account 1)
	theirs := w.open(3, 1, ether(1), 60) // opened with us
	foreign := w.open(2, 3, ether(1), 60)
	for _, id := range []channel.ID{mine, foreign} {
		if _, err := w.clients[2].Deposit(w.ctx, id, w.addr(2), big.NewInt(5)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.clients[3].Close(w.ctx, theirs, nil); err != nil {
		t.Fatal(err)
	}
	head, err := w.clients[0].Head(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := w.clients[0].EventsOf(w.ctx, 0, head.Number, w.addr(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		switch ev := e.(type) {
		case ChannelOpened:
			got = append(got, "opened "+name(ev.ID, mine, theirs))
		case Deposited:
			got = append(got, "deposited "+name(ev.ID, mine, theirs))
		case ChannelClosed:
			got = append(got, "closed "+name(ev.ID, mine, theirs))
		default:
			got = append(got, "other")
		}
	}
	want := "[opened mine opened theirs deposited mine closed theirs]"
	if s := stringOf(got); s != want {
		t.Fatalf("EventsOf: %s, want %s", s, want)
	}
	// Asking by channel id alone (a channel the participant filter does not find).
	evs, err = w.clients[0].EventsOf(w.ctx, 0, head.Number, w.addr(4), []channel.ID{foreign})
	if err != nil || len(evs) != 1 {
		t.Fatalf("events of the foreign channel by id: %d %v, want its deposit", len(evs), err)
	}
}

func name(id, mine, theirs channel.ID) string {
	switch id {
	case mine:
		return "mine"
	case theirs:
		return "theirs"
	}
	return "foreign"
}

func stringOf(s []string) string {
	out := "["
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out + "]"
}
