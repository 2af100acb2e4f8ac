package mediate

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

var (
	wallet   = common.HexToAddress("0x1")
	wallet2  = common.HexToAddress("0x2")
	merchant = common.HexToAddress("0x3")
)

func load(n int, v int64) Load { return Load{Pending: n, PendingValue: big.NewInt(v)} }

func TestForwarderRefusesOverEachLimit(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	cases := []struct {
		name    string
		limits  ForwardLimits
		in, out Load
		amount  int64
		reason  string // "" = admitted
	}{
		{"no limits", ForwardLimits{}, load(1000, 1e12), load(1000, 1e12), 1e9, ""},
		{"in pending at the limit", ForwardLimits{In: PartnerLimits{MaxPending: 2}}, load(2, 20), Load{}, 10, ""},
		{"in pending over", ForwardLimits{In: PartnerLimits{MaxPending: 2}}, load(3, 30), Load{}, 10, "in_pending"},
		{"in value over", ForwardLimits{In: PartnerLimits{MaxPendingValue: big.NewInt(25)}}, load(3, 30), Load{}, 10, "in_pending_value"},
		{"out pending counts the new lock", ForwardLimits{Out: PartnerLimits{MaxPending: 2}}, Load{}, load(2, 20), 10, "out_pending"},
		{"out pending below", ForwardLimits{Out: PartnerLimits{MaxPending: 3}}, Load{}, load(2, 20), 10, ""},
		{"out value counts the new lock", ForwardLimits{Out: PartnerLimits{MaxPendingValue: big.NewInt(29)}}, Load{}, load(2, 20), 10, "out_pending_value"},
		{"out value exactly", ForwardLimits{Out: PartnerLimits{MaxPendingValue: big.NewInt(30)}}, Load{}, load(2, 20), 10, ""},
		{"in volume", ForwardLimits{In: PartnerLimits{MaxForwarded: big.NewInt(9)}}, Load{}, Load{}, 10, "in_forwarded"},
		{"out volume", ForwardLimits{Out: PartnerLimits{MaxForwarded: big.NewInt(9)}}, Load{}, Load{}, 10, "out_forwarded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := NewForwarder(c.limits)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.Admit(t0, wallet, merchant, c.in, c.out, big.NewInt(c.amount))
			if c.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var le *LimitError
			if !errors.As(err, &le) || !errors.Is(err, ErrForwardLimit) || le.Reason() != c.reason {
				t.Fatalf("got %v, want a %s refusal", err, c.reason)
			}
		})
	}
}

func TestForwarderVolumeSlidesAndUndo(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	f, err := NewForwarder(ForwardLimits{
		In:     PartnerLimits{MaxForwarded: big.NewInt(100)},
		Out:    PartnerLimits{MaxForwarded: big.NewInt(150)},
		Window: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	admit := func(at time.Time, in common.Address, amount int64) error {
		_, err := f.Admit(at, in, merchant, Load{}, Load{}, big.NewInt(amount))
		return err
	}
	if err := admit(t0, wallet, 60); err != nil {
		t.Fatal(err)
	}
	if err := admit(t0.Add(time.Minute), wallet, 50); err == nil {
		t.Fatal("110 from one wallet within the hour was admitted")
	}
	// Another wallet has its own budget, but the merchant's is shared: 60 + 80 <= 150.
	if err := admit(t0.Add(time.Minute), wallet2, 80); err != nil {
		t.Fatal(err)
	}
	if err := admit(t0.Add(2*time.Minute), wallet2, 20); err == nil || err.(*LimitError).Reason() != "out_forwarded" {
		t.Fatalf("merchant over its hourly volume: %v", err)
	}
	// An undone forward gives its charge back.
	tk, err := f.Admit(t0.Add(2*time.Minute), wallet2, merchant, Load{}, Load{}, big.NewInt(10))
	if err != nil {
		t.Fatal(err)
	}
	tk.Undo()
	tk.Undo()
	if err := admit(t0.Add(2*time.Minute), wallet2, 10); err != nil {
		t.Fatalf("after undo: %v", err)
	}
	// An hour later the first forward left the window.
	if err := admit(t0.Add(time.Hour+2*time.Minute), wallet, 50); err != nil {
		t.Fatalf("after the window slid: %v", err)
	}
}

func TestForwardLimitsValidate(t *testing.T) {
	for _, l := range []ForwardLimits{
		{In: PartnerLimits{MaxPending: -1}},
		{Out: PartnerLimits{MaxPendingValue: big.NewInt(-1)}},
		{In: PartnerLimits{MaxForwarded: big.NewInt(-5)}},
		{Window: -time.Second},
	} {
		if _, err := NewForwarder(l); err == nil {
			t.Errorf("%+v accepted", l)
		}
	}
}
