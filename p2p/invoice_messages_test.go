package p2p

import (
	"bytes"
	"errors"
	"math/big"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rlp"
)

func sampleInvoiceMessages() map[string]Message {
	return map[string]Message{
		"request 2 hops": &InvoiceRequest{RequestID: [16]byte{1}, Payer: common.Address{0xaa}, Target: common.Address{0xee},
			Amount: big.NewInt(250), Hops: []common.Address{{0xbb}, {0xee}}, Memo: []byte("order 42")},
		"request signed": &InvoiceRequest{RequestID: [16]byte{5}, Payer: common.Address{0xaa}, Target: common.Address{0xee},
			Amount: big.NewInt(250), Hops: []common.Address{{0xee}}, Memo: []byte("order 43"), PayerSig: testSig(7)},
		"request direct": &InvoiceRequest{RequestID: [16]byte{2}, Target: common.Address{0xee}, Amount: big.NewInt(1)},
		"request max": &InvoiceRequest{Amount: maxUint256(), Hops: make([]common.Address, MaxRouteHops),
			Memo: bytes.Repeat([]byte{'m'}, MaxMemoSize), PayerSig: testSig(8)},
		"reply": &InvoiceReply{RequestID: [16]byte{3}, SecretHash: [32]byte{9}, Amount: big.NewInt(250),
			Expiry: 1_800_000_000, Sig: testSig(5)},
		"refusal": &InvoiceReply{RequestID: [16]byte{4}, Code: 9, Reason: "rate limited", Amount: big.NewInt(0)},
	}
}

func TestInvoiceMessagesRoundTrip(t *testing.T) {
	for name, m := range sampleInvoiceMessages() {
		frame, err := NewEncoder().AppendFrame(nil, m)
		if err != nil {
			t.Fatalf("%s: encode: %v", name, err)
		}
		_, k := uvarintLen(frame)
		got, err := DecodeMessage(frame[k:])
		if err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
		if got.Type() != m.Type() || !reflect.DeepEqual(norm(got), norm(m)) {
			t.Fatalf("%s: round trip\n got %+v\nwant %+v", name, got, m)
		}
	}
	if TypeInvoiceRequest.String() != "InvoiceRequest" || TypeInvoiceReply.String() != "InvoiceReply" {
		t.Fatalf("names %s %s", TypeInvoiceRequest, TypeInvoiceReply)
	}
}

func TestInvoiceMessagesRefuseOversize(t *testing.T) {
	bad := map[string]Message{
		"too many hops":  &InvoiceRequest{Amount: big.NewInt(1), Hops: make([]common.Address, MaxRouteHops+1)},
		"memo too long":  &InvoiceRequest{Amount: big.NewInt(1), Memo: make([]byte, MaxMemoSize+1)},
		"negative":       &InvoiceRequest{Amount: big.NewInt(-1)},
		"amount > 2^256": &InvoiceReply{Amount: new(big.Int).Lsh(big.NewInt(1), 256)},
		"long reason":    &InvoiceReply{Reason: string(make([]byte, MaxReasonSize+1))},
	}
	for name, m := range bad {
		if _, err := NewEncoder().AppendFrame(nil, m); err == nil {
			t.Errorf("%s: encoder accepted it", name)
		}
	}
	// The decoder refuses what the encoder would not write: build the frames by hand.
	frame := func(hops int, memo int, tail ...[]byte) []byte {
		hs := make([][]byte, hops)
		for i := range hs {
			hs[i] = make([]byte, 20)
		}
		body := []any{make([]byte, 16), make([]byte, 20), make([]byte, 20), uint64(1), hs, make([]byte, memo)}
		for _, t := range tail {
			body = append(body, t)
		}
		b, err := rlp.EncodeToBytes([]any{uint64(TypeInvoiceRequest), body})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if _, err := DecodeMessage(frame(MaxRouteHops, MaxMemoSize)); err != nil {
		t.Fatalf("largest valid unsigned request refused: %v", err)
	}
	sig := bytes.Repeat([]byte{7}, 65)
	if m, err := DecodeMessage(frame(MaxRouteHops, MaxMemoSize, sig)); err != nil || !m.(*InvoiceRequest).Signed() {
		t.Fatalf("largest valid signed request: %v", err)
	}
	good := frame(1, 1)
	for name, p := range map[string][]byte{
		"nine hops": frame(MaxRouteHops+1, 0), "long memo": frame(0, MaxMemoSize+1),
		"truncated": good[:len(good)-3], "trailing": append(bytes.Clone(good), 0x80),
		"short sig": frame(1, 1, sig[:64]), "long sig": frame(1, 1, append(bytes.Clone(sig), 1)),
		"zero sig": frame(1, 1, make([]byte, 65)), "two tails": frame(1, 1, sig, sig),
	} {
		if _, err := DecodeMessage(p); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: decode error %v, want ErrMalformed", name, err)
		}
	}
}

func FuzzDecodeInvoiceMessages(f *testing.F) {
	for _, m := range sampleInvoiceMessages() {
		frame := norm(m)
		_, k := uvarintLen(frame)
		f.Add(frame[k:])
	}
	fuzzCanonical(f)
}
