package demo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

// attack is what the cheating hub tried on chain while alice's node was offline, as it
// happened. The refused calls leave no trace on chain (they fail at gas estimation), so
// the run keeps its own record; verify turns it into the report's checks.
type attack struct {
	forged   channel.SignedProof
	attempts []Attempt
	// The chain's record of the hub's payments after the attempts, before alice's node
	// came back: what the settlement would use if nobody defended.
	hubNonce uint64
	hubPaid  *big.Int
}

// forgedNonce is the highest nonce a proof can carry: under the old "any higher nonce
// wins" rule nothing could ever replace it.
const forgedNonce = math.MaxUint64

// forge signs, with the hub's key, a proof that the hub paid alice nothing, at the
// highest nonce there is, and the hub's own endorsement of it.
func (r *run) forge(d channel.Domain) (channel.SignedProof, channel.Signature, error) {
	signer, err := channel.NewKeySigner(r.c.Member(hub).Key)
	if err != nil {
		return channel.SignedProof{}, channel.Signature{}, err
	}
	p := channel.BalanceProof{Channel: r.eth, Nonce: forgedNonce, Transferred: new(big.Int)}
	digest, err := d.BalanceProofDigest(p)
	if err != nil {
		return channel.SignedProof{}, channel.Signature{}, fmt.Errorf("demo: forged proof digest: %w", err)
	}
	sig, err := signer.SignDigest(digest)
	if err != nil {
		return channel.SignedProof{}, channel.Signature{}, fmt.Errorf("demo: sign forged proof: %w", err)
	}
	edigest, err := d.EndorsementDigest(p)
	if err != nil {
		return channel.SignedProof{}, channel.Signature{}, fmt.Errorf("demo: forged endorsement digest: %w", err)
	}
	endorsement, err := signer.SignDigest(edigest)
	if err != nil {
		return channel.SignedProof{}, channel.Signature{}, fmt.Errorf("demo: sign forged endorsement: %w", err)
	}
	return channel.SignedProof{BalanceProof: p, Sig: sig}, endorsement, nil
}

// tryErase makes the hub's three attempts to lower its payments on chain through cheat,
// a contracts client with the hub's key, and records how the contract answered each.
// Every attempt is expected to be refused with WrongSigner: a proof counts on chain only
// with the consent of the party it pays, and here that party is alice.
func (r *run) tryErase(ctx context.Context, cheat *contracts.Client, stale channel.SignedProof) error {
	forged, endorsement, err := r.forge(cheat.Domain())
	if err != nil {
		return err
	}
	r.attack.forged = forged
	want := contracts.ErrWrongSigner.Name
	for _, a := range []struct {
		what  string
		proof channel.SignedProof
		send  func() (txHash string, err error)
	}{
		{"updateProof of the forged proof from the hub's account", forged, func() (string, error) {
			return txOf(cheat.UpdateProof(ctx, forged))
		}},
		{"updateProofFor of the forged proof, endorsed by the hub itself", forged, func() (string, error) {
			return txOf(cheat.UpdateProofFor(ctx, forged, endorsement))
		}},
		{"updateProof of the hub's own stale genuine proof", stale, func() (string, error) {
			return txOf(cheat.UpdateProof(ctx, stale))
		}},
	} {
		tx, err := a.send()
		if err := ctx.Err(); err != nil {
			return err
		}
		r.attack.attempts = append(r.attack.attempts, Attempt{
			What: a.what, Nonce: a.proof.Nonce, Transferred: a.proof.Transferred.String(),
			Expected: want, Refused: refusal(err), Tx: tx,
		})
	}
	return nil
}

// txOf keeps the hash of a transaction that was mined, whether it succeeded or reverted.
func txOf(rec *types.Receipt, err error) (string, error) {
	if rec == nil {
		return "", err
	}
	return rec.TxHash.Hex(), err
}

// refusal names the contract's revert in err ("WrongSigner"), or the error itself when
// it is no revert; "" means the call was accepted.
func refusal(err error) string {
	if err == nil {
		return ""
	}
	var re *contracts.RevertError
	if errors.As(err, &re) && re.Name != "" {
		return re.Name
	}
	return err.Error()
}
