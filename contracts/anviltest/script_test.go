package anviltest

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
)

// TestScriptsAnvilPrintsURLAndStopsOnInterrupt runs scripts/anvil as a person would:
// the first stdout line is a working URL, and Ctrl-C (SIGINT to its process group)
// stops it.
func TestScriptsAnvilPrintsURLAndStopsOnInterrupt(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(root, "scripts", "anvil"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	defer func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }()

	var url string
	select {
	case url = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatal("scripts/anvil printed no URL")
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q, want http://127.0.0.1:<port>", url)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := ethclient.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if id, err := c.ChainID(ctx); err != nil || id.Uint64() != 31337 {
		t.Fatalf("chain id %v, %v", id, err)
	}

	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	go func() {
		for range lines {
		}
	}()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("scripts/anvil still running 10 s after Ctrl-C")
	}
	if _, err := c.ChainID(ctx); err == nil {
		t.Fatal("anvil still answers after Ctrl-C")
	}
}
