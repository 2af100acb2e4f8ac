package channel

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
)

// model is an independent, plain-integer ledger of the channel the property test drives.
type model struct {
	deposit, withdrawn, paid [2]int64
}

func (m model) balance(p Party) int64 {
	return m.deposit[p] - m.withdrawn[p] - m.paid[p] + m.paid[p.Other()]
}

// TestRandomHistoriesConserveFunds drives both ends' States through random payments in
// both directions (including overdraft attempts and lost acks), deposits and withdrawals
// that execute or expire, and checks after every step that both views agree with an
// independent ledger, funds are conserved, no balance goes negative, and the off-chain
// settlement equals the contract formula.
func TestRandomHistoriesConserveFunds(t *testing.T) {
	f := newFixture(t)
	seeds := 12
	steps := 120
	if testing.Short() {
		seeds = 3
	}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 0x5111ce))
		views := [2]*State{f.state(t, 0, 0), f.state(t, 0, 0)} // A's node, B's node
		var m model
		now := uint64(1000)
		type pendingW struct {
			w    Withdrawal
			p    Party
			live bool
		}
		var pending []pendingW
		// seen counts what each history exercised, so a generator that stops reaching a
		// branch shows up in -v output.
		seen := map[string]int{}
		both := func(what string, fn func(*State) error) {
			t.Helper()
			for i, v := range views {
				if err := fn(v); err != nil {
					t.Fatalf("seed %d: %s on %s's view: %v", seed, what, Party(i), err)
				}
			}
		}
		for step := range steps {
			switch op := rng.IntN(10); {
			case op < 2: // deposit
				p := Party(rng.IntN(2))
				m.deposit[p] += 1 + rng.Int64N(100)
				seen["deposit"]++
				both("deposit", func(s *State) error { return s.ApplyDeposit(p, big.NewInt(m.deposit[p])) })
			case op < 7: // payment, possibly more than the payer has
				payer := Party(rng.IntN(2))
				amount := 1 + rng.Int64N(60)
				proof, err := views[payer].PreparePayment(payer, big.NewInt(amount), f.signers[payer])
				if errors.Is(err, ErrOverdraft) {
					seen["overdraft"]++
					if views[payer].Spendable(payer).Int64() >= amount {
						t.Fatalf("seed %d step %d: overdraft reported with %s spendable for %d", seed, step, views[payer].Spendable(payer), amount)
					}
					// The payee must refuse the same overdraft if a payer forced it.
					last, _ := views[payer].Latest(payer)
					forced := signProof(t, f.params.Domain, f.signers[payer], BalanceProof{
						Channel: f.params.ID, Nonce: last.Nonce + 1, Transferred: new(big.Int).Add(last.Transferred, big.NewInt(amount)),
					})
					if _, err := views[payer.Other()].ValidateIncoming(payer, forced); !errors.Is(err, ErrOverdraft) {
						t.Fatalf("seed %d step %d: payee accepted an overdraft: %v", seed, step, err)
					}
					break
				}
				if err != nil {
					t.Fatalf("seed %d step %d: prepare: %v", seed, step, err)
				}
				if err := views[payer].CommitProof(payer, proof); err != nil {
					t.Fatalf("seed %d step %d: payer commit: %v", seed, step, err)
				}
				if o, err := views[payer.Other()].ApplyIncoming(payer, proof); err != nil || o != OutcomeNew {
					t.Fatalf("seed %d step %d: payee apply: %v, %v", seed, step, o, err)
				}
				m.paid[payer] += amount
				seen["payment"]++
				if rng.IntN(4) == 0 { // ack lost: the payer re-sends
					if o, err := views[payer.Other()].ApplyIncoming(payer, proof); err != nil || o != OutcomeRepeat {
						t.Fatalf("seed %d step %d: re-sent proof: %v, %v", seed, step, o, err)
					}
				}
			case op < 8: // withdrawal request, signed by both
				p := Party(rng.IntN(2))
				total := big.NewInt(m.withdrawn[p] + 1 + rng.Int64N(80))
				w := Withdrawal{Channel: f.params.ID, Participant: f.params.Participants[p], TotalWithdrawn: total, Expiry: now + uint64(rng.IntN(50))}
				if _, err := views[p].SignWithdrawal(w, now, f.signers[p]); err != nil {
					if !errors.Is(err, ErrOverdraft) {
						t.Fatalf("seed %d step %d: sign withdrawal: %v", seed, step, err)
					}
					break
				}
				sigB, err := views[p.Other()].SignWithdrawal(w, now, f.signers[p.Other()])
				if err != nil {
					t.Fatalf("seed %d step %d: partner refused a withdrawal the withdrawer accepted: %v", seed, step, err)
				}
				if err := views[p].VerifyWithdrawal(w, p.Other(), sigB); err != nil {
					t.Fatal(err)
				}
				both("reserve", func(s *State) error { return s.ReserveWithdrawal(w, now) })
				pending = append(pending, pendingW{w: w, p: p, live: true})
				seen["withdrawal signed"]++
			case op < 9: // a pending withdrawal executes on chain (if still executable)
				for i := range pending {
					pw := &pending[i]
					if !pw.live || now > pw.w.Expiry || pw.w.TotalWithdrawn.Int64() <= m.withdrawn[pw.p] {
						continue
					}
					m.withdrawn[pw.p] = pw.w.TotalWithdrawn.Int64()
					both("withdrawn", func(s *State) error { return s.ApplyWithdrawn(pw.p, pw.w.TotalWithdrawn) })
					pw.live = false
					seen["withdrawal executed"]++
					break
				}
			default: // time passes; expired reservations are released
				now += uint64(rng.IntN(30))
				both("expire", func(s *State) error { seen["expired"] += s.ExpireWithdrawals(now); return nil })
			}
			checkInvariants(t, seed, step, views, m)
		}
		t.Logf("seed %d: %v", seed, seen)
		// The history ends with a cooperative close both sides sign.
		st, err := views[PartyA].ProposeSettlement()
		if err != nil {
			t.Fatalf("seed %d: propose: %v", seed, err)
		}
		if _, err := views[PartyB].SignSettlement(st, f.signers[PartyB]); err != nil {
			t.Fatalf("seed %d: B refuses A's settlement: %v", seed, err)
		}
	}
}

