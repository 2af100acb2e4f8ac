package audit_test

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/audit"
	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// The benchmarks build a chain with many channels and time the audit alone. They are
// not run by CI (go test runs no benchmarks); run them with
//
//	go test -run '^$' -bench Audit -benchtime 1x ./contracts/audit/
func BenchmarkAudit1000Channels(b *testing.B)  { benchmarkAudit(b, 1_000) }
func BenchmarkAudit10000Channels(b *testing.B) { benchmarkAudit(b, 10_000) }

func benchmarkAudit(b *testing.B, channels int) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	chain, err := devchain.New(devchain.Options{ManualMining: true})
	if err != nil {
		b.Fatal(err)
	}
	defer chain.Close()
	built := time.Now()
	pop := populate(b, ctx, chain, channels)
	b.Logf("built %d channels in %d transactions in %s", channels, pop.txs, time.Since(built).Round(time.Millisecond))

	b.ResetTimer()
	var rep *audit.Report
	var stages []string
	for range b.N {
		start, last := time.Now(), time.Now()
		stages = stages[:0]
		progress := func(p audit.Progress) {
			stages = append(stages, fmt.Sprintf("%s@%d %s", p.Stage, p.Block, time.Since(last).Round(time.Millisecond)))
			last = time.Now()
		}
		rep, err = audit.Run(ctx, audit.Config{RPC: chain.Client().Client(), Contract: chain.Contract(), Progress: progress})
		stages = append(stages, "total "+time.Since(start).Round(time.Millisecond).String())
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if !rep.OK() || rep.Totals.Channels != channels {
		var s strings.Builder
		_ = rep.WriteFindings(&s)
		b.Fatalf("audit of %d channels: %+v\n%s", channels, rep.Totals, s.String())
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(channels)/per.Seconds(), "channels/s")
	b.ReportMetric(float64(rep.Totals.Events), "events")
	b.ReportMetric(float64(rep.Totals.Signatures), "signatures")
	b.Logf("stages: %s", strings.Join(stages, ", "))
	b.Logf("audit of %d channels, %d events, %d signatures: %s per run", channels, rep.Totals.Events, rep.Totals.Signatures, per.Round(time.Millisecond))
}

// populator sends raw transactions from the nine non-deployer test accounts, a few per
// account per block, mining blocks by hand: far faster than one receipt wait per call.
type populator struct {
	tb       testing.TB
	ctx      context.Context
	chain    *devchain.Chain
	accounts []devchain.Account
	signers  []*channel.KeySigner
	nonces   []uint64
	domain   channel.Domain
	calls    *bindings.SluiceChannels
	queued   [][]*types.Transaction // per account
	txs      int
}

type benchChannel struct {
	a, b int // account indexes
	id   channel.ID
}

const benchPeriod = 3600 // seconds; long enough that block timestamps never outrun it mid-phase

func populate(tb testing.TB, ctx context.Context, chain *devchain.Chain, n int) *populator {
	accs := chain.Accounts()[1:]
	p := &populator{tb: tb, ctx: ctx, chain: chain, accounts: accs, nonces: make([]uint64, len(accs)),
		queued: make([][]*types.Transaction, len(accs)), calls: bindings.NewSluiceChannels(),
		domain: channel.Domain{ChainID: chain.ChainID(), Contract: chain.Contract()}}
	for _, a := range accs {
		s, err := channel.NewKeySigner(a.Key)
		if err != nil {
			tb.Fatal(err)
		}
		p.signers = append(p.signers, s)
	}
	chans := make([]benchChannel, n)
	openers := make(map[common.Hash]int, n)
	for i := range chans {
		chans[i] = benchChannel{a: i % len(accs), b: (i + 1) % len(accs)}
		tx := p.queue(chans[i].a, p.calls.PackOpen(accs[chans[i].b].Address, common.Address{}, big.NewInt(1000), benchPeriod), big.NewInt(1000), 200_000)
		openers[tx.Hash()] = i
	}
	p.mineAll()
	p.learnIDs(chans, openers)

	// Phase 2: cooperative closes (i%4==0), closes with the partner's proof (1), deposits
	// and withdrawals (2); i%4==3 stays as opened.
	for i, c := range chans {
		switch i % 4 {
		case 0:
			st := channel.Settlement{Channel: c.id, BalanceA: big.NewInt(600), BalanceB: big.NewInt(400)}
			d, _ := p.domain.SettlementDigest(st)
			p.queue(c.a, p.calls.PackCloseCooperative(c.id, st.BalanceA, st.BalanceB, p.sign(c.a, d), p.sign(c.b, d)), nil, 200_000)
		case 1:
			// B paid A nothing, so A closes without a proof; B later submits A's proof.
			p.queue(c.a, p.calls.PackClose(c.id, 0, new(big.Int), new(big.Int), [32]byte{}, nil), nil, 200_000)
		case 2:
			p.queue(c.b, p.calls.PackDeposit(c.id, p.accounts[c.b].Address, big.NewInt(500)), big.NewInt(500), 200_000)
		}
	}
	p.mineAll()
	for i, c := range chans {
		switch i % 4 {
		case 1:
			bp := channel.BalanceProof{Channel: c.id, Nonce: 7, Transferred: big.NewInt(300)}
			d, _ := p.domain.BalanceProofDigest(bp)
			p.queue(c.b, p.calls.PackUpdateProof(c.id, bp.Nonce, bp.Transferred, new(big.Int), [32]byte{}, p.sign(c.a, d)), nil, 200_000)
		case 2:
			w := channel.Withdrawal{Channel: c.id, Participant: p.accounts[c.a].Address, TotalWithdrawn: big.NewInt(100), Expiry: 1 << 40}
			d, _ := p.domain.WithdrawalDigest(w)
			p.queue(c.b, p.calls.PackWithdraw(c.id, w.Participant, w.TotalWithdrawn, w.Expiry, p.sign(c.a, d), p.sign(c.b, d)), nil, 250_000)
		}
	}
	p.mineAll()
	if err := chain.AdjustTime((benchPeriod + 2) * time.Second); err != nil {
		tb.Fatal(err)
	}
	for i, c := range chans {
		if i%4 == 1 {
			p.queue(c.b, p.calls.PackSettle(c.id), nil, 250_000)
		}
	}
	p.mineAll()
	return p
}

