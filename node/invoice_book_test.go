package node

import (
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// Open invoices are capped per (asking peer, payer named) and per asking peer at
// relayFactor times that: a wallet behind a hub that asks in its own name cannot use up
// the hub's share, and one that names made-up payers stops at the hub's share.
func TestInvoiceBookCapsPerPayerAndPerAskingPeer(t *testing.T) {
	b := &invoiceBook{cfg: InvoiceConfig{MaxOpen: 1000, MaxOpenPerPeer: 3}, open: map[[32]byte]openInvoice{},
		perPeer: map[common.Address]int{}, perPayer: map[askKey]int{}, unproven: map[common.Address]int{}}
	reserve := func(asker, payer common.Address) error { return b.reserve(&openInvoice{asker: asker, payer: payer}) }
	for _, p := range []common.Address{{2}, {3}} {
		b.paid.add(p) // paid before: the whole share, not only the unproven half (ADR 0043)
	}
	hub, flooder, honest := common.Address{1}, common.Address{2}, common.Address{3}
	for i := range 3 {
		if err := reserve(hub, flooder); err != nil {
			t.Fatalf("flooder's invoice %d: %v", i, err)
		}
	}
	if err := reserve(hub, flooder); !errors.Is(err, ErrTooManyInvoices) {
		t.Fatalf("flooder's 4th invoice: %v, want ErrTooManyInvoices", err)
	}
	if err := reserve(hub, honest); err != nil {
		t.Fatalf("another payer behind the same hub: %v", err)
	}
	made := 0
	for i := range 100 {
		if reserve(hub, common.Address{0xf0, byte(i)}) == nil {
			made++
		}
	}
	if made != relayFactor*3/2 {
		t.Fatalf("payers that never paid got %d invoices, want half the hub's share (%d)", made, relayFactor*3/2)
	}
	for i := range 100 {
		p := common.Address{0xf1, byte(i)}
		b.paid.add(p)
		if reserve(hub, p) == nil {
			made++
		}
	}
	if total := 4 + made; total != relayFactor*3 {
		t.Fatalf("the hub holds %d open invoices, want its share %d", total, relayFactor*3)
	}
	b.release(openInvoice{asker: hub, payer: flooder})
	if err := reserve(hub, flooder); err != nil {
		t.Fatalf("after one was released: %v", err)
	}
	// A record written before payers were kept counts its asker as the payer.
	o, ok := decodeOpenInvoice(encodeOpenInvoice(openInvoice{expiry: 9, asker: hub, payer: honest})[:28])
	if !ok || o.asker != hub || o.payer != hub || o.expiry != 9 {
		t.Fatalf("an old record: %+v %v", o, ok)
	}
	if o, ok := decodeOpenInvoice(encodeOpenInvoice(openInvoice{expiry: 9, asker: hub, payer: honest})); !ok || o.payer != honest {
		t.Fatalf("a record: %+v %v", o, ok)
	}
}
