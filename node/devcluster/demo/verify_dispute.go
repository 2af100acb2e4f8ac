package demo

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/contracts"
)

// attemptsMade is how many calls tryErase makes; fewer recorded means the attack did not
// really run, which must fail the demo rather than pass it vacuously.
const attemptsMade = 3

// verifyDispute checks that the contract refused each of the hub's attempts to lower its
// payments, that the chain recorded none of the hub's payments until alice's watcher put
// the hub's latest proof on chain, and that the watcher did so within the challenge
// period with the hub's whole payments.
func (r *run) verifyDispute(ctx context.Context, oc *onChain) error {
	d := &r.rep.Dispute
	d.Channel, d.Cheater, d.Victim = r.eth.String(), "hub", "alice"
	a := r.attack
	d.Attempts = append([]Attempt(nil), a.attempts...)
	d.ForgedNonce = a.forged.Nonce
	if a.forged.Transferred != nil {
		d.ForgedTransferred = a.forged.Transferred.String()
	}
	d.CheaterNonceBeforeDefense = a.hubNonce
	if a.hubPaid != nil {
		d.CheaterPaidBeforeDefense = a.hubPaid.String()
	}
	if len(a.attempts) != attemptsMade {
		r.rep.check("the hub's attempts to erase its payments were made", false, "%d attempts recorded, want %d", len(a.attempts), attemptsMade)
	}
	for _, at := range a.attempts {
		r.rep.check("contract refused the hub's "+at.What, at.Refused == at.Expected && at.Expected != "" && at.Tx == "",
			"proof #%d paying %s: answered %q, want %s; mined tx %q", at.Nonce, at.Transferred, at.Refused, at.Expected, at.Tx)
	}

	hubAddr := r.address(hub)
	if oc == nil || oc.closed == nil || oc.closed.Closer != hubAddr {
		r.rep.check("the hub's close happened and was answered", false, "no ChannelClosed by the hub on %s", r.eth)
		return nil
	}
	d.ClosedNonce = oc.closed.Nonce
	// The first record of a hub proof after the close must be alice's defense: the close
	// carries only alice's proof, so until then the hub's payments on chain are 0.
	var defense *contracts.ProofUpdated
	forgedOnChain := false
	for i := range oc.updates {
		u := &oc.updates[i]
		forgedOnChain = forgedOnChain || u.Nonce == forgedNonce
		if u.Signer == hubAddr && defense == nil {
			defense = u
		}
	}
	if defense == nil {
		r.rep.check("alice's watcher put a hub proof on chain", false, "no ProofUpdated of a hub-signed proof on %s", r.eth)
		return nil
	}
	d.DefendedNonce, d.DefendedTransferred, d.DefenseTx = defense.Nonce, defense.Transferred.String(), defense.TxHash.Hex()
	cl := r.c.Chain().Client()
	tx, _, err := cl.TransactionByHash(ctx, defense.TxHash)
	if err != nil {
		return fmt.Errorf("demo: defense transaction %s: %w", defense.TxHash, err)
	}
	sender, err := types.Sender(types.LatestSignerForChainID(r.c.Chain().ChainID()), tx)
	if err != nil {
		return fmt.Errorf("demo: sender of %s: %w", defense.TxHash, err)
	}
	if role := r.roleOf(sender); role >= 0 {
		d.DefendedBy = roleNames[role]
	} else {
		d.DefendedBy = sender.Hex()
	}
	hdr, err := cl.HeaderByNumber(ctx, new(big.Int).SetUint64(defense.Block))
	if err != nil {
		return fmt.Errorf("demo: block %d: %w", defense.Block, err)
	}
	if hdr.Time < oc.closed.SettleAfter {
		d.ChallengeLeft = oc.closed.SettleAfter - hdr.Time
	}
	stayedZero := a.hubPaid != nil && a.hubPaid.Sign() == 0 && a.hubNonce == 0 && !forgedOnChain && sender == r.address(alice)
	r.rep.check("the chain recorded none of the hub's payments until alice's watcher defended", stayedZero,
		"after the attempts: hub proof #%d paying %s; forged nonce on chain %v; first hub proof on chain #%d sent by %s",
		a.hubNonce, a.hubPaid, forgedOnChain, defense.Nonce, d.DefendedBy)
	r.rep.check("alice's watcher submitted the hub's latest proof", sender == r.address(alice), "updateProof sent by %s", d.DefendedBy)
	r.rep.check("defense mined within the challenge period", hdr.Time < oc.closed.SettleAfter, "block time %d, settleAfter %d", hdr.Time, oc.closed.SettleAfter)
	r.rep.check("defense put the hub's whole payments on chain", defense.Transferred.Cmp(r.books.paid[r.eth][0]) == 0, "on chain %s, ledger %s", defense.Transferred, r.books.paid[r.eth][0])
	return nil
}
