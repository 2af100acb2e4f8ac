package channel

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
)

// model is an independent, plain-integer ledger of the channel a history drives.
type model struct {
	deposit, withdrawn, paid [2]int64
}

func (m model) balance(p Party) int64 {
	return m.deposit[p] - m.withdrawn[p] - m.paid[p] + m.paid[p.Other()]
}

type pendingWithdrawal struct {
	w    Withdrawal
	p    Party
	live bool
}

// history drives both ends' States (A's node and B's node) through operations decoded
// from bytes, mirroring each on the independent model, and checks the invariants after
// every step. The property test feeds it random bytes; the fuzz target lets the fuzzer
// choose them.
type history struct {
	t       testing.TB
	f       fixture
	views   [2]*State
	m       model
	now     uint64
	pending []pendingWithdrawal
	// seen counts what a history exercised, so a generator that stops reaching a branch
	// shows up in -v output.
	seen map[string]int
}

func newHistory(t testing.TB, f fixture) *history {
	return &history{t: t, f: f, views: [2]*State{f.state(t, 0, 0), f.state(t, 0, 0)}, now: 1000, seen: map[string]int{}}
}

func (h *history) fail(format string, args ...any) {
	h.t.Helper()
	h.t.Fatalf("after %v: %s", h.seen, fmt.Sprintf(format, args...))
}

func (h *history) both(what string, fn func(*State) error) {
	h.t.Helper()
	for i, v := range h.views {
		if err := fn(v); err != nil {
			h.fail("%s on %s's view: %v", what, Party(i), err)
		}
	}
}

// step performs one operation chosen by op with arguments x and y, then checks invariants.
func (h *history) step(op, x, y byte) {
	h.t.Helper()
	p := Party(x & 1)
	switch op % 10 {
	case 0, 1:
		h.deposit(p, 1+int64(y))
	case 2, 3, 4, 5, 6:
		h.pay(p, 1+int64(y%64), x&2 != 0)
	case 7:
		h.withdraw(p, 1+int64(y%96), uint64(x>>2))
	case 8:
		h.execute(int(y))
	default:
		h.now += uint64(y % 32)
		h.both("expire", func(s *State) error { h.seen["expired"] += s.ExpireWithdrawals(h.now); return nil })
	}
	h.check()
}

func (h *history) deposit(p Party, amount int64) {
	h.m.deposit[p] += amount
	h.seen["deposit"]++
	h.both("deposit", func(s *State) error { return s.ApplyDeposit(p, big.NewInt(h.m.deposit[p])) })
}

func (h *history) pay(payer Party, amount int64, ackLost bool) {
	h.t.Helper()
	views, f := h.views, h.f
	proof, err := views[payer].PreparePayment(payer, big.NewInt(amount), f.signers[payer])
	if errors.Is(err, ErrOverdraft) {
		h.seen["overdraft"]++
		if views[payer].Spendable(payer).Int64() >= amount {
			h.fail("overdraft reported with %s spendable for %d", views[payer].Spendable(payer), amount)
		}
		// The payee must refuse the same overdraft if a payer forced it.
		last, _ := views[payer].Latest(payer)
		forced := signProof(h.t, f.params.Domain, f.signers[payer], BalanceProof{
			Channel: f.params.ID, Nonce: last.Nonce + 1, Transferred: new(big.Int).Add(last.Transferred, big.NewInt(amount)),
		})
		if _, err := views[payer.Other()].ValidateIncoming(payer, forced); !errors.Is(err, ErrOverdraft) {
			h.fail("payee accepted an overdraft: %v", err)
		}
		return
	}
	if err != nil {
		h.fail("prepare: %v", err)
	}
	if err := views[payer].CommitProof(payer, proof); err != nil {
		h.fail("payer commit: %v", err)
	}
	if o, err := views[payer.Other()].ApplyIncoming(payer, proof); err != nil || o != OutcomeNew {
		h.fail("payee apply: %v, %v", o, err)
	}
	h.m.paid[payer] += amount
	h.seen["payment"]++
	if ackLost { // the payer re-sends; the payee must not count it twice
		if o, err := views[payer.Other()].ApplyIncoming(payer, proof); err != nil || o != OutcomeRepeat {
			h.fail("re-sent proof: %v, %v", o, err)
		}
	}
}

func (h *history) withdraw(p Party, more int64, ttl uint64) {
	h.t.Helper()
	views, f := h.views, h.f
	total := big.NewInt(h.m.withdrawn[p] + more)
	w := Withdrawal{Channel: f.params.ID, Participant: f.params.Participants[p], TotalWithdrawn: total, Expiry: h.now + ttl}
	if _, err := views[p].SignWithdrawal(w, h.now, f.signers[p]); err != nil {
		if !errors.Is(err, ErrOverdraft) {
			h.fail("sign withdrawal: %v", err)
		}
		h.seen["withdrawal refused"]++
		return
	}
	sig, err := views[p.Other()].SignWithdrawal(w, h.now, f.signers[p.Other()])
	if err != nil {
		h.fail("partner refused a withdrawal the withdrawer accepted: %v", err)
	}
	if err := views[p].VerifyWithdrawal(w, p.Other(), sig); err != nil {
		h.fail("verify partner's withdrawal signature: %v", err)
	}
	h.both("reserve", func(s *State) error { return s.ReserveWithdrawal(w, h.now) })
	h.pending = append(h.pending, pendingWithdrawal{w: w, p: p, live: true})
	h.seen["withdrawal signed"]++
}

