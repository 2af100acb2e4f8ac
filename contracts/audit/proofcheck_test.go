package audit

import (
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

func TestProofChecksAgainstTheSettlement(t *testing.T) {
	f := newSigFixture(t)
	node, partner := f.b, f.a // the node is B; A pays it
	exported := func(s *channel.KeySigner, nonce uint64, transferred int64) *ExportedProof {
		return &ExportedProof{Nonce: nonce, Transferred: NewAmount(big.NewInt(transferred)), Sig: f.proofSig(t, s, nonce, transferred)}
	}
	// channel: A deposited 100; settled or closing with A's proof nonce onChainNonce.
	state := func(status channel.Status, coop bool, onChainNonce uint64, onChainTransferred int64) *rebuilt {
		r := newRebuilt(chanID)
		r.participants = f.ch.participants
		r.status, r.cooperative = status, coop
		r.deposit[0].SetInt64(100)
		r.nonce[0], r.transferred[0] = onChainNonce, big.NewInt(onChainTransferred)
		if status == channel.StatusSettled {
			balA, balB := channel.ComputeSettlement(r.deposit[0], r.deposit[1], r.withdrawn[0], r.withdrawn[1], r.transferred[0], r.transferred[1])
			r.final = [2]*big.Int{balA, balB}
		}
		return r
	}
	tests := []struct {
		name     string
		r        *rebuilt
		entry    ProofFileChannel
		fail     []Code
		warn     []Code
		entitled int64
	}{
		{"unilateral settlement on the node's latest proof", state(channel.StatusSettled, false, 5, 50),
			ProofFileChannel{Received: exported(partner, 5, 50)}, nil, nil, 50},
		{"unilateral settlement on an older proof", state(channel.StatusSettled, false, 2, 20),
			ProofFileChannel{Received: exported(partner, 5, 50)}, []Code{CodeMissedProof}, nil, 50},
		{"cooperative settlement paying less than the proofs", state(channel.StatusSettled, true, 0, 30),
			ProofFileChannel{Received: exported(partner, 5, 50)}, []Code{CodeUnderpaid}, nil, 50},
		{"closing channel where the node holds a newer proof", state(channel.StatusClosing, false, 2, 20),
			ProofFileChannel{Received: exported(partner, 5, 50)}, nil, []Code{CodeNewerProofHeld}, 0},
		{"received proof signed by the node itself", state(channel.StatusSettled, false, 2, 20),
			ProofFileChannel{Received: exported(node, 5, 50)}, []Code{CodeBadProofFileEntry}, nil, 20},
		{"chain holds a proof by the node newer than its export", func() *rebuilt {
			r := state(channel.StatusClosing, false, 0, 0)
			r.nonce[1], r.transferred[1] = 9, big.NewInt(9)
			return r
		}(), ProofFileChannel{Sent: exported(node, 3, 3)}, nil, []Code{CodeNodeSignedMore}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hasher, err := channel.NewHasher(f.domain)
			if err != nil {
				t.Fatal(err)
			}
			entry := tc.entry
			entry.ID, entry.Participants = common.Hash(chanID), tc.r.participants
			found := newFindings()
			pc := checkProofChannel(node.Address(), entry, tc.r, hasher, found)
			if got := codes(found.discrepancies); !slices.Equal(got, tc.fail) {
				t.Errorf("discrepancies %v, want %v: %v", got, tc.fail, found.discrepancies)
			}
			if got := codes(found.warnings); !slices.Equal(got, tc.warn) {
				t.Errorf("warnings %v, want %v: %v", got, tc.warn, found.warnings)
			}
			if tc.entitled != 0 && (pc.Entitled == nil || pc.Entitled.Int64() != tc.entitled) {
				t.Errorf("entitled %v, want %d", pc.Entitled, tc.entitled)
			}
		})
	}
}

func TestProofCheckRejectsEntryWithOtherParticipants(t *testing.T) {
	f := newSigFixture(t)
	hasher, err := channel.NewHasher(f.domain)
	if err != nil {
		t.Fatal(err)
	}
	found := newFindings()
	entry := ProofFileChannel{ID: common.Hash(chanID), Participants: [2]common.Address{f.b.Address(), f.a.Address()}}
	checkProofChannel(f.b.Address(), entry, f.ch, hasher, found)
	if got := codes(found.discrepancies); !slices.Equal(got, []Code{CodeBadProofFileEntry}) {
		t.Errorf("discrepancies %v", found.discrepancies)
	}
}
