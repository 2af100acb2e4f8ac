package audit

import (
	"errors"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

var (
	addrA    = common.HexToAddress("0xa0")
	addrB    = common.HexToAddress("0xb0")
	stranger = common.HexToAddress("0xee")
	chanID   = channel.ID{1}
	otherID  = channel.ID{2}
)

// meta gives each synthetic event its own block and transaction unless tx is shared.
func meta(block uint64, tx byte) contracts.EventMeta {
	return contracts.EventMeta{Block: block, TxHash: common.Hash{tx}}
}

func opened(block uint64, deposit int64) contracts.Event {
	return contracts.ChannelOpened{EventMeta: meta(block, byte(block)), ID: chanID, A: addrA, B: addrB, Deposit: big.NewInt(deposit), ChallengePeriod: 60}
}

func deposited(block uint64, who common.Address, amount, total int64) contracts.Event {
	return contracts.Deposited{EventMeta: meta(block, byte(block)), ID: chanID, Participant: who, Amount: big.NewInt(amount), TotalDeposit: big.NewInt(total)}
}

func withdrawnEv(block uint64, who common.Address, amount, total int64) contracts.Event {
	return contracts.Withdrawn{EventMeta: meta(block, byte(block)), ID: chanID, Participant: who, Amount: big.NewInt(amount), TotalWithdrawn: big.NewInt(total)}
}

func closedEv(block uint64, closer common.Address, nonce uint64, transferred int64) contracts.Event {
	return contracts.ChannelClosed{EventMeta: meta(block, byte(block)), ID: chanID, Closer: closer, Nonce: nonce, Transferred: big.NewInt(transferred), SettleAfter: 1000}
}

func updated(block uint64, signer common.Address, nonce uint64, transferred int64) contracts.Event {
	return contracts.ProofUpdated{EventMeta: meta(block, byte(block)), ID: chanID, Signer: signer, Nonce: nonce, Transferred: big.NewInt(transferred)}
}

func settledEv(block uint64, a, b int64, coop bool) contracts.Event {
	return contracts.ChannelSettled{EventMeta: meta(block, byte(block)), ID: chanID, BalanceA: big.NewInt(a), BalanceB: big.NewInt(b), Cooperative: coop}
}

func creditedEv(block uint64, tx byte, who common.Address, amount int64) contracts.Event {
	return contracts.Credited{EventMeta: meta(block, tx), Account: who, Amount: big.NewInt(amount)}
}

func claimedEv(block uint64, who common.Address, amount int64) contracts.Event {
	return contracts.Claimed{EventMeta: meta(block, byte(block)), Account: who, Amount: big.NewInt(amount)}
}

func replay(t *testing.T, events ...contracts.Event) (*ledger, *findings) {
	t.Helper()
	found := newFindings()
	l := newLedger(true, nil, newSigVerifier(nil, nil, found), &timingChecker{found: found}, found)
	for _, ev := range events {
		l.apply(ev)
	}
	return l, found
}

func codes(fs []Finding) []Code {
	out := make([]Code, len(fs))
	for i, f := range fs {
		out[i] = f.Code
	}
	return out
}

func TestLedgerFlagsEveryContradictionInTheEvents(t *testing.T) {
	tests := []struct {
		name   string
		events []contracts.Event
		want   []Code
	}{
		{"clean unilateral history with a refused payout credited and claimed", []contracts.Event{
			opened(1, 10), deposited(2, addrB, 5, 5), withdrawnEv(3, addrA, 1, 1),
			closedEv(4, addrA, 2, 3), updated(5, addrA, 4, 6),
			settledEv(6, 10-1-6+3, 5+6-3, false), creditedEv(6, 6, addrB, 8), claimedEv(7, addrB, 8),
		}, nil},
		{"settlement paying other amounts than the formula", []contracts.Event{
			opened(1, 10), closedEv(2, addrA, 0, 0), settledEv(3, 4, 6, false),
		}, []Code{CodeSettlementMismatch}},
		{"cooperative balances that do not add up to the channel's funds", []contracts.Event{
			opened(1, 10), settledEv(2, 4, 7, true),
		}, []Code{CodeSettlementMismatch}},
		{"proof recorded over a higher nonce", []contracts.Event{
			opened(1, 10), closedEv(2, addrA, 0, 0), updated(3, addrB, 3, 1), updated(4, addrB, 2, 2),
		}, []Code{CodeStaleProof}},
		{"deposit whose amount and total disagree", []contracts.Event{
			opened(1, 10), deposited(2, addrA, 5, 16),
		}, []Code{CodeBadTotal}},
		{"withdrawals beyond the deposits", []contracts.Event{
			opened(1, 10), withdrawnEv(2, addrB, 11, 11),
		}, []Code{CodeOverWithdrawn}},
		{"event for a channel never opened", []contracts.Event{
			contracts.Deposited{EventMeta: meta(1, 1), ID: otherID, Participant: addrA, Amount: big.NewInt(1), TotalDeposit: big.NewInt(1)},
		}, []Code{CodeUnknownChannel}},
		{"channel opened twice", []contracts.Event{opened(1, 10), opened(2, 10)}, []Code{CodeDuplicateOpen}},
		{"deposit into a closing channel", []contracts.Event{
			opened(1, 10), closedEv(2, addrB, 0, 0), deposited(3, addrA, 1, 11),
		}, []Code{CodeWrongStatus}},
		{"settlement of a channel nobody closed", []contracts.Event{
			opened(1, 10), settledEv(2, 10, 0, false),
		}, []Code{CodeWrongStatus}},
		{"close by someone who is not a participant", []contracts.Event{
			opened(1, 10), closedEv(2, stranger, 0, 0),
		}, []Code{CodeBadParticipant}},
		{"credit no payout of its transaction explains", []contracts.Event{
			opened(1, 10), creditedEv(2, 99, addrA, 10),
		}, []Code{CodeBadCredit}},
		{"claim of more than was credited", []contracts.Event{
			opened(1, 10), closedEv(2, addrA, 0, 0), settledEv(3, 10, 0, false), creditedEv(3, 3, addrA, 10), claimedEv(4, addrA, 11),
		}, []Code{CodeBadCredit}},
		{"close without a proof recording a transfer", []contracts.Event{
			opened(1, 10), closedEv(2, addrA, 0, 5),
		}, []Code{CodeCalldataMismatch}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, found := replay(t, tc.events...)
			if got := codes(found.discrepancies); !slices.Equal(got, tc.want) {
				t.Errorf("discrepancies %v, want %v: %v", got, tc.want, found.discrepancies)
			}
		})
	}
}

