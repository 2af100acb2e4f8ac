package api

import (
	"context"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
	"github.com/sluicepay/sluice/p2p"
)

// rejectingTransport is a colluding payee's wire: it stores every proof (its node is
// real) but answers each new one with an overdraft Reject instead of the Ack, and acks a
// proof only when the payer offers it again in a Sync, which clears the payer's desync so
// that the payer can sign the next proof. Issue 22, finding 1: a payee patched like this
// made a client with a 10,000 daily cap sign away 200,000 while the risk engine counted 0.
type rejectingTransport struct {
	node.Transport
	mu     sync.Mutex
	seen   map[uint64]bool // nonces refused once already
	refuse int
}

func (r *rejectingTransport) hostile(msg p2p.Message) p2p.Message {
	ack, ok := msg.(*p2p.Ack)
	if !ok {
		return msg
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[ack.Nonce] {
		return msg
	}
	r.seen[ack.Nonce] = true
	r.refuse++
	return &p2p.Reject{Channel: ack.Channel, Nonce: ack.Nonce, Code: channel.CodeOverdraft, Reason: "balance exceeded"}
}

func (r *rejectingTransport) Send(ctx context.Context, to common.Address, msg p2p.Message) error {
	return r.Transport.Send(ctx, to, r.hostile(msg))
}

func (r *rejectingTransport) TrySend(to common.Address, msg p2p.Message) error {
	return r.Transport.TrySend(to, r.hostile(msg))
}

func startE2ENode(t *testing.T, chain *devchain.Chain, i int, wrap func(node.Transport) node.Transport) *node.Node {
	t.Helper()
	n, err := node.New(context.Background(), node.Config{
		DataDir: t.TempDir(), Key: chain.Accounts()[i].Key,
		ListenAddrs:  []string{"/ip4/127.0.0.1/tcp/0"},
		ChainBackend: chain.Client(), Contract: chain.Contract(),
		PollInterval: 50 * time.Millisecond, WrapTransport: wrap,
	})
	if err != nil {
		t.Fatalf("node %d: %v", i, err)
	}
	if err := n.Start(context.Background()); err != nil {
		t.Fatalf("start node %d: %v", i, err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// An end-to-end run on real nodes (libp2p on loopback, leveldb, the embedded chain): a
// client with a 10,000 daily cap pays through the API a payee whose node rejects every
// proof. Whatever the payee answers, the payer's node never signs away more than the
// client's cap, and the payment log names the client behind every signed proof.
func TestColludingPayeeCannotMakeThePayerExceedItsClientsCap(t *testing.T) {
	chain, err := devchain.New(devchain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chain.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	payee := &rejectingTransport{seen: map[uint64]bool{}}
	payer := startE2ENode(t, chain, 1, nil)
	colluder := startE2ENode(t, chain, 2, func(tr node.Transport) node.Transport { payee.Transport = tr; return payee })
	info, err := colluder.Info(ctx)
	if err != nil || len(info.ListenAddrs) == 0 {
		t.Fatalf("payee info: %v %v", info, err)
	}
	deposit := new(big.Int).Mul(big.NewInt(1), big.NewInt(params.Ether))
	cv, err := payer.OpenChannel(ctx, node.OpenRequest{Peer: info.ListenAddrs[0], Deposit: deposit, ChallengePeriod: time.Hour})
	if err != nil {
		t.Fatalf("open channel: %v", err)
	}

	const capAmount, each = 10_000, 1_000
	eng, err := risk.NewEngine(risk.Options{Domain: cv.Domain, Config: risk.Config{Clients: map[string]risk.ClientConfig{
		"game": {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), DailyCap: risk.AmountFromUint64(capAmount)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(payer, Config{Addr: "127.0.0.1:0", Token: testToken, Risk: eng, RequestTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	game := dialAs(t, srv.URL(), gameToken)

	id := ChannelID(cv.ID)
	var declined int
	// Until the policy has declined a few times, however long resyncs take on a loaded
	// machine (a payment refused during a resync signs nothing and is given back).
	for deadline := time.Now().Add(90 * time.Second); declined < 5 && time.Now().Before(deadline); {
		_, err := game.Pay(ctx, PayArgs{Channel: &id, Amount: NewAmount(big.NewInt(each))})
		if apiKind(err) == "risk_declined" {
			declined++
		}
		time.Sleep(20 * time.Millisecond) // let the payer's Sync and the payee's late Ack cross
	}
	view, err := payer.Channel(ctx, cv.ID)
	if err != nil {
		t.Fatal(err)
	}
	signed := view.Sent[view.Us].Transferred
	payee.mu.Lock()
	refused := payee.refuse
	payee.mu.Unlock()
	t.Logf("payee refused %d proofs; payer signed %s in total; %d payments declined by the policy", refused, signed, declined)
	if refused < 2 {
		t.Fatalf("the payee refused %d proofs: the attack did not run", refused)
	}
	if signed == nil || signed.Cmp(big.NewInt(capAmount)) > 0 {
		t.Fatalf("the payer signed away %s to a colluding payee; the client's daily cap is %d", signed, capAmount)
	}
	if declined == 0 {
		t.Fatal("the policy never declined: the cap was never reached")
	}
	page, err := payer.Payments(ctx, node.PaymentQuery{Channel: cv.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Payments {
		if p.Direction == node.Outgoing && p.Client != "game" {
			t.Fatalf("payment %x in the log names client %q, want game", p.PaymentID, p.Client)
		}
	}
	if len(page.Payments) == 0 {
		t.Fatal("no payment in the payer's log")
	}
}
