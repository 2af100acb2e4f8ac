package contracts

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// world is a dev chain with SluiceChannels deployed and a client per test account.
type world struct {
	t       testing.TB
	ctx     context.Context
	chain   *devchain.Chain
	clients []*Client // indexed like devchain accounts
}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newWorld(t testing.TB, chainOpts devchain.Options, opts Options) *world {
	t.Helper()
	chain, err := devchain.New(chainOpts)
	if err != nil {
		t.Fatalf("start dev chain: %v", err)
	}
	t.Cleanup(func() {
		if err := chain.Close(); err != nil {
			t.Errorf("close dev chain: %v", err)
		}
	})
	w := &world{t: t, ctx: testContext(t), chain: chain}
	for _, acc := range chain.Accounts() {
		c, err := New(w.ctx, chain.Client(), chain.Contract(), acc.Key, opts)
		if err != nil {
			t.Fatalf("client for %s: %v", acc.Address, err)
		}
		w.clients = append(w.clients, c)
	}
	return w
}

func (w *world) addr(i int) common.Address { return w.clients[i].Address() }

// open opens an ETH channel from account a to account b.
func (w *world) open(a, b int, deposit *big.Int, challenge uint64) channel.ID {
	w.t.Helper()
	id, _, err := w.clients[a].Open(w.ctx, w.addr(b), common.Address{}, deposit, challenge)
	if err != nil {
		w.t.Fatalf("open %d->%d: %v", a, b, err)
	}
	return id
}

func (w *world) view(id channel.ID) ChannelView {
	w.t.Helper()
	v, err := w.clients[0].Channel(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *world) signer(i int) *channel.KeySigner {
	w.t.Helper()
	s, err := channel.NewKeySigner(w.chain.Accounts()[i].Key)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func (w *world) domain() channel.Domain { return w.clients[0].Domain() }

// endorse is participant i's consent to a third party submitting p (updateProofFor).
func (w *world) endorse(i int, p channel.SignedProof) channel.Signature {
	w.t.Helper()
	d, err := w.domain().EndorsementDigest(p.BalanceProof)
	if err != nil {
		w.t.Fatal(err)
	}
	sig, err := w.signer(i).SignDigest(d)
	if err != nil {
		w.t.Fatal(err)
	}
	return sig
}

func (w *world) signProof(i int, p channel.BalanceProof) channel.SignedProof {
	w.t.Helper()
	d, err := w.domain().BalanceProofDigest(p)
	if err != nil {
		w.t.Fatal(err)
	}
	sig, err := w.signer(i).SignDigest(d)
	if err != nil {
		w.t.Fatal(err)
	}
	return channel.SignedProof{BalanceProof: p, Sig: sig}
}

func (w *world) signSettlement(i int, s channel.Settlement) channel.Signature {
	w.t.Helper()
	d, err := w.domain().SettlementDigest(s)
	if err != nil {
		w.t.Fatal(err)
	}
	sig, err := w.signer(i).SignDigest(d)
	if err != nil {
		w.t.Fatal(err)
	}
	return sig
}

func (w *world) signWithdrawal(i int, wd channel.Withdrawal) channel.Signature {
	w.t.Helper()
	d, err := w.domain().WithdrawalDigest(wd)
	if err != nil {
		w.t.Fatal(err)
	}
	sig, err := w.signer(i).SignDigest(d)
	if err != nil {
		w.t.Fatal(err)
	}
	return sig
}

func (w *world) balance(i int) *big.Int {
	w.t.Helper()
	b, err := w.clients[0].Balance(w.ctx, w.addr(i))
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

func (w *world) headTime() uint64 {
	w.t.Helper()
	h, err := w.clients[0].Head(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return h.Time
}

// deployToken deploys a TestToken from account i and mints amount to each of holders.
func (w *world) deployToken(i int, amount *big.Int, holders ...int) common.Address {
	w.t.Helper()
	tok := testbindings.NewTestToken()
	code := append(common.FromHex(testbindings.TestTokenMetaData.Bin), tok.PackConstructor("Test", "TST")...)
	c := w.clients[i]
	tx, err := c.send(w.ctx, nil, code, nil)
	if err != nil {
		w.t.Fatalf("deploy token: %v", err)
	}
	rec, err := c.waitSuccess(w.ctx, tx)
	if err != nil {
		w.t.Fatalf("deploy token: %v", err)
	}
	for _, h := range holders {
		if _, err := c.transact(w.ctx, rec.ContractAddress, tok.PackMint(w.addr(h), amount), nil); err != nil {
			w.t.Fatalf("mint: %v", err)
		}
	}
	return rec.ContractAddress
}

func wantEqual(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got == nil || want == nil || got.Cmp(want) != 0 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
