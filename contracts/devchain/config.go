package devchain

import (
	"math/big"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// ChainID is Anvil's default chain id, used so configuration and signatures made for
// one work on the other.
const ChainID = 31337

const (
	// blockGasLimit matches Anvil's default.
	blockGasLimit = 30_000_000
)

// defaultBalance is 10,000 ETH per account, like Anvil.
func defaultBalance() *big.Int {
	return new(big.Int).Mul(big.NewInt(10_000), big.NewInt(params.Ether))
}

// chainConfig pins the rules to Osaka. go-ethereum's dev config also schedules future
// forks at genesis, which change storage gas; Anvil 1.7.1 runs Osaka, and gas figures
// must be the same on both.
func chainConfig() *params.ChainConfig {
	cfg := *params.AllDevChainProtocolChanges
	cfg.ChainID = big.NewInt(ChainID)
	cfg.AmsterdamTime = nil
	cfg.BogotaTime = nil
	cfg.UBTTime = nil
	return &cfg
}

func genesis(accounts []Account, balance *big.Int) *core.Genesis {
	alloc := core.SystemContractAllocs()
	for _, a := range accounts {
		alloc[a.Address] = types.Account{Balance: new(big.Int).Set(balance)}
	}
	return &core.Genesis{
		Config:   chainConfig(),
		GasLimit: blockGasLimit,
		BaseFee:  big.NewInt(params.InitialBaseFee),
		Alloc:    alloc,
	}
}
