package contracts

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

func TestRevertsAreDecodedIntoNamedErrorsBeforeSending(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	open := w.open(1, 2, ether(5), 600)
	closing := w.open(1, 2, ether(5), 600)
	proofB2 := w.signProof(2, channel.BalanceProof{Channel: closing, Nonce: 2, Transferred: ether(1)})
	if _, err := w.clients[1].Close(w.ctx, closing, &proofB2); err != nil {
		t.Fatal(err)
	}
	staleB := w.signProof(2, channel.BalanceProof{Channel: closing, Nonce: 2, Transferred: ether(1)})
	byOutsider := w.signProof(4, channel.BalanceProof{Channel: open, Nonce: 1, Transferred: ether(1)})
	highS := w.signProof(2, channel.BalanceProof{Channel: open, Nonce: 1, Transferred: ether(1)})
	flipS(&highS.Sig)
	settle := channel.Settlement{Channel: open, BalanceA: ether(1), BalanceB: ether(1)}
	expired := channel.Withdrawal{Channel: open, Participant: w.addr(1), TotalWithdrawn: ether(1), Expiry: 1}
	unknown := channel.ID{0xab}

	tests := []struct {
		name string
		call func() error
		want *RevertError
	}{
		{"open with oneself", func() error {
			_, _, err := w.clients[1].Open(w.ctx, w.addr(1), common.Address{}, ether(1), 60)
			return err
		}, ErrInvalidPartner},
		{"open with zero challenge period", func() error {
			_, _, err := w.clients[1].Open(w.ctx, w.addr(2), common.Address{}, ether(1), 0)
			return err
		}, ErrInvalidChallengePeriod},
		{"deposit to unknown channel", func() error {
			_, err := w.clients[1].Deposit(w.ctx, unknown, w.addr(1), ether(1))
			return err
		}, ErrUnknownChannel},
		{"deposit for outsider", func() error {
			_, err := w.clients[1].Deposit(w.ctx, open, w.addr(4), ether(1))
			return err
		}, ErrNotParticipant},
		{"deposit to closing channel", func() error {
			_, err := w.clients[1].Deposit(w.ctx, closing, w.addr(1), ether(1))
			return err
		}, ErrChannelNotOpen},
		{"close by outsider", func() error {
			_, err := w.clients[4].Close(w.ctx, open, nil)
			return err
		}, ErrNotParticipant},
		{"close with proof signed by outsider", func() error {
			_, err := w.clients[1].Close(w.ctx, open, &byOutsider)
			return err
		}, ErrWrongSigner},
		{"close with high-s signature", func() error {
			_, err := w.clients[1].Close(w.ctx, open, &highS)
			return err
		}, ErrInvalidSignature},
		{"update with stale nonce", func() error {
			_, err := w.clients[1].UpdateProof(w.ctx, staleB)
			return err
		}, ErrStaleNonce},
		{"settle an open channel", func() error {
			_, err := w.clients[1].Settle(w.ctx, open)
			return err
		}, ErrChannelNotClosing},
		{"settle before the challenge period ends", func() error {
			_, err := w.clients[1].Settle(w.ctx, closing)
			return err
		}, ErrChallengePeriodNotOver},
		{"cooperative close with wrong sum", func() error {
			_, err := w.clients[1].CloseCooperative(w.ctx, settle, w.signSettlement(1, settle), w.signSettlement(2, settle))
			return err
		}, ErrWrongBalanceSum},
		{"expired withdrawal", func() error {
			_, err := w.clients[1].Withdraw(w.ctx, expired, w.signWithdrawal(1, expired), w.signWithdrawal(2, expired))
			return err
		}, ErrWithdrawalExpired},
		{"claim with nothing credited", func() error {
			_, err := w.clients[1].Claim(w.ctx, common.Address{})
			return err
		}, ErrNothingToClaim},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sender := w.clients[1]
			before, err := w.chain.Client().PendingNonceAt(w.ctx, sender.Address())
			if err != nil {
				t.Fatal(err)
			}
			err = tt.call()
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %s", err, tt.want.Name)
			}
			var rev *RevertError
			if !errors.As(err, &rev) || rev.Name != tt.want.Name || len(rev.Data) < 4 {
				t.Fatalf("error %v does not carry the decoded revert %s", err, tt.want.Name)
			}
			after, err := w.chain.Client().PendingNonceAt(w.ctx, sender.Address())
			if err != nil {
				t.Fatal(err)
			}
			if after != before {
				t.Fatalf("a reverting call was sent: nonce %d -> %d", before, after)
			}
		})
	}
}

// flipS turns a low-s signature into its high-s twin (s' = n - s, v flipped), which
// ecrecover accepts but the contract must reject.
func flipS(sig *channel.Signature) {
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(sig[32:64])
	s.Sub(n, s)
	s.FillBytes(sig[32:64])
	sig[64] ^= 1 // 27 <-> 28
}

