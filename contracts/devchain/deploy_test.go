package devchain

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestNewDeploysSluiceChannelsFromAccountZero(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"automine", Options{}},
		{"manual mining", Options{ManualMining: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChain(t, tt.opts)
			want := crypto.CreateAddress(c.Accounts()[0].Address, 0)
			if want != common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3") || c.Contract() != want {
				t.Fatalf("contract at %s, want %s (account #0, nonce 0)", c.Contract(), want)
			}
			code, err := c.Client().CodeAt(testCtx(t), c.Contract(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(code) == 0 {
				t.Fatal("no code at the contract address")
			}
		})
	}
}

func TestNoContractDeploysNothing(t *testing.T) {
	c := newChain(t, Options{NoContract: true})
	if c.Contract() != (common.Address{}) {
		t.Fatalf("contract %s, want none", c.Contract())
	}
	n, err := c.Client().BlockNumber(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("head %d, want genesis", n)
	}
}
