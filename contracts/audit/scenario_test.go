package audit_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/audit"
	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
)

const period = 60 // seconds of challenge in every scenario

// demoScenario plays what the demo does on chain: ETH and ERC-20 channels, deposits, a
// withdrawal, a cooperative close, a unilateral close fought with updateProof and
// settled, a payout refused by a contract receiver and claimed later, and channels left
// open and closing.
func demoScenario(w *world) (ids map[string]channel.ID, token common.Address) {
	t := w.t
	alice, bob, carol := w.party(1), w.party(2), w.party(3)
	ids = make(map[string]channel.ID)

	// Channel "coop": ETH, both deposit, payments both ways, a withdrawal, cooperative close.
	coop := w.open(alice, bob, common.Address{}, ether(10), period)
	ids["coop"] = coop
	w.must(bob.client.Deposit(w.ctx, coop, bob.addr, ether(5)))
	wd := channel.Withdrawal{Channel: coop, Participant: alice.addr, TotalWithdrawn: ether(1), Expiry: 1 << 40}
	sa, sb := w.withdrawalSigs(wd, alice, bob)
	w.must(bob.client.Withdraw(w.ctx, wd, sa, sb))
	// alice paid bob 3 (her nonce 3), bob paid alice 1 (his nonce 1): A 10-1-3+1, B 5+3-1.
	st := channel.Settlement{Channel: coop, BalanceA: ether(7), BalanceB: ether(7)}
	sa, sb = w.settlementSigs(st, alice, bob)
	w.must(alice.client.CloseCooperative(w.ctx, st, sa, sb))

	// Channel "erc20": a token channel closed unilaterally on a stale proof, corrected
	// by updateProof from both sides, then settled.
	tt := testbindings.NewTestToken()
	token = w.send(nil, append(common.FromHex(testbindings.TestTokenMetaData.Bin), tt.PackConstructor("Test", "TST")...), nil).ContractAddress
	for _, p := range []*party{alice, carol} {
		w.send(&token, tt.PackMint(p.addr, big.NewInt(1_000_000)), nil)
		w.must(p.client.Approve(w.ctx, token, w.chain.Contract(), big.NewInt(1_000_000)))
	}
	erc := w.open(carol, alice, token, big.NewInt(1000), period)
	ids["erc20"] = erc
	w.must(alice.client.Deposit(w.ctx, erc, alice.addr, big.NewInt(500)))
	stale := w.proof(carol, erc, 4, big.NewInt(250))
	w.must(alice.client.Close(w.ctx, erc, &stale))
	w.must(carol.client.UpdateProof(w.ctx, w.proof(alice, erc, 2, big.NewInt(100))))
	// alice's watchtower (bob) submits carol's latest proof with alice's endorsement.
	latestFromCarol := w.proof(carol, erc, 5, big.NewInt(300))
	w.must(bob.client.UpdateProofFor(w.ctx, latestFromCarol, w.endorse(alice, latestFromCarol)))

	// Channel "credit": bob opens to a contract that refuses ETH and tops up its side (a
	// participant may fund either side); the refused payout is credited and claimed later.
	rr := testbindings.NewRejectingReceiver()
	receiver := w.send(nil, append(common.FromHex(testbindings.RejectingReceiverMetaData.Bin), rr.PackConstructor(w.chain.Contract())...), nil).ContractAddress
	credit := w.open(bob, &party{addr: receiver}, common.Address{}, ether(2), period)
	ids["credit"] = credit
	w.must(bob.client.Deposit(w.ctx, credit, receiver, ether(1)))
	w.must(bob.client.Close(w.ctx, credit, nil))

	w.passChallenge(period)
	w.must(bob.client.Settle(w.ctx, erc))
	w.must(bob.client.Settle(w.ctx, credit))
	w.send(&receiver, rr.PackSetAccepting(true), nil)
	w.send(&receiver, rr.PackForward(bindings.NewSluiceChannels().PackClaim(common.Address{})), nil)

	// Still open, and closing: their funds must be covered by the contract's balance.
	ids["open"] = w.open(bob, carol, common.Address{}, ether(3), period)
	ids["closing"] = w.open(carol, bob, common.Address{}, ether(4), period)
	w.must(carol.client.Close(w.ctx, ids["closing"], nil))
	if t.Failed() {
		t.FailNow()
	}
	return ids, token
}