func TestMinedRevertReportsTxFailedWithReceipt(t *testing.T) {
	w := newWorld(t, devchain.Options{ManualMining: true}, Options{})
	// A local miner: one block per transaction, except while pairing, when it waits for
	// two pending transactions and mines them together.
	var pairing atomic.Bool
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			if n := w.chain.Pending(); n >= 2 || (n == 1 && !pairing.Load()) {
				w.chain.Commit()
			}
		}
	}()
	defer func() { close(stop); <-done }()

	id := w.open(1, 2, ether(1), 1)
	if _, err := w.clients[1].Close(w.ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.chain.AdjustTime(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	// Two settles estimated against the same state and mined in one block: the second
	// passes estimation but fails on chain.
	pairing.Store(true)
	type result struct {
		rec *types.Receipt
		err error
	}
	results := make(chan result, 2)
	for _, i := range []int{3, 4} {
		go func() {
			rec, err := w.clients[i].Settle(w.ctx, id)
			results <- result{rec, err}
		}()
	}
	var failed int
	for range 2 {
		r := <-results
		if r.err == nil {
			continue
		}
		failed++
		if !errors.Is(r.err, ErrTxFailed) {
			t.Fatalf("losing settle error %v, want ErrTxFailed", r.err)
		}
		if r.rec == nil || r.rec.Status != types.ReceiptStatusFailed {
			t.Fatalf("losing settle returned receipt %+v, want the failed receipt", r.rec)
		}
	}
	if failed != 1 {
		t.Fatalf("%d settles failed, want exactly 1", failed)
	}
}

func TestRevertDecoderForms(t *testing.T) {
	a := bindings.NewSluiceChannels().GetABI()
	erc20, err := parseERC20ABI()
	if err != nil {
		t.Fatal(err)
	}
	d := newRevertDecoder(&a, erc20)
	staleID := a.Errors["StaleNonce"].ID
	reason, _ := abi.NewType("string", "", nil)
	errorString := append(crypto.Keccak256([]byte("Error(string)"))[:4], mustPack(t, abi.Arguments{{Type: reason}}, "too late")...)
	uintT, _ := abi.NewType("uint256", "", nil)
	panicData := append(common.FromHex("0x4e487b71"), mustPack(t, abi.Arguments{{Type: uintT}}, big.NewInt(0x11))...)
	addrT, _ := abi.NewType("address", "", nil)
	erc20Err := append(crypto.Keccak256([]byte("ERC20InvalidSpender(address)"))[:4], mustPack(t, abi.Arguments{{Type: addrT}}, common.Address{7})...)
	tests := []struct {
		name     string
		data     []byte
		wantName string
		wantMsg  string
	}{
		{"custom error", staleID[:4], "StaleNonce", "execution reverted: StaleNonce()"},
		{"require reason", errorString, "Error", "execution reverted: too late"},
		{"panic code", panicData, "Panic", "execution reverted: Panic"},
		{"token error with args", erc20Err, "ERC20InvalidSpender", "ERC20InvalidSpender"},
		{"unknown selector", common.FromHex("0xdeadbeef"), "0xdeadbeef", "0xdeadbeef"},
		{"no data", nil, "", "execution reverted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rev := d.decode(tt.data)
			if rev.Name != tt.wantName {
				t.Fatalf("name %q, want %q", rev.Name, tt.wantName)
			}
			if msg := rev.Error(); !strings.Contains(msg, tt.wantMsg) {
				t.Fatalf("message %q does not contain %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestRevertFromRPCError(t *testing.T) {
	a := bindings.NewSluiceChannels().GetABI()
	d := newRevertDecoder(&a)
	staleID := a.Errors["StaleNonce"].ID
	stale := fmt.Sprintf("0x%x", staleID[:4])
	tests := []struct {
		name string
		err  error
		want string // "" = not a revert
	}{
		{"hex data", dataErr{"execution reverted", stale}, "StaleNonce"},
		{"wrapped hex data", fmt.Errorf("estimate: %w", dataErr{"execution reverted", stale}), "StaleNonce"},
		{"revert without data", errors.New("execution reverted"), "-"},
		{"not a revert", errors.New("connection refused"), ""},
		{"nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rev := d.fromRPC(tt.err)
			switch {
			case tt.want == "" && rev != nil:
				t.Fatalf("decoded %v from a non-revert", rev)
			case tt.want == "-" && (rev == nil || rev.Name != ""):
				t.Fatalf("got %v, want an anonymous revert", rev)
			case tt.want != "" && tt.want != "-" && (rev == nil || rev.Name != tt.want):
				t.Fatalf("got %v, want %s", rev, tt.want)
			}
		})
	}
}

type dataErr struct{ msg, data string }

func (e dataErr) Error() string          { return e.msg }
func (e dataErr) ErrorData() interface{} { return e.data }

func mustPack(t *testing.T, args abi.Arguments, vals ...any) []byte {
	t.Helper()
	b, err := args.Pack(vals...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
