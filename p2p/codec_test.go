package p2p

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/sluicepay/sluice/channel"
)

func testID(b byte) channel.ID {
	var id channel.ID
	for i := range id {
		id[i] = b + byte(i)
	}
	return id
}

func testSig(b byte) channel.Signature {
	var s channel.Signature
	for i := range s {
		s[i] = b ^ byte(i)
	}
	s[64] = 27
	return s
}

func bigPow2(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }

func maxUint256() *big.Int { return new(big.Int).Sub(bigPow2(256), big.NewInt(1)) }

func samplePay() *Pay {
	return &Pay{
		Proof: channel.SignedProof{
			BalanceProof: channel.BalanceProof{Channel: testID(1), Nonce: 12345, Transferred: big.NewInt(1_000_000_000_000)},
			Sig:          testSig(7),
		},
		PaymentID: [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
		Memo:      []byte("coffee"),
	}
}

// sampleMessages has one message of every type, with edge values where they matter.
func sampleMessages() map[string]Message {
	return map[string]Message{
		"hello":           &Hello{Version: ProtocolVersion, ChainID: big.NewInt(31337), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")},
		"goodbye":         &Goodbye{Code: 7, Reason: "chain id mismatch"},
		"pay":             samplePay(),
		"pay max values":  &Pay{Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testID(9), Nonce: ^uint64(0), Transferred: maxUint256()}, Sig: testSig(1)}, Memo: bytes.Repeat([]byte{0xfe}, MaxMemoSize)},
		"pay zero":        &Pay{Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Transferred: new(big.Int)}}},
		"ping":            &Ping{},
		"ack":             &Ack{Channel: testID(2), Nonce: 1},
		"reject":          &Reject{Channel: testID(3), Nonce: 9, Code: 0xffff, Reason: "stale nonce"},
		"close request":   &CloseRequest{Settlement: channel.Settlement{Channel: testID(4), BalanceA: big.NewInt(10), BalanceB: bigPow2(200)}, Sig: testSig(2)},
		"close accept":    &CloseAccept{Settlement: channel.Settlement{Channel: testID(4), BalanceA: big.NewInt(0), BalanceB: big.NewInt(5)}, Sig: testSig(3)},
		"withdraw req":    &WithdrawRequest{Withdrawal: channel.Withdrawal{Channel: testID(5), Participant: common.HexToAddress("0x01"), TotalWithdrawn: big.NewInt(77), Expiry: 1_900_000_000}, Sig: testSig(4)},
		"withdraw accept": &WithdrawAccept{Withdrawal: channel.Withdrawal{Channel: testID(5), Participant: common.HexToAddress("0x02"), TotalWithdrawn: big.NewInt(0), Expiry: 0}, Sig: testSig(5)},
		"sync": &Sync{
			Channel:   testID(6),
			Sent:      channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testID(6), Nonce: 40, Transferred: big.NewInt(400)}, Sig: testSig(6)},
			Received:  channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testID(6), Nonce: 0, Transferred: big.NewInt(0)}},
			Deposits:  [2]*big.Int{big.NewInt(1000), big.NewInt(2000)},
			Withdrawn: [2]*big.Int{big.NewInt(0), big.NewInt(3)},
		},
		"pay with locks": &Pay{Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testID(7), Nonce: 3, Transferred: big.NewInt(30),
			Locked: big.NewInt(500), LocksRoot: [32]byte{0xaa, 31: 0x01}}, Sig: testSig(8)}, PaymentID: [16]byte{9}},
		"cancel endorsement": &CancelEndorsement{Channel: testID(11), Nonce: 7, Sig: testSig(11)},
		"sync with locks": &Sync{
			Channel:   testID(8),
			Sent:      channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testID(8), Nonce: 41, Transferred: big.NewInt(410), Locked: maxUint256(), LocksRoot: [32]byte{1}}, Sig: testSig(9)},
			Received:  channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testID(8), Nonce: 2, Transferred: big.NewInt(7), Locked: big.NewInt(0), LocksRoot: [32]byte{2}}, Sig: testSig(10)},
			Deposits:  [2]*big.Int{big.NewInt(1000), big.NewInt(2000)},
			Withdrawn: [2]*big.Int{big.NewInt(0), big.NewInt(0)},
		},
	}
}

