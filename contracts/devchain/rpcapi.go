package devchain

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// evmAPI is the small subset of Anvil/Hardhat's evm_* namespace that tests and scripts
// written against Anvil use for time travel.
type evmAPI struct {
	chain *Chain
}

// IncreaseTime is evm_increaseTime(seconds). It returns the total shift so far in
// seconds, as Anvil does. Unlike Anvil it mines a block at once (the simulated beacon
// can only set a timestamp on a block it seals); the next block is later still.
func (api *evmAPI) IncreaseTime(ctx context.Context, seconds json.RawMessage) (int64, error) {
	n, err := parseQuantity(seconds)
	if err != nil {
		return 0, fmt.Errorf("evm_increaseTime: %w", err)
	}
	if n.Sign() <= 0 || !n.IsInt64() || n.Int64() > int64(100*365*24*time.Hour/time.Second) {
		return 0, fmt.Errorf("evm_increaseTime: %s seconds out of range", n)
	}
	if err := api.chain.AdjustTime(time.Duration(n.Int64()) * time.Second); err != nil {
		return 0, err
	}
	api.chain.sealMu.Lock()
	defer api.chain.sealMu.Unlock()
	return int64(api.chain.timeShift / time.Second), nil
}

// Mine is evm_mine: it mines one block with whatever is pending. Parameters (Anvil's
// timestamp / block count) are accepted and ignored.
func (api *evmAPI) Mine(ctx context.Context, _ *json.RawMessage) (string, error) {
	api.chain.Commit()
	return "0x0", nil
}

// parseQuantity accepts a JSON number or a hex/decimal string, the forms Anvil accepts.
func parseQuantity(raw json.RawMessage) (*big.Int, error) {
	s := strings.TrimSpace(string(raw))
	if unq, err := unquote(s); err == nil {
		s = unq
	}
	n, ok := new(big.Int), false
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		n, ok = n.SetString(s[2:], 16)
	} else {
		n, ok = n.SetString(s, 10)
	}
	if !ok {
		return nil, fmt.Errorf("invalid quantity %s", raw)
	}
	return n, nil
}

func unquote(s string) (string, error) {
	var out string
	err := json.Unmarshal([]byte(s), &out)
	return out, err
}
