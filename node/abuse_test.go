package node

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// attacker is a foreign libp2p client with a fresh identity speaking /sluice/1.0.0 by
// hand: it sends what it likes and reads nothing, as in issue 15.
type attacker struct {
	h  host.Host
	st network.Stream
}

func newAttacker(t testing.TB, victim *Node) *attacker {
	t.Helper()
	a, err := dialAttacker(peer.AddrInfo{ID: victim.transport.ID(), Addrs: victim.transport.Addrs()}, victim.domain)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.h.Close() })
	return a
}

// dialAttacker connects a fresh identity to target and sends a valid Hello.
func dialAttacker(target peer.AddrInfo, d channel.Domain) (*attacker, error) {
	key, err := ethcrypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	sk, err := p2p.PrivKey(key)
	if err != nil {
		return nil, err
	}
	h, err := libp2p.New(libp2p.Identity(sk), libp2p.NoListenAddrs, libp2p.DisableMetrics())
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := h.Connect(ctx, target); err != nil {
		h.Close()
		return nil, fmt.Errorf("attacker connect: %w", err)
	}
	st, err := h.NewStream(ctx, target.ID, p2p.ProtocolID)
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("attacker stream: %w", err)
	}
	a := &attacker{h: h, st: st}
	if err := a.write(&p2p.Hello{Version: p2p.ProtocolVersion, ChainID: d.ChainID, Contract: d.Contract}); err != nil {
		h.Close()
		return nil, fmt.Errorf("attacker hello: %w", err)
	}
	return a, nil
}

func (a *attacker) write(msgs ...p2p.Message) error {
	var buf []byte
	enc := p2p.NewEncoder()
	for _, m := range msgs {
		var err error
		if buf, err = enc.AppendFrame(buf, m); err != nil {
			return err
		}
	}
	a.st.SetWriteDeadline(time.Now().Add(time.Second))
	_, err := a.st.Write(buf)
	return err
}

// flood writes batches from next until the victim drops the stream or d passes, and
// returns how long the victim took to ban the attacker (0: not banned).
func (a *attacker) flood(t testing.TB, victim *Node, d time.Duration, next func() p2p.Message) time.Duration {
	t.Helper()
	bansBefore := totalBans(victim)
	start := time.Now()
	bannedAt := make(chan time.Duration, 1)
	go func() {
		for time.Since(start) < d+2*time.Second {
			if totalBans(victim) > bansBefore {
				bannedAt <- time.Since(start)
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
		bannedAt <- 0
	}()
	batch := make([]p2p.Message, 64)
	for time.Since(start) < d {
		for i := range batch {
			batch[i] = next()
		}
		if err := a.write(batch...); err != nil && totalBans(victim) > bansBefore {
			break
		}
	}
	return <-bannedAt
}

func totalBans(n *Node) uint64 {
	var sum uint64
	for _, v := range n.transport.Stats().Bans {
		sum += v
	}
	return sum
}

func randomProposal() p2p.Message {
	m := &p2p.OpenPropose{Deposit: big.NewInt(1), ChallengePeriod: 3600}
	for i := range m.ProposalID {
		m.ProposalID[i] = byte(rand.Uint32())
	}
	return m
}

func unknownChannelPay() p2p.Message {
	m := &p2p.Pay{Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Nonce: 1, Transferred: big.NewInt(1)}}}
	for i := range m.Proof.Channel {
		m.Proof.Channel[i] = byte(rand.Uint32())
	}
	m.Proof.Sig[64] = 27
	return m
}

// TestOpenProposeFloodFromAPeerThatNeverReadsIsBannedWithoutGoroutines is finding 1:
// proposals from a peer that reads nothing once started a goroutine each, parked on
// the peer's full queue. Now the victim runs none, and bans the peer within a second.
func TestOpenProposeFloodFromAPeerThatNeverReadsIsBannedWithoutGoroutines(t *testing.T) {
	tn := newTestNet(t)
	victim := tn.startNode(1, nodeOpts{})
	honest := tn.startNode(2, nodeOpts{})
	id := openChannel(t, honest, victim, big.NewInt(1_000_000), nil, time.Hour)
	mustPay(t, honest, id, 1)
	base := runtime.NumGoroutine()

	a := newAttacker(t, victim)
	peak := base
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				peak = max(peak, runtime.NumGoroutine())
			}
		}
	}()
	banned := a.flood(t, victim, 3*time.Second, randomProposal)
	close(stop)
	<-sampled
	t.Logf("banned after %s; goroutines %d before, peak %d", banned, base, peak)
	if banned == 0 || banned > time.Second {
		t.Fatalf("proposal flood: banned after %s, want within 1s", banned)
	}
	// The attacker's own host and the victim's session account for a few dozen.
	if peak > base+100 {
		t.Fatalf("goroutines grew from %d to %d during the proposal flood", base, peak)
	}
	mustPay(t, honest, id, 1)
}

// TestUnknownChannelPayFloodIsBanned is finding 2: Pays into made-up channels are
// refused before any signature recovery and count toward a ban.
func TestUnknownChannelPayFloodIsBanned(t *testing.T) {
	tn := newTestNet(t)
	victim := tn.startNode(1, nodeOpts{})
	honest := tn.startNode(2, nodeOpts{})
	id := openChannel(t, honest, victim, big.NewInt(1_000_000), nil, time.Hour)
	a := newAttacker(t, victim)
	banned := a.flood(t, victim, 3*time.Second, unknownChannelPay)
	t.Logf("banned after %s", banned)
	if banned == 0 || banned > time.Second {
		t.Fatalf("unknown-channel pay flood: banned after %s, want within 1s", banned)
	}
	if got := victim.transport.Stats().Bans[p2p.BanRefused]; got != 1 {
		t.Fatalf("bans for refused messages: %d, want 1 (stats %+v)", got, victim.transport.Stats())
	}
	// The operator sees it on /metrics.
	families, err := victim.cfg.Metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var bans, refused float64
	for _, f := range families {
		for _, m := range f.GetMetric() {
			switch {
			case f.GetName() == "sluice_peer_bans_total" && m.GetLabel()[0].GetValue() == "refused":
				bans = m.GetCounter().GetValue()
			case f.GetName() == "sluice_rejects_total" && m.GetLabel()[0].GetValue() == strconv.Itoa(int(channel.CodeUnknownChannel)):
				refused = m.GetCounter().GetValue()
			}
		}
	}
	if bans != 1 || refused < 64 {
		t.Fatalf("metrics: sluice_peer_bans_total{reason=refused} %v, sluice_rejects_total{code=unknown channel} %v", bans, refused)
	}
	mustPay(t, honest, id, 1)
}

// TestPayIsVerifiedOnlyAfterTheCheapChecks: a Pay goes to signature recovery only
// when its channel is known, its sender is the partner and its nonce may be next.
func TestPayIsVerifiedOnlyAfterTheCheapChecks(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	mustPay(t, a, id, 10) // b's last nonce from a is 1
	from := a.signer.Address()
	pay := func(ch channel.ID, nonce uint64) *p2p.Pay {
		return &p2p.Pay{Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: ch, Nonce: nonce, Transferred: big.NewInt(20)}}}
	}
	cases := []struct {
		name string
		from [20]byte
		pay  *p2p.Pay
		want bool
	}{
		{"next nonce from the partner", from, pay(id, 2), true},
		{"pipelined nonce from the partner", from, pay(id, 100), true},
		{"unknown channel", from, pay(channel.ID{7}, 2), false},
		{"not the partner", b.signer.Address(), pay(id, 2), false},
		{"stale nonce", from, pay(id, 1), false},
		{"nonce far ahead", from, pay(id, 1_000_000), false},
	}
	for _, c := range cases {
		if got := b.worthVerifying(c.from, &c.pay.Proof); got != c.want {
			t.Errorf("%s: worth verifying %v, want %v", c.name, got, c.want)
		}
	}
}

func TestMessageRateDefaultsToTheMeasuredVerifyRate(t *testing.T) {
	got := peerLimits(p2p.Limits{}, func() float64 { return 12_000 })
	if got.MessageRate != 12_000 || got.MessageBurst != 12_000 {
		t.Fatalf("limits from 12,000 verifies/s: %+v", got)
	}
	if got := peerLimits(p2p.Limits{}, func() float64 { return 100 }); got.MessageRate != minMessageRate || got.MessageBurst != max(minMessageRate, minMessageBurst) {
		t.Fatalf("limits from a slow measurement: %+v", got)
	}
	if got := peerLimits(p2p.Limits{MessageRate: 7}, func() float64 { return 1e6 }); got.MessageRate != 7 {
		t.Fatalf("configured rate overridden: %+v", got)
	}
	if r := measureVerifyRate(); r < 100 {
		t.Fatalf("measured %f verifies/s", r)
	}
}
