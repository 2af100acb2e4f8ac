package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/contracts"
)

var (
	// ErrChainUnavailable means the chain's RPC endpoint could not be reached (refused,
	// reset, unanswered, or a 5xx from a proxy in front of it): nothing was submitted
	// and the same request can be repeated once the chain is back.
	ErrChainUnavailable = errors.New("chain RPC unavailable")
	// ErrInsufficientFunds means the node's account cannot pay a transaction's value
	// and gas; nothing was submitted.
	ErrInsufficientFunds = errors.New("insufficient funds")
)

// InsufficientFundsError says how much an on-chain operation needs and what the node's
// account holds. errors.Is matches ErrInsufficientFunds.
type InsufficientFundsError struct {
	Account common.Address
	Have    *big.Int // the account's balance, wei
	Value   *big.Int // the ETH the call sends (the deposit; 0 for tokens), wei
	Gas     *big.Int // an upper estimate of its gas at the current price, wei
}

func (e *InsufficientFundsError) Error() string {
	need := new(big.Int).Add(e.Value, e.Gas)
	return fmt.Sprintf("%v: account %s holds %s ETH, needs %s ETH (%s wei to deposit + up to %s wei for gas); fund it with %s ETH more (nothing was submitted)",
		ErrInsufficientFunds, e.Account, ether(e.Have), ether(need), e.Value, e.Gas, ether(new(big.Int).Sub(need, e.Have)))
}

// ether formats wei as ETH with up to 18 decimals and no trailing zeros.
func ether(wei *big.Int) string {
	s := new(big.Rat).SetFrac(wei, big.NewInt(1e18)).FloatString(18)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func (e *InsufficientFundsError) Unwrap() error { return ErrInsufficientFunds }

// chainUnavailableError says first what happened and what to do, then the transport's
// words on one line (a proxy's 503 body may end in a newline). errors.Is matches
// ErrChainUnavailable and the cause.
type chainUnavailableError struct{ err error }

func (e *chainUnavailableError) Error() string {
	cause := strings.TrimSuffix(strings.Join(strings.Fields(e.err.Error()), " "), " (nothing was submitted)")
	return fmt.Sprintf("%v: nothing was submitted; retry when the chain is back (%s)", ErrChainUnavailable, cause)
}

func (e *chainUnavailableError) Unwrap() []error { return []error{ErrChainUnavailable, e.err} }

// gasBound is more gas than any call of ours uses (an ERC-20 open: 144,138).
const gasBound = 200_000

// balanceReader is what the chain adapter offers to explain a lack of funds.
type balanceReader interface {
	fundsOf(ctx context.Context) (balance, gasPrice *big.Int, account common.Address, err error)
}

func (cc *contractChain) fundsOf(ctx context.Context) (balance, gasPrice *big.Int, account common.Address, err error) {
	if balance, err = cc.backend.BalanceAt(ctx, cc.from, nil); err != nil {
		return nil, nil, cc.from, err
	}
	if gasPrice, err = cc.backend.SuggestGasPrice(ctx); err != nil {
		return nil, nil, cc.from, err
	}
	return balance, gasPrice, cc.from, nil
}

// explainChainFailure classifies the failure of an on-chain operation that was not
// submitted: an unreachable chain is ErrChainUnavailable, a balance that cannot pay
// the call is an *InsufficientFundsError naming the amounts. Anything else, a revert
// included, is returned as it was.
func (n *Node) explainChainFailure(ctx context.Context, call ChainCall, err error) error {
	if err == nil || errors.Is(err, ErrTxPending) || errors.Is(err, ErrClosed) {
		return err
	}
	if chainUnreachable(err) {
		return &chainUnavailableError{err: err}
	}
	if rev, ok := errors.AsType[*contracts.RevertError](err); ok && rev.Name != "" {
		return err // the contract's verdict (also after mining): not a lack of funds
	}
	// The balance is read for every failed ETH call: how a chain words a lack of funds
	// (or whether its gas estimate reverts instead) differs between geth and Anvil.
	br, ok := n.chain.(balanceReader)
	if !ok || !strings.Contains(strings.ToLower(err.Error()), "funds") && call.Token != (common.Address{}) {
		return err
	}
	have, price, account, ferr := br.fundsOf(ctx)
	if ferr != nil {
		return err
	}
	value := new(big.Int)
	if call.Amount != nil {
		value = ethValue(call.Token, call.Amount)
	}
	gas := new(big.Int).Mul(price, big.NewInt(gasBound))
	if have.Cmp(new(big.Int).Add(value, gas)) >= 0 {
		return err
	}
	return &InsufficientFundsError{Account: account, Have: have, Value: value, Gas: gas}
}

// chainUnreachable reports a transport failure: no answer from the chain's endpoint,
// as opposed to an answer that refuses the call.
func chainUnreachable(err error) bool {
	if _, ok := errors.AsType[rpc.Error](err); ok {
		return false // the endpoint answered with a JSON-RPC error
	}
	if httpErr, ok := errors.AsType[rpc.HTTPError](err); ok {
		return httpErr.StatusCode >= 500
	}
	if _, ok := errors.AsType[*net.OpError](err); ok {
		return true
	}
	if _, ok := errors.AsType[*url.Error](err); ok {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
