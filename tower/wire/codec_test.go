package wire

import (
	"bytes"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

func sampleMessages() []Message {
	var sig, end channel.Signature
	for i := range sig {
		sig[i], end[i] = byte(i), byte(200-i)
	}
	return []Message{
		&Hello{Version: Version, ChainID: big.NewInt(31337), Contract: common.HexToAddress("0x5100000000000000000000000000000000000001")},
		&Register{Channel: channel.ID{1, 2, 3}, Nonce: 1 << 40, Transferred: new(big.Int).Sub(channel.MaxAmount(), big.NewInt(1)), Sig: sig, Endorsement: end},
		&Register{Channel: channel.ID{9}, Nonce: 1, Transferred: new(big.Int)},
		&Receipt{Channel: channel.ID{7}, Nonce: 3, Code: CodeNotReceiver, Reason: strings.Repeat("r", MaxReasonSize)},
	}
}

func TestCodecRoundTripsEveryMessage(t *testing.T) {
	var stream []byte
	for _, m := range sampleMessages() {
		f, err := AppendFrame(nil, m)
		if err != nil {
			t.Fatalf("%s: %v", m.Type(), err)
		}
		if len(f) > MaxFrameSize+2 {
			t.Fatalf("%s frame of %d bytes", m.Type(), len(f))
		}
		stream = append(stream, f...)
	}
	r := NewReader(bytes.NewReader(stream))
	for _, want := range sampleMessages() {
		got, err := r.Read()
		if err != nil {
			t.Fatalf("read %s: %v", want.Type(), err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	}
}

func TestReaderRefusesAnOversizedFrameUnread(t *testing.T) {
	// 2 KiB announced and nothing behind it: the reader must not wait for the body.
	_, err := NewReader(bytes.NewReader([]byte{0x80, 0x10})).Read()
	if !errors.Is(err, ErrMalformed) || !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err %v, want a malformed, too-large frame", err)
	}
}

func TestDecodeRefusesMalformedFrames(t *testing.T) {
	for name, payload := range map[string][]byte{
		"not a list":     {0x05},
		"unknown type":   {0xc2, 0x09, 0xc0},
		"missing body":   {0xc1, 0x02},
		"trailing bytes": {0xc2, 0x01, 0xc0, 0x00},
		"short Register": {0xc3, 0x02, 0xc1, 0x01},
	} {
		if _, err := Decode(payload); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err %v, want ErrMalformed", name, err)
		}
	}
}

func TestEncodeRefusesWhatCannotBeSent(t *testing.T) {
	for _, m := range []Message{
		&Hello{Version: 1},
		&Register{Transferred: big.NewInt(-1)},
		&Register{Transferred: new(big.Int).Lsh(big.NewInt(1), 256)},
		&Receipt{Reason: strings.Repeat("x", MaxReasonSize+1)},
		nil,
	} {
		if _, err := AppendFrame(nil, m); err == nil {
			t.Errorf("%#v encoded", m)
		}
	}
}
