package node

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

const outOfPolicyLog = "channel outside the channel policy"

// openedOnChainWithoutAsking opens a channel from account 1 to node b straight through the
// contract (no proposal, so b's policy was never asked) and starts account 1's node, which
// learns the channel from the chain and connects to b to pay on it. It waits until b
// tracks the channel too, unless b is expected not to (admission, channel_admission.go).
func openedOnChainWithoutAsking(t *testing.T, tn *testNet, b *Node, token common.Address, deposit *big.Int, period uint64, bTracks bool) (*Node, channel.ID) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, _, err := clientFor(t, tn, 1).Open(ctx, tn.chain.Accounts()[2].Address, token, deposit, period)
	if err != nil {
		t.Fatalf("open on chain: %v", err)
	}
	var logsA logBuffer
	a := tn.startConfiguredNode(1, &logsA, func(c *Config) { c.StaticPeers = []string{addrOf(t, b)} })
	waitFor(t, "the nodes track the channel", func() bool {
		_, errA := a.Channel(ctx, id)
		_, errB := b.Channel(ctx, id)
		return errA == nil && (errB == nil || !bTracks)
	})
	if !bTracks {
		waitFor(t, "the payee past the opening", func() bool { return b.synced.Load() >= a.synced.Load() })
	}
	waitFor(t, "both connected", func() bool { return len(a.transport.Peers()) > 0 && len(b.transport.Peers()) > 0 })
	return a, id
}

func payOnce(a *Node, id channel.ID, amount int64) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(amount)})
	return err
}

func TestChannelOpenedOnChainOutsidePolicyIsRefusedWithItsCode(t *testing.T) {
	otherToken := common.HexToAddress("0x00000000000000000000000000000000000000e2")
	cases := []struct {
		name   string
		policy OpenPolicy
		period uint64
		reason string
	}{
		{"one-second challenge period", OpenPolicy{MinChallengePeriod: time.Hour}, 1, "below the minimum 1h0m0s"},
		{"challenge period above the maximum", OpenPolicy{MaxChallengePeriod: 2 * time.Hour}, 3 * 3600, "above the maximum 2h0m0s"},
		{"token not accepted", OpenPolicy{AcceptTokens: []common.Address{otherToken}}, 3600, "is not accepted"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tn := newTestNet(t)
			var logsB logBuffer
			b := tn.startConfiguredNode(2, &logsB, func(cfg *Config) { cfg.Open, cfg.DefaultChallengePeriod = c.policy, time.Hour })
			a, id := openedOnChainWithoutAsking(t, tn, b, common.Address{}, big.NewInt(1_000_000), c.period, true)

			for i := range 3 {
				err := payOnce(a, id, 10)
				var rej *RejectError
				if !errors.As(err, &rej) || rej.Code != channel.CodeChannelOutOfPolicy || !errors.Is(err, channel.ErrChannelOutOfPolicy) {
					t.Fatalf("payment %d on an out-of-policy channel: %v, want a RejectError with code %d", i, err, channel.CodeChannelOutOfPolicy)
				}
				if !strings.Contains(rej.Reason, c.reason) {
					t.Fatalf("reject reason %q does not say %q", rej.Reason, c.reason)
				}
			}
			v, err := b.Channel(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(v.OutOfPolicy, c.reason) || v.Payments != 0 || v.Balance[channel.PartyB].Sign() != 0 {
				t.Fatalf("payee's view: outOfPolicy %q payments %d balance %s", v.OutOfPolicy, v.Payments, v.Balance[channel.PartyB])
			}
			if got := strings.Count(logsB.String(), outOfPolicyLog); got != 1 {
				t.Fatalf("payee logged %q %d times after three refused payments, want once:\n%s", outOfPolicyLog, got, logsB.String())
			}
			if !strings.Contains(logsB.String(), "level=WARN msg=\""+outOfPolicyLog) {
				t.Fatalf("the out-of-policy line is not a WARN:\n%s", logsB.String())
			}

			// Still the payee's channel to close. Unilaterally: the payer counts its refused
			// proof as sent (a signature cannot be recalled), so the two views of the
			// balance differ and a cooperative settlement would not match.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := b.CloseChannel(ctx, id, true); err != nil {
				t.Fatalf("closing an out-of-policy channel: %v", err)
			}
			waitFor(t, "the payer sees the close", func() bool {
				v, err := a.Channel(ctx, id)
				return err == nil && v.Status == channel.StatusClosing
			})
		})
	}
}