func TestAuditOfDemoScenarioIsConsistent(t *testing.T) {
	w := newWorld(t)
	ids, token := demoScenario(w)
	rep := w.audit(audit.Config{})

	if !rep.OK() {
		var b strings.Builder
		_ = rep.WriteFindings(&b)
		t.Fatalf("clean scenario has discrepancies:\n%s", b.String())
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings on a clean full scan: %v", rep.Warnings)
	}
	want := audit.Totals{Channels: 5, Open: 1, Closing: 1, Settled: 3, Cooperative: 1, Unilateral: 2, Signatures: 8}
	got := rep.Totals
	got.Events, got.Discrepancies, got.Warnings = 0, 0, 0
	if got != want {
		t.Errorf("totals %+v, want %+v", got, want)
	}
	byID := make(map[channel.ID]audit.ChannelReport)
	for _, c := range rep.Channels {
		byID[c.ID] = c
	}
	checks := []struct {
		name       string
		paidA      *big.Int
		paidB      *big.Int
		signatures int
	}{
		{"coop", ether(7), ether(7), 4},                                         // withdrawal 2 + settlement 2
		{"erc20", big.NewInt(1000 - 300 + 100), big.NewInt(500 + 300 - 100), 4}, // close + 2 updates, one endorsed
		{"credit", ether(2), ether(1), 0},
	}
	for _, c := range checks {
		r := byID[ids[c.name]]
		if r.Paid[0] == nil || r.Paid[0].Cmp(c.paidA) != 0 || r.Paid[1].Cmp(c.paidB) != 0 {
			t.Errorf("%s: paid %v/%v, want %v/%v", c.name, r.Paid[0], r.Paid[1], c.paidA, c.paidB)
		}
		if r.Signatures != c.signatures {
			t.Errorf("%s: %d signatures verified, want %d", c.name, r.Signatures, c.signatures)
		}
	}
	holdings := make(map[common.Address]audit.Holding)
	for _, h := range rep.Holdings {
		holdings[h.Token] = h
	}
	if eth := holdings[common.Address{}]; eth.Locked.Cmp(ether(7)) != 0 || eth.Credits.Sign() != 0 || !eth.Solvent {
		t.Errorf("ETH holding %+v, want 7 ETH locked in the open and closing channels, solvent", eth)
	}
	if tok := holdings[token]; tok.Locked.Sign() != 0 || tok.Held.Sign() != 0 || !tok.Solvent {
		t.Errorf("token holding %+v, want nothing locked or held", tok)
	}
}

// Tiny windows force the scan to split busy windows and re-read them: the result must
// not depend on how the blocks were cut.
func TestAuditResultDoesNotDependOnScanWindows(t *testing.T) {
	w := newWorld(t)
	demoScenario(w)
	whole := w.audit(audit.Config{})
	split := w.audit(audit.Config{WindowBlocks: 4, MaxWindowEvents: 2})
	if !split.OK() || split.Totals != whole.Totals {
		t.Errorf("split scan totals %+v (discrepancies %v), whole scan %+v", split.Totals, split.Discrepancies, whole.Totals)
	}
}

