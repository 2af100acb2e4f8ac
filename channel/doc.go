// Package channel is Sluice's pure off-chain state machine: the channel types, EIP-712
// hashing of BalanceProof, Settlement and Withdrawal, signing and signature recovery,
// the payment, withdrawal and cooperative-close rules, pending hashlocks (lock.go,
// locks*.go), the on-chain settlement formula, stable wire error codes, and the compact
// binary forms of a SignedProof, a lock set and a LockUpdate.
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
// A hashlocked transfer, unlock or expiry is the same dance with a LockUpdate travelling
// next to the proof and the chain time now (ADR 0019):
//
//	payer: proof, err := st.PrepareLockUpdate(self, u, now, signer)
//	       persist(proof, st.Locks after u); st.CommitLockUpdate(self, u, proof, now); send(u, proof)
//	payee: outcome, err := st.ValidateLockUpdate(payer, u, proof, now) // recomputes, does not mutate
//	       persist(proof, locks); st.CommitLockUpdate(payer, u, proof, now); ack()
//
// A State has exactly one owner at a time: no method is safe for concurrent use, because
// the hot path reuses scratch space inside the State to stay allocation-free.
package channel
