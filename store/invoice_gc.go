package store

// Deletions for the invoice lifecycle (ADR 0035). A payee's invoice that expired unpaid
// (no lock was ever accepted for it) is deleted with its secret and its target record by
// the node's sweep. The store only offers the deletions; the node decides that nothing
// needs them any more (no pending lock on the hash on any channel, never revealed).

// DeleteSecret removes the secret of hash. Only for a secret nobody can need: never
// revealed and guarding no pending lock on any channel (PutSecret keeps every other
// secret forever).
func (b *Batch) DeleteSecret(hash [32]byte) { b.lb.Delete(secretKey(hash)) }

// DeleteRouted removes a routed payment record and its index entry; r must be the record
// as stored (its Created time names the index entry).
func (b *Batch) DeleteRouted(r *RoutedRecord) {
	b.lb.Delete(routedKey(r.ID))
	b.lb.Delete(routedIndexKey(r.Created, r.ID))
}
