package audit

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// ProofCheck is the verdict on one channel of a node's proof file.
type ProofCheck struct {
	Channel channel.ID
	Node    common.Address
	Status  string // on chain, at the end of the scan
	// ReceivedNonce is the nonce of the node's best proof from its partner; OnChainNonce
	// the nonce of the partner's proof the chain used.
	ReceivedNonce uint64
	OnChainNonce  uint64
	// Paid is what the settlement paid the node; Entitled what its best proofs entitle
	// it to. Both are nil until the channel settled.
	Paid     *big.Int
	Entitled *big.Int
	OK       bool
}

// checkProofs verifies a node's exported proofs and compares each settled channel's
// outcome with what those proofs entitle the node to.
func checkProofs(file *ProofFile, h *channel.Hasher, l *ledger, found *findings) []ProofCheck {
	out := make([]ProofCheck, 0, len(file.Channels))
	for _, fc := range file.Channels {
		id := channel.ID(fc.ID)
		where := at{channel: &id}
		r := l.channels[id]
		if r == nil {
			found.warn(where.finding(CodeUnknownToChain, "the proof file lists a channel the scanned blocks never mention"))
			continue
		}
		before := found.perChannel[id]
		pc := checkProofChannel(file.Node, fc, r, h, found)
		pc.OK = found.perChannel[id] == before
		out = append(out, pc)
	}
	return out
}

func checkProofChannel(node common.Address, fc ProofFileChannel, r *rebuilt, h *channel.Hasher, found *findings) ProofCheck {
	where := at{channel: &r.id}
	pc := ProofCheck{Channel: r.id, Node: node, Status: r.status.String()}
	if fc.Participants != r.participants || fc.Token != r.token {
		found.fail(where.finding(CodeBadProofFileEntry, "file says participants %s/%s token %s, the chain %s/%s %s",
			fc.Participants[0], fc.Participants[1], tokenName(fc.Token), r.participants[0], r.participants[1], tokenName(r.token)))
		return pc
	}
	me, _ := r.partyOf(node)
	partner := me.Other()
	pc.OnChainNonce = r.nonce[partner]

	// The node's best knowledge: the partner paid at least received, the node at most sent.
	paidByPartner, paidByMe := new(big.Int), new(big.Int)
	receivedNewer := false
	if fc.Received != nil {
		pc.ReceivedNonce = fc.Received.Nonce
		if verifyExported(h, r.id, "received", fc.Received, r.participants[partner], where, found) {
			paidByPartner.Set(&fc.Received.Transferred.Int)
			receivedNewer = fc.Received.Nonce > r.nonce[partner]
		}
	}
	if fc.Sent != nil && verifyExported(h, r.id, "sent", fc.Sent, node, where, found) {
		paidByMe.Set(&fc.Sent.Transferred.Int)
		if r.nonce[me] > fc.Sent.Nonce {
			found.warn(where.finding(CodeNodeSignedMore, "the chain holds a proof signed by %s with nonce %d, newer than its exported nonce %d", node, r.nonce[me], fc.Sent.Nonce))
		}
	}
	if !receivedNewer {
		paidByPartner.Set(r.transferred[partner])
	}

	switch r.status {
	case channel.StatusClosing:
		if receivedNewer {
			found.warn(where.finding(CodeNewerProofHeld, "%s holds the partner's proof nonce %d (transferred %s), the chain nonce %d: submit updateProof before settleAfter %d",
				node, fc.Received.Nonce, &fc.Received.Transferred.Int, r.nonce[partner], r.settleAfter))
		}
	case channel.StatusSettled:
		if r.final[me] == nil {
			break // seeded as already settled: the scan did not see the payout
		}
		entitled := entitlement(r, me, paidByMe, paidByPartner)
		pc.Paid, pc.Entitled = new(big.Int).Set(r.final[me]), entitled
		short := new(big.Int).Sub(entitled, r.final[me])
		if short.Sign() <= 0 {
			break
		}
		settledAt := at{channel: &r.id, block: r.settled.block, tx: r.settled.tx}
		if !r.cooperative && receivedNewer {
			found.fail(settledAt.finding(CodeMissedProof,
				"settled on the partner's proof nonce %d (transferred %s, close tx %s) while %s holds nonce %d (transferred %s): paid %s, entitled to %s, short by %s; the challenge period was missed",
				r.nonce[partner], r.transferred[partner], r.closed.tx.Hex(), node, fc.Received.Nonce, &fc.Received.Transferred.Int,
				r.final[me], entitled, short))
			break
		}
		found.fail(settledAt.finding(CodeUnderpaid, "%s was paid %s, its proofs entitle it to %s, short by %s (cooperative %t)",
			node, r.final[me], entitled, short, r.cooperative))
	}
	return pc
}

// entitlement is the node's settlement if the chain had used the node's best proofs.
// For a unilateral close the node's own payments are what the chain recorded (its
// partner chose which of the node's proofs to submit); for a cooperative one, the
// node's own latest proof.
func entitlement(r *rebuilt, me channel.Party, paidByMe, paidByPartner *big.Int) *big.Int {
	var transferred [2]*big.Int
	transferred[me.Other()] = paidByPartner
	transferred[me] = r.transferred[me]
	if r.cooperative {
		transferred[me] = paidByMe
	}
	balA, balB := channel.ComputeSettlement(r.deposit[0], r.deposit[1], r.withdrawn[0], r.withdrawn[1], transferred[0], transferred[1])
	if me == channel.PartyA {
		return balA
	}
	return balB
}

// verifyExported checks that an exported proof is signed by want for this channel.
func verifyExported(h *channel.Hasher, id channel.ID, which string, p *ExportedProof, want common.Address, where at, found *findings) bool {
	sp := p.signed(id)
	digest, err := h.BalanceProofDigest(sp.BalanceProof)
	var got common.Address
	if err == nil {
		got, err = h.Recover(digest, sp.Sig)
	}
	if err != nil {
		found.fail(where.finding(CodeBadProofFileEntry, "%s proof nonce %d: %v", which, p.Nonce, err))
		return false
	}
	if got != want {
		found.fail(where.finding(CodeBadProofFileEntry, "%s proof nonce %d is signed by %s, want %s", which, p.Nonce, got, want))
		return false
	}
	return true
}

func (pc ProofCheck) String() string {
	return fmt.Sprintf("%s %s received nonce %d on-chain nonce %d paid %v entitled %v ok %t",
		pc.Channel, pc.Status, pc.ReceivedNonce, pc.OnChainNonce, pc.Paid, pc.Entitled, pc.OK)
}
