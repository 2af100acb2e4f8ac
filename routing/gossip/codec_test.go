package gossip

import (
	"bytes"
	"errors"
	"testing"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	a := signed(t, accountKey(0), chID(1), 9, nil)
	data := encode(t, a)
	b, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(t, b), data) || b.Signature != a.Signature || b.Capacity.Cmp(a.Capacity) != 0 {
		t.Fatalf("round trip changed the announcement: %+v", b)
	}
}

func TestDecodeRefusesBadInput(t *testing.T) {
	good := encode(t, signed(t, accountKey(0), chID(1), 9, nil))
	tooMany := signed(t, accountKey(0), chID(1), 9, func(a *Announcement) {
		for len(a.Addrs) <= MaxAddrs {
			a.Addrs = append(a.Addrs, []byte{0x04, 1, 2, 3, 4})
		}
	})
	for name, tc := range map[string]struct {
		data []byte
		want error
	}{
		"empty":      {nil, ErrMalformed},
		"trailing":   {append(append([]byte(nil), good...), 0x80), ErrMalformed},
		"truncated":  {good[:len(good)-1], ErrMalformed},
		"too large":  {make([]byte, MaxSize+1), ErrTooLarge},
		"version 2":  {append([]byte{good[0], good[1], good[2], 0x02}, good[4:]...), ErrMalformed},
		"many addrs": {mustEncodeUnchecked(t, tooMany), ErrMalformed},
	} {
		if _, err := Decode(tc.data); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

func mustEncodeUnchecked(t *testing.T, a *Announcement) []byte {
	b, err := Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzDecodeAnnouncement: any input either fails with a classified error or decodes to an
// announcement that re-encodes to exactly the input.
func FuzzDecodeAnnouncement(f *testing.F) {
	f.Add(encode(f, signed(f, accountKey(0), chID(1), 9, nil)))
	f.Add([]byte{0xc0})
	f.Add([]byte{0xc2, 0x01, 0xc0})
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		again, err := Encode(a)
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("decoded form does not re-encode to the input: %v", err)
		}
	})
}