func encodeOne(t testing.TB, m Message) []byte {
	t.Helper()
	frame, err := NewEncoder().AppendFrame(nil, m)
	if err != nil {
		t.Fatalf("encode %s: %v", m.Type(), err)
	}
	n, k := binary.Uvarint(frame)
	if k <= 0 || int(n) != len(frame)-k {
		t.Fatalf("frame prefix %d does not match payload %d", n, len(frame)-k)
	}
	return frame[k:]
}

func TestEveryMessageRoundTrips(t *testing.T) {
	for name, m := range sampleMessages() {
		t.Run(name, func(t *testing.T) {
			payload := encodeOne(t, m)
			got, err := DecodeMessage(payload)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got.Type() != m.Type() {
				t.Fatalf("type %s, want %s", got.Type(), m.Type())
			}
			if again := encodeOne(t, got); !bytes.Equal(again, payload) {
				t.Fatalf("re-encoding differs:\n got %x\nwant %x", again, payload)
			}
			if p, ok := m.(*Pay); ok {
				gp := got.(*Pay)
				if gp.Proof.Transferred.Cmp(p.Proof.Transferred) != 0 || gp.Proof.Nonce != p.Proof.Nonce ||
					gp.Proof.Sig != p.Proof.Sig || gp.PaymentID != p.PaymentID || !bytes.Equal(gp.Memo, p.Memo) {
					t.Fatalf("pay fields differ: %+v vs %+v", gp, p)
				}
			}
		})
	}
}

// The hand-rolled encoder must produce exactly what reflective RLP produces for the
// same field list, so any RLP implementation (another client, a test tool) interoperates.
func TestPayEncodingMatchesReflectiveRLP(t *testing.T) {
	p := samplePay()
	type payBody struct {
		Channel     [32]byte
		Nonce       uint64
		Transferred *big.Int
		Sig         [65]byte
		PaymentID   [16]byte
		Memo        []byte
	}
	type envelope struct {
		Type uint8
		Body payBody
	}
	want, err := rlp.EncodeToBytes(envelope{uint8(TypePay), payBody{p.Proof.Channel, p.Proof.Nonce, p.Proof.Transferred, p.Proof.Sig, p.PaymentID, p.Memo}})
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeOne(t, p); !bytes.Equal(got, want) {
		t.Fatalf("encoding differs from reflective rlp:\n got %x\nwant %x", got, want)
	}
}