func checkInvariants(t *testing.T, seed, step int, views [2]*State, m model) {
	t.Helper()
	total := m.deposit[0] + m.deposit[1] - m.withdrawn[0] - m.withdrawn[1]
	for vi, v := range views {
		var sum big.Int
		for _, p := range []Party{PartyA, PartyB} {
			bal := v.Balance(p)
			if bal.Cmp(big.NewInt(m.balance(p))) != 0 {
				t.Fatalf("seed %d step %d: %s's view: balance %s = %s, ledger %d", seed, step, Party(vi), p, bal, m.balance(p))
			}
			if bal.Sign() < 0 || v.Spendable(p).Sign() < 0 {
				t.Fatalf("seed %d step %d: %s's view: party %s balance %s spendable %s", seed, step, Party(vi), p, bal, v.Spendable(p))
			}
			sum.Add(&sum, bal)
		}
		if sum.Cmp(big.NewInt(total)) != 0 || v.Total().Cmp(big.NewInt(total)) != 0 {
			t.Fatalf("seed %d step %d: %s's view: balances sum %s, total %s, ledger %d", seed, step, Party(vi), &sum, v.Total(), total)
		}
		a, b := v.Side(PartyA), v.Side(PartyB)
		balA, balB := ComputeSettlement(a.Deposit, b.Deposit, a.Withdrawn, b.Withdrawn, a.Sent.Transferred, b.Sent.Transferred)
		final := v.FinalSettlement()
		if balA.Cmp(v.Balance(PartyA)) != 0 || balB.Cmp(v.Balance(PartyB)) != 0 ||
			final.BalanceA.Cmp(balA) != 0 || final.BalanceB.Cmp(balB) != 0 {
			t.Fatalf("seed %d step %d: %s's view: contract settlement %s/%s, off-chain %s/%s", seed, step, Party(vi), balA, balB, v.Balance(PartyA), v.Balance(PartyB))
		}
	}
	if d := stateDiff(views[0], views[1]); d != "" {
		t.Fatalf("seed %d step %d: the two ends disagree on %s", seed, step, d)
	}
}
