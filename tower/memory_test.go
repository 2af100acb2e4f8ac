package tower

import (
	"context"
	"encoding/binary"
	"math/big"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/rlp"
	"github.com/syndtr/goleveldb/leveldb"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/tower/wire"
)

// fillStore writes n guarded channels straight into a tower's store (one unsynced batch
// per 10,000, the same records registration writes), far faster than n registrations.
func fillStore(t *testing.T, dir string, n int) {
	t.Helper()
	st, err := openStore(dir + "/tower")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, b := newParty(t), newParty(t)
	var sig channel.Signature
	sig[64] = 27
	b2 := new(leveldb.Batch)
	for i := range n {
		var id channel.ID
		binary.BigEndian.PutUint64(id[24:], uint64(i)+1<<32)
		raw, err := rlp.EncodeToBytes(&record{A: a.addr, B: b.addr, Nonce: uint64(i) + 1, Transferred: big.NewInt(int64(i) * 1e12), Sig: sig, Endorsement: sig, PayerIsA: true})
		if err != nil {
			t.Fatal(err)
		}
		b2.Put(proofKey(id, channel.PartyA), raw)
		if b2.Len() == 10_000 {
			if err := st.db.Write(b2, nil); err != nil {
				t.Fatal(err)
			}
			b2.Reset()
		}
	}
	if err := st.db.Write(b2, syncWrite); err != nil {
		t.Fatal(err)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// rssBytes reads the process's resident set from /proc (Linux); 0 elsewhere.
func rssBytes() uint64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// The tower keeps no per-channel state in memory: 100,000 guarded channels cost their
// leveldb caches (bounded by storeCacheBytes and storeWriteBytes), and a close among them
// is still found and defended.
func TestTowerHolds100000ChannelsInBoundedMemory(t *testing.T) {
	const channels = 100_000
	dir := t.TempDir()
	fillStore(t, dir, channels)

	before := heapInUse()
	chain := newFakeChain()
	tw := newTestTower(t, chain, dir)
	id, a, _ := guardedChannel(t, chain, tw, 0xee)
	if tw.Guarded() != channels+1 {
		t.Fatalf("guarded %d, want %d", tw.Guarded(), channels+1)
	}
	chain.closeChannel(id, a.addr, 3600)
	pollOnce(t, tw)
	waitUntil(t, "the defense among 100,000 channels", func() bool { return nonceA(chain, id) == 8 })
	// Every record is read once more, as a client re-registering after a restart would.
	reads := 0
	if err := tw.store.ids(func(id channel.ID) error {
		_, err := tw.store.sides(id)
		reads++
		return err
	}); err != nil {
		t.Fatal(err)
	}
	after := heapInUse()
	growth := int64(after) - int64(before)
	t.Logf("%d channels guarded: heap in use %.1f MiB before opening the tower, %.1f MiB after serving (growth %.1f MiB), process RSS %.1f MiB; closes are read as %s",
		channels, mib(before), mib(after), float64(growth)/(1<<20), mib(rssBytes()), map[bool]string{true: "every ChannelClosed of the contract", false: "by id"}[tw.Guarded() > tw.cfg.TopicFilterMax])
	if growth > 24<<20 { // the same records held in a Go map would take about 40 MiB
		t.Fatalf("heap grew by %.1f MiB for %d channels: the tower keeps per-channel state in memory", float64(growth)/(1<<20), channels)
	}
	if reads != channels+1 {
		t.Fatalf("read %d records", reads)
	}
	if rc := tw.register(context.Background(), a.addr, registration(t, chain.Domain(), id, 1, 1, a, a)); rc.Code == wire.CodeAccepted {
		t.Fatal("self-endorsement accepted")
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