func TestNilAmountsEncodeAsZero(t *testing.T) {
	got, err := DecodeMessage(encodeOne(t, &CloseRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	cr := got.(*CloseRequest)
	if cr.Settlement.BalanceA.Sign() != 0 || cr.Settlement.BalanceB.Sign() != 0 {
		t.Fatalf("nil balances decoded as %v/%v, want 0/0", cr.Settlement.BalanceA, cr.Settlement.BalanceB)
	}
}

func TestSyncProofsCarryTheChannelID(t *testing.T) {
	got, err := DecodeMessage(encodeOne(t, sampleMessages()["sync"]))
	if err != nil {
		t.Fatal(err)
	}
	s := got.(*Sync)
	if s.Sent.Channel != s.Channel || s.Received.Channel != s.Channel {
		t.Fatal("sync proofs do not carry the channel id")
	}
}

func TestDecodedMessageDoesNotAliasTheFrame(t *testing.T) {
	payload := encodeOne(t, samplePay())
	got, err := DecodeMessage(payload)
	if err != nil {
		t.Fatal(err)
	}
	for i := range payload {
		payload[i] = 0
	}
	if string(got.(*Pay).Memo) != "coffee" {
		t.Fatalf("memo changed with the frame buffer: %q", got.(*Pay).Memo)
	}
}

// rawEnvelope builds [type, body] with reflective rlp, for malformed inputs.
func rawEnvelope(t *testing.T, typ uint64, body ...any) []byte {
	t.Helper()
	b, err := rlp.EncodeToBytes([]any{typ, body})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeRejectsMalformedMessages(t *testing.T) {
	id, sig := testID(1), testSig(1)
	pid := make([]byte, 16)
	cases := []struct {
		name    string
		payload []byte
		want    string
	}{
		{"empty payload", nil, "envelope"},
		{"envelope is a string", []byte{0x83, 1, 2, 3}, "envelope"},
		{"trailing bytes after envelope", append(rawEnvelope(t, uint64(TypeAck), id[:], uint64(1)), 0x01), "trailing"},
		{"unknown type", rawEnvelope(t, 200), "unknown message type"},
		{"reserved open-negotiation type", rawEnvelope(t, 40), "reserved-open"},
		{"type above uint8", rawEnvelope(t, 256), "out of range"},
		{"short channel id", rawEnvelope(t, uint64(TypeAck), id[:31], uint64(1)), "Ack.channelId"},
		{"missing field", rawEnvelope(t, uint64(TypeAck), id[:]), "Ack.nonce"},
		{"extra field", rawEnvelope(t, uint64(TypeAck), id[:], uint64(1), uint64(2)), "trailing"},
		{"short signature", rawEnvelope(t, uint64(TypePay), id[:], uint64(1), uint64(5), sig[:64], pid, []byte{}), "Pay.sig"},
		{"memo over limit", rawEnvelope(t, uint64(TypePay), id[:], uint64(1), uint64(5), sig[:], pid, make([]byte, MaxMemoSize+1)), "Pay.memo"},
		{"amount with leading zero", rawEnvelope(t, uint64(TypePay), id[:], uint64(1), []byte{0, 5}, sig[:], pid, []byte{}), "Pay.transferred"},
		{"amount over uint256", rawEnvelope(t, uint64(TypePay), id[:], uint64(1), append([]byte{1}, make([]byte, 32)...), sig[:], pid, []byte{}), "exceeds uint256"},
		{"nonce over uint64", rawEnvelope(t, uint64(TypeAck), id[:], append([]byte{1}, make([]byte, 8)...)), "Ack.nonce"},
		{"code over uint16", rawEnvelope(t, uint64(TypeReject), id[:], uint64(1), uint64(70000), "x"), "overflows uint16"},
		{"reason over limit", rawEnvelope(t, uint64(TypeReject), id[:], uint64(1), uint64(1), strings.Repeat("x", MaxReasonSize+1)), "Reject.reason"},
		{"body is a string", func() []byte { b, _ := rlp.EncodeToBytes([]any{uint64(TypeAck), []byte("x")}); return b }(), "Ack.body"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := DecodeMessage(c.payload)
			if err == nil {
				t.Fatalf("decoded %#v, want error", m)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not name %q", err, c.want)
			}
		})
	}
}

func TestEncodeRefusesMessagesOutsideWireLimits(t *testing.T) {
	cases := []struct {
		name string
		msg  Message
		want string
	}{
		{"memo too long", &Pay{Memo: make([]byte, MaxMemoSize+1)}, "memo"},
		{"negative amount", &Pay{Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Transferred: big.NewInt(-1)}}}, "negative"},
		{"amount over uint256", &CloseRequest{Settlement: channel.Settlement{BalanceA: bigPow2(256)}}, "balanceA exceeds uint256"},
		{"reason too long", &Reject{Reason: strings.Repeat("r", MaxReasonSize+1)}, "reason"},
		{"negative deposit in sync", &Sync{Deposits: [2]*big.Int{nil, big.NewInt(-5)}}, "depositB"},
		{"nil message", nil, "nil message"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewEncoder().AppendFrame(nil, c.msg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one naming %q", err, c.want)
			}
		})
	}
}

func TestTypeNamesAreStable(t *testing.T) {
	want := map[Type]string{1: "Hello", 2: "Goodbye", 3: "Pay", 4: "Ack", 5: "Reject", 6: "CloseRequest",
		7: "CloseAccept", 8: "WithdrawRequest", 9: "WithdrawAccept", 10: "Sync", 11: "Ping", 12: "LockedTransfer", 13: "SecretReveal",
		14: "Unlock", 15: "LockExpired", 16: "LockRefused", 19: "CancelEndorsement", 20: "unknown(20)", 40: "reserved-open(40)"}
	for typ, name := range want {
		if typ.String() != name {
			t.Errorf("Type(%d) = %q, want %q", typ, typ.String(), name)
		}
		if m := newMessage(typ); m != nil && m.Type() != typ {
			t.Errorf("newMessage(%d).Type() = %d", typ, m.Type())
		}
	}
	for name, m := range sampleMessages() {
		if reflect.TypeOf(newMessage(m.Type())) != reflect.TypeOf(m) {
			t.Errorf("%s: newMessage(%s) builds %T", name, m.Type(), newMessage(m.Type()))
		}
	}
}
