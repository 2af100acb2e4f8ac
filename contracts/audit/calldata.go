package audit

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// callKind is a contract function whose calldata carries signatures.
type callKind uint8

const (
	callClose callKind = iota + 1
	callUpdateProof
	callCloseCooperative
	callWithdraw
)

func (k callKind) method() string {
	switch k {
	case callClose:
		return "close"
	case callUpdateProof:
		return "updateProof"
	case callCloseCooperative:
		return "closeCooperative"
	default:
		return "withdraw"
	}
}

// sigJob is one event whose signatures must be checked against its transaction's
// calldata: the event says what the contract recorded, the call what it was given.
type sigJob struct {
	kind callKind
	ch   *rebuilt
	ref  eventRef

	closer      common.Address // close: the sender
	signer      common.Address // close, updateProof: who the contract credited the proof to
	receiver    common.Address // updateProof: the signer's partner, whose consent the call needs
	participant common.Address // withdraw
	nonce       uint64
	amount      *big.Int // transferred (proofs) or totalWithdrawn
	balA, balB  *big.Int // closeCooperative
}

// decodedCall is the signed payload of a call, with the signatures it carried.
type decodedCall struct {
	id          channel.ID
	nonce       uint64
	amount      *big.Int
	locked      *big.Int // close, updateProof: the proof's pending locks
	locksRoot   [32]byte
	balA, balB  *big.Int
	participant common.Address
	expiry      uint64
	sigs        [][]byte
	// endorsed: an updateProofFor, whose second signature is the receiver's
	// ProofEndorsement; a plain updateProof carries the receiver's consent in its sender.
	endorsed bool
}

// decodeCall decodes input as a call of the job's function, or reports why it is not one.
func decodeCall(a *abi.ABI, kind callKind, input []byte) (decodedCall, error) {
	if len(input) < 4 {
		return decodedCall{}, fmt.Errorf("calldata of %d bytes", len(input))
	}
	m, err := a.MethodById(input[:4])
	if err != nil {
		return decodedCall{}, fmt.Errorf("unknown selector %x", input[:4])
	}
	endorsed := kind == callUpdateProof && m.Name == "updateProofFor"
	if m.Name != kind.method() && !endorsed {
		return decodedCall{}, fmt.Errorf("a call of %s, not %s", m.Name, kind.method())
	}
	args, err := m.Inputs.Unpack(input[4:])
	if err != nil {
		return decodedCall{}, fmt.Errorf("decode %s calldata: %w", m.Name, err)
	}
	d := decodedCall{endorsed: endorsed}
	ok := true
	take := func(i int, dst any) {
		switch p := dst.(type) {
		case *channel.ID:
			v, good := args[i].([32]byte)
			*p, ok = channel.ID(v), ok && good
		case *uint64:
			v, good := args[i].(uint64)
			*p, ok = v, ok && good
		case **big.Int:
			v, good := args[i].(*big.Int)
			*p, ok = v, ok && good
		case *common.Address:
			v, good := args[i].(common.Address)
			*p, ok = v, ok && good
		case *[32]byte:
			v, good := args[i].([32]byte)
			*p, ok = v, ok && good
		case *[]byte:
			v, good := args[i].([]byte)
			d.sigs, ok = append(d.sigs, v), ok && good
		}
	}
	var sig []byte
	switch kind {
	case callClose, callUpdateProof: // (id, nonce, transferred, locked, locksRoot, sig[, receiverSig])
		take(0, &d.id)
		take(1, &d.nonce)
		take(2, &d.amount)
		take(3, &d.locked)
		take(4, &d.locksRoot)
		take(5, &sig)
		if endorsed {
			take(6, &sig)
		}
	case callCloseCooperative: // (id, balanceA, balanceB, sigA, sigB)
		take(0, &d.id)
		take(1, &d.balA)
		take(2, &d.balB)
		take(3, &sig)
		take(4, &sig)
	case callWithdraw: // (id, participant, totalWithdrawn, expiry, sigA, sigB)
		take(0, &d.id)
		take(1, &d.participant)
		take(2, &d.amount)
		take(3, &d.expiry)
		take(4, &sig)
		take(5, &sig)
	}
	if !ok {
		return decodedCall{}, fmt.Errorf("decode %s calldata: unexpected argument types", m.Name)
	}
	return d, nil
}

// matches reports whether the call is the one that emitted the job's event.
func (j *sigJob) matches(d decodedCall) bool {
	if d.id != j.ch.id {
		return false
	}
	switch j.kind {
	case callClose, callUpdateProof:
		return d.nonce == j.nonce && d.amount.Cmp(j.amount) == 0
	case callCloseCooperative:
		return d.balA.Cmp(j.balA) == 0 && d.balB.Cmp(j.balB) == 0
	default:
		return d.participant == j.participant && d.amount.Cmp(j.amount) == 0
	}
}

// expectedSigners lists who must have signed each signature of the call, in calldata order.
func (j *sigJob) expectedSigners(d decodedCall) []common.Address {
	switch j.kind {
	case callUpdateProof:
		if d.endorsed {
			return []common.Address{j.signer, j.receiver}
		}
		return []common.Address{j.signer}
	case callClose:
		return []common.Address{j.signer}
	default:
		return j.ch.participants[:]
	}
}

// digest is the EIP-712 digest the call's i-th signature signs.
func (j *sigJob) digest(h *channel.Hasher, d decodedCall, i int) (common.Hash, error) {
	switch j.kind {
	case callUpdateProof:
		p := d.proof()
		if i == 1 {
			return h.EndorsementDigest(p)
		}
		return h.BalanceProofDigest(p)
	case callClose:
		return h.BalanceProofDigest(d.proof())
	case callCloseCooperative:
		return h.SettlementDigest(channel.Settlement{Channel: d.id, BalanceA: d.balA, BalanceB: d.balB})
	default:
		return h.WithdrawalDigest(channel.Withdrawal{Channel: d.id, Participant: d.participant, TotalWithdrawn: d.amount, Expiry: d.expiry})
	}
}

// proof is the balance proof a close or updateProof call carried.
func (d decodedCall) proof() channel.BalanceProof {
	return channel.BalanceProof{Channel: d.id, Nonce: d.nonce, Transferred: d.amount, Locked: d.locked, LocksRoot: d.locksRoot}
}

// what names the signed payload for messages.
func (j *sigJob) what() string {
	switch j.kind {
	case callClose:
		return fmt.Sprintf("close proof nonce %d transferred %s", j.nonce, j.amount)
	case callUpdateProof:
		return fmt.Sprintf("updateProof nonce %d transferred %s", j.nonce, j.amount)
	case callCloseCooperative:
		return fmt.Sprintf("cooperative settlement A %s B %s", j.balA, j.balB)
	default:
		return fmt.Sprintf("withdrawal of %s total %s", j.participant, j.amount)
	}
}

func toSignature(b []byte) (channel.Signature, error) {
	var s channel.Signature
	if len(b) != len(s) {
		return s, fmt.Errorf("signature of %d bytes, want %d", len(b), len(s))
	}
	copy(s[:], b)
	return s, nil
}
