package tower

import (
	"encoding/binary"
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/tower/wire"
)

// BenchmarkRegisterPipelined measures registrations of new channels per second through
// libp2p, verification and the store, with a client that pipelines 256 Registers before
// reading their Receipts (as the node does). Run with -benchtime Nx: each op is one channel.
func BenchmarkRegisterPipelined(b *testing.B) {
	chain := newFakeChain()
	a, r := newParty(b), newParty(b)
	regs := make([]*wire.Register, b.N)
	for i := range regs {
		var id channel.ID
		binary.BigEndian.PutUint64(id[:8], uint64(i)+1)
		chain.views[id] = openView(a, r)
		regs[i] = registration(b, chain.Domain(), id, 1, 1, a, r)
	}
	key := newParty(b).key
	tw, err := New(Config{Key: key, DataDir: b.TempDir(), Chain: chain, RegisterRate: 1e9, RegisterBurst: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer tw.Close()
	if err := tw.Start(); err != nil {
		b.Fatal(err)
	}
	ts, err := dialTower(b, clientHost(b, r.key), tw, &wire.Hello{Version: wire.Version, ChainID: chain.domain.ChainID, Contract: chain.domain.Contract})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for start := 0; start < len(regs); start += 256 {
		batch := regs[start:min(start+256, len(regs))]
		var frames []byte
		for _, reg := range batch {
			if frames, err = wire.AppendFrame(frames, reg); err != nil {
				b.Fatal(err)
			}
		}
		ts.st.SetDeadline(timeNowPlus())
		if _, err := ts.w.Write(frames); err != nil {
			b.Fatal(err)
		}
		if err := ts.w.Flush(); err != nil {
			b.Fatal(err)
		}
		for range batch {
			if rc := ts.receipt(b); rc.Code != wire.CodeAccepted {
				b.Fatalf("%s %s", rc.Code, rc.Reason)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
}
