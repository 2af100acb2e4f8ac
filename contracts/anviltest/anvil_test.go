package anviltest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
)

func TestStartServesChain31337(t *testing.T) {
	url := Start(t)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("URL = %q, want http://127.0.0.1:<port>", url)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := ethclient.DialContext(ctx, url)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	defer c.Close()
	id, err := c.ChainID(ctx)
	if err != nil {
		t.Fatalf("eth_chainId: %v", err)
	}
	if id.Uint64() != 31337 {
		t.Fatalf("chain id = %d, want 31337", id)
	}
}

func TestStopKillsAnvilAndIsIdempotent(t *testing.T) {
	a, err := Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pid := a.cmd.Process.Pid
	if err := a.Stop(); err != nil {
		t.Fatalf("first Stop: %v", err)
	}
	if err := a.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	select {
	case <-a.Exited():
	default:
		t.Fatal("Exited not closed after Stop")
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("anvil pid %d still exists after Stop (kill 0: %v)", pid, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if c, err := ethclient.DialContext(ctx, a.URL); err == nil {
		if _, err := c.ChainID(ctx); err == nil {
			t.Fatalf("%s still answers after Stop", a.URL)
		}
		c.Close()
	}
}

// writeScript installs an executable shell script as the Anvil binary for one test.
func writeScript(t *testing.T, body string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fake-anvil")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvBinary, p)
}

func TestRunParsesListeningLineAndKillsWholeProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	writeScript(t, "sleep 300 &\necho $! > "+pidFile+"\necho banner\necho 'Listening on 127.0.0.1:5555'\nwait\n")
	a, err := Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != "http://127.0.0.1:5555" {
		t.Fatalf("URL = %q, want http://127.0.0.1:5555", a.URL)
	}
	raw, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	child, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Stop(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(child, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("child %d of anvil survived Stop", child)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRunReportsEarlyExitWithOutput(t *testing.T) {
	writeScript(t, "echo 'error: address in use'\nexit 3\n")
	_, err := Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "address in use") || !strings.Contains(err.Error(), "exited before listening") {
		t.Fatalf("Run error = %v, want early exit quoting the output", err)
	}
}

func TestRunHonoursContextWhileWaitingForPort(t *testing.T) {
	writeScript(t, "exec sleep 300\n")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := Run(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run error = %v, want context deadline", err)
	}
}

func TestBinaryErrors(t *testing.T) {
	t.Run("missing override names the variable", func(t *testing.T) {
		t.Setenv(EnvBinary, filepath.Join(t.TempDir(), "nope"))
		_, err := Binary()
		if err == nil || !strings.Contains(err.Error(), EnvBinary) {
			t.Fatalf("Binary error = %v, want one naming $%s", err, EnvBinary)
		}
	})
	t.Run("missing npm install says to run npm ci", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		t.Setenv(EnvBinary, "")
		_, err := Binary()
		if err == nil || !strings.Contains(err.Error(), "npm ci") {
			t.Fatalf("Binary error = %v, want a hint to run npm ci", err)
		}
	})
}

type fakeRun struct {
	t    *testing.T
	url  string
	code int
}

// Run checks, while the "tests" run, that Anvil is up at the URL setup received.
func (f *fakeRun) Run() int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := ethclient.DialContext(ctx, f.url)
	if err != nil {
		f.t.Errorf("dial %s during Run: %v", f.url, err)
		return 1
	}
	defer c.Close()
	if _, err := c.ChainID(ctx); err != nil {
		f.t.Errorf("anvil not answering during Run: %v", err)
		return 1
	}
	return f.code
}

func TestMainRunsTestsAgainstAnvilAndStopsIt(t *testing.T) {
	f := &fakeRun{t: t, code: 7}
	code := runMain(f, func(url string) { f.url = url })
	if code != 7 {
		t.Fatalf("exit code %d, want the tests' 7", code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if c, err := ethclient.DialContext(ctx, f.url); err == nil {
		_, err := c.ChainID(ctx)
		c.Close()
		if err == nil {
			t.Fatalf("anvil at %s still answers after Main returned", f.url)
		}
	}
}

func TestMainFailsWhenAnvilIsMissing(t *testing.T) {
	t.Setenv(EnvBinary, filepath.Join(t.TempDir(), "missing-anvil"))
	ran := false
	code := runMain(&fakeRun{t: t}, func(string) { ran = true })
	if code == 0 || ran {
		t.Fatalf("exit code %d, setup ran %v; want a failure before any test", code, ran)
	}
}