func (p *populator) sign(account int, d common.Hash) []byte {
	sig, err := p.signers[account].SignDigest(d)
	if err != nil {
		p.tb.Fatal(err)
	}
	return sig[:]
}

func (p *populator) queue(account int, data []byte, value *big.Int, gas uint64) *types.Transaction {
	to := p.chain.Contract()
	tx, err := types.SignNewTx(p.accounts[account].Key, types.LatestSignerForChainID(p.chain.ChainID()), &types.DynamicFeeTx{
		ChainID: p.chain.ChainID(), Nonce: p.nonces[account], GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(100 * params.GWei),
		Gas: gas, To: &to, Data: data, Value: value,
	})
	if err != nil {
		p.tb.Fatal(err)
	}
	p.nonces[account]++
	p.queued[account] = append(p.queued[account], tx)
	return tx
}

// mineAll sends the queued transactions a few per account at a time (the pool keeps
// only so many per sender) and mines until all are in blocks, checking every receipt.
func (p *populator) mineAll() {
	const perAccountPerBlock = 16
	client := p.chain.Client()
	var sent []*types.Transaction
	for {
		progressed := false
		for a := range p.queued {
			k := min(perAccountPerBlock, len(p.queued[a]))
			for _, tx := range p.queued[a][:k] {
				if err := client.SendTransaction(p.ctx, tx); err != nil {
					p.tb.Fatalf("send %s: %v", tx.Hash(), err)
				}
				sent = append(sent, tx)
			}
			p.queued[a] = p.queued[a][k:]
			progressed = progressed || k > 0
		}
		if !progressed {
			break
		}
		p.chain.Commit()
	}
	for _, tx := range sent {
		rec, err := client.TransactionReceipt(p.ctx, tx.Hash())
		for err != nil {
			p.chain.Commit()
			rec, err = client.TransactionReceipt(p.ctx, tx.Hash())
		}
		if rec.Status != types.ReceiptStatusSuccessful {
			p.tb.Fatalf("transaction %s reverted", tx.Hash())
		}
	}
	p.txs += len(sent)
}

func (p *populator) learnIDs(chans []benchChannel, openers map[common.Hash]int) {
	key, err := crypto.GenerateKey()
	if err != nil {
		p.tb.Fatal(err)
	}
	c, err := contracts.New(p.ctx, p.chain.Client(), p.chain.Contract(), key, contracts.Options{})
	if err != nil {
		p.tb.Fatal(err)
	}
	head, err := p.chain.Client().BlockNumber(p.ctx)
	if err != nil {
		p.tb.Fatal(err)
	}
	evs, err := c.EventsInRange(p.ctx, 0, head)
	if err != nil {
		p.tb.Fatal(err)
	}
	found := 0
	for _, ev := range evs {
		if o, ok := ev.(contracts.ChannelOpened); ok {
			chans[openers[o.TxHash]].id = o.ID
			found++
		}
	}
	if found != len(chans) {
		p.tb.Fatal(fmt.Sprintf("%d channels opened, want %d", found, len(chans)))
	}
}
