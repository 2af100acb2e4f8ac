package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// TestAttack4ThreeHopsColludingEndsWithTwoHonestHubsWhole: A -> H1 -> H2 -> C, the
// payer A and the payee C collude (they share the secret); both hubs are honest. C refuses
// H2's lock and withholds its endorsement of H2's cancel, so H2 keeps H1's lock and H1
// keeps A's (no refusal travels upstream). A then goes silent for good. C closes H2-C with
// H2's older proof carrying the lock and registers the secret. Each hub is entitled to
// its fee and nothing less, independently of the code: H2 pays C on chain what it locked
// to C and is paid H1's lock (off chain: H1 is honest and learns the secret from H2); H1
// pays H2 its lock off chain and claims A's lock on chain (A never unlocks). Checked to
// the wei: H1's total over A-H1 (on chain) and H1-H2 (off chain) is its 1000 deposit plus
// its fee; H2's over H1-H2 and H2-C (on chain) is its 1000 deposit plus its fee; A gets
// its deposit less its lock.
func TestAttack4ThreeHopsColludingEndsWithTwoHonestHubsWhole(t *testing.T) {
	tn := newTestNet(t)
	reader := chainReader(t, tn)
	aTap, h1Tap, h2Tap := &lockTap{}, &lockTap{}, &lockTap{}
	filter := &endorseFilter{}
	filter.drop.Store(true)
	a := tn.startNode(1, nodeOpts{wrap: func(tr Transport) Transport { aTap.Transport = tr; return aTap }})
	h1 := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { h1Tap.Transport = tr; return h1Tap }})
	h2 := tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { h2Tap.Transport = tr; return h2Tap }})
	c := tn.startNode(4, nodeOpts{wrap: func(tr Transport) Transport { filter.Transport = tr; return filter }})
	idA1 := openChannel(t, a, h1, big.NewInt(1000), nil, time.Hour)
	id12 := openChannel(t, h1, h2, big.NewInt(1000), nil, time.Hour)
	id2C := openChannel(t, h2, c, big.NewInt(1000), nil, time.Hour)
	payer, hub1, hub2, payee := a.signer.Address(), h1.signer.Address(), h2.signer.Address(), c.signer.Address()

	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	const amount = 200
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	var pid [16]byte
	rand.Read(pid[:])
	_, err := a.PayRouted(ctx, RoutedPayRequest{Hops: []common.Address{hub1, hub2, payee}, Amount: big.NewInt(amount), SecretHash: hash, PaymentID: pid})
	if !errors.Is(err, ErrLockPending) {
		t.Fatalf("payment refused by the payee, its cancel unendorsed: %v; want ErrLockPending", err)
	}
	if !incomingPending(h1, idA1, hash) || !incomingPending(h2, id12, hash) || incomingPending(c, id2C, hash) {
		t.Fatal("setup: want A's and H1's locks kept, H2's lock to C cancelled")
	}
	inA, out1, out2 := aTap.lastOn(t, idA1), h1Tap.lastOn(t, id12), h2Tap.lastOn(t, id2C)
	fee1 := new(big.Int).Sub(inA.Lock.Amount, out1.Lock.Amount)
	fee2 := new(big.Int).Sub(out1.Lock.Amount, out2.Lock.Amount)
	t.Logf("locks: A->H1 %s, H1->H2 %s, H2->C %s (fees %s, %s)", inA.Lock.Amount, out1.Lock.Amount, out2.Lock.Amount, fee1, fee2)

	if err := a.Close(); err != nil { // the payer goes silent
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	bg := context.Background()
	cheat := keyClient(t, tn, 4)
	if _, err := cheat.Close(bg, id2C, &out2.Proof); err != nil {
		t.Fatalf("payee's close with the older proof: %v", err)
	}
	if _, err := cheat.RegisterSecret(bg, secret); err != nil {
		t.Fatal(err)
	}
	m12 := newModel(id12, h1, h2, 1000)
	m12.pay(hub1, hub2, out1.Lock.Amount.Int64())
	m12.eventually(t, "H1-H2: H1 unlocked H2's lock once H2 revealed the secret it learnt on chain", h1, h2)

	advanceTo(t, tn, reader, h1.med.cfg.ClaimDeadline(inA.Lock))
	waitFor(t, "H1 closes the silent payer's channel to claim its lock", func() bool { return channelStatus(h1, idA1) == channel.StatusClosing })
	v2C, err := reader.Channel(bg, id2C)
	if err != nil {
		t.Fatal(err)
	}
	vA1, err := reader.Channel(bg, idA1)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, max(v2C.SettleAfter, vA1.SettleAfter)+1)
	waitFor(t, "both closed channels settle", func() bool {
		return channelStatus(h2, id2C) == channel.StatusSettled && channelStatus(h1, idA1) == channel.StatusSettled
	})
	if _, err := cheat.Unlock(bg, id2C, hub2, []channel.Lock{out2.Lock}); err != nil {
		t.Fatalf("payee's unlock of the lock it registered: %v", err)
	}
	waitFor(t, "H1 claims A's lock after settle", func() bool { return hasClaim(h1, idA1, ClaimLockClaimed) })

	pA1 := payouts(t, reader, idA1, payer, hub1)
	p2C := payouts(t, reader, id2C, hub2, payee)
	v12, err := h1.Channel(bg, id12)
	if err != nil {
		t.Fatal(err)
	}
	us1 := h1.channel(id12).us
	h1Total := new(big.Int).Add(pA1[hub1], v12.Balance[us1])
	h2Total := new(big.Int).Add(p2C[hub2], v12.Balance[us1.Other()])
	want1 := new(big.Int).Add(big.NewInt(1000), fee1)
	want2 := new(big.Int).Add(big.NewInt(1000), fee2)
	if h1Total.Cmp(want1) != 0 || h2Total.Cmp(want2) != 0 || pA1[payer].Cmp(new(big.Int).Sub(big.NewInt(1000), inA.Lock.Amount)) != 0 {
		t.Fatalf("H1 total %s (A-H1 on chain %s + H1-H2 %s), want %s; H2 total %s (H2-C on chain %s + H1-H2 %s), want %s; payer got %s; payee took %s",
			h1Total, pA1[hub1], v12.Balance[us1], want1, h2Total, p2C[hub2], v12.Balance[us1.Other()], want2, pA1[payer], p2C[payee])
	}
}
