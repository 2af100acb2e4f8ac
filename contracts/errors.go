package contracts

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// RevertError is a contract revert decoded from its revert data. Name is the Solidity
// custom error ("StaleNonce"), or "Error" for require(..., "reason") and "Panic" for
// assertion failures; Name is empty when the node returned no revert data.
//
// errors.Is matches two RevertErrors by Name, so the sentinels below work on any
// decoded revert: errors.Is(err, contracts.ErrStaleNonce).
type RevertError struct {
	Name string
	// Args are the decoded error arguments (the reason string for "Error").
	Args []any
	// Data is the raw revert data, selector included.
	Data []byte
}

func (e *RevertError) Error() string {
	switch {
	case e.Name == "":
		return "execution reverted"
	case e.Name == "Error" && len(e.Args) == 1:
		return fmt.Sprintf("execution reverted: %v", e.Args[0])
	case len(e.Args) > 0:
		return fmt.Sprintf("execution reverted: %s%v", e.Name, e.Args)
	default:
		return fmt.Sprintf("execution reverted: %s()", e.Name)
	}
}

// Is reports whether target is a RevertError with the same Name.
func (e *RevertError) Is(target error) bool {
	t, ok := target.(*RevertError)
	return ok && t.Name == e.Name
}

// Sentinels for SluiceChannels' custom errors (docs/contract.md), for errors.Is.
var (
	ErrNotParticipant          = &RevertError{Name: "NotParticipant"}
	ErrInvalidPartner          = &RevertError{Name: "InvalidPartner"}
	ErrInvalidChallengePeriod  = &RevertError{Name: "InvalidChallengePeriod"}
	ErrInvalidAmount           = &RevertError{Name: "InvalidAmount"}
	ErrAmountTooLarge          = &RevertError{Name: "AmountTooLarge"}
	ErrChannelNotOpen          = &RevertError{Name: "ChannelNotOpen"}
	ErrChannelNotClosing       = &RevertError{Name: "ChannelNotClosing"}
	ErrUnknownChannel          = &RevertError{Name: "UnknownChannel"}
	ErrInvalidSignature        = &RevertError{Name: "InvalidSignature"}
	ErrWrongSigner             = &RevertError{Name: "WrongSigner"}
	ErrStaleNonce              = &RevertError{Name: "StaleNonce"}
	ErrChallengePeriodOver     = &RevertError{Name: "ChallengePeriodOver"}
	ErrChallengePeriodNotOver  = &RevertError{Name: "ChallengePeriodNotOver"}
	ErrWrongBalanceSum         = &RevertError{Name: "WrongBalanceSum"}
	ErrWithdrawalExpired       = &RevertError{Name: "WithdrawalExpired"}
	ErrWithdrawalNotIncreasing = &RevertError{Name: "WithdrawalNotIncreasing"}
	ErrEthValueMismatch        = &RevertError{Name: "EthValueMismatch"}
	ErrTokenTransferFailed     = &RevertError{Name: "TokenTransferFailed"}
	ErrReentrancy              = &RevertError{Name: "Reentrancy"}
	ErrNothingToClaim          = &RevertError{Name: "NothingToClaim"}
	ErrEthTransferFailed       = &RevertError{Name: "EthTransferFailed"}
	ErrInvalidLocks            = &RevertError{Name: "InvalidLocks"}
	ErrTooManyLocks            = &RevertError{Name: "TooManyLocks"}
	ErrNothingToUnlock         = &RevertError{Name: "NothingToUnlock"}
)

// ErrTxFailed reports a transaction that was mined with status 0. It is returned
// wrapped together with the decoded revert when the revert can be reproduced.
var ErrTxFailed = errors.New("transaction failed on chain")

// revertDecoder maps 4-byte selectors to the custom errors of one or more ABIs.
type revertDecoder struct {
	errs map[[4]byte]abi.Error
}

func newRevertDecoder(abis ...*abi.ABI) *revertDecoder {
	d := &revertDecoder{errs: make(map[[4]byte]abi.Error)}
	for _, a := range abis {
		for _, e := range a.Errors {
			var sel [4]byte
			copy(sel[:], e.ID[:4])
			d.errs[sel] = e
		}
	}
	return d
}

// decode turns revert data into a *RevertError. Unknown selectors keep the raw data and
// name the selector so the failure is still identifiable.
func (d *revertDecoder) decode(data []byte) *RevertError {
	if len(data) < 4 {
		return &RevertError{Data: data}
	}
	var sel [4]byte
	copy(sel[:], data[:4])
	if e, ok := d.errs[sel]; ok {
		args, err := e.Inputs.Unpack(data[4:])
		if err != nil {
			return &RevertError{Name: e.Name, Data: data}
		}
		return &RevertError{Name: e.Name, Args: args, Data: data}
	}
	if reason, err := abi.UnpackRevert(data); err == nil {
		if sel == [4]byte{0x4e, 0x48, 0x7b, 0x71} { // Panic(uint256)
			return &RevertError{Name: "Panic", Args: []any{reason}, Data: data}
		}
		return &RevertError{Name: "Error", Args: []any{reason}, Data: data}
	}
	return &RevertError{Name: "0x" + hex.EncodeToString(sel[:]), Data: data}
}

// fromRPC extracts revert data from an eth_call / eth_estimateGas error and returns the
// decoded revert, or nil when err is not a revert.
func (d *revertDecoder) fromRPC(err error) *RevertError {
	if err == nil {
		return nil
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		if data, ok := revertData(de.ErrorData()); ok {
			return d.decode(data)
		}
	}
	if strings.Contains(err.Error(), "execution reverted") {
		return &RevertError{}
	}
	return nil
}

// revertData accepts the forms nodes put in a JSON-RPC error's data field: a hex
// string (geth, Anvil) or raw bytes.
func revertData(v any) ([]byte, bool) {
	switch data := v.(type) {
	case string:
		b, err := hexutil.Decode(data)
		return b, err == nil
	case []byte:
		return data, true
	default:
		return nil, false
	}
}

// wrap turns an RPC error into the decoded revert (wrapped with op) when it is
// one, and otherwise wraps the original error.
func (d *revertDecoder) wrap(op string, err error) error {
	if rev := d.fromRPC(err); rev != nil {
		return fmt.Errorf("%s: %w", op, rev)
	}
	return fmt.Errorf("%s: %w", op, err)
}
