package node

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
)

// deployTestToken deploys a mintable ERC-20 from account #0 and mints amount to holders.
func deployTestToken(t *testing.T, tn *testNet, amount *big.Int, holders ...int) common.Address {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	backend := tn.chain.Client()
	opts := bind.NewKeyedTransactor(tn.chain.Accounts()[0].Key, tn.chain.ChainID())
	opts.Context = ctx
	tok := testbindings.NewTestToken()
	addr, tx, err := bind.DeployContract(opts, common.FromHex(testbindings.TestTokenMetaData.Bin), backend, tok.PackConstructor("Test", "TST"))
	if err != nil {
		t.Fatalf("deploy token: %v", err)
	}
	if _, err := bind.WaitDeployed(ctx, backend, tx.Hash()); err != nil {
		t.Fatalf("deploy token: %v", err)
	}
	abi, err := testbindings.TestTokenMetaData.ParseABI()
	if err != nil {
		t.Fatal(err)
	}
	bc := bind.NewBoundContract(addr, *abi, backend, backend, backend)
	for _, h := range holders {
		tx, err := bind.Transact(bc, opts, tok.PackMint(tn.chain.Accounts()[h].Address, amount))
		if err != nil {
			t.Fatalf("mint: %v", err)
		}
		if _, err := bind.WaitMined(ctx, backend, tx.Hash()); err != nil {
			t.Fatalf("mint: %v", err)
		}
	}
	return addr
}

func TestTokenChannelOpensPaysAndClosesWithExactTokenPayouts(t *testing.T) {
	tn := newTestNet(t)
	token := deployTestToken(t, tn, big.NewInt(1_000_000), 1, 2)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	cv, err := a.OpenChannel(ctx, OpenRequest{Peer: addrOf(t, b), Token: token, Deposit: big.NewInt(600_000), ChallengePeriod: time.Hour})
	if err != nil {
		t.Fatalf("open token channel: %v", err)
	}
	if cv.Token != token || cv.Deposit[0].Int64() != 600_000 {
		t.Fatalf("opened %+v", cv)
	}
	waitFor(t, "partner learns the channel", func() bool { _, err := b.Channel(ctx, cv.ID); return err == nil })
	if _, err := b.Deposit(ctx, cv.ID, big.NewInt(400_000)); err != nil {
		t.Fatalf("token deposit: %v", err)
	}
	waitFor(t, "opener sees the deposit", func() bool { v, _ := a.Channel(ctx, cv.ID); return v.Deposit[1].Int64() == 400_000 })
	payMany(t, a, cv.ID, 50, 4, func(int) int64 { return 1_000 })
	payMany(t, b, cv.ID, 20, 4, func(int) int64 { return 500 })

	res, err := a.CloseChannel(ctx, cv.ID, false)
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	if res.Balances[0].Int64() != 600_000-50_000+10_000 || res.Balances[1].Int64() != 400_000+50_000-10_000 {
		t.Fatalf("paid out %v", res.Balances)
	}
	chk := clientFor(t, tn, 3)
	for i, want := range map[int]int64{1: 1_000_000 - 600_000 + 560_000, 2: 1_000_000 - 400_000 + 440_000} {
		got, err := chk.TokenBalance(ctx, token, tn.chain.Accounts()[i].Address)
		if err != nil {
			t.Fatal(err)
		}
		if got.Int64() != want {
			t.Fatalf("account %d holds %s tokens, want %d", i, got, want)
		}
	}
	waitFor(t, "b sees the channel settled", func() bool { v, _ := b.Channel(ctx, cv.ID); return v.Status == channel.StatusSettled })
}
