package store

import (
	"math/big"
	"strings"
	"testing"
	"time"
)

// A payment records the API client that made it (issue 22: after a theft, which token
// spent); records written before the field existed still decode, with no client.
func TestPaymentRecordKeepsItsClientAndOldRecordsStillDecode(t *testing.T) {
	r := PaymentRecord{ID: PaymentID{1}, Direction: Outgoing, Nonce: 3, Amount: big.NewInt(5), Transferred: big.NewInt(9),
		Time: time.Unix(1_800_000_000, 0), Memo: "m", Client: "alice-wallet"}
	r.Channel[0] = 7
	got, err := decodePayment(r.ID, appendPayment(nil, &r))
	if err != nil || got.Client != "alice-wallet" || got.Memo != "m" {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	old := r
	old.Client = ""
	got, err = decodePayment(r.ID, appendPayment(nil, &old)) // the pre-client encoding
	if err != nil || got.Client != "" || got.Memo != "m" {
		t.Fatalf("a record without a client: %+v, %v", got, err)
	}
	long := r
	long.Client = strings.Repeat("c", MaxClientLen+1)
	if err := long.validate(); err == nil {
		t.Fatal("a client name over MaxClientLen was accepted")
	}
}