func TestChannelOpenedOnChainWithinPolicyTakesPayments(t *testing.T) {
	tn := newTestNet(t)
	var logsB logBuffer
	b := tn.startConfiguredNode(2, &logsB, func(c *Config) {
		c.Open = OpenPolicy{MinChallengePeriod: time.Hour, MaxChallengePeriod: 2 * time.Hour, AcceptTokens: []common.Address{{}}, MinDeposit: big.NewInt(1_000)}
		c.DefaultChallengePeriod = time.Hour
	})
	a, id := openedOnChainWithoutAsking(t, tn, b, common.Address{}, big.NewInt(1_000), 3600, true)
	for i := range 3 {
		if err := payOnce(a, id, 10); err != nil {
			t.Fatalf("payment %d within policy: %v", i, err)
		}
	}
	v, err := b.Channel(context.Background(), id)
	if err != nil || v.OutOfPolicy != "" || v.Balance[channel.PartyB].Int64() != 30 {
		t.Fatalf("payee's view: %+v %v", v, err)
	}
	if strings.Contains(logsB.String(), outOfPolicyLog) {
		t.Fatalf("a channel within policy was logged as outside it:\n%s", logsB.String())
	}
}

// A channel opened without a proposal below the minimum deposit is not even tracked
// (issue 15: strangers cannot make the node keep state for free), yet a payment on it
// gets the out-of-policy code, and the opener's top-up to the minimum brings it in.
func TestUnsolicitedChannelBelowTheMinimumDepositIsUntrackedUntilToppedUp(t *testing.T) {
	tn := newTestNet(t)
	var logsB logBuffer
	b := tn.startConfiguredNode(2, &logsB, func(c *Config) { c.Open = OpenPolicy{MinDeposit: big.NewInt(1_000)} })
	a, id := openedOnChainWithoutAsking(t, tn, b, common.Address{}, big.NewInt(400), 3600, false)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := b.Channel(ctx, id); !errors.Is(err, channel.ErrUnknownChannel) {
		t.Fatalf("payee tracks a channel below the minimum deposit: %v", err)
	}
	err := payOnce(a, id, 10)
	var rej *RejectError
	if !errors.As(err, &rej) || rej.Code != channel.CodeChannelOutOfPolicy || !strings.Contains(rej.Reason, "below the minimum 1000; not tracked") {
		t.Fatalf("payment below the minimum deposit: %v", err)
	}
	if strings.Contains(logsB.String(), "level=WARN") {
		t.Fatalf("an untracked channel was logged at WARN:\n%s", logsB.String())
	}

	if _, err := a.Deposit(ctx, id, big.NewInt(600)); err != nil {
		t.Fatalf("top-up: %v", err)
	}
	waitFor(t, "the payee tracks the topped-up channel", func() bool {
		v, err := b.Channel(ctx, id)
		return err == nil && v.OutOfPolicy == "" && v.Deposit[channel.PartyA].Int64() == 1_000
	})
	// The refused proof stays signed, so the payer first offers it again (Sync); once
	// the payee takes it, payments flow.
	waitFor(t, "a payment after the top-up", func() bool { return payOnce(a, id, 10) == nil })
	if v, err := b.Channel(ctx, id); err != nil || v.Balance[channel.PartyB].Int64() != 20 {
		t.Fatalf("payee's balance after the top-up: %v %v, want the refused 10 and the new 10", v.Balance, err)
	}
}