func TestLedgerLocatesFindingAtTheCausingEvent(t *testing.T) {
	_, found := replay(t, opened(1, 10), closedEv(2, addrA, 0, 0), settledEv(7, 4, 6, false))
	if len(found.discrepancies) != 1 {
		t.Fatalf("findings %v", found.discrepancies)
	}
	f := found.discrepancies[0]
	if f.Channel == nil || *f.Channel != chanID || f.Block != 7 || f.Tx != (common.Hash{7}) {
		t.Errorf("finding at channel %v block %d tx %s, want channel %s block 7 tx %s", f.Channel, f.Block, f.Tx, chanID, common.Hash{7})
	}
	if found.perChannel[chanID] != 1 {
		t.Errorf("per-channel count %d, want 1", found.perChannel[chanID])
	}
}

func TestLedgerQueuesOneSignatureCheckPerSignedCall(t *testing.T) {
	l, _ := replay(t, opened(1, 10), withdrawnEv(2, addrA, 1, 1), closedEv(3, addrA, 0, 0), closedEv(4, addrB, 1, 1),
		updated(5, addrB, 2, 2), settledEv(6, 9, 0, true))
	var kinds []callKind
	for _, j := range l.sigs.pending {
		kinds = append(kinds, j.kind)
	}
	// The close without a proof carries no signature; the second close is itself a
	// wrong-status finding but its signature is still checked.
	want := []callKind{callWithdraw, callClose, callUpdateProof, callCloseCooperative}
	if !slices.Equal(kinds, want) {
		t.Errorf("queued %v, want %v", kinds, want)
	}
}

func TestPartialScanSeedsChannelsOpenedBeforeIt(t *testing.T) {
	seeded := func() *rebuilt {
		r := newRebuilt(chanID)
		r.participants, r.status, r.challengePeriod = [2]common.Address{addrA, addrB}, channel.StatusOpen, 60
		r.deposit[0].SetInt64(10)
		return r
	}
	tests := []struct {
		name string
		seed seedFunc
		fail []Code
		warn []Code
	}{
		{"state read from the contract", func(channel.ID) (*rebuilt, error) { return seeded(), nil }, nil, nil},
		{"channel the contract never opened", func(channel.ID) (*rebuilt, error) { return nil, nil }, []Code{CodeUnknownChannel, CodeUnknownChannel}, nil},
		{"state the node cannot serve", func(channel.ID) (*rebuilt, error) { return nil, errors.New("missing trie node") }, nil, []Code{CodeSkipped}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			found := newFindings()
			l := newLedger(false, tc.seed, newSigVerifier(nil, nil, found), &timingChecker{found: found}, found)
			l.apply(deposited(5, addrB, 5, 5))
			l.apply(deposited(6, addrA, 1, 11))
			if got := codes(found.discrepancies); !slices.Equal(got, tc.fail) {
				t.Errorf("discrepancies %v, want %v", found.discrepancies, tc.fail)
			}
			if got := codes(found.warnings); !slices.Equal(got, tc.warn) {
				t.Errorf("warnings %v, want %v", found.warnings, tc.warn)
			}
		})
	}
}
