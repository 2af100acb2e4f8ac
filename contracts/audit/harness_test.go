package audit_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/audit"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// party is a test account with its own contracts client (and so its own nonce sequence)
// and an EIP-712 signer.
type party struct {
	addr   common.Address
	key    *ecdsa.PrivateKey
	client *contracts.Client
	signer *channel.KeySigner
}

// world is a dev chain with funded parties, the scenario the acceptance tests audit.
type world struct {
	t      *testing.T
	ctx    context.Context
	chain  *devchain.Chain
	domain channel.Domain
	// raw sends plain transactions (deploys, token mints); it has no contracts client,
	// so the two nonce sequences never collide.
	raw devchain.Account
}

func newWorld(t *testing.T) *world {
	t.Helper()
	chain, err := devchain.New(devchain.Options{})
	if err != nil {
		t.Fatalf("devchain: %v", err)
	}
	t.Cleanup(func() { _ = chain.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	return &world{t: t, ctx: ctx, chain: chain, raw: chain.Accounts()[0],
		domain: channel.Domain{ChainID: chain.ChainID(), Contract: chain.Contract()}}
}

func (w *world) party(i int) *party {
	w.t.Helper()
	acc := w.chain.Accounts()[i]
	c, err := contracts.New(w.ctx, w.chain.Client(), w.chain.Contract(), acc.Key, contracts.Options{})
	if err != nil {
		w.t.Fatalf("contracts client %d: %v", i, err)
	}
	s, err := channel.NewKeySigner(acc.Key)
	if err != nil {
		w.t.Fatal(err)
	}
	return &party{addr: acc.Address, key: acc.Key, client: c, signer: s}
}

func (w *world) audit(cfg audit.Config) *audit.Report {
	w.t.Helper()
	cfg.RPC = w.chain.Client().Client()
	cfg.Contract = w.chain.Contract()
	rep, err := audit.Run(w.ctx, cfg)
	if err != nil {
		w.t.Fatalf("audit: %v", err)
	}
	return rep
}

func (w *world) must(rec *types.Receipt, err error) *types.Receipt {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
	return rec
}

func (w *world) open(a, b *party, token common.Address, amount *big.Int, period uint64) channel.ID {
	w.t.Helper()
	id, _, err := a.client.Open(w.ctx, b.addr, token, amount, period)
	if err != nil {
		w.t.Fatalf("open: %v", err)
	}
	return id
}

// proof is payer's signed cumulative proof in channel id.
// endorse is receiver's consent to anyone submitting p (updateProofFor).
func (w *world) endorse(receiver *party, p channel.SignedProof) channel.Signature {
	w.t.Helper()
	d, err := w.domain.EndorsementDigest(p.BalanceProof)
	if err != nil {
		w.t.Fatal(err)
	}
	sig, err := receiver.signer.SignDigest(d)
	if err != nil {
		w.t.Fatal(err)
	}
	return sig
}

func (w *world) proof(payer *party, id channel.ID, nonce uint64, transferred *big.Int) channel.SignedProof {
	w.t.Helper()
	bp := channel.BalanceProof{Channel: id, Nonce: nonce, Transferred: transferred}
	d, err := w.domain.BalanceProofDigest(bp)
	if err != nil {
		w.t.Fatal(err)
	}
	sig, err := payer.signer.SignDigest(d)
	if err != nil {
		w.t.Fatal(err)
	}
	return channel.SignedProof{BalanceProof: bp, Sig: sig}
}

func (w *world) settlementSigs(s channel.Settlement, a, b *party) (channel.Signature, channel.Signature) {
	w.t.Helper()
	d, err := w.domain.SettlementDigest(s)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.sign(a, d), w.sign(b, d)
}

func (w *world) withdrawalSigs(wd channel.Withdrawal, a, b *party) (channel.Signature, channel.Signature) {
	w.t.Helper()
	d, err := w.domain.WithdrawalDigest(wd)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.sign(a, d), w.sign(b, d)
}

func (w *world) sign(p *party, d common.Hash) channel.Signature {
	w.t.Helper()
	sig, err := p.signer.SignDigest(d)
	if err != nil {
		w.t.Fatal(err)
	}
	return sig
}

// passChallenge moves chain time past any challenge period the tests use.
func (w *world) passChallenge(period uint64) {
	w.t.Helper()
	if err := w.chain.AdjustTime(time.Duration(period+2) * time.Second); err != nil {
		w.t.Fatal(err)
	}
}

// send signs and sends a plain transaction from the raw account and waits for success.
func (w *world) send(to *common.Address, data []byte, value *big.Int) *types.Receipt {
	w.t.Helper()
	return sendFrom(w.t, w.ctx, w.chain.Client(), w.chain.ChainID(), w.raw.Key, to, data, value)
}

func sendFrom(t testing.TB, ctx context.Context, c *ethclient.Client, chainID *big.Int, key *ecdsa.PrivateKey, to *common.Address, data []byte, value *big.Int) *types.Receipt {
	t.Helper()
	from := crypto.PubkeyToAddress(key.PublicKey)
	if value == nil {
		value = new(big.Int)
	}
	nonce, err := c.PendingNonceAt(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	gas, err := c.EstimateGas(ctx, ethereum.CallMsg{From: from, To: to, Data: data, Value: value})
	if err != nil {
		t.Fatalf("estimate gas: %v", err)
	}
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(100 * params.GWei),
		Gas: gas * 2, To: to, Data: data, Value: value,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendTransaction(ctx, tx); err != nil {
		t.Fatalf("send: %v", err)
	}
	for {
		rec, err := c.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			if rec.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("transaction %s reverted", tx.Hash())
			}
			return rec
		}
		select {
		case <-ctx.Done():
			t.Fatalf("receipt of %s: %v", tx.Hash(), ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }
