package cluster

import (
	"fmt"
	"testing"
)

func TestParseStoreURL(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" means an error
	}{
		{"etcd://10.0.0.1:2379", "[http://10.0.0.1:2379]"},
		{"etcd://a:2379,b:2379, c:2379", "[http://a:2379 http://b:2379 http://c:2379]"},
		{"etcd://", ""},
		{"leveldb", ""},
		{"etcd://a", ""},
		{"etcd://a:2379/x", ""},
		{"etcd://a:2379,", ""},
	} {
		got, err := ParseStoreURL(c.in)
		if c.want == "" {
			if err == nil {
				t.Errorf("%q: accepted as %v", c.in, got)
			}
			continue
		}
		if err != nil || fmt.Sprint(got) != c.want {
			t.Errorf("%q: %v %v, want %s", c.in, got, err, c.want)
		}
	}
}
