package main

import (
	"bufio"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// startE2ETower runs `sluice tower` for Anvil test account i and returns its multiaddr,
// read from its stdout.
func startE2ETower(t *testing.T, c *e2eChain, account int) (*daemon, string) {
	t.Helper()
	env := cliEnv(t)
	dir := filepath.Join(t.TempDir(), "tower")
	if res := runCLI(t, env, "--datadir", dir, "init", "--dev", "--key-hex", anvilAccount(account).keyHex); res.code != 0 {
		t.Fatalf("init tower: %d %s", res.code, res.stderr)
	}
	d, stdout := startDaemon(t, env, "--datadir", dir, "--log-format", "json", "tower", "--rpc", c.url, "--contract", c.contract.Hex(),
		"--listen", "/ip4/127.0.0.1/tcp/0", "--metrics-addr", "", "--poll-interval", "200ms")
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			first <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case addr := <-first:
		return d, addr
	case <-time.After(60 * time.Second):
		t.Fatalf("tower printed no multiaddr\n%s", d.stderrText())
	}
	return nil, ""
}

// useTower adds the tower to a node's config.json, as an operator would.
func useTower(t *testing.T, n *e2eNode, addr string) {
	t.Helper()
	path := filepath.Join(n.dir, "config.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := map[string]any{}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["tower"] = addr
	if raw, err = json.Marshal(cfg); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
}

// metric reads one sample of a node's /metrics, or "" when absent.
func metric(t *testing.T, n *e2eNode, sample string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, n.api()+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+n.token(t))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return ""
}

// TestE2ETowerDefendsAnOfflineWalletOnAnvil is issue 16's watchtower acceptance, with real
// processes on Anvil: the wallet's node registers with a `sluice tower`, then goes offline
// for the whole challenge period; the hub closes leaving its own payments to the wallet off
// the chain; the tower puts the wallet's best proof on chain; after the period the payout,
// read from the chain (the ChannelSettled event and the wallet's ETH balance), is what that
// proof entitles the wallet to.
func TestE2ETowerDefendsAnOfflineWalletOnAnvil(t *testing.T) {
	t.Parallel()
	chain := startE2EChain(t)
	tower, towerAddr := startE2ETower(t, chain, 5)
	wallet, hub := newE2ENode(t, chain, "wallet", 3), newE2ENode(t, chain, "hub", 4)
	useTower(t, wallet, towerAddr)
	hub.start(t)
	wallet.start(t)
	const period = time.Hour
	id := openChannelCLI(t, wallet, hub, ether(1), period)
	depositCLI(t, hub, wallet, id, ether(1))

	byHub, byWallet := newE2EPayer(), newE2EPayer()
	byHub.payConcurrently(hub.client(t), id, 12, 3, func(i int) int64 { return 3_000_000_000_000 * int64(i+1) }).Wait()
	byWallet.payConcurrently(wallet.client(t), id, 5, 1, func(i int) int64 { return 1_000_000_000_000 }).Wait()
	byHub.check(t, "hub", 12)
	byWallet.check(t, "wallet", 5)
	waitUntil(t, 30*time.Second, "the tower to confirm the wallet's newest proof", func() bool {
		return metric(t, wallet, "sluice_tower_client_pending_channels") == "0" &&
			metric(t, wallet, `sluice_tower_client_registrations_total{result="accepted"}`) != ""
	})
	walletProof := proofOf(t, hub.payments(t, id), "received", 5)

	// The wallet goes offline for the whole challenge period; the hub closes with the
	// wallet's payments to it and none of its own to the wallet.
	wallet.stop(t)
	hub.stop(t)
	walletBefore := chain.balance(t, wallet.acc.addr)
	hubKey, err := contracts.New(chain.ctx(t), chain.eth, chain.contract, devchain.TestAccounts()[4].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wp := signedProof(walletProof)
	if _, err := hubKey.Close(chain.ctx(t), channel.ID(id), &wp); err != nil {
		t.Fatalf("hub's close: %v", err)
	}
	if v := chain.view(t, channel.ID(id)); v.NonceB != 0 || v.NonceA != 5 {
		t.Fatalf("after the hub's close the chain holds %+v", v)
	}

	var defended contracts.ChannelView
	waitUntil(t, 30*time.Second, "the tower to put the hub's payments on chain", func() bool {
		defended = chain.view(t, channel.ID(id))
		return defended.NonceB == 12
	})
	if defended.TransferredB.Cmp(byHub.sum) != 0 {
		t.Fatalf("the tower's proof transfers %s, the hub paid %s", defended.TransferredB, byHub.sum)
	}

	chain.advanceTime(t, period+time.Second)
	if _, err := hubKey.Settle(chain.ctx(t), channel.ID(id)); err != nil {
		t.Fatalf("settle: %v", err)
	}
	evs, err := hubKey.EventsInRange(chain.ctx(t), 0, chain.head(t))
	if err != nil {
		t.Fatal(err)
	}
	var settled *contracts.ChannelSettled
	for _, ev := range evs {
		if s, ok := ev.(contracts.ChannelSettled); ok && s.ID == channel.ID(id) {
			settled = &s
		}
	}
	// balA = depositA - transferredA + transferredB: the wallet (A) gets its deposit minus
	// its 5 payments plus every one of the hub's 12.
	want := new(big.Int).Add(new(big.Int).Sub(ether(1), byWallet.sum), byHub.sum)
	if settled == nil || settled.BalanceA.Cmp(want) != 0 {
		t.Fatalf("settlement %+v, want the wallet paid %s", settled, want)
	}
	if got := new(big.Int).Sub(chain.balance(t, wallet.acc.addr), walletBefore); got.Cmp(want) != 0 {
		t.Fatalf("the offline wallet's ETH grew by %s, want %s", got, want)
	}
	tower.stop(t, os.Interrupt, 30*time.Second)
}
