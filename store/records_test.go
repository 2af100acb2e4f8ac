package store

import (
	"bytes"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

func TestChannelRecordRoundTrips(t *testing.T) {
	full := testChannel(1)
	bare := ChannelRecord{Params: channel.Params{ID: testChannelID(2)}}
	for _, tc := range []struct {
		name string
		rec  ChannelRecord
	}{
		{"with withdrawal and settlement", full},
		{"bare record with nil amounts", bare},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeChannel(encodeChannel(&tc.rec))
			if err != nil {
				t.Fatal(err)
			}
			want := normalizeChannel(tc.rec)
			if !reflect.DeepEqual(normalizeChannel(got), want) {
				t.Fatalf("round trip mismatch:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// normalizeChannel replaces nil amounts by zero, which is how they are read back.
func normalizeChannel(r ChannelRecord) ChannelRecord {
	z := func(v *big.Int) *big.Int {
		if v == nil {
			return new(big.Int)
		}
		return new(big.Int).Set(v)
	}
	r.Params.Domain.ChainID = z(r.Params.Domain.ChainID)
	for i := range 2 {
		r.Deposit[i], r.Withdrawn[i] = z(r.Deposit[i]), z(r.Withdrawn[i])
	}
	return r
}

func TestProofRecordIsFixedSizeAndRoundTrips(t *testing.T) {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	for _, tc := range []struct {
		name        string
		nonce       uint64
		transferred *big.Int
	}{
		{"zero", 0, big.NewInt(0)},
		{"typical", 42, big.NewInt(42000)},
		{"max uint256", ^uint64(0), max},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testChannelID(1), Nonce: tc.nonce, Transferred: tc.transferred}, Sig: testSig(9)}
			var buf [lockedProofRecordLen]byte
			n := encodeProof(&buf, &p)
			if n != proofRecordLen {
				t.Fatalf("lock-free proof record is %d bytes, want %d", n, proofRecordLen)
			}
			got, err := decodeProof(p.Channel, buf[:n])
			if err != nil {
				t.Fatal(err)
			}
			if got.Nonce != p.Nonce || got.Transferred.Cmp(p.Transferred) != 0 || got.Sig != p.Sig || got.Channel != p.Channel {
				t.Fatalf("got %+v, want %+v", got, p)
			}
		})
	}
}

func TestPaymentRecordRoundTrips(t *testing.T) {
	rec := testPayment(testChannelID(1), 7)
	rec.Memo = string(bytes.Repeat([]byte{'m'}, MaxMemoLen))
	rec.Direction = Incoming
	got, err := decodePayment(rec.ID, appendPayment(nil, &rec))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Time.Equal(rec.Time) {
		t.Fatalf("time %v, want %v", got.Time, rec.Time)
	}
	got.Time = rec.Time
	if !reflect.DeepEqual(got, rec) {
		t.Fatalf("got %+v, want %+v", got, rec)
	}
}

func TestPeerCursorAndOpRecordsRoundTrip(t *testing.T) {
	peer := PeerRecord{Address: common.HexToAddress("0x01"), PeerID: "16Uiu2HAm", Addrs: []string{"/ip4/127.0.0.1/tcp/4001", "/ip6/::1/tcp/4001"}, LastSeen: testEpoch}
	gotPeer, err := decodePeer(peer.Address, encodePeer(&peer))
	if err != nil || !reflect.DeepEqual(gotPeer, peer) {
		t.Fatalf("peer: got %+v (%v), want %+v", gotPeer, err, peer)
	}
	cur := ChainCursor{Block: 99, BlockHash: common.HexToHash("0xabc"), LogIndex: 3}
	gotCur, err := decodeCursor(encodeCursor(&cur))
	if err != nil || gotCur != cur {
		t.Fatalf("cursor: got %+v (%v), want %+v", gotCur, err, cur)
	}
	op := OpRecord{ID: NewOpID("settle", testChannelID(1), nil), Kind: "settle", Channel: testChannelID(1), Payload: []byte{1, 2}, State: OpSubmitted, TxHash: common.HexToHash("0xfeed"), RawTx: []byte{0xf8, 0x6b}, Updated: testEpoch}
	gotOp, err := decodeOp(op.ID, encodeOp(&op))
	if err != nil || !reflect.DeepEqual(gotOp, op) {
		t.Fatalf("op: got %+v (%v), want %+v", gotOp, err, op)
	}
	op.Replaced = []common.Hash{common.HexToHash("0xbeef"), common.HexToHash("0xcafe")}
	gotOp, err = decodeOp(op.ID, encodeOp(&op))
	if err != nil || !reflect.DeepEqual(gotOp, op) {
		t.Fatalf("op with replaced transactions: got %+v (%v), want %+v", gotOp, err, op)
	}
}

func TestDecodersRejectTruncatedAndTrailingBytes(t *testing.T) {
	ch := testChannel(1)
	pay := testPayment(testChannelID(1), 1)
	peer := PeerRecord{Address: common.HexToAddress("0x01"), PeerID: "p", Addrs: []string{"/a"}, LastSeen: testEpoch}
	op := OpRecord{ID: OpID{1}, Kind: "close", State: OpDecided, Updated: testEpoch}
	cur := ChainCursor{Block: 1}
	decoders := []struct {
		name   string
		enc    []byte
		decode func([]byte) error
	}{
		{"channel", encodeChannel(&ch), func(b []byte) error { _, err := decodeChannel(b); return err }},
		{"payment", appendPayment(nil, &pay), func(b []byte) error { _, err := decodePayment(pay.ID, b); return err }},
		{"peer", encodePeer(&peer), func(b []byte) error { _, err := decodePeer(peer.Address, b); return err }},
		{"op", encodeOp(&op), func(b []byte) error { _, err := decodeOp(op.ID, b); return err }},
		{"cursor", encodeCursor(&cur), func(b []byte) error { _, err := decodeCursor(b); return err }},
		{"proof", make([]byte, proofRecordLen), func(b []byte) error { _, err := decodeProof(channel.ID{}, b); return err }},
	}
	for _, d := range decoders {
		t.Run(d.name, func(t *testing.T) {
			if err := d.decode(d.enc); err != nil {
				t.Fatalf("intact record: %v", err)
			}
			for cut := 0; cut < len(d.enc); cut++ {
				if err := d.decode(d.enc[:cut]); err == nil {
					t.Fatalf("truncated to %d of %d bytes: decoded without error", cut, len(d.enc))
				}
			}
			if err := d.decode(append(bytes.Clone(d.enc), 0)); err == nil {
				t.Fatal("trailing byte: decoded without error")
			}
		})
	}
}

func TestRecordValidationRejectsUnencodableValues(t *testing.T) {
	neg := big.NewInt(-1)
	huge := new(big.Int).Lsh(big.NewInt(1), 256)
	pay := func(mut func(*PaymentRecord)) func(*Batch) error {
		return func(b *Batch) error { r := testPayment(testChannelID(1), 1); mut(&r); return b.PutPayment(&r) }
	}
	for _, tc := range []struct {
		name string
		put  func(*Batch) error
	}{
		{"negative payment amount", pay(func(r *PaymentRecord) { r.Amount = neg })},
		{"payment amount over 256 bits", pay(func(r *PaymentRecord) { r.Transferred = huge })},
		{"memo over 256 bytes", pay(func(r *PaymentRecord) { r.Memo = string(make([]byte, MaxMemoLen+1)) })},
		{"payment without direction", pay(func(r *PaymentRecord) { r.Direction = 0 })},
		{"payment without time", pay(func(r *PaymentRecord) { r.Time = time.Time{} })},
		{"payment before 1970", pay(func(r *PaymentRecord) { r.Time = time.Unix(-5, 0) })},
		{"proof with negative transferred", func(b *Batch) error {
			p := testProof(testChannelID(1), 1)
			p.Transferred = neg
			return b.PutProof(channel.PartyA, &p)
		}},
		{"proof with unknown signer", func(b *Batch) error { p := testProof(testChannelID(1), 1); return b.PutProof(2, &p) }},
		{"channel with negative deposit", func(b *Batch) error { r := testChannel(1); r.Deposit[1] = neg; return b.PutChannel(&r) }},
		{"channel with unknown status", func(b *Batch) error { r := testChannel(1); r.Status = 9; return b.PutChannel(&r) }},
		{"op submitted without tx hash", func(b *Batch) error {
			return b.PutOp(&OpRecord{ID: OpID{1}, Kind: "settle", State: OpSubmitted})
		}},
		{"op without kind", func(b *Batch) error { return b.PutOp(&OpRecord{ID: OpID{1}, State: OpDecided}) }},
		{"peer with too many addresses", func(b *Batch) error {
			return b.PutPeer(&PeerRecord{Addrs: make([]string, maxPeerAddrs+1)})
		}},
		{"meta with empty namespace", func(b *Batch) error { return b.PutMeta("", "k", nil) }},
		{"meta with empty key", func(b *Batch) error { return b.PutMeta("risk", "", nil) }},
		{"meta value over 1 MiB", func(b *Batch) error { return b.PutMeta("risk", "k", make([]byte, maxMetaValueLen+1)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBatch()
			if err := tc.put(b); err == nil {
				t.Fatal("put accepted an unencodable record")
			}
			if b.Err() == nil {
				t.Fatal("failed put did not poison the batch")
			}
			if b.Len() != 0 {
				t.Fatalf("failed put left %d writes in the batch", b.Len())
			}
		})
	}
}

func TestNewOpIDIsDeterministicAndDistinguishesInputs(t *testing.T) {
	a := NewOpID("settle", testChannelID(1), []byte{1})
	if a != NewOpID("settle", testChannelID(1), []byte{1}) {
		t.Fatal("same decision gave different ids")
	}
	for _, other := range []OpID{
		NewOpID("close", testChannelID(1), []byte{1}),
		NewOpID("settle", testChannelID(2), []byte{1}),
		NewOpID("settle", testChannelID(1), []byte{2}),
	} {
		if other == a {
			t.Fatal("different decisions share an id")
		}
	}
}

// A proof with pending locks keeps Locked and LocksRoot through the store; a lock-free one
// keeps the short record written before locks existed.
func TestLockedProofRecordRoundTrip(t *testing.T) {
	p := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testChannelID(2), Nonce: 5,
		Transferred: big.NewInt(700), Locked: big.NewInt(300), LocksRoot: [32]byte{1, 2, 3}}, Sig: testSig(4)}
	var buf [lockedProofRecordLen]byte
	n := encodeProof(&buf, &p)
	if n != lockedProofRecordLen {
		t.Fatalf("locked proof record is %d bytes, want %d", n, lockedProofRecordLen)
	}
	got, err := decodeProof(p.Channel, buf[:n])
	if err != nil {
		t.Fatal(err)
	}
	if got.Locked == nil || got.Locked.Cmp(p.Locked) != 0 || got.LocksRoot != p.LocksRoot || got.Transferred.Cmp(p.Transferred) != 0 || got.Sig != p.Sig {
		t.Fatalf("got %+v, want %+v", got, p)
	}
	if _, err := decodeProof(p.Channel, buf[:n-1]); err == nil {
		t.Fatal("a truncated locked record decoded")
	}
}
