package p2p

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// eventLog records handler calls for one node as one ordered sequence.
type eventLog struct {
	mu     sync.Mutex
	events []string
}

func (l *eventLog) add(e string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func (l *eventLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.events, " ")
}

type orderedHandler struct{ log *eventLog }

func (h orderedHandler) PeerConnected(common.Address)    { h.log.add("connected") }
func (h orderedHandler) PeerDisconnected(common.Address) { h.log.add("disconnected") }
func (h orderedHandler) HandleMessage(_ common.Address, m Message) {
	h.log.add(fmt.Sprintf("ack%d", m.(*Ack).Nonce))
}

func TestReplacedSessionFinishesItsHandlerCallsFirst(t *testing.T) {
	events := &eventLog{}
	b := startNode(t, func(c *Config) { c.Handler = orderedHandler{events} })
	a := startNode(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Connect(ctx, b.info()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, a.h.connected, b.Address(), "first session")
	if err := a.Send(ctx, b.Address(), &Ack{Nonce: 1}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "first message delivered", func() bool { return events.String() == "connected ack1" })

	// a opens a second stream itself, as it would after deciding the first had
	// died: both ends keep the newer one.
	st, err := a.host.NewStream(ctx, b.ID(), ProtocolID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.startSession(st, true); err != nil {
		t.Fatalf("second session: %v", err)
	}
	waitFor(t, a.h.connected, b.Address(), "second session")
	if err := a.Send(ctx, b.Address(), &Ack{Nonce: 2}); err != nil {
		t.Fatal(err)
	}
	want := "connected ack1 disconnected connected ack2"
	eventually(t, 5*time.Second, "b sees the sessions in order, got "+events.String(), func() bool { return events.String() == want })
	if n := len(b.Peers()); n != 1 {
		t.Fatalf("b has %d sessions with a, want 1", n)
	}
}
