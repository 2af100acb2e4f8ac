package follow

import "math/big"

// DefaultConfirmations is the confirmation depth a chain gets when the operator sets
// none: how deep a reorganisation must be before it can take back a deposit the node
// already counted. Dev chains (Anvil and Hardhat's 31337, the embedded dev chain's
// 1337) never reorganise by themselves and get 0; every other chain gets a non-zero
// depth, its own where one is listed, FallbackConfirmations otherwise.
func DefaultConfirmations(chainID *big.Int) uint64 {
	if chainID == nil || !chainID.IsUint64() {
		return FallbackConfirmations
	}
	if n, ok := confirmationsByChain[chainID.Uint64()]; ok {
		return n
	}
	return FallbackConfirmations
}

// FallbackConfirmations is the depth of a chain not in the table.
const FallbackConfirmations = 12

// confirmationsByChain lists the known chains (README "Confirmations and reorgs" shows
// the same table). Ethereum's proof of stake finalises in two epochs (~13 min); 12
// blocks (~2.4 min) is the depth exchanges long used and covers every reorg seen since
// the merge (depth <= 7). Optimistic rollups reorganise only if their sequencer does,
// and Polygon PoS has had reorgs of dozens of blocks.
var confirmationsByChain = map[uint64]uint64{
	31337:    0,  // Anvil, Hardhat
	1337:     0,  // embedded dev chain, Ganache
	1:        12, // Ethereum
	11155111: 6,  // Sepolia
	17000:    6,  // Holesky
	560048:   6,  // Hoodi
	10:       10, // OP Mainnet
	8453:     10, // Base
	42161:    10, // Arbitrum One
	137:      64, // Polygon PoS
	100:      12, // Gnosis
}

// IsDevChain reports whether chainID is a local development chain (depth 0 by default).
func IsDevChain(chainID *big.Int) bool {
	return chainID != nil && chainID.IsUint64() && (chainID.Uint64() == 31337 || chainID.Uint64() == 1337)
}
