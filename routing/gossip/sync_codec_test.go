package gossip

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	ma "github.com/multiformats/go-multiaddr"
)

func TestReadAnswerRoundTripsAndKnowsWhoIsToBlame(t *testing.T) {
	a, b := encode(t, signed(t, accountKey(0), chID(1), 1, nil)), encode(t, signed(t, accountKey(1), chID(1), 2, nil))
	var buf bytes.Buffer
	if err := writeAnswer(&buf, [][]byte{a, b}); err != nil {
		t.Fatal(err)
	}
	whole := buf.Bytes()
	got, err := readAnswer(bytes.NewReader(whole))
	if err != nil || len(got) != 2 || !bytes.Equal(got[0].data, a) || !bytes.Equal(got[1].data, b) || got[1].ann.Sequence != 2 {
		t.Fatalf("read %d frames: %v", len(got), err)
	}
	cases := map[string]struct {
		in   []byte
		want error
	}{
		"cut in a length":     {[]byte{0x80}, ErrSyncInterrupted},
		"cut in a frame":      {whole[:len(a)], ErrSyncInterrupted},
		"zero length":         {[]byte{0x00}, ErrSyncMalformed},
		"length above max":    {[]byte{0x81, 0x08}, ErrSyncMalformed},
		"varint overflow":     {bytes.Repeat([]byte{0xff}, 11), ErrSyncMalformed},
		"not an announcement": {[]byte{0x02, 0xc1, 0x80}, ErrSyncMalformed},
	}
	for name, tc := range cases {
		if _, err := readAnswer(bytes.NewReader(tc.in)); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

// The byte limit holds even when every frame is well formed: the reader stops at the
// limit, never buffering more than it.
func TestReadAnswerRefusesMoreBytesThanTheLimit(t *testing.T) {
	a := encode(t, signed(t, accountKey(0), chID(1), 1, func(x *Announcement) {
		for len(x.Addrs) < MaxAddrs {
			m, err := ma.NewMultiaddr(fmt.Sprintf("/dns4/%0100d.example/tcp/%d", len(x.Addrs), 4000+len(x.Addrs)))
			if err != nil {
				t.Fatal(err)
			}
			x.Addrs = append(x.Addrs, m.Bytes())
		}
	}))
	var list [][]byte
	for size := 0; size <= SyncMaxBytes; size += frameSize(len(a)) {
		list = append(list, a)
	}
	var buf bytes.Buffer
	if err := writeAnswer(&buf, list); err != nil {
		t.Fatal(err)
	}
	if len(list) <= SyncMaxAnnouncements {
		if _, err := readAnswer(&buf); !errors.Is(err, ErrSyncTooLarge) {
			t.Fatalf("%d bytes in %d frames: %v", buf.Len(), len(list), err)
		}
	} else {
		t.Fatalf("%d frames of %d bytes reach the count limit first; make the frame larger", len(list), len(a))
	}
}

func FuzzReadAnswer(f *testing.F) {
	var buf bytes.Buffer
	writeAnswer(&buf, [][]byte{encode(f, signed(f, accountKey(0), chID(1), 1, nil))})
	f.Add(buf.Bytes())
	f.Add([]byte{0x00})
	f.Add([]byte{0x81, 0x08})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		frames, err := readAnswer(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrSyncMalformed) && !errors.Is(err, ErrSyncTooLarge) && !errors.Is(err, ErrSyncInterrupted) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		// Accepted input is canonical: written again it is the same bytes.
		list := make([][]byte, len(frames))
		for i, fr := range frames {
			if again, err := Encode(fr.ann); err != nil || !bytes.Equal(again, fr.data) {
				t.Fatalf("frame %d does not re-encode: %v", i, err)
			}
			list[i] = fr.data
		}
		var out bytes.Buffer
		if err := writeAnswer(&out, list); err != nil || !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("answer does not re-encode to its input")
		}
	})
}
