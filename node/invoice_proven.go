package node

import "github.com/ethereum/go-ethereum/common"

// Payers that paid (ADR 0043). Within one asking peer's share of the invoice book, payers
// that never paid us (any fresh key a wallet signs with) may hold at most half; payers
// one of whose invoices a lock took may use the rest. A wallet behind a hub that signs
// its requests with fresh keys and never pays thus fills only the unproven half of the
// hub's share, and the hub's other wallets that paid us before still get invoices. The
// set is kept in memory (after a restart every payer starts unproven again) and bounded.

// maxPaidPayers bounds the set; past it an arbitrary payer is forgotten for each new one.
const maxPaidPayers = 100_000

// paidPayers is the set of payers that paid; the book's mu guards it.
type paidPayers struct{ m map[common.Address]struct{} }

func (p *paidPayers) has(payer common.Address) bool {
	_, ok := p.m[payer]
	return ok
}

func (p *paidPayers) add(payer common.Address) {
	if p.m == nil {
		p.m = map[common.Address]struct{}{}
	}
	if _, ok := p.m[payer]; ok {
		return
	}
	if len(p.m) >= maxPaidPayers {
		for old := range p.m {
			delete(p.m, old)
			break
		}
	}
	p.m[payer] = struct{}{}
}

// unprovenHalf is how many of an asker's allowance payers that never paid may hold:
// half, rounded up (an allowance of one still admits a new payer).
func unprovenHalf(allowance int) int { return (allowance + 1) / 2 }

// provePayer records that a lock took open invoice hash: its payer (signed; never the
// shared unsigned bucket) has paid us. Callers hold mu.
func (b *invoiceBook) provePayer(hash [32]byte) {
	if o, ok := b.open[hash]; ok && o.asker != (common.Address{}) && o.payer != (common.Address{}) {
		b.paid.add(o.payer)
	}
}
