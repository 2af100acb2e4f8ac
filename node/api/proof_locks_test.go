package api

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/sluicepay/sluice/channel"
)

// A proof with pending locks shows locked and locksRoot (a wallet needs both to verify the
// signature); a direct proof's JSON is what it was before locks.
func TestProofJSONCarriesLocksOnlyWhenPresent(t *testing.T) {
	direct := channel.SignedProof{BalanceProof: channel.BalanceProof{Nonce: 1, Transferred: big.NewInt(5)}}
	b, err := json.Marshal(proofJSON(direct))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "locked") || strings.Contains(string(b), "locksRoot") {
		t.Fatalf("direct proof JSON mentions locks: %s", b)
	}
	locked := direct
	locked.Locked, locked.LocksRoot = big.NewInt(7), [32]byte{0xab}
	b, err = json.Marshal(proofJSON(locked))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"locked":"7"`) || !strings.Contains(string(b), `"locksRoot":"0xab00`) {
		t.Fatalf("locked proof JSON lacks its locks: %s", b)
	}
}
