// Package channel is Sluice's pure off-chain state machine: the channel types, EIP-712
// hashing of BalanceProof, Settlement and Withdrawal, signing and signature recovery,
// the payment, withdrawal and cooperative-close rules, the on-chain settlement formula,
// stable wire error codes, and the compact binary form of a SignedProof.
//
// It owns the rules, not the side effects: it does no I/O, starts no goroutines and reads
// no clock (time arrives as a `now uint64` unix-seconds argument). It must never import
// another package of this module; store, p2p, contracts and node all build on it.
//
// The usual flow for one payment, with the node persisting between steps:
//
//	payer: proof, err := st.PreparePayment(self, amount, signer) // signs, does not mutate
//	       persist(proof); st.CommitProof(self, proof); send(proof)
//	payee: outcome, err := st.ValidateIncoming(payer, proof)     // recovers, does not mutate
//	       persist(proof); st.CommitProof(payer, proof); ack()   // OutcomeRepeat: just re-ack
//
// A State has exactly one owner at a time: no method is safe for concurrent use, because
// the hot path reuses scratch space inside the State to stay allocation-free.
package channel
