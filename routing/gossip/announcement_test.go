package gossip

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// The hand-rolled digest must equal go-ethereum's generic EIP-712 implementation (what
// eth_signTypedData_v4 computes), bytes[] included.
func TestDigestMatchesGoEthereumTypedData(t *testing.T) {
	a := signed(t, accountKey(0), chID(1), 77, func(a *Announcement) {
		a.Addrs = append(a.Addrs, []byte{0x04, 10, 0, 0, 2, 0x06, 0x23, 0x28})
	})
	addrs := make([]any, len(a.Addrs))
	for i, m := range a.Addrs {
		addrs[i] = hexutil.Bytes(m)
	}
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"}, {Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"}},
			"ChannelAnnouncement": {
				{Name: "channelId", Type: "bytes32"}, {Name: "announcer", Type: "address"}, {Name: "capacity", Type: "uint256"},
				{Name: "feeFlat", Type: "uint256"}, {Name: "feePpm", Type: "uint32"}, {Name: "sequence", Type: "uint64"},
				{Name: "timestamp", Type: "uint64"}, {Name: "peerId", Type: "bytes"}, {Name: "addrs", Type: "bytes[]"},
			},
		},
		PrimaryType: "ChannelAnnouncement",
		Domain: apitypes.TypedDataDomain{Name: "Sluice", Version: "1", ChainId: (*math.HexOrDecimal256)(testDomain.ChainID),
			VerifyingContract: testDomain.Contract.Hex()},
		Message: apitypes.TypedDataMessage{
			"channelId": hexutil.Encode(a.Channel[:]), "announcer": a.Announcer.Hex(),
			"capacity": a.Capacity.String(), "feeFlat": a.FeeFlat.String(), "feePpm": big.NewInt(int64(a.FeePPM)).String(),
			"sequence": new(big.Int).SetUint64(a.Sequence).String(), "timestamp": new(big.Int).SetUint64(a.Timestamp).String(),
			"peerId": hexutil.Encode(a.PeerID), "addrs": addrs,
		},
	}
	want, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	if td.TypeHash("ChannelAnnouncement").String() != announcementTypeHash.Hex() {
		t.Fatalf("type string differs from go-ethereum's encoding of the fields")
	}
	got, err := a.Digest(testDomain)
	if err != nil {
		t.Fatal(err)
	}
	if got.Hex() != hexutil.Encode(want) {
		t.Fatalf("digest %s, go-ethereum %x", got.Hex(), want)
	}
}

func TestSignatureCoversEveryField(t *testing.T) {
	edits := map[string]func(*Announcement){
		"channel":   func(a *Announcement) { a.Channel[31] ^= 1 },
		"announcer": func(a *Announcement) { a.Announcer[0] ^= 1 },
		"capacity":  func(a *Announcement) { a.Capacity = new(big.Int).Add(a.Capacity, big.NewInt(1)) },
		"fee flat":  func(a *Announcement) { a.FeeFlat = big.NewInt(0) },
		"fee ppm":   func(a *Announcement) { a.FeePPM++ },
		"sequence":  func(a *Announcement) { a.Sequence++ },
		"timestamp": func(a *Announcement) { a.Timestamp++ },
		"peer id":   func(a *Announcement) { a.PeerID = append([]byte(nil), a.PeerID[:len(a.PeerID)-1]...) },
		"addrs":     func(a *Announcement) { a.Addrs = nil },
		"sig s":     func(a *Announcement) { a.Signature[40] ^= 1 },
	}
	if err := signed(t, accountKey(0), chID(1), 1, nil).VerifySignature(testDomain); err != nil {
		t.Fatal(err)
	}
	for name, edit := range edits {
		a := signed(t, accountKey(0), chID(1), 1, nil)
		edit(a)
		if err := a.VerifySignature(testDomain); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s changed after signing: %v", name, err)
		}
	}
	other := *testDomain.ChainID
	a := signed(t, accountKey(0), chID(1), 1, nil)
	d := testDomain
	d.ChainID = new(big.Int).Add(&other, big.NewInt(1))
	if err := a.VerifySignature(d); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("replayed on another chain: %v", err)
	}
}
