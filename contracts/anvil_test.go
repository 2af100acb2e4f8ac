package contracts

import (
	"errors"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/anviltest"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// TestClientLifecycleOnAnvil runs open -> close -> settle against the pinned Anvil over
// HTTP, with time moved by evm_increaseTime, and checks that Anvil's reverts decode and
// that gas matches the embedded dev chain (both run Osaka).
func TestClientLifecycleOnAnvil(t *testing.T) {
	url := anviltest.Start(t)
	ctx := testContext(t)
	rpc, err := ethclient.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer rpc.Close()
	accs := devchain.TestAccounts()
	deployer, deployRec, err := Deploy(ctx, rpc, accs[0].Key, Options{})
	if err != nil {
		t.Fatalf("Deploy on Anvil: %v", err)
	}
	a, err := Dial(ctx, url, deployer.Contract(), accs[1].Key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Disconnect()
	b, err := Dial(ctx, url, deployer.Contract(), accs[2].Key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Disconnect()
	if a.ChainID().Uint64() != devchain.ChainID {
		t.Fatalf("Anvil chain id %s", a.ChainID())
	}

	id, openRec, err := a.Open(ctx, b.Address(), common.Address{}, ether(3), 3600)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	// Concurrent sends from one key through Anvil's pool: the nonce manager keeps them in order.
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			if _, err := a.Deposit(ctx, id, a.Address(), big.NewInt(1)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent deposit on Anvil: %v", err)
	}
	d, err := a.Domain().BalanceProofDigest(channel.BalanceProof{Channel: id, Nonce: 5, Transferred: ether(1)})
	if err != nil {
		t.Fatal(err)
	}
	signerA, err := channel.NewKeySigner(accs[1].Key)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := signerA.SignDigest(d)
	if err != nil {
		t.Fatal(err)
	}
	proof := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: id, Nonce: 5, Transferred: ether(1)}, Sig: sig}
	if _, err := b.Close(ctx, id, &proof); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := b.Settle(ctx, id); !errors.Is(err, ErrChallengePeriodNotOver) {
		t.Fatalf("early settle on Anvil: %v, want ChallengePeriodNotOver", err)
	}
	var shift int64
	if err := rpc.Client().CallContext(ctx, &shift, "evm_increaseTime", 3601); err != nil {
		t.Fatalf("evm_increaseTime: %v", err)
	}
	if err := rpc.Client().CallContext(ctx, nil, "evm_mine"); err != nil {
		t.Fatalf("evm_mine: %v", err)
	}
	beforeA, err := a.Balance(ctx, a.Address())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Settle(ctx, id); err != nil {
		t.Fatalf("Settle: %v", err)
	}
	afterA, err := a.Balance(ctx, a.Address())
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, "A payout", new(big.Int).Sub(afterA, beforeA), new(big.Int).Add(ether(2), big.NewInt(20)))
	v, err := a.Channel(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != channel.StatusSettled {
		t.Fatalf("status %s, want settled", v.Status)
	}
	page, err := a.Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 23 {
		t.Fatalf("%d events on Anvil, want opened, 20 deposits, closed, settled:\n%s", len(page.Events), describe(page.Events))
	}

	// The same deployment and open on the dev chain cost the same gas.
	w := newWorld(t, devchain.Options{NoContract: true}, Options{})
	devDeployer, devDeployRec, err := Deploy(w.ctx, w.chain.Client(), accs[0].Key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	devA, err := New(w.ctx, w.chain.Client(), devDeployer.Contract(), accs[1].Key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, devOpenRec, err := devA.Open(w.ctx, b.Address(), common.Address{}, ether(3), 3600)
	if err != nil {
		t.Fatal(err)
	}
	if devDeployRec.GasUsed != deployRec.GasUsed || devOpenRec.GasUsed != openRec.GasUsed {
		t.Fatalf("gas differs: deploy %d (dev) vs %d (Anvil), open %d vs %d",
			devDeployRec.GasUsed, deployRec.GasUsed, devOpenRec.GasUsed, openRec.GasUsed)
	}
	t.Logf("gas on both chains: deploy %d, open %d", deployRec.GasUsed, openRec.GasUsed)
}
