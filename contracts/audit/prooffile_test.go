package audit

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

const (
	nodeHex    = "0x00000000000000000000000000000000000000b0"
	partnerHex = "0x00000000000000000000000000000000000000a0"
	idHex      = "0x0100000000000000000000000000000000000000000000000000000000000000"
)

var sig65 = "0x" + strings.Repeat("11", 65)

func v1File(channels string) string {
	return fmt.Sprintf(`{"version":1,"chainId":31337,"contract":"0x00000000000000000000000000000000000000c0","node":%q,"channels":[%s]}`, nodeHex, channels)
}

func v1Channel(received string) string {
	return fmt.Sprintf(`{"id":%q,"participants":[%q,%q],"token":"0x0000000000000000000000000000000000000000","received":%s}`, idHex, partnerHex, nodeHex, received)
}

func TestReadProofFileAcceptsOnlyWellFormedFiles(t *testing.T) {
	good := v1File(v1Channel(`{"nonce":3,"transferred":"700","sig":"` + sig65 + `"}`))
	tests := []struct {
		name    string
		text    string
		wantErr string
	}{
		{"version 1 file", good, ""},
		{"hex amount", v1File(v1Channel(`{"nonce":3,"transferred":"0x2bc","sig":"` + sig65 + `"}`)), ""},
		{"unknown version", strings.Replace(good, `"version":1`, `"version":2`, 1), "version 2"},
		{"unknown format", `{"format":"other/9"}`, `format "other/9"`},
		{"unknown field", strings.Replace(good, `"version":1`, `"version":1,"extra":true`, 1), "unknown field"},
		{"channel listed twice", v1File(v1Channel("null") + "," + v1Channel("null")), "listed twice"},
		{"node not a participant", strings.Replace(good, nodeHex, "0x00000000000000000000000000000000000000dd", 1), "not a participant"},
		{"short signature", v1File(v1Channel(`{"nonce":3,"transferred":"700","sig":"0x1111"}`)), "signature of 2 bytes"},
		{"negative amount", v1File(v1Channel(`{"nonce":3,"transferred":"-7","sig":"` + sig65 + `"}`)), "non-negative"},
		{"amount above 2^128-1", v1File(v1Channel(`{"nonce":3,"transferred":"340282366920938463463374607431768211456","sig":"` + sig65 + `"}`)), "exceeds 2^128-1"},
		{"missing node", strings.Replace(good, `"node":"`+nodeHex+`",`, "", 1), "required"},
		{"not JSON", "{", "proof file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ReadProofFile(strings.NewReader(tc.text))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("ReadProofFile: %v", err)
				}
				if got := f.Channels[0].Received.Transferred.String(); got != "700" {
					t.Errorf("transferred %s, want 700", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestReadProofFileTakesTheNewestProofFromANodeExport(t *testing.T) {
	proof := func(nonce int, amount string) string {
		return fmt.Sprintf(`{"channel":%q,"nonce":%d,"transferred":%q,"signature":%q}`, idHex, nonce, amount, sig65)
	}
	// "latestProofs" lags behind the payment log here; the log's newer received proof wins.
	text := fmt.Sprintf(`{"format":"sluice-proofs/1","exportedAt":"2026-01-01T00:00:00Z","node":%q,"chainId":31337,
	  "contract":"0x00000000000000000000000000000000000000c0",
	  "channels":[{"id":%q,"participants":[%q,%q],"us":"B","token":"0x0000000000000000000000000000000000000000","status":"open",
	    "deposit":["1","0"],"latestProofs":[%s,%s]}],
	  "payments":[{"paymentId":"0x01","channel":%q,"direction":"received","amount":"5","proof":%s},
	              {"paymentId":"0x02","channel":%q,"direction":"sent","amount":"1","proof":%s}]}`,
		nodeHex, idHex, partnerHex, nodeHex, proof(4, "40"), proof(1, "1"), idHex, proof(5, "45"), idHex, proof(1, "1"))
	f, err := ReadProofFile(strings.NewReader(text))
	if err != nil {
		t.Fatalf("ReadProofFile: %v", err)
	}
	if f.Node != common.HexToAddress(nodeHex) || f.ChainID != 31337 || len(f.Channels) != 1 {
		t.Fatalf("file %+v", f)
	}
	c := f.Channels[0]
	if c.Received == nil || c.Received.Nonce != 5 || c.Received.Transferred.String() != "45" {
		t.Errorf("received %+v, want nonce 5 transferred 45 (A's proof, from the payment log)", c.Received)
	}
	if c.Sent == nil || c.Sent.Nonce != 1 {
		t.Errorf("sent %+v, want B's own nonce 1", c.Sent)
	}
}

// A node export's proof with pending locks keeps locked and locksRoot, so its signature
// (over the whole BalanceProof) verifies; a lock-free one has neither.
func TestNodeExportCarriesLocks(t *testing.T) {
	root := "0x" + strings.Repeat("ab", 32)
	locked := fmt.Sprintf(`{"channel":%q,"nonce":4,"transferred":"40","locked":"25","locksRoot":%q,"signature":%q}`, idHex, root, sig65)
	direct := fmt.Sprintf(`{"channel":%q,"nonce":1,"transferred":"1","signature":%q}`, idHex, sig65)
	text := fmt.Sprintf(`{"format":"sluice-proofs/1","node":%q,"chainId":31337,
	  "contract":"0x00000000000000000000000000000000000000c0",
	  "channels":[{"id":%q,"participants":[%q,%q],"us":"B","token":"0x0000000000000000000000000000000000000000",
	    "latestProofs":[%s,%s]}],"payments":[]}`, nodeHex, idHex, partnerHex, nodeHex, locked, direct)
	f, err := ReadProofFile(strings.NewReader(text))
	if err != nil {
		t.Fatalf("ReadProofFile: %v", err)
	}
	got := f.Channels[0].Received.signed(channel.ID{})
	if got.Locked == nil || got.Locked.Cmp(big.NewInt(25)) != 0 || common.Hash(got.LocksRoot).Hex() != root {
		t.Fatalf("received proof lost its locks: %+v", got.BalanceProof)
	}
	if sent := f.Channels[0].Sent.signed(channel.ID{}); sent.Locked != nil || sent.LocksRoot != ([32]byte{}) {
		t.Fatalf("lock-free proof gained locks: %+v", sent.BalanceProof)
	}
}

// A node export's lock list is checked against the proof's own commitment: the list that
// hashes to locksRoot and sums to locked is kept; any other list makes the file invalid,
// so an auditor never works from locks the signed proof does not commit to.
func TestNodeExportLockListMustMatchTheProof(t *testing.T) {
	locks := []channel.Lock{
		{Amount: big.NewInt(10), Expiration: 1_900_000_000, SecretHash: channel.SecretHash([32]byte{1})},
		{Amount: big.NewInt(15), Expiration: 1_900_000_600, SecretHash: channel.SecretHash([32]byte{2})},
	}
	root, err := channel.LocksRoot(locks)
	if err != nil {
		t.Fatal(err)
	}
	list := func(ls []channel.Lock) string {
		var parts []string
		for _, l := range ls {
			parts = append(parts, fmt.Sprintf(`{"amount":"%s","expiration":%d,"secretHash":%q}`, l.Amount, l.Expiration, common.Hash(l.SecretHash).Hex()))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	file := func(locked string, ls string) string {
		proof := fmt.Sprintf(`{"channel":%q,"nonce":4,"transferred":"40","locked":%q,"locksRoot":%q,"locks":%s,"signature":%q}`, idHex, locked, common.Hash(root).Hex(), ls, sig65)
		return fmt.Sprintf(`{"format":"sluice-proofs/1","node":%q,"chainId":31337,
		  "contract":"0x00000000000000000000000000000000000000c0",
		  "channels":[{"id":%q,"participants":[%q,%q],"us":"B","token":"0x0000000000000000000000000000000000000000",
		    "latestProofs":[%s,null]}],"payments":[]}`, nodeHex, idHex, partnerHex, nodeHex, proof)
	}
	f, err := ReadProofFile(strings.NewReader(file("25", list(locks))))
	if err != nil {
		t.Fatalf("matching lock list: %v", err)
	}
	if got := f.Channels[0].Received.Locks; len(got) != 2 || got[1].Amount.Cmp(big.NewInt(15)) != 0 {
		t.Fatalf("lock list not kept: %+v", got)
	}
	reordered := []channel.Lock{locks[1], locks[0]}
	for name, text := range map[string]string{
		"reordered":   file("25", list(reordered)),
		"one missing": file("25", list(locks[:1])),
		"wrong sum":   file("26", list(locks)),
	} {
		if _, err := ReadProofFile(strings.NewReader(text)); err == nil {
			t.Errorf("%s lock list accepted", name)
		}
	}
}