// execute runs the first still-executable pending withdrawal from index start on, as the
// contract would: not expired and above what was already withdrawn.
func (h *history) execute(start int) {
	for i := range h.pending {
		pw := &h.pending[(start+i)%len(h.pending)]
		if !pw.live || h.now > pw.w.Expiry || pw.w.TotalWithdrawn.Int64() <= h.m.withdrawn[pw.p] {
			continue
		}
		h.m.withdrawn[pw.p] = pw.w.TotalWithdrawn.Int64()
		h.both("withdrawn", func(s *State) error { return s.ApplyWithdrawn(pw.p, pw.w.TotalWithdrawn) })
		pw.live = false
		h.seen["withdrawal executed"]++
		return
	}
}

// check: both views equal the model; funds are conserved; no balance or spendable amount
// is negative; the contract's settlement formula gives exactly the off-chain balances.
func (h *history) check() {
	h.t.Helper()
	m := h.m
	total := m.deposit[0] + m.deposit[1] - m.withdrawn[0] - m.withdrawn[1]
	for vi, v := range h.views {
		var sum big.Int
		for _, p := range []Party{PartyA, PartyB} {
			bal := v.Balance(p)
			if bal.Cmp(big.NewInt(m.balance(p))) != 0 {
				h.fail("%s's view: balance %s = %s, ledger %d", Party(vi), p, bal, m.balance(p))
			}
			if bal.Sign() < 0 || v.Spendable(p).Sign() < 0 {
				h.fail("%s's view: party %s balance %s spendable %s", Party(vi), p, bal, v.Spendable(p))
			}
			sum.Add(&sum, bal)
		}
		if sum.Cmp(big.NewInt(total)) != 0 || v.Total().Cmp(big.NewInt(total)) != 0 {
			h.fail("%s's view: balances sum %s, total %s, ledger %d", Party(vi), &sum, v.Total(), total)
		}
		a, b := v.Side(PartyA), v.Side(PartyB)
		balA, balB := ComputeSettlement(a.Deposit, b.Deposit, a.Withdrawn, b.Withdrawn, a.Sent.Transferred, b.Sent.Transferred)
		final := v.FinalSettlement()
		if balA.Cmp(v.Balance(PartyA)) != 0 || balB.Cmp(v.Balance(PartyB)) != 0 ||
			final.BalanceA.Cmp(balA) != 0 || final.BalanceB.Cmp(balB) != 0 {
			h.fail("%s's view: contract settlement %s/%s, off-chain %s/%s", Party(vi), balA, balB, v.Balance(PartyA), v.Balance(PartyB))
		}
	}
	if d := stateDiff(h.views[0], h.views[1]); d != "" {
		h.fail("the two ends disagree on %s", d)
	}
}

// closeCooperatively ends a history: the settlement one end proposes, the other signs.
func (h *history) closeCooperatively() {
	h.t.Helper()
	st, err := h.views[PartyA].ProposeSettlement()
	if err != nil {
		h.fail("propose settlement: %v", err)
	}
	if _, err := h.views[PartyB].SignSettlement(st, h.f.signers[PartyB]); err != nil {
		h.fail("B refuses A's settlement: %v", err)
	}
}

// TestRandomHistoriesConserveFunds drives both ends through random payments in both
// directions (including overdraft attempts and lost acks), deposits, and withdrawals that
// execute or expire, checking the invariants after every step and closing at the end.
func TestRandomHistoriesConserveFunds(t *testing.T) {
	f := newFixture(t)
	const seeds, steps = 12, 120
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 0x5111ce))
		h := newHistory(t, f)
		for range steps {
			h.step(byte(rng.UintN(256)), byte(rng.UintN(256)), byte(rng.UintN(256)))
		}
		h.closeCooperatively()
		t.Logf("seed %d: %v", seed, h.seen)
		for _, branch := range []string{"deposit", "payment", "overdraft", "withdrawal signed", "withdrawal executed"} {
			if h.seen[branch] == 0 && seed == 0 {
				t.Errorf("seed %d never reached %q; the generator lost coverage", seed, branch)
			}
		}
	}
}

// FuzzChannelHistory lets the fuzzer choose the history: every three bytes are one step.
func FuzzChannelHistory(f *testing.F) {
	f.Add([]byte{0, 0, 100, 0, 1, 80, 2, 0, 30, 3, 1, 20, 7, 0, 40, 8, 0, 0, 9, 0, 5, 4, 2, 10})
	f.Add([]byte{0, 1, 10, 2, 1, 60, 2, 0, 5, 7, 1, 9, 9, 0, 31, 9, 0, 31, 2, 1, 9})
	f.Add([]byte{1, 0, 255, 7, 0xfc, 90, 7, 0, 95, 8, 0, 1, 2, 2, 63})
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxSteps = 48 // payments sign and recover: keep one input well under a second
		h := newHistory(t, fx)
		for i := 0; i+2 < len(data) && i < 3*maxSteps; i += 3 {
			h.step(data[i], data[i+1], data[i+2])
		}
		h.closeCooperatively()
	})
}
