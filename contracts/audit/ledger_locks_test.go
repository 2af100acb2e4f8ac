package audit

import (
	"context"
	"math/big"
	"slices"
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

func heldEv(block uint64, tx byte, sender, receiver [20]byte, locked, held int64) contracts.Event {
	return contracts.LocksHeld{EventMeta: meta(block, tx), ID: chanID, Sender: sender, Receiver: receiver,
		LocksRoot: [32]byte{7}, Locked: big.NewInt(locked), Held: big.NewInt(held)}
}

func unlockedEv(block uint64, sender [20]byte, toReceiver, toSender int64) contracts.Event {
	return contracts.Unlocked{EventMeta: meta(block, byte(block)), ID: chanID, Sender: sender, ToReceiver: big.NewInt(toReceiver), ToSender: big.NewInt(toSender)}
}

// TestLedgerChecksHoldBacksAndUnlocks: settle's balances net of what LocksHeld says it kept,
// a hold-back against the sender's last proof, and an unlock paying out exactly what was held.
func TestLedgerChecksHoldBacksAndUnlocks(t *testing.T) {
	// A deposited 100 and paid B 10 with 30 in locks: settle pays A 60, holds 30, B 10.
	base := []contracts.Event{opened(1, 100), closedEv(2, addrB, 3, 10)}
	tests := []struct {
		name   string
		events []contracts.Event
		want   []Code
	}{
		{"consistent", append(slices.Clone(base), heldEv(3, 3, addrA, addrB, 30, 30), settledEv(3, 60, 10, false), unlockedEv(4, addrA, 20, 10)), nil},
		{"hold not subtracted", append(slices.Clone(base), heldEv(3, 3, addrA, addrB, 30, 30), settledEv(3, 90, 10, false)), []Code{CodeSettlementMismatch}},
		{"held more than locked", append(slices.Clone(base), heldEv(3, 3, addrA, addrB, 30, 40), settledEv(3, 50, 10, false)), []Code{CodeBadUnlock}},
		{"unlock pays more than held", append(slices.Clone(base), heldEv(3, 3, addrA, addrB, 30, 30), settledEv(3, 60, 10, false), unlockedEv(4, addrA, 25, 10)), []Code{CodeBadUnlock}},
		{"unlock twice", append(slices.Clone(base), heldEv(3, 3, addrA, addrB, 30, 30), settledEv(3, 60, 10, false), unlockedEv(4, addrA, 20, 10), unlockedEv(5, addrA, 20, 10)), []Code{CodeBadUnlock}},
		{"locks held to a stranger", append(slices.Clone(base), heldEv(3, 3, addrA, stranger, 30, 30)), []Code{CodeBadParticipant}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, found := replay(t, tc.events...)
			if got := codes(found.discrepancies); !slices.Equal(got, tc.want) {
				t.Fatalf("codes %v, want %v (%v)", got, tc.want, found.discrepancies)
			}
		})
	}
}

// TestHoldIsCheckedAgainstTheProofsCalldata: a hold-back whose root or sum differs from the
// sender's last verified proof, or that holds less than min(locked, balance), is flagged.
func TestHoldIsCheckedAgainstTheProofsCalldata(t *testing.T) {
	for _, tc := range []struct {
		name   string
		locked int64
		root   [32]byte
		held   int64
		want   []Code
	}{
		{"matches", 30, [32]byte{7}, 30, nil},
		{"other root", 30, [32]byte{8}, 30, []Code{CodeBadUnlock}},
		{"other sum", 31, [32]byte{7}, 30, []Code{CodeBadUnlock}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, found := replay(t, opened(1, 100), closedEv(2, addrB, 3, 10), heldEv(3, 3, addrA, addrB, 30, tc.held), settledEv(3, 60, 10, false))
			r := l.channels[chanID]
			r.proofLocked[channel.PartyA], r.proofRoot[channel.PartyA] = big.NewInt(tc.locked), tc.root
			if err := l.flushLocks(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := codes(found.discrepancies); !slices.Equal(got, tc.want) {
				t.Fatalf("codes %v, want %v (%v)", got, tc.want, found.discrepancies)
			}
		})
	}
}
