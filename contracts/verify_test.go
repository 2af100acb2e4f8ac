package contracts

import (
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/contracts/devchain"
)

// Issue 21, finding 5: a node pointed at an address without the contract started and
// logged "node running".
func TestVerifyContractAcceptsOnlySluiceChannelsOfThisVersion(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	if err := w.clients[1].VerifyContract(w.ctx); err != nil {
		t.Fatalf("the deployed contract: %v", err)
	}
	token := w.deployToken(0, ether(1), 1)
	for _, tc := range []struct {
		name string
		addr common.Address
	}{
		{"no code", common.HexToAddress("0x0000000000000000000000000000000000000001")},
		{"an account", w.addr(2)},
		{"another contract (an ERC-20)", token},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(w.ctx, w.chain.Client(), tc.addr, nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.VerifyContract(w.ctx); !errors.Is(err, ErrNotSluiceChannels) {
				t.Fatalf("VerifyContract(%s) = %v, want ErrNotSluiceChannels", tc.addr, err)
			}
		})
	}
}
