package main

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/sluicepay/sluice/node/api"
)

func TestPaymentsWatchStreamsPaymentsUntilInterrupted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv, backend := startStubAPI(t, dir)
	env := cliEnv(t, "SLUICE_DATADIR="+dir, "SLUICE_API="+srv.URL())
	// The API server holds payment subscriptions of its own (the dashboard's payment
	// statistics); the watcher's is the one above them.
	base := backend.subscribers()
	d, stdout := startDaemon(t, env, "payments", "watch", "--json")
	deadline := time.Now().Add(60 * time.Second)
	for backend.subscribers() <= base {
		if time.Now().After(deadline) {
			t.Fatalf("watch never subscribed\nstderr:\n%s", d.stderrText())
		}
		time.Sleep(20 * time.Millisecond)
	}

	if res := runCLI(t, env, "pay", "--memo", "tea", stubChannelHex, "25"); res.code != 0 {
		t.Fatalf("pay: %d %s", res.code, res.stderr)
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line := <-lines:
		var p api.Payment
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("watch line %q: %v", line, err)
		}
		if p.Amount.String() != "25" || p.Memo != "tea" || p.Proof.Nonce != 1 {
			t.Fatalf("watched payment %+v", p)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no payment printed\nstderr:\n%s", d.stderrText())
	}
	d.stop(t, os.Interrupt, 20*time.Second)
	deadline = time.Now().Add(10 * time.Second)
	for backend.subscribers() != base {
		if time.Now().After(deadline) {
			t.Fatal("the API still holds the watcher's subscription after it exited")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
