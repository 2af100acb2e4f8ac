package node

import (
	"context"
	"errors"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
)

// ChainBackend is an injected chain connection, e.g. the devchain's client.
type ChainBackend interface {
	bind.ContractBackend
	bind.DeployBackend
}

func dialChain(ctx context.Context, c Config) (Chain, error) {
	return nil, errors.New("chain adapter not wired yet")
}
