package main

import (
	"crypto/ecdsa"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/node/api"
)

// signedProof converts a proof as the API prints it into the contract client's type.
func signedProof(p api.Proof) channel.SignedProof {
	return channel.SignedProof{
		BalanceProof: channel.BalanceProof{Channel: channel.ID(p.Channel), Nonce: p.Nonce, Transferred: p.Transferred.Big()},
		Sig:          channel.Signature(p.Signature),
	}
}

// forgeErasure signs, with the payer's key, a proof that it paid nothing at the highest
// nonce there is, and the payer's own endorsement of that proof: what a payer needs to
// erase its payments if the contract took any higher-nonce proof from anyone.
func forgeErasure(t *testing.T, d channel.Domain, payer *ecdsa.PrivateKey, id channel.ID) (channel.SignedProof, channel.Signature) {
	t.Helper()
	signer, err := channel.NewKeySigner(payer)
	if err != nil {
		t.Fatal(err)
	}
	p := channel.BalanceProof{Channel: id, Nonce: math.MaxUint64, Transferred: new(big.Int)}
	sign := func(digest func(channel.BalanceProof) (common.Hash, error)) channel.Signature {
		h, err := digest(p)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := signer.SignDigest(h)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	return channel.SignedProof{BalanceProof: p, Sig: sign(d.BalanceProofDigest)}, sign(d.EndorsementDigest)
}

// proofOf returns the proof of the payment in direction with the given nonce.
func proofOf(t *testing.T, ps []api.Payment, direction string, nonce uint64) api.Proof {
	t.Helper()
	for _, p := range ps {
		if p.Direction == direction && p.Proof.Nonce == nonce {
			return p.Proof
		}
	}
	t.Fatalf("no %s payment with nonce %d in %d payments", direction, nonce, len(ps))
	return api.Proof{}
}

// TestE2EDisputeWatcherDefeatsForgedProofAttackOnAnvil is acceptance 2 and issue 14's strong
// attack. Alice and bob pay each other; then alice turns cheater: her node goes down and
// she closes the channel herself through the contract client, with an old proof of bob's
// taken from her own `sluice payments --json`, leaving her own 30 payments to bob off the
// chain. She then tries to erase them for good: she signs a FORGED proof of her own with
// the highest nonce there is, paying bob 0, and submits it with updateProof and with
// updateProofFor under her own endorsement. The contract takes a proof only with the
// consent of the party it pays, so both revert WrongSigner before any transaction is sent
// (under the old "any higher nonce wins" rule the forged proof would have won and bob's
// defense would have reverted StaleNonce). Bob's running node sees the close and puts
// alice's latest proof on chain inside the challenge period; alice's later attempt to
// replace it with an older proof of hers reverts WrongSigner too. After the period
// (Anvil's clock advanced) bob's node settles by itself, paying bob in full, and each
// account's ETH changes by exactly what the contract's formula gives for the proofs on
// chain, minus its gas.
func TestE2EDisputeWatcherDefeatsForgedProofAttackOnAnvil(t *testing.T) {
	t.Parallel()
	start := time.Now()
	chain := startE2EChain(t)
	alice, bob := newE2ENode(t, chain, "alice", 3), newE2ENode(t, chain, "bob", 4)
	bob.start(t)
	alice.start(t)
	const period = time.Hour
	id := openChannelCLI(t, alice, bob, ether(1), period)
	depositCLI(t, bob, alice, id, ether(1))

	// The cheater's material comes from her node's own payment log. `sluice payments`
	// carries a signature only for the latest proof of each direction (older ones print a
	// zero signature: the node keeps no older signatures), so she saves the log while
	// bob's 3rd and her own 5th proof are the latest.
	byBob, byAlice := newE2EPayer(), newE2EPayer()
	byBob.payConcurrently(bob.client(t), id, 3, 1, func(i int) int64 { return 2_000_000_000_000 * int64(i+1) }).Wait()
	byAlice.payConcurrently(alice.client(t), id, 5, 1, func(i int) int64 { return 9_000_000_000_000 + int64(i) }).Wait()
	saved := alice.payments(t, id)
	staleBob := proofOf(t, saved, "received", 3)
	staleAlice := proofOf(t, saved, "sent", 5)
	for _, p := range []api.Proof{staleBob, staleAlice} {
		if p.Signature == (api.Signature{}) {
			t.Fatalf("alice's payments --json shows the latest proof nonce %d without a signature", p.Nonce)
		}
	}
	byBob.payConcurrently(bob.client(t), id, 7, 1, func(i int) int64 { return 2_000_000_000_000 * int64(i+4) }).Wait()
	byAlice.payConcurrently(alice.client(t), id, 25, 4, func(i int) int64 { return 9_000_000_000_005 + int64(i) }).Wait()
	byBob.check(t, "bob", 10)
	byAlice.check(t, "alice", 30)
	ledger := alice.payments(t, id)
	latestAlice := proofOf(t, ledger, "sent", 30)
	if latestAlice.Transferred.Big().Cmp(byAlice.sum) != 0 {
		t.Fatalf("alice's latest proof transfers %s, she was acknowledged %s", latestAlice.Transferred, byAlice.sum)
	}
	bobSees := bob.channel(t, id)
	if p := bobSees.LatestProofs[0]; p == nil || p.Nonce != 30 || p.Signature != latestAlice.Signature {
		t.Fatalf("bob does not hold alice's latest proof: %+v", p)
	}

	alice.stop(t)
	block0 := chain.head(t)
	before := map[common.Address]*big.Int{
		alice.acc.addr: chain.balance(t, alice.acc.addr),
		bob.acc.addr:   chain.balance(t, bob.acc.addr),
		chain.contract: chain.balance(t, chain.contract),
	}
	cheater, err := contracts.New(chain.ctx(t), chain.eth, chain.contract, devchain.TestAccounts()[3].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	stale := signedProof(staleBob)
	if _, err := cheater.Close(chain.ctx(t), channel.ID(id), &stale); err != nil {
		t.Fatalf("cheater's close with bob's proof nonce 3: %v", err)
	}
	closing := chain.view(t, channel.ID(id))
	if closing.Status != channel.StatusClosing || closing.NonceB != 3 || closing.NonceA != 0 {
		t.Fatalf("after the stale close the chain holds %+v", closing)
	}

	// The strong attack: a proof of alice's own making that outranks every real one.
	forged, endorsement := forgeErasure(t, cheater.Domain(), devchain.TestAccounts()[3].Key, channel.ID(id))
	if _, err := cheater.UpdateProof(chain.ctx(t), forged); !errors.Is(err, contracts.ErrWrongSigner) {
		t.Fatalf("cheater's updateProof of her forged proof nonce 2^64-1 paying 0: %v, want WrongSigner", err)
	}
	if _, err := cheater.UpdateProofFor(chain.ctx(t), forged, endorsement); !errors.Is(err, contracts.ErrWrongSigner) {
		t.Fatalf("cheater's updateProofFor of her forged proof under her own endorsement: %v, want WrongSigner", err)
	}
	// Bob's watcher may already have answered; either way the forged proof is not on chain.
	if v := chain.view(t, channel.ID(id)); v.NonceA == forged.Nonce || (v.NonceA != 0 && v.NonceA != 30) {
		t.Fatalf("after the forged attempts the chain holds alice's proof #%d paying %s", v.NonceA, v.TransferredA)
	}

	// Bob's watcher (polling once a second) defends within the challenge period.
	var defended contracts.ChannelView
	waitUntil(t, 30*time.Second, "bob's node to put alice's latest proof on chain", func() bool {
		defended = chain.view(t, channel.ID(id))
		return defended.NonceA == 30
	})
	head, err := chain.eth.HeaderByNumber(chain.ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if head.Time >= defended.SettleAfter {
		t.Fatalf("defence landed at chain time %d, not before settleAfter %d", head.Time, defended.SettleAfter)
	}
	if defended.TransferredA.Cmp(byAlice.sum) != 0 || defended.NonceB != 3 || defended.TransferredB.Cmp(staleBob.Transferred.Big()) != 0 {
		t.Fatalf("after the defence the chain holds %+v", defended)
	}
	// Settling before the period is over is refused with the documented code.
	res, err := bob.cli("channel", "settle", id.String())
	if err != nil || res.code != exitFailure || !strings.HasPrefix(res.stderr, "sluice: ") ||
		!(strings.Contains(res.stderr, "challenge period runs until") || strings.Contains(res.stderr, "ChallengePeriodNotOver")) {
		t.Errorf("sluice channel settle inside the challenge period: %v, exit %d, stderr %q; want exit 1 saying the period is not over", err, res.code, res.stderr)
	}
	r := rawRPC(t, bob.api(), "Bearer "+bob.token(t), rpcBody("sluice_settle", id.String()))
	if r.Error == nil || r.Error.Code != api.CodeChallengePending || r.Error.Data.Kind != "challenge_pending" {
		t.Errorf("sluice_settle inside the challenge period: %+v, want code %d kind challenge_pending", r.Error, api.CodeChallengePending)
	}
	// The cheater cannot go back to an older proof of her own either: it is not hers to
	// submit (it pays bob), whatever its nonce.
	old := signedProof(staleAlice)
	if _, err := cheater.UpdateProof(chain.ctx(t), old); !errors.Is(err, contracts.ErrWrongSigner) {
		t.Fatalf("cheater's update to her proof nonce 5 after the defence: %v, want WrongSigner", err)
	}

	// Bob's channel view follows the chain, then his node settles once the period is over
	// by chain time.
	waitUntil(t, 30*time.Second, "bob to see the channel closing", func() bool { return bob.channel(t, id).Status == "closing" })
	chain.advanceTime(t, period+time.Second)
	waitUntil(t, 30*time.Second, "bob's node to settle", func() bool {
		return chain.view(t, channel.ID(id)).Status == channel.StatusSettled
	})
	waitUntil(t, 30*time.Second, "bob to see the channel settled", func() bool { return bob.channel(t, id).Status == "settled" })

	// balA = depositA - transferredA + transferredB (the proofs on chain), balB = total - balA.
	wantAlice := new(big.Int).Add(new(big.Int).Sub(ether(1), byAlice.sum), staleBob.Transferred.Big())
	wantBob := new(big.Int).Sub(ether(2), wantAlice)
	if owed := bobSees.Balance[1].Big(); wantBob.Cmp(owed) < 0 {
		t.Fatalf("bob is paid %s, less than his off-chain balance %s", wantBob, owed)
	}
	fees, txs := chain.feesPaid(t, block0, chain.head(t))
	if txs[alice.acc.addr] != 1 || txs[bob.acc.addr] != 2 {
		t.Fatalf("transactions sent: alice %d (want the close; the stale update must fail before sending), bob %d (want update and settle)",
			txs[alice.acc.addr], txs[bob.acc.addr])
	}
	want := map[common.Address]*big.Int{
		alice.acc.addr: wantAlice,
		bob.acc.addr:   wantBob,
		chain.contract: new(big.Int).Neg(ether(2)),
	}
	for addr, b0 := range before {
		got := new(big.Int).Sub(chain.balance(t, addr), b0)
		if f := fees[addr]; f != nil {
			got.Add(got, f)
		}
		if got.Cmp(want[addr]) != 0 {
			t.Errorf("%s: on-chain balance changed by %s (gas added back), want %s", addr, got, want[addr])
		}
	}
	t.Logf("bob paid out %s (alice's 30 payments %s defended), alice %s; total %s", wantBob, byAlice.sum, wantAlice, time.Since(start).Round(time.Millisecond))
}