// The policy in force is this run's: a channel accepted under a looser policy is
// refused payments after a restart under a stricter one, and logged in one summary line.
func TestRestartUnderStricterPolicyRefusesPaymentsOnLoadedChannels(t *testing.T) {
	tn := newTestNet(t)
	dir := t.TempDir()
	var logs1 logBuffer
	b := tn.startConfiguredNode(2, &logs1, func(c *Config) { c.DataDir = dir })
	a, id := openedOnChainWithoutAsking(t, tn, b, common.Address{}, big.NewInt(1_000), 60, true)
	if err := payOnce(a, id, 10); err != nil {
		t.Fatalf("payment under the dev default policy: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	var logs2 logBuffer
	b2 := tn.startConfiguredNode(2, &logs2, func(c *Config) {
		c.DataDir = dir
		c.Open.MinChallengePeriod = time.Hour
		c.StaticPeers = []string{addrOf(t, a)}
	})
	waitFor(t, "reconnected", func() bool { return len(b2.transport.Peers()) > 0 })
	if err := payOnce(a, id, 10); !errors.Is(err, channel.ErrChannelOutOfPolicy) {
		t.Fatalf("payment after the restart: %v", err)
	}
	if !strings.Contains(logs2.String(), "open channels outside the channel policy") || !strings.Contains(logs2.String(), "count=1") {
		t.Fatalf("no summary line at start-up:\n%s", logs2.String())
	}
}

func TestOwnOpenOutsideOwnPolicyIsRefusedBeforeAnything(t *testing.T) {
	tn := newTestNet(t)
	var logsA logBuffer
	a := tn.startConfiguredNode(1, &logsA, func(c *Config) { c.Open.MinChallengePeriod = time.Hour })
	b := tn.startNode(2, nodeOpts{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := a.OpenChannel(ctx, OpenRequest{Peer: addrOf(t, b), Deposit: big.NewInt(5), ChallengePeriod: time.Minute})
	if !errors.Is(err, channel.ErrInvalidParams) || !strings.Contains(err.Error(), "own channel policy") {
		t.Fatalf("open below our own minimum: %v", err)
	}
	if chans, _ := b.Channels(ctx, ChannelFilter{}); len(chans) != 0 {
		t.Fatalf("partner learned %d channels", len(chans))
	}
}

func TestPolicyDefaultsDependOnTheChain(t *testing.T) {
	cases := []struct {
		chainID int64
		policy  OpenPolicy
		wantMin time.Duration
		wantErr string
	}{
		{1, OpenPolicy{}, time.Hour, ""},
		{10, OpenPolicy{}, time.Hour, ""},
		{31337, OpenPolicy{}, time.Second, ""},
		{1337, OpenPolicy{}, time.Second, ""},
		{1, OpenPolicy{MinChallengePeriod: 5 * time.Second}, 5 * time.Second, ""},
		{31337, OpenPolicy{MinChallengePeriod: 2 * time.Hour}, 2 * time.Hour, ""},
		// A maximum below the chain's default minimum must be paired with a minimum.
		{1, OpenPolicy{MaxChallengePeriod: 30 * time.Minute}, 0, "exceeds Open.MaxChallengePeriod"},
		{1, OpenPolicy{MinDeposit: big.NewInt(-1)}, 0, "negative"},
		// The node's own default period (24h) must be acceptable to its own policy.
		{1, OpenPolicy{MinChallengePeriod: 48 * time.Hour}, 0, "DefaultChallengePeriod 24h0m0s is outside"},
	}
	for _, c := range cases {
		got, err := c.policy.resolve(big.NewInt(c.chainID), DefaultChallengePeriod)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("chain %d %+v: err %v, want %q", c.chainID, c.policy, err, c.wantErr)
			}
			continue
		}
		if err != nil || got.MinChallengePeriod != c.wantMin || got.MaxChallengePeriod != ContractMaxChallengePeriod && c.policy.MaxChallengePeriod == 0 {
			t.Errorf("chain %d %+v: min %s max %s err %v, want min %s", c.chainID, c.policy, got.MinChallengePeriod, got.MaxChallengePeriod, err, c.wantMin)
		}
	}
}

func TestConfigRejectsNegativePolicyPeriods(t *testing.T) {
	c := Config{Open: OpenPolicy{MinChallengePeriod: -time.Second}}
	if err := c.validate(); err == nil || !strings.Contains(err.Error(), "must not be negative") {
		t.Fatalf("validate: %v", err)
	}
}