func TestProofFileFlagsSettlementThatIgnoredNewerProof(t *testing.T) {
	w := newWorld(t)
	alice, bob := w.party(1), w.party(2)
	id := w.open(alice, bob, common.Address{}, ether(10), period)
	// alice pays bob five times; bob, offline, keeps only the latest proof.
	var latest channel.SignedProof
	for n := uint64(1); n <= 5; n++ {
		latest = w.proof(alice, id, n, ether(int64(n)))
	}
	old := w.proof(alice, id, 2, ether(2))
	// alice closes while bob is away; bob's out-of-date watchtower (carol) submits the
	// proof bob endorsed to it long ago.
	w.must(alice.client.Close(w.ctx, id, nil))
	w.must(w.party(3).client.UpdateProofFor(w.ctx, old, w.endorse(bob, old)))
	w.passChallenge(period)
	settled := w.must(alice.client.Settle(w.ctx, id))

	file := &audit.ProofFile{Version: audit.ProofFileVersion, ChainID: w.chain.ChainID().Uint64(), Contract: w.chain.Contract(), Node: bob.addr,
		Channels: []audit.ProofFileChannel{{
			ID: common.Hash(id), Participants: [2]common.Address{alice.addr, bob.addr},
			Received: &audit.ExportedProof{Nonce: latest.Nonce, Transferred: audit.NewAmount(latest.Transferred), Sig: hexutil.Bytes(latest.Sig[:])},
		}}}

	if rep := w.audit(audit.Config{}); !rep.OK() {
		t.Fatalf("without the node's proofs the chain is self-consistent, got %v", rep.Discrepancies)
	}
	rep := w.audit(audit.Config{Proofs: file})
	if len(rep.Discrepancies) != 1 {
		t.Fatalf("want exactly the missed proof, got %v", rep.Discrepancies)
	}
	f := rep.Discrepancies[0]
	if f.Code != audit.CodeMissedProof || f.Channel == nil || *f.Channel != id || f.Tx != settled.TxHash || f.Block != settled.BlockNumber.Uint64() {
		t.Fatalf("finding %v, want %s on channel %s at settle tx %s", f, audit.CodeMissedProof, id, settled.TxHash)
	}
	for _, want := range []string{"nonce 2", "nonce 5", "paid " + ether(2).String(), "entitled to " + ether(5).String(), "short by " + ether(3).String()} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	}
	if len(rep.Proofs) != 1 || rep.Proofs[0].OK || rep.Proofs[0].Paid.Cmp(ether(2)) != 0 || rep.Proofs[0].Entitled.Cmp(ether(5)) != 0 {
		t.Errorf("proof check %+v, want paid 2 ETH entitled 5 ETH, not ok", rep.Proofs)
	}
}

func TestAuditFromLaterBlockSeedsEarlierChannelsAndSkipsSolvency(t *testing.T) {
	w := newWorld(t)
	alice, bob := w.party(1), w.party(2)
	id := w.open(alice, bob, common.Address{}, ether(10), period)
	w.must(bob.client.Deposit(w.ctx, id, bob.addr, ether(2)))
	w.must(alice.client.Close(w.ctx, id, nil))
	upd := w.must(bob.client.UpdateProof(w.ctx, w.proof(alice, id, 3, ether(4))))
	w.passChallenge(period)
	w.must(alice.client.Settle(w.ctx, id))

	// Start after the open, the deposit and the close: the channel's state then comes from
	// channel(id) just before the update, and the rest is replayed from events.
	rep := w.audit(audit.Config{FromBlock: upd.BlockNumber.Uint64()})
	if !rep.OK() {
		t.Fatalf("discrepancies %v", rep.Discrepancies)
	}
	if rep.FullScan || rep.Holdings != nil {
		t.Errorf("a partial scan reported full %t, holdings %v", rep.FullScan, rep.Holdings)
	}
	if len(rep.Warnings) != 1 || rep.Warnings[0].Code != audit.CodeSkipped {
		t.Errorf("warnings %v, want the skipped solvency check", rep.Warnings)
	}
	if len(rep.Channels) != 1 || !rep.Channels[0].Seeded || rep.Channels[0].Paid[0].Cmp(ether(6)) != 0 || rep.Channels[0].Paid[1].Cmp(ether(6)) != 0 {
		t.Errorf("channels %+v, want the seeded channel paid 6/6 ETH", rep.Channels)
	}
}
